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


# --- the administrator's forms (issue 9) ----------------------------------------------------


def _role_choices() -> list[tuple[str, str]]:
    from payung.accounts.roles import ROLES

    return [(r.code, r.name) for r in ROLES]


class UserAccountForm(forms.Form):
    """Name, role and agency of an account; the role list is roles.py's, the agencies are
    those recorded (the demo and the set-up create them)."""

    full_name = forms.CharField(label=_("Nama lengkap"), max_length=150)
    email = forms.EmailField(label=_("Surel (tidak wajib)"), required=False)
    role = forms.ChoiceField(label=_("Peran"))
    agency = forms.ModelChoiceField(label=_("Instansi"), queryset=None, empty_label=None)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from payung.accounts.models import Agency

        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", _("— pilih peran —")), *_role_choices()]
        self.fields["agency"].queryset = Agency.objects.order_by("name")
        self.fields["agency"].empty_label = _("— pilih instansi —")
        for field in self.fields.values():
            field.error_messages["required"] = _("Wajib diisi.")
        self.fields["email"].error_messages["invalid"] = _("Alamat surel tidak sah.")
        self.fields["agency"].error_messages["invalid_choice"] = _("Pilih instansi dari daftar.")
        self.fields["role"].error_messages["invalid_choice"] = _("Pilih peran dari daftar.")


class UserCreateForm(UserAccountForm):
    """A new account: its username too (letters, digits and ``.``, ``-``, ``_``)."""

    username = forms.RegexField(
        label=_("Nama pengguna"),
        max_length=150,
        regex=r"^[A-Za-z0-9._-]+$",
        help_text=_("Huruf, angka, titik, tanda hubung atau garis bawah; misalnya dinsos.budi."),
    )
    field_order = ["username", "full_name", "email", "role", "agency"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages.update(
            {
                "required": _("Wajib diisi."),
                "invalid": _("Hanya huruf, angka, titik, tanda hubung atau garis bawah."),
                "max_length": _("Paling banyak %(limit_value)d karakter."),
            }
        )


#: The account list's status filter.
STATUS_CHOICES = (
    ("", _("Semua")),
    ("aktif", _("Aktif")),
    ("nonaktif", _("Nonaktif")),
    ("terkunci", _("Terkunci sementara")),
)


class UserFilterForm(forms.Form):
    q = forms.CharField(label=_("Cari nama atau nama pengguna"), required=False, max_length=150)
    role = forms.ChoiceField(label=_("Peran"), required=False)
    agency = forms.ModelChoiceField(label=_("Instansi"), queryset=None, required=False)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=STATUS_CHOICES)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from payung.accounts.models import Agency

        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", _("Semua peran")), *_role_choices()]
        self.fields["agency"].queryset = Agency.objects.order_by("name")
        self.fields["agency"].empty_label = _("Semua instansi")


class LoginHistoryFilterForm(forms.Form):
    username = forms.CharField(label=_("Nama pengguna"), required=False, max_length=150)
    dari = forms.DateField(
        label=_("Dari tanggal"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    sampai = forms.DateField(
        label=_("Sampai tanggal"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("dari", "sampai"):
            self.fields[name].error_messages["invalid"] = _("Tanggal tidak sah.")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("dari"), data.get("sampai")
        if start and end and start > end:
            self.add_error("sampai", _("Tanggal akhir tidak boleh sebelum tanggal awal."))
        return data
