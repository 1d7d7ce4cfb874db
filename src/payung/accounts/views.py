"""Account pages: change one's own password, enrol and verify the second factor.

Views stay thin: a form checks the input, one service writes, the page is rendered.
"""

from __future__ import annotations

from base64 import b32encode
from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login

from payung.accounts.forms import OtpTokenForm, OwnPasswordChangeForm
from payung.accounts.selectors import otp_device_confirmed_get
from payung.accounts.services import (
    otp_device_confirm,
    otp_device_enrol_start,
    otp_token_verify,
    user_password_change,
)


def _next_url(request: HttpRequest) -> str:
    """Where the user was going before the gate stopped them; home if unsafe or unknown."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return str(reverse_lazy("web:home"))


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change page, written through ``user_password_change``."""

    form_class = OwnPasswordChangeForm
    template_name = "accounts/password_change.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["next"] = _next_url(self.request)
        return context

    def form_valid(self, form: OwnPasswordChangeForm) -> HttpResponse:
        user = user_password_change(user=form.user, new_password=form.cleaned_data["new_password1"])
        # Keeps this session signed in (and its verified second factor) after the change.
        update_session_auth_hash(self.request, user)
        messages.success(self.request, _("Kata sandi Anda telah diganti."))
        return HttpResponseRedirect(_next_url(self.request))


@never_cache
@login_required
def otp_enrol(request: HttpRequest) -> HttpResponse:
    """Show a new secret (QR and text) and confirm it with the first code it produces."""
    if otp_device_confirmed_get(user=request.user) is not None:
        messages.info(request, _("Verifikasi dua langkah untuk akun ini sudah aktif."))
        return redirect("web:home")
    form = OtpTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = otp_device_confirm(user=request.user, token=form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            messages.success(request, _("Verifikasi dua langkah aktif untuk akun Anda."))
            return HttpResponseRedirect(_next_url(request))
        form.add_error(
            "token", _("Kode salah atau sudah kedaluwarsa. Masukkan kode yang tampil sekarang.")
        )
    device = otp_device_enrol_start(user=request.user)
    secret = b32encode(device.bin_key).decode("ascii")
    context = {
        "form": form,
        "qr_svg": segno.make(device.config_url, error="m").svg_inline(
            scale=4, dark="#000", light="#fff", title=_("Kode QR pendaftaran")
        ),
        "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
        "next": _next_url(request),
    }
    return render(request, "accounts/otp_enrol.html", context)


@never_cache
@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    """Ask for the current code of the user's enrolled device, once per session.

    Without a device there is nothing to verify: the page says so and links to enrolment
    (the gate sends users who must enrol straight there).
    """
    enrolled = otp_device_confirmed_get(user=request.user) is not None
    form = OtpTokenForm(request.POST or None)
    if enrolled and request.method == "POST" and form.is_valid():
        device = otp_token_verify(user=request.user, token=form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            return HttpResponseRedirect(_next_url(request))
        form.add_error(
            "token", _("Kode salah atau sudah kedaluwarsa. Masukkan kode yang tampil sekarang.")
        )
    context = {"form": form, "enrolled": enrolled, "next": _next_url(request)}
    return render(request, "accounts/otp_verify.html", context)
