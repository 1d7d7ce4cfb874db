"""``payung synth bpjs-response``: a realistic, seeded BPJS answer, through the entry point."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from payung.engine import csv_bytes, read_text_table
from payung.enrollment import services
from payung.enrollment.models import RegistrationAnswer
from payung.enrollment.tests.factories import answer_checked, decreed_year

PAYUNG = str(Path(sys.executable).with_name("payung"))
REASONS = {
    "NIK tidak terdaftar di Dukcapil",
    "Sudah terdaftar sebagai peserta aktif segmen lain",
    "Data tidak lengkap",
}


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [PAYUNG, "synth", "bpjs-response", *args], capture_output=True, text=True, timeout=120
    )


def _request(folder: Path, rows: int, *, start: str = "") -> Path:
    path = folder / "permintaan.csv"
    body = [
        [str(i), f"3601011501{900000 + i:06d}", f"WARGA {i}", start, "1000000"]
        for i in range(1, rows + 1)
    ]
    path.write_bytes(csv_bytes(["NO", "NIK", "NAMA", "TANGGAL_MULAI", "PENGHASILAN"], body))
    return path


def test_a_big_request_gets_mostly_accepted_distinct_kpjs_a_few_refusals_and_one_stranger(
    tmp_path: Path,
) -> None:
    request = _request(tmp_path, 200, start="01-03-2026")
    done = _run("--request", str(request), "--out", str(tmp_path / "a.csv"), "--seed", "5")
    assert done.returncode == 0, done.stderr
    assert "diterima: 196, ditolak: 4, tidak_cocok: 1" in done.stdout
    table = read_text_table(tmp_path / "a.csv")
    rows = [dict(zip(table.headers, r, strict=True)) for r in table.rows]
    accepted = [r for r in rows if r["STATUS"] == "DITERIMA"]
    refused = [r for r in rows if r["STATUS"] == "DITOLAK"]
    assert len(refused) == 4 and {r["ALASAN"] for r in refused} <= REASONS
    kpjs = [r["KPJ"] for r in accepted]
    assert len(set(kpjs)) == len(kpjs) and all(len(k) == 11 and k.isdigit() for k in kpjs)
    sent = {f"3601011501{900000 + i:06d}" for i in range(1, 201)}
    assert [r["NIK"] for r in rows if r["NIK"] not in sent] == [rows[-1]["NIK"]]
    assert {r["TANGGAL_MULAI"] for r in accepted[:-1]} == {"01-03-2026"}  # the PKS's
    assert {r["IURAN"] for r in accepted[:-1]} == {"16800"}


def test_without_a_pks_date_the_cover_starts_the_first_of_next_month(tmp_path: Path) -> None:
    request = _request(tmp_path, 3)
    out = tmp_path / "a.csv"
    assert (
        _run("--request", str(request), "--out", str(out), "--as-of", "2026-04-17").returncode == 0
    )
    table = read_text_table(out)
    assert {r[table.column("TANGGAL_MULAI")] for r in table.rows} == {"01-05-2026"}


def test_the_same_seed_gives_the_same_bytes_and_another_seed_other_kpjs(tmp_path: Path) -> None:
    request = _request(tmp_path, 20, start="01-03-2026")
    outs = []
    for name, seed in (("a.xlsx", "1"), ("b.xlsx", "1"), ("c.xlsx", "2")):
        out = tmp_path / name
        assert _run("--request", str(request), "--out", str(out), "--seed", seed).returncode == 0
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]
    assert outs[0] != outs[2]


def test_start_gives_every_accepted_row_that_cover_start(tmp_path: Path) -> None:
    """An amending decree's replacements are sent without TANGGAL_MULAI and covered from
    the day BPJS records them; ``--start`` wins over the request's date too."""
    for name, sent in (("tambahan", ""), ("pks", "01-01-2026")):
        folder = tmp_path / name
        folder.mkdir()
        request = _request(folder, 30, start=sent)
        out = folder / "a.csv"
        done = _run(
            "--request", str(request), "--out", str(out), "--as-of", "2026-04-17",
            "--start", "2026-02-16",
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        table = read_text_table(out)
        rows = [dict(zip(table.headers, r, strict=True)) for r in table.rows]
        accepted = [r for r in rows if r["STATUS"] == "DITERIMA"]
        assert len(accepted) == 30 and {r["TANGGAL_MULAI"] for r in accepted} == {"16-02-2026"}
        assert {r["TANGGAL_MULAI"] for r in rows if r["STATUS"] == "DITOLAK"} == {""}


def test_start_through_the_function_keeps_the_rest_of_the_answer(tmp_path: Path) -> None:
    from payung.engine import bpjs_response_write

    request = _request(tmp_path, 20)
    plain, counts = bpjs_response_write(
        request=request, out=tmp_path / "a.csv", today=date(2026, 4, 17), seed=3
    )
    dated, dated_counts = bpjs_response_write(
        request=request,
        out=tmp_path / "b.csv",
        today=date(2026, 4, 17),
        seed=3,
        start=date(2026, 2, 16),
    )
    assert counts == dated_counts
    a, b = read_text_table(plain), read_text_table(dated)
    at = a.column("TANGGAL_MULAI")
    assert {r[at] for r in a.rows if r[a.column("STATUS")] == "DITERIMA"} == {"01-05-2026"}
    assert {r[at] for r in b.rows if r[b.column("STATUS")] == "DITERIMA"} == {"16-02-2026"}
    # Only the date differs: same NIKs, statuses and KPJs for the same seed.
    strip = [[c for i, c in enumerate(r) if i != at] for r in a.rows]
    assert strip == [[c for i, c in enumerate(r) if i != at] for r in b.rows]


def test_a_bad_start_is_refused_with_exit_2(tmp_path: Path) -> None:
    request = _request(tmp_path, 3)
    done = _run("--request", str(request), "--out", str(tmp_path / "a.csv"), "--start", "16-02")
    assert done.returncode == 2
    assert "--start" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--request", "{tmp}/tidak-ada.csv", "--out", "{tmp}/a.csv"], "tidak ditemukan"),
        (["--out", "{tmp}/a.csv"], "--request wajib diisi"),
        (["--request", "{tmp}/tanpa-nik.csv", "--out", "{tmp}/a.csv"], "tanpa kolom NIK"),
        (["--request", "{tmp}/tanpa-nik.csv", "--out", "{tmp}/a.txt"], "berakhiran .csv"),
    ],
)
def test_bad_input_is_one_indonesian_sentence_and_exit_2(
    tmp_path: Path, args: list[str], message: str
) -> None:
    (tmp_path / "tanpa-nik.csv").write_bytes(csv_bytes(["NAMA"], [["WARGA"]]))
    done = _run(*[a.format(tmp=tmp_path) for a in args])
    assert done.returncode == 2
    assert message in done.stderr and "Traceback" not in done.stderr


