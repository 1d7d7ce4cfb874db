"""Document contexts with synthetic people, built without a database.

Rendering is a pure function of a context, so the rendering tests need no models: these
functions build the dataclasses the apps' selectors would, with Sundanese and Javanese names
and NIKs that look real (Kabupaten Pandeglang, code 3601) but belong to nobody.
"""

from __future__ import annotations

from datetime import date

from payung.documents.contexts import (
    AnnexRow,
    BeritaAcaraContext,
    CountRow,
    DecreeContext,
    Signatory,
    TeamRow,
)
from payung.domain import nik as nik_domain
from payung.domain.money import rupiah, terbilang_rupiah

FIRST = ("Asep", "Ujang", "Dede", "Euis", "Siti", "Cecep", "Iis", "Nining", "Jajang", "Yayat")
LAST = ("Saepudin", "Rohmat", "Kurniasih", "Suryani", "Hidayat", "Sumarni")
JOBS = ("Petani", "Nelayan", "Buruh Harian Lepas", "Pedagang Keliling", "Ojek Pangkalan")
VILLAGES = (
    ("Cikoneng", "Mandalawangi"),
    ("Sukanegara", "Carita"),
    ("Banjarsari", "Labuan"),
    ("Kadubelang", "Mekarjaya"),
)
LEGAL_BASES = [
    "Undang-Undang Nomor 40 Tahun 2004 tentang Sistem Jaminan Sosial Nasional",
    "Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah",
    "Peraturan Bupati Pandeglang Nomor 63 Tahun 2025 tentang Jaminan Sosial "
    "Ketenagakerjaan bagi Pekerja Rentan",
]
POLICY_TITLE = (
    "Peraturan Bupati Pandeglang Nomor 63 Tahun 2025 tentang Jaminan Sosial "
    "Ketenagakerjaan bagi Pekerja Rentan"
)
MONTHLY = 16_800


