"""The Splink model: comparisons designed for Indonesian lists, blocking rules, priors.

Why these comparisons (each level is a column of evidence in ``matches.csv``):

- **NIK**: exact; the two Excel damages (a number cell keeps 15 digits and zeroes the 16th;
  General format shows ``3.60101E+15``, six digits); Damerau-Levenshtein <= 1 and <= 2 on
  the last ten digits (birth date and serial: a typed digit wrong or two swapped; a wrong
  region with the rest intact is distance 0 there); missing. A twin differs from a sibling
  by one serial digit, which is why the name weighs as much as it does.
- **name**, normalised (:mod:`payung.engine.linkage.names`) and compared with its spaces
  removed (``NUR HASANAH``/``NURHASANAH``): exact; Jaro-Winkler >= 0.95; one name's words
  all in the other (a dropped middle name); Jaro-Winkler >= 0.88.
- **birth date**: exact; day and month swapped; one day apart; the same day one year apart.
- **sex** (from the NIK's day when the list has none), **village** (the same village, the
  same kecamatan: people move within a kecamatan more than across it) and the **family card**
  when both sides have one.

Parameters are estimated without labels: u by random sampling (seeded), m by two rounds of
EM (blocked on the NIK, then on name and birth date, so each comparison is estimated in a
round it was not blocked on). The NIK's structure gives the priors: the probability that
two records match starts from the pairs sharing a NIK (exact NIK finds about three quarters
of real matches on such lists) and the NIK levels start from the typing errors the NIK's
check digits cannot catch.
"""

from __future__ import annotations

from typing import Any, Final

__all__ = [
    "BLOCKING_RULES",
    "COMPARISONS",
    "EVIDENCE",
    "TRAINING_BLOCKS",
    "settings_build",
]


def _level(sql: str, label: str, *, m: float | None = None, null: bool = False) -> dict[str, Any]:
    level: dict[str, Any] = {"sql_condition": sql, "label_for_charts": label}
    if null:
        level["is_null_level"] = True
    if m is not None:
        level["m_probability"] = m
        level["u_probability"] = _U_PRIORS[label]
    return level


#: u priors, used as they are when a list pair is too small to sample non-matches from
#: (:data:`payung.engine.linkage.run.U_MIN_PAIRS`); measured on the labelled sets and
#: rounded. Keyed by label: the ``sama``/``beda`` of each comparison share their order of
#: magnitude (agreement is rare among random pairs, disagreement the rule).
_U_PRIORS: Final[dict[str, float]] = {
    "sama": 1e-4,
    "beda": 0.99,
    "rusak_excel_digit16": 1e-5,
    "rusak_excel_notasi_e": 6e-4,
    "beda_1_digit": 1.3e-5,
    "beda_2_digit": 8e-5,
    "beda_kode_wilayah": 5e-6,
    "mirip_0_95": 3e-5,
    "sebagian_kata": 1.8e-3,
    "mirip_0_88": 1.4e-3,
    "hari_bulan_tertukar": 1e-5,
    "selisih_1_hari": 9e-5,
    "selisih_1_tahun": 9e-5,
    "desa_sama": 3e-3,
    "kecamatan_sama": 0.03,
}


_NIK_NULL: Final = (
    "(nik16_l IS NULL AND nik_prefix_l IS NULL) OR (nik16_r IS NULL AND nik_prefix_r IS NULL)"
)
_NIK_EXCEL_ZERO: Final = (
    "(left(nik16_l, 15) = left(nik16_r, 15) AND (right(nik16_l, 1) = '0' OR "
    "right(nik16_r, 1) = '0')) OR (length(nik_prefix_l) = 15 AND "
    "starts_with(coalesce(nik16_r, nik_prefix_r), nik_prefix_l)) OR "
    "(length(nik_prefix_r) = 15 AND starts_with(coalesce(nik16_l, nik_prefix_l), nik_prefix_r))"
)
_NIK_EXCEL_SCI: Final = (
    "(nik_prefix_l IS NOT NULL AND starts_with(coalesce(nik16_r, nik_prefix_r), nik_prefix_l))"
    " OR (nik_prefix_r IS NOT NULL AND starts_with(coalesce(nik16_l, nik_prefix_l), "
    "nik_prefix_r))"
)

