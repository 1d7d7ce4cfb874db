"""Each role's workspace (issue 9): the year's steps read from the data, "Tugas Anda" with
links the user may follow, the figures the role may see, and a menu with no dead end.

One small signed-decree cycle (``people.tests.factories.cycle_build``: 200 synthetic people,
5 places) serves the walking test; a screened year without proposal the step tests.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import resolve, reverse

from payung.accounts.access import access_roles
from payung.accounts.roles import ROLES
from payung.conftest import PERSONAS
from payung.web.navigation import menu_links

HREF = re.compile(r'href="(/[^"#]*)(?:#[^"]*)?"')
#: The workspace's queries for any role, whatever the year's size (facts, tasks, header).
WORKSPACE_QUERIES = 32


def _persona_users() -> dict[str, Any]:
    """Every persona of ``PERSONAS`` (cycle_build made some usernames already: reused)."""
    from django.contrib.auth import get_user_model

    from payung.accounts.services import agency_get_or_create, user_create

    users = {}
    for name, (role, kind, agency_name) in PERSONAS.items():
        existing = get_user_model().objects.filter(username=name).first()
        if existing is None:
            agency = agency_get_or_create(kind=kind, name=agency_name)
            existing = user_create(
                username=name, password="x-rahasia-123", role=role, agency=agency
            )
        users[name] = existing
    return users


@pytest.fixture
def cycle(db: None) -> Any:
    from payung.people.tests.factories import cycle_build

    return cycle_build(rows=200, quota=5)


def _links(html: str) -> set[str]:
    return {
        m.group(1)
        for m in HREF.finditer(html)
        if not m.group(1).startswith(("/static/", "//")) and m.group(1) != "/favicon.ico"
    }


def test_every_persona_follows_every_workspace_and_menu_link_without_refusal(
    cycle: Any, django_assert_max_num_queries: Any
) -> None:
    """Issue 9: the team member and every other role meet no "Akses ditolak" (nor a missing
    page or an error) from the workspace, its tasks or the menu; the workspace costs a fixed
    number of queries for each role."""
    seen_roles = set()
    for name, user in _persona_users().items():
        client = Client()
        client.force_login(user)
        # The first visit stores the menu's year in the session and counts the pagu figures
        # (``worklist_memo``); the budget holds for every visit after it.
        client.get("/")
        with django_assert_max_num_queries(WORKSPACE_QUERIES):
            home = client.get("/")
        assert home.status_code == 200, name
        html = home.content.decode()
        assert "Tugas Anda" in html
        links = _links(html)
        # Every role gets at least the menu's year page (the admin its account pages).
        assert len(links) > 2, (name, links)
        for url in sorted(links):
            response = client.get(url)
            assert response.status_code not in (403, 404, 405, 500), (name, url)
        seen_roles.add(PERSONAS[name][0])
    assert seen_roles == {r.code for r in ROLES}


def test_menu_links_are_pages_the_access_table_gives_the_role(cycle: Any) -> None:
    """The menu names for each link the permission its page needs; this holds it to
    ``accounts.access`` (URL × roles), the table the access matrix enforces."""
    year = cycle.proposal.programme_year
    nav = {
        "pk": year.pk,
        "year": year.year,
        "run": cycle.proposal.screening_run_id,
        "carried": True,
    }
    for name, user in _persona_users().items():
        role = PERSONAS[name][0]
        links = menu_links(user=user, nav=nav)
        for link in links:
            match = resolve(link.url)
            allowed = access_roles(url_name=f"{match.namespace}:{match.url_name}", method="GET")
            assert allowed is not None and role in allowed, (role, link.url)
    # A team member reads the stages of the programme but not contributions or persons.
    tim = menu_links(user=_persona_users()["anggota_tim"], nav=nav)
    codes = {link.code for link in tim}
    assert {"penetapan", "keputusan", "sanggahan", "akhir"} <= codes
    assert not codes & {"iuran", "orang", "verifikasi", "audit"}


def test_workspace_tracker_tasks_and_figures_after_the_decree(cycle: Any) -> None:
    """After the signed decree: the first five steps are done, registration is the current
    step and Disnakertrans's turn with its task to send the decreed to BPJS; the bendahara is
    told that the bills come after registration."""
    users = cycle.users
    client = Client()
    client.force_login(users["operator_kepesertaan"])
    html = client.get("/").content.decode()
    workspace = client.get("/").context["workspace"]
    states = {s.code: s.state for s in workspace.steps}
    assert states == {
        "pendataan": "done",
        "penyaringan": "done",
        "usulan": "done",
        "verifikasi": "done",
        "keputusan": "done",
        "pendaftaran": "current",
        "iuran": "todo",
        "akhir": "todo",
        "laporan": "todo",
    }
    decreed = cycle.proposal.candidates.filter(state="decreed").count()
    assert "Giliran Anda" in html
    assert f"{cycle.decree.participant_count} peserta dalam keputusan" in html
    assert f"<dt>Peserta ditetapkan</dt><dd>{decreed}</dd>" in html
    send = reverse("enrollment:batch_year", args=[cycle.proposal.programme_year_id])
    assert f'<a href="{send}">Siapkan tahap pendaftaran dan kirim berkasnya ke BPJS</a>' in html
    # Issue 14: the semester report is a real step now (the team's, Pasal 12 ayat (3)).
    assert "belum tersedia" not in html and "Pasal 12 ayat (3)" in html

    client.force_login(users["bendahara"])
    response = client.get("/")
    html = response.content.decode()
    assert "Tahap Anda berikutnya: <strong>Iuran</strong>" in html
    # The treasurer's tasks are those of the year's contributions page (no bill yet: the
    # first bill to issue, or the January warning late in the year), each linking there.
    contributions = reverse("contributions:year_detail", args=[cycle.proposal.programme_year_id])
    assert {t.url for t in response.context["workspace"].tasks} <= {contributions}
    assert "tagihan · Rp0 dibayar" in html
    # No link to a stage the bendahara may not open (the decree page, the proposal).
    assert reverse("decrees:year_detail", args=[cycle.proposal.programme_year_id]) not in html


def test_workspace_of_a_screened_year_asks_for_the_proposal(operator_dinsos: Any) -> None:
    """A finished screening without proposal: the operator's task is the proposal."""
    from payung.participants.tests.factories import screened_year

    run = screened_year(operator=operator_dinsos, rows=150, quota=3)
    client = Client()
    client.force_login(operator_dinsos)
    response = client.get("/")
    steps = {s.code: s.state for s in response.context["workspace"].steps}
    assert steps["penyaringan"] == "done" and steps["usulan"] == "current"
    url = reverse("participants:proposal_detail", args=[run.programme_year_id])
    assert f'<a href="{url}">Buat usulan calon peserta</a>' in response.content.decode()
    # The menu of every later page now points to this year's screening run.
    later = client.get(reverse("registry:year_list")).content.decode()
    assert reverse("screening:run_detail", args=[run.pk]) in later


