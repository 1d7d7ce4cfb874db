"""Logins and failed logins reach the audit trail; a failed one keeps only the username."""

from __future__ import annotations

import json

import pytest
from django.conf import LazySettings
from django.test import Client
from django.urls import reverse

from payung.audit.models import AuditEntry
from payung.audit.selectors import audit_chain_verify
from payung.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _login(client: Client, username: str, password: str) -> None:
    client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_a_login_is_recorded_with_the_user_as_actor(client: Client, operator_dinsos) -> None:
    _login(client, "operator_dinsos", PASSWORD)

    entry = AuditEntry.objects.get(action="user_login")
    assert entry.actor == operator_dinsos
    assert entry.actor_username == "operator_dinsos"
    assert (entry.object_type, entry.object_id) == ("accounts.user", str(operator_dinsos.pk))
    assert audit_chain_verify().ok


@pytest.mark.parametrize("username", ["operator_dinsos", "tidak.ada"])
def test_a_failed_login_keeps_the_username_and_never_the_password(
    client: Client, operator_dinsos, username: str
) -> None:
    _login(client, username, "Rahasia-Sekali-987")

    entry = AuditEntry.objects.get(action="user_login_failed")
    assert entry.detail == {"username": username}
    assert entry.actor is None and entry.actor_username == ""
    stored = json.dumps([entry.detail, entry.object_type, entry.object_id, entry.actor_username])
    assert "Rahasia" not in stored and "*****" not in stored
    assert not AuditEntry.objects.filter(action="user_login").exists()


def test_attempts_refused_by_the_lockout_are_recorded_too(
    client: Client, operator_dinsos, settings: LazySettings
) -> None:
    for _ in range(settings.PAYUNG_LOGIN_FAILURE_LIMIT + 2):
        _login(client, "operator_dinsos", "salah-sandi-99")

    assert AuditEntry.objects.filter(action="user_login_failed").count() == (
        settings.PAYUNG_LOGIN_FAILURE_LIMIT + 2
    )
