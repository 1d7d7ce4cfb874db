"""Reconciliation with BPJS's invoice (Pasal 9 ayat (1)): every category end to end, the
invoice's row rules, decisions, closing and the berita acara read back.

What a treasurer relies on: each (KPJ, month) lands in exactly one category with both sides'
amounts, Payung's side net of corrections; nothing closes while a difference has no
decision; the berita acara states the figures and each decision, with KPJs masked.
"""

from __future__ import annotations

import io
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import docx
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from payung.audit.models import AuditEntry
from payung.contributions import reconciliation as recon
from payung.contributions.models import Reconciliation, ReconciliationImport, ReconciliationLine
from payung.contributions.tests import factories as f
from payung.core.models import JobStatus
from payung.documents.models import Document

pytestmark = pytest.mark.django_db

JAN = date(2026, 1, 1)
FEB = date(2026, 2, 1)
HEADERS = ["KPJ", "NIK", "NAMA", "BULAN", "IURAN_JKK", "IURAN_JKM"]
STRANGER = "26999999999"


@pytest.fixture
def world(bendahara_disnaker: Any) -> dict[str, Any]:
    """Four participants billed for January and February; the fourth ended in January, so
    the second bill takes February back with a correction line."""
    year, proposal = f.contribution_year()
    a, b, c, d = f.participants_add(proposal=proposal, periods=[(JAN, None)] * 4)
    f.bill_made(
        programme_year=year,
        issued_by=bendahara_disnaker,
        lines=f.monthly_lines([a, b, c, d], [JAN, FEB]),
    )
    f.bill_made(
        programme_year=year,
        issued_by=bendahara_disnaker,
        lines=f.monthly_lines([a, b, c], [date(2026, 3, 1)]),
        corrections=[(d, FEB, -f.JKK, -f.JKM)],
    )
    return {"year": year, "a": a, "b": b, "c": c, "d": d}


def _invoice(tmp_path: Path, w: dict[str, Any], name: str = "tagihan-bpjs.csv") -> Path:
    a, b, c, d = w["a"], w["b"], w["c"], w["d"]
    rows = [
        [a.kpj, a.nik, "Warga A", "2026-01", "10000", "6800"],  # cocok
        [a.kpj, a.nik, "Warga A", "2026-02", "10.000", "6.800"],  # cocok
        [b.kpj, b.nik, "Warga B", "2026-01", "10000", "6800"],  # cocok
        [b.kpj, b.nik, "Warga B", "2026-02", "13200", "6800"],  # selisih: 20.000 vs 16.800
        [c.kpj, c.nik, "Warga C", "2026-01", "10000", "6800"],  # cocok; Feb: hanya_payung
        [d.kpj, d.nik, "Warga D", "2026-01", "10000", "6800"],  # cocok
        [d.kpj, d.nik, "Warga D", "2026-02", "10000", "6800"],  # hanya_bpjs: ended, corrected
        [STRANGER, "", "Orang Lain", "2026-02", "10000", "6800"],  # hanya_bpjs, unknown KPJ
    ]
    return f.table_file(tmp_path / name, HEADERS, rows)


def _upload(w: dict[str, Any], path: Path, actor: Any, **kwargs: Any) -> ReconciliationImport:
    return f.invoice_compared(
        programme_year=w["year"], first_month=JAN, last_month=FEB, path=path, actor=actor, **kwargs
    )


def _create(w: dict[str, Any], path: Path, actor: Any, **kwargs: Any) -> Reconciliation:
    job = _upload(w, path, actor, **kwargs)
    assert job.status == JobStatus.DONE, job.errors or job.error_message
    assert job.reconciliation is not None
    return job.reconciliation


@pytest.fixture
def opened(world: dict[str, Any], tmp_path: Path, bendahara_disnaker: Any) -> Reconciliation:
    return _create(world, _invoice(tmp_path, world), bendahara_disnaker)


def _lines(rec: Reconciliation) -> dict[tuple[str, date], ReconciliationLine]:
    return {(line.kpj, line.month): line for line in rec.lines.all()}


