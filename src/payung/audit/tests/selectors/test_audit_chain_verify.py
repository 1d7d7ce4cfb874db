"""audit_chain_verify: intact chains pass; an edited or deleted row is found and named."""

from __future__ import annotations

import pytest

from payung.audit.chain import entry_hash
from payung.audit.models import AuditEntry
from payung.audit.selectors import ChainReport, audit_action_list, audit_chain_verify
from payung.audit.services import audit_entry_create
from payung.audit.tests import tampering

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries() -> list[AuditEntry]:
    return [
        audit_entry_create(actor=None, action=f"step_{i}", detail={"count": i}) for i in range(5)
    ]


def test_an_empty_trail_is_intact() -> None:
    report = audit_chain_verify()

    assert report == ChainReport(checked=0)
    assert report.message == "Rantai utuh: 0 entri diperiksa."


def test_an_intact_chain_passes(entries: list[AuditEntry]) -> None:
    report = audit_chain_verify()

    assert report.ok
    assert report.checked == 5
    assert report.message == "Rantai utuh: 5 entri diperiksa."


def test_an_edited_detail_is_found_at_its_row(entries: list[AuditEntry]) -> None:
    tampering.entry_update(entries[2].pk, detail={"count": 999})

    report = audit_chain_verify()

    assert (report.ok, report.broken_id, report.problem, report.checked) == (
        False,
        entries[2].pk,
        "hash",
        2,
    )
    assert report.message.startswith(f"Rantai rusak mulai entri #{entries[2].pk}:")
    assert "telah diubah" in report.message


def test_an_action_edited_with_sql_is_found_at_its_row(entries: list[AuditEntry]) -> None:
    tampering.entry_action_set_sql(entries[3].pk, "nothing_to_see")

    report = audit_chain_verify()

    assert (report.broken_id, report.problem) == (entries[3].pk, "hash")


def test_a_deleted_middle_row_breaks_the_chain_at_the_next(entries: list[AuditEntry]) -> None:
    tampering.entry_delete(entries[2].pk)

    report = audit_chain_verify()

    assert (report.broken_id, report.problem, report.checked) == (entries[3].pk, "prev_hash", 2)
    assert report.message.startswith(f"Rantai rusak mulai entri #{entries[3].pk}:")
    assert "dihapus" in report.message


def test_rehashing_an_edited_row_moves_the_break_to_the_next(entries: list[AuditEntry]) -> None:
    """Someone who edits a row and recomputes its hash still breaks its successor's link."""
    edited = entries[1]
    new_hash = entry_hash(
        prev_hash=edited.prev_hash,
        created_at=edited.created_at,
        actor_username=edited.actor_username,
        action=edited.action,
        object_type=edited.object_type,
        object_id=edited.object_id,
        detail={"count": 999},
    )
    tampering.entry_update(edited.pk, detail={"count": 999}, hash=new_hash)

    report = audit_chain_verify()

    assert (report.broken_id, report.problem) == (entries[2].pk, "prev_hash")


def test_action_list_is_distinct_and_sorted() -> None:
    for action in ("b", "a", "b"):
        audit_entry_create(actor=None, action=action)

    assert audit_action_list() == ["a", "b"]
