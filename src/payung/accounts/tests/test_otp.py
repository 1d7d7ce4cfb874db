"""The second factor (TOTP, django-otp) for roles that unmask NIKs, pay or hand out roles.

With ``PAYUNG_OTP_REQUIRED`` on, such a user is sent to enrol a device and, once enrolled,
to verify it in every new session before any other page; a role without those
permissions is never asked. Codes are computed here from the device's key, as an
authenticator app would.
"""

from __future__ import annotations

import time

import pytest
from django.conf import LazySettings
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from pytest_django.asserts import assertContains, assertRedirects

from payung.accounts.selectors import user_needs_second_factor
from payung.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

ENROL_URL = "/akun/dua-langkah/daftar/"
VERIFY_URL = "/akun/dua-langkah/"


@pytest.fixture(autouse=True)
def otp_on(settings: LazySettings) -> None:
    settings.PAYUNG_OTP_REQUIRED = True


def _code(device: TOTPDevice, *, offset_steps: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + offset_steps * device.step
    return f"{totp.token():06d}"


def _wrong(code: str) -> str:
    return f"{(int(code) + 500_000) % 1_000_000:06d}"


def test_operator_who_may_unmask_is_sent_to_enrol_and_a_correct_code_lets_them_in(
    client: Client, operator_dinsos
) -> None:
    client.force_login(operator_dinsos)

    response = client.get(reverse("registry:year_list"))

    assertRedirects(
        response,
        f"{ENROL_URL}?next=%2Fpendataan%2F",
        fetch_redirect_response=False,
    )
    page = client.get(response.url)
    assertContains(page, "Aktifkan verifikasi dua langkah")
    assertContains(page, "<svg")  # the QR, inline: no image request, nothing for the CSP
    assert page["Cache-Control"].startswith("max-age=0")
    device = TOTPDevice.objects.get(user=operator_dinsos)
    assert not device.confirmed

    wrong = client.post(ENROL_URL, {"token": _wrong(_code(device))})
    assertContains(wrong, "Kode salah atau sudah kedaluwarsa")
    assert client.get(reverse("web:home")).status_code == 302

    # django-otp throttles after a failure: wait out the delay instead of sleeping.
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    device.refresh_from_db()
    ok = client.post(ENROL_URL, {"token": _code(device), "next": "/pendataan/"})

    assertRedirects(ok, "/pendataan/", fetch_redirect_response=False)
    assert client.get(reverse("registry:year_list")).status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEntry.objects.filter(action="otp_device_enrol").count() == 1


def test_enrolled_user_must_verify_in_each_new_session_and_a_wrong_code_is_refused(
    client: Client, operator_disnaker
) -> None:
    device = TOTPDevice.objects.create(user=operator_disnaker, name="Payung", confirmed=True)
    client.force_login(operator_disnaker)

    response = client.get(reverse("web:home"))
    assert response.status_code == 302 and response.url.startswith(VERIFY_URL)
    # The enrolment page cannot be used to add a second, attacker-held device.
    assert client.get(ENROL_URL).url.startswith(VERIFY_URL)

    wrong = client.post(VERIFY_URL, {"token": _wrong(_code(device)), "next": "/"})
    assertContains(wrong, "Kode salah atau sudah kedaluwarsa")
    assert client.get(reverse("web:home")).status_code == 302
    assert AuditEntry.objects.filter(action="otp_verify_failed").count() == 1

    # django-otp throttles after a failure: wait out the delay instead of sleeping.
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    device.refresh_from_db()
    ok = client.post(VERIFY_URL, {"token": _code(device), "next": "/"})

    assertRedirects(ok, "/", fetch_redirect_response=False)
    assert client.get(reverse("web:home")).status_code == 200


def test_a_code_cannot_be_used_twice(client: Client, operator_disnaker) -> None:
    device = TOTPDevice.objects.create(user=operator_disnaker, name="Payung", confirmed=True)
    code = _code(device)
    client.force_login(operator_disnaker)
    assert client.post(VERIFY_URL, {"token": code}).status_code == 302

    other = Client()
    other.force_login(operator_disnaker)
    again = other.post(VERIFY_URL, {"token": code})

    assertContains(again, "Kode salah atau sudah kedaluwarsa")


def test_a_role_without_those_permissions_is_not_asked(
    client: Client, auditor_inspektorat, anggota_tim
) -> None:
    for user in (auditor_inspektorat, anggota_tim):
        assert not user_needs_second_factor(user=user)
        client.force_login(user)
        assert client.get(reverse("web:home")).status_code == 200
    assert not TOTPDevice.objects.exists()


@pytest.mark.parametrize(
    "persona",
    [
        "operator_dinsos",
        "verifikator_dukcapil",
        "operator_disnaker",
        "admin_kominfo",
        # Records and confirms SP2D payments (contributions.record_payment).
        "bendahara_disnaker",
    ],
)
def test_roles_that_unmask_download_annexes_or_grant_roles_need_it(
    persona: str, request: pytest.FixtureRequest
) -> None:
    assert user_needs_second_factor(user=request.getfixturevalue(persona))


def test_off_means_nobody_is_asked(client: Client, operator_dinsos, settings: LazySettings) -> None:
    settings.PAYUNG_OTP_REQUIRED = False
    client.force_login(operator_dinsos)

    assert client.get(reverse("web:home")).status_code == 200


def test_production_settings_turn_it_on_unless_the_environment_says_otherwise(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from payung.web.tests.production import production_settings

    assert production_settings(monkeypatch)["PAYUNG_OTP_REQUIRED"] is True
    monkeypatch.setenv("PAYUNG_OTP_REQUIRED", "0")
    assert production_settings(monkeypatch)["PAYUNG_OTP_REQUIRED"] is False


def test_verify_page_without_a_device_points_to_enrolment(
    client: Client, operator_dinsos, auditor_inspektorat
) -> None:
    client.force_login(auditor_inspektorat)
    page = client.get(VERIFY_URL)
    assertContains(page, "Akun Anda belum memakai verifikasi dua langkah.")
    assertContains(page, f'href="{ENROL_URL}"')

    client.force_login(operator_dinsos)
    response = client.get(VERIFY_URL)

    assert response.status_code == 302 and response.url.startswith(ENROL_URL)


def test_demo_user_with_a_second_factor_due_changes_the_password_then_enrols(
    client: Client,
) -> None:
    from payung.accounts.services import demo_users_create

    password = {u: p for u, _r, p in demo_users_create()}["dukcapil.verifikator"]
    client.post(
        reverse("accounts:login"), {"username": "dukcapil.verifikator", "password": password}
    )

    first = client.get(reverse("web:home"))
    assert first.url.startswith("/akun/kata-sandi/")
    new = "payung-baru-Kuat-2026"
    client.post(
        "/akun/kata-sandi/",
        {"old_password": password, "new_password1": new, "new_password2": new},
    )

    assert client.get(reverse("web:home")).url.startswith(ENROL_URL)
