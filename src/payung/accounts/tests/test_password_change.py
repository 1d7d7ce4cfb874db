"""Changing one's own password, and the one-time passwords the demo prints (issue 17).

A demo user's password was printed on a terminal, so until its owner picks a new one every
page sends them to the change page; afterwards they work normally.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects

from payung.accounts.models import User
from payung.accounts.services import agency_get_or_create, demo_users_create, user_create
from payung.audit.models import AuditEntry
from payung.conftest import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "payung-baru-Kuat-2026"
CHANGE_URL = "/akun/kata-sandi/"


def _demo_operator(client: Client) -> tuple[User, str]:
    """The demo's operator pendataan, signed in through the login page with the printed
    one-time password."""
    made = {username: password for username, _role, password in demo_users_create()}
    password = made["dinsos.operator"]
    response = client.post(
        reverse("accounts:login"), {"username": "dinsos.operator", "password": password}
    )
    assert response.status_code == 302
    return User.objects.get(username="dinsos.operator"), password


def test_demo_users_must_change_their_printed_password() -> None:
    demo_users_create()

    assert set(User.objects.values_list("must_change_password", flat=True)) == {True}


def test_demo_user_is_sent_to_change_page_until_they_change_then_reaches_home(
    client: Client,
) -> None:
    user, one_time = _demo_operator(client)

    home = client.get(reverse("web:home"))
    assertRedirects(home, f"{CHANGE_URL}?next=/", fetch_redirect_response=False)
    other = client.get(reverse("registry:year_list"))
    assert other.status_code == 302 and other.url.startswith(CHANGE_URL)
    page = client.get(home.url)
    assertContains(page, "Pilih kata sandi Anda sendiri sebelum melanjutkan")
    assertContains(page, '<label for="id_old_password">Kata sandi lama</label>', html=True)

    response = client.post(
        CHANGE_URL,
        {
            "old_password": one_time,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
            "next": "/",
        },
    )

    assertRedirects(response, "/", fetch_redirect_response=False)
    assert client.get(reverse("web:home")).status_code == 200
    assert client.get(reverse("registry:year_list")).status_code == 200
    user.refresh_from_db()
    assert not user.must_change_password
    assert user.check_password(NEW_PASSWORD)
    assert not user.check_password(one_time)
    assert AuditEntry.objects.filter(action="user_password_change", actor_id=user.pk).exists()


def test_htmx_requests_of_a_user_who_must_change_are_redirected_by_htmx(client: Client) -> None:
    _demo_operator(client)

    response = client.get(reverse("registry:year_list"), headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert response["HX-Redirect"] == CHANGE_URL


def test_the_one_time_password_cannot_be_kept(client: Client) -> None:
    user, one_time = _demo_operator(client)

    response = client.post(
        CHANGE_URL,
        {"old_password": one_time, "new_password1": one_time, "new_password2": one_time},
    )

    assertContains(response, "Kata sandi baru harus berbeda dari kata sandi lama.")
    user.refresh_from_db()
    assert user.must_change_password


def test_wrong_old_password_and_weak_new_one_are_refused_in_indonesian(client: Client) -> None:
    user, _one_time = _demo_operator(client)

    response = client.post(
        CHANGE_URL,
        {"old_password": "bukan-sandinya", "new_password1": "12345", "new_password2": "12345"},
    )

    assertContains(response, "Kata sandi lama salah. Periksa kembali.")
    assertContains(response, "terlalu pendek")
    user.refresh_from_db()
    assert user.must_change_password


def test_any_user_can_change_their_password_from_the_header_link(client: Client) -> None:
    agency = agency_get_or_create(kind="inspektorat", name="Inspektorat")
    user = user_create(
        username="auditor_inspektorat", password=PASSWORD, role="auditor", agency=agency
    )
    client.force_login(user)

    home = client.get(reverse("web:home"))
    assertContains(home, f'<a href="{CHANGE_URL}">Ganti kata sandi</a>', html=True)
    response = client.post(
        CHANGE_URL,
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assertRedirects(response, "/", fetch_redirect_response=False)
    assertContains(client.get("/"), "Kata sandi Anda telah diganti.")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_next_pointing_elsewhere_is_ignored(client: Client) -> None:
    _user, one_time = _demo_operator(client)

    response = client.post(
        CHANGE_URL,
        {
            "old_password": one_time,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
            "next": "https://contoh.invalid/",
        },
    )

    assertRedirects(response, "/", fetch_redirect_response=False)
