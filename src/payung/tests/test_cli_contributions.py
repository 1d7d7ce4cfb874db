"""``payung contributions bill|reconcile`` and ``payung synth bpjs-invoice`` (issue 11, Pasal
9) as an operator or auditor meets them: the installed console script on real CSV and XLSX
rosters kept in Excel, looking only at the exit code, the messages and the files written."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest
import xlsxwriter

PAYUNG = str(Path(sys.executable).with_name("payung"))
POLICY = "pandeglang-2025"
PERIOD = ("--from", "2026-01", "--to", "2026-03", "--policy", POLICY)

HEADERS = ["NIK", "KPJ", "NAMA", "TANGGAL_MULAI", "TANGGAL_BERAKHIR"]
#: One active all quarter, one ended mid-February, one replacement from 15 February, one
#: who ended in January and came back in March (two rows, two periods), and one whose cover
#: started and ended on the last day of March.
ROSTER = [
    ["3601014101900001", "00012345678", "ASEP SUNARYA", "2026-01-01", ""],
    ["3601014101900002", "00012345679", "SITI AMINAH", "2026-01-01", "14-02-2026"],
    ["3601014101900003", "00012345680", "UJANG SUTISNA", "15/02/2026", ""],
    ["3601014101900004", "00012345681", "DEDE ROHAENI", "2026-01-01", "2026-01-20"],
    ["3601014101900004", "00012345681", "DEDE ROHAENI", "2026-03-10", ""],
    ["3601014101900005", "00012345682", "ENTIS", "2026-03-31", "2026-03-31"],
]


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [PAYUNG, *map(str, args)], capture_output=True, text=True, timeout=300, check=False
    )


def write_csv(path: Path, headers: list[str], rows: list[list[str]], sep: str = ";") -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=sep)
        writer.writerow(headers)
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, headers: list[str], rows: list[list[object]]) -> Path:
    workbook = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    sheet = workbook.add_worksheet()
    sheet.write_row(0, 0, headers)
    for r, cells in enumerate(rows, start=1):
        for c, value in enumerate(cells):
            if isinstance(value, str):
                sheet.write_string(r, c, value)
            else:
                sheet.write_number(r, c, value)
    workbook.close()
    return path


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def roster(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "peserta.csv", HEADERS, ROSTER)


# --- bill ---------------------------------------------------------------------------------


def test_bill_writes_the_three_files(roster: Path, tmp_path: Path) -> None:
    proc = run("contributions", "bill", roster, *PERIOD, "--out", tmp_path / "out")
    assert proc.returncode == 0, proc.stderr
    out = tmp_path / "out"
    assert (out / "bill.csv").read_text(encoding="utf-8") == (
        "nik,kpj,months,jkk,jkm,total\n"
        "3601014101900001,00012345678,3,30000,20400,50400\n"
        "3601014101900002,00012345679,2,20000,13600,33600\n"
        "3601014101900003,00012345680,2,20000,13600,33600\n"
        "3601014101900004,00012345681,2,20000,13600,33600\n"
        "3601014101900005,00012345682,1,10000,6800,16800\n"
    )
    lines = read_rows(out / "bill_lines.csv")
    assert [(r["nik"][-1], r["month"]) for r in lines] == [
        ("1", "2026-01"),
        ("1", "2026-02"),
        ("1", "2026-03"),
        ("2", "2026-01"),
        ("2", "2026-02"),
        ("3", "2026-02"),
        ("3", "2026-03"),
        ("4", "2026-01"),  # two periods: January and March, February not covered
        ("4", "2026-03"),
        ("5", "2026-03"),
    ]
    assert {r["total"] for r in lines} == {"16800"}
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["participants"] == 5
    assert summary["months"] == 10
    assert summary["totals"] == {"jkk": 100_000, "jkm": 68_000}
    assert summary["grand_total"] == 168_000
    assert summary["period"] == {"from": "2026-01", "to": "2026-03", "months": 3}
    assert summary["policy"]["id"] == POLICY
    assert len(summary["policy"]["sha256"]) == 64
    assert "Rp168.000" in proc.stdout


def test_bill_is_byte_identical_for_the_same_input(roster: Path, tmp_path: Path) -> None:
    for name in ("a", "b"):
        assert (
            run("contributions", "bill", roster, *PERIOD, "--out", tmp_path / name).returncode == 0
        )
    for file in ("bill.csv", "bill_lines.csv", "summary.json"):
        assert (tmp_path / "a" / file).read_bytes() == (tmp_path / "b" / file).read_bytes()


def test_bill_from_xlsx_with_other_headers_and_a_mapping(tmp_path: Path) -> None:
    headers = ["nik", "No KPJ", "nama", "Tanggal Mulai", "tanggal berakhir"]
    rows: list[list[object]] = [row[:] for row in ROSTER]
    xlsx = write_xlsx(tmp_path / "peserta.xlsx", headers, rows)
    mapping = tmp_path / "kolom.yaml"
    mapping.write_text('columns:\n  "No KPJ": KPJ\n', encoding="utf-8")
    proc = run(
        "contributions", "bill", xlsx, *PERIOD, "--columns", mapping, "--out", tmp_path / "x"
    )
    assert proc.returncode == 0, proc.stderr
    csv_out = run(
        "contributions",
        "bill",
        write_csv(tmp_path / "r.csv", HEADERS, ROSTER),
        *PERIOD,
        "--out",
        tmp_path / "c",
    )
    assert csv_out.returncode == 0
    assert (tmp_path / "x" / "bill_lines.csv").read_bytes() == (
        tmp_path / "c" / "bill_lines.csv"
    ).read_bytes()
    # Leading zeros of the KPJ survive.
    assert read_rows(tmp_path / "x" / "bill.csv")[0]["kpj"] == "00012345678"


def test_a_nik_in_an_excel_number_cell_is_refused(tmp_path: Path) -> None:
    rows: list[list[object]] = [row[:] for row in ROSTER]
    rows[2][0] = 3601014101900003
    xlsx = write_xlsx(tmp_path / "peserta.xlsx", HEADERS, rows)
    proc = run("contributions", "bill", xlsx, *PERIOD, "--out", tmp_path / "out")
    assert proc.returncode == 2
    assert "Baris 4, kolom NIK: tersimpan sebagai angka di Excel" in proc.stderr
    assert "3601014101900003" not in proc.stderr
    assert not (tmp_path / "out").exists()


# --- bad input ----------------------------------------------------------------------------


def refused(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    for row in ROSTER:
        assert row[0] not in proc.stderr and row[2] not in proc.stderr
    return proc.stderr


def test_a_missing_file(tmp_path: Path) -> None:
    err = refused(
        run("contributions", "bill", tmp_path / "tidak-ada.csv", *PERIOD, "--out", tmp_path)
    )
    assert "Berkas tidak ditemukan" in err


def test_a_missing_column(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "p.csv", HEADERS[:3], [r[:3] for r in ROSTER])
    err = refused(run("contributions", "bill", path, *PERIOD, "--out", tmp_path / "o"))
    assert "Kolom wajib tidak ditemukan" in err and "TANGGAL_MULAI" in err


def test_bad_rows_are_all_listed_and_nothing_is_written(tmp_path: Path) -> None:
    rows = [row[:] for row in ROSTER]
    rows[0][3] = "2026-13-01"  # bad date
    rows[1][1] = "12A45"  # KPJ not digits
    rows[2][4] = "2026-01-01"  # ends before it starts
    rows[3][0] = "36010141019"  # NIK too short
    rows[5][1] = "00012345678"  # another person's KPJ
    path = write_csv(tmp_path / "p.csv", HEADERS, rows)
    err = refused(run("contributions", "bill", path, *PERIOD, "--out", tmp_path / "o"))
    assert "Baris 2, kolom TANGGAL_MULAI: tanggal tidak sah" in err
    assert "Baris 3, kolom KPJ: harus berisi angka saja" in err
    assert "Baris 4, kolom TANGGAL_BERAKHIR: sebelum TANGGAL_MULAI" in err
    assert "Baris 5, kolom NIK: harus 16 angka" in err
    assert "Baris 7, kolom KPJ: sama dengan baris 2 yang NIK-nya berbeda" in err
    assert "12A45" not in err and "36010141019" not in err
    assert not (tmp_path / "o").exists()


def test_two_rows_of_one_nik_with_different_kpj(tmp_path: Path) -> None:
    rows = [row[:] for row in ROSTER]
    rows[4][1] = "00099999999"
    path = write_csv(tmp_path / "p.csv", HEADERS, rows)
    err = refused(run("contributions", "bill", path, *PERIOD, "--out", tmp_path / "o"))
    assert "Baris 6, kolom KPJ: berbeda dengan baris 5 untuk NIK yang sama" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--from", "2026-1", "--to", "2026-03", "--policy", POLICY), "bulan '2026-1' tidak sah"),
        (("--from", "2026-01", "--to", "2026-13", "--policy", POLICY), "bulan '2026-13'"),
        (("--from", "2026-04", "--to", "2026-03", "--policy", POLICY), "--from harus sebelum"),
        (("--from", "2026-01", "--to", "2026-03", "--policy", "tidak-ada"), "tidak dikenal"),
    ],
)
def test_bad_arguments(roster: Path, tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    err = refused(run("contributions", "bill", roster, *args, "--out", tmp_path / "o"))
    assert message in err


def test_a_month_the_policy_has_no_rate_for(roster: Path, tmp_path: Path) -> None:
    from importlib import resources

    text = (resources.files("payung") / "policies" / "pandeglang-2025.yaml").read_text("utf-8")
    jkm = "    - {code: JKM, name: Jaminan Kematian, monthly: 6800}\n"
    policy = tmp_path / "tarif.yaml"
    policy.write_text(
        text.replace(
            jkm,
            "    - {code: JKM, name: Jaminan Kematian, monthly: 6800, valid_to: 2026-01-31}\n",
        ),
        encoding="utf-8",
    )
    args = ("--from", "2026-01", "--to", "2026-03", "--policy", policy)
    err = refused(run("contributions", "bill", roster, *args, "--out", tmp_path / "o"))
    assert "tidak ada tarif JKK dan JKM segmen apbd yang berlaku pada 2026-02-01" in err


# --- synth bpjs-invoice and reconcile -------------------------------------------------------

INVOICE_HEADERS = ["KPJ", "NIK", "NAMA", "BULAN", "IURAN_JKK", "IURAN_JKM"]


def reconcile(roster: Path, invoice: Path, out: Path, *extra: str | Path):
    return run("contributions", "reconcile", roster, invoice, *PERIOD, "--out", out, *extra)


def test_every_category_against_a_hand_written_invoice(roster: Path, tmp_path: Path) -> None:
    invoice = write_csv(
        tmp_path / "tagihan.csv",
        INVOICE_HEADERS,
        [
            ["00012345678", "", "", "2026-01", "10000", "6800"],  # cocok
            ["00012345678", "", "", "2026-02", "10.000", "6.800"],  # cocok, dotted rupiah
            ["00012345678", "", "", "2026-03", "5000", "3400"],  # selisih: BPU rate
            ["00012345679", "", "", "2026-01", "10000", "6800"],
            ["00012345679", "", "", "2026-02", "10000", "6800"],
            ["00012345679", "", "", "2026-03", "10000", "6800"],  # hanya_bpjs: ended in Feb
            ["00012345681", "", "", "2026-01", "10000", "0"],  # JKM on its own line
            ["00012345681", "", "", "2026-01", "0", "6800"],
            ["00012345681", "", "", "2026-03", "10000", "6800"],
            ["00012345682", "", "", "2026-03", "10000", "6800"],
            # 00012345680 (the replacement) is missing: hanya_payung, twice.
        ],
        sep=",",
    )
    proc = reconcile(roster, invoice, tmp_path / "r")
    assert proc.returncode == 0, proc.stderr
    rows = read_rows(tmp_path / "r" / "reconciliation.csv")
    assert [
        (r["kpj"], r["month"], r["category"], r["payung_amount"], r["bpjs_amount"]) for r in rows
    ] == [
        ("00012345678", "2026-01", "cocok", "16800", "16800"),
        ("00012345678", "2026-02", "cocok", "16800", "16800"),
        ("00012345678", "2026-03", "selisih", "16800", "8400"),
        ("00012345679", "2026-01", "cocok", "16800", "16800"),
        ("00012345679", "2026-02", "cocok", "16800", "16800"),
        ("00012345679", "2026-03", "hanya_bpjs", "0", "16800"),
        ("00012345680", "2026-02", "hanya_payung", "16800", "0"),
        ("00012345680", "2026-03", "hanya_payung", "16800", "0"),
        ("00012345681", "2026-01", "cocok", "16800", "16800"),
        ("00012345681", "2026-03", "cocok", "16800", "16800"),
        ("00012345682", "2026-03", "cocok", "16800", "16800"),
    ]
    summary = json.loads((tmp_path / "r" / "summary.json").read_text(encoding="utf-8"))
    assert summary["categories"] == {
        "cocok": {"count": 7, "payung_amount": 117_600, "bpjs_amount": 117_600},
        "selisih": {"count": 1, "payung_amount": 16_800, "bpjs_amount": 8_400},
        "hanya_bpjs": {"count": 1, "payung_amount": 0, "bpjs_amount": 16_800},
        "hanya_payung": {"count": 2, "payung_amount": 33_600, "bpjs_amount": 0},
    }


def test_bad_invoice_rows_are_listed(roster: Path, tmp_path: Path) -> None:
    invoice = write_csv(
        tmp_path / "tagihan.csv",
        INVOICE_HEADERS,
        [
            ["00012345678", "", "", "2026-01", "-10000", "6800"],
            ["0001234567X", "", "", "2026-02", "10000", "6800"],
            ["00012345678", "", "", "2026/02", "10000", "6800"],
            ["00012345678", "", "", "2026-04", "10000", "6800"],
            ["00012345678", "", "", "2026-03", "10000", "enam ribu"],
        ],
    )
    err = refused(reconcile(roster, invoice, tmp_path / "r"))
    assert "Baris 2, kolom IURAN_JKK: tidak boleh negatif" in err
    assert "Baris 3, kolom KPJ: harus berisi angka saja" in err
    assert "Baris 4, kolom BULAN: bulan tidak sah" in err
    assert "Baris 5, kolom BULAN: di luar periode" in err
    assert "Baris 6, kolom IURAN_JKM: bukan bilangan bulat rupiah" in err
    assert "enam ribu" not in err and "0001234567X" not in err
    assert not (tmp_path / "r").exists()


def test_an_invoice_with_its_own_headers_through_a_mapping(roster: Path, tmp_path: Path) -> None:
    invoice = write_csv(
        tmp_path / "tagihan.csv",
        ["No KPJ", "Periode", "JKK", "JKM"],
        [["00012345678", "2026-01", "10000", "6800"]],
    )
    err = refused(reconcile(roster, invoice, tmp_path / "r"))
    assert "KPJ, BULAN, IURAN_JKK, IURAN_JKM" in err and "--columns-invoice" in err
    mapping = tmp_path / "kolom.yaml"
    mapping.write_text(
        'columns:\n  "No KPJ": KPJ\n  Periode: BULAN\n  JKK: IURAN_JKK\n  JKM: IURAN_JKM\n',
        encoding="utf-8",
    )
    proc = reconcile(roster, invoice, tmp_path / "r", "--columns-invoice", mapping)
    assert proc.returncode == 0, proc.stderr
    categories = [r["category"] for r in read_rows(tmp_path / "r" / "reconciliation.csv")]
    assert categories.count("cocok") == 1 and categories.count("hanya_payung") == 9


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_synth_invoice_has_each_category_and_is_deterministic(
    roster: Path, tmp_path: Path, suffix: str
) -> None:
    # A bigger roster, so that every kind of difference has room.
    rows = [
        [
            f"36010141019{i:05d}",
            f"{i:011d}",
            f"PESERTA {i}",
            "2026-01-01",
            "2026-02-10" if i % 4 == 0 else "",
        ]
        for i in range(1, 41)
    ]
    big = write_csv(tmp_path / "besar.csv", HEADERS, rows)
    paths = []
    for name in ("a", "b"):
        path = tmp_path / f"{name}{suffix}"
        proc = run("synth", "bpjs-invoice", big, *PERIOD, "--seed", "5", "--out", path)
        assert proc.returncode == 0, proc.stderr
        paths.append(path)
    assert paths[0].read_bytes() == paths[1].read_bytes()
    other = tmp_path / f"c{suffix}"
    assert run("synth", "bpjs-invoice", big, *PERIOD, "--seed", "6", "--out", other).returncode == 0
    assert other.read_bytes() != paths[0].read_bytes()

    proc = reconcile(big, paths[0], tmp_path / "r")
    assert proc.returncode == 0, proc.stderr
    summary = json.loads((tmp_path / "r" / "summary.json").read_text(encoding="utf-8"))
    counts = {c: v["count"] for c, v in summary["categories"].items()}
    assert counts["selisih"] == 3
    assert counts["hanya_bpjs"] == 3
    assert counts["hanya_payung"] >= 3  # three participants missed, each with 1-3 months
    assert counts["cocok"] > 50


def test_synth_invoice_needs_a_roster(tmp_path: Path) -> None:
    err = refused(run("synth", "bpjs-invoice", *PERIOD, "--out", tmp_path / "t.csv"))
    assert "ROSTER wajib diisi" in err
