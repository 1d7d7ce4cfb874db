"""The Word documents as a reader sees them: each shipped template rendered, converted to
text by LibreOffice, and read for the facts it must carry.

LibreOffice takes seconds to start, so every document is rendered once and all are
converted in a single ``soffice`` run (module-scoped fixture), with a private profile so
parallel runs do not share LibreOffice's lock.
"""

from __future__ import annotations

import subprocess

import pytest

from payung.documents.contexts import BeritaAcaraContext, DecreeContext
from payung.documents.render import docx_render
from payung.documents.tests import factories

#: file stem -> (template, context)
DOCUMENTS: dict[str, tuple[str, BeritaAcaraContext | DecreeContext]] = {
    "ba-draf": ("berita-acara", factories.berita_acara_context(status="DRAF")),
    "ba-final": ("berita-acara", factories.berita_acara_context(status="", excluded=False)),
    "peserta-rancangan": ("keputusan-peserta", factories.decree_context("peserta")),
    "peserta-ditetapkan": (
        "keputusan-peserta",
        factories.decree_context("peserta", draft=False, masked=False),
    ),
    "daftar-nama": ("keputusan-daftar-nama", factories.decree_context("daftar_nama")),
    "tim": ("keputusan-tim", factories.decree_context("tim", draft=False)),
}


def flat(text: str) -> str:
    """One space between words: a sentence may wrap or sit in several runs."""
    return " ".join(text.split())


