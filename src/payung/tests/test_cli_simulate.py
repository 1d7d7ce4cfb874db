"""``payung simulate`` as the budget office meets it (issue 14): the installed console script,
a real synthetic extract, the JSON written and the exit codes.

Each test runs the entry point in a subprocess and looks only at what a user sees.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

PAYUNG = str(Path(sys.executable).with_name("payung"))
AS_OF = "2027-01-01"
COST = 201_600  # Rp16.800 x 12 (Pasal 9 ayat (2))


def run(*args: str | Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([PAYUNG, *map(str, args)], capture_output=True, text=True, timeout=600)
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


def simulate(src: Path, out: Path, *extra: str, check: bool = True) -> subprocess.CompletedProcess:
    return run(
        "simulate",
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
    path = tmp_path_factory.mktemp("extract") / "dtsen.csv"
    run("synth", "--rows", "2000", "--seed", "14", "--out", path, "--quiet")
    return path


@pytest.fixture(scope="module")
def screened(extract: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The same extract through ``payung screen``: the eligible the simulation must find."""
    out = tmp_path_factory.mktemp("screen")
    run("screen", extract, "--policy", "pandeglang-2025", "--as-of", AS_OF, "--out", out, "--quiet")
    return json.loads((out / "summary.json").read_text(encoding="utf-8"))


def test_simulate_writes_the_contract_keys_from_the_screening(
    extract: Path, screened: dict, tmp_path: Path
) -> None:
    pagu = 30 * COST + 123
    proc = simulate(extract, tmp_path, "--pagu", str(pagu))
    data = json.loads((tmp_path / "simulation.json").read_text(encoding="utf-8"))
    eligible = screened["counts"]["by_status"]["eligible"]
    assert data["eligible"] == eligible > 30
    assert data["cost_per_person_year"] == COST
    assert data["covered"] == min(eligible, pagu // COST) == 30
    assert data["pagu_for_full_coverage"] == eligible * COST
    assert data["years_to_full_coverage"] == math.ceil(eligible / 30)
    assert data["input"] == {"name": "dtsen.csv", "sha256": screened["input"]["sha256"]}
    assert data["policy"]["id"] == "pandeglang-2025" and len(data["policy"]["sha256"]) == 64
    assert sum(r["eligible"] for r in data["by_kecamatan"]) == eligible
    assert all(r["name"] for r in data["by_kecamatan"])
    assert [r["id"] for r in data["by_priority"]] == ["7(2)a", "7(2)b", "7(2)c", None]
    assert "memenuhi syarat" in proc.stdout and "Rp201.600" in proc.stdout


def test_simulate_is_byte_identical_for_the_same_input(extract: Path, tmp_path: Path) -> None:
    simulate(extract, tmp_path / "a", "--pagu", "50000000", "--growth", "5", "--quiet")
    simulate(extract, tmp_path / "b", "--pagu", "50000000", "--growth", "5", "--quiet")
    first = (tmp_path / "a" / "simulation.json").read_bytes()
    assert first == (tmp_path / "b" / "simulation.json").read_bytes()
    data = json.loads(first)
    assert data["growth_pct"] == "5"
    assert data["years_to_full_coverage"] <= math.ceil(data["eligible"] / data["covered"])


def test_months_price_the_person_year(extract: Path, tmp_path: Path) -> None:
    simulate(extract, tmp_path, "--pagu", "1000000", "--months", "6", "--quiet")
    data = json.loads((tmp_path / "simulation.json").read_text(encoding="utf-8"))
    assert data["months"] == 6
    assert data["cost_per_person_year"] == 6 * 16_800
    assert data["covered"] == 1_000_000 // (6 * 16_800)


def test_a_pagu_below_one_person_year_says_why_there_are_no_years(
    extract: Path, tmp_path: Path
) -> None:
    proc = simulate(extract, tmp_path, "--pagu", str(COST - 1))
    data = json.loads((tmp_path / "simulation.json").read_text(encoding="utf-8"))
    assert data["covered"] == 0
    assert data["years_to_full_coverage"] is None
    assert data["years_to_full_coverage_reason"] == "pagu_below_one_person_year"
    assert "pagu kurang dari biaya iuran satu orang setahun" in proc.stdout


def test_a_policy_file_is_accepted_and_compared(
    extract: Path, tmp_path: Path, screened: dict
) -> None:
    """Decile I-V instead of I-IV: a changed policy file given on the command line."""
    text = (Path(__file__).parents[1] / "policies" / "pandeglang-2025.yaml").read_text("utf-8")
    assert "max_desil: 4" in text
    changed = tmp_path / "desil5.yaml"
    changed.write_text(text.replace("max_desil: 4", "max_desil: 5"), encoding="utf-8")
    simulate(
        extract, tmp_path / "out", "--pagu", "100000000", "--compare-policy", changed, "--quiet"
    )
    data = json.loads((tmp_path / "out" / "simulation.json").read_text(encoding="utf-8"))
    comparison = data["comparison"]
    assert comparison["policy"]["sha256"] != data["policy"]["sha256"]
    eligible = comparison["changes"]["headline"]["eligible"]
    assert eligible["base"] == screened["counts"]["by_status"]["eligible"]
    assert eligible["other"] > eligible["base"]
    assert eligible["change"] == comparison["simulation"]["eligible"] - data["eligible"]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (("--pagu", "-5"), "pagu tidak boleh negatif"),
        (("--pagu", "1000", "--growth", "abc"), "pertumbuhan pagu harus berupa angka persen"),
        (("--pagu", "1000", "--growth", "150"), "0 sampai 100 persen"),
        (("--pagu", "1000", "--months", "13"), "jumlah bulan harus 1 sampai 12"),
        ((), "argumen wajib belum diisi: --pagu"),
    ],
)
def test_bad_arguments_exit_2_in_indonesian(
    extract: Path, tmp_path: Path, extra: tuple[str, ...], message: str
) -> None:
    proc = simulate(extract, tmp_path, *extra, check=False)
    assert proc.returncode == 2
    assert message in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "simulation.json").exists()


def test_an_unknown_policy_or_missing_file_exits_2(extract: Path, tmp_path: Path) -> None:
    proc = run(
        "simulate", extract, "--policy", "tidak-ada", "--as-of", AS_OF, "--pagu", "1",
        "--out", tmp_path, check=False,
    )  # fmt: skip
    assert proc.returncode == 2 and "tidak dikenal" in proc.stderr
    proc = simulate(tmp_path / "hilang.csv", tmp_path, "--pagu", "1", check=False)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
