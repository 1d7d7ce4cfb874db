"""Writes on users and roles."""

from __future__ import annotations

import secrets
import string
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from payung.accounts.models import Agency, User
from payung.accounts.roles import BY_CODE, ROLES
from payung.audit.services import audit_entry_create


@transaction.atomic
def roles_sync() -> None:
    """Make each role's group hold exactly the permissions roles.py gives it.

    Runs after every app's post_migrate (about thirty times in a fresh migrate), so the
    permissions are read in one query rather than one per role and permission.
    """
    known = {
        (app_label, codename): pk
        for pk, app_label, codename in Permission.objects.values_list(
            "pk", "content_type__app_label", "codename"
        )
    }
    for role in ROLES:
        group, _created = Group.objects.get_or_create(name=role.code)
        # An app not yet migrated adds its permissions on its own post_migrate.
        perms = [
            known[key] for key in (tuple(d.split(".")) for d in role.permissions) if key in known
        ]
        group.permissions.set(perms)


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    role: str,
    agency: Agency,
    full_name: str = "",
    must_change_password: bool = False,
    prepared: DemoPassword | None = None,
) -> User:
    """A user of one agency holding one role; the password is validated by Django's rules.

    ``must_change_password`` marks a password someone else has seen (printed by the demo,
    handed over by an admin): its owner is sent to change it before any other page.
    """
    if role not in BY_CODE:
        raise ValueError(f"peran tidak dikenal: {role}")
    user = User(
        username=username,
        agency=agency,
        first_name=full_name,
        must_change_password=must_change_password,
    )
    validate_password(password, user)
    if prepared is None:
        user.set_password(password)
    else:
        # Hashed earlier by demo_passwords_draw, off the build's critical path: the same
        # Argon2 hash, made while migrate ran (issue 16 target 5).
        if prepared.password != password:
            raise ValueError("prepared hash belongs to another password")
        user.password = prepared.encoded
    user.full_clean()
    user.save()
    user.groups.add(Group.objects.get(name=role))
    return user


def agency_get_or_create(*, kind: str, name: str, code: str | None = None) -> Agency:
    agency, _created = Agency.objects.get_or_create(
        code=code or kind, defaults={"name": name, "kind": kind}
    )
    return agency


# Demo accounts: one per role, named ``<agency>.<job>`` so a tester reads who is who at a glance.
# The operator pendataan has a second account because four eyes (design §1) needs a second
# person of the same role to approve what the first prepared.
DEMO_USERNAMES: Final[tuple[tuple[str, str], ...]] = (
    ("dinsos.operator", "operator_pendataan"),
    ("dinsos.operator2", "operator_pendataan"),
    ("dukcapil.verifikator", "verifikator"),
    ("disnaker.kepesertaan", "operator_kepesertaan"),
    ("disnaker.kepesertaan2", "operator_kepesertaan"),
    ("disnaker.bendahara", "bendahara"),
    ("disnaker.bendahara2", "bendahara"),
    ("bpjs.petugas", "petugas_bpjs"),
    ("tim.anggota", "anggota_tim"),
    ("inspektorat.auditor", "auditor"),
    ("kominfo.admin", "admin"),
)

# Full names as they appear on letterheads; ``{}`` is the regency's name.
DEMO_AGENCY_NAMES: Final[dict[str, str]] = {
    Agency.Kind.DINSOS: "Dinas Sosial Kabupaten {}",
    Agency.Kind.DISDUKCAPIL: "Dinas Kependudukan dan Pencatatan Sipil Kabupaten {}",
    Agency.Kind.DISNAKERTRANS: "Dinas Tenaga Kerja dan Transmigrasi Kabupaten {}",
    Agency.Kind.BPJS: "BPJS Ketenagakerjaan Kantor Cabang {}",
    Agency.Kind.INSPEKTORAT: "Inspektorat Kabupaten {}",
    Agency.Kind.BAPPERIDA: "Badan Perencanaan Pembangunan, Riset dan Inovasi Daerah Kabupaten {}",
    Agency.Kind.BPKD: "Badan Pengelola Keuangan Daerah Kabupaten {}",
    Agency.Kind.HUKUM: "Bagian Hukum Sekretariat Daerah Kabupaten {}",
    Agency.Kind.DISKOMINFO: "Dinas Komunikasi dan Informatika Kabupaten {}",
    Agency.Kind.TIM: "Tim Pendataan dan Penetapan Pekerja Rentan Kabupaten {}",
}

