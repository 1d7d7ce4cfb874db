"""The upload registry: every kind's reader ends accepted or refused with coded Indonesian
messages naming the user's file (issue 17), and a sample of the fuzz campaign keeps it so."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from payung.core import uploads
from payung.core.uploads import UploadKind, UploadRefused, upload_kinds, upload_read

# ``campaigns`` lives at the repository root, beside ``benchmarks``.
sys.path.insert(0, str(Path(__file__).resolve().parents[4]))
from campaigns import fuzz_uploads


def test_the_kinds_of_today_are_registered() -> None:
    assert [k.id for k in upload_kinds()] == [
        "bpjs_claims",
        "bpjs_invoice",
        "bpjs_registration_answer",
        "dtsen",
        "dukcapil_answer",
        "dukcapil_ends",
        "other_list",
        "roster",
        "signed_report",
        "signed_scan",
        "sp2d",
    ]


def test_signed_scans_are_read_by_the_decrees_pdf_check() -> None:
    from payung.decrees.services import pdf_scan_check

    assert uploads._reader(uploads.upload_kind_get("signed_scan")) is pdf_scan_check


def test_wrong_suffix_and_size_are_refused_for_every_kind(tmp_path: Path) -> None:
    path = tmp_path / "x"
    path.write_bytes(b"NIK\n1\n")
    for kind in upload_kinds():
        outcome = upload_read(kind=kind, path=path, name="data.exe")
        assert outcome.codes == ("file.format",)
        assert "'data.exe'" in outcome.messages[0]
    small = UploadKind(id="t", label="t", suffixes=(".csv",), max_bytes=3, reader="builtins.print")
    outcome = upload_read(kind=small, path=path, name="besar.csv")
    assert outcome.codes == ("file.too_large",)


def test_a_reader_error_names_the_uploaded_file_not_the_stored_one(tmp_path: Path) -> None:
    stored = tmp_path / "9a8b7c.csv"
    stored.write_bytes(b"")
    outcome = upload_read(kind="dtsen", path=stored, name="dtsen-maret.csv")
    assert not outcome.accepted
    assert outcome.codes == ("file.empty",)
    assert "'dtsen-maret.csv'" in outcome.messages[0] and "9a8b7c" not in outcome.messages[0]


def _raising(error: Exception):  # type: ignore[no-untyped-def]
    def reader(path: Path, *, name: str) -> None:
        raise error

    return reader


@pytest.mark.parametrize(
    ("error", "codes"),
    [
        (ValidationError("Pindaian harus berkas PDF.", code="scan_not_pdf"), ("scan_not_pdf",)),
        (UploadRefused("rows.invalid", ["Baris 2: A.", "Baris 3: B."]), ("rows.invalid",) * 2),
    ],
)
def test_refusals_keep_their_codes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: Exception, codes: tuple[str, ...]
) -> None:
    monkeypatch.setattr(uploads, "_reader", lambda kind: _raising(error))
    path = tmp_path / "a.csv"
    path.write_bytes(b"x")
    outcome = upload_read(kind="dtsen", path=path, name="a.csv")
    assert not outcome.accepted and outcome.codes == codes


def test_a_bug_in_a_reader_is_not_hidden(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(uploads, "_reader", lambda kind: _raising(KeyError("bug")))
    path = tmp_path / "a.csv"
    path.write_bytes(b"x")
    with pytest.raises(KeyError):
        upload_read(kind="dtsen", path=path, name="a.csv")


@pytest.mark.parametrize(
    "kind",
    [
        "dtsen",
        "dukcapil_answer",
        "signed_scan",
        "sp2d",
        "bpjs_invoice",
        "bpjs_registration_answer",
        "dukcapil_ends",
        "bpjs_claims",
    ],
)
def test_fuzz_sample_has_no_crash_no_partial_write_and_only_coded_messages(kind: str) -> None:
    """20 files per kind from the campaign's generator (``python -m campaigns.fuzz_uploads``
    runs 200 per kind); the mutations cycle, so each is met at least once per kind."""
    tally = fuzz_uploads.run_inline(kind, count=20, seed=17)
    assert tally.files == 20
    assert tally.crashes == []
    assert tally.uncoded == []
    assert tally.partial == []
    assert tally.refused >= 10


# --- upload_store: the bytes a background job will read ---------------------------------------


def test_upload_store_keeps_the_bytes_private_hashed_and_under_a_random_name(
    settings: Any, tmp_path: Path
) -> None:
    import hashlib

    from django.core.files.uploadedfile import SimpleUploadedFile

    from payung.core.uploads import upload_store

    settings.MEDIA_ROOT = str(tmp_path)
    content = b"NIK;STATUS\n3601010101900001;DITERIMA\n"
    stored = upload_store(
        uploaded=SimpleUploadedFile("../../jawaban 3601010101900001.csv", content),
        folder="uji",
        max_bytes=1000,
        default_name="jawaban.xlsx",
        too_large="Terlalu besar (maksimal %(limit)s).",
    )
    path = tmp_path / stored.stored_path
    assert path.read_bytes() == content
    assert stored.sha256 == hashlib.sha256(content).hexdigest() and stored.size == len(content)
    assert stored.name == "jawaban 3601010101900001.csv"  # no folders from the user's name
    assert "3601" not in path.name and path.suffix == ".csv"  # nor the name itself on disk
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o777 == 0o700


def test_upload_store_refuses_by_the_bytes_received_and_leaves_nothing(
    settings: Any, tmp_path: Path
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from payung.core.uploads import upload_store

    settings.MEDIA_ROOT = str(tmp_path)
    with pytest.raises(ValidationError) as refused:
        upload_store(
            uploaded=SimpleUploadedFile("besar.csv", b"x" * 2048),
            folder="uji",
            max_bytes=1024,
            default_name="jawaban.xlsx",
            too_large="Berkas terlalu besar (maksimal %(limit)s).",
        )
    assert refused.value.code == "too_large"
    assert "1,0" in refused.value.messages[0] or "1.0" in refused.value.messages[0]
    assert list((tmp_path / "uji").iterdir()) == []
