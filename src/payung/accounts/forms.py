"""The login form, worded by Payung rather than by Django's catalogs."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    """Django's login form with Payung's own labels and error sentences.

    Two reasons not to rely on Django's Indonesian catalog: its invalid-login sentence puts
    the field's name into a sentence that already names it ("Masukkan nama pengguna nama
    pengguna dan sandi yang benar"), and ``LocaleMiddleware`` takes Django's catalog from the
    browser's language, so an English browser would get English errors on an Indonesian page.
    Payung's own strings are written in Indonesian and stay so until Payung ships a catalog.
    """

    error_messages = {
        "invalid_login": _(
            "Nama pengguna atau kata sandi salah. Periksa kembali; huruf besar dan kecil dibedakan."
        ),
        "inactive": _("Akun ini tidak aktif. Hubungi administrator sistem."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Nama pengguna")
        self.fields["password"].label = _("Kata sandi")
        for field in self.fields.values():
            field.error_messages["required"] = _("Wajib diisi.")
        self.fields["username"].error_messages["max_length"] = _(
            "Nama pengguna paling banyak %(limit_value)d karakter."
        )
