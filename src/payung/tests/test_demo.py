"""``payung demo`` as a newcomer runs it: the README's first command, minus the server."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

PAYUNG = str(Path(sys.executable).with_name("payung"))


def test_demo_builds_users_year_import_and_screening(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    proc = subprocess.run(
        [
            PAYUNG,
            "demo",
            "--rows",
            "3000",
            "--budget",
            "Rp40.320.000",
            "--out",
            str(out),
            "--no-serve",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        env={"PATH": "/usr/bin:/bin", "PAYUNG_DATA_DIR": str(out)},
    )
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stdout.splitlines()
    users = [line.split() for line in lines if line.startswith("  ") and "." in line.split()[0]]
    assert {u[0] for u in users} >= {
        "dinsos.operator",
        "dukcapil.verifikator",
        "inspektorat.auditor",
        "kominfo.admin",
    }
    assert len({u[1] for u in users}) == len(users)  # a password each, printed once
    assert "kuota 200 peserta" in proc.stdout
    assert "200 terpilih" in proc.stdout
    # Through verification (a synthetic Disdukcapil answer each round, the unmatched row
    # reported) to the signed decree: every place of the quota filled by a decreed person.
    assert "1 baris jawaban tidak cocok (dilaporkan)" in proc.stdout
    assert "Keputusan Bupati 400.10/Kep.1-Huk/2026: 200 peserta ditetapkan." in proc.stdout
    # Pasal 5 ayat (2) huruf f: the province's list retyped by its own hands is linked; five
    # of the year's people are on it, one confirmed (refused, replaced), one rejected.
    assert (
        "Daftar BPU APBD provinsi: 5 pasangan dengan ekstrak ditemukan, 2 sudah diputuskan"
        in proc.stdout
    )
    # Past the decree (issues 10, 11): BPJS registers them, refusals are replaced through an
    # amending decree, and the first quarter is billed, paid and reconciled.
    registration = next(line for line in lines if line.startswith("Pendaftaran BPJS:"))
    assert "ditolak dan digantikan" in registration
    assert "kartu diserahkan" in registration
    assert "Iuran: 3 tagihan (Januari-Maret), 2 SP2D (satu sebagian)" in proc.stdout
    # Issue 12: after March, BPJS's claims and Disdukcapil's data end three participations
    # (applied by a second operator), a match on the province's list confirmed after the
    # decree ends a fourth; the JKK claim is only recorded.
    assert (
        "Akhir kepesertaan: 2 meninggal, 1 pindah, 1 dana ganda (Pasal 5 ayat (2) huruf f), "
        "1 klaim JKK dicatat." in proc.stdout
    )
    # Issue 12, replacements: the four freed places refilled on 1 May within the remaining
    # pagu (8 months left), verified, decreed by amendment and registered (tahap 3).
    assert (
        "Pengganti dari sisa pagu (1 Mei, 8 bulan tersisa): 4 diusulkan, 0 ditolak saat "
        "diperiksa ulang, keputusan perubahan ditandatangani, 4 terdaftar di BPJS." in proc.stdout
    )
    assert sorted(p.name for p in (out / "pendaftaran").iterdir()) == [
        "jawaban-bpjs-tahap-1.xlsx",
        "jawaban-bpjs-tahap-2.xlsx",
        "jawaban-bpjs-tahap-3.xlsx",
        "pendaftaran-bpjs-2026-tahap-1.xlsx",
        "pendaftaran-bpjs-2026-tahap-2.xlsx",
        "pendaftaran-bpjs-2026-tahap-3.xlsx",
    ]
    assert sorted(p.name for p in (out / "verifikasi").iterdir())[:2] == [
        "jawaban-tahap-1.xlsx",
        "jawaban-tahap-2.xlsx",
    ]
    # Issue 12, appeals: one corrected occupation put on the waiting list, one decile refused.
    appeals = next(line for line in lines if line.startswith("Sanggahan:"))
    assert "1 diterima (pekerjaan diperbaiki, daftar tunggu peringkat" in appeals
    assert "1 ditolak (Pasal 5 ayat (2) huruf d)" in appeals
    # Issue 12, next year: 2027 carries 2026's participants over; three whose decile rose
    # and two missing from the new extract (at least) end on 31 December 2026.
    renewal = next(line for line in lines if line.startswith("Tahun program 2027 dibuat"))
    kept, ended = (
        int(n.replace(".", ""))
        for n in re.findall(r"([\d.]+) (?:masih|tidak lagi) memenuhi", renewal)
    )
    assert kept > 0 and ended >= 5, renewal
    assert "diakhiri 31 Desember 2026" in renewal
    # Issue 15: Kabupaten Pekalongan's year beside Pandeglang's, screened under its policy.
    pekalongan = next(line for line in lines if line.startswith("Kabupaten Pekalongan 2026:"))
    assert "3.000 baris disaring menurut Perbup Pekalongan" in pekalongan, pekalongan
    assert (out / "payung.sqlite3").exists()
    assert (out / "static").is_dir()
    # Issue 16 target 5: the build leaves the documents to the worker that the served demo
    # starts with the server (here, without a server, the user is told to run it), and
    # the static files are collected without compressed copies.
    sops = next(line for line in lines if line.startswith("SOP perangkat daerah tahun 2026:"))
    assert "16 dokumen diminta, 0 selesai; sisanya dibuat pekerja latar belakang" in sops
    assert re.search(
        r"^[\d.]+ dokumen \(lampiran, berita acara, surat, laporan, SOP\) menunggu pekerja "
        r"latar belakang: jalankan `payung worker`\.$",
        proc.stdout,
        re.MULTILINE,
    ), proc.stdout
    assert not list((out / "static").rglob("*.br"))


def test_demo_serves_on_the_port_asked_for() -> None:
    from payung.cli import build_parser

    assert build_parser().parse_args(["demo"]).port == 8000
    assert build_parser().parse_args(["demo", "--port", "8123"]).port == 8123
