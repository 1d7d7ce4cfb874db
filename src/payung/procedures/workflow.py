"""The workflow definition an SOP is written from, read from the code's own tables.

Pekalongan's facilitation asked for "standar operasional yang jelas untuk OPD" (minutes of
24 July 2025, item 5). An SOP typed by hand drifts from what the application enforces; this
module reads what the application enforces instead:

- the lifecycle transition table (``participants.transitions.MOVES``) with its per-move facts
  (``MOVE_FACTS``: stage, article, input, output);
- who may do what (``accounts.roles.ROLES``): a step's agencies are the agencies of the roles
  holding its permission, so moving a permission to another role moves the step;
- the documents a step produces (the documents app's shipped templates, checked by a test);
- the deadlines of the year's pinned policy (appeal answer days, billing period, the PP 86/2013
  ladder when the policy switches sanctions on).

Steps that change no candidate's state (importing the extract, the PKS, a bill) are listed in
``PROCESS_STEPS`` below, each by the permission that guards its page; the few steps that no
page performs (the budget in the APBD, the legal division's check of a decree, the team's
report to the Regent) name their agencies directly, with the article that gives them the task.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from payung.accounts import roles as roles_table
from payung.domain.policy import policy_assumption_lines, policy_funding_sources
from payung.participants import transitions
from payung.participants.models import CandidateState

L = gettext_lazy

#: The agencies that get an SOP (Pekalongan minutes item 5; Pandeglang Pasal 10 ayat (3)).
AGENCIES: Final[tuple[str, ...]] = (
    "dinsos",
    "disdukcapil",
    "disnakertrans",
    "bpkd",
    "bapperida",
    "inspektorat",
    "hukum",
    "bpjs",
)

#: Names used when the policy names none (``policy.agencies`` when a policy file has it).
DEFAULT_AGENCY_NAMES: Final[dict[str, Any]] = {
    "dinsos": L("Dinas Sosial"),
    "disdukcapil": L("Dinas Kependudukan dan Pencatatan Sipil"),
    "disnakertrans": L("Dinas Tenaga Kerja dan Transmigrasi"),
    "bpkd": L("Badan Pengelola Keuangan Daerah"),
    "bapperida": L("Badan Perencanaan Pembangunan, Riset dan Inovasi Daerah"),
    "inspektorat": L("Inspektorat"),
    "hukum": L("Bagian Hukum Sekretariat Daerah"),
    "bpjs": L("BPJS Ketenagakerjaan Kantor Cabang"),
}

#: ``Role.agency_kind`` -> agencies. The team role (``tim``) is held by the team members
#: outside the three working agencies (Pasal 10 ayat (3) huruf a, e, f, g).
ROLE_AGENCIES: Final[dict[str, tuple[str, ...]]] = {
    "dinsos": ("dinsos",),
    "disdukcapil": ("disdukcapil",),
    "disnakertrans": ("disnakertrans",),
    "bpjs": ("bpjs",),
    "inspektorat": ("inspektorat",),
    "tim": ("inspektorat", "bapperida", "bpkd", "hukum"),
}

#: The team of Pasal 10 ayat (3): every agency but BPJS.
TEAM: Final[tuple[str, ...]] = tuple(a for a in AGENCIES if a != "bpjs")


@dataclass(frozen=True)
class Stage:
    code: str
    label: Any
    article: str


STAGES: Final[tuple[Stage, ...]] = (
    Stage("anggaran", L("Perencanaan dan anggaran"), "Pasal 6 ayat (2)"),
    Stage("pendataan", L("Pendataan"), "Pasal 7 ayat (1)-(2)"),
    Stage("verifikasi", L("Verifikasi dan validasi"), "Pasal 7 ayat (3)"),
    Stage("penetapan", L("Penetapan peserta"), "Pasal 7 ayat (4)"),
    Stage("pendaftaran", L("Pendaftaran ke BPJS Ketenagakerjaan"), "Pasal 8"),
    Stage("iuran", L("Pembayaran iuran"), "Pasal 9"),
    Stage("perubahan", L("Perubahan peserta"), "Pasal 6 ayat (2), Pasal 7"),
    Stage("sanggahan", L("Sanggahan"), "Pasal 5, Pasal 7"),
    Stage("pemantauan", L("Pemantauan, evaluasi dan pelaporan"), "Pasal 10 ayat (2), Pasal 12"),
    Stage("sanksi", L("Sanksi administratif pemberi kerja"), "PP 86/2013"),
)
#: Where a move whose facts are not written yet goes: still listed, never dropped.
OTHER_STAGE: Final = Stage("lainnya", L("Langkah lain"), "")

#: Titles of the documents a step produces: names of the documents app's templates.
DOCUMENT_TITLES: Final[dict[str, Any]] = {
    "berita-acara": L("Berita Acara Hasil Pendataan"),
    "keputusan-peserta": L("Keputusan Bupati tentang Penetapan Peserta"),
    "keputusan-daftar-nama": L("Keputusan Kepala Dinas tentang Daftar Nama Peserta"),
    "keputusan-tim": L("Keputusan Bupati tentang Tim"),
    "keputusan-perubahan-peserta": L("Keputusan Bupati tentang Perubahan Peserta"),
    "permohonan-iuran": L("Surat Permohonan Pembayaran Iuran"),
    "berita-acara-rekonsiliasi": L("Berita Acara Rekonsiliasi Iuran"),
    "tanda-terima-kartu": L("Daftar Tanda Terima Kartu Peserta"),
    "jawaban-sanggahan": L("Surat Jawaban Sanggahan"),
}


@dataclass(frozen=True)
class ProcessStep:
    """A step that changes no candidate's state: guarded by ``permission`` (its agencies are
    the roles' that hold it) or, where no page performs it, done by ``agencies``."""

    code: str
    stage: str
    title: Any
    article: str
    input: Any
    output: Any
    permission: str = ""
    agencies: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()
    deadline: str = ""
    #: Listed after the stage's moves (approving what the moves produced).
    after_moves: bool = False
    #: Only when the policy switches sanctions on.
    sanctions_only: bool = False


