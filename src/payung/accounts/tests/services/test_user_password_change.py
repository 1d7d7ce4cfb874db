"""user_password_change: the new password works, the demand to change it is lifted, and the
trail records the change without the password."""

from __future__ import annotations

import json

import pytest

from payung.accounts.services import agency_get_or_create, user_create, user_password_change
from payung.audit.models import AuditEntry
from payung.conftest import PASSWORD

pytestmark = pytest.mark.django_db

NEW = "payung-baru-Kuat-2026"


def test_the_new_password_replaces_a_one_time_one_and_is_audited_without_it() -> None:
    agency = agency_get_or_create(kind="dinsos", name="Dinas Sosial")
    user = user_create(
        username="dinsos.operator",
        password=PASSWORD,
        role="operator_pendataan",
        agency=agency,
        must_change_password=True,
    )

    user_password_change(user=user, new_password=NEW)

    user.refresh_from_db()
    assert user.check_password(NEW)
    assert not user.check_password(PASSWORD)
    assert not user.must_change_password
    entry = AuditEntry.objects.get(action="user_password_change")
    assert entry.object_id == str(user.pk)
    assert NEW not in json.dumps(entry.detail)
