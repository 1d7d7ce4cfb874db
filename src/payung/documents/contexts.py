"""What each document is made from: plain data, built by the apps' selectors.

The templates (DOCX for docxtpl, HTML for WeasyPrint) read these names, so renaming a field
here is a change the legal division sees in its templates: docs/documents.md lists them.
Money is integer rupiah; words (terbilang) are computed here once so DOCX and PDF agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class CountRow:
    """One line of a recapitulation table: a label and how many."""

    label: str
    count: int
    note: str = ""


@dataclass(frozen=True)
class AnnexRow:
    """One person in a list annexed to a document (Pasal 8 ayat (2): name, NIK, occupation,
    address). ``nik`` is already masked or full, as the copy requires."""

    no: int
    nama: str
    nik: str
    pekerjaan: str
    desa: str
    kecamatan: str
    rank: int | None = None


@dataclass(frozen=True)
class TeamRow:
    """A member of the team of Pasal 10 ayat (3)-(4)."""

    no: int
    position: str  # Pembina, Pengarah, Ketua, Sekretaris, Anggota
    name: str
    agency: str
    jabatan: str = ""


@dataclass(frozen=True)
class Signatory:
    """Who signs: the office title as printed above the signature, and the name below it."""

    title: str
    name: str = ""
    nip: str = ""


@dataclass(frozen=True)
class ChartFigure:
    """A chart in a PDF (issue 9): its title, the drawing as an SVG data URI (vl-convert,
    payung.core.charts) and its numbers as a table, already formatted (50.000)."""

    title: str
    svg: str  # "data:image/svg+xml;base64,..."
    headers: tuple[str, ...] = ()
    rows: list[list[str]] = field(default_factory=list)


@dataclass(frozen=True)
class BeritaAcaraContext:
    """Berita Acara Hasil Pendataan (Pasal 10 ayat (2) huruf c)."""

    region_name: str  # "Kabupaten Pandeglang"
    year: int
    place: str
    date: date
    date_long: str  # "Selasa, 24 November 2026"
    policy_title: str
    run_id: int
    as_of: date
    input_sha256: str
    status: str  # "DRAF" until approved, then ""
    proposer: str
    approver: str
    team: list[TeamRow]
    totals: list[CountRow]  # by screening status
    by_article: list[CountRow]  # ineligible, per failed article (label = article + sentence)
    by_kecamatan: list[CountRow]  # proposed candidates per kecamatan
    quota: int
    budget: int
    budget_rupiah: str  # "Rp1.008.000.000"
    budget_words: str  # "satu miliar delapan juta rupiah"
    cost_per_person: int
    cost_per_person_rupiah: str
    months: int
    candidates: list[AnnexRow]
    candidate_count: int
    waitlist_count: int
    excluded: list[CountRow] = field(default_factory=list)  # label = NIK masked + reason
    #: The selection funnel up to the pagu, with its table (PDF only: the DOCX has no chart).
    funnel_chart: ChartFigure | None = None
    #: Issue 15: the policy values still resting on an assumption ("path: why"), printed so
    #: the legal division sees what to confirm; empty for a fully sourced policy.
    policy_assumptions: list[str] = field(default_factory=list)
    #: Failures by article as bars; its numbers are ``by_article`` (PDF only).
    articles_chart: ChartFigure | None = None


@dataclass(frozen=True)
class DecreeContext:
    """A decree (Keputusan) and the facts its dictum cites.

    ``kind`` is the policy file's decree id (e.g. ``peserta``, ``daftar_nama``, ``tim``): the
    template file is chosen by it, so a regency can give each decree its own wording.
    """

    kind: str
    issuer: str  # "BUPATI PANDEGLANG"
    title: str  # "... TAHUN 2026"
    article: str  # the article that orders it, e.g. "Pasal 7 ayat (4)"
    number: str  # "" while a draft: the template prints dots for the number
    region_name: str
    year: int
    place: str
    date_long: str  # "" while a draft
    legal_bases: list[str]
    policy_title: str
    signer: Signatory
    participant_count: int
    monthly_cost: int  # per participant per month (JKK + JKM)
    monthly_cost_rupiah: str
    months: int
    total_cost: int
    total_cost_rupiah: str
    total_cost_words: str
    annex_title: str
    annex: list[AnnexRow]
    nik_masked: bool
    team: list[TeamRow] = field(default_factory=list)
    draft: bool = True
    #: A year that carries over last year's participants (issue 12) lists them apart:
    #: ``carried_over`` ("Peserta lanjutan dari tahun N-1") and ``new_participants``
    #: ("Peserta baru"), each numbered from 1; None keeps the single ``annex`` list.
    carried_from_year: int | None = None
    carried_over: list[AnnexRow] = field(default_factory=list)
    new_participants: list[AnnexRow] = field(default_factory=list)
    #: Issue 15: the policy values still resting on an assumption ("path: why").
    policy_assumptions: list[str] = field(default_factory=list)
    #: The day of signing (``date_long`` in words), None while a draft: the PDF's own date.
    signed_on: date | None = None


@dataclass(frozen=True)
class ChangeRow:
    """One person an amending decree adds or removes: the annex line and the public reason.
    ``nik`` is already masked or full, as the copy requires."""

    no: int
    nama: str
    nik: str
    pekerjaan: str
    desa: str
    kecamatan: str
    reason: str


@dataclass(frozen=True)
class AmendingDecreeContext(DecreeContext):
    """An amending participants decree (Keputusan ... tentang Perubahan atas Keputusan ...,
    Pasal 7 ayat (4)): the decree it changes, who it adds and removes with the reasons, the
    count after the change (``participant_count``) and the cost of the additions
    (``total_cost``, ``monthly_cost`` × ``months`` from ``first_month``)."""

    base_number: str = ""  # the first participants decree of the year
    base_date_long: str = ""
    base_title: str = ""  # upper case, as ``title``
    amends_number: str = ""  # the decree this one changes (the first or its latest amendment)
    amends_date_long: str = ""
    additions: list[ChangeRow] = field(default_factory=list)
    removals: list[ChangeRow] = field(default_factory=list)
    addition_count: int = 0
    removal_count: int = 0
    count_before: int = 0
    first_month: str = ""  # "Juli 2026": the first month the additions are paid for
