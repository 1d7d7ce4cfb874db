"""audit_chain_verify: intact chains pass; every field is covered by the keyed MAC, so an edit
made with SQL is found at its row, even when every later MAC is recomputed without the key."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import timedelta

import pytest

from payung.audit.models import AuditEntry
from payung.audit.selectors import ChainReport, audit_action_list, audit_chain_verify
from payung.audit.services import audit_entry_create
from payung.audit.tests import tampering

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries(operator_dinsos) -> list[AuditEntry]:
    return [
        audit_entry_create(
            actor=operator_dinsos, action=f"step_{i}", target=operator_dinsos, detail={"count": i}
        )
        for i in range(5)
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
    tampering.entry_column_set_sql(entries[2].pk, "detail", {"count": 999})

    report = audit_chain_verify()

    assert (report.ok, report.broken_id, report.problem, report.checked) == (
        False,
        entries[2].pk,
        "hash",
        2,
    )
    assert report.message.startswith(f"Rantai rusak mulai entri #{entries[2].pk}:")
    assert "telah diubah" in report.message


def test_a_changed_actor_id_alone_is_found(entries: list[AuditEntry], operator_dinsos_2) -> None:
    """The probe's finding: the old hash covered only the username, so pinning an action on
    another user by changing actor_id went unnoticed."""
    tampering.entry_column_set_sql(entries[1].pk, "actor_id", operator_dinsos_2.pk)

    report = audit_chain_verify()

    assert (report.broken_id, report.problem) == (entries[1].pk, "hash")


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("actor_id", None),
        ("actor_username", "operator_lain"),
        ("action", "nothing_to_see"),
        ("object_type", "accounts.agency"),
        ("object_id", "77"),
        ("detail", {"count": 3, "extra": True}),
    ],
)
def test_every_field_is_covered(entries: list[AuditEntry], column: str, value: object) -> None:
    tampering.entry_column_set_sql(entries[3].pk, column, value)

    report = audit_chain_verify()

    assert (report.broken_id, report.problem, report.checked) == (entries[3].pk, "hash", 3)


def test_a_moved_time_is_found(entries: list[AuditEntry]) -> None:
    tampering.entry_update(entries[3].pk, created_at=entries[3].created_at - timedelta(hours=5))

    assert audit_chain_verify().broken_id == entries[3].pk


def test_a_renumbered_entry_is_found(entries: list[AuditEntry]) -> None:
    """The id is MACed too: moving the last entry to another id breaks it, although its
    links to its predecessor are untouched."""
    tampering.entry_column_set_sql(entries[4].pk, "id", entries[4].pk + 10)

    report = audit_chain_verify()

    assert (report.broken_id, report.problem) == (entries[4].pk + 10, "hash")


def test_a_deleted_middle_row_breaks_the_chain_at_the_next(entries: list[AuditEntry]) -> None:
    tampering.entry_delete(entries[2].pk)

    report = audit_chain_verify()

    assert (report.broken_id, report.problem, report.checked) == (entries[3].pk, "prev_hash", 2)
    assert report.message.startswith(f"Rantai rusak mulai entri #{entries[3].pk}:")
    assert "dihapus" in report.message


@pytest.mark.parametrize(
    "mac",
    [tampering.sha256_without_key, tampering.hmac_with(b"tebakan-kunci-penyerang-" * 2)],
    ids=["sha256", "guessed_key"],
)
def test_an_edit_with_every_later_mac_recomputed_without_the_key_is_found(
    entries: list[AuditEntry], mac: Callable[..., str]
) -> None:
    """The probe's finding: with a plain hash chain, editing an entry and recomputing every
    later hash with SQL left a chain that verified. Without the key the edited row fails."""
    tampering.chain_rewrite_sql(entries[1].pk, detail={"count": 999}, mac=mac)
    rows = list(AuditEntry.objects.order_by("id"))
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(rows))

    report = audit_chain_verify()

    assert (report.broken_id, report.problem, report.checked) == (entries[1].pk, "hash", 1)


def test_a_chain_checked_with_another_key_fails_at_the_first_entry_and_says_why(
    entries: list[AuditEntry], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAYUNG_AUDIT_KEY", "k" * 40)

    report = audit_chain_verify()

    assert (report.broken_id, report.problem) == (entries[0].pk, "hash")
    assert "PAYUNG_AUDIT_KEY" in report.message


def test_action_list_is_distinct_and_sorted() -> None:
    for action in ("b", "a", "b"):
        audit_entry_create(actor=None, action=action)

    assert audit_action_list() == ["a", "b"]
