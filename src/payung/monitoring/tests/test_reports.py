"""The team's reports (issue 14, Pasal 12 ayat (3), Pasal 10 ayat (2) huruf e-f).

The semester report is built from the monitoring figures of a small year (M's
``monitoring_year``) and read back: the PDF with pdftotext (totals, kecamatan names, the
recommendations) and pdftoppm (pages kept as PNG in /tmp/h7/shots/ for a person to look at),
the DOCX with python-docx. Versions are kept, downloads audited, the signed copy uploaded.
"""

from __future__ import annotations

import io
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from payung.audit.models import AuditEntry
from payung.core.formatting import angka
from payung.core.models import JobStatus
from payung.documents.models import Document
from payung.documents.services import document_generate
from payung.domain.money import rupiah
from payung.monitoring import documents as report_documents
from payung.monitoring import selectors as figures
from payung.monitoring import services
from payung.monitoring.models import SemesterReport
from payung.monitoring.report_selectors import monitoring_tasks, semester_report_step
from payung.monitoring.tests.factories import monitoring_year

pytestmark = pytest.mark.django_db

SHOTS = Path("/tmp/h7/shots")
RECOMMENDATIONS = (
    "Dinas Tenaga Kerja dan Transmigrasi menambah 250 peserta dari daftar tunggu di "
    "Kecamatan Cimanggu.\n\nBPKD membayar tagihan iuran paling lambat tanggal 15 setiap bulan."
)


def _pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "laporan.pdf"
    path.write_bytes(data)
    out = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    )
    return out.stdout


def _generate(document: Document) -> Document:
    """Run the builder in this process as the worker would, and return the stored row."""
    done = document_generate(document=document)
    assert done.status == JobStatus.DONE, done.error_message
    return done


@pytest.fixture
def year() -> Any:
    return monitoring_year().year


def _report(year: Any, user: Any, text: str = RECOMMENDATIONS, half: int = 1) -> SemesterReport:
    return services.semester_report_create(
        programme_year=year, half=half, recommendations=text, actor=user
    )


def test_the_report_pdf_reads_back_with_the_figures_and_recommendations(
    year: Any,
    anggota_tim: Any,
    tmp_path: Path,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.DATA_DIR = tmp_path
    report = _report(year, anggota_tim)
    pdf = _generate(report.pdf_document)
    data = Path(pdf.stored_path).read_bytes()
    text = " ".join(_pdf_text(data, tmp_path).split())
    start, end = figures.half_year(year=2026, half=1)
    made = timezone.localdate(report.created_at)
    cov = figures.coverage_figures(programme_year=year, start=start, end=end, today=made)
    money = figures.money_figures(programme_year=year, start=start, end=end, today=made)
    ben = figures.benefit_figures(programme_year=year, start=start, end=end)
    assert "LAPORAN SEMESTER I TAHUN 2026" in text
    assert "1 Januari 2026 sampai dengan 30 Juni 2026" in text
    assert cov.by_kecamatan, "the fixture has participants in two kecamatan"
    for row in cov.by_kecamatan:
        assert row.label in text
    assert f"Jumlah {angka(cov.active)}" in text
    assert f"Peserta yang ditetapkan Keputusan Bupati {angka(cov.decreed)}" in text
    assert rupiah(money.total.paid) in text and rupiah(money.total.billed) in text
    assert f"{angka(ben.claims)} klaim sebesar {rupiah(ben.claims_amount)}" in text
    assert "menambah 250 peserta dari daftar tunggu di Kecamatan Cimanggu" in text
    assert "BPKD membayar tagihan iuran paling lambat tanggal 15" in text
    assert "Gambar 1." in text  # the charts, drawn as SVG
    # The pages, as images, for a person to look at.
    SHOTS.mkdir(parents=True, exist_ok=True)
    pdf_path = tmp_path / "laporan.pdf"
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", str(pdf_path), str(SHOTS / "R-laporan-semester")],
        check=True,
    )
    assert list(SHOTS.glob("R-laporan-semester-*.png"))