# No 0/O, 1/l/I: the demo prints these once and people type them from the screen.
_PASSWORD_ALPHABET: Final[str] = "".join(
    c for c in string.ascii_letters + string.digits if c not in "0O1lI"
)


def _password_draw(length: int) -> str:
    return "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(length))


# What a fresh random draw can fix; any other refusal (too short) is the caller's to hear.
_REDRAWN_REFUSALS: Final[frozenset[str]] = frozenset(
    {"password_too_similar", "password_too_common", "password_entirely_numeric"}
)


def _password_generate(length: int, *, user: User) -> str:
    """A random password with a lower-case letter, a capital and a digit, from ``secrets``,
    that the configured validators accept for ``user``.

    Random letters now and then resemble the username closely enough for the similarity
    validator to refuse them (``JnTpbYgAjs6SPu`` for ``bpjs.petugas``), so a draw the
    validators refuse is drawn again rather than failing the demo or an administrator's reset.
    """
    while True:
        password = _password_draw(length)
        if not (
            any(c.islower() for c in password)
            and any(c.isupper() for c in password)
            and any(c.isdigit() for c in password)
        ):
            continue
        try:
            validate_password(password, user)
        except ValidationError as error:
            # A length below the minimum fails every draw: that is the caller's error.
            if {e.code for e in error.error_list} - _REDRAWN_REFUSALS:
                raise
            continue
        return password


@dataclass(frozen=True, repr=False)
class DemoPassword:
    """A demo user's one-time password and its hash by the configured (Argon2) hasher."""

    password: str
    encoded: str

    def __repr__(self) -> str:  # never print a password into a log or traceback
        return "DemoPassword(...)"


def demo_passwords_draw(*, password_length: int = 14) -> dict[str, DemoPassword]:
    """Every demo user's password, drawn and hashed without touching the database.

    The eleven Argon2 hashes cost about 4 CPU seconds; ``payung demo`` draws them in a thread
    while migrate runs on the other core (Argon2 runs outside the GIL), so the demo is ready
    sooner (issue 16 target 5) with the same hasher and parameters as every real password.
    """
    drawn: dict[str, DemoPassword] = {}
    for username, _role_code in DEMO_USERNAMES:
        password = _password_generate(password_length, user=User(username=username))
        drawn[username] = DemoPassword(password=password, encoded=make_password(password))
    return drawn


@transaction.atomic
def demo_users_create(
    *,
    password_length: int = 14,
    regency: str = "Pandeglang",
    passwords: Mapping[str, DemoPassword] | None = None,
) -> list[tuple[str, str, str]]:
    """Make one demo user per role (two operators pendataan and two operators kepesertaan,
    so every four-eyes step has its second person), each in its role's agency.

    Returns ``(username, role name, password)`` for the users made now, so the demo can print
    the passwords once: they are stored only as hashes. Users that already exist are left as
    they are and not returned, so running the demo twice never resets someone's password.
    A ``password_length`` below the validators' minimum is refused by ``user_create``.
    """
    made: list[tuple[str, str, str]] = []
    for username, role_code in DEMO_USERNAMES:
        if User.objects.filter(username=username).exists():
            continue
        role = BY_CODE[role_code]
        agency = agency_get_or_create(
            kind=role.agency_kind, name=DEMO_AGENCY_NAMES[role.agency_kind].format(regency)
        )
        prepared = (passwords or {}).get(username)
        password = (
            prepared.password
            if prepared is not None
            else _password_generate(password_length, user=User(username=username))
        )
        # No full name: the navigation then shows the username beside the role's name,
        # which is what tells the two operators pendataan apart.
        # Printed on a terminal, so one-time: the owner must choose a new one at first login.
        user_create(
            username=username,
            password=password,
            role=role_code,
            agency=agency,
            must_change_password=True,
            prepared=prepared,
        )
        made.append((username, role.name, password))
    if made:
        audit_entry_create(
            actor=None, action="demo_users_create", detail={"usernames": [m[0] for m in made]}
        )
    return made