def test_every_category_end_to_end(opened: Reconciliation, world: dict[str, Any]) -> None:
    a, b, c, d = world["a"], world["b"], world["c"], world["d"]
    lines = _lines(opened)
    expected = {
        (a.kpj, JAN): ("cocok", 16_800, 16_800, a),
        (a.kpj, FEB): ("cocok", 16_800, 16_800, a),
        (b.kpj, JAN): ("cocok", 16_800, 16_800, b),
        (b.kpj, FEB): ("selisih", 16_800, 20_000, b),
        (c.kpj, JAN): ("cocok", 16_800, 16_800, c),
        (c.kpj, FEB): ("hanya_payung", 16_800, 0, c),
        (d.kpj, JAN): ("cocok", 16_800, 16_800, d),
        # February was billed, then taken back by a correction: net nothing billed.
        (d.kpj, FEB): ("hanya_bpjs", 0, 16_800, d),
        (STRANGER, FEB): ("hanya_bpjs", 0, 16_800, None),
    }
    got = {
        key: (line.category, line.payung_amount, line.bpjs_amount, line.candidate)
        for key, line in lines.items()
    }
    assert got == expected
    assert opened.summary == {
        "cocok": {"count": 5, "payung": 84_000, "bpjs": 84_000},
        "selisih": {"count": 1, "payung": 16_800, "bpjs": 20_000},
        "hanya_bpjs": {"count": 2, "payung": 0, "bpjs": 33_600},
        "hanya_payung": {"count": 1, "payung": 16_800, "bpjs": 0},
    }
    figures = {fig.code: fig for fig in recon.reconciliation_figures(reconciliation=opened)}
    assert figures["hanya_bpjs"].undecided == 2 and figures["cocok"].undecided == 0
    entry = AuditEntry.objects.get(action="reconciliation_create")
    assert entry.detail["counts"] == {"cocok": 5, "selisih": 1, "hanya_bpjs": 2, "hanya_payung": 1}
    assert not any(line.kpj in str(entry.detail) for line in lines.values())


def test_an_invoice_with_bad_rows_is_refused_whole_without_repeating_cells(
    world: dict[str, Any], tmp_path: Path, bendahara_disnaker: Any
) -> None:
    a = world["a"]
    path = f.table_file(
        tmp_path / "tagihan.xlsx",
        HEADERS,
        [
            [a.kpj, a.nik, "Warga A", "2026-01", "10000", "6800"],
            ["KPJ-12x", "", "", "2026-01", "10000", "6800"],
            [a.kpj, "", "", "Januari", "10000", "6800"],
            [a.kpj, "", "", "2026-02", "10000,5", "6800"],
        ],
    )
    refused = _upload(world, path, bendahara_disnaker)
    assert refused.status == JobStatus.FAILED and refused.error_code == "refused"
    assert refused.errors == [
        "Baris 3, kolom KPJ: nomor KPJ harus angka (paling panjang 20).",
        "Baris 4, kolom BULAN: bulan harus ditulis TTTT-BB, misalnya 2026-01.",
        "Baris 5, kolom IURAN_JKK: iuran harus bilangan bulat rupiah.",
    ]
    assert refused.error_count == 3
    assert not Reconciliation.objects.exists()

    outside = f.table_file(
        tmp_path / "maret.csv", HEADERS, [[a.kpj, "", "", "2026-03", "10000", "6800"]]
    )
    refused = _upload(world, outside, bendahara_disnaker)
    assert refused.errors == [
        "Baris 2, kolom BULAN: bulan di luar periode rekonsiliasi "
        "(Januari 2026 sampai Februari 2026)."
    ]
    assert not Reconciliation.objects.exists()


def test_other_invoice_headers_are_read_through_the_mapping(
    world: dict[str, Any], tmp_path: Path, bendahara_disnaker: Any
) -> None:
    a = world["a"]
    path = f.table_file(
        tmp_path / "bpjs.csv",
        ["NO KPJ", "PERIODE", "JKK", "JKM"],
        [[a.kpj, "2026-01", "10000", "6800"]],
    )
    mapping = {"KPJ": "no kpj", "BULAN": "periode", "IURAN_JKK": "jkk", "IURAN_JKM": "jkm"}
    made = _create(world, path, bendahara_disnaker, mapping=mapping)
    assert made.summary["cocok"]["count"] == 1