def person_name(i: int) -> str:
    """A distinct name per index (``Asep Saepudin 7``-style names would be unrealistic, so
    the combinations of first and last name carry the uniqueness up to 60 people)."""
    first = FIRST[i % len(FIRST)]
    last = LAST[(i // len(FIRST)) % len(LAST)]
    return f"{first} {last}"


def full_nik(i: int) -> str:
    """3601 (Pandeglang) + district + birth date DDMMYY + serial; women add 40 to the day."""
    day = 1 + i % 28 + (40 if i % 2 else 0)
    return f"360104{day:02d}{1 + i % 12:02d}{70 + i % 25:02d}{1000 + i:04d}"


def annex_rows(count: int = 30, *, masked: bool = True) -> list[AnnexRow]:
    rows = []
    for i in range(count):
        desa, kecamatan = VILLAGES[i % len(VILLAGES)]
        nik = full_nik(i)
        rows.append(
            AnnexRow(
                no=i + 1,
                nama=person_name(i),
                nik=nik_domain.mask(nik) if masked else nik,
                pekerjaan=JOBS[i % len(JOBS)],
                desa=desa,
                kecamatan=kecamatan,
                rank=i + 1,
            )
        )
    return rows


def team_rows() -> list[TeamRow]:
    return [
        TeamRow(1, "Pembina", "Raden Dewi Setiani", "Sekretariat Daerah", "Bupati Pandeglang"),
        TeamRow(2, "Ketua", "Hendra Gunawan", "Dinas Sosial", "Kepala Dinas Sosial"),
        TeamRow(3, "Sekretaris", "Lilis Suryani", "Disnakertrans", "Sekretaris Dinas"),
        TeamRow(4, "Anggota", "Dadang Kusnadi", "Disdukcapil", "Kepala Bidang"),
        TeamRow(5, "Anggota", "Neneng Hasanah", "Inspektorat", "Auditor Ahli Muda"),
    ]


def berita_acara_context(
    count: int = 30, *, status: str = "DRAF", excluded: bool = True
) -> BeritaAcaraContext:
    months = 12
    cost = MONTHLY * months
    budget = 1_008_000_000
    candidates = annex_rows(count)
    return BeritaAcaraContext(
        region_name="Kabupaten Pandeglang",
        year=2026,
        place="Pandeglang",
        date=date(2026, 11, 24),
        date_long="Selasa, 24 November 2026",
        policy_title=POLICY_TITLE,
        run_id=17,
        as_of=date(2026, 1, 1),
        input_sha256="ab" * 32,
        status=status,
        proposer="Asep Operator",
        approver="" if status else "Euis Pemeriksa",
        team=team_rows(),
        totals=[
            CountRow("Memenuhi syarat", 41_250, "terpilih dan daftar tunggu"),
            CountRow("Tidak memenuhi syarat", 8_512),
            CountRow("Tidak dapat dinilai", 238, "data tidak lengkap"),
        ],
        by_article=[
            CountRow("5(2)b: Berusia paling rendah 18 tahun dan paling tinggi 65 tahun.", 4_005),
            CountRow("5(2)d: Termasuk desil 1 sampai dengan desil 5 DTSEN.", 4_507),
        ],
        by_kecamatan=[CountRow(k, count // len(VILLAGES)) for _, k in VILLAGES],
        quota=budget // cost,
        budget=budget,
        budget_rupiah=rupiah(budget),
        budget_words=terbilang_rupiah(budget),
        cost_per_person=cost,
        cost_per_person_rupiah=rupiah(cost),
        months=months,
        candidates=candidates,
        candidate_count=len(candidates),
        waitlist_count=36_250,
        excluded=(
            [CountRow(f"{nik_domain.mask(full_nik(999))} — pindah domisili ke luar daerah", 12)]
            if excluded
            else []
        ),
    )


def decree_context(
    kind: str = "peserta", count: int = 30, *, draft: bool = True, masked: bool = True
) -> DecreeContext:
    """A decree of ``kind`` (``peserta``, ``daftar_nama``, ``tim``) as ``decree_context``
    in the decrees app builds it; a signed one has its number, date and signer's name."""
    issuer = {
        "daftar_nama": "KEPALA DINAS TENAGA KERJA DAN TRANSMIGRASI KABUPATEN PANDEGLANG",
    }.get(kind, "BUPATI PANDEGLANG")
    title = {
        "peserta": "PENETAPAN PESERTA JAMINAN SOSIAL KETENAGAKERJAAN BAGI PEKERJA RENTAN "
        "TAHUN 2026",
        "daftar_nama": "DAFTAR NAMA PEKERJA RENTAN SEBAGAI PESERTA JAMINAN SOSIAL "
        "KETENAGAKERJAAN TAHUN 2026",
        "tim": "TIM PENDATAAN DAN PENETAPAN PEKERJA RENTAN SEBAGAI PESERTA JAMINAN SOSIAL "
        "KETENAGAKERJAAN TAHUN 2026",
    }[kind]
    article = {"peserta": "Pasal 7 ayat (4)", "daftar_nama": "Pasal 10 ayat (2) huruf d"}.get(
        kind, "Pasal 10 ayat (5)"
    )
    annex = [] if kind == "tim" else annex_rows(count, masked=masked)
    months = 12
    total = len(annex) * MONTHLY * months
    signer = Signatory(
        title=issuer,
        name="" if draft else ("Raden Dewi Setiani" if issuer.startswith("BUPATI") else "Asep"),
        nip="" if issuer.startswith("BUPATI") or draft else "197001011995031001",
    )
    return DecreeContext(
        kind=kind,
        issuer=issuer,
        title=title,
        article=article,
        number="" if draft else "100.3.3.2/Kep.412-Huk/2026",
        region_name="Kabupaten Pandeglang",
        year=2026,
        place="Pandeglang",
        date_long="" if draft else "2 Desember 2026",
        legal_bases=list(LEGAL_BASES),
        policy_title=POLICY_TITLE,
        signer=signer,
        participant_count=len(annex),
        monthly_cost=MONTHLY,
        monthly_cost_rupiah=rupiah(MONTHLY),
        months=months,
        total_cost=total,
        total_cost_rupiah=rupiah(total),
        total_cost_words=terbilang_rupiah(total),
        annex_title=f"LAMPIRAN KEPUTUSAN {issuer}",
        annex=annex,
        nik_masked=masked,
        team=team_rows(),
        draft=draft,
        signed_on=None if draft else date(2026, 12, 2),
    )
