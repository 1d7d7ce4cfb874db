"""The administrator's services on accounts (issue 9): create, change, deactivate, reset the
password or the second factor, unlock after throttling; each audited, no password in the
trail."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from payung.accounts.models import Agency, User
from payung.accounts.selectors import user_is_locked, user_role_code
from payung.accounts.services import (
    agency_get_or_create,
    user_deactivate,
    user_password_reset,
    user_reactivate,
    user_register,
    user_second_factor_reset,
    user_unlock,
    user_update,
)
from payung.audit.models import AuditEntry
from payung.conftest import PASSWORD

pytestmark = pytest.mark.django_db

OFFICE = "198.51.100.20"


def _dinsos() -> Agency:
    return agency_get_or_create(kind="dinsos", name="Dinas Sosial Kabupaten Pandeglang")


def _logs_in(username: str, password: str) -> Client | None:
    """Through the login page (axes needs the request): the signed-in client, or None."""
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": username, "password": password})
    return client if response.status_code == 302 else None


def _entry(action: str) -> AuditEntry:
    return AuditEntry.objects.filter(action=action).latest("id")


def test_an_administrator_creates_an_account_with_a_one_time_password(admin_kominfo) -> None:
    user, password = user_register(
        actor=admin_kominfo,
        username="dinsos.siti",
        full_name="Siti Rahmawati",
        role="operator_pendataan",
        agency=_dinsos(),
    )

    assert user.check_password(password) and len(password) >= 14
    assert user.must_change_password is True
    assert user_role_code(user=user) == "operator_pendataan"
    assert user.has_perm("registry.import_extract")
    entry = _entry("user_register")
    assert entry.actor == admin_kominfo and entry.object_id == str(user.pk)
    assert entry.detail["role"] == "Operator Pendataan"
    assert password not in json.dumps(entry.detail)
    # The owner is sent to choose their own password before any other page.
    client = _logs_in("dinsos.siti", password)
    assert client is not None
    response = client.get(reverse("web:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:password_change"))


def test_only_an_administrator_creates_accounts_and_a_username_is_taken_once(
    admin_kominfo, operator_dinsos
) -> None:
    with pytest.raises(PermissionDenied):
        user_register(
            actor=operator_dinsos,
            username="teman",
            full_name="Teman",
            role="admin",
            agency=_dinsos(),
        )
    with pytest.raises(ValidationError, match="sudah dipakai"):
        user_register(
            actor=admin_kominfo,
            username="OPERATOR_DINSOS",
            full_name="Kembar",
            role="auditor",
            agency=_dinsos(),
        )
    assert not User.objects.filter(username="teman").exists()


def test_role_and_agency_change_and_the_last_administrator_keeps_the_role(
    admin_kominfo, operator_dinsos
) -> None:
    inspektorat = agency_get_or_create(kind="inspektorat", name="Inspektorat")
    user_update(
        actor=admin_kominfo,
        user=operator_dinsos,
        full_name="Budi",
        role="auditor",
        agency=inspektorat,
    )
    operator_dinsos = User.objects.get(pk=operator_dinsos.pk)
    assert user_role_code(user=operator_dinsos) == "auditor"
    assert operator_dinsos.agency == inspektorat
    assert operator_dinsos.has_perm("audit.view_auditentry")
    assert not operator_dinsos.has_perm("registry.import_extract")
    assert _entry("user_update").detail["role"] == "Operator Pendataan → Auditor Inspektorat"

    with pytest.raises(ValidationError, match="administrator aktif terakhir"):
        user_update(
            actor=admin_kominfo,
            user=admin_kominfo,
            full_name="",
            role="auditor",
            agency=inspektorat,
        )
    assert user_role_code(user=User.objects.get(pk=admin_kominfo.pk)) == "admin"


def test_deactivate_keeps_the_account_stops_the_login_and_spares_self_and_last_admin(
    admin_kominfo, operator_dinsos
) -> None:
    user_deactivate(actor=admin_kominfo, user=operator_dinsos)

    assert User.objects.filter(pk=operator_dinsos.pk, is_active=False).exists()
    assert _logs_in("operator_dinsos", PASSWORD) is None
    assert _entry("user_deactivate").object_id == str(operator_dinsos.pk)
    with pytest.raises(ValidationError, match="akun Anda sendiri"):
        user_deactivate(actor=admin_kominfo, user=admin_kominfo)

    second, _pw = user_register(
        actor=admin_kominfo,
        username="kominfo.admin2",
        full_name="Admin Dua",
        role="admin",
        agency=admin_kominfo.agency,
    )
    user_deactivate(actor=second, user=admin_kominfo)  # another admin remains: allowed
    user_reactivate(actor=second, user=admin_kominfo)
    user_deactivate(actor=admin_kominfo, user=second)
    # Now admin_kominfo is the last: a second admin cannot be made to remove them.
    with pytest.raises(ValidationError, match="administrator aktif terakhir"):
        user_deactivate(actor=second, user=admin_kominfo)

    user_reactivate(actor=admin_kominfo, user=operator_dinsos)
    assert _logs_in("operator_dinsos", PASSWORD) is not None


def test_a_password_reset_replaces_the_password_and_never_reaches_the_trail(
    admin_kominfo, operator_dinsos
) -> None:
    password = user_password_reset(actor=admin_kominfo, user=operator_dinsos)

    operator_dinsos.refresh_from_db()
    assert not operator_dinsos.check_password(PASSWORD)
    assert operator_dinsos.check_password(password)
    assert operator_dinsos.must_change_password is True
    entry = _entry("user_password_reset")
    assert password not in json.dumps(entry.detail)
    assert "password" not in entry.detail


def test_unlock_lifts_a_lockout_made_by_failed_logins_through_the_login_page(
    client: Client, admin_kominfo, operator_dinsos
) -> None:
    url = reverse("accounts:login")
    wrong = {"username": "operator_dinsos", "password": "salah-sandi-99"}
    responses = [client.post(url, wrong, REMOTE_ADDR=OFFICE) for _ in range(5)]
    assert responses[-1].status_code == 429
    right = {"username": "operator_dinsos", "password": PASSWORD}
    assert client.post(url, right, REMOTE_ADDR=OFFICE).status_code == 429
    assert user_is_locked(user=operator_dinsos)

    removed = user_unlock(actor=admin_kominfo, user=operator_dinsos)

    assert removed >= 1
    assert not user_is_locked(user=operator_dinsos)
    assert client.post(url, right, REMOTE_ADDR=OFFICE).status_code == 302
    entry = AuditEntry.objects.filter(action="user_unlock").latest("id")
    assert entry.actor == admin_kominfo and entry.detail["attempts"] == removed


def test_a_lost_phone_removes_the_device_and_issues_a_temporary_password(
    admin_kominfo, operator_dinsos
) -> None:
    TOTPDevice.objects.create(user=operator_dinsos, name="Payung", confirmed=True)

    password = user_second_factor_reset(actor=admin_kominfo, user=operator_dinsos)

    assert not TOTPDevice.objects.filter(user=operator_dinsos).exists()
    operator_dinsos.refresh_from_db()
    assert operator_dinsos.check_password(password) and operator_dinsos.must_change_password
    entry = _entry("user_second_factor_reset")
    assert entry.detail["devices"] == 1 and password not in json.dumps(entry.detail)