#: Comparisons, each as (output column, levels). The levels' labels are the evidence codes
#: written to matches.csv (see :data:`EVIDENCE` for their Indonesian meaning).
COMPARISONS: Final[tuple[dict[str, Any], ...]] = (
    {
        "output_column_name": "nik",
        "comparison_levels": [
            _level(_NIK_NULL, "kosong", null=True),
            _level("nik16_l = nik16_r", "sama", m=0.72),
            _level(_NIK_EXCEL_ZERO, "rusak_excel_digit16", m=0.04),
            _level(_NIK_EXCEL_SCI, "rusak_excel_notasi_e", m=0.02),
            _level(
                "left(nik16_l, 6) = left(nik16_r, 6) AND "
                "damerau_levenshtein(nik10_l, nik10_r) <= 1",
                "beda_1_digit",
                m=0.12,
            ),
            _level(
                "left(nik16_l, 6) = left(nik16_r, 6) AND "
                "damerau_levenshtein(nik10_l, nik10_r) <= 2",
                "beda_2_digit",
                m=0.03,
            ),
            _level("nik10_l = nik10_r", "beda_kode_wilayah", m=0.02),
            _level("ELSE", "beda", m=0.05),
        ],
    },
    {
        "output_column_name": "nama",
        "comparison_levels": [
            _level("nama_join_l IS NULL OR nama_join_r IS NULL", "kosong", null=True),
            _level("nama_join_l = nama_join_r", "sama", m=0.75),
            _level(
                "jaro_winkler_similarity(nama_join_l, nama_join_r) >= 0.95", "mirip_0_95", m=0.1
            ),
            _level(
                "list_has_all(string_split(nama_norm_l, ' '), string_split(nama_norm_r, ' ')) OR "
                "list_has_all(string_split(nama_norm_r, ' '), string_split(nama_norm_l, ' '))",
                "sebagian_kata",
                m=0.08,
            ),
            _level(
                "jaro_winkler_similarity(nama_join_l, nama_join_r) >= 0.88", "mirip_0_88", m=0.04
            ),
            _level("ELSE", "beda", m=0.03),
        ],
    },
    {
        "output_column_name": "tanggal_lahir",
        "comparison_levels": [
            _level("dob_l IS NULL OR dob_r IS NULL", "kosong", null=True),
            _level("dob_l = dob_r", "sama", m=0.86),
            _level(
                "day(dob_l) = month(dob_r) AND month(dob_l) = day(dob_r) AND "
                "year(dob_l) = year(dob_r)",
                "hari_bulan_tertukar",
                m=0.03,
            ),
            _level("abs(date_diff('day', dob_l, dob_r)) <= 1", "selisih_1_hari", m=0.04),
            _level(
                "day(dob_l) = day(dob_r) AND month(dob_l) = month(dob_r) AND "
                "abs(year(dob_l) - year(dob_r)) = 1",
                "selisih_1_tahun",
                m=0.03,
            ),
            _level("ELSE", "beda", m=0.04),
        ],
    },
    {
        "output_column_name": "jenis_kelamin",
        "comparison_levels": [
            _level("sex_l IS NULL OR sex_r IS NULL", "kosong", null=True),
            {**_level("sex_l = sex_r", "sama", m=0.98), "u_probability": 0.5},
            {**_level("ELSE", "beda", m=0.02), "u_probability": 0.5},
        ],
    },
    {
        "output_column_name": "wilayah",
        "comparison_levels": [
            _level("desa_l IS NULL OR desa_r IS NULL", "kosong", null=True),
            _level("desa_l = desa_r", "desa_sama", m=0.9),
            _level("kec_l = kec_r", "kecamatan_sama", m=0.05),
            _level("ELSE", "beda", m=0.05),
        ],
    },
    {
        "output_column_name": "no_kk",
        "comparison_levels": [
            _level("kk_l IS NULL OR kk_r IS NULL", "kosong", null=True),
            _level("kk_l = kk_r", "sama", m=0.9),
            _level("ELSE", "beda", m=0.1),
        ],
    },
)

