"""The upload registry: every kind's reader ends accepted or refused with coded Indonesian
messages naming the user's file (issue 17), and a sample of the fuzz campaign keeps it so."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from payung.core import uploads
from payung.core.uploads import UploadKind, UploadRefused, upload_kinds, upload_read

# ``campaigns`` lives at the repository root, beside ``benchmarks``.
sys.path.insert(0, str(Path(__file__).resolve().parents[4]))
from campaigns import fuzz_uploads


def test_the_kinds_of_today_are_registered() -> None:
    assert [k.id for k in upload_kinds()] == [
        "bpjs_invoice",
        "bpjs_registration_answer",
        "dtsen",
        "dukcapil_answer",
        "roster",
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
    ["dtsen", "dukcapil_answer", "signed_scan", "sp2d", "bpjs_invoice", "bpjs_registration_answer"],
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
