"""audit_entries_create appends a batch as the same chain one call per item would."""

from __future__ import annotations

import pytest
from django.db import transaction

from payung.audit.chain import GENESIS
from payung.audit.models import AuditEntry
from payung.audit.selectors import audit_chain_verify
from payung.audit.services import AuditItem, audit_entries_create, audit_entry_create


def test_a_batch_continues_the_chain_one_entry_per_item(db: None, operator_dinsos) -> None:
    before = audit_entry_create(actor=None, action="before")
    batch = audit_entries_create(
        actor=operator_dinsos,
        items=[
            AuditItem(action="card_deliver", target=operator_dinsos, detail={"n": i})
            for i in range(3)
        ],
    )
    after = audit_entry_create(actor=None, action="after")

    stored = list(AuditEntry.objects.order_by("id"))
    assert [e.pk for e in stored] == [1, 2, 3, 4, 5]  # gapless, in the items' order
    assert [e.action for e in stored] == ["before", *["card_deliver"] * 3, "after"]
    assert [e.detail for e in stored[1:4]] == [{"n": 0}, {"n": 1}, {"n": 2}]
    assert {(e.actor_id, e.actor_username) for e in stored[1:4]} == {
        (operator_dinsos.pk, "operator_dinsos")
    }
    assert {(e.object_type, e.object_id) for e in stored[1:4]} == {
        ("accounts.user", str(operator_dinsos.pk))
    }
    # Each entry links to the one before it, across the batch's edges.
    assert [e.prev_hash for e in stored] == [GENESIS, *[e.hash for e in stored[:-1]]]
    assert [e.hash for e in batch] == [e.hash for e in stored[1:4]]
    assert stored[0].hash == before.hash and stored[4].hash == after.hash
    assert audit_chain_verify().ok and audit_chain_verify().checked == 5


def test_each_stored_entry_carries_the_mac_of_its_own_fields(db: None) -> None:
    """What is stored is what was MACed: recomputing from the stored row gives its hash (so
    the id, the time to the microsecond and the previous MAC were fixed before the write)."""
    audit_entries_create(
        actor=None, items=[AuditItem(action="x", detail={"i": i}) for i in range(4)]
    )
    report = audit_chain_verify()  # recomputes each stored row's MAC from its fields
    assert report.ok and report.checked == 4


def test_an_empty_batch_writes_nothing(db: None) -> None:
    assert audit_entries_create(actor=None, items=[]) == []
    assert not AuditEntry.objects.exists()


def test_a_rolled_back_batch_vanishes_and_the_next_entry_chains_on(db: None) -> None:
    first = audit_entry_create(actor=None, action="kept")
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_entries_create(actor=None, items=[AuditItem(action="lost")] * 3)
        raise RuntimeError
    nxt = audit_entry_create(actor=None, action="next")

    assert nxt.pk == first.pk + 1 and nxt.prev_hash == first.hash
    assert list(AuditEntry.objects.values_list("action", flat=True)) == ["kept", "next"]
    assert audit_chain_verify().ok


def test_a_batch_over_one_insert_statement_keeps_the_line(db: None) -> None:
    audit_entries_create(actor=None, items=[AuditItem(action="x")] * 1201)
    assert AuditEntry.objects.count() == 1201
    assert audit_chain_verify().ok
