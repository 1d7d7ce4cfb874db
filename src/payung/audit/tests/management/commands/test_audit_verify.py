"""``payung manage audit_verify``: the Indonesian result, exit status 1 when broken, anchors
and printed digests checked in the same run."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from payung.audit.models import AuditEntry
from payung.audit.selectors import audit_head_get
from payung.audit.services import audit_anchor_create, audit_entry_create
from payung.audit.tests import tampering

pytestmark = pytest.mark.django_db


def verify(*args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("audit_verify", *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


@pytest.fixture
def anchor_file(tmp_path: Path) -> Path:
    for i in range(3):
        audit_entry_create(actor=None, action="step", detail={"i": i})
    path = tmp_path / "jangkar-2026-12-01.json"
    path.write_text(audit_anchor_create().text(), encoding="utf-8")
    return path


def test_intact_chain_prints_the_count_and_exits_zero() -> None:
    for i in range(3):
        audit_entry_create(actor=None, action="step", detail={"i": i})

    assert verify() == (0, "Rantai utuh: 3 entri diperiksa.\n", "")


def test_broken_chain_names_the_entry_and_exits_one() -> None:
    entries = [audit_entry_create(actor=None, action="step", detail={"i": i}) for i in range(3)]
    tampering.entry_column_set_sql(entries[1].pk, "detail", {"i": 42})

    code, out, err = verify()

    assert code == 1
    assert err.startswith(f"Rantai rusak mulai entri #{entries[1].pk}:")
    assert out == ""


def test_a_matching_anchor_and_digest_pass(anchor_file: Path) -> None:
    audit_entry_create(actor=None, action="after")

    code, out, err = verify("--anchor", str(anchor_file), "--digest", audit_head_get().digest)

    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "Rantai utuh: 5 entri diperiksa."
    assert lines[1].startswith("Jangkar jangkar-2026-12-01.json (")
    assert lines[1].endswith("cocok: 4 entri sampai entri #4 tidak berubah.")
    assert lines[2].startswith("Ringkasan 5:")


def test_truncation_passes_the_chain_but_fails_the_anchor(anchor_file: Path) -> None:
    tampering.entries_delete_from(AuditEntry.objects.order_by("-id").first().pk)

    code, out, err = verify("--anchor", str(anchor_file))

    assert code == 1
    assert out == "Rantai utuh: 3 entri diperiksa.\n"
    assert "entri telah dihapus" in err


def test_an_unreadable_anchor_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "bukan.json").write_text("{}", encoding="utf-8")

    assert verify("--anchor", str(tmp_path / "tidak-ada.json"))[0] == 2
    code, _out, err = verify("--anchor", str(tmp_path / "bukan.json"))
    assert code == 2
    assert "bukan berkas jangkar Payung" in err
    code, _out, err = verify("--digest", "12")
    assert code == 2
    assert "JUMLAH:SIDIK" in err
