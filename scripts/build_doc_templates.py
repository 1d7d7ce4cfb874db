"""Regenerate the Word templates shipped in ``src/payung/documents/docx/``.

The templates are docxtpl files (Jinja tags inside a .docx). Writing them by hand in Word
would leave a binary nobody can review; building them here with python-docx keeps every
sentence of a berita acara or decree readable in a diff, and the output is reproducible
(fixed document properties, fixed zip timestamps), so a rebuild with no change to this file
changes no byte. The legal division may still open the generated files in Word and edit
them; such edits belong in a regency's override folder (docs/documents.md), or back in this
script if they should ship.

Field names come from ``payung.documents.contexts``; filters (``angka``, ``terbilang``,
``tanggal``, ``judul``) from ``payung.documents.formatting``.

Usage: ``python scripts/build_doc_templates.py [--check]`` (``--check`` exits 1 when a
shipped file differs from what this script builds).
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph

from payung.documents.render import docx_freeze

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "src" / "payung" / "documents" / "docx"

FONT = "Times New Roman"
BODY_PT = 12
TABLE_PT = 10
#: Document properties are fixed so a rebuild is byte-identical.
BUILT_AT = datetime(2026, 1, 1, tzinfo=UTC)
DOTS = "'........................'"
GREY = RGBColor(0x80, 0x80, 0x80)
#: Width between the margins of an A4 page with 3 cm left and 2 cm right margins.
TEXT_WIDTH_CM = 16.0

Container = DocumentObject | _Cell


# --------------------------------------------------------------------------- building blocks


def new_document(title: str, header_text: str) -> DocumentObject:
    """An empty A4 document in the house look: Times New Roman 12, Indonesian, page footer.

    ``header_text`` goes in the page header of every page: the draft marker (``DRAF``,
    ``RANCANGAN``), so no page of an unsigned document can pass for a signed one.
    """
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.0)
    section.left_margin, section.right_margin = Cm(3.0), Cm(2.0)
    section.header_distance, section.footer_distance = Cm(1.2), Cm(1.0)

    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    rpr = normal.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "id-ID")
    rpr.append(lang)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.15

    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = header.add_run(header_text)
    run.bold = True
    run.font.color.rgb = GREY

    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for part in ("Halaman ", "PAGE", " dari ", "NUMPAGES"):
        if part.isupper():
            _field(footer, part)
        else:
            footer.add_run(part).font.size = Pt(9)

    props = doc.core_properties
    props.title = title
    props.subject = title
    props.author = "Payung"
    props.last_modified_by = "Payung"
    props.comments = "Dibuat oleh scripts/build_doc_templates.py; isian Jinja (docxtpl)."
    props.language = "id-ID"
    props.keywords = ""
    props.category = ""
    props.revision = 1
    props.created = BUILT_AT
    props.modified = BUILT_AT
    props.last_printed = BUILT_AT
    return doc


def _field(paragraph: Paragraph, code: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word and LibreOffice update when showing the page."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), f" {code} ")
    run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), "18")
    rpr.append(size)
    run.append(rpr)
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def para(
    container: Container,
    text: str = "",
    *,
    bold: bool = False,
    align: str = "justify",
    size: int | None = None,
    after: float = 0,
    before: float = 0,
    indent_cm: float = 0,
    hanging_cm: float = 0,
    keep_next: bool = False,
    grey: bool = False,
    underline: bool = False,
) -> Paragraph:
    """Add a paragraph; ``**...**`` in ``text`` marks bold runs, a tab jumps to the hanging
    indent (for ``a.<tab>bahwa ...`` lists)."""
    cell_first = (
        isinstance(container, _Cell)
        and len(container.paragraphs) == 1
        and not container.paragraphs[0].runs
        and container.paragraphs[0]._p.pPr is None
    )
    p = container.paragraphs[0] if cell_first else container.add_paragraph()
    p.alignment = {
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
    }[align]
    fmt = p.paragraph_format
    fmt.space_after = Pt(after)
    fmt.space_before = Pt(before)
    fmt.keep_with_next = keep_next
    if indent_cm or hanging_cm:
        fmt.left_indent = Cm(indent_cm + hanging_cm)
        fmt.first_line_indent = Cm(-hanging_cm)
        if hanging_cm:
            fmt.tab_stops.add_tab_stop(Cm(indent_cm + hanging_cm))
    for i, chunk in enumerate(text.split("**")):
        if not chunk:
            continue
        run = p.add_run(chunk)
        run.bold = bold or i % 2 == 1
        run.underline = underline
        if size:
            run.font.size = Pt(size)
        if grey:
            run.font.color.rgb = GREY
    return p


def tag(container: Container, statement: str) -> None:
    """A paragraph holding only a docxtpl paragraph tag (``{%p if draft %}``): docxtpl
    replaces the whole paragraph by the Jinja statement."""
    para(container, "{%p " + statement + " %}", align="left")


def assumption_note(doc: DocumentObject) -> None:
    """Issue 15: the policy values the document rests on that are still assumptions (the
    policy file's ``asumsi``), at its end, so the legal division sees what to confirm; the
    same note as the PDFs' ``partials/asumsi_kebijakan.html``, and nothing when none."""
    tag(doc, "if policy_assumptions")
    para(
        doc,
        "Catatan: ketentuan kebijakan yang masih berupa asumsi (belum dikonfirmasi Bagian Hukum "
        "terhadap naskah peraturan; {{ policy_assumptions|length }} butir):",
        size=TABLE_PT,
        bold=True,
        before=6,
    )
    tag(doc, "for line in policy_assumptions")
    para(doc, "{{ loop.index }}. {{ line }}", size=TABLE_PT)
    tag(doc, "endfor")
    tag(doc, "endif")


def blank(container: Container, count: int = 1) -> None:
    for _ in range(count):
        para(container)


def page_break(doc: DocumentObject) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _set_widths(table: Table, widths: Sequence[float]) -> None:
    """Fixed column widths in cm (Word ignores cell widths under autofit)."""
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    for col, width in zip(table._tbl.tblGrid.gridCol_lst, widths, strict=True):
        col.w = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Cm(width)


def _row_flag(row: _Row, name: str) -> None:
    """Set a row property: ``tblHeader`` (repeat on every page) or ``cantSplit``."""
    tr_pr = row._tr.get_or_add_trPr()
    flag = OxmlElement(f"w:{name}")
    flag.set(qn("w:val"), "true")
    tr_pr.append(flag)


def _shade(cell: _Cell, fill: str = "D9D9D9") -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _cell_margins(table: Table, cm: float) -> None:
    """Left/right padding inside every cell of ``table``."""
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(int(cm * 567)))
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    table._tbl.tblPr.append(margins)


@dataclass(frozen=True)
class Column:
    """A column of a data table: its header, the Jinja expression of a cell, its width."""

    header: str
    cell: str
    width_cm: float
    align: str = "left"


