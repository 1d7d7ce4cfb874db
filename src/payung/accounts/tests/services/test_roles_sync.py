"""roles_sync makes each role's group hold exactly the permissions roles.py gives it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission

from payung.accounts.roles import ROLES
from payung.accounts.services import roles_sync

pytestmark = pytest.mark.django_db


def _held(group: Group) -> set[str]:
    return {
        f"{app}.{codename}"
        for app, codename in group.permissions.values_list("content_type__app_label", "codename")
    }


def test_every_permission_roles_py_names_exists() -> None:
    """roles_sync skips unknown permissions silently (an app may not be migrated yet), so a
    typo in roles.py would quietly take a right away; here it fails instead."""
    existing = {
        f"{app}.{codename}"
        for app, codename in Permission.objects.values_list("content_type__app_label", "codename")
    }
    named = {p for role in ROLES for p in role.permissions}
    assert named - existing == set()


def test_each_group_holds_exactly_its_roles_permissions() -> None:
    roles_sync()

    assert set(Group.objects.values_list("name", flat=True)) >= {r.code for r in ROLES}
    for role in ROLES:
        assert _held(Group.objects.get(name=role.code)) == set(role.permissions), role.code


def test_sync_takes_back_extra_rights_and_restores_missing_ones() -> None:
    auditor = Group.objects.get(name="auditor")
    auditor.permissions.add(Permission.objects.get(codename="change_user"))
    auditor.permissions.remove(Permission.objects.get(codename="view_auditentry"))

    roles_sync()
    roles_sync()  # idempotent

    assert _held(auditor) == set(next(r for r in ROLES if r.code == "auditor").permissions)


def test_only_the_auditor_reads_the_audit_trail_and_nobody_writes_it() -> None:
    """Design §1: the auditor reads everything, the trail is changed by no role."""
    roles_sync()
    readers = {r.code for r in ROLES if "audit.view_auditentry" in r.permissions}
    writers = {
        r.code
        for r in ROLES
        for p in r.permissions
        if p.startswith("audit.") and p != "audit.view_auditentry"
    }
    assert readers == {"auditor"}
    assert writers == set()
