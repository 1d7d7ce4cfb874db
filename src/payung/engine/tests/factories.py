"""Build DTSEN people for screening tests: valid by default, one field changed per case.

``person()`` returns a dict of canonical columns (text, as a DTSEN extract holds them) that
passes every rule of the Pandeglang policy: a Pandeglang NIK whose birth date and sex agree
with TANGGAL_LAHIR / JENIS_KELAMIN, a real village of Kecamatan Pandeglang, a married petani
without dependants in desil 2, aged 45 on the tests' as-of date, meeting no Pasal 7(2)
priority. ``extract()`` turns a list of such dicts into the Arrow
table ``engine.readers.read_extract`` would return for the same file.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Any, Final

import pyarrow as pa

from payung.engine.columns import CANONICAL, NIK_NUMERIC_CELL, ROW

#: The as-of (registration reference) date every screening test measures age on.
AS_OF: Final = date(2026, 3, 15)

#: Kecamatan Pandeglang (36.01.01): the district part of the default NIK.
DISTRICT: Final = "360101"

#: Desa Sumberjaya, Kec. Pandeglang (36.01.01.2001): a real village of the regency.
VILLAGE: Final = "3601012001"

#: Birth date of the default person: 45 years old on AS_OF.
BIRTH: Final = date(1980, 6, 15)

#: Occupations that pass Pasal 5(1), as KTP/DTSEN write them, with their category.
VULNERABLE_OCCUPATIONS: Final[dict[str, str]] = {
    "PETANI/PEKEBUN": "petani",
    "NELAYAN/PERIKANAN": "nelayan",
    "PETERNAK": "peternak",
    "PEMBUDIDAYA IKAN": "peternak",
    "PEDAGANG": "usaha_mikro",
    "PEDAGANG KAKI LIMA": "usaha_mikro",
    "PENGEMUDI ANGKUTAN UMUM": "pengemudi_angkutan_umum",
    "SOPIR": "pengemudi_angkutan_umum",
    "PENGEMUDI RENTAL": "pengemudi_rental",
    "TUKANG OJEK": "pengemudi_ojek",
    "PENGEMUDI OJEK": "pengemudi_ojek",
    "JURU PARKIR": "juru_parkir",
    "PEMULUNG": "pemulung",
    "BURUH HARIAN LEPAS": "buruh_harian",
}


def nik_for(birth: date, sex: str = "L", *, serial: int = 1, district: str = DISTRICT) -> str:
    """A structurally valid NIK: district, DDMMYY (day + 40 for women), 4-digit serial."""
    if not 1 <= serial <= 9999:
        raise ValueError(f"serial must be 1..9999, got {serial}")
    day = birth.day + (40 if sex == "P" else 0)
    return f"{district}{day:02d}{birth.month:02d}{birth.year % 100:02d}{serial:04d}"


class People:
    """Makes people with distinct NIKs (a fresh serial each), valid unless told otherwise."""

    def __init__(self, *, start: int = 1) -> None:
        self._serial = start

    def next_serial(self) -> int:
        serial = self._serial
        self._serial += 1
        return serial

    def person(
        self,
        *,
        birth: date = BIRTH,
        sex: str = "L",
        district: str = DISTRICT,
        **fields: Any,
    ) -> dict[str, Any]:
        """One person; ``fields`` override canonical columns (``None``/"" = empty cell).

        ``birth``/``sex``/``district`` feed the NIK and, unless overridden, TANGGAL_LAHIR and
        JENIS_KELAMIN, so the default NIK always agrees with them.
        """
        unknown = set(fields) - set(CANONICAL) - {NIK_NUMERIC_CELL}
        if unknown:
            raise TypeError(f"unknown columns: {sorted(unknown)}")
        serial = self.next_serial()
        nik = nik_for(birth, sex, serial=serial, district=district)
        base: dict[str, Any] = {
            "nik": nik,
            "no_kk": f"{district}{serial:06d}0001",
            "nama": f"Orang {serial}",
            "jenis_kelamin": sex,
            "tanggal_lahir": birth.isoformat(),
            "status_perkawinan": "KAWIN",
            "jumlah_tanggungan": "0",
            "pekerjaan": "PETANI/PEKEBUN",
            "desil": "2",
            "disabilitas": "TIDAK",
            "alamat": f"Kp. Cipeucang RT 0{serial % 9 + 1}/RW 02",
            "kode_desa": VILLAGE,
            "bantuan_iuran": "TIDAK",
        }
        base.update(fields)
        return base


def person(**fields: Any) -> dict[str, Any]:
    """A single person (serial 1 unless a NIK is given); see ``People.person``."""
    return People().person(**fields)


def _text(value: Any) -> str | None:
    """A cell as the reader leaves it: trimmed text, blank as null."""
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def extract(rows: Iterable[Mapping[str, Any]]) -> pa.Table:
    """The reader-shaped table: ``row`` (1-based), canonical text columns, ``nik_numeric_cell``."""
    rows = list(rows)
    columns: dict[str, pa.Array] = {ROW: pa.array(range(1, len(rows) + 1), pa.int64())}
    for name in CANONICAL:
        columns[name] = pa.array([_text(r.get(name)) for r in rows], pa.string())
    columns[NIK_NUMERIC_CELL] = pa.array(
        [bool(r.get(NIK_NUMERIC_CELL, False)) for r in rows], pa.bool_()
    )
    return pa.table(columns)


def birth_for_age(age: int, rng: random.Random, *, as_of: date = AS_OF) -> date:
    """A random birth date giving exactly ``age`` completed years on ``as_of``."""
    latest = _years_before(as_of, age)  # turned ``age`` on this day
    earliest = _years_before(as_of, age + 1) + timedelta(days=1)
    return earliest + timedelta(days=rng.randrange((latest - earliest).days + 1))


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a common year
        return day.replace(year=day.year - years, day=28)


def population(n: int, *, seed: int) -> list[dict[str, Any]]:
    """``n`` varied people (seeded): mostly eligible, some ineligible, many ties in rank keys.

    Ages, deciles, disabilities, marital status and dependants vary so that every
    combination of Pasal 7(2) priorities occurs; a share of people fail a rule so the
    ranking must skip them. Serial numbers are distinct, so NIKs are too.
    """
    rng = random.Random(seed)
    people = People()
    villages = ["3601012001", "3601012002", "3601012003"]
    out: list[dict[str, Any]] = []
    for _ in range(n):
        age = rng.choice([18, 25, 33, 40, 45, 52, 59, 60, 61, 63, 64, 65, 70, 17])
        birth = birth_for_age(age, rng)
        sex = rng.choice("LP")
        married = rng.random() < 0.6
        out.append(
            people.person(
                birth=birth,
                sex=sex,
                status_perkawinan=rng.choice(["KAWIN", "CERAI MATI"]) if married else "BELUM KAWIN",
                jumlah_tanggungan=str(rng.choice([0, 0, 1, 2, 3])),
                disabilitas=rng.choice(["TIDAK", "TIDAK", "TIDAK", "", "YA", "TUNA NETRA"]),
                desil=str(rng.choice([1, 1, 2, 3, 4, 4, 5, 7])),
                pekerjaan=rng.choice(
                    [*VULNERABLE_OCCUPATIONS, "PEGAWAI NEGERI SIPIL", "MENGURUS RUMAH TANGGA"]
                ),
                kode_desa=rng.choice(villages),
                bantuan_iuran=rng.choice(["TIDAK", "", "", "", "APBD"]),
            )
        )
    return out
