"""Login throttling per user and per address (issue 17: a probe sprayed seven usernames from
one address and every attempt was tried)."""

from __future__ import annotations

import pytest
from django.conf import LazySettings
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertTemplateUsed

from payung.conftest import PASSWORD

pytestmark = pytest.mark.django_db

SPRAYER = "203.0.113.7"
OFFICE = "198.51.100.20"
BAD_CREDENTIALS = "Nama pengguna atau kata sandi salah."


def _login(client: Client, username: str, password: str, ip: str) -> HttpResponse:
    return client.post(
        reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_seven_usernames_failing_from_one_address_lock_the_address(
    client: Client, operator_dinsos, settings: LazySettings
) -> None:
    assert settings.PAYUNG_LOGIN_IP_FAILURE_LIMIT == 7
    responses = [_login(client, f"pegawai{i}", "Musim-Hujan-2026", SPRAYER) for i in range(7)]

    assert [r.status_code for r in responses] == [200] * 6 + [429]
    # Locked: even a real user with the right password is refused from that address ...
    locked = _login(client, "operator_dinsos", PASSWORD, SPRAYER)
    assert locked.status_code == 429
    assertTemplateUsed(locked, "accounts/locked.html")
    assertContains(
        locked, "semua percobaan masuk dari alamat jaringan ini ditahan", status_code=429
    )
    assert "_auth_user_id" not in client.session
    # ... but not from another address.
    assert _login(client, "operator_dinsos", PASSWORD, OFFICE).status_code == 302


def test_one_user_still_locks_after_five_failures_without_locking_the_address(
    client: Client, operator_dinsos, operator_dinsos_2
) -> None:
    responses = [_login(client, "operator_dinsos", "salah-sandi-99", OFFICE) for _ in range(5)]

    assert [r.status_code for r in responses] == [200] * 4 + [429]
    assertContains(responses[-1], "untuk akun ini dari alamat ini ditahan", status_code=429)
    assert _login(client, "operator_dinsos", PASSWORD, OFFICE).status_code == 429
    # A colleague at the same office address is not locked out by it.
    assert _login(client, "operator_dinsos_2", PASSWORD, OFFICE).status_code == 302


def test_a_successful_login_does_not_wipe_the_address_count_of_a_spray(
    client: Client, operator_dinsos
) -> None:
    for i in range(6):
        assertContains(_login(client, f"pegawai{i}", "Musim-Hujan-2026", SPRAYER), BAD_CREDENTIALS)
    # An insider's valid login from the spraying address ...
    assert _login(client, "operator_dinsos", PASSWORD, SPRAYER).status_code == 302
    client.logout()

    # ... leaves the six failures counting: the seventh username locks the address.
    assert _login(client, "pegawai6", "Musim-Hujan-2026", SPRAYER).status_code == 429


def test_a_successful_login_forgives_the_users_own_typos(client: Client, operator_dinsos) -> None:
    for _ in range(4):
        assertContains(_login(client, "operator_dinsos", "salah-sandi-99", OFFICE), BAD_CREDENTIALS)
    assert _login(client, "operator_dinsos", PASSWORD, OFFICE).status_code == 302
    client.logout()

    for _ in range(4):
        assertContains(_login(client, "operator_dinsos", "salah-sandi-99", OFFICE), BAD_CREDENTIALS)