@transaction.atomic
def user_password_change(*, user: User, new_password: str) -> User:
    """Set a password the user chose (already validated by the form) and lift the demand to
    change it; audited without the password, so the trail shows when a one-time password
    stopped working."""
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    audit_entry_create(actor=user, action="user_password_change", target=user)
    return user


@transaction.atomic
def otp_device_enrol_start(*, user: User) -> TOTPDevice:
    """The user's unconfirmed TOTP device, made with a fresh secret if there is none.

    The secret is shown once on the enrolment page; the device counts only after the user
    proves, with a code from it, that their authenticator holds the same secret.
    """
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Payung", confirmed=False)
    return device


@transaction.atomic
def otp_device_confirm(*, user: User, token: str) -> TOTPDevice | None:
    """Confirm the pending device when ``token`` is right; None (and nothing changed) if not.

    django-otp throttles wrong codes per device, so guessing six digits does not pay."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None or not device.verify_token(token):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_entry_create(actor=user, action="otp_device_enrol", target=user)
    return device


def otp_token_verify(*, user: User, token: str) -> TOTPDevice | None:
    """The confirmed device ``token`` belongs to, or None; a wrong code is audited."""
    for device in TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk"):
        if device.verify_token(token):
            return device
    with transaction.atomic():
        audit_entry_create(actor=user, action="otp_verify_failed", target=user)
    return None


# --- the administrator's work on accounts (issue 9; design §6) ------------------------------
# Four eyes are not required here: every act is audited, and none touches a beneficiary.
# Passwords never reach the trail or a log: only the fact that one was issued.

#: Length of a temporary password an administrator hands over (read from the screen once).
TEMPORARY_PASSWORD_LENGTH: Final[int] = 14


def _admin_check(*, actor: User) -> None:
    if not actor.has_perm("accounts.change_user"):
        raise PermissionDenied


def _role_set(*, user: User, role: str) -> None:
    from payung.accounts.roles import BY_CODE as roles

    keep = user.groups.exclude(name__in=list(roles))
    user.groups.set([*keep, Group.objects.get(name=role)])


def _last_admin_guard(*, user: User, message: str) -> None:
    """Refuse when ``user`` is the last active administrator: nobody could manage accounts."""
    from payung.accounts.selectors import admin_active_count, user_role_code

    if (
        user.is_active
        and user_role_code(user=user) == "admin"
        and admin_active_count(exclude=user) == 0
    ):
        raise ValidationError(message, code="last_admin")


@transaction.atomic
def user_register(
    *, actor: User, username: str, full_name: str, role: str, agency: Agency, email: str = ""
) -> tuple[User, str]:
    """An account made by the administrator, with a temporary password shown once.

    The password was seen by the administrator, so its owner must choose their own at first
    login (``must_change_password``); roles that need a second factor then enrol one, as
    every other account does. Returns the user and the temporary password (stored only as a
    hash).
    """
    _admin_check(actor=actor)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(_("Nama pengguna ini sudah dipakai."), code="username_taken")
    password = _password_generate(
        TEMPORARY_PASSWORD_LENGTH, user=User(username=username, first_name=full_name, email=email)
    )
    user = user_create(
        username=username,
        password=password,
        role=role,
        agency=agency,
        full_name=full_name,
        must_change_password=True,
    )
    if email:
        user.email = email
        user.save(update_fields=["email"])
    audit_entry_create(
        actor=actor,
        action="user_register",
        target=user,
        detail={"username": user.username, "role": BY_CODE[role].name, "agency": agency.name},
    )
    return user, password


@transaction.atomic
def user_update(
    *, actor: User, user: User, full_name: str, role: str, agency: Agency, email: str = ""
) -> User:
    """Change an account's name, role and agency; the trail keeps the old and new role and
    agency. The last active administrator keeps the administrator's role."""
    from payung.accounts.selectors import user_role_code

    _admin_check(actor=actor)
    if role not in BY_CODE:
        raise ValidationError(_("Peran tidak dikenal."), code="role")
    user = User.objects.select_for_update().get(pk=user.pk)
    old_role = user_role_code(user=user)
    old_agency = user.agency.name if user.agency else "—"
    if old_role == "admin" and role != "admin":
        _last_admin_guard(
            user=user,
            message=_(
                "Pengguna ini administrator aktif terakhir; angkat administrator lain dahulu "
                "sebelum mengganti perannya."
            ),
        )
    user.first_name = full_name
    user.email = email
    user.agency = agency
    user.full_clean()
    user.save(update_fields=["first_name", "email", "agency"])
    if role != old_role:
        _role_set(user=user, role=role)
    audit_entry_create(
        actor=actor,
        action="user_update",
        target=user,
        detail={
            "username": user.username,
            # Words, not codes: the auditor reads them (old → new).
            "role": f"{BY_CODE[old_role].name if old_role else '—'} → {BY_CODE[role].name}",
            "agency": f"{old_agency} → {agency.name}",
        },
    )
    return user


