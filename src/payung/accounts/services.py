"""Writes on users and roles."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from payung.accounts.models import Agency, User
from payung.accounts.roles import BY_CODE, ROLES


@transaction.atomic
def roles_sync() -> None:
    """Make each role's group hold exactly the permissions roles.py gives it."""
    for role in ROLES:
        group, _created = Group.objects.get_or_create(name=role.code)
        perms = []
        for dotted in role.permissions:
            app_label, codename = dotted.split(".")
            perm = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if perm is not None:  # an app not yet migrated adds it on its own post_migrate
                perms.append(perm)
        group.permissions.set(perms)


@transaction.atomic
def user_create(
    *, username: str, password: str, role: str, agency: Agency, full_name: str = ""
) -> User:
    """A user of one agency holding one role; the password is validated by Django's rules."""
    from django.contrib.auth.password_validation import validate_password

    if role not in BY_CODE:
        raise ValueError(f"peran tidak dikenal: {role}")
    user = User(username=username, agency=agency, first_name=full_name)
    validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    user.groups.add(Group.objects.get(name=role))
    return user


def agency_get_or_create(*, kind: str, name: str, code: str | None = None) -> Agency:
    agency, _created = Agency.objects.get_or_create(
        code=code or kind, defaults={"name": name, "kind": kind}
    )
    return agency