#: Evidence code -> what it means, for docs/linkage.md and the application.
EVIDENCE: Final[dict[str, str]] = {
    "sama": "sama persis",
    "kosong": "kosong di salah satu daftar",
    "beda": "berbeda",
    "rusak_excel_digit16": "NIK rusak oleh Excel (digit ke-16 menjadi 0), 15 digit pertama sama",
    "rusak_excel_notasi_e": "NIK rusak oleh Excel (notasi E), awalan yang tersisa sama",
    "beda_1_digit": "10 digit terakhir NIK berbeda satu digit (salah ketik atau tertukar)",
    "beda_2_digit": "10 digit terakhir NIK berbeda dua digit",
    "beda_kode_wilayah": (
        "10 digit terakhir NIK sama, kode wilayah berbeda (salah ketik, atau orang lain yang "
        "lahir pada tanggal yang sama di kecamatan lain)"
    ),
    "mirip_0_95": "nama sangat mirip (Jaro-Winkler >= 0,95)",
    "sebagian_kata": "semua kata satu nama ada di nama lainnya (nama tengah hilang)",
    "mirip_0_88": "nama mirip (Jaro-Winkler >= 0,88)",
    "hari_bulan_tertukar": "tanggal dan bulan lahir tertukar",
    "selisih_1_hari": "tanggal lahir selisih satu hari",
    "selisih_1_tahun": "tahun lahir selisih satu tahun",
    "desa_sama": "desa sama",
    "kecamatan_sama": "desa berbeda dalam kecamatan yang sama",
}

#: Pairs to score: a true pair must meet at least one (tests assert none is lost on the
#: labelled sets). Each is an equi-join, so 1 M x 1 M stays within a minute.
BLOCKING_RULES: Final[tuple[str, ...]] = (
    "l.nik16 = r.nik16",
    "l.nik12 = r.nik12",
    "l.nik10 = r.nik10 AND l.kec = r.kec",
    "l.nik10 = r.nik10 AND l.nama_first = r.nama_first",
    "l.nik_ends = r.nik_ends AND l.nama_join = r.nama_join",
    "l.nama_join = r.nama_join AND l.dob_year = r.dob_year AND l.kec = r.kec",
    "l.nama_first = r.nama_first AND l.dob = r.dob",
    "l.dob = r.dob AND l.desa = r.desa",
    "l.nama_join = r.nama_join AND l.desa = r.desa",
    "l.nama_last = r.nama_last AND l.desa = r.desa AND l.dob_md = r.dob_md",
    "l.nama_join = r.nama_join AND l.dob_md = r.dob_md",
    "l.nama_first = r.nama_first AND l.desa = r.desa AND l.dob_md = r.dob_md",
    "l.nama_first = r.nama_first AND l.desa = r.desa AND l.dob_year = r.dob_year",
    "l.nama_last = r.nama_last AND l.desa = r.desa AND l.dob_year = r.dob_year",
    "l.kk = r.kk AND l.sex = r.sex",
    "l.kk = r.kk AND l.nama_first = r.nama_first",
)

#: EM rounds: each comparison is estimated in a round that did not block on it.
TRAINING_BLOCKS: Final[tuple[str, ...]] = (
    "l.nik16 = r.nik16",
    "l.nama_join = r.nama_join AND l.dob = r.dob",
)


def settings_build(*, link_type: str, probability_two_random_records_match: float) -> dict:
    """A Splink settings dictionary (DuckDB SQL; Spark runs the same SQL through Splink)."""
    return {
        "link_type": link_type,
        "unique_id_column_name": "unique_id",
        "comparisons": [
            {
                "output_column_name": c["output_column_name"],
                "comparison_levels": [dict(level) for level in c["comparison_levels"]],
            }
            for c in COMPARISONS
        ],
        "blocking_rules_to_generate_predictions": [
            {"blocking_rule": rule, "sql_dialect": "duckdb"} for rule in BLOCKING_RULES
        ],
        "probability_two_random_records_match": probability_two_random_records_match,
        "retain_matching_columns": True,
        "retain_intermediate_calculation_columns": True,
        "additional_columns_to_retain": ["nama_first"],
        "em_convergence": 0.0001,
        "max_iterations": 25,
        "linker_uid": "payung",
    }
