"""What linkage compares: each list's rows turned into cleaned, comparable features.

The comparisons of :mod:`payung.engine.linkage.model` must not each re-learn how a NIK or a
date is written, so every list goes through one SQL projection in DuckDB first: the NIK
cleaned the way :func:`payung.domain.nik.clean` does (spaces, an Excel apostrophe, a ``.0``
tail), its Excel-damaged forms kept apart (``3.60101E+15`` leaves only a prefix; a number
cell zeroes the 16th digit), the birth date read from the formats the extracts use, sex
from the list or else from the NIK's day (women's days carry +40), the village and its
kecamatan (the first six digits of the village code) and the family card number. Names are
normalised beforehand by :func:`payung.engine.linkage.names.name_normalise`.
"""

from __future__ import annotations

from typing import Final

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from payung.engine.linkage.names import name_join, name_normalise

__all__ = ["LINK_COLUMNS", "features_build"]

#: The list columns linkage reads (canonical names); any may be absent from a list.
LINK_COLUMNS: Final[tuple[str, ...]] = (
    "nik",
    "nama",
    "tanggal_lahir",
    "jenis_kelamin",
    "kode_desa",
    "no_kk",
)

_MALE: Final = "('L', 'LK', 'LAKI', 'LAKI-LAKI', 'LAKI LAKI', 'PRIA', 'M', '1')"
_FEMALE: Final = "('P', 'PR', 'PEREMPUAN', 'WANITA', 'W', 'F', '2')"
#: YYYY-MM-DD, or DD-MM-YYYY with ``-``, ``/`` or ``.``; an impossible date (31/02) is null.
#: Regular expressions and a cast: ``strptime`` with a list of formats is 4x slower.
_DOB: Final = (
    "CASE WHEN regexp_full_match(tgl_text, '[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}') "
    "THEN try_cast(tgl_text AS DATE) "
    "ELSE try_cast(regexp_replace(tgl_text, "
    "'^([0-9]{1,2})[-/.]([0-9]{1,2})[-/.]([0-9]{4})$', '\\3-\\2-\\1') AS DATE) END"
)

#: The NIK the slow way (spaces, invisible characters, Excel's apostrophe, a ``.0`` tail), only
#: for the cells that are not already 16 plain digits.
_NIK_SLOW: Final = (
    "regexp_replace(regexp_replace(nik, '[\\s\\x{200b}\\x{feff}]', '', 'g'), '^''', '')"
)

_SQL: Final = f"""
WITH cleaned AS (
    SELECT
        row AS unique_id,
        CASE WHEN length(nik) = 16 AND TRY_CAST(nik AS UBIGINT) IS NOT NULL THEN nik
             ELSE {_NIK_SLOW} END AS nik_c,
        coalesce(nik_numeric_cell, false) AS nik_numeric_cell,
        nama_norm,
        nama_join,
        dob,
        sex_text,
        desa,
        CASE WHEN length(no_kk) = 16 AND TRY_CAST(no_kk AS UBIGINT) IS NOT NULL THEN no_kk
             WHEN length(regexp_replace(no_kk, '[^0-9]', '', 'g')) = 16
             THEN regexp_replace(no_kk, '[^0-9]', '', 'g')
        END AS kk
    FROM source
),
nik AS (
    SELECT *,
        CASE
            WHEN length(nik_c) = 16 AND TRY_CAST(nik_c AS UBIGINT) IS NOT NULL THEN nik_c
            WHEN regexp_full_match(nik_c, '[0-9]{{16}}[.,]0+') THEN left(nik_c, 16)
        END AS nik16_raw,
        CASE
            WHEN regexp_full_match(nik_c, '[0-9]([.,][0-9]+)?[eE]\\+?15')
            THEN regexp_replace(regexp_extract(nik_c, '^([0-9]([.,][0-9]+)?)', 1), '[.,]', '')
        END AS nik_prefix
    FROM cleaned
)
SELECT
    unique_id,
    CASE WHEN nik_numeric_cell THEN NULL ELSE nik16_raw END AS nik16,
    CASE WHEN nik_numeric_cell AND nik16_raw IS NOT NULL THEN left(nik16_raw, 15)
         ELSE nik_prefix END AS nik_prefix,
    left(nik16_raw, 12) AS nik12,
    left(nik16_raw, 6) || right(nik16_raw, 4) AS nik_ends,
    right(CASE WHEN nik_numeric_cell THEN NULL ELSE nik16_raw END, 10) AS nik10,
    nama_norm,
    nama_join,
    split_part(nama_norm, ' ', 1) AS nama_first,
    split_part(nama_norm, ' ', -1) AS nama_last,
    dob,
    year(dob) AS dob_year,
    month(dob) * 100 + day(dob) AS dob_md,
    coalesce(
        sex_text,
        CASE WHEN TRY_CAST(substr(nik16_raw, 7, 2) AS INTEGER) > 40 THEN 'P'
             WHEN nik16_raw IS NOT NULL THEN 'L' END
    ) AS sex,
    desa,
    left(desa, 6) AS kec,
    kk
FROM nik
"""

