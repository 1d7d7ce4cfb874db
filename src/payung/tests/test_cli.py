"""The ``payung`` command as an operator meets it: the installed console script, real files.

Each test runs the entry point in a subprocess and looks only at what a user sees: exit
code, stdout/stderr and the files written.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
import xlsxwriter

PAYUNG = str(Path(sys.executable).with_name("payung"))
AS_OF = "2026-01-01"


def run(*args: str | Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([PAYUNG, *map(str, args)], capture_output=True, text=True, timeout=600)
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


def screen(
    src: Path, out: Path, *extra: str, check: bool = True
) -> subprocess.CompletedProcess[str]:
    return run(
        "screen",
        src,
        "--policy",
        "pandeglang-2025",
        "--as-of",
        AS_OF,
        "--out",
        out,
        *extra,
        check=check,
    )


@pytest.fixture(scope="module")
def extract(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 3 000-row synthetic Pandeglang extract, made by the real ``payung synth``."""
    path = tmp_path_factory.mktemp("extract") / "dtsen.csv"
    run("synth", "--rows", "3000", "--seed", "11", "--out", path, "--quiet")
    return path


def _text_table(path: Path) -> pa.Table:
    names = next(csv.reader(io.StringIO(path.read_text(encoding="utf-8").splitlines()[0])))
    return pacsv.read_csv(
        path, convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(names, pa.string()))
    )


def _variants(extract: Path, folder: Path) -> dict[str, Path]:
    """The same rows as semicolon+BOM CSV, XLSX (text cells) and Parquet."""
    table = _text_table(extract)
    rows = table.to_pylist()
    names = table.column_names

    semi = folder / "dtsen-semicolon.csv"
    with semi.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, delimiter=";")
        writer.writerow(names)
        writer.writerows([[r[n] if r[n] is not None else "" for n in names] for r in rows])

    xlsx = folder / "dtsen.xlsx"
    book = xlsxwriter.Workbook(str(xlsx), {"constant_memory": True, "strings_to_numbers": False})
    sheet = book.add_worksheet("DTSEN")
    for c, name in enumerate(names):
        sheet.write_string(0, c, name)
    for r, row in enumerate(rows, start=1):
        for c, name in enumerate(names):
            if row[name] is not None:
                sheet.write_string(r, c, row[name])
    book.close()

    parquet = folder / "dtsen.parquet"
    pq.write_table(table, parquet)
    return {"semicolon_bom": semi, "xlsx": xlsx, "parquet": parquet}


def test_screen_writes_three_files_with_a_row_per_input_row(extract: Path, tmp_path: Path) -> None:
    proc = screen(extract, tmp_path / "out")
    decisions = pacsv.read_csv(tmp_path / "out" / "decisions.csv")
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert decisions.num_rows == 3000
    assert decisions["row"].to_pylist() == list(range(1, 3001))
    assert pq.read_table(tmp_path / "out" / "decisions.parquet").num_rows == 3000
    assert summary["input"]["rows"] == 3000
    # The decisions are tied to the bytes of the file they were read from.
    assert summary["input"]["sha256"] == hashlib.sha256(extract.read_bytes()).hexdigest()
    assert summary["policy"]["id"] == "pandeglang-2025"
    assert summary["as_of"] == AS_OF
    assert sum(summary["counts"]["by_status"].values()) == 3000
    assert "Gagal per pasal" in proc.stdout
    assert not [p for p in (tmp_path / "out").iterdir() if p.name.startswith(".")]


def test_every_ineligible_row_names_articles_and_every_invalid_row_names_codes(
    extract: Path, tmp_path: Path
) -> None:
    screen(extract, tmp_path / "out")
    rows = list(csv.DictReader((tmp_path / "out" / "decisions.csv").open(encoding="utf-8")))
    article_ids = {"5(1)", "5(2)a", "5(2)b", "5(2)d", "5(2)e", "5(2)f"}
    for row in rows:
        reasons = set(row["reasons"].split(";")) if row["reasons"] else set()
        if row["status"] == "ineligible":
            assert reasons and reasons <= article_ids, row
        elif row["status"] == "invalid":
            assert reasons and all("." in r for r in reasons), row
        else:
            assert not reasons and row["priority_rank"], row
    statuses = {r["status"] for r in rows}
    assert statuses == {"eligible", "ineligible", "invalid"}