@transaction.atomic
def user_deactivate(*, actor: User, user: User) -> User:
    """Stop an account from signing in; never delete it, because audit entries and the
    programme's records name their actor. Not oneself, not the last active administrator."""
    _admin_check(actor=actor)
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.pk == actor.pk:
        raise ValidationError(_("Anda tidak dapat menonaktifkan akun Anda sendiri."), code="self")
    if not user.is_active:
        raise ValidationError(_("Akun ini sudah nonaktif."), code="inactive")
    _last_admin_guard(
        user=user,
        message=_("Pengguna ini administrator aktif terakhir dan tidak dapat dinonaktifkan."),
    )
    user.is_active = False
    user.save(update_fields=["is_active"])
    audit_entry_create(
        actor=actor, action="user_deactivate", target=user, detail={"username": user.username}
    )
    return user


@transaction.atomic
def user_reactivate(*, actor: User, user: User) -> User:
    """Let a deactivated account sign in again (with the password it had)."""
    _admin_check(actor=actor)
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active:
        raise ValidationError(_("Akun ini sudah aktif."), code="active")
    user.is_active = True
    user.save(update_fields=["is_active"])
    audit_entry_create(
        actor=actor, action="user_reactivate", target=user, detail={"username": user.username}
    )
    return user


@transaction.atomic
def user_password_reset(*, actor: User, user: User) -> str:
    """A new temporary password for a user who forgot theirs, shown once to the
    administrator; the user must choose their own at next login. The trail records that a
    reset happened, never the password."""
    _admin_check(actor=actor)
    user = User.objects.select_for_update().get(pk=user.pk)
    password = _password_generate(TEMPORARY_PASSWORD_LENGTH, user=user)
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    audit_entry_create(
        actor=actor, action="user_password_reset", target=user, detail={"username": user.username}
    )
    return password


@transaction.atomic
def user_unlock(*, actor: User, user: User) -> int:
    """Lift a lockout by login throttling before its cool-off ends (design §6), through axes'
    own reset: every recorded failure of this username, at any address, is forgiven. Returns
    how many attempt records were removed."""
    from axes.utils import reset

    _admin_check(actor=actor)
    removed = reset(username=user.username)
    audit_entry_create(
        actor=actor,
        action="user_unlock",
        target=user,
        detail={"username": user.username, "attempts": removed},
    )
    return removed


@transaction.atomic
def user_second_factor_reset(*, actor: User, user: User) -> str:
    """A lost or replaced phone: remove the user's TOTP devices and issue a temporary
    password, shown once. The new device is enrolled after the password change, so whoever
    knew the old password alone cannot enrol their own phone (design §6)."""
    _admin_check(actor=actor)
    user = User.objects.select_for_update().get(pk=user.pk)
    removed, _deleted = TOTPDevice.objects.filter(user=user).delete()
    password = _password_generate(TEMPORARY_PASSWORD_LENGTH, user=user)
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    audit_entry_create(
        actor=actor,
        action="user_second_factor_reset",
        target=user,
        detail={"username": user.username, "devices": removed},
    )
    return password
