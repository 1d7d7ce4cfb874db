"""The pages accounts/urls.py serves: login, its errors, and django-axes' lockout page."""

from __future__ import annotations

import pytest
from django.conf import LazySettings
from django.http import HttpResponse
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertTemplateUsed

from payung.conftest import PASSWORD

pytestmark = pytest.mark.django_db
BAD_CREDENTIALS = "Nama pengguna atau kata sandi salah."


def _login(client: Client, password: str, **headers: str) -> HttpResponse:
    return client.post(
        reverse("accounts:login"),
        {"username": "operator_dinsos", "password": password},
        headers=headers,
    )


def test_login_page_has_labelled_indonesian_fields(client: Client) -> None:
    response = client.get(reverse("accounts:login"))

    assertTemplateUsed(response, "accounts/login.html")
    assertContains(response, '<label for="id_username">Nama pengguna</label>', html=True)
    assertContains(response, '<label for="id_password">Kata sandi</label>', html=True)
    assertContains(response, 'autocomplete="current-password"')
    assertContains(response, '<button type="submit">Masuk</button>', html=True)


def test_good_credentials_sign_in_and_go_home(client: Client, operator_dinsos) -> None:
    response = _login(client, PASSWORD)

    assert response.status_code == 302
    assert response.url == resolve_url("web:home")
    assert client.session["_auth_user_id"] == str(operator_dinsos.pk)


@pytest.mark.parametrize("accept_language", ["id", "en-US,en;q=0.9", "fr"])
def test_bad_credentials_show_an_indonesian_alert(
    client: Client, operator_dinsos, accept_language: str
) -> None:
    response = _login(client, "salah-sandi-99", accept_language=accept_language)

    assert response.status_code == 200
    assertContains(response, 'role="alert"')
    assertContains(response, BAD_CREDENTIALS)
    assertNotContains(response, "Please enter")
    assert "_auth_user_id" not in client.session


def test_axes_locks_after_the_failure_limit_and_shows_the_locked_page(
    client: Client, operator_dinsos, settings: LazySettings
) -> None:
    limit = settings.PAYUNG_LOGIN_FAILURE_LIMIT
    for _ in range(limit - 1):
        assertContains(_login(client, "salah-sandi-99"), BAD_CREDENTIALS)

    locked = _login(client, "salah-sandi-99", accept_language="en")

    assert locked.status_code == 429
    assertTemplateUsed(locked, "accounts/locked.html")
    minutes = round(settings.AXES_COOLOFF_TIME * 60)
    assertContains(locked, "Terlalu banyak percobaan masuk yang gagal", status_code=429)
    assertContains(locked, f"coba lagi dalam {minutes} menit", status_code=429)
    assertContains(locked, "administrator sistem dapat membuka kunci akun Anda", status_code=429)
    # Even the right password is refused while locked.
    assert _login(client, PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


def test_logout_signs_out(client: Client, operator_dinsos) -> None:
    client.force_login(operator_dinsos)

    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 302
    assert response.url == resolve_url("accounts:login")
    assert "_auth_user_id" not in client.session