P = ProcessStep
PROCESS_STEPS: Final[tuple[ProcessStep, ...]] = (
    P("rencana", "anggaran", L("Merencanakan program dan pagu iuran dalam rencana kerja daerah"),
      "Pasal 6 ayat (2)", L("jumlah pekerja rentan dan capaian tahun lalu"),
      L("pagu dalam rencana kerja"), agencies=("bapperida",)),
    P("anggaran", "anggaran", L("Menganggarkan iuran dalam APBD menurut sumber dana"),
      "@funding", L("pagu dalam rencana kerja"), L("DPA dengan pagu per sumber dana"),
      agencies=("bpkd",)),
    P("tahun", "anggaran", L("Membuat tahun program dengan peraturan yang berlaku dan pagu"),
      "@budget", L("DPA dengan pagu per sumber dana"), L("tahun program"),
      permission="programmes.manage_programmeyear"),
    P("tim", "anggaran", L("Menyusun tim dan rancangan keputusan tentang tim"),
      "Pasal 10 ayat (1), (5)", L("usulan anggota dari setiap perangkat daerah"),
      L("rancangan keputusan tim"), permission="programmes.manage_team",
      documents=("keputusan-tim",)),
    P("impor", "pendataan", L("Mengimpor ekstrak DTSEN"), "Pasal 7 ayat (1)",
      L("ekstrak DTSEN"), L("data terimpor"), permission="registry.import_extract"),
    P("saring", "pendataan", L("Menyaring setiap orang menurut kriteria dan prioritas"),
      "Pasal 5, Pasal 7 ayat (2)", L("data terimpor"), L("hasil penyaringan dan peringkat"),
      permission="screening.run_screening"),
    P("daftar_lain", "pendataan", L("Mencocokkan dengan daftar penerima bantuan iuran lain"),
      "Pasal 5 ayat (2) huruf f", L("daftar pemberi iuran lain"), L("kecocokan yang diputuskan"),
      permission="linkage.import_other_list"),
    P("setujui", "pendataan", L("Menyetujui usulan (operator kedua) dan berita acara"),
      "Pasal 10 ayat (2) huruf c", L("usulan calon"), L("berita acara hasil pendataan"),
      permission="participants.approve_proposal", documents=("berita-acara",),
      after_moves=True),
    P("kirim_verifikasi", "verifikasi", L("Mengirim berkas usulan ke Disdukcapil"),
      "Pasal 7 ayat (3)", L("usulan yang disetujui"), L("berkas usulan"),
      permission="verification.start_verification_round"),
    P("rancang_keputusan", "penetapan", L("Menyusun rancangan keputusan peserta dan daftar nama"),
      "Pasal 7 ayat (4), Pasal 10 ayat (2) huruf d", L("calon terverifikasi"),
      L("rancangan keputusan"), permission="decrees.draft_decree",
      documents=("keputusan-peserta", "keputusan-daftar-nama")),
    P("harmonisasi", "penetapan", L("Memeriksa rancangan keputusan dan memberi nomor"),
      "Pasal 7 ayat (4)", L("rancangan keputusan"), L("keputusan siap ditandatangani"),
      agencies=("hukum",)),
    P("pks", "pendaftaran", L("Menandatangani perjanjian kerja sama dengan BPJS Ketenagakerjaan"),
      "Pasal 6 ayat (4)-(5)", L("keputusan bertanda tangan"),
      L("PKS: tanggal mulai dan periode tagihan"),
      permission="programmes.record_cooperation_agreement", agencies=("bpjs",)),
    P("kirim_pendaftaran", "pendaftaran", L("Menyiapkan dan mengirim berkas pendaftaran"),
      "Pasal 8 ayat (1)-(2)", L("keputusan bertanda tangan"),
      L("berkas pendaftaran (nama, NIK, pekerjaan, alamat)"),
      permission="enrollment.prepare_registration"),
    P("jawaban_bpjs", "pendaftaran", L("Merekam peserta dan mengirim jawaban pendaftaran"),
      "Pasal 8 ayat (3), (5)", L("berkas pendaftaran"), L("KPJ, tanggal mulai, penolakan"),
      permission="enrollment.upload_registration_answer"),
    P("kartu", "pendaftaran", L("Menerbitkan dan membagikan kartu peserta"), "Pasal 8 ayat (4)",
      L("peserta terdaftar"), L("tanda terima kartu"), permission="enrollment.record_card",
      documents=("tanda-terima-kartu",), after_moves=True),
    P("tagihan", "iuran", L("Menerbitkan tagihan dan surat permohonan pembayaran iuran"),
      "Pasal 9 ayat (1)-(3)", L("peserta aktif per bulan"), L("surat permohonan pembayaran"),
      permission="contributions.issue_bill", documents=("permohonan-iuran",),
      deadline="billing"),
    P("sp2d", "iuran", L("Menerbitkan SP2D pembayaran iuran"), "Pasal 9 ayat (4)",
      L("surat permohonan pembayaran"), L("SP2D"), agencies=("bpkd",), deadline="billing"),
    P("bayar", "iuran", L("Mencatat SP2D dan mengonfirmasinya (bendahara kedua)"),
      "Pasal 9 ayat (1)", L("SP2D"), L("pembayaran tercatat"),
      permission="contributions.record_payment"),
    P("rekonsiliasi", "iuran", L("Merekonsiliasi tagihan BPJS dengan tagihan daerah"),
      "Pasal 9 ayat (1)", L("tagihan BPJS"), L("berita acara rekonsiliasi"),
      permission="contributions.reconcile", documents=("berita-acara-rekonsiliasi",)),
    P("klaim", "perubahan", L("Mengirim berkas klaim JKK dan JKM"),
      "Pasal 10 ayat (2) huruf g", L("klaim yang dibayar"), L("berkas klaim"),
      permission="ends.import_claims"),
    P("data_akhir", "perubahan", L("Mengirim data kematian dan pindah domisili"),
      "Pasal 5 ayat (2) huruf a", L("data kependudukan"), L("berkas kematian dan pindah"),
      permission="ends.import_dukcapil_ends"),
    P("keputusan_perubahan", "perubahan", L("Menyusun keputusan perubahan peserta"),
      "Pasal 7 ayat (3)-(4)", L("pengganti terverifikasi dan peserta berakhir"),
      L("rancangan keputusan perubahan"), permission="decrees.draft_decree",
      documents=("keputusan-perubahan-peserta",), after_moves=True),
    P("catat_sanggahan", "sanggahan", L("Mencatat sanggahan dan data perbaikannya"),
      "Pasal 5 ayat (2)", L("sanggahan dan bukti"), L("penyaringan ulang"),
      permission="appeals.record_appeal", deadline="appeal"),
    P("jawab_sanggahan", "sanggahan", L("Menjawab sanggahan dengan surat (operator kedua)"),
      "Pasal 5, Pasal 7", L("penyaringan ulang"), L("surat jawaban sanggahan"),
      permission="appeals.answer_appeal", documents=("jawaban-sanggahan",), deadline="appeal",
      after_moves=True),
    P("monev", "pemantauan",
      L("Memantau dan mengevaluasi jumlah dan data peserta, iuran dan penerima manfaat"),
      "Pasal 10 ayat (2) huruf e-g", L("data peserta, pembayaran, klaim"),
      L("catatan pemantauan"), agencies=TEAM),
    P("pengawasan", "pemantauan",
      L("Menyampaikan laporan pengawasan pekerja pada pemberi kerja kepada Tim"),
      "Pasal 12 ayat (1)", L("hasil kunjungan pengawasan"), L("laporan pengawasan"),
      agencies=("disnakertrans",), deadline="supervision"),
    P("audit", "pemantauan", L("Memeriksa jejak audit, keputusan dan pembayaran"),
      "Pasal 10 ayat (3) huruf a", L("jejak audit"), L("catatan pemeriksaan"),
      permission="audit.view_auditentry"),
    P("lapor_bupati", "pemantauan", L("Melaporkan hasil pemantauan dan evaluasi kepada Bupati"),
      "Pasal 10 ayat (2) huruf h, Pasal 12 ayat (3)", L("catatan pemantauan"),
      L("laporan semester kepada Bupati"), agencies=TEAM, deadline="semester"),
    P("teguran", "sanksi", L("Menerbitkan teguran tertulis kepada pemberi kerja"),
      "@sanctions:Pasal 6", L("temuan pengawasan"), L("surat teguran"), agencies=("bpjs",),
      deadline="warning", sanctions_only=True),
    P("denda", "sanksi", L("Mengenakan denda atas iuran yang tidak dibayar"),
      "@sanctions:Pasal 7", L("teguran yang tidak dipenuhi"), L("penetapan denda"),
      agencies=("bpjs",), deadline="fine", sanctions_only=True),
    P("tidak_dapat_layanan", "sanksi",
      L("Menyampaikan surat penghentian layanan publik tertentu atas permintaan BPJS"),
      "@sanctions:Pasal 9", L("permintaan BPJS"), L("surat kepada perangkat daerah perizinan"),
      agencies=("disnakertrans", "hukum"), sanctions_only=True),
    P("pencabutan", "sanksi", L("Mencabut penghentian layanan setelah kewajiban dipenuhi"),
      "@sanctions:Pasal 9", L("bukti pembayaran dan pendaftaran"), L("surat pencabutan"),
      agencies=("disnakertrans", "hukum"), sanctions_only=True),
)  # fmt: skip


