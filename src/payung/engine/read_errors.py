"""Why an uploaded file cannot be read: stable codes with parameters, worded in one table.

Every reader of an uploaded file (DTSEN extracts in :mod:`payung.engine.readers`, the small
exchange files of :mod:`payung.engine.exchange_files`) raises :class:`ReadError` for anything
a user can cause. Inside, the problem is a code and parameters (house style: problems are
values, wording at the edge); the Indonesian sentence is made from :data:`MESSAGES` only when
it is shown, so the web can name the file the way the user uploaded it rather than by the
path it was stored under.

Two promises every message keeps (issue 17, defects 1 and 6):

- it never quotes a cell of the file (a header row may be a row of NIKs and names, and the
  message is stored with the import and shown to roles that may not see either); it says
  what is wrong and where: the file, the row, the column;
- it never passes on a library's English text ("invalid Zip archive", "new-line character
  seen in unquoted field"): each failure has its own code and Indonesian sentence.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

__all__ = ["MESSAGES", "ReadError", "read_error"]

#: How a person maps their own column names, by where they read the message: the engine's
#: default is the command line's option; the web passes the upload form's words instead.
MAPPING_CLI: Final = "--columns"

#: code -> Indonesian template. ``{file}`` is the name the user knows the file by;
#: ``{mapping}`` is how they map columns (see ``MAPPING_CLI`` and ``ReadError.worded``).
MESSAGES: Final[Mapping[str, str]] = {
    "file.not_found": "Berkas tidak ditemukan: '{file}'.",
    "file.is_folder": "'{file}' adalah sebuah folder, bukan berkas.",
    "file.io": (
        "Berkas '{file}' tidak dapat dibaca dari penyimpanan (izin akses atau gangguan disk); "
        "coba lagi atau unggah ulang."
    ),
    "file.changed": (
        "Berkas '{file}' berubah selama diproses (diganti, diubah atau dihapus), sehingga "
        "hasilnya tidak dapat dikaitkan dengan isi berkas. Tidak ada hasil yang ditulis; "
        "jalankan lagi setelah berkas selesai disalin."
    ),
    "file.empty": "Berkas kosong: '{file}' tidak berisi baris judul kolom.",
    "file.header_only": (
        "Berkas '{file}' hanya berisi baris judul kolom, tanpa satu pun baris data."
    ),
    "file.format": (
        "Format berkas tidak didukung: '{file}' (akhiran '{suffix}'). Gunakan {allowed}."
    ),
    "file.too_large": ("Berkas '{file}' terlalu besar: {size} bita, batasnya {limit} bita."),
    "file.wrong_type": (
        "Berkas '{file}' tidak dapat dibaca: isinya {actual}, bukan {expected} seperti "
        "akhiran namanya. Simpan ulang dalam format yang benar lalu unggah kembali."
    ),
    "file.binary": (
        "Berkas '{file}' tidak dapat dibaca: berisi data biner (karakter NUL), bukan teks CSV. "
        "Simpan ulang dari Excel sebagai CSV UTF-8."
    ),
    "file.html": (
        "Berkas '{file}' tidak dapat dibaca: isinya halaman HTML/XML, bukan buku kerja Excel; "
        "buka di Excel lalu simpan ulang sebagai .xlsx atau CSV."
    ),
    "csv.utf16": (
        "Berkas '{file}' tidak dapat dibaca: tersimpan sebagai UTF-16; simpan ulang sebagai "
        "CSV UTF-8."
    ),
    "csv.encoding": (
        "Berkas '{file}' tidak dapat dibaca: memuat karakter yang tidak dikenali (bukan UTF-8 "
        "maupun Windows-1252). Simpan ulang sebagai CSV UTF-8."
    ),
    "csv.first_line_blank": (
        "Berkas '{file}' tidak dapat dibaca: baris pertama kosong; judul kolom harus berada di "
        "baris pertama."
    ),
    "csv.column_count": (
        "Berkas '{file}' tidak dapat dibaca: baris data ke-{row} berisi {got} kolom, padahal "
        "baris judul berisi {expected} kolom (periksa pemisah kolom dan tanda kutip)."
    ),
    "csv.column_count_somewhere": (
        "Berkas '{file}' tidak dapat dibaca: sebuah baris data berisi {got} kolom, padahal "
        "baris judul berisi {expected} kolom (periksa pemisah kolom dan tanda kutip)."
    ),
    "csv.syntax": (
        "Berkas '{file}' tidak dapat diurai sebagai CSV: periksa tanda kutip yang tidak ditutup "
        "dan pemisah kolom."
    ),
    "csv.line_too_long": (
        "Berkas '{file}' tidak dapat dibaca: baris ke-{line} lebih panjang dari {limit} bita. "
        "Periksa tanda kutip dan pemisah baris, atau apakah berkas ini benar-benar CSV."
    ),
    "csv.field_too_long": (
        "Berkas '{file}' tidak dapat dibaca: sebuah sel dekat baris ke-{line} lebih panjang "
        "dari {limit} karakter (periksa tanda kutip yang tidak ditutup)."
    ),
    "limits.rows": (
        "Berkas '{file}' ditolak: berisi lebih dari {limit} baris, batas untuk jenis unggahan "
        "ini. Bagi berkas menjadi beberapa bagian."
    ),
    "limits.columns": ("Berkas '{file}' ditolak: berisi {count} kolom, batasnya {limit} kolom."),
    "limits.uncompressed": (
        "Berkas '{file}' ditolak: isinya setelah diekstrak {size} bita, melebihi batas {limit} "
        "bita."
    ),
    "limits.ratio": (
        "Berkas '{file}' ditolak: salah satu bagiannya dipadatkan secara tidak wajar (rasio "
        "{ratio}:1, batas {limit}:1), tanda berkas berisi data pengisi (zip bomb). Simpan "
        "ulang dari Excel lalu unggah kembali."
    ),
    "limits.entries": (
        "Berkas '{file}' ditolak: berisi {count} bagian di dalam arsipnya, batasnya {limit}."
    ),
    "xlsx.not_zip": (
        "Berkas '{file}' tidak dapat dibaca: bukan berkas spreadsheet yang sah (rusak, "
        "terpotong, atau bukan .xlsx). Buka di Excel lalu simpan ulang sebagai .xlsx."
    ),
    "xlsx.missing_part": (
        "Berkas '{file}' tidak dapat dibaca: bukan berkas spreadsheet yang sah (ada bagian "
        "buku kerja yang tidak ada). Buka di Excel lalu simpan ulang sebagai .xlsx."
    ),
    "xlsx.corrupt_part": (
        "Berkas '{file}' tidak dapat dibaca: sebagian isinya rusak (checksum tidak cocok atau "
        "terpotong). Simpan ulang dari Excel lalu unggah kembali."
    ),
    "xlsx.xml_entities": (
        "Berkas '{file}' ditolak: isinya memuat deklarasi DOCTYPE/ENTITY XML, yang "
        "tidak pernah ditulis Excel dan dapat membebani server (XML bomb)."
    ),
    "xlsx.password": (
        "Berkas '{file}' tidak dapat dibaca: dilindungi kata sandi. Simpan ulang tanpa kata sandi."
    ),
    "xlsx.unreadable": (
        "Berkas '{file}' tidak dapat dibaca: bukan berkas spreadsheet yang sah atau isinya "
        "rusak. Buka di Excel lalu simpan ulang sebagai .xlsx."
    ),
    "ods.formula": (
        "Berkas '{file}' ditolak: berisi sel rumus (formula). Salin sel lalu tempel sebagai "
        "nilai (Tempel Spesial, Nilai Saja), atau simpan sebagai .xlsx atau CSV."
    ),
    "parquet.unreadable": (
        "Berkas '{file}' tidak dapat dibaca: bukan berkas Parquet yang sah atau isinya rusak."
    ),
    "parquet.column_type": (
        "Berkas '{file}' tidak dapat dibaca: kolom {column} bertipe {kind}, yang tidak dapat "
        "dibaca sebagai teks."
    ),
    "columns.missing": (
        "Kolom wajib tidak ditemukan di berkas '{file}': {detail}. {found}"
        "Gunakan {mapping} untuk memetakan nama kolom Anda."
    ),
    "columns.ambiguous": (
        "Lebih dari satu kolom di berkas '{file}' cocok dengan kolom yang sama: {detail}. "
        "Hapus kolom yang tidak dipakai, atau tentukan kolom yang benar dengan {mapping}."
    ),
    "mapping.not_found": "Berkas pemetaan kolom tidak ditemukan: '{file}'.",
    "mapping.invalid": (
        "Berkas pemetaan kolom '{file}' tidak valid: {reason}. Format yang diharapkan:\n"
        "columns:\n"
        '  "Judul Kolom Anda": NIK\n'
        '  "Tgl Lhr": TANGGAL_LAHIR'
    ),
    "mapping.unknown_column": (
        "Berkas pemetaan kolom '{file}': '{column}' (untuk judul '{header}') bukan kolom DTSEN "
        "yang dikenal. Kolom yang dikenal: {known}."
    ),
}


class ReadError(Exception):
    """A file that cannot be read: ``code`` is stable, ``params`` feed the wording.

    ``message`` is the Indonesian sentence naming the file as the reader was given it (the
    CLI prints it as is); :meth:`worded` names it as the user knows it (the web passes the
    uploaded file's name). Catch it wherever a user's file is read; anything else a reader
    raises is a bug.
    """

    code: str
    params: dict[str, str]
    message: str

    def __init__(self, code: str, message: str, params: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.params = dict(params or {})

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[type[ReadError], tuple[str, str, dict[str, str]]]:
        # Exceptions pickle through ``args`` by default, which would lose code and params when
        # an error crosses a process boundary (parallel screening).
        return (type(self), (self.code, self.message, self.params))

    def worded(self, *, file: str | None = None, mapping: str = MAPPING_CLI) -> str:
        """The message again, naming the file ``file`` (the name it was uploaded under) and
        telling how to map columns in the words of where it is read (``mapping``)."""
        if self.code not in MESSAGES or (file is None and mapping == MAPPING_CLI):
            return self.message
        shown = self.params.get("file", "") if file is None else file
        return MESSAGES[self.code].format(**{**self.params, "file": shown, "mapping": mapping})


def read_error(code: str, **params: object) -> ReadError:
    """Build a ReadError from :data:`MESSAGES`, so wording lives in one place."""
    text = {key: str(value) for key, value in params.items()}
    return ReadError(code, MESSAGES[code].format(**{"mapping": MAPPING_CLI, **text}), text)
