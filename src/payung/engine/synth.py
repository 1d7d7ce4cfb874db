"""Synthetic DTSEN extracts of Kabupaten Pandeglang (region 3601).

The real extract is personal data that may not leave Dinas Sosial, yet readers, screening
(Pasal 5 ayat (2)), ranking (Pasal 7 ayat (2)) and linkage must be exercised at a regency's
scale and against the dirt real files carry. This module fabricates such a file: households
sharing a family card, NIKs that encode region, birth date and sex, occupations from the KTP
vocabulary, and the damage seen in practice (Excel-mangled NIKs, mixed date formats, stray
casing and spaces, duplicated rows), each at a known share so tests can assert it.

Everything is vectorised with numpy and pyarrow: a million rows take seconds, and one seed
always gives byte-identical output (``numpy.random.default_rng(seed)``; draws happen in a
fixed order and string columns come from sorted dictionaries, never from set or file order).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime, time
from pathlib import Path
from typing import Final, NamedTuple, NoReturn

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
import xlsxwriter

from payung.engine.columns import CANONICAL

#: Output headers: the design's upper-case names (design §4), in canonical order.
HEADERS: Final[tuple[str, ...]] = tuple(name.upper() for name in CANONICAL)

REGENCY: Final = "3601"

# Fallback village codes, used only until ``payung.domain.wilayah`` exists. Two per district
# where possible so NIK district digits vary. Source: Kepmendagri No 300.2.2-2138 Tahun 2025
# via cahyadsn/wilayah (MIT), see /work/shared/data/wilayah/SOURCE.md.
_PANDEGLANG_VILLAGES: Final[tuple[str, ...]] = (
    "3601012001", "3601012002", "3601022001", "3601022002", "3601032001", "3601032006",
    "3601042001", "3601042002", "3601052001", "3601052002", "3601062001", "3601072001",
    "3601082001", "3601092001", "3601102001", "3601112001", "3601122001", "3601132001",
    "3601142001", "3601152001", "3601162001", "3601172001", "3601182001", "3601192001",
    "3601202002", "3601211002", "3601222001", "3601232001", "3601242006", "3601251001",
    "3601262001", "3601272001", "3601282001", "3601292001", "3601302001", "3601312001",
    "3601322001", "3601332001", "3601341001", "3601352001",
)  # fmt: skip
# Neighbouring Kab. Lebak (3602) and Kab. Serang (3604): domicile outside, fails 5(2)a.
_LEBAK_VILLAGES: Final[tuple[str, ...]] = (
    "3602012002", "3602042009", "3602082004", "3602112003",
    "3602132023", "3602172005", "3602192021", "3602232008",
)  # fmt: skip
_SERANG_VILLAGES: Final[tuple[str, ...]] = (
    "3604052001", "3604082004", "3604122010", "3604162001",
    "3604202002", "3604242002", "3604282006", "3604312008",
)  # fmt: skip
# Regency + district of NIKs issued elsewhere to people who moved into Pandeglang: Lebak,
# Kab. Tangerang, Kab. Serang, Kota Tangerang, Cilegon, Kota Serang, Kab. Bogor, Jakarta Selatan.
_MOVED_IN_DISTRICTS: Final[tuple[int, ...]] = (
    360201, 360203, 360210, 360215, 360301, 360303, 360312, 360405,
    360410, 367101, 367201, 367203, 367301, 320101, 320103, 317401,
)  # fmt: skip

# Shares of people (or households where noted); tests assert them within a tolerance.
OUTSIDE_SHARE: Final = 0.03  # households domiciled in Lebak/Serang
MOVED_IN_SHARE: Final = 0.05  # Pandeglang residents with a NIK from elsewhere
NIK_DATE_SLIP_SHARE: Final = 0.005
NIK_SEX_SLIP_SHARE: Final = 0.003
NIK_SCIENTIFIC_SHARE: Final = 0.002
NIK_DOT_ZERO_SHARE: Final = 0.002
NIK_APOSTROPHE_SHARE: Final = 0.001
NIK_SPACES_SHARE: Final = 0.001
DUPLICATE_SHARE: Final = 0.005
DATE_EMPTY_SHARE: Final = 0.003
DATE_GARBAGE_SHARE: Final = 0.002
DATE_FORMAT_SHARES: Final = (0.70, 0.20, 0.10)  # YYYY-MM-DD, DD-MM-YYYY, DD/MM/YYYY
OCCUPATION_LOWER_SHARE: Final = 0.05
OCCUPATION_SPACED_SHARE: Final = 0.02
DESIL_EMPTY_SHARE: Final = 0.05  # households
DOTTED_KODE_DESA_SHARE: Final = 0.15  # households

_HOUSEHOLD_SIZE_P: Final = (0.11, 0.18, 0.22, 0.22, 0.15, 0.08, 0.04)  # sizes 1..7
# Deciles 1..10; a poor regency, so about half of all households sit in 1..4.
_DESIL_P: Final = (0.14, 0.13, 0.12, 0.11, 0.10, 0.09, 0.09, 0.08, 0.07, 0.07)

_FEMALE_FIRST: Final[tuple[str, ...]] = (
    "SITI", "DEDE", "IIS", "NENG", "EUIS", "ENTIN", "IMAS", "YAYAH", "ENENG", "EMAH", "ENAH",
    "NANI", "TITIN", "YATI", "ENDAH", "RINA", "LILIS", "NINING", "ELIS", "ERNA", "YULI", "SRI",
    "DEWI", "NUR", "AAS", "IKA", "ANI", "TUTI", "ROSITA", "NURUL", "FITRI", "RATNA", "ATIKAH",
    "AISYAH", "FATIMAH", "ZAHRA", "NAYLA", "SALSABILA", "AULIA", "INDAH", "PUTRI", "RINI",
    "YANTI", "SUSI", "ENI", "ELA", "NIA", "UMI", "KOKOM", "OOM", "ICAH", "ENOK", "EPON", "ECIN",
    "IDA", "AI", "NENENG", "MIMIN", "HERNI", "UCU",
)  # fmt: skip
_MALE_FIRST: Final[tuple[str, ...]] = (
    "ASEP", "UJANG", "DEDE", "AHMAD", "MUHAMAD", "ENDANG", "DADANG", "DEDEN", "AGUS", "UDIN",
    "JAJANG", "OMAN", "ENJANG", "YAYAN", "ADE", "AJAT", "AAN", "IWAN", "DEDI", "ROHMAT",
    "SOBARI", "ENTIS", "DIDI", "EMAN", "USEP", "CECEP", "DODI", "HENDRA", "RUDI", "AEP", "YUDI",
    "ENCEP", "JUJUN", "MAMAN", "NANANG", "ENDIN", "OJI", "SAEPUL", "IDRIS", "ROSID", "HASAN",
    "HUSEN", "ALI", "UMAR", "IMRON", "SYAMSUL", "ARIF", "BUDI", "SLAMET", "WAWAN", "TATANG",
    "UUS", "ACENG", "ENGKOS", "KOMAR", "OKI", "RIDWAN", "FAJAR", "RIZKI", "ILHAM",
)  # fmt: skip
_FEMALE_SECOND: Final[tuple[str, ...]] = (
    "ROHAYATI", "SUMIATI", "NURHALIZAH", "NURHAYATI", "MULYANI", "HERAWATI", "KURNIASIH",
    "SUMARNI", "RAHMAWATI", "SOPIAH", "JUBAEDAH", "MARYAM", "HASANAH", "SAADAH", "ROSMIATI",
    "KARTIKA", "LESTARI", "WULANDARI", "NURJANAH", "SUNARSIH", "MARLINA", "YULIANTI", "SUHAETI",
    "KHOERUNNISA", "MASITOH", "SAODAH", "RUKOYAH", "HODIJAH", "ROSIDAH", "NURAENI",
)  # fmt: skip
_MALE_SECOND: Final[tuple[str, ...]] = (
    "SAEPUDIN", "SUHENDAR", "SUPRIATNA", "HIDAYAT", "RAHMAT", "HERMAWAN", "SETIAWAN",
    "KURNIAWAN", "SUNARYA", "SOLIHIN", "MULYANA", "JAELANI", "SUPRIADI", "HAERUDIN", "NURDIN",
    "ROHIMAN", "MAULANA", "FIRDAUS", "SAPUTRA", "RAMDANI", "HERMANSYAH", "GUNAWAN", "WAHYUDI",
    "SUMARNA", "KOSASIH", "SUTISNA", "JUHANA", "RUSTANDI", "SUDRAJAT", "JAMALUDIN",
)  # fmt: skip
_KAMPUNG: Final[tuple[str, ...]] = (
    "CIKADU", "CIBEUREUM", "KADUBERA", "PASIRMALANG", "SUKAMAJU", "BABAKAN", "CILAJA",
    "CIPEUCANG", "KADUHAWUK", "CIGADUNG", "PASIR ANGIN", "KADUMANGU", "CILENTUNG", "CIBUNGUR",
    "SINDANGLAYA", "SUKASARI", "CIKONENG", "PASIRGADUNG", "KADURONYOK", "CIJARALANG",
    "KADUGADUNG", "CIKUYA", "TEGAL", "KAUM", "PASAR", "CIPUTRI", "CIHERANG", "CIPARAY",
    "GUNUNGSARI", "CIBODAS", "CISEREH", "KADUENGANG", "CITEREUP", "BOJONG", "CIPANAS", "CIKUPA",
    "NANGKUB", "PANGKALAN", "KARANGSARI", "PASIRLANCAR", "CIBARANI", "SAWAH", "KOLELET",
    "LEBAKSARI", "CIMANGGU", "TANJUNGSARI", "PANIIS", "KADUPANDAK",
)  # fmt: skip
_RT_MAX: Final = 12
_RW_MAX: Final = 6

_MARITAL: Final = ("BELUM KAWIN", "KAWIN", "CERAI HIDUP", "CERAI MATI")
_DISABILITY_TYPES: Final = (
    "DISABILITAS FISIK", "DISABILITAS NETRA", "DISABILITAS RUNGU", "DISABILITAS WICARA",
    "DISABILITAS MENTAL", "DISABILITAS INTELEKTUAL", "DISABILITAS GANDA",
)  # fmt: skip
_AID: Final = ("", "TIDAK", "APBN", "APBD PROVINSI", "APBD")
_AID_P: Final = (0.85, 0.08, 0.03, 0.02, 0.02)
_AID_LOWER_SHARE: Final = 0.15  # of the non-empty values
_DATE_GARBAGE: Final = ("00-00-0000", "31/02/1980", "-")

_NOT_WORKING: Final = "BELUM/TIDAK BEKERJA"
_STUDENT: Final = "PELAJAR/MAHASISWA"
_RETIRED: Final = "PENSIUNAN"
#: Spellings no occupation vocabulary knows; screening must flag, not guess.
ODD_OCCUPATIONS: Final = ("SERABUTAN", "TUKANG BANGUNAN", "KULI PANGGUL")
# Adult occupation weights by sex (percent-ish; normalised below).
_MALE_JOBS: Final[Mapping[str, float]] = {
    "PETANI/PEKEBUN": 27, "BURUH HARIAN LEPAS": 15, "NELAYAN/PERIKANAN": 4.5, "PEDAGANG": 7,
    "PETERNAK": 2, "TUKANG OJEK": 2, "PENGEMUDI OJEK": 1.5, "SOPIR": 2.5, "JURU PARKIR": 0.5,
    "PEMULUNG": 0.5, "WIRASWASTA": 9, "BURUH TANI/PERKEBUNAN": 8, "PEMBUDIDAYA IKAN": 1,
    "MENGURUS RUMAH TANGGA": 0.5, _NOT_WORKING: 6, _RETIRED: 0.3, "PEGAWAI NEGERI SIPIL": 2,
    "KARYAWAN SWASTA": 5, "GURU": 1, "PERANGKAT DESA": 0.8, "KEPOLISIAN RI": 0.3,
    "DOKTER": 0.1, "KARYAWAN HONORER": 1.2, "SERABUTAN": 1.0, "TUKANG BANGUNAN": 0.8,
    "KULI PANGGUL": 0.3,
}  # fmt: skip
_FEMALE_JOBS: Final[Mapping[str, float]] = {
    "PETANI/PEKEBUN": 9, "BURUH HARIAN LEPAS": 5, "NELAYAN/PERIKANAN": 0.3, "PEDAGANG": 8,
    "PETERNAK": 0.8, "PENGEMUDI OJEK": 0.1, "JURU PARKIR": 0.1, "PEMULUNG": 0.4,
    "WIRASWASTA": 5, "BURUH TANI/PERKEBUNAN": 5, "PEMBUDIDAYA IKAN": 0.4,
    "MENGURUS RUMAH TANGGA": 45, _NOT_WORKING: 8, _RETIRED: 0.2, "PEGAWAI NEGERI SIPIL": 1.2,
    "KARYAWAN SWASTA": 3, "GURU": 2, "PERANGKAT DESA": 0.3, "KEPOLISIAN RI": 0.05,
    "DOKTER": 0.1, "KARYAWAN HONORER": 1.5, "SERABUTAN": 0.8, "KULI PANGGUL": 0.2,
}  # fmt: skip
_OCCUPATIONS: Final[tuple[str, ...]] = tuple(dict.fromkeys([*_MALE_JOBS, *_FEMALE_JOBS, _STUDENT]))

# Household roles, in the order a family card lists them.
_HEAD, _SPOUSE, _CHILD, _PARENT = 0, 1, 2, 3


def synth_table(
    *, rows: int, seed: int, as_of: date = date(2026, 1, 1), region: str = REGENCY
) -> pa.Table:
    """Build a synthetic extract of exactly ``rows`` rows, every column ``pa.string()``.

    ``as_of`` anchors ages (so the 18..64 rule of Pasal 5 ayat (2) huruf b fails for a
    stable share) and the latest family-card issue date; nothing reads the clock.
    ``region`` is the regency or city (4-digit Kepmendagri code) the people live in (issue
    15: any regency can try its own policy); Pandeglang by default, with the same output.
    """
    if rows < 0:
        raise ValueError(f"rows must be >= 0, got {rows}")
    rng = np.random.default_rng(seed)
    n_dup = round(rows * DUPLICATE_SHARE)
    n = rows - n_dup
    if n == 0:
        return pa.table({h: pa.array([], pa.string()) for h in HEADERS})

    hh, pos, sizes = _households(rng, n)
    role, age, female = _people(rng, hh, pos, sizes)
    villages = _village_codes(region)
    n_local = len(villages[0])
    all_villages = villages[0] + villages[1]
    outside_h = rng.random(len(sizes)) < OUTSIDE_SHARE
    village_h = np.where(
        outside_h,
        n_local + rng.integers(0, len(villages[1]), len(sizes)),
        rng.integers(0, n_local, len(sizes)),
    )
    district_of_village = np.array([int(code[:6]) for code in all_villages], dtype=np.int64)
    district_h = district_of_village[village_h]

    birth = _birth_dates(rng, age, as_of)
    nik = _nik(rng, district_h[hh], outside_h[hh], birth, female)
    dates = _tanggal_lahir(rng, birth)
    jobs = _occupation_codes(rng, age, female, role)
    job_variant = _variant_codes(rng, n)

    per_person = pa.array(hh)
    columns: dict[str, pa.Array] = {
        "NIK": _nik_text(rng, nik),
        "NO_KK": _cast_str(_no_kk(rng, district_h, as_of)).take(per_person),
        "NAMA": _names(rng, female),
        "JENIS_KELAMIN": _take(("L", "P"), female.astype(np.int64)),
        "TANGGAL_LAHIR": dates.dictionary.take(pa.array(dates.codes)),
        "STATUS_PERKAWINAN": _take(_MARITAL, _marital_codes(rng, role, age, hh)),
        "JUMLAH_TANGGUNGAN": _take(
            tuple(str(k) for k in range(7)), np.where(role == _HEAD, sizes[hh] - 1, 0)
        ),
        "PEKERJAAN": _occupation_dictionary().take(
            pa.array(job_variant * len(_OCCUPATIONS) + jobs)
        ),
        "DESIL": _desil(rng, len(sizes)).take(per_person),
        "DISABILITAS": _disabilitas(rng, n),
        "ALAMAT": _alamat(rng, len(sizes)).take(per_person),
        "KODE_DESA": _kode_desa(rng, all_villages, village_h).take(per_person),
        "BANTUAN_IURAN": _bantuan_iuran(rng, n),
    }
    base = pa.table([columns[h] for h in HEADERS], names=list(HEADERS))
    return _with_duplicates(rng, base, n_dup, dates)


def synth_write(
    *, rows: int, seed: int, out: Path, as_of: date = date(2026, 1, 1), region: str = REGENCY
) -> Path:
    """Write a synthetic extract to ``out`` (.csv, .xlsx or .parquet, by suffix).

    The file appears atomically (temp name in the same directory, then ``os.replace``) so a
    reader polling the directory never picks up half a file. Missing parent directories are
    created, as a demo run writes into a fresh output folder.
    """
    out = Path(out)
    writer = _WRITERS.get(out.suffix.lower())
    if writer is None:
        raise ValueError(f"unsupported output suffix {out.suffix!r}: use .csv, .xlsx or .parquet")
    table = synth_table(rows=rows, seed=seed, as_of=as_of, region=region)
    out.parent.mkdir(parents=True, exist_ok=True)
    # A fresh name rather than mkstemp, so the file gets the umask's permissions, not 0600.
    tmp = out.with_name(f".{out.name}.{uuid.uuid4().hex}.tmp")
    try:
        writer(table, tmp, as_of)
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return out


def synth_response_placeholder() -> NoReturn:
    """Reserve the name for synthetic BPJS registration responses (design §2), not built yet."""
    raise NotImplementedError("synthetic BPJS responses are not implemented yet")


# --- households and people -------------------------------------------------------------------


def _households(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Group ``n`` people into families of 1..7; returns household per person, position, sizes.

    Members stay contiguous, as real extracts are sorted by family card; households come in
    random order, so file order says nothing about priority rank.
    """
    sizes = rng.choice(len(_HOUSEHOLD_SIZE_P), size=n, p=_HOUSEHOLD_SIZE_P) + 1
    ends = np.cumsum(sizes)
    count = int(np.searchsorted(ends, n)) + 1
    sizes = sizes[:count]
    sizes[-1] -= ends[count - 1] - n  # the last family is cut to fit exactly
    hh = np.repeat(np.arange(count), sizes)
    starts = np.cumsum(sizes) - sizes
    return hh, np.arange(n) - starts[hh], sizes


