"""Indonesian sentences for the coded problems the domain and engine return.

Inside, problems are stable codes (``nik.excel_scientific``); people read sentences. This is
the one place the CLI (and later the web pages and exports) turns a code into words, so a
code never reaches a person unexplained. Rule sentences are not here: they live with their
article in the policy file.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from payung.i18n import _

DATA_QUALITY: Final[Mapping[str, str]] = {
    "nik.empty": _("NIK kosong."),
    "nik.excel_scientific": _(
        "NIK rusak oleh Excel (notasi ilmiah seperti 3.60101E+15): digit terakhir hilang. "
        "Ambil ulang NIK dari sumber asli dan simpan kolom NIK sebagai Teks."
    ),
    "nik.excel_decimal": _(
        "NIK berakhiran .0: kolom NIK tersimpan sebagai angka di Excel. "
        "Simpan kolom NIK sebagai Teks."
    ),
    "nik.numeric_cell": _(
        "NIK tersimpan sebagai sel angka di Excel, yang hanya menyimpan 15 digit: digit ke-16 "
        "sudah hilang. Ambil ulang NIK dari sumber asli dan format kolom sebagai Teks."
    ),
    "nik.non_digit": _("NIK memuat karakter selain angka."),
    "nik.length": _("NIK harus 16 digit."),
    "nik.province": _("Dua digit pertama NIK bukan kode provinsi yang berlaku."),
    "nik.regency": _("Kode kabupaten/kota pada NIK (digit 3-4) tidak boleh 00."),
    "nik.district": _("Kode kecamatan pada NIK (digit 5-6) tidak boleh 00."),
    "nik.birth_day": _(
        "Tanggal lahir pada NIK (digit 7-8) harus 01-31 (laki-laki) atau 41-71 (perempuan)."
    ),
    "nik.birth_month": _("Bulan lahir pada NIK (digit 9-10) harus 01-12."),
    "nik.birth_date": _("Tanggal lahir pada NIK (digit 7-12) bukan tanggal yang ada."),
    "nik.serial": _("Nomor urut pada NIK (digit 13-16) tidak boleh 0000."),
    "nik.duplicate": _(
        "NIK sudah muncul pada baris sebelumnya dalam berkas yang sama; hanya kemunculan "
        "pertama yang dinilai."
    ),
    "tanggal_lahir.missing": _(
        "TANGGAL_LAHIR kosong: usia (Pasal 5 ayat (2) huruf b) tidak dapat dinilai."
    ),
    "tanggal_lahir.unparseable": _(
        "TANGGAL_LAHIR tidak dapat dibaca: gunakan YYYY-MM-DD, DD-MM-YYYY atau DD/MM/YYYY "
        "dengan tanggal yang ada."
    ),
    "tanggal_lahir.future": _("TANGGAL_LAHIR sesudah tanggal acuan."),
    "kode_desa.missing": _(
        "KODE_DESA kosong: domisili (Pasal 5 ayat (2) huruf a) tidak dapat dinilai."
    ),
    "cell.formula": _(
        "Ada sel berisi rumus (formula) Excel pada baris ini: nilainya tidak diketik dan "
        "tidak dapat dinilai. Ganti rumus dengan nilai yang diketik, lalu unggah ulang."
    ),
}

FLAGS: Final[Mapping[str, str]] = {
    "nik.birth_date_mismatch": _(
        "Tanggal lahir pada NIK berbeda dengan TANGGAL_LAHIR; dinilai menurut TANGGAL_LAHIR, "
        "perlu diverifikasi Disdukcapil."
    ),
    "nik.sex_mismatch": _(
        "Jenis kelamin pada NIK berbeda dengan JENIS_KELAMIN; perlu diverifikasi Disdukcapil."
    ),
    "pekerjaan.unknown": _(
        "Pekerjaan tidak dikenal dalam kosakata kebijakan; perlu ditinjau petugas."
    ),
    "kode_desa.unknown": _("KODE_DESA bukan kode desa/kelurahan yang dikenal."),
}


def describe(code: str) -> str:
    """The sentence for a data-quality or flag code; the code itself if none is known."""
    return DATA_QUALITY.get(code) or FLAGS.get(code) or code


#: What a person reads for a code this table does not know (a newer engine, a typo in a
#: fixture): a sentence, never the code; pages keep the code in a ``title`` for support.
UNKNOWN: Final = _("Masalah data lain yang belum diberi keterangan; hubungi administrator.")


def problem_label(code: str) -> str:
    """A data-quality or flag code as its full Indonesian sentence, never the code itself.

    The one label table for import pages, problem lists (grouped by problem) and exports:
    an operator fixing a DTSEN extract reads what is wrong and how to repair it, not
    ``nik.excel_scientific``.
    """
    return DATA_QUALITY.get(code) or FLAGS.get(code) or UNKNOWN


#: Short headings, one per code, for a grouped problem list or a narrow table cell.
TITLES: Final[Mapping[str, str]] = {
    "nik.empty": _("NIK kosong"),
    "nik.excel_scientific": _("NIK rusak oleh Excel (notasi ilmiah)"),
    "nik.excel_decimal": _("NIK tersimpan sebagai angka desimal"),
    "nik.numeric_cell": _("NIK tersimpan sebagai sel angka"),
    "nik.non_digit": _("NIK memuat karakter selain angka"),
    "nik.length": _("NIK tidak 16 digit"),
    "nik.province": _("Kode provinsi pada NIK tidak berlaku"),
    "nik.regency": _("Kode kabupaten/kota pada NIK 00"),
    "nik.district": _("Kode kecamatan pada NIK 00"),
    "nik.birth_day": _("Tanggal lahir pada NIK tidak sah"),
    "nik.birth_month": _("Bulan lahir pada NIK tidak sah"),
    "nik.birth_date": _("Tanggal lahir pada NIK tidak ada"),
    "nik.serial": _("Nomor urut pada NIK 0000"),
    "nik.duplicate": _("NIK ganda dalam berkas"),
    "tanggal_lahir.missing": _("Tanggal lahir kosong"),
    "tanggal_lahir.unparseable": _("Tanggal lahir tidak dapat dibaca"),
    "tanggal_lahir.future": _("Tanggal lahir sesudah tanggal acuan"),
    "kode_desa.missing": _("Kode desa kosong"),
    "cell.formula": _("Sel berisi rumus Excel"),
    "nik.birth_date_mismatch": _("Tanggal lahir pada NIK berbeda"),
    "nik.sex_mismatch": _("Jenis kelamin pada NIK berbeda"),
    "pekerjaan.unknown": _("Pekerjaan tidak dikenal"),
    "kode_desa.unknown": _("Kode desa tidak dikenal"),
}


def problem_title(code: str) -> str:
    """A short heading for a code (``NIK rusak oleh Excel (notasi ilmiah)``): a group heading
    or a table cell where the whole sentence of :func:`problem_label` would not fit."""
    return TITLES.get(code) or _("Masalah data lain")


#: Why the budget simulator (issue 14, ``engine.simulation``) gives no number of years.
SIMULATION_REASONS: Final[Mapping[str, str]] = {
    "no_eligible": _("tidak ada yang memenuhi syarat"),
    "pagu_below_one_person_year": _("pagu kurang dari biaya iuran satu orang setahun"),
    "beyond_horizon": _("lebih dari 100 tahun"),
}

#: The simulator's refusals of an argument (``engine.SimulationError``).
SIMULATION_ERRORS: Final[Mapping[str, str]] = {
    "growth.invalid": _("pertumbuhan pagu harus berupa angka persen, misalnya 5 atau 2,5"),
    "growth.range": _("pertumbuhan pagu harus 0 sampai 100 persen per tahun"),
    "growth.precision": _("pertumbuhan pagu paling banyak dua angka di belakang koma"),
    "pagu.invalid": _("pagu harus bilangan bulat rupiah yang tidak negatif"),
    "eligible.invalid": _("jumlah yang memenuhi syarat tidak sah"),
    "cost.invalid": _("kebijakan tidak memiliki tarif iuran untuk bulan-bulan tersebut"),
    "rank.missing": _("hasil penyaringan tidak memuat peringkat Pasal 7 ayat (2)"),
    "rank.not_contiguous": _("peringkat hasil penyaringan tidak lengkap"),
}