def test_the_report_docx_reads_back_and_is_editable_word(
    year: Any, anggota_tim: Any, tmp_path: Path, settings: Any
) -> None:
    from docx import Document as Word

    settings.DATA_DIR = tmp_path
    report = _report(year, anggota_tim)
    docx = _generate(report.docx_document)
    word = Word(io.BytesIO(Path(docx.stored_path).read_bytes()))
    paragraphs = "\n".join(p.text for p in word.paragraphs)
    cells = "\n".join(c.text for t in word.tables for r in t.rows for c in r.cells)
    assert "LAPORAN SEMESTER I TAHUN 2026" in paragraphs
    assert "1.\tDinas Tenaga Kerja dan Transmigrasi menambah 250 peserta" in paragraphs
    assert "2.\tBPKD membayar" in paragraphs
    cov = figures.coverage_figures(
        programme_year=year,
        start=date(2026, 1, 1),
        end=date(2026, 6, 30),
        today=timezone.localdate(report.created_at),
    )
    for row in cov.by_kecamatan:
        assert row.label in cells
    assert "{{" not in paragraphs + cells and "{%" not in paragraphs + cells


def test_a_new_text_makes_a_new_version_and_keeps_the_old(year: Any, anggota_tim: Any) -> None:
    first = _report(year, anggota_tim, "Rekomendasi pertama.")
    second = _report(year, anggota_tim, "Rekomendasi kedua.")
    other_half = _report(year, anggota_tim, "Semester dua.", half=2)
    assert (first.version, second.version, other_half.version) == (1, 2, 1)
    first.refresh_from_db()
    assert first.recommendations == "Rekomendasi pertama."
    assert first.pdf_document_id != second.pdf_document_id
    assert SemesterReport.objects.filter(programme_year=year, half=1).count() == 2
    assert AuditEntry.objects.filter(action="semester_report_create").count() == 3


def test_writing_needs_the_team_and_a_text(
    year: Any, anggota_tim: Any, auditor_inspektorat: Any
) -> None:
    with pytest.raises(PermissionDenied):
        _report(year, auditor_inspektorat)
    with pytest.raises(ValidationError) as refused:
        _report(year, anggota_tim, "   \n  ")
    assert "Tuliskan rekomendasi" in refused.value.messages[0]
    assert not SemesterReport.objects.exists()


def _pdf_bytes() -> bytes:
    from pypdf import PdfWriter

    out = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.write(out)
    return out.getvalue()


def test_the_signed_copy_is_kept_with_its_hash_and_its_download_audited(
    year: Any, anggota_tim: Any, auditor_inspektorat: Any, tmp_path: Path, settings: Any
) -> None:
    import hashlib

    settings.DATA_DIR = tmp_path
    report = _report(year, anggota_tim)
    content = _pdf_bytes()
    with pytest.raises(ValidationError):
        services.semester_report_signed_upload(
            report=report, scan=SimpleUploadedFile("x.pdf", b"not a pdf"), actor=anggota_tim
        )
    with pytest.raises(PermissionDenied):
        services.semester_report_signed_upload(
            report=report, scan=SimpleUploadedFile("x.pdf", content), actor=auditor_inspektorat
        )
    signed = services.semester_report_signed_upload(
        report=report, scan=SimpleUploadedFile("ttd.pdf", content), actor=anggota_tim
    )
    assert signed.signed_sha256 == hashlib.sha256(content).hexdigest()
    assert Path(signed.signed_path).read_bytes() == content
    path = services.semester_report_signed_open(report=signed, actor=auditor_inspektorat)
    assert path.read_bytes() == content
    entry = AuditEntry.objects.filter(action="semester_report_signed_download").get()
    assert (
        entry.actor_id == auditor_inspektorat.pk
        and entry.detail["scan_sha256"] == signed.signed_sha256
    )


