"""Account pages: change one's own password, enrol and verify the second factor; the
administrator's pages on accounts and logins (issue 9).

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
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import login as otp_login

from payung.accounts import selectors, services
from payung.accounts.forms import (
    LoginHistoryFilterForm,
    OtpTokenForm,
    OwnPasswordChangeForm,
    UserAccountForm,
    UserCreateForm,
    UserFilterForm,
)
from payung.accounts.models import User
from payung.accounts.roles import BY_CODE
from payung.accounts.selectors import otp_device_confirmed_get
from payung.accounts.services import (
    otp_device_confirm,
    otp_device_enrol_start,
    otp_token_verify,
    user_password_change,
)
from payung.core.viewtools import error_messages, requires


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


# --- the administrator's pages (issue 9: "Every role has its work") -------------------------
# Staff accounts only: none of these pages shows or links a beneficiary's data.

USER_PAGE_SIZE = 50
VIEW_USER = "accounts.view_user"
ADD_USER = "accounts.add_user"
CHANGE_USER = "accounts.change_user"


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@require_GET
@requires(VIEW_USER)
def user_list(request: HttpRequest) -> HttpResponse:
    """Every account with its role, agency, state and last login, filtered and paged; one
    query tells which accounts of the page are locked out by throttling."""
    form = UserFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = {
            "query": data["q"].strip(),
            "role": data["role"],
            "agency_id": data["agency"].pk if data["agency"] else None,
            "status": data["status"],
        }
    page = Paginator(selectors.user_list(**filters), USER_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    locked = selectors.user_locked_usernames(usernames=[u.username for u in page.object_list])
    rows = [
        {
            "user": u,
            "role": _role_name(u),
            "locked": u.username in locked,
        }
        for u in page.object_list
    ]
    return render(
        request,
        "accounts/user_list.html",
        {"form": form, "page": page, "rows": rows, "query": _query_without_page(request)},
    )


def _role_name(user: User) -> str:
    code = selectors.user_role_code(user=user)
    return BY_CODE[code].name if code else _("Tanpa peran")


def _password_page(request: HttpRequest, *, account: User, password: str, why: str) -> HttpResponse:
    """The temporary password, shown once in the response to the POST that made it: never
    in a message, a session or a URL, and not cached by the browser."""
    response = render(
        request,
        "accounts/user_password_shown.html",
        {"account": account, "password": password, "why": why},
    )
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@require_http_methods(["GET", "POST"])
@requires(ADD_USER)
def user_create(request: HttpRequest) -> HttpResponse:
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            account, password = services.user_register(
                actor=request.user,
                username=data["username"],
                full_name=data["full_name"],
                email=data["email"],
                role=data["role"],
                agency=data["agency"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            return _password_page(
                request,
                account=account,
                password=password,
                why=_("Akun dibuat."),
            )
    return render(request, "accounts/user_form.html", {"form": form})


def _account_or_404(pk: int) -> User:
    return get_object_or_404(User.objects.select_related("agency"), pk=pk)


@require_http_methods(["GET", "POST"])
@requires(VIEW_USER)
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One account: its state, its last logins, and (for who may change accounts) the form
    for name, role and agency and the buttons for what an administrator does."""
    account = _account_or_404(pk)
    may_change = request.user.has_perm(CHANGE_USER)
    if request.method == "POST" and not may_change:
        raise PermissionDenied
    initial = {
        "full_name": account.first_name,
        "email": account.email,
        "role": selectors.user_role_code(user=account),
        "agency": account.agency_id,
    }
    form = UserAccountForm(request.POST or None, initial=initial) if may_change else None
    if form is not None and request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.user_update(
                actor=request.user,
                user=account,
                full_name=data["full_name"],
                email=data["email"],
                role=data["role"],
                agency=data["agency"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Perubahan akun disimpan."))
            return redirect("accounts:user_detail", pk=account.pk)
    context = {
        "account": account,
        "role_name": _role_name(account),
        "locked": selectors.user_is_locked(user=account),
        "has_device": otp_device_confirmed_get(user=account) is not None,
        "logins": list(selectors.login_history(username=account.username)[:10]),
        "form": form,
        "is_self": account.pk == request.user.pk,
    }
    return render(request, "accounts/user_detail.html", context)


def _account_action(request: HttpRequest, pk: int, action: Any, success: str) -> HttpResponse:
    account = _account_or_404(pk)
    try:
        action(actor=request.user, user=account)
    except ValidationError as exc:
        error_messages(request, exc)
    else:
        messages.success(request, success)
    return redirect("accounts:user_detail", pk=account.pk)


@require_POST
@requires(CHANGE_USER)
def user_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _account_action(
        request,
        pk,
        services.user_deactivate,
        _("Akun dinonaktifkan; pemiliknya tidak dapat masuk."),
    )


@require_POST
@requires(CHANGE_USER)
def user_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _account_action(request, pk, services.user_reactivate, _("Akun diaktifkan kembali."))


@require_POST
@requires(CHANGE_USER)
def user_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    return _account_action(
        request, pk, services.user_unlock, _("Kunci dibuka; pengguna dapat mencoba masuk lagi.")
    )


@never_cache
@require_POST
@requires(CHANGE_USER)
def user_password_reset(request: HttpRequest, pk: int) -> HttpResponse:
    account = _account_or_404(pk)
    password = services.user_password_reset(actor=request.user, user=account)
    return _password_page(
        request, account=account, password=password, why=_("Kata sandi diatur ulang.")
    )


@never_cache
@require_POST
@requires(CHANGE_USER)
def user_second_factor_reset(request: HttpRequest, pk: int) -> HttpResponse:
    account = _account_or_404(pk)
    password = services.user_second_factor_reset(actor=request.user, user=account)
    return _password_page(
        request,
        account=account,
        password=password,
        why=_(
            "Verifikasi dua langkah diatur ulang. Setelah mengganti kata sandi, pengguna "
            "mendaftarkan ponsel barunya."
        ),
    )


@require_GET
@requires(VIEW_USER)
def login_history(request: HttpRequest) -> HttpResponse:
    """Who signed in and when, and the refused attempts, from the audit trail (WIB days)."""
    form = LoginHistoryFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = {
            "username": data["username"].strip(),
            "start": data["dari"],
            "end": data["sampai"],
        }
    page = Paginator(selectors.login_history(**filters), USER_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "accounts/login_history.html",
        {"form": form, "page": page, "query": _query_without_page(request)},
    )