def test_csv_semicolon_bom_xlsx_and_parquet_give_identical_decisions(
    extract: Path, tmp_path: Path
) -> None:
    screen(extract, tmp_path / "csv")
    expected = (tmp_path / "csv" / "decisions.csv").read_bytes()
    for name, path in _variants(extract, tmp_path).items():
        screen(path, tmp_path / name)
        assert (tmp_path / name / "decisions.csv").read_bytes() == expected, name


def test_rerun_gives_byte_identical_files(extract: Path, tmp_path: Path) -> None:
    screen(extract, tmp_path / "a", "--budget", "100000000")
    screen(extract, tmp_path / "b", "--budget", "100000000")
    for name in ("decisions.csv", "decisions.parquet", "summary.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_default_engine_is_polars_and_writes_what_duckdb_writes(
    extract: Path, tmp_path: Path
) -> None:
    """Without ``--engine`` a screening runs on Polars (the fastest end to end, issue 16),
    and its files are byte for byte those of DuckDB, the former default."""
    from payung.cli import build_parser

    argv = ["screen", "x.csv", "--policy", "p", "--as-of", AS_OF, "--out", "o"]
    args = build_parser().parse_args(argv)
    assert args.engine == "polars"
    screen(extract, tmp_path / "default", "--budget", "100000000")
    screen(extract, tmp_path / "duckdb", "--engine", "duckdb", "--budget", "100000000")
    for name in ("decisions.csv", "decisions.parquet", "summary.json"):
        default = (tmp_path / "default" / name).read_bytes()
        assert default == (tmp_path / "duckdb" / name).read_bytes(), name


@pytest.mark.spark
def test_every_engine_gives_identical_decision_files(extract: Path, tmp_path: Path) -> None:
    if shutil.which("java") is None:
        pytest.fail("Java is required for the Spark engine; scripts/setup installs it")
    outputs = {}
    for engine in ("duckdb", "polars", "spark"):
        screen(extract, tmp_path / engine, "--engine", engine, "--budget", "50000000")
        outputs[engine] = [
            (tmp_path / engine / name).read_bytes()
            for name in ("decisions.csv", "decisions.parquet", "summary.json")
        ]
    assert outputs["polars"] == outputs["duckdb"]
    assert outputs["spark"] == outputs["duckdb"]


def test_budget_selects_the_quota_by_rank_and_waitlists_the_rest(
    extract: Path, tmp_path: Path
) -> None:
    budget = 20 * 16_800 * 12 + 16_799  # pays for 20 people, not 21
    proc = screen(extract, tmp_path / "out", "--budget", str(budget))
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert summary["budget"]["quota"] == 20
    assert summary["budget"]["cost_selected"] == 20 * 201_600
    rows = list(csv.DictReader((tmp_path / "out" / "decisions.csv").open(encoding="utf-8")))
    selected = sorted(int(r["priority_rank"]) for r in rows if r["status"] == "selected")
    waitlisted = sorted(int(r["priority_rank"]) for r in rows if r["status"] == "waitlisted")
    assert selected == list(range(1, 21))
    assert waitlisted[0] == 21
    assert "membiayai 20 peserta" in proc.stdout


def test_months_change_the_quota(extract: Path, tmp_path: Path) -> None:
    screen(extract, tmp_path / "out", "--budget", "1680000", "--months", "6")
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert summary["budget"]["quota"] == 1_680_000 // (16_800 * 6)


def test_columns_mapping_file_renames_a_regencys_own_headers(extract: Path, tmp_path: Path) -> None:
    text = extract.read_text(encoding="utf-8").splitlines()
    header = text[0].replace("KODE_DESA", "Kode Kelurahan Domisili").replace("DESIL", "Peringkat")
    renamed = tmp_path / "renamed.csv"
    renamed.write_text("\n".join([header, *text[1:]]) + "\n", encoding="utf-8")
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(
        "columns:\n  Kode Kelurahan Domisili: KODE_DESA\n  Peringkat: DESIL\n", encoding="utf-8"
    )
    screen(extract, tmp_path / "plain")
    screen(renamed, tmp_path / "mapped", "--columns", str(mapping))
    assert (tmp_path / "mapped" / "decisions.csv").read_bytes() == (
        tmp_path / "plain" / "decisions.csv"
    ).read_bytes()


