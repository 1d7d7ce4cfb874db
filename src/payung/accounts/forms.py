"""The account forms (login, password change, second factor), worded by Payung rather than
by Django's catalogs."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
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


class OwnPasswordChangeForm(PasswordChangeForm):
    """Django's password change form in Payung's words; the new password must differ.

    The change is written by ``user_password_change`` (the view calls it), not by ``save``.
    A new password equal to the old one would leave a one-time password in use.
    """

    error_messages = {
        "password_incorrect": _("Kata sandi lama salah. Periksa kembali."),
        "password_mismatch": _("Kedua isian kata sandi baru tidak sama."),
        "password_unchanged": _("Kata sandi baru harus berbeda dari kata sandi lama."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("Kata sandi lama")
        self.fields["new_password1"].label = _("Kata sandi baru")
        self.fields["new_password1"].help_text = _(
            "Paling sedikit 10 karakter, tidak umum, tidak hanya angka, dan tidak mirip nama "
            "pengguna."
        )
        self.fields["new_password2"].label = _("Ulangi kata sandi baru")
        self.fields["new_password2"].help_text = ""
        for field in self.fields.values():
            field.error_messages["required"] = _("Wajib diisi.")

    def clean_new_password1(self) -> str:
        new = self.cleaned_data.get("new_password1") or ""
        if new and self.user.check_password(new):
            raise forms.ValidationError(
                self.error_messages["password_unchanged"], code="password_unchanged"
            )
        return new


class OtpTokenForm(forms.Form):
    """The six digits an authenticator app shows; spaces a user types are ignored."""

    token = forms.CharField(
        label=_("Kode 6 angka dari aplikasi autentikator"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        error_messages={"required": _("Wajib diisi.")},
    )

    def clean_token(self) -> str:
        token = "".join(self.cleaned_data["token"].split())
        if not (token.isascii() and token.isdigit() and len(token) == 6):
            raise forms.ValidationError(_("Kode terdiri dari 6 angka."), code="format")
        return token
