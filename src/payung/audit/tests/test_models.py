"""AuditEntry refuses every change the application could make, and forks in the database."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from payung.audit.models import AuditEntry
from payung.audit.services import audit_entry_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry() -> AuditEntry:
    return audit_entry_create(actor=None, action="original", detail={"n": 1})


def test_saving_an_existing_entry_is_refused(entry: AuditEntry) -> None:
    entry.action = "forged"

    with pytest.raises(PermissionError):
        entry.save()

    assert AuditEntry.objects.get(pk=entry.pk).action == "original"


def test_deleting_an_entry_is_refused(entry: AuditEntry) -> None:
    with pytest.raises(PermissionError):
        entry.delete()

    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_bulk_update_and_delete_are_refused(entry: AuditEntry) -> None:
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="forged")
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()

    assert AuditEntry.objects.get(pk=entry.pk).action == "original"


def test_the_database_refuses_a_second_entry_on_the_same_predecessor(
    entry: AuditEntry,
) -> None:
    audit_entry_create(actor=None, action="next")
    fork = AuditEntry(
        id=entry.pk + 100,  # a free id: only the shared predecessor can be refused
        created_at=entry.created_at,
        action="fork",
        prev_hash=entry.hash,
        hash="f" * 64,
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        fork.save()