def _people(
    rng: np.random.Generator, hh: np.ndarray, pos: np.ndarray, sizes: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Role, age and sex per person, listed head, spouse, then the others oldest first.

    Small households skew old (widowed and elderly couples are over-represented among the
    poor), which puts a realistic share at 60..64 (priority a of Pasal 7 ayat (2)) and above
    the age limit of Pasal 5 ayat (2) huruf b; children fail it from below.
    """
    n = len(hh)
    h = len(sizes)
    # Older heads: small households, and 30% of large ones (grown children at home).
    older = (sizes <= 2) | (rng.random(h) < 0.3)
    head_age_h = np.where(older, rng.normal(62, 6, h), rng.normal(43, 10, h))
    # A head of a family with children is rarely under 24.
    youngest = np.where(sizes >= 3, 24, 19)
    head_age_h = np.clip(np.rint(head_age_h), youngest, 92).astype(np.int64)
    head_female_h = rng.random(h) < np.where(sizes == 1, 0.45, 0.12)
    has_spouse_h = (sizes >= 2) & (rng.random(h) < 0.88)

    head_age = head_age_h[hh]
    head_female = head_female_h[hh]
    role = np.full(n, _CHILD)
    role[pos == 0] = _HEAD
    role[(pos == 1) & has_spouse_h[hh]] = _SPOUSE
    role[(role == _CHILD) & (head_age < 62) & (rng.random(n) < 0.06)] = _PARENT

    spouse_age = head_age + np.where(head_female, 4, -4) + np.rint(rng.normal(0, 4, n))
    spouse_age = np.maximum(spouse_age, 17)
    child_age = np.floor(rng.random(n) * np.clip(head_age - 17, 1, 40))
    parent_age = head_age + 22 + rng.integers(0, 14, n)
    age = np.select(
        [role == _HEAD, role == _SPOUSE, role == _PARENT],
        [head_age, spouse_age, parent_age],
        child_age,
    )
    age = np.clip(age, 0, 98).astype(np.int64)
    female = np.select(
        [role == _HEAD, role == _SPOUSE, role == _PARENT],
        [head_female, ~head_female, rng.random(n) < 0.7],
        rng.random(n) < 0.5,
    )
    order = np.lexsort((-age, np.minimum(role, _CHILD), hh))
    return role[order], age[order], female[order]


def _birth_dates(rng: np.random.Generator, age: np.ndarray, as_of: date) -> np.ndarray:
    """A birth date making the person ``age`` completed years old on ``as_of``."""
    days_back = np.floor((age + rng.random(len(age))) * 365.2425).astype(np.int64)
    return np.datetime64(as_of, "D") - days_back


def _ymd(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Year, month, day of a datetime64[D] array."""
    months = days.astype("datetime64[M]")
    year = months.astype("datetime64[Y]").astype(np.int64) + 1970
    month = months.astype(np.int64) % 12 + 1
    day = (days - months.astype("datetime64[D]")).astype(np.int64) + 1
    return year, month, day


def _village_codes(region: str = REGENCY) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The region's villages and some of its neighbours' for out-of-regency domicile
    (Pandeglang: Lebak and Serang).

    Prefer the wilayah module's full lists; the inline ones keep synth usable without it.
    """
    try:
        from payung.domain.wilayah import children, villages
    except ImportError:
        return _PANDEGLANG_VILLAGES, _LEBAK_VILLAGES + _SERANG_VILLAGES

    def codes(regency: str, fallback: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(sorted({region.code for region in villages(regency)})) or fallback

    if region != REGENCY:
        local = codes(region, ())
        if not local:
            raise ValueError(f"no villages known for region {region!r}")
        # Neighbours: the next two regencies of the same province (another province's
        # first regency for a province with one), a few villages of each.
        others = [r.code for r in children(region[:2]) if r.code != region]
        outside = [v for other in others[:2] for v in codes(other, ())[:8]]
        if not outside:
            outside = list(codes("3602", _LEBAK_VILLAGES)[:8])
        return local, tuple(outside)
    return (
        codes(REGENCY, _PANDEGLANG_VILLAGES),
        codes("3602", _LEBAK_VILLAGES) + codes("3604", _SERANG_VILLAGES),
    )


# --- identity numbers ------------------------------------------------------------------------


def _serials(rng: np.random.Generator, keys: np.ndarray, *, p: float) -> np.ndarray:
    """Serial numbers unique within each key, as a registry numbers people in turn.

    Random gaps (geometric) leave holes like real numbering after deaths and moves; a key
    would need thousands of people before 9999 is reached.
    """
    n = len(keys)
    order = np.lexsort((rng.random(n), keys))
    sorted_keys = keys[order]
    gaps = rng.geometric(p, n)
    total = np.cumsum(gaps)
    first = np.r_[True, sorted_keys[1:] != sorted_keys[:-1]]
    starts = np.flatnonzero(first)
    before_group = total[starts] - gaps[starts]
    serial = np.empty(n, dtype=np.int64)
    serial[order] = total - before_group[np.cumsum(first) - 1]
    if serial.max(initial=0) > 9999:
        raise RuntimeError("serial overflow: too many people share one region and date")
    return serial


def _date_digits(day: np.ndarray, month: np.ndarray, year: np.ndarray) -> np.ndarray:
    """DDMMYY as an integer, the middle six digits of NIK and NO_KK."""
    return day * 10_000 + month * 100 + year % 100


def _nik(
    rng: np.random.Generator,
    district: np.ndarray,
    outside: np.ndarray,
    birth: np.ndarray,
    female: np.ndarray,
) -> np.ndarray:
    """16-digit NIKs as int64: region of issue, DDMMYY (+40 on the day for women), serial.

    Locals carry their village's district; a share of residents moved in and carry a NIK
    from elsewhere, which must not by itself fail Pasal 5 ayat (2) huruf a. Small shares
    disagree with the row's birth date or sex, as data-entry slips do.
    """
    n = len(district)
    moved_in = ~outside & (rng.random(n) < MOVED_IN_SHARE)
    moved_from = np.array(_MOVED_IN_DISTRICTS, dtype=np.int64)
    region = np.where(moved_in, moved_from[rng.integers(0, len(moved_from), n)], district)

    year, month, day = _ymd(birth)
    slip = rng.random(n) < NIK_DATE_SLIP_SHARE
    year_slip = slip & (rng.random(n) < 0.5)
    year = np.where(year_slip, year + rng.choice(np.array([-1, 1]), n), year)
    # Any shift of 1..27 within 1..28 lands on another day, also from the 29th-31st.
    shifted_day = (day - 1 + rng.integers(1, 28, n)) % 28 + 1
    day = np.where(slip & ~year_slip, shifted_day, day)
    nik_female = female ^ (rng.random(n) < NIK_SEX_SLIP_SHARE)
    day = day + 40 * nik_female

    without_serial = region * 1_000_000 + _date_digits(day, month, year)
    return without_serial * 10_000 + _serials(rng, without_serial, p=0.5)


def _no_kk(rng: np.random.Generator, district: np.ndarray, as_of: date) -> np.ndarray:
    """Family card numbers per household: district, DDMMYY of issue, serial."""
    latest = np.datetime64(as_of, "D") - 30
    issued = latest - rng.integers(0, 20 * 365, len(district))
    year, month, day = _ymd(issued)
    without_serial = district * 1_000_000 + _date_digits(day, month, year)
    return without_serial * 10_000 + _serials(rng, without_serial, p=0.3)


def _nik_text(rng: np.random.Generator, nik: np.ndarray) -> pa.Array:
    """NIK as text, with the damage Excel and typists do to a small share of cells."""
    text = _cast_str(nik)
    u = rng.random(len(nik))
    bounds = np.cumsum(
        [NIK_SCIENTIFIC_SHARE, NIK_DOT_ZERO_SHARE, NIK_APOSTROPHE_SHARE, NIK_SPACES_SHARE]
    )
    kind = np.searchsorted(bounds, u, side="right")  # 4 = untouched

    def damage(k: int, how: Callable[[pa.Array, np.ndarray], pa.Array]) -> None:
        nonlocal text
        mask = kind == k
        if mask.any():
            text = pc.replace_with_mask(text, pa.array(mask), how(text.filter(mask), nik[mask]))

    damage(0, lambda _t, v: _scientific(v))
    damage(1, lambda t, _v: pc.binary_join_element_wise(t, ".0", ""))
    damage(2, lambda t, _v: pc.binary_join_element_wise("'", t, ""))
    damage(3, lambda t, _v: _spaced_nik(rng, t))
    return text


def _scientific(nik: np.ndarray) -> pa.Array:
    """How Excel's General format shows a 16-digit number: 6 significant digits, "3.60101E+15"."""
    digits = _cast_str(np.rint(nik / 1e10).astype(np.int64))
    lead = pc.utf8_slice_codeunits(digits, 0, 1)
    frac = pc.utf8_rtrim(pc.utf8_slice_codeunits(digits, 1, 6), characters="0")
    with_frac = pc.binary_join_element_wise(lead, ".", frac, "E+15", "")
    return pc.if_else(pc.equal(frac, ""), pc.binary_join_element_wise(lead, "E+15", ""), with_frac)


def _spaced_nik(rng: np.random.Generator, text: pa.Array) -> pa.Array:
    """Half grouped 6-6-4 as typed from a KTP, half with a trailing space."""
    grouped = pc.binary_join_element_wise(
        pc.utf8_slice_codeunits(text, 0, 6),
        pc.utf8_slice_codeunits(text, 6, 12),
        pc.utf8_slice_codeunits(text, 12, 16),
        " ",
    )
    trailing = pc.binary_join_element_wise(text, " ", "")
    return pc.if_else(pa.array(rng.random(len(text)) < 0.5), grouped, trailing)


# --- other columns ---------------------------------------------------------------------------


def _names(rng: np.random.Generator, female: np.ndarray) -> pa.Array:
    """Upper-case Sundanese/Javanese/Muslim names of 1..3 words, fitting the person's sex."""
    n = len(female)
    n_ff, n_mf = len(_FEMALE_FIRST), len(_MALE_FIRST)
    first_local = np.where(female, rng.integers(0, n_ff, n), rng.integers(0, n_mf, n))
    size = np.where(female, n_ff, n_mf)
    # A middle name from the same list, never equal to the first word.
    middle_local = (first_local + 1 + np.floor(rng.random(n) * (size - 1)).astype(np.int64)) % size
    offset = np.where(female, 0, n_ff)
    second = np.where(
        female,
        rng.integers(0, len(_FEMALE_SECOND), n),
        len(_FEMALE_SECOND) + rng.integers(0, len(_MALE_SECOND), n),
    )
    words = np.searchsorted([0.10, 0.85], rng.random(n), side="right") + 1
    first_names = _FEMALE_FIRST + _MALE_FIRST
    return pc.binary_join_element_wise(
        _take(first_names, first_local + offset),
        _take(first_names, middle_local + offset, null=words < 3),
        _take(_FEMALE_SECOND + _MALE_SECOND, second, null=words < 2),
        " ",
        null_handling="skip",
    )


class _Dates(NamedTuple):
    """TANGGAL_LAHIR as codes into a dictionary of spellings.

    The dictionary holds each of the ``distinct`` dates in format 0 (ISO), then all in
    format 1 (DD-MM-YYYY), then format 2 (DD/MM/YYYY), then the empty and garbage cells.
    """

    dictionary: pa.Array
    codes: np.ndarray
    distinct: int

    def reformatted(self, codes: np.ndarray) -> np.ndarray:
        """The same dates in the next format, as a re-entered row would show them."""
        d = self.distinct
        return np.where(codes < 3 * d, ((codes // d + 1) % 3) * d + codes % d, codes)


def _tanggal_lahir(rng: np.random.Generator, birth: np.ndarray) -> _Dates:
    """Birth dates in formats mixed per row, with a few empty and garbage cells.

    Only the distinct dates are formatted in Python (tens of thousands at most), then
    taken by code, so a million rows cost no per-row Python.
    """
    unique, inverse = np.unique(birth, return_inverse=True)
    dates = [d.item() for d in unique]
    dictionary = pa.array(
        [d.isoformat() for d in dates]
        + [f"{d.day:02d}-{d.month:02d}-{d.year:04d}" for d in dates]
        + [f"{d.day:02d}/{d.month:02d}/{d.year:04d}" for d in dates]
        + ["", *_DATE_GARBAGE],
        pa.string(),
    )
    n, u = len(birth), len(unique)
    fmt = np.searchsorted(np.cumsum(DATE_FORMAT_SHARES[:-1]), rng.random(n), side="right")
    codes = fmt * u + inverse.reshape(-1)
    damage = rng.random(n)
    codes[damage < DATE_EMPTY_SHARE] = 3 * u
    garbage = (damage >= DATE_EMPTY_SHARE) & (damage < DATE_EMPTY_SHARE + DATE_GARBAGE_SHARE)
    codes[garbage] = 3 * u + 1 + rng.integers(0, len(_DATE_GARBAGE), int(garbage.sum()))
    return _Dates(dictionary, codes, u)


def _occupation_codes(
    rng: np.random.Generator, age: np.ndarray, female: np.ndarray, role: np.ndarray
) -> np.ndarray:
    """Index into ``_OCCUPATIONS`` per person, by sex and stage of life."""
    n = len(age)
    code = np.where(
        female,
        rng.choice(len(_OCCUPATIONS), n, p=_weights(_FEMALE_JOBS)),
        rng.choice(len(_OCCUPATIONS), n, p=_weights(_MALE_JOBS)),
    )
    student, idle, retired = (_OCCUPATIONS.index(j) for j in (_STUDENT, _NOT_WORKING, _RETIRED))
    u = rng.random(n)
    young_student = (role == _CHILD) & (
        ((age >= 15) & (age < 18) & (u < 0.7)) | ((age >= 18) & (age < 23) & (u < 0.25))
    )
    code[young_student] = student
    code[age >= 65] = np.where(u < 0.40, idle, np.where(u < 0.45, retired, code))[age >= 65]
    code[age < 15] = np.where(u < 0.92, student, idle)[age < 15]
    code[age < 5] = idle
    return code


def _occupation_dictionary() -> pa.Array:
    """Clean spellings, then lower-case, spaced, and lower-case spaced variants."""

    def spaced(job: str) -> str:
        if "/" in job:
            return job.replace("/", " / ")
        if " " in job:
            return job.replace(" ", "  ", 1)
        return f" {job} "

    clean = list(_OCCUPATIONS)
    spaced_jobs = [spaced(j) for j in clean]
    return pa.array(
        clean + [j.lower() for j in clean] + spaced_jobs + [j.lower() for j in spaced_jobs],
        pa.string(),
    )


def _variant_codes(rng: np.random.Generator, n: int) -> np.ndarray:
    """0 clean, 1 lower-case, 2 extra spaces, 3 both; a quarter of the spaced are also lower."""
    lower, spaced = OCCUPATION_LOWER_SHARE, OCCUPATION_SPACED_SHARE
    bounds = [1 - lower - spaced, 1 - spaced, 1 - spaced / 4]
    return np.searchsorted(bounds, rng.random(n), side="right")


def _marital_codes(
    rng: np.random.Generator, role: np.ndarray, age: np.ndarray, hh: np.ndarray
) -> np.ndarray:
    """Index into ``_MARITAL``, plausible for role and age."""
    n = len(role)
    u = rng.random(n)

    def pick(p: Sequence[float]) -> np.ndarray:
        return np.minimum(np.searchsorted(np.cumsum(p), u, side="right"), len(p) - 1)

    married_h = np.zeros(int(hh[-1]) + 1, dtype=bool)
    married_h[hh[role == _SPOUSE]] = True
    lone = (role == _HEAD) & ~married_h[hh]
    child = role == _CHILD
    code = np.zeros(n, dtype=np.int64)  # BELUM KAWIN
    code[lone] = np.where(
        age >= 55, pick((0.05, 0.10, 0.20, 0.65)), pick((0.35, 0.15, 0.35, 0.15))
    )[lone]
    code[(role == _HEAD) & ~lone] = _MARITAL.index("KAWIN")
    code[role == _SPOUSE] = _MARITAL.index("KAWIN")
    code[child & (age >= 17)] = pick((0.85, 0.15, 0, 0))[child & (age >= 17)]
    code[child & (age >= 25)] = pick((0.45, 0.45, 0.07, 0.03))[child & (age >= 25)]
    code[role == _PARENT] = pick((0, 0.15, 0.05, 0.80))[role == _PARENT]
    return code


def _desil(rng: np.random.Generator, households: int) -> pa.Array:
    """Welfare decile per household (members share it); a few households are unranked."""
    p = np.array([*(np.array(_DESIL_P) * (1 - DESIL_EMPTY_SHARE)), DESIL_EMPTY_SHARE])
    codes = rng.choice(len(p), households, p=p / p.sum())
    return _take((*(str(d) for d in range(1, 11)), ""), codes)


def _disabilitas(rng: np.random.Generator, n: int) -> pa.Array:
    """About 3% disabled ("YA" or a type, priority b of Pasal 7 ayat (2)); else TIDAK or empty."""
    u = rng.random(n)
    types = len(_DISABILITY_TYPES)
    codes = np.select(
        [u < 0.012, u < 0.03, u < 0.03 + 0.97 * 0.75],
        [0, 1 + rng.integers(0, types, n), types + 1],
        types + 2,
    )
    return _take(("YA", *_DISABILITY_TYPES, "TIDAK", ""), codes)


def _alamat(rng: np.random.Generator, households: int) -> pa.Array:
    """ "KP. <kampung> RT 00x/RW 00y" per household."""
    dictionary = [
        f"KP. {kampung} RT {rt:03d}/RW {rw:03d}"
        for kampung in _KAMPUNG
        for rt in range(1, _RT_MAX + 1)
        for rw in range(1, _RW_MAX + 1)
    ]
    return _take(dictionary, rng.integers(0, len(dictionary), households))


def _kode_desa(rng: np.random.Generator, codes: Sequence[str], village: np.ndarray) -> pa.Array:
    """Village code per household, mostly bare digits, some dotted as 36.01.01.2001."""
    dotted = [f"{c[:2]}.{c[2:4]}.{c[4:6]}.{c[6:]}" for c in codes]
    is_dotted = rng.random(len(village)) < DOTTED_KODE_DESA_SHARE
    return _take([*codes, *dotted], village + len(codes) * is_dotted)


def _bantuan_iuran(rng: np.random.Generator, n: int) -> pa.Array:
    """Existing contribution aid (Pasal 5 ayat (2) huruf f); some values typed lower-case."""
    codes = rng.choice(len(_AID), n, p=_AID_P)
    lower = (codes > 0) & (rng.random(n) < _AID_LOWER_SHARE)
    return _take((*_AID, *(a.lower() for a in _AID)), codes + len(_AID) * lower)


def _with_duplicates(
    rng: np.random.Generator,
    base: pa.Table,
    n_dup: int,
    dates: _Dates,
) -> pa.Table:
    """Append copies of earlier rows (same NIK), each placed somewhere after its original.

    Half are exact; the others differ as a re-entered row would: name in lower case, or the
    birth date in another format.
    """
    if n_dup == 0:
        return base
    n = base.num_rows
    source = rng.integers(0, n, n_dup)
    dup = base.take(pa.array(source))
    kind = rng.integers(0, 4, n_dup)  # 0, 1 exact; 2 name; 3 date format
    names = dup.column("NAMA").combine_chunks()
    names = pc.if_else(pa.array(kind == 2), pc.utf8_lower(names), names)
    codes = dates.codes[source]
    codes = np.where(kind == 3, dates.reformatted(codes), codes)
    dup = dup.set_column(HEADERS.index("NAMA"), "NAMA", names)
    dup = dup.set_column(
        HEADERS.index("TANGGAL_LAHIR"), "TANGGAL_LAHIR", dates.dictionary.take(pa.array(codes))
    )
    # Sort key 2*i for originals, 2*p+1 to land right after original row p >= source.
    after = source + np.floor(rng.random(n_dup) * (n - source)).astype(np.int64)
    keys = np.concatenate([2 * np.arange(n), 2 * after + 1])
    order = np.argsort(keys, kind="stable")
    return pa.concat_tables([base, dup]).take(pa.array(order)).combine_chunks()


# --- helpers ---------------------------------------------------------------------------------


def _take(values: Sequence[str], codes: np.ndarray, *, null: np.ndarray | None = None) -> pa.Array:
    """``values[codes]`` as a pyarrow string array, null where ``null`` is set."""
    return pa.array(values, pa.string()).take(pa.array(codes, mask=null))


def _cast_str(values: np.ndarray) -> pa.Array:
    """Integers as decimal text (NIK and NO_KK never start with 0, so no padding is lost)."""
    return pc.cast(pa.array(values, pa.int64()), pa.string())


def _weights(mapping: Mapping[str, float]) -> np.ndarray:
    """Weights aligned with ``_OCCUPATIONS``, normalised to 1."""
    w = np.array([mapping.get(job, 0.0) for job in _OCCUPATIONS], dtype=np.float64)
    return w / w.sum()


# --- writers ---------------------------------------------------------------------------------


def _write_csv(table: pa.Table, path: Path, as_of: date) -> None:
    """Unquoted, like a spreadsheet's "save as CSV"; no value contains a comma or quote."""
    options = pa_csv.WriteOptions(quoting_style="none", quoting_header="none")
    pa_csv.write_csv(table, path, write_options=options)


def _write_parquet(table: pa.Table, path: Path, as_of: date) -> None:
    """Library defaults; the bytes depend only on the table and the pyarrow version."""
    pq.write_table(table, path)


def _write_xlsx(table: pa.Table, path: Path, as_of: date) -> None:
    """Text cells only, streamed row by row; the fixed creation date keeps bytes reproducible."""
    workbook = xlsxwriter.Workbook(
        str(path),
        {
            "constant_memory": True,
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
        },
    )
    workbook.set_properties({"created": datetime.combine(as_of, time())})
    sheet = workbook.add_worksheet("DTSEN")
    sheet.write_row(0, 0, table.column_names)
    write = sheet.write_string
    columns = [column.to_pylist() for column in table.columns]
    for r, values in enumerate(zip(*columns, strict=True), start=1):
        for c, value in enumerate(values):
            if value:
                write(r, c, value)
    workbook.close()


_WRITERS: Final[dict[str, Callable[[pa.Table, Path, date], None]]] = {
    ".csv": _write_csv,
    ".parquet": _write_parquet,
    ".xlsx": _write_xlsx,
}
