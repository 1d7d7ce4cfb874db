"""user_create: one user, one agency, one role, a password Django's validators accept."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from payung.accounts.models import Agency, User
from payung.accounts.services import agency_get_or_create, user_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def dinsos() -> Agency:
    return agency_get_or_create(kind="dinsos", name="Dinas Sosial Kabupaten Pandeglang")


def test_user_gets_agency_role_and_a_hashed_password(dinsos: Agency) -> None:
    user = user_create(
        username="siti",
        password="kuat-sekali-2026",
        role="verifikator",
        agency=dinsos,
        full_name="Siti Aminah",
    )

    user.refresh_from_db()
    assert user.agency == dinsos
    assert list(user.groups.values_list("name", flat=True)) == ["verifikator"]
    assert user.first_name == "Siti Aminah"
    assert user.password != "kuat-sekali-2026"
    assert user.check_password("kuat-sekali-2026")
    assert user.has_perm("screening.view_unmasked_nik")
    assert not user.has_perm("audit.view_auditentry")


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("Pendek7", "password_too_short"),
        ("password123", "password_too_common"),
        ("3601234567890", "password_entirely_numeric"),
        ("budi.santoso1", "password_too_similar"),
    ],
)
def test_weak_passwords_are_refused_and_nothing_is_saved(
    dinsos: Agency, password: str, code: str
) -> None:
    with pytest.raises(ValidationError) as exc:
        user_create(username="budi.santoso", password=password, role="bendahara", agency=dinsos)

    assert code in {e.code for e in exc.value.error_list}
    assert not User.objects.filter(username="budi.santoso").exists()


def test_unknown_role_is_refused_and_nothing_is_saved(dinsos: Agency) -> None:
    with pytest.raises(ValueError, match="peran tidak dikenal: superadmin"):
        user_create(username="budi", password="kuat-sekali-2026", role="superadmin", agency=dinsos)

    assert not User.objects.filter(username="budi").exists()


def test_a_username_is_taken_once(dinsos: Agency) -> None:
    user_create(username="budi", password="kuat-sekali-2026", role="bendahara", agency=dinsos)

    with pytest.raises(ValidationError):
        user_create(username="budi", password="lain-lagi-2026", role="bendahara", agency=dinsos)
