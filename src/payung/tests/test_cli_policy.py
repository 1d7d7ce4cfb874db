"""``payung policy show|check|new|diff`` (issue 15) through the installed entry point."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

from payung.domain.policy import policy_text

PAYUNG = str(Path(sys.executable).with_name("payung"))


def run(*args: str | Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([PAYUNG, *map(str, args)], capture_output=True, text=True, timeout=600)
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


def test_show_lists_the_assumptions_sources_and_sanctions() -> None:
    out = run("policy", "show", "pekalongan-2025").stdout
    assert "Asumsi yang belum dikonfirmasi (17):" in out
    assert "  - rules.rentan: Notulen butir 3" in out
    assert "[bankeuprov] Bantuan keuangan Pemerintah Provinsi Jawa Tengah" in out
    assert "2 teguran tertulis @ 10 hari kerja" in out
    pandeglang = run("policy", "show", "pandeglang-2025").stdout
    assert "Sanksi administratif: tidak diatur" in pandeglang


def test_check_reports_what_is_unconfirmed(tmp_path: Path) -> None:
    out = run("policy", "check", "src/payung/policies/pekalongan-2025.yaml").stdout
    assert "Kebijakan sah: pekalongan-2025" in out
    assert "Belum dikonfirmasi (asumsi): 17" in out
    text = policy_text("pandeglang-2025")
    bare = tmp_path / "bare.yaml"
    bare.write_text(text[: text.index("\nprovenance:")] + "\n", encoding="utf-8")
    out = run("policy", "check", bare).stdout
    assert "Tanpa sumber (provenance): 11" in out
    assert "  - region" in out


def test_new_scaffolds_a_city_that_check_accepts(tmp_path: Path) -> None:
    out_file = tmp_path / "bandung.yaml"
    run("policy", "new", "--region", "3273", "--from", "pandeglang-2025", "--out", out_file)
    text = out_file.read_text(encoding="utf-8")
    assert "Kota Bandung" in text and "WALI KOTA BANDUNG" in text
    checked = run("policy", "check", out_file).stdout
    assert "Kebijakan sah: kota-bandung-rancangan" in checked
    assert "Belum dikonfirmasi (asumsi): 14" in checked
    again = run("policy", "new", "--region", "3273", "--out", out_file, check=False)
    assert again.returncode == 2 and "--force" in again.stderr
    bad = run("policy", "new", "--region", "33", "--out", tmp_path / "x.yaml", check=False)
    assert bad.returncode == 2 and "bukan kabupaten/kota" in bad.stderr


def test_diff_prints_rules_and_writes_changes_csv(tmp_path: Path) -> None:
    variant = tmp_path / "desil-1-5.yaml"
    variant.write_text(
        policy_text("pandeglang-2025").replace("      max_desil: 4\n", "      max_desil: 5\n"),
        encoding="utf-8",
    )
    extract = tmp_path / "dtsen.csv"
    run("synth", "--rows", "600", "--seed", "5", "--out", extract, "--quiet")
    proc = run(
        "policy", "diff", "pandeglang-2025", variant,
        "--extract", extract, "--as-of", "2026-01-01", "--out", tmp_path / "out",
    )  # fmt: skip
    out = proc.stdout
    assert "Perbedaan aturan (1):" in out
    assert "Diubah — kriteria [5(2)d]" in out and "max_desil: 4 → 5" in out
    assert "Perubahan status pada 600 baris ekstrak:" in out
    data = (tmp_path / "out" / "changes.csv").read_bytes()
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["row", "nik", "status_a", "status_b", "reasons_a", "reasons_b"]
    assert len(rows) > 1
    # Widening the deciles only admits: every change is ineligible -> eligible under 5(2)d.
    assert {(r[2], r[3], r[4]) for r in rows[1:]} == {("ineligible", "eligible", "5(2)d")}
    moved = len(rows) - 1
    assert f"tidak memenuhi syarat → memenuhi syarat: {moved}" in out


def test_diff_without_extract_and_usage_errors(tmp_path: Path) -> None:
    out = run("policy", "diff", "pandeglang-2025", "pekalongan-2025").stdout
    assert "Dihapus — kriteria [5(1)]" in out
    assert "Ditambah — kriteria [rentan]" in out
    assert "Perubahan status" not in out
    no_as_of = run(
        "policy", "diff", "pandeglang-2025", "pekalongan-2025", "--extract", tmp_path / "x.csv",
        check=False,
    )  # fmt: skip
    assert no_as_of.returncode == 2 and "--as-of" in no_as_of.stderr
    unknown = run("policy", "diff", "pandeglang-2025", "tidak-ada", check=False)
    assert unknown.returncode == 2 and "tidak dikenal" in unknown.stderr
