"""The DTSEN extract's canonical columns (design §4) and the header aliases we accept.

Readers rename whatever a regency's file calls a column to these lower-case names, so the
screening expressions only ever see one vocabulary. Aliases cover the spellings seen in
DTSEN/DTKS exports; anything else is mapped with ``--columns mapping.yaml``.
"""

from __future__ import annotations

from typing import Final

#: Canonical name -> accepted header spellings (compared after upper-casing and turning
#: spaces, dots and dashes into underscores).
ALIASES: Final[dict[str, tuple[str, ...]]] = {
    "nik": ("NIK", "NO_NIK", "NOMOR_NIK", "NOMOR_INDUK_KEPENDUDUKAN"),
    "no_kk": ("NO_KK", "NOKK", "NOMOR_KK", "KK", "NOMOR_KARTU_KELUARGA"),
    "nama": ("NAMA", "NAMA_LENGKAP", "NAMA_ART"),
    "jenis_kelamin": ("JENIS_KELAMIN", "JK", "KELAMIN", "SEX"),
    "tanggal_lahir": ("TANGGAL_LAHIR", "TGL_LAHIR", "TGLLAHIR", "TANGGAL_LHR"),
    "status_perkawinan": ("STATUS_PERKAWINAN", "STATUS_KAWIN", "STS_KAWIN", "PERKAWINAN"),
    "jumlah_tanggungan": ("JUMLAH_TANGGUNGAN", "JML_TANGGUNGAN", "TANGGUNGAN"),
    "pekerjaan": ("PEKERJAAN", "JENIS_PEKERJAAN", "PEKERJAAN_UTAMA"),
    "desil": ("DESIL", "DESIL_NASIONAL", "PERINGKAT_DESIL"),
    "disabilitas": ("DISABILITAS", "PENYANDANG_DISABILITAS", "JENIS_DISABILITAS"),
    "alamat": ("ALAMAT", "ALAMAT_DOMISILI"),
    "kode_desa": ("KODE_DESA", "KODE_WILAYAH", "KD_DESA", "KODE_KELURAHAN", "KDDESA"),
    "bantuan_iuran": ("BANTUAN_IURAN", "BANTUAN_IURAN_JAMSOSTEK", "PBI_TK", "BANTUAN_IURAN_BPJSTK"),
}

#: Every canonical column, in the order exports list them.
CANONICAL: Final[tuple[str, ...]] = tuple(ALIASES)

#: Columns screening cannot work without; the others may be absent and are then empty.
REQUIRED: Final[tuple[str, ...]] = (
    "nik",
    "tanggal_lahir",
    "pekerjaan",
    "desil",
    "kode_desa",
)

#: Added by every reader: 1-based data row number in the source file (header excluded).
ROW: Final = "row"

#: Added by readers for XLSX: True where the NIK cell was numeric, i.e. Excel kept only
#: 15 significant digits and the 16th is lost for good.
NIK_NUMERIC_CELL: Final = "nik_numeric_cell"


def header_key(header: str) -> str:
    """Normalise a header for matching: case-insensitive, spaces/dots/dashes as underscores."""
    key = header.strip().lstrip("\ufeff").upper()
    for ch in " .-/":
        key = key.replace(ch, "_")
    while "__" in key:
        key = key.replace("__", "_")
    return key.strip("_")
