"""``payung manage audit_anchor``: records an anchor entry, writes the signed head once."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from payung.audit.anchors import anchor_parse
from payung.audit.models import AuditEntry
from payung.audit.services import audit_entry_create
from payung.audit.tests import tampering

pytestmark = pytest.mark.django_db


def anchor(*args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("audit_anchor", *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_writes_the_file_and_says_what_it_holds(tmp_path: Path) -> None:
    for i in range(1233):
        audit_entry_create(actor=None, action="step", detail={"i": i})
    path = tmp_path / "jangkar.json"

    code, out, _err = anchor("--out", str(path))

    head = AuditEntry.objects.order_by("-id").first()
    saved = anchor_parse(text=path.read_text(encoding="utf-8"))
    assert code == 0
    assert (head.action, saved.count, saved.last_id, saved.last_mac) == (
        "audit_anchor",
        1234,
        head.pk,
        head.hash,
    )
    assert out.startswith(f"Jangkar ditulis ke {path}: 1.234 entri sampai entri #1234, sidik ")
    assert "Inspektorat" in out


def test_without_out_the_anchor_goes_to_stdout() -> None:
    code, out, _err = anchor()

    assert code == 0
    assert anchor_parse(text=out).count == 1


def test_an_existing_file_is_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "jangkar.json"
    path.write_text("lama", encoding="utf-8")

    code, _out, err = anchor("--out", str(path))

    assert code == 2
    assert "sudah ada" in err
    assert path.read_text(encoding="utf-8") == "lama"
    assert not AuditEntry.objects.exists()


def test_a_broken_chain_is_not_anchored(tmp_path: Path) -> None:
    entries = [audit_entry_create(actor=None, action="step") for _ in range(2)]
    tampering.entry_column_set_sql(entries[0].pk, "actor_username", "orang_lain")

    code, _out, err = anchor("--out", str(tmp_path / "jangkar.json"))

    assert code == 1
    assert "Jangkar tidak dibuat" in err
    assert not (tmp_path / "jangkar.json").exists()
