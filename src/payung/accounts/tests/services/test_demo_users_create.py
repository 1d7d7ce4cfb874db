"""demo_users_create: one user per role, in its role's agency, each with its own password."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError

from payung.accounts.models import User
from payung.accounts.roles import BY_CODE, ROLES
from payung.accounts.services import DEMO_USERNAMES, demo_users_create
from payung.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

EXPECTED = {
    "dinsos.operator": ("operator_pendataan", "Dinas Sosial Kabupaten Pandeglang"),
    "dinsos.operator2": ("operator_pendataan", "Dinas Sosial Kabupaten Pandeglang"),
    "dukcapil.verifikator": (
        "verifikator",
        "Dinas Kependudukan dan Pencatatan Sipil Kabupaten Pandeglang",
    ),
    "disnaker.kepesertaan": (
        "operator_kepesertaan",
        "Dinas Tenaga Kerja dan Transmigrasi Kabupaten Pandeglang",
    ),
    "disnaker.kepesertaan2": (
        "operator_kepesertaan",
        "Dinas Tenaga Kerja dan Transmigrasi Kabupaten Pandeglang",
    ),
    "disnaker.bendahara": ("bendahara", "Dinas Tenaga Kerja dan Transmigrasi Kabupaten Pandeglang"),
    # Four eyes on payments: a second bendahara confirms the SP2D the first recorded.
    "disnaker.bendahara2": (
        "bendahara",
        "Dinas Tenaga Kerja dan Transmigrasi Kabupaten Pandeglang",
    ),
    "bpjs.petugas": ("petugas_bpjs", "BPJS Ketenagakerjaan Kantor Cabang Pandeglang"),
    "tim.anggota": (
        "anggota_tim",
        "Tim Pendataan dan Penetapan Pekerja Rentan Kabupaten Pandeglang",
    ),
    "inspektorat.auditor": ("auditor", "Inspektorat Kabupaten Pandeglang"),
    "kominfo.admin": ("admin", "Dinas Komunikasi dan Informatika Kabupaten Pandeglang"),
}


def test_every_role_has_a_demo_user() -> None:
    """A role added to roles.py without a demo user would be missing from every demo."""
    assert {role for _u, role in DEMO_USERNAMES} == {r.code for r in ROLES}


def test_one_user_per_role_in_its_agency_with_unique_passwords() -> None:
    made = demo_users_create()

    assert [u for u, _r, _p in made] == list(EXPECTED)
    passwords = [p for _u, _r, p in made]
    assert len(set(passwords)) == len(passwords)
    for username, role_name, password in made:
        role_code, agency_name = EXPECTED[username]
        user = User.objects.select_related("agency").get(username=username)
        assert role_name == BY_CODE[role_code].name
        assert list(user.groups.values_list("name", flat=True)) == [role_code]
        assert user.agency.name == agency_name
        assert user.agency.kind == BY_CODE[role_code].agency_kind
        assert len(password) == 14
        assert user.check_password(password)


def test_password_length_is_honoured() -> None:
    made = demo_users_create(password_length=24)

    assert {len(p) for _u, _r, p in made} == {24}


def test_second_run_leaves_existing_users_and_their_passwords_alone() -> None:
    first = demo_users_create()

    assert demo_users_create() == []
    for username, _role, password in first:
        assert User.objects.get(username=username).check_password(password)


def test_the_creation_is_audited_without_the_passwords() -> None:
    made = demo_users_create()

    entry = AuditEntry.objects.get(action="demo_users_create")
    assert entry.detail == {"usernames": list(EXPECTED)}
    stored = json.dumps(entry.detail)
    assert not any(p in stored for _u, _r, p in made)


def test_a_length_the_validators_refuse_creates_nobody() -> None:
    with pytest.raises(ValidationError):
        demo_users_create(password_length=8)

    assert not User.objects.exists()


def test_a_random_password_too_like_the_username_is_drawn_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """CI once failed because a random draw resembled ``bpjs.petugas`` closely enough for
    the similarity validator; the demo must print a password that works, not crash."""
    import payung.accounts.services as services

    # The draw that failed CI, then an ordinary one.
    draws = iter(["JnTpbYgAjs6SPu", "Xk7mQw2RtZ9vHs"])
    monkeypatch.setattr(services, "_password_draw", lambda _length: next(draws))
    monkeypatch.setattr(services, "DEMO_USERNAMES", (("bpjs.petugas", "petugas_bpjs"),))

    [(username, _role, password)] = demo_users_create()

    assert (username, password) == ("bpjs.petugas", "Xk7mQw2RtZ9vHs")
    assert User.objects.get(username=username).check_password(password)
