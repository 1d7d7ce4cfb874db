"""LoginForm words its own errors in Indonesian, whatever the browser asks for."""

from __future__ import annotations

import pytest
from django.contrib.auth.forms import AuthenticationForm
from django.test import RequestFactory
from django.utils import translation

from payung.accounts.forms import LoginForm

pytestmark = pytest.mark.django_db


def test_djangos_catalog_is_indonesian_but_follows_the_active_language() -> None:
    """Why LoginForm exists: Django's own sentence is Indonesian only while "id" is active
    (LocaleMiddleware activates the browser's language), and doubles the field's name."""
    with translation.override("id"):
        indonesian = AuthenticationForm.error_messages["invalid_login"] % {
            "username": "nama pengguna"
        }
    with translation.override("en"):
        english = str(AuthenticationForm.error_messages["invalid_login"])

    assert indonesian.startswith("Masukkan nama pengguna nama pengguna")
    assert english.startswith("Please enter a correct")


@pytest.mark.parametrize("language", ["id", "en"])
def test_wrong_password_is_reported_in_indonesian(operator_dinsos, language: str) -> None:
    request = RequestFactory().post("/akun/masuk/")
    with translation.override(language):
        form = LoginForm(request, data={"username": "operator_dinsos", "password": "keliru-123"})
        assert not form.is_valid()
        errors = [str(e) for e in form.non_field_errors()]

    assert errors == [
        "Nama pengguna atau kata sandi salah. Periksa kembali; huruf besar dan kecil dibedakan."
    ]


@pytest.mark.parametrize("language", ["id", "en"])
def test_empty_fields_are_reported_in_indonesian(language: str) -> None:
    with translation.override(language):
        form = LoginForm(data={})
        assert not form.is_valid()
        errors = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
        labels = [str(f.label) for f in form]

    assert errors == {"username": ["Wajib diisi."], "password": ["Wajib diisi."]}
    assert labels == ["Nama pengguna", "Kata sandi"]


def test_inactive_account_is_reported_in_indonesian(operator_dinsos) -> None:
    form = LoginForm()
    with translation.override("en"):
        message = str(form.error_messages["inactive"])

    assert message == "Akun ini tidak aktif. Hubungi administrator sistem."
