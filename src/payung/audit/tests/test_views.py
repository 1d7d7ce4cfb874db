"""The audit pages: the auditor reads the trail in words, filters it, exports it and checks
the chain on request; nobody else may (Pasal 10 ayat (3) huruf a)."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.views import redirect_to_login
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertTemplateUsed
from python_calamine import CalamineWorkbook

from payung.audit.models import AuditEntry
from payung.audit.services import audit_entry_create
from payung.audit.tests import tampering
from payung.audit.tests.factories import entries_create
from payung.conftest import PERSONAS
from payung.screening.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
URL = "audit:entry_list"
CHECK = "audit:chain_check"
EXPORT = "audit:entry_export"
WIB = ZoneInfo("Asia/Jakarta")


@pytest.fixture
def auditor_client(client: Client, auditor_inspektorat) -> Client:
    client.force_login(auditor_inspektorat)  # writes a user_login entry
    return client


def _rows(response) -> list[AuditEntry]:
    return [r.entry for r in response.context["rows"]]


@pytest.mark.parametrize("name", [URL, CHECK, EXPORT])
def test_anonymous_is_sent_to_login(client: Client, name: str) -> None:
    response = client.get(reverse(name))

    assert response.status_code == 302
    assert response.url == redirect_to_login(reverse(name)).url


@pytest.mark.parametrize("name", [URL, CHECK, EXPORT])
@pytest.mark.parametrize("persona", sorted(set(PERSONAS) - {"auditor_inspektorat"}))
def test_every_other_role_is_refused(
    client: Client, request: pytest.FixtureRequest, persona: str, name: str
) -> None:
    client.force_login(request.getfixturevalue(persona))

    assert client.get(reverse(name)).status_code == 403
    assert not AuditEntry.objects.filter(action="audit_export").exists()


def test_auditor_reads_entries_newest_first_in_words(
    auditor_client: Client, operator_dinsos
) -> None:
    older = audit_entry_create(
        actor=operator_dinsos,
        action="dtsen_import_finish",
        detail={"rows": 50000, "as_of": "2026-01-01", "file_name": "dtsen.csv"},
    )
    newer = audit_entry_create(actor=None, action="user_login_failed", detail={"username": "x"})

    response = auditor_client.get(reverse(URL))

    assert response.status_code == 200
    assertTemplateUsed(response, "audit/entry_list.html")
    assert _rows(response)[:2] == [newer, older]
    moment = older.created_at.astimezone(WIB)
    assertContains(response, moment.strftime("%H.%M.%S"))
    assertContains(
        response,
        '<span class="action" title="dtsen_import_finish">Impor DTSEN selesai</span>',
        html=True,
    )
    assertContains(response, "Gagal masuk ke aplikasi")
    assertContains(response, '<dt title="rows">Jumlah baris</dt><dd>50.000</dd>', html=True)
    assertContains(response, "<dd>1 Januari 2026</dd>", html=True)
    assertContains(response, "operator_dinsos<br><small>Dinas Sosial</small>", html=True)
    # the login's target: the user by name and role, not "accounts.user #1"
    assertContains(response, "Pengguna: auditor_inspektorat (Auditor Inspektorat)")
    assertContains(response, "<em>Sistem</em>", html=True)
    body = response.content.decode()
    table = body[body.index('id="entries"') :]
    assert "{" not in table and "accounts.user" not in table
    assert ">dtsen_import_finish<" not in table  # the code only in the tooltip


def test_a_persons_entry_shows_no_name_and_keeps_the_nik_masked(
    auditor_client: Client, operator_dinsos
) -> None:
    person = PersonFactory()
    audit_entry_create(
        actor=operator_dinsos,
        action="nik_view",
        target=person,
        detail={"nik_masked": "3601********0001"},
    )

    response = auditor_client.get(reverse(URL))

    assertContains(response, f"Orang: nomor {person.pk}")
    assertContains(response, "3601********0001")
    assertNotContains(response, person.nama)
    assertNotContains(response, person.nik)


def test_the_list_no_longer_checks_the_chain_on_every_visit(auditor_client: Client) -> None:
    entries = entries_create(at=timezone.now(), count=3)
    tampering.entry_update(entries[1].pk, action="forged")

    response = auditor_client.get(reverse(URL))

    assert response.status_code == 200
    assertNotContains(response, "Rantai")
    assertContains(response, f'action="{reverse(CHECK)}"')
    assertContains(response, "Periksa keutuhan rantai")


def test_the_check_announces_a_broken_chain(auditor_client: Client) -> None:
    entries = [audit_entry_create(actor=None, action="step", detail={"i": i}) for i in range(3)]
    tampering.entry_update(entries[1].pk, action="forged")

    response = auditor_client.get(reverse(CHECK))

    assertContains(response, f"Rantai rusak mulai entri #{entries[1].pk}:")
    assertContains(response, 'role="alert"')
    assertNotContains(response, "Rantai utuh")


def test_the_check_gives_todays_digest_to_print(auditor_client: Client) -> None:
    """Count and short MAC of the head, in Indonesian, and the command that checks it later."""
    entries_create(at=timezone.now() - timedelta(days=1), count=1233)
    head = AuditEntry.objects.order_by("-id").first()
    today = timezone.localdate()

    response = auditor_client.get(reverse(CHECK))

    months = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus"]
    months += ["September", "Oktober", "November", "Desember"]
    assertContains(response, f"Per {today.day} {months[today.month - 1]} {today.year} pukul ")
    short = " ".join(head.hash[i : i + 4] for i in range(0, 16, 4))
    assertContains(response, f"WIB: 1.234 entri, entri terakhir #{head.pk}, sidik {short}.")
    assertContains(response, f"payung audit verify --digest 1234:{head.hash[:16]}")
    assertContains(response, "Rantai utuh: 1.234 entri diperiksa.")


def test_no_digest_is_offered_for_a_broken_chain(auditor_client: Client) -> None:
    """A digest printed from a tampered trail would vouch for the tampering."""
    entries = [audit_entry_create(actor=None, action="step") for _ in range(2)]
    tampering.entry_action_set_sql(entries[0].pk, "forged")

    response = auditor_client.get(reverse(CHECK))

    assertNotContains(response, "Ringkasan harian")
    assertNotContains(response, "--digest")


def test_filter_by_action_offers_the_labels(auditor_client: Client) -> None:
    for action in ("document_download", "person_view", "document_download"):
        audit_entry_create(actor=None, action=action)

    response = auditor_client.get(reverse(URL), {"action": "document_download"})

    assert {e.action for e in _rows(response)} == {"document_download"}
    assert response.context["page"].paginator.count == 2
    assertContains(
        response, '<option value="document_download" selected>Dokumen diunduh</option>', html=True
    )
    assertContains(
        response, '<option value="person_view">Halaman orang dilihat</option>', html=True
    )


def test_filter_by_user_and_by_system(
    auditor_client: Client, operator_dinsos, verifikator_dukcapil
) -> None:
    audit_entry_create(actor=operator_dinsos, action="person_view")
    audit_entry_create(actor=verifikator_dukcapil, action="person_view")
    audit_entry_create(actor=None, action="user_login_failed", detail={"username": "x"})

    mine = auditor_client.get(reverse(URL), {"user": "operator_dinsos"})
    system = auditor_client.get(reverse(URL), {"user": "-"})

    assert {e.actor_username for e in _rows(mine)} == {"operator_dinsos"}
    assert [e.action for e in _rows(system)] == ["user_login_failed"]
    assertContains(
        mine, '<option value="verifikator_dukcapil">verifikator_dukcapil</option>', html=True
    )


def test_filter_by_days_in_jakarta_time(auditor_client: Client) -> None:
    """23.30 WIB on 1 March is 16.30 UTC; 00.30 WIB on 2 March is still 1 March in UTC."""
    late = entries_create(at=datetime(2026, 3, 1, 23, 30, tzinfo=WIB), actions=["person_view"])
    after = entries_create(at=datetime(2026, 3, 2, 0, 30, tzinfo=WIB), actions=["kpj_view"])
    before = entries_create(at=datetime(2026, 2, 28, 23, 59, tzinfo=WIB), actions=["nik_view"])

    day = auditor_client.get(reverse(URL), {"dari": "2026-03-01", "sampai": "2026-03-01"})
    since = auditor_client.get(reverse(URL), {"dari": "2026-03-02"})
    until = auditor_client.get(reverse(URL), {"sampai": "2026-02-28"})

    assert _rows(day) == late
    assert after[0] in _rows(since) and late[0] not in _rows(since)
    assert _rows(until) == before


def test_a_range_that_ends_before_it_starts_is_refused_in_words(auditor_client: Client) -> None:
    response = auditor_client.get(reverse(URL), {"dari": "2026-03-02", "sampai": "2026-03-01"})

    assertContains(response, "Tanggal akhir tidak boleh sebelum tanggal awal.")


def test_pages_keep_the_filters(auditor_client: Client) -> None:
    entries_create(at=timezone.now() - timedelta(hours=1), count=59, actions=["person_view"])
    newest = AuditEntry.objects.filter(action="person_view").order_by("-id").first()

    first = auditor_client.get(reverse(URL), {"action": "person_view"})
    last = auditor_client.get(reverse(URL), {"action": "person_view", "page": 2})

    assert len(_rows(first)) == 50
    assert _rows(first)[0] == newest
    assert len(_rows(last)) == 9
    assertContains(first, "Halaman 1 dari 2")
    assertContains(first, 'href="?action=person_view&amp;page=2" rel="next"')
    assertContains(first, 'href="?action=person_view&amp;page=2" rel="last"')
    assertContains(last, 'href="?action=person_view&amp;page=1" rel="first"')
    assertContains(first, f'href="{reverse(EXPORT)}?action=person_view"')
    assertContains(first, '<input type="hidden" name="action" value="person_view">', html=True)


def test_a_page_of_a_hundred_entries_costs_a_fixed_number_of_queries(
    auditor_client: Client, operator_dinsos, django_assert_max_num_queries
) -> None:
    """Session, user, permissions, the two filter lists, the count, the page, and one query
    per kind of named target (two for users: their roles are their groups): never one per
    entry (actor, agency, target)."""
    year_target = operator_dinsos
    entries_create(
        at=timezone.now() - timedelta(hours=2),
        count=100,
        actor=operator_dinsos,
        actions=["user_login", "person_view", "dtsen_import_finish"],
        target=year_target,
        detail={"rows": 12},
    )
    with django_assert_max_num_queries(15):
        response = auditor_client.get(reverse(URL), {"page": 2})
    assert len(_rows(response)) == 50

    with CaptureQueriesContext(connection) as ctx:
        auditor_client.get(reverse(URL), {"user": "operator_dinsos", "dari": "2020-01-01"})
    assert len(ctx.captured_queries) <= 15


def _sheet_cells_are_text(content: bytes) -> bool:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    cells = re.findall(r"<c [^>]*>", xml)
    # constant_memory writes strings inline; a number or a formula would have no such type.
    return bool(cells) and all('t="inlineStr"' in c or 't="s"' in c for c in cells)


def test_export_the_filtered_entries_as_text_cells_with_a_guide_and_audit_it(
    auditor_client: Client, operator_dinsos, tmp_path
) -> None:
    audit_entry_create(
        actor=operator_dinsos,
        action="document_download",
        detail={"file_name": "=HYPERLINK(1)", "rows": 1200, "nik_masked": "3601********0001"},
    )
    audit_entry_create(actor=operator_dinsos, action="person_view")

    response = auditor_client.get(reverse(EXPORT), {"action": "document_download"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment;" in response["Content-Disposition"]
    assert _sheet_cells_are_text(response.content)
    path = tmp_path / "jejak.xlsx"
    path.write_bytes(response.content)
    with CalamineWorkbook.from_path(str(path)) as book:
        assert book.sheet_names == ["JEJAK AUDIT", "PETUNJUK"]
        rows = book.get_sheet_by_name("JEJAK AUDIT").to_python()
        guide = " ".join(str(r[0]) for r in book.get_sheet_by_name("PETUNJUK").to_python())
    header, *data = rows
    assert header[5:7] == ["Tindakan", "Kode tindakan"]
    assert len(data) == 1
    (row,) = data
    assert row[3:7] == ["operator_dinsos", "Dinas Sosial", "Dokumen diunduh", "document_download"]
    assert "Nama berkas: =HYPERLINK(1)" in row[9]  # not at a cell's start: no formula
    assert "Jumlah baris: 1.200" in row[9]
    assert "3601********0001" in row[9] and "3601********0001" in row[10]
    assert "tindakan Dokumen diunduh" in guide and "Jumlah entri: 1" in guide
    export = AuditEntry.objects.get(action="audit_export")
    assert export.actor.username == "auditor_inspektorat"
    assert export.detail == {"filters": {"action": "document_download"}, "rows": 1}


def test_export_neutralises_a_cell_that_would_start_a_formula(
    auditor_client: Client, django_user_model, tmp_path
) -> None:
    forger = django_user_model.objects.create_user(username="=SUM(1)", password="x")
    audit_entry_create(actor=forger, action="person_view")

    response = auditor_client.get(reverse(EXPORT), {"action": "person_view"})

    path = tmp_path / "jejak.xlsx"
    path.write_bytes(response.content)
    with CalamineWorkbook.from_path(str(path)) as book:
        (_header, row) = book.get_sheet_by_name("JEJAK AUDIT").to_python()
    assert row[3] == "'=SUM(1)"


def test_export_refuses_an_invalid_range_without_writing_a_file(auditor_client: Client) -> None:
    response = auditor_client.get(reverse(EXPORT), {"dari": "2026-03-02", "sampai": "2026-03-01"})

    assert response.status_code == 400
    assertContains(response, "Tanggal akhir tidak boleh sebelum tanggal awal.", status_code=400)
    assert not AuditEntry.objects.filter(action="audit_export").exists()