@pytest.mark.django_db
def test_the_answer_to_a_real_request_checks_clean_and_the_collision_option_is_refused(
    tmp_path: Path,
    operator_dinsos: Any,
    operator_dinsos_2: Any,
    verifikator_dukcapil: Any,
    operator_disnaker: Any,
    petugas_bpjs: Any,
) -> None:
    personas = {
        "operator_dinsos": operator_dinsos,
        "operator_dinsos_2": operator_dinsos_2,
        "verifikator_dukcapil": verifikator_dukcapil,
        "operator_disnaker": operator_disnaker,
        "petugas_bpjs": petugas_bpjs,
    }
    world = decreed_year(personas=personas, n=4, pks_start=date(2026, 3, 1))
    batch = services.registration_batch_create(programme_year=world.year, actor=operator_disnaker)
    made = services.registration_request_file(batch=batch, fmt="xlsx", actor=operator_disnaker)
    request = tmp_path / made.filename
    request.write_bytes(made.content)
    clean, clash = tmp_path / "jawaban.xlsx", tmp_path / "jawaban-ganda.xlsx"
    assert _run("--request", str(request), "--out", str(clean)).returncode == 0
    assert _run("--request", str(request), "--out", str(clash), "--collision").returncode == 0

    job = answer_checked(batch, petugas_bpjs, clean.read_bytes(), name="jawaban.xlsx")
    assert job.stage == RegistrationAnswer.Stage.AWAITING, job.errors
    assert job.report["accepted"] == 4 and len(job.report["unmatched"]) == 1
    services.registration_answer_discard(answer=job, actor=petugas_bpjs)
    refused = answer_checked(batch, petugas_bpjs, clash.read_bytes(), name="jawaban.xlsx")
    assert refused.stage == RegistrationAnswer.Stage.REFUSED
    assert "kolom KPJ" in refused.errors[0] and "sama dengan baris" in refused.errors[0]