def test_decisions_in_bulk_per_category_and_one_by_one(
    opened: Reconciliation, world: dict[str, Any], bendahara_disnaker: Any
) -> None:
    standard = recon.STANDARD_DECISIONS[0]
    n = recon.reconciliation_decide(
        reconciliation=opened, decision=standard, category="hanya_bpjs", actor=bendahara_disnaker
    )
    assert n == 2
    lines = _lines(opened)
    own = "Peserta meninggal 20 Januari; BPJS diminta mengoreksi"
    recon.reconciliation_decide(
        reconciliation=opened,
        decision=own,
        line_ids=[lines[(world["d"].kpj, FEB)].pk],
        actor=bendahara_disnaker,
    )
    # A bulk decision fills only what is still undecided: the one-by-one decision stays.
    with pytest.raises(ValidationError, match="Tidak ada baris selisih"):
        recon.reconciliation_decide(
            reconciliation=opened,
            decision=standard,
            category="hanya_bpjs",
            actor=bendahara_disnaker,
        )
    lines = _lines(opened)
    assert lines[(world["d"].kpj, FEB)].decision == own
    assert lines[(STRANGER, FEB)].decision == standard
    assert lines[(world["a"].kpj, JAN)].decision == ""  # cocok needs none
    assert lines[(world["a"].kpj, JAN)].decided_by is None
    decided = [
        e.detail["decision"] for e in AuditEntry.objects.filter(action="reconciliation_decide")
    ]
    assert decided == [standard, "teks sendiri"]  # own words may name someone: not in the trail


def test_a_decision_is_a_standard_text_or_ten_characters_of_ones_own() -> None:
    assert recon.decision_clean(choice=recon.STANDARD_DECISIONS[1]) == (
        "Peserta pengganti belum tercatat di BPJS"
    )
    assert recon.decision_clean(text="  Sudah   dikoreksi BPJS ") == "Sudah dikoreksi BPJS"
    with pytest.raises(ValidationError, match="paling sedikit 10 karakter"):
        recon.decision_clean(text="ok")
    with pytest.raises(ValidationError, match="Pilih keputusan baku"):
        recon.decision_clean(choice="bukan pilihan")


def test_closing_is_refused_while_a_difference_has_no_decision(
    opened: Reconciliation, bendahara_disnaker: Any, auditor_inspektorat: Any
) -> None:
    with pytest.raises(PermissionDenied):
        recon.reconciliation_close(reconciliation=opened, actor=auditor_inspektorat)
    for category in ("selisih", "hanya_bpjs"):
        recon.reconciliation_decide(
            reconciliation=opened,
            decision=recon.STANDARD_DECISIONS[2],
            category=category,
            actor=bendahara_disnaker,
        )
    with pytest.raises(ValidationError, match="Masih ada 1 selisih tanpa keputusan"):
        recon.reconciliation_close(reconciliation=opened, actor=bendahara_disnaker)
    opened.refresh_from_db()
    assert opened.status == Reconciliation.Status.OPEN


def _close(rec: Reconciliation, actor: Any, capture: Any) -> Reconciliation:
    for category in recon.DIFFERENCES:
        recon.reconciliation_decide(
            reconciliation=rec,
            decision=recon.STANDARD_DECISIONS[0],
            category=category,
            actor=actor,
        )
    with capture(execute=True):
        return recon.reconciliation_close(reconciliation=rec, actor=actor)


def test_closed_reconciliation_takes_no_more_decisions_and_its_berita_acara_reads_back(
    opened: Reconciliation,
    world: dict[str, Any],
    bendahara_disnaker: Any,
    django_capture_on_commit_callbacks: Any,
    tmp_path: Path,
) -> None:
    closed = _close(opened, bendahara_disnaker, django_capture_on_commit_callbacks)
    assert closed.status == Reconciliation.Status.CLOSED
    with pytest.raises(ValidationError, match="sudah ditutup"):
        recon.reconciliation_decide(
            reconciliation=closed,
            decision=recon.STANDARD_DECISIONS[0],
            category="selisih",
            actor=bendahara_disnaker,
        )
    documents = {d.format: d for d in recon.reconciliation_documents(reconciliation=closed)}
    assert set(documents) == {"docx", "pdf"}
    assert {d.status for d in documents.values()} == {JobStatus.DONE}

    word = docx.Document(io.BytesIO(Path(documents["docx"].stored_path).read_bytes()))
    cells = [cell.text for table in word.tables for row in table.rows for cell in row.cells]
    docx_text = "\n".join([p.text for p in word.paragraphs] + cells)
    pdf = tmp_path / "ba.pdf"
    pdf.write_bytes(Path(documents["pdf"].stored_path).read_bytes())
    pdf_text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    for text in (docx_text, " ".join(pdf_text.split())):
        assert "REKONSILIASI IURAN" in text
        assert "PERIODE JANUARI 2026 – FEBRUARI 2026" in text
        assert "Rp84.000" in text and "Rp20.000" in text and "Rp33.600" in text
        # 84.000 + 16.800 + 16.800 billed by Payung; 84.000 + 20.000 + 33.600 by BPJS.
        assert "seratus tujuh belas ribu enam ratus rupiah" in text
        assert "seratus tiga puluh tujuh ribu enam ratus rupiah" in text
        assert "BPJS belum memproses pemberhentian: ajukan koreksi" in text
        assert "2699***9999" in text  # the stranger's KPJ, masked
        for line in closed.lines.all():
            assert line.kpj not in text  # never a full KPJ
        assert "DRAF" not in text