def _assert_refused(proc: subprocess.CompletedProcess[str], *phrases: str) -> None:
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    assert "Traceback" not in proc.stderr
    for phrase in phrases:
        assert phrase in proc.stderr, proc.stderr


def test_missing_file_is_refused_in_indonesian(tmp_path: Path) -> None:
    _assert_refused(
        screen(tmp_path / "tidak-ada.csv", tmp_path / "o", check=False), "tidak ditemukan"
    )


def test_a_file_replaced_while_it_is_read_is_refused(
    extract: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    """An export still being copied over the file, or replaced, while it is screened: the
    fingerprint would not be of the rows read, so nothing is written. In process, because
    only there can the file be replaced between the read and the end of the command."""
    import payung.engine
    from payung import cli

    source = tmp_path / "dtsen.csv"
    shutil.copyfile(extract, source)
    read = payung.engine.read_extract

    def read_then_replace(path: Path, **options: object) -> pa.Table:
        table = read(path, **options)
        newer = tmp_path / "dtsen-baru.csv"
        newer.write_bytes(source.read_bytes() + source.read_bytes().splitlines(True)[-1])
        newer.replace(source)
        return table

    monkeypatch.setattr(payung.engine, "read_extract", read_then_replace)
    argv = ["screen", str(source), "--policy", "pandeglang-2025", "--as-of", AS_OF]
    assert cli.main([*argv, "--out", str(tmp_path / "o"), "--quiet"]) == 2
    assert "berubah selama diproses" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()

    monkeypatch.undo()  # the same file left alone is screened
    assert cli.main([*argv, "--out", str(tmp_path / "o"), "--quiet"]) == 0
    assert (tmp_path / "o" / "decisions.csv").exists()


def test_a_file_still_being_copied_is_refused_as_changed(
    extract: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    """The operator starts the screening while the export is still being copied: the parse
    meets a row cut short. What to do about it is to wait for the copy, so that is what the
    message says, not the cut row's column count. A file deleted meanwhile is refused too."""
    import payung.engine
    from payung import cli

    source = tmp_path / "dtsen.csv"
    whole = extract.read_bytes()
    source.write_bytes(whole[: len(whole) // 2])  # ends inside a row
    read = payung.engine.read_extract

    def copy_goes_on(path: Path, **options: object) -> pa.Table:
        with source.open("ab") as more:
            more.write(b"1")  # the copy writes on while the parse runs
        return read(path, **options)

    monkeypatch.setattr(payung.engine, "read_extract", copy_goes_on)
    argv = ["screen", str(source), "--policy", "pandeglang-2025", "--as-of", AS_OF]
    assert cli.main([*argv, "--out", str(tmp_path / "o"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "berubah selama diproses" in err and "kolom" not in err
    assert not (tmp_path / "o").exists()

    def read_then_delete(path: Path, **options: object) -> pa.Table:
        table = read(path, **options)
        source.unlink()
        return table

    source.write_bytes(whole)
    monkeypatch.setattr(payung.engine, "read_extract", read_then_delete)
    assert cli.main([*argv, "--out", str(tmp_path / "o"), "--quiet"]) == 2
    assert "berubah selama diproses" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()

    # Unchanged, the cut file gets the parse's own message.
    source.write_bytes(whole[: len(whole) // 2])
    monkeypatch.undo()
    assert cli.main([*argv, "--out", str(tmp_path / "o"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "kolom" in err and "berubah" not in err


def test_empty_file_is_refused(tmp_path: Path) -> None:
    empty = tmp_path / "kosong.csv"
    empty.write_bytes(b"")
    _assert_refused(screen(empty, tmp_path / "o", check=False), "kosong")
    assert not (tmp_path / "o" / "decisions.csv").exists()


def test_header_only_file_is_refused(tmp_path: Path) -> None:
    header = tmp_path / "header.csv"
    header.write_text("NIK,TANGGAL_LAHIR,PEKERJAAN,DESIL,KODE_DESA\n", encoding="utf-8")
    proc = screen(header, tmp_path / "o", check=False)
    _assert_refused(proc)
    assert "baris data" in proc.stderr.lower()


def test_missing_required_columns_are_named_with_their_aliases(tmp_path: Path) -> None:
    src = tmp_path / "kurang.csv"
    src.write_text("NIK,NAMA,PEKERJAAN,KODE_DESA\n3601011508900001,ASEP,PETANI,3601012001\n")
    proc = screen(src, tmp_path / "o", check=False)
    _assert_refused(proc, "TANGGAL_LAHIR", "TGL_LAHIR", "DESIL")


def test_unreadable_xlsx_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "rusak.xlsx"
    bad.write_bytes(b"PK\x03\x04 this is not a workbook")
    _assert_refused(screen(bad, tmp_path / "o", check=False))


def test_unknown_policy_lists_the_known_ones(extract: Path, tmp_path: Path) -> None:
    proc = run(
        "screen",
        extract,
        "--policy",
        "pekalongan-2030",
        "--as-of",
        AS_OF,
        "--out",
        tmp_path,
        check=False,
    )
    _assert_refused(proc, "pekalongan-2030", "pandeglang-2025")


@pytest.mark.parametrize(
    ("flag", "value", "phrase"),
    [
        ("--as-of", "2026-02-30", "tanggal"),
        ("--budget", "1,5 miliar", "--budget"),
        ("--months", "13", "bulan"),
        ("--engine", "excel", "pilihan"),
    ],
)
def test_bad_arguments_are_refused_in_indonesian(
    extract: Path, tmp_path: Path, flag: str, value: str, phrase: str
) -> None:
    args = {"--as-of": AS_OF, "--policy": "pandeglang-2025", "--out": str(tmp_path)}
    args[flag] = value
    flat = [item for pair in args.items() for item in pair]
    _assert_refused(run("screen", extract, *flat, check=False), phrase)


def test_windows_1252_csv_is_read(tmp_path: Path) -> None:
    src = tmp_path / "cp1252.csv"
    line = "3601011508900001;RÉNALDI Ñ;1990-08-15;PETANI;2;3601012001\n"
    src.write_bytes(
        codecs.encode("NIK;NAMA;TANGGAL_LAHIR;PEKERJAAN;DESIL;KODE_DESA\n" + line, "cp1252")
    )
    screen(src, tmp_path / "o")
    rows = list(csv.DictReader((tmp_path / "o" / "decisions.csv").open(encoding="utf-8")))
    assert rows[0]["nik"] == "3601011508900001"


def test_policy_check_accepts_the_shipped_file_and_names_the_line_of_a_fault(
    tmp_path: Path,
) -> None:
    shipped = Path(__file__).parents[1] / "policies" / "pandeglang-2025.yaml"
    assert "sah" in run("policy", "check", shipped).stdout
    broken = tmp_path / "rusak.yaml"
    text = shipped.read_text(encoding="utf-8")
    broken.write_text(text.replace("max_age: 64", "max_age: banyak"), encoding="utf-8")
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "max_age: 64" in t)
    proc = run("policy", "check", broken, check=False)
    _assert_refused(proc, f"rusak.yaml:{line}", "max_age")


def test_policy_show_prints_every_rule_with_its_article() -> None:
    out = run("policy", "show", "pandeglang-2025").stdout
    for rule_id, article in [
        ("5(1)", "Pasal 5 ayat (1)"),
        ("5(2)b", "Pasal 5 ayat (2) huruf b"),
        ("5(2)c", "Pasal 5 ayat (2) huruf c"),
        ("7(2)a", "Pasal 7 ayat (2) huruf a"),
    ]:
        assert f"[{rule_id}] {article}" in out
    assert "Rp16.800" in out


def test_synth_refuses_an_unknown_format(tmp_path: Path) -> None:
    _assert_refused(run("synth", "--rows", "10", "--out", tmp_path / "x.json", check=False), ".csv")


def test_synth_writes_an_extract_of_another_regency(tmp_path: Path) -> None:
    """Issue 15: a synthetic extract of Kabupaten Pekalongan (33.26) for its own policy; its
    people live in Pekalongan's villages, and a code outside the table is refused."""
    import pyarrow.csv as pacsv

    out = tmp_path / "pekalongan.csv"
    run("synth", "--rows", "200", "--region", "33.26", "--out", out, "--quiet")
    villages = (
        pacsv.read_csv(
            out,
            parse_options=pacsv.ParseOptions(delimiter=_delimiter(out)),
            convert_options=pacsv.ConvertOptions(column_types={"KODE_DESA": "string"}),
        )
        .column("KODE_DESA")
        .to_pylist()
    )
    local = [v for v in villages if v.replace(".", "").startswith("3326")]
    assert len(local) > len(villages) * 0.8
    assert not any(v.replace(".", "").startswith("3601") for v in villages)
    _assert_refused(
        run("synth", "--rows", "10", "--region", "99.99", "--out", out, check=False),
        "Kode wilayah 99.99 tidak dikenal",
    )
    _assert_refused(
        run("synth", "--rows", "10", "--region", "pekalongan", "--out", out, check=False),
        "--region harus kode kabupaten/kota",
    )


def _delimiter(path: Path) -> str:
    head = path.read_text(encoding="utf-8-sig").split("\n", 1)[0]
    return ";" if head.count(";") > head.count(",") else ","


def _verification_request(folder: Path, rows: int) -> Path:
    """A request file as Payung writes it for Disdukcapil (the file exchange's own writer)."""
    from payung.verification.exchange import FileExchange, RequestRow

    sent = [
        RequestRow(
            no=i,
            fields={
                "nik": f"360101150{i:07d}",
                "no_kk": "3601010101200001",
                "nama": f"WARGA SINTETIS {i}",
                "tanggal_lahir": "1980-05-15",
                "jenis_kelamin": "L",
                "alamat": "KP. SINTETIS RT 001/002",
                "kode_desa": "3601012001",
            },
        )
        for i in range(1, rows + 1)
    ]
    path = folder / "verifikasi.xlsx"
    path.write_bytes(FileExchange().request(sent, "xlsx"))
    return path


def test_synth_dukcapil_response_answers_every_row_with_each_kind_of_result(
    tmp_path: Path,
) -> None:
    from payung.engine.exchange_files import read_text_table
    from payung.verification.exchange import ALLOWED

    request = _verification_request(tmp_path, 40)
    out = tmp_path / "jawaban.xlsx"
    proc = run("synth", "dukcapil-response", "--request", request, "--out", out, "--seed", "3")
    assert "Jawaban Disdukcapil sintetis ditulis" in proc.stdout
    table = read_text_table(out)
    results = [row[table.column("HASIL")] for row in table.rows]  # type: ignore[index]
    assert len(results) == 41  # every row answered, plus one NIK that was never sent
    assert set(results) == set(ALLOWED)
    sent = {row[1] for row in read_text_table(request).rows}
    answered = [row[table.column("NIK")] for row in table.rows]  # type: ignore[index]
    assert len(set(answered) - sent) == 1
    again = tmp_path / "lagi.xlsx"
    run("synth", "dukcapil-response", "--request", request, "--out", again, "--seed", "3")
    assert read_text_table(again).rows == table.rows


def test_synth_dukcapil_response_refuses_bad_arguments_in_indonesian(tmp_path: Path) -> None:
    proc = run("synth", "dukcapil-response", "--out", tmp_path / "a.xlsx", check=False)
    _assert_refused(proc, "--request wajib diisi")
    request = _verification_request(tmp_path, 3)
    proc = run(
        "synth",
        "dukcapil-response",
        "--request",
        request,
        "--out",
        tmp_path / "a.pdf",
        check=False,
    )
    _assert_refused(proc, "harus berakhiran .csv atau .xlsx")
    proc = run(
        "synth",
        "dukcapil-response",
        "--request",
        tmp_path / "tidak-ada.xlsx",
        "--out",
        tmp_path / "a.xlsx",
        check=False,
    )
    _assert_refused(proc, "tidak ditemukan")


def test_worker_and_manage_hand_their_options_to_django(tmp_path: Path) -> None:
    """``payung worker --interval 1`` is what the demo starts beside the server; options
    after the command are Django's, not payung's."""
    env = {"PATH": "/usr/bin:/bin", "PAYUNG_DATA_DIR": str(tmp_path)}

    def payung(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([PAYUNG, *args], capture_output=True, text=True, timeout=300, env=env)

    migrate = payung("manage", "migrate", "--verbosity", "0")
    assert migrate.returncode == 0, migrate.stderr
    worker = payung("worker", "--batch", "--no-startup-delay", "--interval", "0.1")
    assert worker.returncode == 0, worker.stderr
    assert "No more tasks to run" in worker.stdout + worker.stderr


# --- personal data: payung person export, payung retention run -----------------------------


@pytest.fixture(scope="module")
def cycle_dir(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A fresh SQLite database holding one whole cycle (screening to signed decree), made with
    the real ``payung manage`` commands; the environment for the commands under test."""
    folder = tmp_path_factory.mktemp("payung-data")
    env = {"PATH": "/usr/bin:/bin", "PAYUNG_DATA_DIR": str(folder)}
    for args in (
        ("manage", "migrate", "--verbosity", "0"),
        (
            "manage",
            "shell",
            "-c",
            "from payung.people.tests.factories import cycle_build; cycle_build()",
        ),
    ):
        proc = subprocess.run([PAYUNG, *args], capture_output=True, text=True, env=env, timeout=600)
        assert proc.returncode == 0, proc.stderr
    return env


def _payung_db(
    env: dict[str, str], *args: str | Path, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [PAYUNG, *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        input=stdin,
        timeout=600,
    )


def _query(env: dict[str, str], code: str) -> str:
    proc = _payung_db(env, "manage", "shell", "--verbosity", "0", "-c", code)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()


DECREED_NIK = (
    "from payung.participants.models import Candidate; "
    "print(Candidate.objects.filter(state='decreed').order_by('rank').first().nik)"
)


def test_person_export_refuses_a_nik_on_the_command_line_without_repeating_it(
    tmp_path: Path,
) -> None:
    nik = "3601011505800001"
    proc = run("person", "export", nik, "--out", tmp_path / "x.json", "--as", "siapa", check=False)
    assert proc.returncode == 2
    assert "NIK tidak boleh ditulis di baris perintah" in proc.stderr
    assert nik not in proc.stderr + proc.stdout
    assert not (tmp_path / "x.json").exists()
    # Nor under an option argparse does not know: its error would repeat the value.
    for option in (("--nik", nik), (f"--nik={nik}",), ("--nik-file", nik)):
        out = tmp_path / "x.json"
        proc = run("person", "export", *option, "--out", out, "--as", "siapa", check=False)
        assert proc.returncode == 2, option
        assert nik not in proc.stderr + proc.stdout, option


def test_person_export_writes_everything_held_on_a_nik_to_a_private_file_and_audits_it(
    cycle_dir: dict[str, str], tmp_path: Path
) -> None:
    nik = _query(cycle_dir, DECREED_NIK)
    out = tmp_path / "orang.json"
    proc = _payung_db(
        cycle_dir, "person", "export", "--out", out, "--as", "operator_pendataan", stdin=nik
    )
    assert proc.returncode == 0, proc.stderr
    assert nik not in proc.stdout + proc.stderr
    assert f"{nik[:4]}********{nik[-4:]}" in proc.stdout
    assert out.stat().st_mode & 0o777 == 0o600
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["nik"] == nik and data["jumlah_catatan"] == 1
    record = data["catatan"][0]
    assert record["tahun_program"] == 2026 and record["data_dtsen"]["nik"] == nik
    assert record["keputusan_penyaringan"][0]["status"] == "selected"
    candidacy = record["pencalonan"][0]
    assert candidacy["status"] == "decreed"
    assert [e["ke"] for e in candidacy["riwayat"]][-2:] == ["verified", "decreed"]
    assert candidacy["verifikasi_disdukcapil"][0]["hasil"] == "SESUAI"
    assert candidacy["keputusan"][0]["nomor"] == "400.10/Kep.7-Huk/2026"
    audit = _query(
        cycle_dir,
        "from payung.audit.models import AuditEntry; "
        "e = AuditEntry.objects.filter(action='person_export').get(); "
        "import json; print(e.actor_username, json.dumps(e.detail, sort_keys=True))",
    )
    assert audit.startswith("operator_pendataan ")
    assert nik not in audit and f"{nik[:4]}********{nik[-4:]}" in audit


def test_person_export_reads_a_nik_file_and_writes_xlsx(
    cycle_dir: dict[str, str], tmp_path: Path
) -> None:
    from python_calamine import CalamineWorkbook

    nik = _query(cycle_dir, DECREED_NIK)
    nik_file = tmp_path / "nik.txt"
    nik_file.write_text(f"\n{nik[:4]} {nik[4:]}\n", encoding="utf-8")
    out = tmp_path / "orang.xlsx"
    proc = _payung_db(
        cycle_dir,
        "person",
        "export",
        "--nik-file",
        nik_file,
        "--out",
        out,
        "--as",
        "operator_pendataan",
    )
    assert proc.returncode == 0, proc.stderr
    assert out.stat().st_mode & 0o777 == 0o600
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_index(0).to_python()
    assert rows[0] == ["Bagian", "Isian", "Nilai"]
    assert ["catatan[1]", "data_dtsen.nik", nik] in rows


def test_person_export_and_retention_refuse_an_operator_without_the_permission(
    cycle_dir: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "orang.json"
    for args in (
        ("person", "export", "--out", out, "--as", "auditor"),
        ("retention", "run", "--as", "auditor", "--as-of", "2032-01-01"),
        ("person", "export", "--out", out, "--as", "tidak_ada"),
    ):
        proc = _payung_db(cycle_dir, *args, stdin="3601011505800001")
        assert proc.returncode == 2, args
        assert "Traceback" not in proc.stderr
        assert "tidak berhak" in proc.stderr or "tidak ditemukan" in proc.stderr
    assert not out.exists()


def test_retention_removes_only_people_never_placed_and_keeps_the_years_totals(
    cycle_dir: dict[str, str], tmp_path: Path
) -> None:
    count = (
        "from payung.registry.models import Person; from payung.screening.models import "
        "ScreeningRun, Decision; from payung.screening.selectors import run_summary; "
        "from payung.participants.models import Candidate; r = ScreeningRun.objects.get(); "
        "s = run_summary(run=r); print(Person.objects.count(), Decision.objects.count(), "
        "Candidate.objects.count(), s.rows, [(k.code, k.total) for k in s.by_kecamatan])"
    )
    before = _query(cycle_dir, count)
    placed = _query(
        cycle_dir,
        "from payung.participants.models import Candidate; "
        "print(Candidate.objects.filter(events__to_state='proposed').distinct().count())",
    )
    # Not yet due: 2026 + 5 full years ends on 31 December 2031.
    proc = _payung_db(
        cycle_dir, "retention", "run", "--as", "operator_pendataan", "--as-of", "2031-12-31"
    )
    assert proc.returncode == 0, proc.stderr
    assert "Tidak ada tahun program" in proc.stdout
    dry = _payung_db(
        cycle_dir,
        "retention",
        "run",
        "--dry-run",
        "--as",
        "operator_pendataan",
        "--as-of",
        "2032-01-01",
    )
    assert dry.returncode == 0, dry.stderr
    assert "akan dihapus" in dry.stdout
    assert _query(cycle_dir, count) == before
    done = _payung_db(
        cycle_dir, "retention", "run", "--as", "operator_pendataan", "--as-of", "2032-01-01"
    )
    assert done.returncode == 0, done.stderr
    after = _query(cycle_dir, count)
    persons, decisions, candidates = (int(n) for n in after.split()[:3])
    assert persons == decisions == candidates == int(placed)
    # The run's totals (rows read, per kecamatan) are what they were before.
    assert after.split(" ", 3)[3] == before.split(" ", 3)[3]
    assert f"{placed} orang yang pernah diusulkan tetap disimpan" in done.stdout
    audit = _query(
        cycle_dir,
        "from payung.audit.models import AuditEntry; "
        "print(AuditEntry.objects.filter(action='retention_run').count())",
    )
    assert audit == "1"
    again = _payung_db(
        cycle_dir, "retention", "run", "--as", "operator_pendataan", "--as-of", "2032-01-01"
    )
    assert "0 orang, 0 keputusan, 0 calon" in again.stdout
