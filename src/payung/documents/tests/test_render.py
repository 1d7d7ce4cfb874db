"""Choosing and filling templates without converting them: overrides, errors, escaping,
determinism, the offline URL fetcher, the filters, and the shipped files being up to date.

The text of the rendered documents as a reader sees it is checked through LibreOffice and
pdftotext in ``test_docx_documents`` and ``test_pdf_documents``.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import io
import sys
from datetime import date
from pathlib import Path
from typing import Any

import docx
import pytest
from django.conf import LazySettings

from payung.core.formatting import angka, judul, tanggal, terbilang
from payung.documents import render
from payung.documents.render import (
    DocumentTemplateError,
    UnknownTemplateError,
    docx_render,
    docx_template_path,
    pdf_html,
    pdf_render,
)
from payung.documents.tests import factories

ROOT = Path(__file__).resolve().parents[4]
SHIPPED = [
    "berita-acara",
    "berita-acara-rekonsiliasi",
    "catatan-teguran-bpjs",
    "jawaban-sanggahan",
    "keputusan-daftar-nama",
    "keputusan-perubahan-peserta",
    "keputusan-peserta",
    "keputusan-tim",
    "laporan-semester",
    "notulen-monev",
    "permohonan-iuran",
    "sop",
    "surat-pencabutan-penghentian",
    "surat-penghentian-layanan",
]


def docx_text(data: bytes) -> str:
    """Body paragraphs and table cells of a DOCX, in order, one per line."""
    document = docx.Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines += [cell.text for cell in row.cells]
    return "\n".join(lines)


def write_template(path: Path, *lines: str) -> None:
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(path)


@pytest.fixture
def data_dir(settings: Any, tmp_path: Path) -> Path:
    settings.DATA_DIR = tmp_path
    return tmp_path


def test_shipped_templates_are_found(data_dir: Path) -> None:
    assert render.shipped_templates() == SHIPPED
    for name in SHIPPED:
        assert docx_template_path(name) == render.SHIPPED_DIR / f"{name}.docx"


def test_regency_template_wins_over_the_shipped_one(data_dir: Path) -> None:
    own = data_dir / "templat" / "keputusan-peserta.docx"
    write_template(own, "Templat daerah untuk {{ region_name }}", "Nomor {{ number or '-' }}")

    assert docx_template_path("keputusan-peserta") == own
    text = docx_text(docx_render("keputusan-peserta", factories.decree_context()))
    assert "Templat daerah untuk Kabupaten Pandeglang" in text
    assert "Nomor -" in text
    # The other templates still come from Payung.
    assert docx_template_path("berita-acara") == render.SHIPPED_DIR / "berita-acara.docx"


def test_a_template_only_the_regency_has_is_allowed(data_dir: Path) -> None:
    """A policy file may name a decree template Payung does not ship."""
    write_template(data_dir / "templat" / "keputusan-khusus.docx", "{{ title }}")
    assert docx_template_path("keputusan-khusus").parent == data_dir / "templat"


@pytest.mark.parametrize("name", ["keputusan-tidak-ada", "../../etc/passwd", "Berita-Acara", ""])
def test_unknown_template_is_a_clear_indonesian_error(data_dir: Path, name: str) -> None:
    with pytest.raises(UnknownTemplateError) as caught:
        docx_template_path(name)
    message = str(caught.value)
    assert "tidak ditemukan" in message
    assert str(data_dir / "templat") in message
    assert "berita-acara, berita-acara-rekonsiliasi, catatan-teguran-bpjs, jawaban" in message
    assert isinstance(caught.value, LookupError)


def test_without_django_the_environment_names_the_data_dir(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(render, "settings", LazySettings())  # not configured
    monkeypatch.setenv("PAYUNG_DATA_DIR", str(tmp_path))
    assert render.override_dir() == tmp_path / "templat"
    monkeypatch.delenv("PAYUNG_DATA_DIR")
    assert render.override_dir() is None
    assert docx_template_path("berita-acara").parent == render.SHIPPED_DIR


def test_a_mistyped_field_stops_the_document(data_dir: Path) -> None:
    """A blank where a decree number should be is worse than no document."""
    write_template(data_dir / "templat" / "keputusan-tim.docx", "NOMOR {{ nomer }}")
    with pytest.raises(DocumentTemplateError, match="keputusan-tim") as caught:
        docx_render("keputusan-tim", factories.decree_context("tim"))
    assert "nomer" in str(caught.value)


def test_the_sandbox_refuses_python_internals(data_dir: Path) -> None:
    """A template edited outside code review cannot reach Python's internals."""
    write_template(
        data_dir / "templat" / "keputusan-tim.docx",
        "{{ title.__class__.__mro__[1].__subclasses__() }}",
    )
    with pytest.raises(DocumentTemplateError, match="unsafe"):
        docx_render("keputusan-tim", factories.decree_context("tim"))