@pytest.fixture(scope="module")
def texts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("docx")
    files = []
    for stem, (template, context) in DOCUMENTS.items():
        path = folder / f"{stem}.docx"
        path.write_bytes(docx_render(template, context))
        files.append(str(path))
    profile = tmp_path_factory.mktemp("lo-profile")
    subprocess.run(
        [
            "soffice",
            "--headless",
            "--norestore",
            f"-env:UserInstallation={profile.as_uri()}",
            "--convert-to",
            "txt:Text (encoded):UTF8",
            "--outdir",
            str(folder),
            *files,
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return {stem: (folder / f"{stem}.txt").read_text(encoding="utf-8-sig") for stem in DOCUMENTS}


def test_every_document_converts(texts: dict[str, str]) -> None:
    for stem, text in texts.items():
        assert len(text) > 500, stem


@pytest.mark.parametrize("stem", ["ba-draf", "ba-final"])
def test_berita_acara(texts: dict[str, str], stem: str) -> None:
    context = DOCUMENTS[stem][1]
    assert isinstance(context, BeritaAcaraContext)
    text = flat(texts[stem])
    assert "BERITA ACARA HASIL PENDATAAN PEKERJA RENTAN" in text
    assert "KABUPATEN PANDEGLANG TAHUN 2026" in text
    assert "Pada hari ini Selasa, 24 November 2026 bertempat di Pandeglang" in text
    assert context.policy_title in text
    assert "Pasal 10 ayat (2) huruf b dan huruf c" in text
    assert "tanggal acuan 1 Januari 2026" in text
    assert context.input_sha256 in text
    # Team, recapitulations and pagu.
    for member in context.team:
        assert member.name in text
        assert member.jabatan in text
    assert "Memenuhi syarat 41.250" in text
    assert "5(2)b: Berusia paling rendah 18 tahun" in text
    assert "Mandalawangi 7" in text
    assert "Jumlah 30" in text
    assert "sebesar Rp1.008.000.000 (satu miliar delapan juta rupiah)" in text
    assert "sebesar Rp201.600" in text
    assert "sebanyak 5.000 (lima ribu) orang" in text
    assert "sebanyak 30 (tiga puluh) orang" in text
    assert "36.250 (tiga puluh enam ribu dua ratus lima puluh) orang" in text
    # Annex: every candidate with a masked NIK, never the full one.
    for row in context.candidates:
        assert row.nama in text
        assert f"{row.nik} {row.pekerjaan} {row.desa} {row.kecamatan} {row.rank}" in text
        assert factories.full_nik(row.no - 1) not in text
    assert "Pandeglang, 24 November 2026" in text
    assert context.proposer in text


def test_berita_acara_draft_and_approved(texts: dict[str, str]) -> None:
    draft, final = flat(texts["ba-draf"]), flat(texts["ba-final"])
    assert draft.startswith("DRAF")
    assert "belum disetujui" in draft
    assert "DRAF" not in final
    assert "Euis Pemeriksa" in final
    # The excluded list only when there is one.
    assert "3601********1999 — pindah domisili ke luar daerah 12" in draft
    assert "dikecualikan" not in final


@pytest.mark.parametrize("stem", ["peserta-rancangan", "peserta-ditetapkan", "daftar-nama"])
def test_participant_decrees(texts: dict[str, str], stem: str) -> None:
    context = DOCUMENTS[stem][1]
    assert isinstance(context, DecreeContext)
    text = flat(texts[stem])
    assert f"KEPUTUSAN {context.issuer} NOMOR" in text
    assert f"TENTANG {context.title}" in text
    # Menimbang cites the policy and the article that orders the decree.
    assert f"bahwa berdasarkan ketentuan {context.article} {context.policy_title}" in text
    # Mengingat: every legal basis, numbered.
    for i, basis in enumerate(context.legal_bases, start=1):
        assert f"{i}. {basis};" in text
    assert "MEMUTUSKAN:" in text
    assert f"Menetapkan : KEPUTUSAN {context.issuer} TENTANG {context.title}." in text
    assert "sebanyak 30 (tiga puluh) orang" in text
    assert (
        "30 orang × Rp16.800 × 12 bulan = Rp6.048.000 "
        "(enam juta empat puluh delapan ribu rupiah)" in text
    )
    assert "dibebankan pada Anggaran Pendapatan dan Belanja Daerah Kabupaten Pandeglang" in text
    assert "KEEMPAT : Keputusan ini mulai berlaku pada tanggal ditetapkan." in text
    assert "Ditetapkan di Pandeglang" in text
    assert context.annex_title in text
    for row in context.annex:
        full = factories.full_nik(row.no - 1)
        assert f"{row.no} {row.nama} {row.nik} {row.pekerjaan} {row.desa} {row.kecamatan}" in (text)
        if context.nik_masked:
            assert full not in text
        else:
            assert full in text
    assert ("ditampilkan sebagian" in text) is context.nik_masked


def test_draft_and_signed_decrees(texts: dict[str, str]) -> None:
    draft, signed = flat(texts["peserta-rancangan"]), flat(texts["peserta-ditetapkan"])
    assert draft.startswith("RANCANGAN")
    assert "NOMOR ........................" in draft
    assert "pada tanggal ........................" in draft
    assert "RANCANGAN" not in signed
    assert "NOMOR 100.3.3.2/Kep.412-Huk/2026" in signed
    assert "pada tanggal 2 Desember 2026" in signed
    assert "BUPATI PANDEGLANG, RADEN DEWI SETIANI" in signed
    assert "DENGAN RAHMAT TUHAN YANG MAHA ESA" in signed


def test_head_of_agency_decree(texts: dict[str, str]) -> None:
    """Pasal 10 ayat (2) huruf d: the head of Disnakertrans signs; no regional-head opening."""
    text = flat(texts["daftar-nama"])
    assert text.startswith("RANCANGAN")
    assert "DENGAN RAHMAT TUHAN" not in text
    assert (
        "perlu menetapkan Keputusan Kepala Dinas Tenaga Kerja dan Transmigrasi Kabupaten "
        "Pandeglang tentang Daftar Nama Pekerja Rentan sebagai Peserta Jaminan Sosial "
        "Ketenagakerjaan Tahun 2026;" in text
    )


def test_team_decree(texts: dict[str, str]) -> None:
    context = DOCUMENTS["tim"][1]
    assert isinstance(context, DecreeContext)
    text = flat(texts["tim"])
    assert "RANCANGAN" not in text
    assert f"bahwa berdasarkan ketentuan {context.article}" in text
    assert "Pasal 10 ayat (1)" in text
    # Pasal 10 ayat (2) huruf a-h, written out.
    assert "a. melakukan koordinasi dengan pihak terkait;" in text
    assert "d. menyusun rancangan keputusan Kepala Dinas Tenaga Kerja dan Transmigrasi" in text
    assert "h. menyampaikan laporan hasil pemantauan dan evaluasi kepada Bupati." in text
    # Pasal 10 ayat (3)-(4): origin and structure, then the members in the annex.
    assert "Bagian Hukum pada Sekretariat Daerah" in text
    assert "pembina, pengarah, ketua, sekretaris, dan anggota" in text
    assert f"SUSUNAN KEANGGOTAAN {context.title}" in text
    for member in context.team:
        assert (
            f"{member.no} {member.position} {member.name} {member.jabatan} {member.agency}" in text
        )
    for basis in context.legal_bases:
        assert basis in text
    assert "KELIMA : Keputusan ini mulai berlaku pada tanggal ditetapkan." in text