#: Columns with few distinct values are cleaned once per value (a regency has some
#: thirty thousand birth dates and a few hundred villages, not a million).
_DISTINCT_SQL: Final = {
    "dob": f"SELECT {_DOB} AS v FROM (SELECT trim(value) AS tgl_text FROM d)",
    "sex_text": (
        f"SELECT CASE WHEN s IN {_MALE} THEN 'L' WHEN s IN {_FEMALE} THEN 'P' END AS v "
        "FROM (SELECT upper(trim(value)) AS s FROM d)"
    ),
    "desa": (
        "SELECT CASE WHEN length(c) = 10 THEN c END AS v "
        "FROM (SELECT regexp_replace(value, '[^0-9]', '', 'g') AS c FROM d)"
    ),
}
_DISTINCT_SOURCE: Final = {"dob": "tanggal_lahir", "sex_text": "jenis_kelamin", "desa": "kode_desa"}


def _per_distinct(
    con: duckdb.DuckDBPyConnection, values: pa.Array | pa.ChunkedArray, sql: str
) -> pa.Array:
    """Evaluate ``sql`` (reading ``value`` from table ``d``) once per distinct value."""
    chunked = values if isinstance(values, pa.ChunkedArray) else pa.chunked_array([values])
    encoded = pc.dictionary_encode(chunked).combine_chunks()
    con.register("d", pa.table({"value": encoded.dictionary}))
    try:
        cleaned = con.execute(sql).to_arrow_table().column("v").combine_chunks()
    finally:
        con.unregister("d")
    return cleaned.take(encoded.indices)


def features_build(con: duckdb.DuckDBPyConnection, table: pa.Table, *, name: str) -> int:
    """Create table ``name`` in ``con`` with the features of ``table`` (columns ``row`` and any
    of :data:`LINK_COLUMNS`, all text; ``nik_numeric_cell`` optional) and return its rows.

    A NIK from a spreadsheet number cell lost its 16th digit for good (Excel keeps 15), so
    only its first 15 digits are kept, as a prefix, and never compared as a whole NIK.
    """
    columns = {"row": table.column("row")}
    for column in LINK_COLUMNS:
        if column in table.column_names:
            columns[column] = table.column(column).cast(pa.string())
        else:
            columns[column] = pa.nulls(table.num_rows, pa.string())
    if "nik_numeric_cell" in table.column_names:
        columns["nik_numeric_cell"] = table.column("nik_numeric_cell")
    else:
        columns["nik_numeric_cell"] = pa.nulls(table.num_rows, pa.bool_())
    columns["nama_norm"] = name_normalise(columns["nama"])
    columns["nama_join"] = name_join(columns["nama_norm"])
    for target, sql in _DISTINCT_SQL.items():
        columns[target] = _per_distinct(con, columns[_DISTINCT_SOURCE[target]], sql)
    source = pa.table(columns)
    con.register("source", source)
    try:
        con.execute(f"CREATE OR REPLACE TABLE {name} AS {_SQL} ORDER BY unique_id")
    finally:
        con.unregister("source")
    return table.num_rows