@dataclass(frozen=True)
class Step:
    """One step of the year's workflow, as an SOP prints it."""

    no: int
    code: str
    stage: str
    stage_label: str
    title: str
    agencies: tuple[str, ...]
    performers: str
    input: str
    output: str
    deadline: str
    article: str
    documents: list[str] = field(default_factory=list)
    #: True for a change of a candidate's state (from the transition table).
    transition: bool = False


def permission_agencies(permission: str) -> tuple[str, ...]:
    """The agencies whose roles hold ``permission`` (``accounts.roles``), in AGENCIES order."""
    found: set[str] = set()
    for role in roles_table.ROLES:
        if permission in role.permissions:
            found.update(ROLE_AGENCIES.get(role.agency_kind, ()))
    return tuple(a for a in AGENCIES if a in found)


def agency_names(*, policy: Any) -> dict[str, str]:
    """Agency names for the programme year's regency: the policy's own (``agencies``: code ->
    name, e.g. Pekalongan's "Dinkop UKM dan Naker" for the labour agency), else the defaults."""
    names = {code: str(name) for code, name in DEFAULT_AGENCY_NAMES.items()}
    names.update(policy.agencies)
    return names


def deadline_text(*, key: str, policy: Any) -> str:
    """A step's deadline in words, from the pinned policy (or the regulation's own period)."""
    from payung.contributions.selectors import DUE_DAY

    sanctions = policy.sanctions
    texts: dict[str, Callable[[], str]] = {
        "": lambda: "—",
        "appeal": lambda: (
            _("%(n)s hari sejak sanggahan diterima") % {"n": policy.cycle.appeal_answer_days}
        ),
        "billing": lambda: (
            _("setiap periode tagihan (%(period)s), jatuh tempo tanggal %(day)s bulan pertama")
            % {"period": policy.contribution.billing_period, "day": DUE_DAY}
        ),
        "supervision": lambda: _("paling sedikit 2 kali dalam 1 tahun"),
        "semester": lambda: _("setiap 6 bulan"),
        "warning": lambda: (
            _("%(days)s hari kerja setiap teguran, paling banyak %(n)s teguran")
            % {"days": sanctions.warning_working_days, "n": sanctions.warnings}
        ),
        "fine": lambda: _("dibayar dalam %(days)s hari") % {"days": sanctions.fine_max_days},
    }
    maker = texts.get(key)
    return maker() if maker is not None else "—"