def test_names_with_xml_characters_are_escaped(data_dir: Path) -> None:
    context = factories.decree_context(count=2)
    odd = dataclasses.replace(context.annex[0], nama='Siti & <Ani> "Nur"')
    context = dataclasses.replace(context, annex=[odd, *context.annex[1:]])
    text = docx_text(docx_render("keputusan-peserta", context))
    assert 'Siti & <Ani> "Nur"' in text


def test_same_context_same_bytes(data_dir: Path) -> None:
    """Stored documents are hashed: a rerun must give the same SHA-256."""
    context = factories.berita_acara_context(count=5)
    assert docx_render("berita-acara", context) == docx_render("berita-acara", context)
    small = factories.decree_context(count=3)
    assert pdf_render("lampiran-peserta", small) == pdf_render("lampiran-peserta", small)


def test_context_must_be_a_dataclass() -> None:
    with pytest.raises(TypeError):
        render.context_dict({"region_name": "x"})  # type: ignore[arg-type]


def test_unknown_pdf_template() -> None:
    context = factories.decree_context(count=1)
    for name in ("keputusan-tidak-ada", "../settings"):
        with pytest.raises(UnknownTemplateError, match="tidak ditemukan"):
            pdf_html(name, context)


def test_pdf_never_fetches_from_the_network() -> None:
    fetcher = render._offline_fetcher()
    for url in ("http://example.com/logo.png", "https://example.com/a.css", "file:///etc/hosts"):
        with pytest.raises(ValueError, match="disallowed"):
            fetcher(url)
    assert fetcher("data:text/plain,ok").read() == b"ok"


def test_a_template_pointing_at_the_web_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    from weasyprint.urls import FatalURLFetchingError

    html = '<img src="http://192.0.2.1/logo.png"><p>x</p>'
    monkeypatch.setattr(render, "pdf_html", lambda *_a, **_k: html)
    with pytest.raises(FatalURLFetchingError):  # a letter still printed by WeasyPrint
        pdf_render("lampiran-perubahan-peserta", factories.decree_context(count=1))


@pytest.mark.parametrize(
    ("value", "expected"), [(0, "0"), (30, "30"), (5000, "5.000"), (1_234_567, "1.234.567")]
)
def test_angka(value: int, expected: str) -> None:
    assert angka(value) == expected


def test_terbilang_tanggal_judul() -> None:
    assert terbilang(12) == "dua belas"
    assert terbilang(5000) == "lima ribu"
    assert tanggal(date(2026, 12, 2)) == "2 Desember 2026"
    assert tanggal(None) == ""
    assert (
        judul("PENETAPAN PESERTA JAMINAN SOSIAL KETENAGAKERJAAN BAGI PEKERJA RENTAN TAHUN 2026")
        == "Penetapan Peserta Jaminan Sosial Ketenagakerjaan bagi Pekerja Rentan Tahun 2026"
    )
    assert judul("KEPALA DINAS TENAGA KERJA DAN TRANSMIGRASI") == (
        "Kepala Dinas Tenaga Kerja dan Transmigrasi"
    )


def test_shipped_templates_match_the_build_script(monkeypatch: pytest.MonkeyPatch) -> None:
    """The committed .docx files are what scripts/build_doc_templates.py makes: an edit to
    the script without a rebuild (or a hand edit of a shipped file) fails here."""
    path = ROOT / "scripts" / "build_doc_templates.py"
    spec = importlib.util.spec_from_file_location("build_doc_templates", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)
    spec.loader.exec_module(module)
    for name in SHIPPED:
        assert module.build(name) == (render.SHIPPED_DIR / f"{name}.docx").read_bytes(), (
            f"{name}.docx is out of date: run scripts/build_doc_templates.py"
        )