def test_pages_list_write_download_and_upload(
    client: Any,
    year: Any,
    anggota_tim: Any,
    auditor_inspektorat: Any,
    tmp_path: Path,
    settings: Any,
    django_assert_max_num_queries: Any,
) -> None:
    settings.DATA_DIR = tmp_path
    client.force_login(anggota_tim)
    url = reverse("monitoring:report_half", kwargs={"year_pk": year.pk, "half": 1})
    response = client.post(url, {"recommendations": RECOMMENDATIONS})
    assert response.status_code == 302
    report = SemesterReport.objects.get()
    _generate(report.pdf_document)
    _generate(report.docx_document)
    page = client.get(url).content.decode()
    assert "Versi laporan" in page and "Simpan sebagai versi baru" in page
    assert reverse("monitoring:report_document", args=[report.pdf_document_id]) in page
    client.post(
        reverse("monitoring:report_upload_signed", args=[report.pk]),
        {"scan": SimpleUploadedFile("ttd.pdf", _pdf_bytes(), content_type="application/pdf")},
    )
    report.refresh_from_db()
    assert report.signed_sha256
    # The auditor reads: the year's list, a download (audited), no form to write.
    client.force_login(auditor_inspektorat)
    with django_assert_max_num_queries(13):  # fixed: one query per list
        listing = client.get(reverse("monitoring:report_year", args=[year.pk]))
    assert listing.status_code == 200
    body = listing.content.decode()
    assert "Semester I (Januari-Juni) 2026" in body and "Buat rekap bulanan" not in body
    assert "Simpan sebagai versi baru" not in client.get(url).content.decode()
    download = client.get(reverse("monitoring:report_document", args=[report.pdf_document_id]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    entry = AuditEntry.objects.filter(action="document_download").latest("pk")
    assert entry.actor_id == auditor_inspektorat.pk and entry.detail["kind"] == services.REPORT_KIND
    # A document of another stage is not served through the monitoring door.
    other = Document.objects.create(
        programme_year=year,
        subject="x:1",
        kind="berita-acara",
        title="t",
        format="pdf",
        builder="x",
        file_name="x.pdf",
        created_by=anggota_tim,
    )
    assert client.get(reverse("monitoring:report_document", args=[other.pk])).status_code == 404


def test_minutes_and_monthly_recap(
    year: Any, anggota_tim: Any, tmp_path: Path, settings: Any
) -> None:
    from docx import Document as Word
    from python_calamine import CalamineWorkbook

    settings.DATA_DIR = tmp_path
    minutes = services.monitoring_minutes_create(
        programme_year=year,
        held_on=date(2026, 4, 7),
        place="Aula Bapperida",
        findings="Dua klaim atas peserta yang telah berakhir.",
        decisions="BPJS diminta mencocokkan ulang berkas klaim.",
        actor=anggota_tim,
    )
    text = " ".join(
        _pdf_text(Path(_generate(minutes.pdf_document).stored_path).read_bytes(), tmp_path).split()
    )
    assert "NOTULEN RAPAT MONITORING DAN EVALUASI" in text
    assert "Selasa, 7 April 2026" in text and "Aula Bapperida" in text
    assert "Dua klaim atas peserta yang telah berakhir." in text
    word = Word(Path(_generate(minutes.docx_document).stored_path))
    assert "1.\tBPJS diminta mencocokkan ulang berkas klaim." in "\n".join(
        p.text for p in word.paragraphs
    )
    recap = services.monthly_recap_create(programme_year=year, month=3, actor=anggota_tim)
    workbook = CalamineWorkbook.from_path(str(_generate(recap.xlsx_document).stored_path))
    assert workbook.sheet_names == ["REKAP", "KECAMATAN", "SUMBER DANA", "PETUNJUK"]
    cov = figures.coverage_figures(
        programme_year=year,
        start=date(2026, 3, 1),
        end=date(2026, 3, 31),
        today=timezone.localdate(recap.created_at),
    )
    kec = {r[0]: int(r[1]) for r in workbook.get_sheet_by_name("KECAMATAN").to_python()[1:]}
    assert kec["Jumlah"] == cov.active
    for row in cov.by_kecamatan:
        assert kec[row.label] == row.count
    recap_text = _pdf_text(Path(_generate(recap.pdf_document).stored_path).read_bytes(), tmp_path)
    assert "MARET 2026" in recap_text
    # Both documents' pages as images, for a person to look at.
    SHOTS.mkdir(parents=True, exist_ok=True)
    for name, doc in (("notulen", minutes.pdf_document), ("rekap", recap.pdf_document)):
        doc.refresh_from_db()
        subprocess.run(
            ["pdftoppm", "-r", "60", "-png", doc.stored_path, str(SHOTS / f"R-{name}")],
            check=True,
        )


def test_the_workspace_step_and_the_task_line(
    year: Any, anggota_tim: Any, auditor_inspektorat: Any
) -> None:
    july = date(2026, 7, 2)
    step = semester_report_step(programme_year=year, today=july)
    assert step.due and not step.done and step.half == 1
    tasks = monitoring_tasks(user=anggota_tim, programme_year=year, today=july)
    assert len(tasks) == 1 and "Semester I" in tasks[0].text
    assert monitoring_tasks(user=auditor_inspektorat, programme_year=year, today=july) == []
    assert monitoring_tasks(user=anggota_tim, programme_year=year, today=date(2026, 6, 30)) == []
    _report(year, anggota_tim)
    assert semester_report_step(programme_year=year, today=july).done
    assert monitoring_tasks(user=anggota_tim, programme_year=year, today=july) == []


def test_the_shipped_word_templates_are_what_the_build_script_makes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``laporan-semester.docx`` and ``notulen-monev.docx`` are generated (reviewable as
    code): a script edit without a rebuild fails here."""
    import importlib.util
    import sys

    from payung.documents.render import SHIPPED_DIR

    path = Path(__file__).resolve().parents[4] / "scripts" / "build_doc_templates.py"
    spec = importlib.util.spec_from_file_location("build_doc_templates", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)
    spec.loader.exec_module(module)
    for name in ("laporan-semester", "notulen-monev"):
        assert module.build(name) == (SHIPPED_DIR / f"{name}.docx").read_bytes(), name


def test_recommendations_become_numbered_paragraphs() -> None:
    text = "Satu\nbaris dua.\r\n\r\n\n  Butir kedua.  \n\n"
    assert report_documents.paragraphs(text) == ["Satu baris dua.", "Butir kedua."]


def test_the_figures_are_kept_on_the_version_so_pdf_and_docx_agree(
    year: Any, anggota_tim: Any, tmp_path: Path, settings: Any
) -> None:
    from docx import Document as Word

    settings.DATA_DIR = tmp_path
    report = _report(year, anggota_tim)
    _generate(report.pdf_document)
    report.refresh_from_db()
    made = timezone.localdate(report.created_at)
    cov = figures.coverage_figures(
        programme_year=year, start=date(2026, 1, 1), end=date(2026, 6, 30), today=made
    )
    assert report.figures["coverage"]["active"] == cov.active
    # The DOCX is built from what was kept, not from a recount.
    kept = report.figures
    kept["coverage"]["decreed"] = 12345
    SemesterReport.objects.filter(pk=report.pk).update(figures=kept)
    word = Word(Path(_generate(report.docx_document).stored_path))
    cells = "\n".join(c.text for t in word.tables for r in t.rows for c in r.cells)
    assert "12.345" in cells


def test_no_task_for_a_year_nobody_was_covered_in(anggota_tim: Any) -> None:
    from payung.programmes.tests.factories import ProgrammeYearFactory

    empty = ProgrammeYearFactory(year=2026)
    assert monitoring_tasks(user=anggota_tim, programme_year=empty, today=date(2026, 7, 2)) == []


def test_a_half_year_is_due_only_once_someone_was_covered_in_it(
    anggota_tim: Any, django_assert_num_queries: Any
) -> None:
    """Pasal 12 ayat (3): a half-year nobody was covered in has nothing to report; the first
    cover's start decides, whichever candidate of the year it belongs to."""
    from payung.participants.tests.factories import (
        CandidateFactory,
        CoveragePeriodFactory,
        ProposalFactory,
    )
    from payung.programmes.tests.factories import ProgrammeYearFactory

    year = ProgrammeYearFactory(year=2026)
    other = ProgrammeYearFactory(year=2025)
    proposal = ProposalFactory(programme_year=year)
    # Another year's early cover does not count for this one.
    CoveragePeriodFactory(
        candidate=CandidateFactory(proposal=ProposalFactory(programme_year=other)),
        start=date(2025, 3, 1),
    )
    CoveragePeriodFactory(candidate=CandidateFactory(proposal=proposal), start=date(2026, 9, 1))
    CoveragePeriodFactory(candidate=CandidateFactory(proposal=proposal), start=date(2026, 8, 1))
    january = date(2027, 1, 5)
    anggota_tim.has_perm("monitoring.view_semesterreport")  # the permissions, cached
    with django_assert_num_queries(2):  # the year's reports, then one EXISTS per half
        tasks = monitoring_tasks(user=anggota_tim, programme_year=year, today=january)
    assert [t.count for t in tasks] == [1]
    assert "Semester II (" in tasks[0].text and "Semester I (" not in tasks[0].text
    assert tasks[0].url == reverse("monitoring:report_half", kwargs={"year_pk": year.pk, "half": 2})
    CoveragePeriodFactory(candidate=CandidateFactory(proposal=proposal), start=date(2026, 6, 30))
    tasks = monitoring_tasks(user=anggota_tim, programme_year=year, today=january)
    assert [t.count for t in tasks] == [2]
    assert "Semester I (" in tasks[0].text and "Semester II (" in tasks[0].text