def test_workspace_without_a_year_says_so(auditor_inspektorat: Any) -> None:
    client = Client()
    client.force_login(auditor_inspektorat)
    html = client.get("/").content.decode()
    assert "Belum ada tahun program." in html


def test_a_team_member_sees_no_payments_on_the_tracker(cycle: Any) -> None:
    """Issue 9: show the team the aggregates it may see, hide what it may not (payments
    are the bendahara's and the auditor's)."""
    client = Client()
    client.force_login(cycle.users["anggota_tim"])
    response = client.get("/")
    html = response.content.decode()
    assert "Tidak ada tugas yang menunggu Anda." in html
    assert "Halaman yang dapat Anda buka" in html
    assert "dibayar" not in html and "Iuran ditagih" not in html
    iuran = next(s for s in response.context["workspace"].steps if s.code == "iuran")
    assert (iuran.figure, iuran.url) == ("", "")


def test_workspace_opens_the_budget_year_running_today_and_the_other_on_request(
    auditor_inspektorat: Any,
) -> None:
    """With next year in preparation, the workspace opens on the year whose bills, ends and
    replacements run today (tahun anggaran berjalan); next year is offered and opens by
    ``?tahun=``. Without a year for today, the newest opens."""
    from django.utils import timezone

    from payung.programmes.tests.factories import ProgrammeYearFactory

    today = timezone.localdate().year
    running = ProgrammeYearFactory(year=today)
    following = ProgrammeYearFactory(year=today + 1)
    client = Client()
    client.force_login(auditor_inspektorat)
    assert client.get("/").context["workspace"].year == running
    chosen = client.get("/", {"tahun": following.pk}).context["workspace"]
    assert chosen.year == following and running in chosen.others
    running.delete()
    assert client.get("/").context["workspace"].year == following


def test_workspace_counts_the_candidates_per_state_once_per_lifecycle_change(
    cycle: Any,
) -> None:
    """Issue 16: the steps and the funnel chart share one GROUP BY over the year's candidates
    (100 000 at a regency's size), counted again only after a lifecycle change, and the
    funnel shows what a fresh count gives, before and after the change."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from payung.participants import chart_selectors
    from payung.participants.models import CandidateState
    from payung.participants.transitions import END_PERM, candidates_transition

    def grouped_counts() -> tuple[int, Any]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/")
        assert "Corong seleksi" in response.content.decode()
        grouped = [
            q["sql"]
            for q in queries.captured_queries
            if 'FROM "participants_candidate"' in q["sql"] and "GROUP BY" in q["sql"]
        ]
        return len(grouped), response.context["workspace"]

    client = Client()
    client.force_login(cycle.users["operator_pendataan"])
    year = cycle.proposal.programme_year
    run = chart_selectors.chart_run(programme_year=year)
    assert grouped_counts()[0] == 1
    unchanged, workspace = grouped_counts()
    assert unchanged == 0
    shared = chart_selectors.funnel_rows(
        programme_year=year, run=run, states=workspace.candidate_states
    )
    assert shared == chart_selectors.funnel_rows(programme_year=year, run=run)
    assert shared[-1].count == cycle.decree.participant_count

    ender = next(u for u in cycle.users.values() if u.has_perm(END_PERM))
    decreed = cycle.proposal.candidates.filter(state=CandidateState.DECREED).first()
    candidates_transition(candidate_ids=[decreed.pk], action="end", actor=ender)
    changed, workspace = grouped_counts()
    assert changed == 1
    assert workspace.candidate_states == chart_selectors.candidate_state_counts(programme_year=year)
    assert workspace.candidate_states.get(CandidateState.ENDED) == 1