def data_table(
    container: DocumentObject,
    columns: Sequence[Column],
    loop: str,
    *,
    footer: Sequence[str] | None = None,
) -> Table:
    """A bordered table whose body rows repeat over ``loop`` (``r in annex``).

    docxtpl's ``{%tr %}`` tags replace the row they sit in, so the table has a header row
    (repeated on every page), a row with the loop start, the row template, and a row with
    the loop end; ``footer`` adds a fixed last row (a total).
    """
    rows = 4 + (1 if footer else 0)
    table = container.add_table(rows=rows, cols=len(columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _set_widths(table, [c.width_cm for c in columns])
    _cell_margins(table, 0.1)
    header, start, body, end = table.rows[:4]
    _row_flag(header, "tblHeader")
    for cell, column in zip(header.cells, columns, strict=True):
        _shade(cell)
        para(cell, column.header, bold=True, align="center", size=TABLE_PT)
    para(start.cells[0], "{%tr for " + loop + " %}", align="left", size=TABLE_PT)
    _row_flag(body, "cantSplit")
    for cell, column in zip(body.cells, columns, strict=True):
        para(cell, column.cell, align=column.align, size=TABLE_PT)
    para(end.cells[0], "{%tr endfor %}", align="left", size=TABLE_PT)
    if footer:
        for cell, text, column in zip(table.rows[4].cells, footer, columns, strict=True):
            para(cell, text, bold=True, align=column.align, size=TABLE_PT)
    return table


def layout_table(container: DocumentObject, widths: Sequence[float]) -> Table:
    """A borderless table that lines text up in columns (``Menimbang : a. bahwa ...``)."""
    table = container.add_table(rows=0, cols=len(widths))
    _set_widths(table, widths)
    _cell_margins(table, 0.05)
    return table


def layout_row(table: Table, widths: Sequence[float]) -> list[_Cell]:
    row = table.add_row()
    for cell, width in zip(row.cells, widths, strict=True):
        cell.width = Cm(width)
    return list(row.cells)


def label_rows(
    container: DocumentObject, widths: Sequence[float], rows: Sequence[tuple[str, str]]
) -> Table:
    """A layout table of ``label : value`` lines (a letter's Nomor/Hal, an identity block)."""
    table = layout_table(container, widths)
    for label, value in rows:
        cells = layout_row(table, widths)
        para(cells[0], label, align="left")
        para(cells[1], ":", align="center")
        para(cells[2], value, align="left")
    return table


# --------------------------------------------------------------------------- shared parts

ANNEX_COLUMNS = [
    Column("No", "{{ r.no }}", 1.0, "center"),
    Column("Nama", "{{ r.nama }}", 3.6),
    Column("NIK", "{{ r.nik }}", 3.3, "center"),
    Column("Pekerjaan", "{{ r.pekerjaan }}", 2.8),
    Column("Desa/Kelurahan", "{{ r.desa }}", 2.7),
    Column("Kecamatan", "{{ r.kecamatan }}", 2.6),
]

TEAM_COLUMNS = [
    Column("No", "{{ t.no }}", 1.0, "center"),
    Column("Kedudukan dalam Tim", "{{ t.position }}", 2.8),
    Column("Nama", "{{ t.name }}", 4.0),
    Column("Jabatan", "{{ t.jabatan }}", 4.2),
    Column("Unsur/Instansi", "{{ t.agency }}", 4.0),
]

#: Pasal 10 ayat (2): the team's tasks, as the regulation words them.
TEAM_TASKS = [
    "melakukan koordinasi dengan pihak terkait;",
    "melakukan pendataan Pekerja Rentan berdasarkan DTSEN;",
    "membuat berita acara hasil pendataan;",
    "menyusun rancangan keputusan Kepala Dinas Tenaga Kerja dan Transmigrasi tentang daftar "
    "nama Pekerja Rentan sebagai Peserta Jaminan Sosial Ketenagakerjaan tahun berkenaan;",
    "melakukan pemantauan dan evaluasi terhadap jumlah dan data Peserta Jaminan Sosial "
    "Ketenagakerjaan;",
    "melakukan pemantauan dan evaluasi terhadap pelaksanaan pembayaran iuran peserta Jaminan "
    "Sosial Ketenagakerjaan;",
    "melakukan pemantauan dan evaluasi terhadap kesesuaian penerima manfaat bagi peserta "
    "Jaminan Sosial Ketenagakerjaan; dan",
    "menyampaikan laporan hasil pemantauan dan evaluasi kepada Bupati.",
]

DICTUM_WIDTHS = (3.0, 0.5, TEXT_WIDTH_CM - 3.5)
LETTERS = "abcdefghijklmnopqrstuvwxyz"


def numbered(container: Container, items: Sequence[str]) -> None:
    """``a.<tab>...`` paragraphs with a hanging indent, as considerations and tasks are set;
    the last one has room after it, before the next row of a layout table."""
    for i, item in enumerate(items):
        para(
            container,
            f"{LETTERS[i]}.\t{item}",
            hanging_cm=0.7,
            after=8 if i == len(items) - 1 else 2,
        )


def decree_heading(doc: DocumentObject, *, regent: bool) -> None:
    """RANCANGAN marker, KEPUTUSAN <issuer>, NOMOR, TENTANG <title>, and the issuer line.

    Only a regional head's decree opens with DENGAN RAHMAT TUHAN YANG MAHA ESA (Permendagri
    80/2015 on regional legal products); a head of agency's decree does not.
    """
    tag(doc, "if draft")
    para(doc, "RANCANGAN", bold=True, align="center", size=14, grey=True, after=12)
    tag(doc, "endif")
    para(doc, "KEPUTUSAN {{ issuer }}", bold=True, align="center")
    para(doc, "NOMOR {{ number or " + DOTS + " }}", align="center", after=12)
    para(doc, "TENTANG", align="center", after=12)
    para(doc, "{{ title }}", bold=True, align="center", after=18)
    if regent:
        para(doc, "DENGAN RAHMAT TUHAN YANG MAHA ESA", bold=True, align="center", after=18)
    para(doc, "{{ issuer }},", bold=True, align="center", after=18)


def considerations(doc: DocumentObject, menimbang: Sequence[str]) -> None:
    """Menimbang (written here, citing the policy) and Mengingat (the policy's legal bases)."""
    table = layout_table(doc, DICTUM_WIDTHS)
    label, colon, body = layout_row(table, DICTUM_WIDTHS)
    para(label, "Menimbang", align="left")
    para(colon, ":", align="center")
    numbered(body, menimbang)
    label, colon, body = layout_row(table, DICTUM_WIDTHS)
    para(label, "Mengingat", align="left")
    para(colon, ":", align="center")
    tag(body, "for basis in legal_bases")
    para(body, "{{ loop.index }}.\t{{ basis }};", hanging_cm=0.7, after=2)
    tag(body, "endfor")
    para(doc, "MEMUTUSKAN:", bold=True, align="center", before=12, after=12)


def dictums(doc: DocumentObject, items: Sequence[tuple[str, Callable[[_Cell], None]]]) -> None:
    """Menetapkan and the numbered dictums (KESATU, KEDUA, ...), each a label and a body."""
    table = layout_table(doc, DICTUM_WIDTHS)
    label, colon, body = layout_row(table, DICTUM_WIDTHS)
    para(label, "Menetapkan", align="left")
    para(colon, ":", align="center")
    para(body, "KEPUTUSAN {{ issuer }} TENTANG {{ title }}.", after=8)
    for name, fill in items:
        label, colon, body = layout_row(table, DICTUM_WIDTHS)
        para(label, name, align="left")
        para(colon, ":", align="center")
        fill(body)


def text_cell(text: str) -> Callable[[_Cell], None]:
    return lambda cell: para(cell, text, after=8)


def signature(doc: DocumentObject) -> None:
    """Ditetapkan di / pada tanggal / office title / space to sign / name (and NIP)."""
    widths = (7.5, TEXT_WIDTH_CM - 7.5)
    table = layout_table(doc, widths)
    _, right = layout_row(table, widths)
    para(right, "Ditetapkan di {{ place }}", align="left", before=18)
    para(right, "pada tanggal {{ date_long or " + DOTS + " }}", align="left", after=12)
    para(right, "{{ signer.title }},", bold=True, align="left")
    blank(right, 4)
    para(right, "{{ (signer.name or " + DOTS + ")|upper }}", bold=True, align="left")
    tag(right, "if signer.nip")
    para(right, "NIP. {{ signer.nip }}", align="left")
    tag(right, "endif")


def annex_heading(doc: DocumentObject) -> None:
    """LAMPIRAN <decree> / NOMOR / TANGGAL / TENTANG, in the right half of the page."""
    widths = (6.0, 2.4, 0.4, TEXT_WIDTH_CM - 8.8)
    table = layout_table(doc, widths)
    cells = layout_row(table, widths)
    merged = cells[1].merge(cells[3])
    para(merged, "{{ annex_title }}", align="left")
    for label, value in (
        ("NOMOR", "{{ number or " + DOTS + " }}"),
        ("TANGGAL", "{{ date_long or " + DOTS + " }}"),
        ("TENTANG", "{{ title }}"),
    ):
        cells = layout_row(table, widths)
        para(cells[1], label, align="left")
        para(cells[2], ":", align="center")
        para(cells[3], value, align="left")
    blank(doc)


def participant_annex(doc: DocumentObject) -> None:
    """The list of participants, the masking note and the signature again (the annex is
    signed as part of the decree)."""
    page_break(doc)
    annex_heading(doc)
    para(
        doc,
        "DAFTAR PESERTA JAMINAN SOSIAL KETENAGAKERJAAN BAGI PEKERJA RENTAN",
        bold=True,
        align="center",
    )
    para(doc, "{{ region_name|upper }} TAHUN {{ year }}", bold=True, align="center", after=12)
    # Issue 12: a year that carries over last year's participants lists them apart.
    tag(doc, "if carried_from_year")
    for numeral, heading, rows, empty in (
        (
            "A",
            "PESERTA LANJUTAN DARI TAHUN {{ carried_from_year }}",
            "carried_over",
            "Tidak ada peserta lanjutan.",
        ),
        ("B", "PESERTA BARU", "new_participants", "Tidak ada peserta baru."),
    ):
        para(doc, f"{numeral}. {heading}", bold=True, align="left", before=6, after=6)
        tag(doc, f"if {rows}")
        data_table(doc, ANNEX_COLUMNS, f"r in {rows}")
        tag(doc, "else")
        para(doc, empty, align="left")
        tag(doc, "endif")
        para(
            doc,
            "Jumlah: {{ " + rows + "|length|angka }} ({{ " + rows + "|length|terbilang }}) orang.",
            before=4,
        )
    tag(doc, "else")
    data_table(doc, ANNEX_COLUMNS, "r in annex")
    tag(doc, "endif")
    para(
        doc,
        "Jumlah peserta: {{ participant_count|angka }} ({{ participant_count|terbilang }}) orang.",
        before=6,
    )
    tag(doc, "if nik_masked")
    para(
        doc,
        "Catatan: Nomor Induk Kependudukan (NIK) ditampilkan sebagian untuk pelindungan data "
        "pribadi; salinan dengan NIK lengkap disimpan oleh perangkat daerah yang berwenang.",
        size=TABLE_PT,
        before=4,
    )
    tag(doc, "endif")
    signature(doc)


COST_DICTUM = (
    "Iuran Jaminan Kecelakaan Kerja dan Jaminan Kematian bagi Peserta sebagaimana dimaksud "
    "dalam Diktum KESATU dibayarkan oleh Pemerintah Daerah kepada BPJS Ketenagakerjaan sebesar "
    "{{ monthly_cost_rupiah }} per peserta setiap bulan selama {{ months }} "
    "({{ months|terbilang }}) bulan, dengan jumlah seluruhnya {{ participant_count|angka }} "
    "orang × {{ monthly_cost_rupiah }} × {{ months }} bulan = {{ total_cost_rupiah }} "
    "({{ total_cost_words }})."
)
BUDGET_DICTUM = (
    "Segala biaya yang timbul sebagai akibat ditetapkannya Keputusan ini dibebankan pada "
    "Anggaran Pendapatan dan Belanja Daerah {{ region_name }} Tahun Anggaran {{ year }}."
)
EFFECTIVE_DICTUM = "Keputusan ini mulai berlaku pada tanggal ditetapkan."


# --------------------------------------------------------------------------- the templates


def berita_acara() -> DocumentObject:
    """Berita Acara Hasil Pendataan Pekerja Rentan (Pasal 10 ayat (2) huruf c)."""
    doc = new_document("Berita Acara Hasil Pendataan Pekerja Rentan", "{{ status }}")
    tag(doc, "if status")
    para(doc, "{{ status }}", bold=True, align="center", size=20, grey=True)
    para(
        doc,
        "Dokumen ini belum disetujui dan belum berlaku sebagai berita acara.",
        align="center",
        size=TABLE_PT,
        grey=True,
        after=12,
    )
    tag(doc, "endif")
    for line in (
        "BERITA ACARA",
        "HASIL PENDATAAN PEKERJA RENTAN",
        "SEBAGAI CALON PESERTA JAMINAN SOSIAL KETENAGAKERJAAN",
    ):
        para(doc, line, bold=True, align="center")
    para(doc, "{{ region_name|upper }} TAHUN {{ year }}", bold=True, align="center", after=18)

    para(
        doc,
        "Pada hari ini {{ date_long }} bertempat di {{ place }}, Tim Pendataan dan Penetapan "
        "Pekerja Rentan {{ region_name }} sebagaimana dimaksud dalam Pasal 10 ayat (1) "
        "{{ policy_title }} telah melaksanakan pendataan Pekerja Rentan berdasarkan Data "
        "Tunggal Sosial Ekonomi Nasional (DTSEN) sebagai calon Peserta Jaminan Sosial "
        "Ketenagakerjaan Tahun {{ year }} yang iurannya dibayarkan oleh Pemerintah Daerah, "
        "sebagai pelaksanaan tugas Tim sebagaimana dimaksud dalam Pasal 10 ayat (2) huruf b "
        "dan huruf c.",
        after=6,
    )
    para(
        doc,
        "Pendataan dilakukan menurut kriteria Pekerja Rentan sebagaimana dimaksud dalam Pasal 5 "
        "dan urutan prioritas sebagaimana dimaksud dalam Pasal 7 ayat (2) {{ policy_title }}, "
        "dengan tanggal acuan {{ as_of|tanggal }}. Berkas data DTSEN yang diolah pada proses "
        "penyaringan nomor {{ run_id }} tercatat dengan sidik digital (SHA-256):",
        after=2,
    )
    para(doc, "{{ input_sha256 }}", align="center", size=9, after=6)
    para(doc, "Hasil pendataan adalah sebagai berikut:", after=6)

    para(doc, "1.\tSusunan Tim", bold=True, hanging_cm=0.7, after=4, keep_next=True)
    tag(doc, "if team")
    data_table(doc, TEAM_COLUMNS, "t in team")
    tag(doc, "else")
    para(doc, "Susunan Tim belum dicatat.", indent_cm=0.7)
    tag(doc, "endif")

    para(
        doc,
        "2.\tRekapitulasi hasil penyaringan",
        bold=True,
        hanging_cm=0.7,
        before=10,
        after=4,
        keep_next=True,
    )
    data_table(
        doc,
        [
            Column("No", "{{ loop.index }}", 1.0, "center"),
            Column("Uraian", "{{ c.label }}", 7.5),
            Column("Jumlah (orang)", "{{ c.count|angka }}", 3.0, "right"),
            Column("Keterangan", "{{ c.note }}", 4.5),
        ],
        "c in totals",
    )
    tag(doc, "if by_article")
    para(
        doc,
        "Rincian data yang tidak memenuhi kriteria menurut ketentuan yang tidak terpenuhi "
        "(satu orang dapat tidak memenuhi lebih dari satu ketentuan):",
        indent_cm=0.7,
        before=6,
        after=4,
        keep_next=True,
    )
    data_table(
        doc,
        [
            Column("No", "{{ loop.index }}", 1.0, "center"),
            Column("Ketentuan yang tidak terpenuhi", "{{ a.label }}", 12.0),
            Column("Jumlah (orang)", "{{ a.count|angka }}", 3.0, "right"),
        ],
        "a in by_article",
    )
    tag(doc, "endif")

    para(
        doc,
        "3.\tKuota peserta sesuai pagu anggaran",
        bold=True,
        hanging_cm=0.7,
        before=10,
        after=4,
        keep_next=True,
    )
    para(
        doc,
        "Sesuai dengan kemampuan keuangan Daerah sebagaimana dimaksud dalam Pasal 6 ayat (2), "
        "pagu anggaran iuran Tahun {{ year }} sebesar {{ budget_rupiah }} ({{ budget_words }}). "
        "Iuran Jaminan Kecelakaan Kerja dan Jaminan Kematian setiap peserta selama {{ months }} "
        "({{ months|terbilang }}) bulan sebesar {{ cost_per_person_rupiah }}, sehingga kuota "
        "peserta yang dapat dibiayai sebanyak {{ quota|angka }} ({{ quota|terbilang }}) orang.",
        indent_cm=0.7,
    )

    para(
        doc,
        "4.\tCalon peserta yang diusulkan",
        bold=True,
        hanging_cm=0.7,
        before=10,
        after=4,
        keep_next=True,
    )
    para(
        doc,
        "Calon peserta yang diusulkan menurut urutan prioritas sebanyak "
        "{{ candidate_count|angka }} ({{ candidate_count|terbilang }}) orang, dengan daftar "
        "nama sebagaimana tercantum dalam Lampiran Berita Acara ini, dan calon peserta dalam "
        "daftar tunggu sebanyak {{ waitlist_count|angka }} ({{ waitlist_count|terbilang }}) "
        "orang. Sebaran calon peserta yang diusulkan menurut kecamatan:",
        indent_cm=0.7,
        after=4,
        keep_next=True,
    )
    data_table(
        doc,
        [
            Column("No", "{{ loop.index }}", 1.0, "center"),
            Column("Kecamatan", "{{ k.label }}", 10.0),
            Column("Jumlah (orang)", "{{ k.count|angka }}", 5.0, "right"),
        ],
        "k in by_kecamatan",
        footer=["", "Jumlah", "{{ candidate_count|angka }}"],
    )
    tag(doc, "if excluded")
    para(
        doc,
        "Calon peserta berikut dikecualikan dari usulan dengan alasan tertulis dan digantikan "
        "oleh calon berikutnya dari daftar tunggu:",
        indent_cm=0.7,
        before=6,
        after=4,
        keep_next=True,
    )
    data_table(
        doc,
        [
            Column("No", "{{ loop.index }}", 1.0, "center"),
            Column("NIK dan alasan pengecualian", "{{ x.label }}", 12.0),
            Column("Peringkat", "{{ x.count|angka }}", 3.0, "center"),
        ],
        "x in excluded",
    )
    tag(doc, "endif")

    para(
        doc,
        "Demikian Berita Acara ini dibuat dengan sebenarnya untuk dipergunakan sebagaimana "
        "mestinya, dan menjadi bahan verifikasi dan validasi oleh Dinas Kependudukan dan "
        "Pencatatan Sipil sebagaimana dimaksud dalam Pasal 7 ayat (3) {{ policy_title }}.",
        before=12,
    )

    para(doc, "{{ place }}, {{ date|tanggal }}", align="right", before=12, after=12)
    widths = (TEXT_WIDTH_CM / 2, TEXT_WIDTH_CM / 2)
    table = layout_table(doc, widths)
    left, right = layout_row(table, widths)
    for cell, role, office, name in (
        (left, "Diusulkan oleh,", "Operator Pendataan", "{{ proposer or " + DOTS + " }}"),
        (
            right,
            "Disetujui oleh,",
            "Operator Pendataan Pemeriksa",
            "{{ approver or " + DOTS + " }}",
        ),
    ):
        para(cell, role, align="center")
        para(cell, office, align="center")
        blank(cell, 4)
        para(cell, name, bold=True, underline=True, align="center")

    page_break(doc)
    para(doc, "LAMPIRAN", bold=True, align="left")
    para(doc, "BERITA ACARA HASIL PENDATAAN PEKERJA RENTAN", bold=True, align="left")
    para(doc, "{{ region_name|upper }} TAHUN {{ year }}", bold=True, align="left", after=12)
    para(doc, "DAFTAR CALON PESERTA JAMINAN SOSIAL KETENAGAKERJAAN", bold=True, align="center")
    para(doc, "MENURUT URUTAN PRIORITAS", bold=True, align="center", after=12)
    columns = [
        Column("No", "{{ r.no }}", 1.0, "center"),
        Column("Nama", "{{ r.nama }}", 3.3),
        Column("NIK", "{{ r.nik }}", 3.1, "center"),
        Column("Pekerjaan", "{{ r.pekerjaan }}", 2.5),
        Column("Desa/Kelurahan", "{{ r.desa }}", 2.5),
        Column("Kecamatan", "{{ r.kecamatan }}", 2.3),
        Column("Peringkat", "{{ r.rank or '' }}", 1.3, "center"),
    ]
    data_table(doc, columns, "r in candidates")
    para(
        doc,
        "Jumlah calon peserta: {{ candidate_count|angka }} ({{ candidate_count|terbilang }}) "
        "orang.",
        before=6,
    )
    assumption_note(doc)
    return doc


def keputusan_peserta() -> DocumentObject:
    """Keputusan Bupati tentang Penetapan Peserta (Pasal 7 ayat (4))."""
    doc = new_document(
        "Keputusan Bupati tentang Penetapan Peserta Jaminan Sosial Ketenagakerjaan",
        "{% if draft %}RANCANGAN{% endif %}",
    )
    decree_heading(doc, regent=True)
    considerations(
        doc,
        [
            "bahwa berdasarkan ketentuan {{ article }} {{ policy_title }}, Pekerja Rentan hasil "
            "verifikasi dan validasi ditetapkan dengan Keputusan Bupati, yang kemudian "
            "didaftarkan kepada BPJS Ketenagakerjaan sebagai Peserta Jaminan Sosial "
            "Ketenagakerjaan;",
            "bahwa Pekerja Rentan hasil pendataan Dinas Sosial telah diverifikasi dan divalidasi "
            "oleh Dinas Kependudukan dan Pencatatan Sipil, dan jumlahnya disesuaikan dengan "
            "kemampuan keuangan Daerah Tahun Anggaran {{ year }};",
            "bahwa berdasarkan pertimbangan sebagaimana dimaksud dalam huruf a dan huruf b, "
            "perlu menetapkan Keputusan {{ issuer|judul }} tentang {{ title|judul }};",
        ],
    )
    dictums(
        doc,
        [
            (
                "KESATU",
                text_cell(
                    "Menetapkan Pekerja Rentan hasil verifikasi dan validasi sebagai Peserta "
                    "Jaminan Sosial Ketenagakerjaan bagi Pekerja Rentan {{ region_name }} "
                    "Tahun {{ year }} sebanyak {{ participant_count|angka }} "
                    "({{ participant_count|terbilang }}) orang, untuk didaftarkan kepada BPJS "
                    "Ketenagakerjaan, dengan daftar nama sebagaimana tercantum dalam Lampiran "
                    "yang merupakan bagian tidak terpisahkan dari Keputusan ini."
                ),
            ),
            ("KEDUA", text_cell(COST_DICTUM)),
            ("KETIGA", text_cell(BUDGET_DICTUM)),
            ("KEEMPAT", text_cell(EFFECTIVE_DICTUM)),
        ],
    )
    signature(doc)
    participant_annex(doc)
    assumption_note(doc)
    return doc


def keputusan_daftar_nama() -> DocumentObject:
    """Keputusan Kepala Dinas Tenaga Kerja dan Transmigrasi tentang Daftar Nama (Pasal 10
    ayat (2) huruf d): drafted by the team, signed by the head of the agency."""
    doc = new_document(
        "Keputusan Kepala Dinas tentang Daftar Nama Pekerja Rentan",
        "{% if draft %}RANCANGAN{% endif %}",
    )
    decree_heading(doc, regent=False)
    considerations(
        doc,
        [
            "bahwa berdasarkan ketentuan {{ article }} {{ policy_title }}, Tim Pendataan dan "
            "Penetapan Pekerja Rentan menyusun rancangan keputusan Kepala Dinas Tenaga Kerja "
            "dan Transmigrasi tentang daftar nama Pekerja Rentan sebagai Peserta Jaminan "
            "Sosial Ketenagakerjaan tahun berkenaan;",
            "bahwa Pekerja Rentan hasil pendataan telah diverifikasi dan divalidasi oleh Dinas "
            "Kependudukan dan Pencatatan Sipil sebagaimana dimaksud dalam Pasal 7 ayat (3) "
            "{{ policy_title }}, dan jumlahnya disesuaikan dengan kemampuan keuangan Daerah "
            "Tahun Anggaran {{ year }};",
            "bahwa berdasarkan pertimbangan sebagaimana dimaksud dalam huruf a dan huruf b, "
            "perlu menetapkan Keputusan {{ issuer|judul }} tentang {{ title|judul }};",
        ],
    )
    dictums(
        doc,
        [
            (
                "KESATU",
                text_cell(
                    "Menetapkan daftar nama Pekerja Rentan sebagai Peserta Jaminan Sosial "
                    "Ketenagakerjaan {{ region_name }} Tahun {{ year }} yang iurannya "
                    "dibayarkan oleh Pemerintah Daerah sebanyak {{ participant_count|angka }} "
                    "({{ participant_count|terbilang }}) orang, untuk didaftarkan kepada BPJS "
                    "Ketenagakerjaan, sebagaimana tercantum dalam Lampiran yang merupakan "
                    "bagian tidak terpisahkan dari Keputusan ini."
                ),
            ),
            ("KEDUA", text_cell(COST_DICTUM)),
            ("KETIGA", text_cell(BUDGET_DICTUM)),
            ("KEEMPAT", text_cell(EFFECTIVE_DICTUM)),
        ],
    )
    signature(doc)
    participant_annex(doc)
    assumption_note(doc)
    return doc


def keputusan_tim() -> DocumentObject:
    """Keputusan Bupati tentang Tim Pendataan dan Penetapan (Pasal 10 ayat (1), (3)-(5))."""
    doc = new_document(
        "Keputusan Bupati tentang Tim Pendataan dan Penetapan Pekerja Rentan",
        "{% if draft %}RANCANGAN{% endif %}",
    )
    decree_heading(doc, regent=True)
    considerations(
        doc,
        [
            "bahwa berdasarkan ketentuan Pasal 10 ayat (1) {{ policy_title }}, Dinas Sosial "
            "bersama Dinas Kependudukan dan Pencatatan Sipil dalam melakukan pendataan dan "
            "penetapan Pekerja Rentan dibantu oleh tim;",
            "bahwa berdasarkan ketentuan {{ article }} {{ policy_title }}, tim sebagaimana "
            "dimaksud dalam huruf a ditetapkan dengan Keputusan Bupati;",
            "bahwa berdasarkan pertimbangan sebagaimana dimaksud dalam huruf a dan huruf b, "
            "perlu menetapkan Keputusan {{ issuer|judul }} tentang {{ title|judul }};",
        ],
    )

    def tasks(cell: _Cell) -> None:
        para(cell, "Tim sebagaimana dimaksud dalam Diktum KESATU mempunyai tugas:", after=2)
        numbered(cell, TEAM_TASKS)
        para(cell, "", after=6)

    dictums(
        doc,
        [
            (
                "KESATU",
                text_cell(
                    "Membentuk Tim Pendataan dan Penetapan Pekerja Rentan sebagai Peserta "
                    "Jaminan Sosial Ketenagakerjaan {{ region_name }} Tahun {{ year }}, yang "
                    "selanjutnya disebut Tim, yang berasal dari unsur Inspektorat, Dinas Tenaga "
                    "Kerja dan Transmigrasi, Dinas Sosial, Dinas Kependudukan dan Pencatatan "
                    "Sipil, Badan Perencanaan Pembangunan Daerah, Badan Pengelola Keuangan "
                    "Daerah, dan Bagian Hukum pada Sekretariat Daerah, dengan susunan pembina, "
                    "pengarah, ketua, sekretaris, dan anggota sebagaimana tercantum dalam "
                    "Lampiran yang merupakan bagian tidak terpisahkan dari Keputusan ini."
                ),
            ),
            ("KEDUA", tasks),
            (
                "KETIGA",
                text_cell(
                    "Dalam melaksanakan tugasnya, Tim bertanggung jawab dan menyampaikan "
                    "laporan kepada Bupati."
                ),
            ),
            ("KEEMPAT", text_cell(BUDGET_DICTUM)),
            ("KELIMA", text_cell(EFFECTIVE_DICTUM)),
        ],
    )
    signature(doc)

    page_break(doc)
    annex_heading(doc)
    para(doc, "SUSUNAN KEANGGOTAAN", bold=True, align="center")
    para(doc, "{{ title }}", bold=True, align="center", after=12)
    data_table(doc, TEAM_COLUMNS, "t in team")
    signature(doc)
    return doc


CHANGE_COLUMNS = [
    Column("No", "{{ r.no }}", 0.9, "center"),
    Column("Nama", "{{ r.nama }}", 3.0),
    Column("NIK", "{{ r.nik }}", 3.1, "center"),
    Column("Pekerjaan", "{{ r.pekerjaan }}", 2.2),
    Column("Desa/Kelurahan", "{{ r.desa }}", 2.3),
    Column("Kecamatan", "{{ r.kecamatan }}", 2.2),
    Column("Alasan", "{{ r.reason }}", 2.3),
]


def keputusan_perubahan_peserta() -> DocumentObject:
    """Keputusan Bupati tentang Perubahan atas Keputusan Bupati tentang Penetapan Peserta
    (Pasal 7 ayat (4)): the additions (verified replacements, Pasal 7 ayat (3)) and the
    removals (ended participants) with their reasons, the count after the change and the
    cost of the additions for the months left (Pasal 6 ayat (2), Pasal 9 ayat (2))."""
    doc = new_document(
        "Keputusan Bupati tentang Perubahan atas Keputusan Penetapan Peserta",
        "{% if draft %}RANCANGAN{% endif %}",
    )
    decree_heading(doc, regent=True)
    table = layout_table(doc, DICTUM_WIDTHS)
    label, colon, body = layout_row(table, DICTUM_WIDTHS)
    para(label, "Menimbang", align="left")
    para(colon, ":", align="center")
    numbered(
        body,
        [
            "bahwa Peserta Jaminan Sosial Ketenagakerjaan bagi Pekerja Rentan {{ region_name }} "
            "Tahun {{ year }} telah ditetapkan dengan Keputusan {{ issuer|judul }} Nomor "
            "{{ base_number }} tanggal {{ base_date_long }} tentang {{ base_title|judul }}"
            "{% if amends_number != base_number %}, sebagaimana terakhir diubah dengan "
            "Keputusan Nomor {{ amends_number }} tanggal {{ amends_date_long }}{% endif %};",
            "bahwa sejak ditetapkannya Keputusan sebagaimana dimaksud dalam huruf a, terdapat "
            "Peserta yang kepesertaannya berakhir dan calon Peserta pengganti dari daftar tunggu "
            "yang telah diverifikasi dan divalidasi oleh Dinas Kependudukan dan Pencatatan Sipil "
            "sebagaimana dimaksud dalam Pasal 7 ayat (3) {{ policy_title }}, sesuai dengan "
            "kemampuan keuangan Daerah sebagaimana dimaksud dalam Pasal 6 ayat (2);",
            "bahwa berdasarkan ketentuan {{ article }} {{ policy_title }} dan pertimbangan "
            "sebagaimana dimaksud dalam huruf a dan huruf b, perlu menetapkan Keputusan "
            "{{ issuer|judul }} tentang {{ title|judul }};",
        ],
    )
    label, colon, body = layout_row(table, DICTUM_WIDTHS)
    para(label, "Mengingat", align="left")
    para(colon, ":", align="center")
    tag(body, "for basis in legal_bases")
    para(body, "{{ loop.index }}.\t{{ basis }};", hanging_cm=0.7, after=2)
    tag(body, "endfor")
    para(
        body,
        "{{ legal_bases|length + 1 }}.\tKeputusan {{ issuer|judul }} Nomor {{ base_number }} "
        "tentang {{ base_title|judul }};",
        hanging_cm=0.7,
        after=2,
    )
    para(doc, "MEMUTUSKAN:", bold=True, align="center", before=12, after=12)

    def changes(cell: _Cell) -> None:
        para(
            cell,
            "Mengubah daftar Peserta Jaminan Sosial Ketenagakerjaan bagi Pekerja Rentan "
            "{{ region_name }} Tahun {{ year }} sebagaimana ditetapkan dalam Keputusan "
            "{{ issuer|judul }} Nomor {{ amends_number }}, sebagai berikut:",
            after=2,
        )
        tag(cell, "if additions")
        para(
            cell,
            "-\tmenambahkan {{ addition_count|angka }} ({{ addition_count|terbilang }}) orang "
            "Peserta hasil verifikasi dan validasi, untuk didaftarkan kepada BPJS "
            "Ketenagakerjaan, sebagaimana tercantum dalam Lampiran I;",
            hanging_cm=0.7,
            after=2,
        )
        tag(cell, "endif")
        tag(cell, "if removals")
        para(
            cell,
            "-\tmengeluarkan {{ removal_count|angka }} ({{ removal_count|terbilang }}) orang "
            "Peserta yang kepesertaannya berakhir, dengan alasan sebagaimana tercantum dalam "
            "Lampiran II;",
            hanging_cm=0.7,
            after=2,
        )
        tag(cell, "endif")
        para(
            cell,
            "yang merupakan bagian tidak terpisahkan dari Keputusan ini.",
            after=8,
        )

    def cost(cell: _Cell) -> None:
        tag(cell, "if additions")
        para(
            cell,
            "Iuran Jaminan Kecelakaan Kerja dan Jaminan Kematian bagi Peserta tambahan "
            "sebagaimana dimaksud dalam Diktum KESATU dibayarkan oleh Pemerintah Daerah kepada "
            "BPJS Ketenagakerjaan sebesar {{ monthly_cost_rupiah }} per peserta setiap bulan "
            "selama {{ months }} ({{ months|terbilang }}) bulan terhitung mulai bulan "
            "{{ first_month }}, dengan jumlah seluruhnya {{ addition_count|angka }} orang × "
            "{{ monthly_cost_rupiah }} × {{ months }} bulan = {{ total_cost_rupiah }} "
            "({{ total_cost_words }}).",
            after=8,
        )
        tag(cell, "else")
        para(
            cell,
            "Perubahan sebagaimana dimaksud dalam Diktum KESATU tidak menambah biaya iuran.",
            after=8,
        )
        tag(cell, "endif")

    dictums(
        doc,
        [
            ("KESATU", changes),
            (
                "KEDUA",
                text_cell(
                    "Dengan perubahan sebagaimana dimaksud dalam Diktum KESATU, jumlah Peserta "
                    "Jaminan Sosial Ketenagakerjaan bagi Pekerja Rentan {{ region_name }} Tahun "
                    "{{ year }} yang semula {{ count_before|angka }} "
                    "({{ count_before|terbilang }}) orang menjadi "
                    "{{ participant_count|angka }} ({{ participant_count|terbilang }}) orang."
                ),
            ),
            ("KETIGA", cost),
            (
                "KEEMPAT",
                text_cell(
                    "Ketentuan lain dalam Keputusan {{ issuer|judul }} Nomor {{ base_number }} "
                    "tentang {{ base_title|judul }} dinyatakan tetap berlaku."
                ),
            ),
            ("KELIMA", text_cell(BUDGET_DICTUM)),
            ("KEENAM", text_cell(EFFECTIVE_DICTUM)),
        ],
    )
    signature(doc)

    page_break(doc)
    annex_heading(doc)
    for numeral, heading, rows, empty in (
        (
            "I",
            "PESERTA YANG DITAMBAHKAN",
            "additions",
            "Tidak ada Peserta yang ditambahkan.",
        ),
        (
            "II",
            "PESERTA YANG DIKELUARKAN",
            "removals",
            "Tidak ada Peserta yang dikeluarkan.",
        ),
    ):
        para(doc, f"LAMPIRAN {numeral}: {heading}", bold=True, align="center", before=6)
        para(doc, "{{ region_name|upper }} TAHUN {{ year }}", bold=True, align="center", after=8)
        tag(doc, f"if {rows}")
        data_table(doc, CHANGE_COLUMNS, f"r in {rows}")
        tag(doc, "else")
        para(doc, empty, align="center")
        tag(doc, "endif")
        blank(doc)
    para(
        doc,
        "Jumlah peserta setelah perubahan: {{ participant_count|angka }} "
        "({{ participant_count|terbilang }}) orang.",
        before=6,
    )
    tag(doc, "if nik_masked")
    para(
        doc,
        "Catatan: Nomor Induk Kependudukan (NIK) ditampilkan sebagian untuk pelindungan data "
        "pribadi; salinan dengan NIK lengkap disimpan oleh perangkat daerah yang berwenang.",
        size=TABLE_PT,
        before=4,
    )
    tag(doc, "endif")
    signature(doc)
    assumption_note(doc)
    return doc


def permohonan_iuran() -> DocumentObject:
    """Surat Permohonan Pembayaran Iuran (Pasal 9): one bill's totals per funding source
    (Pasal 13), the corrections of earlier months, the total in words; no person in it.
    Fields: ``PaymentRequestContext`` in ``payung.contributions.documents``."""
    doc = new_document("Surat Permohonan Pembayaran Iuran Jaminan Sosial Ketenagakerjaan", "")
    para(doc, "PEMERINTAH {{ region_name|upper }}", bold=True, align="center")
    para(doc, "DINAS TENAGA KERJA DAN TRANSMIGRASI", bold=True, align="center", after=12)
    para(doc, "{{ place }}, {{ date_long }}", align="right", after=12)
    widths = (2.5, 0.4, TEXT_WIDTH_CM - 2.9)
    subject = (
        "**Permohonan Pembayaran Iuran Jaminan Sosial Ketenagakerjaan bagi Pekerja Rentan, "
        "Tagihan {{ bill_number }} ({{ period }})**"
    )
    label_rows(
        doc,
        widths,
        (
            ("Nomor", "........................"),
            ("Lampiran", "-"),
            ("Hal", subject),
        ),
    )
    para(doc, "Kepada Yth.", before=12)
    para(doc, "Kepala {{ addressee }}", bold=True, align="left")
    para(doc, "di tempat", align="left", after=12)
    para(
        doc,
        "Berdasarkan {{ article }} {{ policy_title }}{% if pks_number %} dan Perjanjian Kerja "
        "Sama Nomor {{ pks_number }} tanggal {{ pks_date_long }}{% endif %}, bersama ini kami "
        "sampaikan permohonan pembayaran iuran Jaminan Kecelakaan Kerja (JKK) dan Jaminan "
        "Kematian (JKM) bagi {{ participant_count|angka }} "
        "({{ participant_count|terbilang }}) peserta pekerja rentan {{ region_name }} untuk "
        "periode {{ period }} ({{ months }} bulan), dengan rincian menurut sumber dana "
        "sebagai berikut:",
        after=6,
    )
    data_table(
        doc,
        [
            Column("No", "{{ s.no }}", 1.0, "center"),
            Column("Sumber dana", "{{ s.label }}", 4.4),
            Column("Peserta", "{{ s.participants|angka }}", 2.0, "right"),
            Column("Iuran JKK", "{{ s.jkk_rupiah }}", 2.9, "right"),
            Column("Iuran JKM", "{{ s.jkm_rupiah }}", 2.9, "right"),
            Column("Jumlah", "{{ s.total_rupiah }}", 2.8, "right"),
        ],
        "s in sources",
    )
    tag(doc, "if corrections")
    para(
        doc,
        "Koreksi atas bulan yang telah ditagih sebelumnya (peserta pengganti yang tercatat "
        "terlambat, kepesertaan yang berakhir sesudah tagihan terbit), menurut bulan yang "
        "dikoreksi:",
        before=6,
        after=4,
        keep_next=True,
    )
    data_table(
        doc,
        [
            Column("No", "{{ c.no }}", 1.0, "center"),
            Column("Bulan yang dikoreksi", "{{ c.month }}", 4.4),
            Column("Ditambah", "{{ c.added|angka }}", 2.5, "right"),
            Column("Dikurangi", "{{ c.removed|angka }}", 2.5, "right"),
            Column("Jumlah koreksi", "{{ c.amount_rupiah }}", 5.6, "right"),
        ],
        "c in corrections",
    )
    para(doc, "Jumlah koreksi: {{ correction_total_rupiah }}.")
    tag(doc, "endif")
    para(
        doc,
        "Jumlah seluruhnya **{{ total_rupiah }}** (**{{ total_words }}**), dibebankan pada "
        "Anggaran Pendapatan dan Belanja Daerah dan sumber lain yang sah sebagaimana dimaksud "
        "dalam Pasal 13, dan dibayarkan paling lambat tanggal {{ due_date_long }}.",
        before=6,
        after=6,
    )
    para(
        doc,
        "Demikian permohonan ini kami sampaikan. Atas perhatian dan kerja samanya diucapkan "
        "terima kasih.",
    )
    widths = (7.5, TEXT_WIDTH_CM - 7.5)
    table = layout_table(doc, widths)
    _, right = layout_row(table, widths)
    para(right, "{{ signer.title }},", bold=True, align="left", before=18)
    blank(right, 4)
    para(right, "{{ (signer.name or " + DOTS + ")|upper }}", bold=True, align="left")
    para(right, "NIP. {{ signer.nip or " + DOTS + " }}", align="left")
    return doc


def berita_acara_rekonsiliasi() -> DocumentObject:
    """Berita Acara Rekonsiliasi Iuran (Pasal 9 ayat (1)): BPJS's invoice against the bills.

    Fields: ``RekonsiliasiContext`` in ``payung.contributions.reconciliation``.
    """
    doc = new_document("Berita Acara Rekonsiliasi Iuran", "{{ status }}")
    tag(doc, "if status")
    para(doc, "{{ status }}", bold=True, align="center", size=20, grey=True)
    para(
        doc,
        "Rekonsiliasi ini belum ditutup dan belum berlaku sebagai berita acara.",
        align="center",
        size=TABLE_PT,
        grey=True,
        after=12,
    )
    tag(doc, "endif")
    for line in (
        "BERITA ACARA",
        "REKONSILIASI IURAN JAMINAN SOSIAL KETENAGAKERJAAN",
        "BAGI PEKERJA RENTAN {{ region_name|upper }}",
    ):
        para(doc, line, bold=True, align="center")
    para(doc, "PERIODE {{ period|upper }}", bold=True, align="center", after=18)
    para(
        doc,
        "Pada tanggal {{ date_long }} bertempat di {{ place }}, Dinas Tenaga Kerja dan "
        "Transmigrasi {{ region_name }} dan BPJS Ketenagakerjaan telah melaksanakan "
        "rekonsiliasi iuran Jaminan Kecelakaan Kerja dan Jaminan Kematian bagi Pekerja Rentan "
        "yang dibayarkan oleh Pemerintah Daerah sebagaimana dimaksud dalam Pasal 9 ayat (1) "
        "{{ policy_title }}, dengan membandingkan tagihan iuran BPJS Ketenagakerjaan periode "
        "{{ period }} dengan tagihan iuran yang diterbitkan Pemerintah Daerah untuk bulan-bulan "
        "yang sama, per nomor KPJ dan per bulan.",
        after=6,
    )
    para(
        doc,
        "Berkas tagihan BPJS Ketenagakerjaan ({{ file_name }}) tercatat dengan sidik digital "
        "(SHA-256):",
        after=2,
    )
    para(doc, "{{ sha256 }}", align="center", size=9, after=6)
    para(doc, "1.\tRekapitulasi per kategori", bold=True, hanging_cm=0.7, after=4, keep_next=True)
    data_table(
        doc,
        [
            Column("No", "{{ loop.index }}", 1.0, "center"),
            Column("Kategori", "{{ c.label }}", 4.5),
            Column("Baris (KPJ × bulan)", "{{ c.count|angka }}", 3.0, "right"),
            Column("Menurut Pemerintah Daerah", "{{ c.payung_rupiah }}", 3.75, "right"),
            Column("Menurut BPJS", "{{ c.bpjs_rupiah }}", 3.75, "right"),
        ],
        "c in categories",
        footer=[
            "",
            "Jumlah",
            "{{ line_count|angka }}",
            "{{ payung_total_rupiah }}",
            "{{ bpjs_total_rupiah }}",
        ],
    )
    para(
        doc,
        "Jumlah menurut Pemerintah Daerah {{ payung_total_rupiah }} ({{ payung_total_words }}); "
        "jumlah menurut BPJS Ketenagakerjaan {{ bpjs_total_rupiah }} ({{ bpjs_total_words }}).",
        before=6,
    )
    para(
        doc,
        "2.\tSelisih dan keputusan",
        bold=True,
        hanging_cm=0.7,
        before=10,
        after=4,
        keep_next=True,
    )
    tag(doc, "if differences")
    data_table(
        doc,
        [
            Column("No", "{{ d.no }}", 1.0, "center"),
            Column("KPJ", "{{ d.kpj }}", 2.6, "center"),
            Column("Bulan", "{{ d.month }}", 2.2),
            Column("Kategori", "{{ d.category }}", 2.4),
            Column("Pemerintah Daerah", "{{ d.payung_rupiah }}", 2.2, "right"),
            Column("BPJS", "{{ d.bpjs_rupiah }}", 2.2, "right"),
            Column("Keputusan", "{{ d.decision or '(belum diputuskan)' }}", 3.4),
        ],
        "d in differences",
    )
    para(
        doc,
        "Nomor KPJ ditampilkan sebagian untuk pelindungan data pribadi.",
        size=TABLE_PT,
        before=4,
    )
    tag(doc, "else")
    para(doc, "Tidak ada selisih: seluruh tagihan cocok.", indent_cm=0.7)
    tag(doc, "endif")
    para(
        doc,
        "Demikian Berita Acara ini dibuat dengan sebenarnya untuk dipergunakan sebagaimana "
        "mestinya.",
        before=12,
    )
    para(doc, "{{ place }}, {{ date|tanggal }}", align="right", before=12, after=12)
    widths = (TEXT_WIDTH_CM / 2, TEXT_WIDTH_CM / 2)
    table = layout_table(doc, widths)
    left, right = layout_row(table, widths)
    for cell, who in ((left, "prepared_by"), (right, "bpjs_signer")):
        para(cell, "{{ " + who + ".title }}", align="center")
        blank(cell, 4)
        para(cell, "{{ (" + who + ".name or " + DOTS + ") }}", bold=True, align="center")
    para(doc, "Mengetahui,", align="center", before=12)
    para(doc, "{{ approved_by.title }}", align="center")
    blank(doc, 4)
    para(doc, "{{ approved_by.name or " + DOTS + " }}", bold=True, align="center")
    return doc


def jawaban_sanggahan() -> DocumentObject:
    """Surat Jawaban Sanggahan (issue 12): one appeal's corrections with their documents,
    every criterion of the pinned policy met or not with the value used, the outcome and
    what the person can do next. Fields: ``AnswerLetterContext`` in
    ``payung.appeals.documents``; the NIK is masked."""
    doc = new_document("Surat Jawaban Sanggahan", "")
    para(doc, "PEMERINTAH {{ region_name|upper }}", bold=True, align="center")
    para(doc, "DINAS SOSIAL", bold=True, align="center", after=12)
    para(doc, "{{ place }}, {{ date_long }}", align="right", after=12)
    widths = (2.5, 0.4, TEXT_WIDTH_CM - 2.9)
    label_rows(
        doc,
        widths,
        (
            ("Nomor", "........................"),
            (
                "Hal",
                "**Jawaban atas Sanggahan Nomor Urut {{ letter_no }} (Tahun Program {{ year }})**",
            ),
        ),
    )
    para(doc, "Kepada Yth.", before=12)
    para(doc, "Sdr./Sdri. {{ name }}", bold=True, align="left")
    para(doc, "NIK {{ nik_masked }}", align="left")
    para(doc, "di tempat", align="left", after=12)
    para(
        doc,
        "Menjawab sanggahan yang diajukan oleh {{ filed_by }} melalui {{ channel }} dan kami "
        "terima pada tanggal {{ received_long }} atas keputusan \u201c{{ refusal }}\u201d, dengan "
        "alasan: \u201c{{ grounds }}\u201d, bersama ini kami sampaikan hal-hal sebagai berikut.",
        after=6,
    )
    tag(doc, "if corrections")
    para(doc, "1. Data perbaikan yang Saudara/i sampaikan beserta dokumen sumbernya:", after=4)
    data_table(
        doc,
        [
            Column("No", "{{ c.no }}", 1.0, "center"),
            Column("Data", "{{ c.label }}", 3.5),
            Column("Nilai perbaikan", "{{ c.value }}", 5.25),
            Column("Dokumen sumber", "{{ c.source }}", 6.25),
        ],
        "c in corrections",
    )
    tag(doc, "else")
    para(
        doc,
        "1. Saudara/i tidak menyampaikan data perbaikan; data Saudara/i dinilai kembali "
        "sebagaimana tercatat.",
    )
    tag(doc, "endif")
    para(
        doc,
        "2. Data Saudara/i dengan perbaikan tersebut telah disaring kembali menurut "
        "{{ policy_title }} yang berlaku pada tahun program ini, dengan tanggal acuan "
        "{{ as_of_long }}, dengan hasil per kriteria sebagai berikut:",
        before=6,
        after=4,
    )
    data_table(
        doc,
        [
            Column("No", "{{ r.no }}", 1.0, "center"),
            Column("Pasal", "{{ r.article }}", 3.2),
            Column("Kriteria", "{{ r.sentence }}", 5.3),
            Column("Hasil", "{{ r.result }}", 2.4),
            Column("Nilai yang dipakai", "{{ r.value }}", 4.1),
        ],
        "r in criteria",
    )
    para(doc, "3. {{ outcome }}", before=6, after=4)
    tag(doc, "for s in next_steps")
    para(doc, "{{ s }}", after=4)
    tag(doc, "endfor")
    para(doc, "Jawaban ini didasarkan pada {{ legal_basis }}.", before=6)
    para(doc, "Demikian jawaban ini kami sampaikan untuk diketahui.")
    widths = (7.5, TEXT_WIDTH_CM - 7.5)
    table = layout_table(doc, widths)
    _, right = layout_row(table, widths)
    para(right, "{{ signer.title }},", bold=True, align="left", before=18)
    blank(right, 4)
    para(right, "{{ (signer.name or " + DOTS + ")|upper }}", bold=True, align="left")
    para(right, "NIP. {{ signer.nip or " + DOTS + " }}", align="left")
    return doc


def _sanction_heading(doc: DocumentObject, subject: str) -> None:
    """The regency's letterhead, date, number and subject of a sanction letter."""
    para(doc, "PEMERINTAH {{ region_name|upper }}", bold=True, align="center", after=12)
    para(doc, "{{ place }}, {{ date_long }}", align="right", after=12)
    widths = (2.5, 0.4, TEXT_WIDTH_CM - 2.9)
    label_rows(
        doc,
        widths,
        (
            ("Nomor", "{{ number or '........................' }}"),
            ("Lampiran", "1 (satu) berkas"),
            ("Hal", subject),
        ),
    )
    para(doc, "Kepada Yth.", before=12)
    para(doc, "Kepala {{ addressee }}", bold=True, align="left")
    para(doc, "{{ region_name }}", align="left")
    para(doc, "di tempat", align="left", after=12)


def _employer_block(doc: DocumentObject) -> None:
    widths = (4.5, 0.4, TEXT_WIDTH_CM - 4.9)
    label_rows(
        doc,
        widths,
        (
            ("Nama pemberi kerja", "**{{ employer.name }}**"),
            ("NIB", "{{ employer.nib }}"),
            ("NPWP", "{{ employer.npwp }}"),
            ("Alamat", "{{ employer.address }}, {{ employer.village }}"),
            ("Sektor usaha", "{{ employer.sector }}"),
        ),
    )


def _sanction_signature(doc: DocumentObject) -> None:
    widths = (7.5, TEXT_WIDTH_CM - 7.5)
    table = layout_table(doc, widths)
    _, right = layout_row(table, widths)
    para(right, "{{ signer.title }},", bold=True, align="left", before=18)
    blank(right, 4)
    para(right, "{{ (signer.name or " + DOTS + ")|upper }}", bold=True, align="left")


def _assumption_notes(doc: DocumentObject) -> None:
    tag(doc, "if assumptions")
    para(doc, "Catatan: nilai kebijakan berikut masih asumsi dan perlu dikonfirmasi:", before=12)
    tag(doc, "for a in assumptions")
    para(doc, "- {{ a }}", size=TABLE_PT)
    tag(doc, "endfor")
    tag(doc, "endif")


def surat_penghentian_layanan() -> DocumentObject:
    """Surat penghentian layanan publik tertentu (PP 86/2013 Pasal 8-9): the regency's letter
    to its licensing office, at BPJS's request, naming the employer and the services
    withheld. Fields: ``SanctionLetterContext`` in ``payung.supervision.documents``."""
    doc = new_document("Surat Penghentian Layanan Publik Tertentu", "")
    _sanction_heading(doc, "**Penghentian Layanan Publik Tertentu kepada Pemberi Kerja**")
    para(
        doc,
        "Berdasarkan {{ basis }}{% if article %} dan {{ article }} {{ policy_title }}{% endif %}, "
        "serta memperhatikan surat BPJS Ketenagakerjaan Nomor {{ request_number }} tanggal "
        "{{ request_date_long }} perihal permintaan pengenaan sanksi tidak mendapat pelayanan "
        "publik tertentu, dengan ini kami minta Saudara menghentikan pelayanan publik tertentu "
        "kepada pemberi kerja berikut:",
        after=6,
    )
    _employer_block(doc)
    para(
        doc,
        "Pemberi kerja tersebut tidak memenuhi kewajiban jaminan sosial ketenagakerjaan "
        "({{ finding }}) meskipun telah dikenai teguran tertulis dan denda sebagaimana "
        "tercatat dalam lampiran surat ini.",
        before=6,
        after=6,
    )
    para(doc, "Pelayanan publik yang dihentikan:", after=4)
    tag(doc, "for s in services")
    para(doc, "{{ loop.index }}. {{ s }};", indent_cm=0.5)
    tag(doc, "endfor")
    para(
        doc,
        "Penghentian pelayanan ini berlaku sampai pemberi kerja menyampaikan "
        "{% for x in lifted_on %}{{ x }}{% if not loop.last %} dan {% endif %}{% endfor %}, "
        "yang akan kami sampaikan dengan surat pencabutan.",
        before=6,
        after=6,
    )
    para(doc, "Demikian disampaikan untuk dilaksanakan.")
    _sanction_signature(doc)
    _assumption_notes(doc)
    return doc


def surat_pencabutan_penghentian() -> DocumentObject:
    """Surat pencabutan penghentian layanan publik: the employer proved payment and the
    registration of every worker, so the services withheld are served again. Fields:
    ``SanctionLetterContext`` in ``payung.supervision.documents``."""
    doc = new_document("Surat Pencabutan Penghentian Layanan Publik", "")
    _sanction_heading(doc, "**Pencabutan Penghentian Layanan Publik Tertentu**")
    para(
        doc,
        "Menunjuk surat kami Nomor {{ withhold_number }} tanggal {{ withhold_date_long }} "
        "perihal penghentian layanan publik tertentu, dan berdasarkan {{ basis }}, dengan ini "
        "kami sampaikan bahwa pemberi kerja berikut telah menyampaikan "
        "{% for x in lifted_on %}{{ x }}{% if not loop.last %} dan {% endif %}{% endfor %}:",
        after=6,
    )
    _employer_block(doc)
    para(
        doc,
        "Sehubungan dengan itu, penghentian pelayanan publik tertentu kepada pemberi kerja "
        "tersebut dicabut dan pelayanan dapat diberikan kembali. Sidik jari (SHA-256) berkas "
        "bukti: {{ evidence_sha256 }}.",
        before=6,
        after=6,
    )
    para(doc, "Demikian disampaikan untuk dilaksanakan.")
    _sanction_signature(doc)
    _assumption_notes(doc)
    return doc


def catatan_teguran_bpjs() -> DocumentObject:
    """Lembar catatan teguran dan sanksi BPJS (PP 86/2013 Pasal 5-9): the supervision
    finding and every step of the ladder with its letter number, date and deadline.
    Fields: ``SanctionLetterContext`` in ``payung.supervision.documents``."""
    doc = new_document("Lembar Catatan Teguran dan Sanksi BPJS Ketenagakerjaan", "")
    para(doc, "PEMERINTAH {{ region_name|upper }}", bold=True, align="center")
    para(
        doc,
        "LEMBAR CATATAN TEGURAN DAN SANKSI BPJS KETENAGAKERJAAN",
        bold=True,
        align="center",
        after=12,
    )
    _employer_block(doc)
    para(
        doc,
        "Hasil pengawasan tanggal {{ report_date_long }}: {{ workers_found|angka }} pekerja "
        "ditemukan, {{ workers_unregistered|angka }} belum terdaftar BPJS Ketenagakerjaan. "
        "Temuan: {{ finding }}. Iuran yang belum dibayar: {{ unpaid_rupiah }}.",
        before=6,
        after=6,
    )
    data_table(
        doc,
        [
            Column("No", "{{ s.no }}", 1.0, "center"),
            Column("Langkah", "{{ s.label }}", 4.6),
            Column("Nomor surat", "{{ s.number }}", 3.4),
            Column("Tanggal", "{{ s.date_long }}", 2.4),
            Column("Batas waktu", "{{ s.deadline_long }}", 2.4),
            Column("Denda", "{{ s.amount }}", 2.2, "right"),
        ],
        "s in steps",
    )
    para(doc, "Dasar: {{ basis }}.", before=6)
    _assumption_notes(doc)
    return doc


def sop() -> DocumentObject:
    """Standar Operasional Prosedur of one agency (Pekalongan minutes item 5): fields in
    ``payung.procedures.documents.SopContext``; ``[[BAGAN-ALIR-n]]`` paragraphs are replaced
    by the flowchart pictures when the file is made."""
    doc = new_document("Standar Operasional Prosedur", "")
    para(doc, "PEMERINTAH {{ region_name|upper }}", bold=True, align="center")
    para(doc, "{{ title|upper }}", bold=True, align="center")
    para(doc, "{{ agency_name|upper }}", bold=True, align="center")
    para(doc, "TAHUN {{ year }}", bold=True, align="center", after=12)
    para(doc, "Dasar: {{ policy_title }}.", after=4)
    para(
        doc,
        "Pelaksana di Payung: {{ roles|join(', ') if roles else 'tidak memakai akun Payung: "
        "langkahnya dicatat oleh perangkat daerah lain' }}.",
        after=4,
    )
    para(doc, "Langkah: {{ steps|length }} dari {{ step_count }} langkah alur kerja.", after=4)
    para(doc, "Tanggal: {{ date_long }}.", after=8)
    para(
        doc,
        "SOP ini disusun otomatis oleh Payung dari alur kerja aplikasi: tabel perubahan status "
        "peserta, peran dan kewenangan, dokumen yang dihasilkan, serta batas waktu dan pasal "
        "menurut peraturan yang berlaku untuk tahun program ini. Nomor langkah adalah nomor "
        "dalam alur kerja seluruh perangkat daerah.",
        size=10,
        after=8,
    )
    para(doc, "A. Dasar hukum", bold=True, after=4, keep_next=True)
    tag(doc, "for basis in legal_bases")
    para(doc, "{{ loop.index }}. {{ basis }}", after=2)
    tag(doc, "endfor")
    para(doc, "B. Langkah kerja", bold=True, before=8, after=4, keep_next=True)
    data_table(
        doc,
        [
            Column("No", "{{ r.no }}", 0.9, "center"),
            Column(
                "Langkah",
                "{{ r.stage }}: {{ r.title }}{{ ' (dokumen: ' ~ r.documents ~ ')' "
                "if r.documents else '' }}",
                4.1,
            ),
            Column("Pelaksana", "{{ r.performers }}", 2.5),
            Column("Masukan", "{{ r.input }}", 2.0),
            Column("Keluaran", "{{ r.output }}", 2.0),
            Column("Batas waktu", "{{ r.deadline }}", 2.0),
            Column("Pasal", "{{ r.article }}", 2.5),
        ],
        "r in steps",
    )
    para(doc, "C. Bagan alir", bold=True, before=8, after=4, keep_next=True)
    para(
        doc,
        "Kotak bergaris tebal: langkah {{ agency_name }}; kotak bergaris putus-putus: langkah "
        "perangkat daerah lain yang menyerahkan masukan atau menerima keluaran.",
        size=10,
        after=4,
    )
    tag(doc, "for c in charts")
    para(doc, "{{ c.no }}. {{ c.title }}", bold=True, before=6, keep_next=True)
    para(doc, "{{ c.marker }}", align="center")
    tag(doc, "endfor")
    tag(doc, "if assumptions")
    para(doc, "D. Asumsi yang belum dikonfirmasi", bold=True, before=8, after=4, keep_next=True)
    para(
        doc,
        "Nilai berikut dalam berkas kebijakan masih berupa asumsi dan perlu dikonfirmasi Bagian "
        "Hukum sebelum SOP ini ditetapkan:",
        after=4,
    )
    tag(doc, "for a in assumptions")
    para(doc, "- {{ a }}", after=2)
    tag(doc, "endfor")
    tag(doc, "endif")
    return doc


def _report_signature(doc: DocumentObject) -> None:
    widths = (7.5, TEXT_WIDTH_CM - 7.5)
    table = layout_table(doc, widths)
    _, right = layout_row(table, widths)
    para(right, "{{ place }}, {{ date_long }}", align="left", before=18)
    para(right, "{{ signer.title }},", bold=True, align="left")
    blank(right, 4)
    para(right, "{{ (signer.name or " + DOTS + ")|upper }}", bold=True, align="left")
    para(right, "NIP. {{ signer.nip or " + DOTS + " }}", align="left")


def laporan_semester() -> DocumentObject:
    """Laporan Semester Tim kepada Bupati (Pasal 12 ayat (3)): coverage, money, benefits,
    problems found and the team's recommendations; counts and rupiah only, no person.
    Fields: ``SemesterReportContext`` in ``payung.monitoring.documents`` (issue 14)."""
    doc = new_document("Laporan Semester Tim Pendataan dan Penetapan Pekerja Rentan", "")
    for line in (
        "LAPORAN SEMESTER {{ half_roman }} TAHUN {{ year }}",
        "TIM PENDATAAN DAN PENETAPAN PEKERJA RENTAN",
        "PENYELENGGARAAN JAMINAN SOSIAL KETENAGAKERJAAN BAGI PEKERJA RENTAN",
        "{{ region_name|upper }}",
    ):
        para(doc, line, bold=True, align="center")
    para(
        doc,
        "Periode {{ period_label }} · Versi {{ version }}, {{ date_long }}",
        align="center",
        before=6,
        after=12,
    )
    para(doc, "Kepada Yth. **Bupati {{ place }}**", align="left")
    para(doc, "di {{ place }}", align="left", after=12)
    para(
        doc,
        "Sesuai dengan {{ article }} {{ policy_title }}, Tim menyampaikan laporan pelaksanaan "
        "dan optimalisasi penyelenggaraan jaminan sosial ketenagakerjaan bagi pekerja rentan "
        "untuk periode {{ period_label }}, sebagai bahan penyusunan kebijakan tahun berikutnya. "
        "Angka dihitung pada {{ on_long }}.",
        after=6,
    )
    para(doc, "A. Cakupan kepesertaan", bold=True, before=6, after=4, keep_next=True)
    data_table(
        doc,
        [
            Column("No", "{{ r.no }}", 1.2, "center"),
            Column("Uraian", "{{ r.label }}", 10.0),
            Column("Jumlah", "{{ r.value }}", 4.8, "right"),
        ],
        "r in coverage_lines",
    )
    para(
        doc,
        "Pagu tahun {{ year }} {{ pagu_rupiah }}; biaya iuran satu peserta setahun "
        "{{ cost_per_person_year_rupiah }}. Peserta aktif per kecamatan pada {{ on_long }}:",
        before=6,
        after=4,
    )
    data_table(
        doc,
        [
            Column("No", "{{ r.no }}", 1.2, "center"),
            Column("Kecamatan", "{{ r.label }}", 10.0),
            Column("Peserta aktif", "{{ r.value }}", 4.8, "right"),
        ],
        "r in by_kecamatan",
        footer=("", "Jumlah", "{{ active }}"),
    )
    para(doc, "B. Keuangan (Pasal 13)", bold=True, before=12, after=4, keep_next=True)
    para(
        doc,
        "Iuran ditagih dalam periode ini {{ billed_in_period_rupiah }}, dibayar "
        "{{ paid_in_period_rupiah }}. Realisasi sejak 1 Januari menurut sumber dana:",
        after=4,
    )
    data_table(
        doc,
        [
            Column("No", "{{ s.no }}", 0.9, "center"),
            Column("Sumber dana", "{{ s.label }}", 3.1),
            Column("Pagu", "{{ s.pagu }}", 2.4, "right"),
            Column("Ditagih", "{{ s.billed }}", 2.4, "right"),
            Column("Dibayar", "{{ s.paid }}", 2.4, "right"),
            Column("Sisa", "{{ s.remaining }}", 2.4, "right"),
            Column("Perkiraan s.d. Desember", "{{ s.forecast }}", 2.4, "right"),
        ],
        "s in sources",
        footer=(
            "",
            "Jumlah",
            "{{ money_total.pagu }}",
            "{{ money_total.billed }}",
            "{{ money_total.paid }}",
            "{{ money_total.remaining }}",
            "{{ money_total.forecast }}",
        ),
    )
    para(doc, "C. Manfaat (Pasal 10 ayat (2) huruf g)", bold=True, before=12, after=4)
    para(
        doc,
        "Klaim JKK dan JKM dalam periode ini: {{ claims }} klaim sebesar "
        "{{ claims_amount_rupiah }}; iuran yang telah dibayar {{ contributions_paid_rupiah }}.",
        after=4,
    )
    data_table(
        doc,
        [
            Column("No", "{{ c.no }}", 1.2, "center"),
            Column("Jenis klaim", "{{ c.label }}", 7.8),
            Column("Jumlah", "{{ c.count }}", 2.6, "right"),
            Column("Nilai", "{{ c.amount }}", 4.4, "right"),
        ],
        "c in claims_by_type",
    )
    para(doc, "D. Masalah yang ditemukan", bold=True, before=12, after=4, keep_next=True)
    tag(doc, "for p in problems")
    para(doc, "{{ loop.index }}.\t{{ p }}", hanging_cm=0.7, after=2)
    tag(doc, "endfor")
    para(doc, "E. Rekomendasi Tim", bold=True, before=12, after=4, keep_next=True)
    tag(doc, "for p in recommendations")
    para(doc, "{{ loop.index }}.\t{{ p }}", hanging_cm=0.7, after=4)
    tag(doc, "endfor")
    para(
        doc,
        "Demikian laporan ini disampaikan untuk menjadi bahan pertimbangan Bupati.",
        before=8,
    )
    _report_signature(doc)
    return doc


def notulen_monev() -> DocumentObject:
    """Notulen Rapat Monitoring dan Evaluasi (Pasal 10 ayat (2) huruf e-f): who attended,
    the figures on the day, what the team found and decided. Fields: ``MinutesContext`` in
    ``payung.monitoring.documents`` (issue 14)."""
    doc = new_document("Notulen Rapat Monitoring dan Evaluasi", "")
    para(doc, "NOTULEN RAPAT MONITORING DAN EVALUASI", bold=True, align="center")
    para(
        doc,
        "TIM PENDATAAN DAN PENETAPAN PEKERJA RENTAN {{ region_name|upper }}",
        bold=True,
        align="center",
    )
    para(doc, "TAHUN {{ year }}", bold=True, align="center", after=12)
    widths = (3.0, 0.4, TEXT_WIDTH_CM - 3.4)
    label_rows(
        doc,
        widths,
        (
            ("Hari, tanggal", "{{ date_long }}"),
            ("Tempat", "{{ meeting_place }}"),
            ("Dasar", "Pasal 10 ayat (2) huruf e dan f"),
        ),
    )
    para(doc, "A. Peserta rapat", bold=True, before=12, after=4, keep_next=True)
    data_table(
        doc,
        [
            Column("No", "{{ m.no }}", 1.0, "center"),
            Column("Nama", "{{ m.name }}", 5.0),
            Column("Kedudukan", "{{ m.position }}", 3.5),
            Column("Unsur", "{{ m.agency }}", 6.5),
        ],
        "m in team",
    )
    para(doc, "B. Angka monitoring", bold=True, before=12, after=4, keep_next=True)
    data_table(
        doc,
        [
            Column("No", "{{ r.no }}", 1.0, "center"),
            Column("Uraian", "{{ r.label }}", 10.2),
            Column("Jumlah", "{{ r.value }}", 4.8, "right"),
        ],
        "r in figures",
    )
    para(doc, "C. Hasil monitoring dan evaluasi", bold=True, before=12, after=4, keep_next=True)
    tag(doc, "for p in findings")
    para(doc, "{{ p }}", after=4)
    tag(doc, "endfor")
    para(doc, "D. Kesimpulan dan tindak lanjut", bold=True, before=12, after=4, keep_next=True)
    tag(doc, "for p in decisions")
    para(doc, "{{ loop.index }}.\t{{ p }}", hanging_cm=0.7, after=2)
    tag(doc, "endfor")
    _report_signature(doc)
    return doc


TEMPLATES: dict[str, Callable[[], DocumentObject]] = {
    "berita-acara": berita_acara,
    "keputusan-peserta": keputusan_peserta,
    "keputusan-daftar-nama": keputusan_daftar_nama,
    "keputusan-tim": keputusan_tim,
    "keputusan-perubahan-peserta": keputusan_perubahan_peserta,
    "permohonan-iuran": permohonan_iuran,
    "berita-acara-rekonsiliasi": berita_acara_rekonsiliasi,
    "jawaban-sanggahan": jawaban_sanggahan,
    "surat-penghentian-layanan": surat_penghentian_layanan,
    "surat-pencabutan-penghentian": surat_pencabutan_penghentian,
    "catatan-teguran-bpjs": catatan_teguran_bpjs,
    "sop": sop,
    "laporan-semester": laporan_semester,
    "notulen-monev": notulen_monev,
}


def build(name: str) -> bytes:
    buffer = io.BytesIO()
    TEMPLATES[name]().save(buffer)
    return docx_freeze(buffer.getvalue())


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    args = parser.parse_args(argv)
    TARGET.mkdir(parents=True, exist_ok=True)
    stale = []
    for name in TEMPLATES:
        data = build(name)
        path = TARGET / f"{name}.docx"
        if args.check:
            if not path.exists() or path.read_bytes() != data:
                stale.append(path.name)
            continue
        path.write_bytes(data)
        print(f"{path.relative_to(ROOT)}: {len(data)} bytes")
    if stale:
        print(f"out of date: {', '.join(stale)} (run scripts/build_doc_templates.py)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