def test_the_berita_acara_download_is_audited(
    opened: Reconciliation,
    bendahara_disnaker: Any,
    auditor_inspektorat: Any,
    client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    closed = _close(opened, bendahara_disnaker, django_capture_on_commit_callbacks)
    pdf = Document.objects.get(subject=f"contributions.reconciliation:{closed.pk}", format="pdf")
    client.force_login(auditor_inspektorat)
    detail = client.get(reverse("contributions:reconciliation_detail", args=[closed.pk]))
    url = reverse("contributions:reconciliation_document", args=[closed.pk, pdf.pk])
    assert url in detail.content.decode()
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    entry = AuditEntry.objects.filter(action="document_download").get()
    assert entry.actor == auditor_inspektorat
    assert entry.detail["kind"] == recon.DOCUMENT_KIND


def test_the_pages_take_an_invoice_decide_and_close(
    world: dict[str, Any],
    tmp_path: Path,
    bendahara_disnaker: Any,
    client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client.force_login(bendahara_disnaker)
    path = _invoice(tmp_path, world)
    # The upload queues the job; the (immediate) task queue runs it once the request commits,
    # and the upload's page then leads to the reconciliation.
    with path.open("rb") as handle, django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("contributions:reconciliation_create", args=[world["year"].pk]),
            {"first_month": "2026-01", "last_month": "2026-02", "file": handle},
        )
    response = client.get(response["Location"], follow=True)
    page = response.content.decode()
    assert "Selisih jumlah" in page and "Rp20.000" in page
    assert "Januari 2026 – Februari 2026" in page  # months in Indonesian, as people say them
    rec = Reconciliation.objects.get()
    for category in recon.DIFFERENCES:
        client.post(
            reverse("contributions:reconciliation_decide", args=[rec.pk]),
            {"category": category, "choice": recon.STANDARD_DECISIONS[1]},
        )
    response = client.post(
        reverse("contributions:reconciliation_close", args=[rec.pk]), follow=True
    )
    assert "Rekonsiliasi ditutup" in response.content.decode()
    rec.refresh_from_db()
    assert rec.status == Reconciliation.Status.CLOSED


def test_reconciliation_pages_do_not_grow_queries_with_lines(
    bendahara_disnaker: Any,
    client: Client,
    tmp_path: Path,
    django_assert_max_num_queries: Any,
) -> None:
    year, proposal = f.contribution_year()
    people = f.participants_add(proposal=proposal, periods=[(JAN, None)] * 60)
    f.bill_made(
        programme_year=year, issued_by=bendahara_disnaker, lines=f.monthly_lines(people, [JAN])
    )
    rows = [[p.kpj, "", "", "2026-01", "12000", "6800"] for p in people]  # all selisih
    path = f.table_file(tmp_path / "besar.csv", HEADERS, rows)
    made = f.invoice_compared(
        programme_year=year, first_month=JAN, last_month=JAN, path=path, actor=bendahara_disnaker
    ).reconciliation
    recon.reconciliation_decide(
        reconciliation=made,
        decision=recon.STANDARD_DECISIONS[2],
        line_ids=list(made.lines.values_list("pk", flat=True)[:30]),
        actor=bendahara_disnaker,
    )
    client.force_login(bendahara_disnaker)
    url = reverse("contributions:reconciliation_detail", args=[made.pk])
    # Session, user, permissions, groups, agency, the reconciliation, figures, the page's
    # count and lines, documents: the same for 60 lines as for 60 000.
    with django_assert_max_num_queries(15):
        first = client.get(url + "?kategori=selisih")
    with django_assert_max_num_queries(15):
        second = client.get(url + "?kategori=selisih&page=2")
    page1, page2 = first.content.decode(), second.content.decode()
    assert "Halaman 1 dari 2" in page1 and "Halaman 2 dari 2" in page2
    assert page1.count("Belum diputuskan") + page2.count("Belum diputuskan") == 30
    for p in people:
        assert p.kpj not in page1 + page2  # masked on the page
    # ... and the list: the reconciliations with their undecided counts, the unfinished uploads.
    with django_assert_max_num_queries(13):
        listing = client.get(reverse("contributions:reconciliation_list", args=[year.pk]))
    assert listing.status_code == 200
