"""``payung link`` as an operator meets it: the installed console script on real files.

Each test looks only at what a user sees: exit code, stdout/stderr and the files written
(the CLI contract of issue 13: matches.csv, review.csv, summary.json; rows 1 = first data
row; the `payung screen` standard for bad input).
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pytest
import xlsxwriter

from payung.engine.linkage.synth_pairs import synth_dupes, synth_pairs

PAYUNG = str(Path(sys.executable).with_name("payung"))
EVIDENCE = ["nik", "nama", "tanggal_lahir", "jenis_kelamin", "wilayah", "no_kk"]


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [PAYUNG, "link", *map(str, args)], capture_output=True, text=True, timeout=600
    )


def write_csv(table: pa.Table, path: Path) -> Path:
    pacsv.write_csv(table, path)
    return path


def write_xlsx(table: pa.Table, path: Path) -> Path:
    workbook = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    sheet = workbook.add_worksheet()
    sheet.write_row(0, 0, table.column_names)
    for r, row in enumerate(table.to_pylist(), start=1):
        for c, value in enumerate(row.values()):
            if value is not None:
                sheet.write_string(r, c, value)
    workbook.close()
    return path


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def lists(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, set[tuple[int, int]]]:
    folder = tmp_path_factory.mktemp("lists")
    case = synth_pairs(rows_a=2_000, rows_b=1_000, seed=21)
    truth = set(zip(case.truth["a_row"].to_pylist(), case.truth["b_row"].to_pylist(), strict=True))
    return write_csv(case.a, folder / "dtsen.csv"), write_csv(case.b, folder / "bpu.csv"), truth


def test_link_two_csv_lists(lists, tmp_path: Path) -> None:
    a, b, truth = lists
    proc = run(a, b, "--out", tmp_path / "out")
    assert proc.returncode == 0, proc.stderr
    assert "pasangan cocok" in proc.stdout
    matches = rows(tmp_path / "out" / "matches.csv")
    assert list(matches[0]) == ["a_row", "b_row", "match_probability", *EVIDENCE]
    found = {(int(m["a_row"]), int(m["b_row"])) for m in matches}
    assert len(found & truth) / len(found) >= 0.99
    assert len(found & truth) / len(truth) >= 0.97
    assert all(float(m["match_probability"]) >= 0.9 for m in matches)
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert summary["mode"] == "link"
    assert summary["counts"]["matches"] == len(matches)
    assert summary["rows"] == {"a": 2_000, "b": 1_000}
    assert summary["inputs"]["b"]["name"] == "bpu.csv"
    assert set(summary["model"]["comparisons"]) == set(EVIDENCE)
    review = rows(tmp_path / "out" / "review.csv")
    assert all(0.5 <= float(r["match_probability"]) < 0.9 for r in review)


def test_link_an_xlsx_list_gives_the_csv_result(lists, tmp_path: Path) -> None:
    a, b, _ = lists
    b_xlsx = write_xlsx(pacsv.read_csv(b, convert_options=_as_text()), tmp_path / "bpu.xlsx")
    assert run(a, b, "--out", tmp_path / "csv").returncode == 0
    proc = run(a, b_xlsx, "--out", tmp_path / "xlsx")
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "xlsx" / "matches.csv").read_bytes() == (
        tmp_path / "csv" / "matches.csv"
    ).read_bytes()


def _as_text() -> pacsv.ConvertOptions:
    headers = ["NIK", "NAMA_PESERTA", "TGL_LAHIR", "KODE_DESA", "JENIS_KELAMIN", "NO_KK"]
    return pacsv.ConvertOptions(column_types=dict.fromkeys(headers, pa.string()))


def test_same_inputs_and_seed_give_byte_identical_matches(lists, tmp_path: Path) -> None:
    a, b, _ = lists
    for out in ("one", "two"):
        assert run(a, b, "--out", tmp_path / out, "--seed", "5").returncode == 0
    for name in ("matches.csv", "review.csv", "summary.json"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()


def test_duplicates_within_one_list(tmp_path: Path) -> None:
    case = synth_dupes(rows=2_000, seed=4)
    src = write_csv(case.a, tmp_path / "dtsen.csv")
    proc = run(src, "--out", tmp_path / "out", "--quiet")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    matches = rows(tmp_path / "out" / "matches.csv")
    assert list(matches[0])[:3] == ["row_1", "row_2", "match_probability"]
    found = {(int(m["row_1"]), int(m["row_2"])) for m in matches}
    truth = set(zip(case.truth["a_row"].to_pylist(), case.truth["b_row"].to_pylist(), strict=True))
    assert found <= truth
    assert len(found) >= 0.95 * len(truth)
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert summary["mode"] == "dedupe"


def test_a_list_replaced_while_it_is_matched_is_refused(
    lists, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    """The summary's SHA-256 ties the matches to the lists they came from, so a list
    replaced while the matching runs is refused, nothing written. In process, because only
    there can the file be replaced between the read and the fingerprint."""
    import payung.engine
    from payung import cli

    a, b, _ = lists
    own_b = tmp_path / "bpu.csv"
    own_b.write_bytes(b.read_bytes())
    link = payung.engine.link_lists

    def link_then_replace(**options: object) -> object:
        result = link(**options)
        newer = tmp_path / "bpu-baru.csv"
        newer.write_bytes(own_b.read_bytes() + own_b.read_bytes().splitlines(True)[-1])
        newer.replace(own_b)
        return result

    monkeypatch.setattr(payung.engine, "link_lists", link_then_replace)
    argv = ["link", str(a), str(own_b), "--out", str(tmp_path / "out"), "--quiet"]
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert "'" + str(own_b) + "' berubah selama diproses" in err
    assert not (tmp_path / "out").exists()


def test_a_higher_threshold_keeps_fewer_pairs(lists, tmp_path: Path) -> None:
    a, b, _ = lists
    assert run(a, b, "--out", tmp_path / "low", "--threshold", "0.6").returncode == 0
    assert run(a, b, "--out", tmp_path / "high", "--threshold", "0,999999").returncode == 0
    low = rows(tmp_path / "low" / "matches.csv")
    high = rows(tmp_path / "high" / "matches.csv")
    assert len(high) < len(low)
    assert all(float(m["match_probability"]) >= 0.999999 for m in high)


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda d: [d / "absent.csv"], "tidak ditemukan"),
        (lambda d: [_text(d / "x.csv", "NIK,ALAMAT\n3601015508900002,KP. CIKADU\n")], "NAMA"),
        (lambda d: [_text(d / "x.pdf", "%PDF-1.4")], "tidak didukung"),
        (lambda d: [_text(d / "x.csv", "NIK,NAMA\n")], "hanya berisi baris judul"),
    ],
)
def test_bad_input_is_one_indonesian_sentence_and_exit_2(tmp_path: Path, make, words) -> None:
    proc = run(*make(tmp_path), "--out", tmp_path / "out")
    assert proc.returncode == 2
    assert words in proc.stderr
    assert "Traceback" not in proc.stderr
    assert "3601015508900002" not in proc.stderr and "CIKADU" not in proc.stderr
    assert not (tmp_path / "out" / "matches.csv").exists()


def test_bad_mapping_and_threshold_are_refused(lists, tmp_path: Path) -> None:
    a, b, _ = lists
    proc = run(a, b, "--out", tmp_path / "out", "--threshold", "1.5")
    assert proc.returncode == 2 and "bukan peluang" in proc.stderr
    mapping = _text(tmp_path / "map.yaml", "columns:\n  Nama Warga: ALAMAT_RUMAH\n")
    proc = run(a, b, "--out", tmp_path / "out", "--columns-b", mapping)
    assert proc.returncode == 2 and "bukan kolom DTSEN" in proc.stderr
    proc = run(a, "--out", tmp_path / "out", "--columns-b", mapping)
    assert proc.returncode == 2 and "--columns-b" in proc.stderr
    assert "Traceback" not in proc.stderr


def _text(path: Path, content: str) -> Path:
    path.write_text(content, encoding="utf-8")
    return path


def test_a_few_rows_are_judged_on_the_priors(tmp_path: Path) -> None:
    """A village's list of a handful of people is too small to learn from; the priors the
    NIK's structure gives still match the same person and leave a neighbour alone."""
    a = _text(
        tmp_path / "a.csv",
        "NIK,NAMA,TANGGAL_LAHIR\n"
        "3601015508900002,SITI AMINAH,1990-08-15\n"
        "3601011508900001,ASEP SAEPUDIN,1990-08-15\n",
    )
    b = _text(
        tmp_path / "b.csv",
        "NIK_PESERTA;NAMA_PESERTA;TGL_LAHIR\n"
        "3601015508900002;HJ. SITI AMINAH;15-08-1990\n"
        "3601011508900003;UJANG;15/08/1990\n",
    )
    proc = run(a, b, "--out", tmp_path / "out")
    assert proc.returncode == 0, proc.stderr
    matches = rows(tmp_path / "out" / "matches.csv")
    assert [(m["a_row"], m["b_row"], m["nik"], m["nama"]) for m in matches] == [
        ("1", "1", "sama", "sama")
    ]