def _article(spec: str, *, policy: Any) -> str:
    """A step's article; ``@...`` reads it from the policy (its own numbering differs)."""
    if spec == "@budget":
        return policy.budget_article
    if spec == "@funding":
        sources = policy_funding_sources(policy)
        articles = list(dict.fromkeys(s.article for s in sources if s.article))
        return ", ".join(articles) or policy.budget_article
    if spec.startswith("@sanctions:"):
        sanctions = policy.sanctions
        own = f"{sanctions.article}; " if sanctions.article else ""
        return f"{own}{spec.split(':', 1)[1]} {sanctions.basis}"
    return spec


def _move_title(move: transitions.Move) -> str:
    sources = sorted(str(CandidateState(s).label) for s in move.sources)
    return _("Mengubah status calon dari %(from)s menjadi %(to)s") % {
        "from": ", ".join(sources),
        "to": str(CandidateState(move.target).label),
    }


def workflow_steps(*, policy: Any) -> list[Step]:
    """Every step of the year in order: per stage, its process steps, the moves of the
    transition table, then the steps that approve what the moves produced."""
    names = agency_names(policy=policy)
    stage_of = {s.code: s for s in STAGES}
    raw: list[tuple[str, dict[str, Any]]] = []
    for process in PROCESS_STEPS:
        if process.sanctions_only and not policy.sanctions.enabled:
            continue
        agencies = set(process.agencies)
        if process.permission:
            agencies.update(permission_agencies(process.permission))
        order = 2 if process.after_moves else 0
        raw.append(
            (
                process.stage,
                {
                    "order": order,
                    "code": process.code,
                    "title": str(process.title),
                    "agencies": tuple(a for a in AGENCIES if a in agencies),
                    "input": str(process.input),
                    "output": str(process.output),
                    "deadline": process.deadline,
                    "article": _article(process.article, policy=policy),
                    "documents": [str(DOCUMENT_TITLES[d]) for d in process.documents],
                    "transition": False,
                },
            )
        )
    for action, move in transitions.MOVES.items():
        facts = transitions.MOVE_FACTS.get(action)
        agencies: set[str] = set()
        for permission in move.permissions:
            agencies.update(permission_agencies(permission))
        raw.append(
            (
                facts.stage if facts and facts.stage in stage_of else OTHER_STAGE.code,
                {
                    "order": 1,
                    "code": action,
                    "title": _move_title(move),
                    "agencies": tuple(a for a in AGENCIES if a in agencies),
                    "input": str(facts.input)
                    if facts
                    else str(CandidateState(sorted(move.sources)[0]).label),
                    "output": str(facts.output)
                    if facts
                    else str(CandidateState(move.target).label),
                    "deadline": facts.deadline if facts else "",
                    "article": facts.article if facts else _("belum ditetapkan"),
                    "documents": [],
                    "transition": True,
                },
            )
        )
    stage_index = {s.code: i for i, s in enumerate((*STAGES, OTHER_STAGE))}
    labels = {s.code: str(s.label) for s in (*STAGES, OTHER_STAGE)}
    raw.sort(key=lambda item: (stage_index[item[0]], item[1]["order"]))  # stable otherwise
    steps = []
    for no, (stage, data) in enumerate(raw, start=1):
        data.pop("order")
        steps.append(
            Step(
                no=no,
                stage=stage,
                stage_label=labels[stage],
                performers=", ".join(names[a] for a in data["agencies"]) or "—",
                **{**data, "deadline": deadline_text(key=data["deadline"], policy=policy)},
            )
        )
    return steps


def agency_steps(*, steps: Sequence[Step], agency: str) -> list[Step]:
    """The steps ``agency`` performs, in workflow order."""
    return [s for s in steps if agency in s.agencies]


def agency_roles(*, agency: str) -> list[str]:
    """The roles of Payung held by the agency's staff (``accounts.roles``), as named in the
    UI: who in the agency does the steps."""
    return [
        str(r.name) for r in roles_table.ROLES if agency in ROLE_AGENCIES.get(r.agency_kind, ())
    ]


#: Top-level keys of a policy file whose values an SOP prints (deadlines, articles, names).
SOP_POLICY_KEYS: Final = frozenset(
    {"agencies", "budget_article", "contribution", "cycle", "funding_sources", "sanctions"}
)


def sop_assumptions(*, policy: Any) -> list[str]:
    """The policy's assumptions (``asumsi``) this SOP depends on, each named in words with
    its reason, so the legal division sees what to confirm before adopting the SOP (issue
    15)."""
    return policy_assumption_lines(policy, sections=frozenset(SOP_POLICY_KEYS))
