"""Screening pages: who may open what, masked NIKs, the audited reveal and export."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from python_calamine import CalamineWorkbook

from payung.audit.models import AuditEntry
from payung.conftest import PERSONAS
from payung.core.models import JobStatus
from payung.programmes.models import ProgrammeYear
from payung.screening.exports import COLUMNS
from payung.screening.models import Decision, ScreeningRun
from payung.screening.tests import factories

pytestmark = pytest.mark.django_db

GET_RUN = ("run_detail", "run_progress")
GET_DECISION = ("decision_list", "decision_export", "person_detail")

#: What each persona may open (by url name); everything else must answer 403.
ALLOWED: dict[str, set[str]] = {
    "operator_dinsos": {*GET_RUN, *GET_DECISION, "reveal_nik", "run_start"},
    "operator_dinsos_2": {*GET_RUN, *GET_DECISION, "reveal_nik", "run_start"},
    "verifikator_dukcapil": {*GET_RUN, *GET_DECISION, "reveal_nik"},
    "operator_disnaker": {*GET_RUN, *GET_DECISION},
    "operator_disnaker_2": {*GET_RUN, *GET_DECISION},
    "auditor_inspektorat": {*GET_RUN, *GET_DECISION},
    "anggota_tim": {*GET_RUN},
    "admin_kominfo": set(),
    "bendahara_disnaker": set(),
    "petugas_bpjs": set(),
}


def _requests(decision: Decision) -> list[tuple[str, str, str, dict[str, Any]]]:
    run = decision.run
    return [
        ("run_detail", "get", reverse("screening:run_detail", args=[run.pk]), {}),
        ("run_progress", "get", reverse("screening:run_progress", args=[run.pk]), {}),
        ("decision_list", "get", reverse("screening:decision_list", args=[run.pk]), {}),
        ("decision_export", "get", reverse("screening:decision_export", args=[run.pk]), {}),
        ("person_detail", "get", reverse("screening:person_detail", args=[decision.pk]), {}),
        ("reveal_nik", "post", reverse("screening:reveal_nik", args=[decision.pk]), {}),
        (
            "run_start",
            "post",
            reverse("screening:run_start"),
            {"programme_year": run.programme_year_id, "dtsen_import": run.dtsen_import_id},
        ),
    ]


def test_anonymous_is_sent_to_the_login_page(client: Client) -> None:
    decision = factories.DecisionFactory()
    for name, method, url, data in _requests(decision):
        response = getattr(client, method)(url, data)
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("accounts:login")), name


@pytest.mark.parametrize("persona", sorted(ALLOWED))
def test_each_role_opens_only_its_pages(
    client: Client, persona: str, request: pytest.FixtureRequest
) -> None:
    assert set(ALLOWED) == set(PERSONAS)
    user = request.getfixturevalue(persona)
    decision = factories.DecisionFactory()
    client.force_login(user)
    for name, method, url, data in _requests(decision):
        response = getattr(client, method)(url, data)
        if name in ALLOWED[persona]:
            assert response.status_code in (200, 302), (name, response.status_code)
            if response.status_code == 302:
                assert not response["Location"].startswith(reverse("accounts:login")), name
        else:
            assert response.status_code == 403, (name, response.status_code)


def test_pages_refuse_the_wrong_method(client: Client, operator_dinsos: Any) -> None:
    decision = factories.DecisionFactory()
    client.force_login(operator_dinsos)
    assert client.get(reverse("screening:run_start")).status_code == 405
    assert client.get(reverse("screening:reveal_nik", args=[decision.pk])).status_code == 405
    url = reverse("screening:decision_list", args=[decision.run_id])
    assert client.put(url).status_code == 405


def test_start_from_the_year_page_runs_and_shows_the_result(
    client: Client,
    operator_dinsos: Any,
    year: ProgrammeYear,
    django_capture_on_commit_callbacks: Any,
) -> None:
    dtsen_import, _table = factories.synthetic_import(programme_year=year, rows=80, seed=2)
    client.force_login(operator_dinsos)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("screening:run_start"),
            {"programme_year": year.pk, "dtsen_import": dtsen_import.pk},
        )
    run = ScreeningRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("screening:run_detail", args=[run.pk])
    assert run.started_by == operator_dinsos
    assert run.status == JobStatus.DONE
    assert Decision.objects.filter(run=run).count() == 80


def test_start_of_an_unfinished_import_is_refused_with_a_message(
    client: Client, operator_dinsos: Any, year: ProgrammeYear
) -> None:
    dtsen_import = factories.DtsenImportFactory(programme_year=year, status=JobStatus.RUNNING)
    client.force_login(operator_dinsos)
    response = client.post(
        reverse("screening:run_start"),
        {"programme_year": year.pk, "dtsen_import": dtsen_import.pk},
        follow=False,
    )
    assert response.status_code == 302
    assert not ScreeningRun.objects.exists()
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("belum selesai" in m for m in messages)


def test_start_with_missing_fields_is_a_bad_request(client: Client, operator_dinsos: Any) -> None:
    client.force_login(operator_dinsos)
    assert client.post(reverse("screening:run_start"), {}).status_code == 400


def test_run_page_shows_totals_articles_and_kecamatan(
    client: Client, operator_disnaker: Any, run: ScreeningRun
) -> None:
    client.force_login(operator_disnaker)
    html = client.get(reverse("screening:run_detail", args=[run.pk])).content.decode()
    assert "Terpilih (dalam pagu)" in html
    assert "Pasal 5 ayat (2) huruf d" in html
    assert "Terdaftar dalam DTSEN pada Desil I sampai dengan Desil IV." in html
    assert "Menurut kecamatan" in html
    assert 'hx-trigger="every 1s"' not in html  # finished: no polling


def test_run_page_prints_the_quota_with_thousand_dots(
    client: Client, operator_disnaker: Any, run: ScreeningRun
) -> None:
    """Pasal 6 ayat (2): the quota the pagu pays for reads as the decree prints it."""
    ScreeningRun.objects.filter(pk=run.pk).update(budget=1_008_000_000, quota=5000, months=12)
    client.force_login(operator_disnaker)
    html = client.get(reverse("screening:run_detail", args=[run.pk])).content.decode()
    assert "Rp1.008.000.000" in html
    assert "kuota 5.000 orang" in html


def test_run_page_links_to_the_decisions_only_for_who_may_open_them(
    client: Client, operator_disnaker: Any, anggota_tim: Any, run: ScreeningRun
) -> None:
    """The team reads the totals but not the persons behind them: no link to a refusal."""
    decisions = reverse("screening:decision_list", args=[run.pk])
    client.force_login(anggota_tim)
    html = client.get(reverse("screening:run_detail", args=[run.pk])).content.decode()
    assert "Pasal 5 ayat (2) huruf d" in html and "Menurut kecamatan" in html
    assert decisions not in html
    client.force_login(operator_disnaker)
    assert decisions in client.get(reverse("screening:run_detail", args=[run.pk])).content.decode()


def test_progress_polls_while_the_run_is_queued(client: Client, anggota_tim: Any) -> None:
    run = factories.ScreeningRunFactory(status=JobStatus.QUEUED, progress=0)
    progress_url = reverse("screening:run_progress", args=[run.pk])
    client.force_login(anggota_tim)
    page = client.get(reverse("screening:run_detail", args=[run.pk])).content.decode()
    assert f'hx-get="{progress_url}"' in page
    partial = client.get(progress_url).content.decode()
    assert f'hx-get="{progress_url}"' in partial
    assert "<html" not in partial
    ScreeningRun.objects.filter(pk=run.pk).update(status=JobStatus.DONE, progress=100)
    finished = client.get(progress_url).content.decode()
    assert "every 1s" not in finished
    assert reverse("screening:run_detail", args=[run.pk]) in finished  # reloads the page


def test_failed_run_shows_its_error(client: Client, anggota_tim: Any) -> None:
    run = factories.ScreeningRunFactory(
        status=JobStatus.FAILED, error_message="Versi kebijakan berbeda."
    )
    client.force_login(anggota_tim)
    html = client.get(reverse("screening:run_detail", args=[run.pk])).content.decode()
    assert "Versi kebijakan berbeda." in html


def test_decision_list_masks_every_nik(client: Client, verifikator_dukcapil: Any) -> None:
    run = factories.ScreeningRunFactory()
    decisions = factories.DecisionFactory.create_batch(5, run=run)
    client.force_login(verifikator_dukcapil)
    html = client.get(reverse("screening:decision_list", args=[run.pk])).content.decode()
    for d in decisions:
        assert d.nik not in html
        assert f"{d.nik[:4]}********{d.nik[-4:]}" in html
        assert d.person.nama in html
    assert "Sumur" in html  # kecamatan by name


def test_decision_list_words_data_problems_and_groups_its_count(
    client: Client, verifikator_dukcapil: Any
) -> None:
    """The list shows a data problem in words and its count as 1.234, never a code like
    ``nik.excel_scientific`` or ``1234 orang`` (found by walking the demo as every role)."""
    run = factories.ScreeningRunFactory()
    factories.DecisionFactory.create_batch(
        2, run=run, status="invalid", reasons="nik.excel_scientific;tanggal_lahir.missing"
    )
    client.force_login(verifikator_dukcapil)
    html = client.get(reverse("screening:decision_list", args=[run.pk])).content.decode()
    assert "nik.excel_scientific" not in re.sub(r'title="[^"]*"', "", html)
    assert "tanggal_lahir.missing" not in html
    assert "NIK rusak oleh Excel" in html
    factories.DecisionFactory.create_batch(1_000, run=run)
    html = client.get(reverse("screening:decision_list", args=[run.pk])).content.decode()
    assert "1.002 orang" in html


def test_decision_list_filters_from_the_query_string(
    client: Client, auditor_inspektorat: Any, run: ScreeningRun
) -> None:
    client.force_login(auditor_inspektorat)
    url = reverse("screening:decision_list", args=[run.pk])
    response = client.get(url, {"status": "ineligible", "article": "5(2)b"})
    page = response.context["page"]
    expected = Decision.objects.filter(run=run, status="ineligible", reasons__contains="5(2)b")
    assert response.context["count"] == expected.count() > 0
    assert all(d.status == "ineligible" for d in page.object_list)
    # An unknown value is reported on the form and does not filter.
    response = client.get(url, {"status": "bogus"})
    assert response.context["form"].errors["status"]
    assert response.context["count"] == 500


def test_person_page_explains_a_refused_person(client: Client, operator_disnaker: Any) -> None:
    person = factories.PersonFactory(tanggal_lahir="1950-02-01", desil="6")
    decision = factories.DecisionFactory(
        person=person,
        run=factories.ScreeningRunFactory(dtsen_import=person.dtsen_import),
        status="ineligible",
        reasons="5(2)b;5(2)d",
        priority_rank=None,
        priorities="",
        age=75,
        desil=6,
    )
    client.force_login(operator_disnaker)
    html = client.get(reverse("screening:person_detail", args=[decision.pk])).content.decode()
    assert "Mengapa saya (tidak) terpilih?" in html
    assert "Pasal 5 ayat (2) huruf b" in html
    assert "Berusia paling sedikit 18 tahun sampai dengan 64 tahun" in html
    assert "usia 75 tahun pada 1 Januari 2026" in html
    assert "Pasal 5 ayat (2) huruf d" in html
    assert "desil 6" in html
    assert html.count("tidak terpenuhi") == 3  # 5(2)b, 5(2)d and 5(2)c which follows d
    assert decision.nik not in html


def test_reveal_swaps_in_the_full_nik_and_audits(client: Client, verifikator_dukcapil: Any) -> None:
    decision = factories.DecisionFactory()
    client.force_login(verifikator_dukcapil)
    url = reverse("screening:reveal_nik", args=[decision.pk])
    response = client.post(url, headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode().strip()
    assert html == f'<span class="nik nik-full">{decision.nik}</span>'
    assert "no-store" in response["Cache-Control"]
    entry = AuditEntry.objects.get(action="nik_view")
    assert entry.actor_id == verifikator_dukcapil.pk
    assert entry.detail["decision_id"] == decision.pk
    assert entry.detail["nik_masked"] == f"{decision.nik[:4]}********{decision.nik[-4:]}"
    # Without htmx, a page with the number.
    page = client.post(url).content.decode()
    assert decision.nik in page and "<html" in page
    assert AuditEntry.objects.filter(action="nik_view").count() == 2


def test_reveal_without_permission_is_refused_and_not_audited(
    client: Client, operator_disnaker: Any
) -> None:
    decision = factories.DecisionFactory()
    client.force_login(operator_disnaker)
    response = client.post(reverse("screening:reveal_nik", args=[decision.pk]))
    assert response.status_code == 403
    assert decision.nik not in response.content.decode()
    assert not AuditEntry.objects.filter(action="nik_view").exists()
    # Nor is there a button for it.
    html = client.get(reverse("screening:decision_list", args=[decision.run_id])).content
    assert reverse("screening:reveal_nik", args=[decision.pk]).encode() not in html


def _sheet(content: bytes) -> list[list[Any]]:
    return CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()


def _export(client: Client, run: ScreeningRun, **params: str) -> Any:
    response = client.get(reverse("screening:decision_export", args=[run.pk]), params)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    return response


def test_export_has_the_filtered_rows_with_masked_nik_and_is_audited(
    client: Client, operator_disnaker: Any, run: ScreeningRun
) -> None:
    client.force_login(operator_disnaker)
    response = _export(client, run, status="ineligible", desil="2")
    rows = _sheet(b"".join(response.streaming_content))
    header, body = rows[0], rows[1:]
    assert header == [h for h, _field in COLUMNS]
    expected = list(Decision.objects.filter(run=run, status="ineligible", desil=2).order_by("row"))
    assert len(body) == len(expected) > 0
    nik_col, row_col = header.index("NIK"), header.index("Baris")
    assert [int(r[row_col]) for r in body] == [d.row for d in expected]
    for r, d in zip(body, expected, strict=True):
        assert r[nik_col] == f"{d.nik[:4]}{'*' * (len(d.nik) - 8)}{d.nik[-4:]}"
        assert r[header.index("Status")] == "Tidak memenuhi syarat"
    entry = AuditEntry.objects.get(action="export_personal_data")
    assert entry.actor_id == operator_disnaker.pk
    assert entry.detail["filters"] == {"status": "ineligible", "desil": 2}
    assert entry.detail["rows"] == len(expected)
    assert entry.detail["full_nik"] is False


def test_export_neutralises_formulas(client: Client, operator_disnaker: Any) -> None:
    run = factories.ScreeningRunFactory()
    names = ['=HYPERLINK("http://contoh.test","klik")', "+62 811", "-1+1", "@SUM(A1)", "\tTab"]
    for name in names:
        factories.DecisionFactory(run=run, person__nama=name)
    factories.DecisionFactory(run=run, person__nama="Siti Aminah")
    client.force_login(operator_disnaker)
    rows = _sheet(b"".join(_export(client, run).streaming_content))
    got = [r[rows[0].index("Nama")] for r in rows[1:]]
    assert got == [f"'{n}" for n in names] + ["Siti Aminah"]


def test_export_with_full_nik_needs_the_permission(
    client: Client, operator_dinsos: Any, operator_disnaker: Any
) -> None:
    run = factories.ScreeningRunFactory()
    decision = factories.DecisionFactory(run=run)
    url = reverse("screening:decision_export", args=[run.pk])
    client.force_login(operator_disnaker)
    assert client.get(url, {"nik": "lengkap"}).status_code == 403
    assert not AuditEntry.objects.filter(action="export_personal_data").exists()

    client.force_login(operator_dinsos)
    rows = _sheet(b"".join(_export(client, run, nik="lengkap").streaming_content))
    assert rows[1][rows[0].index("NIK")] == decision.nik
    entry = AuditEntry.objects.get(action="export_personal_data")
    assert entry.detail["full_nik"] is True


def _list_queries(client: Client, run: ScreeningRun) -> int:
    url = reverse("screening:decision_list", args=[run.pk])
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_decision_list_queries_do_not_grow_with_rows(
    client: Client, verifikator_dukcapil: Any, django_assert_max_num_queries: Callable[..., Any]
) -> None:
    """An N+1 here would cost a regency's list page a query per person shown."""
    client.force_login(verifikator_dukcapil)
    small = factories.ScreeningRunFactory()
    factories.DecisionFactory.create_batch(5, run=small)
    baseline = _list_queries(client, small)
    for size in (50, 200):
        run = factories.ScreeningRunFactory()
        factories.DecisionFactory.create_batch(size, run=run)
        with django_assert_max_num_queries(baseline):
            client.get(reverse("screening:decision_list", args=[run.pk]))


