"""Linking lists end to end on labelled synthetic pairs (engine/linkage/run.py).

What a regency relies on: blocking loses no true pair, the model reaches the accuracy the
README reports and beats exact-NIK matching, relatives on one family card are never merged,
and the same inputs and seed give the same bytes.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from payung.engine.linkage.features import features_build
from payung.engine.linkage.model import BLOCKING_RULES
from payung.engine.linkage.run import dedupe_list, link_lists, link_write
from payung.engine.linkage.synth_pairs import LinkCase, synth_dupes, synth_pairs

B_HEADERS = {"NAMA_PESERTA": "nama", "TGL_LAHIR": "tanggal_lahir"}


def canonical(table: pa.Table) -> pa.Table:
    """A synthetic list as list_read gives it: ``row`` and lower-case linkage columns."""
    columns = {"row": pa.array(range(1, table.num_rows + 1), pa.int64())}
    for name in table.column_names:
        columns[B_HEADERS.get(name, name.lower())] = table.column(name)
    return pa.table(columns)


def pairs_of(table: pa.Table, first: str = "a_row", second: str = "b_row") -> set[tuple]:
    return set(zip(table[first].to_pylist(), table[second].to_pylist(), strict=True))


def truth_of(case: LinkCase) -> set[tuple]:
    return pairs_of(case.truth)


@pytest.fixture(scope="module")
def case() -> LinkCase:
    return synth_pairs(rows_a=12_000, rows_b=6_000, seed=7)


@pytest.fixture(scope="module")
def linked(case: LinkCase):
    return link_lists(a=canonical(case.a), b=canonical(case.b), seed=1)


@pytest.mark.parametrize("seed", [7, 11])
def test_blocking_loses_no_true_pair(seed: int) -> None:
    case = synth_pairs(rows_a=8_000, rows_b=4_000, seed=seed)
    con = duckdb.connect()
    features_build(con, canonical(case.a), name="fa")
    features_build(con, canonical(case.b), name="fb")
    con.register("truth", case.truth)
    any_rule = " OR ".join(f"({rule})" for rule in BLOCKING_RULES)
    lost = con.execute(
        "SELECT count(*) FROM truth t JOIN fa l ON l.unique_id = t.a_row "
        f"JOIN fb r ON r.unique_id = t.b_row WHERE NOT coalesce({any_rule}, false)"
    ).fetchone()[0]
    assert case.truth.num_rows == 1_600  # 40% of B
    assert lost == 0


def test_blocking_loses_no_duplicate_in_one_list() -> None:
    case = synth_dupes(rows=6_000, seed=5)
    con = duckdb.connect()
    features_build(con, canonical(case.a), name="fa")
    con.register("truth", case.truth)
    any_rule = " OR ".join(f"({rule})" for rule in BLOCKING_RULES)
    lost = con.execute(
        "SELECT count(*) FROM truth t JOIN fa l ON l.unique_id = t.a_row "
        f"JOIN fa r ON r.unique_id = t.b_row WHERE NOT coalesce({any_rule}, false)"
    ).fetchone()[0]
    assert lost == 0


def test_accuracy_reaches_the_target_and_beats_exact_nik(case: LinkCase, linked) -> None:
    truth = truth_of(case)
    found = pairs_of(linked.matches)
    true_positives = len(found & truth)
    precision = true_positives / len(found)
    recall = true_positives / len(truth)
    f1 = 2 * precision * recall / (precision + recall)
    assert precision >= 0.99
    assert f1 >= 0.99
    # The baseline: the same pairs found by an exact NIK join.
    a_nik = canonical(case.a).select(["row", "nik"]).rename_columns(["a_row", "nik"])
    b_nik = canonical(case.b).select(["row", "nik"]).rename_columns(["b_row", "nik"])
    exact = pairs_of(a_nik.join(b_nik, "nik", join_type="inner"))
    assert recall > len(exact & truth) / len(truth) + 0.1


def test_relatives_on_one_family_card_are_never_matched(case: LinkCase, linked) -> None:
    a = canonical(case.a)
    b = canonical(case.b)
    kk_a = dict(zip(a["row"].to_pylist(), a["no_kk"].to_pylist(), strict=True))
    kk_b = dict(zip(b["row"].to_pylist(), b["no_kk"].to_pylist(), strict=True))
    truth = truth_of(case)
    same_card_wrong = [
        (x, y)
        for x, y in pairs_of(linked.matches)
        if (x, y) not in truth and kk_b[y] is not None and kk_a[x] == kk_b[y]
    ]
    assert case.hard_negatives > 100
    assert same_card_wrong == []
    assert linked.summary["counts"]["guarded_family"] > 0


def test_twins_stay_two_people() -> None:
    """Twins share the card, the birth date and all but one NIK digit; the list B record of
    one twin matches that twin only."""
    a = pa.table(
        {
            "row": pa.array([1, 2], pa.int64()),
            "nik": ["3601011503100001", "3601011503100002"],
            "nama": ["HASAN SAEPUDIN", "HUSEN SAEPUDIN"],
            "tanggal_lahir": ["2010-03-15", "2010-03-15"],
            "jenis_kelamin": ["L", "L"],
            "kode_desa": ["3601012001", "3601012001"],
            "no_kk": ["3601010101090001", "3601010101090001"],
        }
    )
    b = pa.table(
        {
            "row": pa.array([1], pa.int64()),
            "nik": pa.array([None], pa.string()),
            "nama": ["HUSEN SAEPUDIN"],
            "tanggal_lahir": ["15/03/2010"],
            "kode_desa": ["3601012001"],
            "no_kk": ["3601010101090001"],
        }
    )
    background = synth_pairs(rows_a=2_000, rows_b=1_000, seed=3)
    big_a = pa.concat_tables([a, _shifted(canonical(background.a), 2)])
    big_b = pa.concat_tables([b, _shifted(canonical(background.b), 1).select(b.column_names)])
    result = link_lists(a=big_a, b=big_b, seed=1)
    matched = {x for x, y in pairs_of(result.matches) if y == 1}
    assert matched == {2}


def _shifted(table: pa.Table, by: int) -> pa.Table:
    return table.set_column(0, "row", pc.add(table["row"], by)).select(
        ["row", "nik", "nama", "tanggal_lahir", "jenis_kelamin", "kode_desa", "no_kk"]
    )


def test_dedupe_finds_the_same_person_under_two_niks() -> None:
    case = synth_dupes(rows=6_000, seed=5)
    result = dedupe_list(table=canonical(case.a), seed=1)
    truth = truth_of(case)
    found = pairs_of(result.matches, "row_1", "row_2")
    assert result.matches.column_names[:3] == ["row_1", "row_2", "match_probability"]
    precision = len(found & truth) / len(found)
    recall = len(found & truth) / len(truth)
    assert precision >= 0.99
    assert recall >= 0.95


def test_same_inputs_and_seed_give_identical_files(tmp_path) -> None:
    case = synth_pairs(rows_a=3_000, rows_b=1_500, seed=9)
    outputs = []
    for run in ("one", "two"):
        result = link_lists(a=canonical(case.a), b=canonical(case.b), seed=4)
        link_write(result, tmp_path / run)
        outputs.append(
            [
                (tmp_path / run / name).read_bytes()
                for name in ("matches.csv", "review.csv", "summary.json")
            ]
        )
    assert outputs[0] == outputs[1]
    assert outputs[0][0].startswith(b'"a_row","b_row","match_probability","nik","nama"')


def test_review_band_sits_between_the_thresholds(linked) -> None:
    review = linked.review["match_probability"].to_pylist()
    matches = linked.matches["match_probability"].to_pylist()
    assert all(0.5 <= p < 0.9 for p in review)
    assert all(p >= 0.9 for p in matches)


def test_thresholds_out_of_range_are_refused(case: LinkCase) -> None:
    with pytest.raises(ValueError):
        link_lists(a=canonical(case.a), b=canonical(case.b), threshold=1.5)
    with pytest.raises(ValueError):
        link_lists(a=canonical(case.a), b=canonical(case.b), threshold=0.8, review_threshold=0.9)


def test_two_people_born_on_one_day_in_two_kecamatans_stay_apart() -> None:
    """The same last ten NIK digits (birth date and serial) under another region code, a
    name that only partly agrees and another village: two people, not a region typo."""
    a = pa.table(
        {
            "row": pa.array([1], pa.int64()),
            "nik": ["3601191308080004"],
            "nama": ["HASAN NANANG SUTISNA"],
            "tanggal_lahir": ["2008-08-13"],
            "jenis_kelamin": ["L"],
            "kode_desa": ["3601192008"],
            "no_kk": ["3601192407110004"],
        }
    )
    b = pa.table(
        {
            "row": pa.array([1], pa.int64()),
            "nik": ["3601181308080004"],
            "nama": ["HASAN"],
            "tanggal_lahir": ["13/08/2008"],
            "jenis_kelamin": ["L"],
            "kode_desa": ["3601182007"],
            "no_kk": pa.array([None], pa.string()),
        }
    )
    background = synth_pairs(rows_a=2_000, rows_b=1_000, seed=3)
    big_a = pa.concat_tables([a, _shifted(canonical(background.a), 1)])
    big_b = pa.concat_tables([b, _shifted(canonical(background.b), 1)])
    result = link_lists(a=big_a, b=big_b, seed=1)
    assert (1, 1) not in pairs_of(result.matches)
    assert (1, 1) not in pairs_of(result.review)
    assert result.summary["counts"]["guarded_other_person"] > 0
