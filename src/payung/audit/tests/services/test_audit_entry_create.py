"""audit_entry_create appends one linked entry; concurrent writers keep the chain a line."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction

from payung.audit.chain import GENESIS
from payung.audit.models import AuditEntry
from payung.audit.selectors import ChainReport, audit_chain_verify
from payung.audit.services import audit_entry_create


def test_each_entry_links_to_the_one_before(db: None, operator_dinsos) -> None:
    first = audit_entry_create(actor=operator_dinsos, action="a", detail={"n": 1})
    second = audit_entry_create(actor=None, action="b", target=operator_dinsos)
    third = audit_entry_create(actor=operator_dinsos, action="c")

    assert first.prev_hash == GENESIS
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    assert (first.actor, first.actor_username, first.detail) == (
        operator_dinsos,
        "operator_dinsos",
        {"n": 1},
    )
    assert (second.object_type, second.object_id) == ("accounts.user", str(operator_dinsos.pk))
    assert second.actor is None and second.actor_username == ""
    assert third.detail == {}
    assert [first.pk, second.pk, third.pk] == [1, 2, 3]  # gapless: a deletion leaves a hole


def test_the_mac_needs_the_key(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same entry written under two keys gets two MACs, so whoever lacks the key cannot
    produce a MAC the check accepts."""
    monkeypatch.setenv("PAYUNG_AUDIT_KEY", "a" * 40)
    under_a = audit_entry_create(actor=None, action="x")
    assert audit_chain_verify().ok

    monkeypatch.setenv("PAYUNG_AUDIT_KEY", "b" * 40)

    assert audit_chain_verify().broken_id == under_a.pk


def test_interleaved_writers_and_a_rollback_keep_one_line(db: None) -> None:
    """Two writers taking turns, and a write rolled back in the middle: the rolled-back entry
    disappears with its transaction and the next one chains onto the last committed entry.

    This is the SQLite stand-in for the threaded test below: pytest-django's SQLite test
    database is in memory with a shared cache, where concurrent connections fail at once with
    "database table is locked" instead of waiting as Payung's file database (WAL, BEGIN
    IMMEDIATE, 30 s timeout) does, so threads there test the test set-up, not Payung.
    """
    for i in range(20):
        audit_entry_create(actor=None, action="x", detail={"i": i})
        audit_entry_create(actor=None, action="y", detail={"i": i})
        if i == 10:
            with pytest.raises(RuntimeError), transaction.atomic():
                audit_entry_create(actor=None, action="rolled_back")
                raise RuntimeError

    entries = list(AuditEntry.objects.order_by("id"))
    assert [e.action for e in entries] == ["x", "y"] * 20
    assert [e.prev_hash for e in entries] == [GENESIS, *(e.hash for e in entries[:-1])]
    assert audit_chain_verify() == ChainReport(checked=40)


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite's in-memory test database refuses concurrent writers instead of queueing "
    "them; see test_interleaved_writers_and_a_rollback_keep_one_line. Runs on PostgreSQL.",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_never_fork_the_chain() -> None:
    """Two threads appending 20 entries each. Without the append lock PostgreSQL forked the
    chain here (several entries sharing one predecessor); with it the chain is one line."""
    per_thread = 20
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def append(name: str) -> None:
        try:
            start.wait()
            for i in range(per_thread):
                audit_entry_create(actor=None, action=name, detail={"i": i})
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=append, args=(n,)) for n in ("x", "y")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert not errors, errors
    entries = list(AuditEntry.objects.order_by("id"))
    assert len(entries) == 2 * per_thread
    assert [e.prev_hash for e in entries] == [GENESIS, *(e.hash for e in entries[:-1])]
    assert audit_chain_verify().ok


def test_a_writes_pending_key_checks_are_made_before_the_trail_is_locked(
    db: None, operator_dinsos
) -> None:
    """PostgreSQL checks Django's foreign keys at commit; the trail's lock is held until
    then, and an import's million rows took 1.1-1.7 s to check while every audited page
    view waited (issue 16). The entry makes the checks first: a broken key fails there,
    before the lock, not at the commit."""
    from django.db import IntegrityError

    from payung.registry.tests.factories import DtsenImportFactory

    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer and no lock to hold; its keys are checked at once")
    dtsen_import = DtsenImportFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO registry_household (dtsen_import_id, no_kk, kode_desa, alamat) "
                "VALUES (%s, '3601010101010001', '3601010001', '')",
                [dtsen_import.pk + 1_000],
            )
        audit_entry_create(actor=operator_dinsos, action="uji_kunci", detail={})
        pytest.fail("the broken key went unnoticed past the audit entry")
    assert not AuditEntry.objects.filter(action="uji_kunci").exists()