def test_deemed_5_2_c_reads_the_same_on_summary_list_and_person_page(
    client: Client, operator_dinsos: Any, run: ScreeningRun
) -> None:
    """Pasal 5 ayat (2) huruf c, deemed by d, in the order a-f with the same count everywhere."""
    client.force_login(operator_dinsos)
    note = "(dianggap terpenuhi oleh 5(2)d)"
    summary = client.get(reverse("screening:run_detail", args=[run.pk]))
    by_rule = {t.code: t.count for t in summary.context["summary"].by_rule}
    html = summary.content.decode()
    assert note in html
    articles = re.findall(r">Pasal 5 ayat \(2\) huruf ([a-f])</a>", html)
    assert articles == sorted(articles) == list("abcdef")
    listing = client.get(reverse("screening:decision_list", args=[run.pk]), {"article": "5(2)c"})
    assert listing.context["count"] == by_rule["5(2)c"] == by_rule["5(2)d"]
    first = listing.context["page"].object_list[0]
    link = f'href="{reverse("screening:person_detail", args=[first.pk])}"'
    row = listing.content.decode().split(link)[1]
    row = row.split("</tr>")[0]
    assert row.index(">5(2)c<") < row.index(">5(2)d<")
    assert note in row  # the title of 5(2)c says what shows it
    person = client.get(reverse("screening:person_detail", args=[first.pk])).content.decode()
    criteria = re.findall(r"<td[^>]*>Pasal 5 ayat \(2\) huruf ([a-f])</td>", person)
    assert criteria == list("abcdef")
    assert note in person
