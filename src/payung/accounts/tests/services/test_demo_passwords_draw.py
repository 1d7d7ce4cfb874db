"""demo_passwords_draw: the demo users' hashes made before the database exists (issue 16
target 5), stored exactly as a password set at creation would be."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import get_hasher, identify_hasher

from payung.accounts.models import User
from payung.accounts.services import (
    DEMO_USERNAMES,
    agency_get_or_create,
    demo_passwords_draw,
    demo_users_create,
    user_create,
)


def test_drawn_without_the_database_one_password_each() -> None:
    # No django_db mark: touching the database here would fail, which is what lets
    # ``payung demo`` draw the hashes while migrate runs.
    drawn = demo_passwords_draw()

    assert list(drawn) == [u for u, _r in DEMO_USERNAMES]
    assert len({d.password for d in drawn.values()}) == len(drawn)
    for prepared in drawn.values():
        assert identify_hasher(prepared.encoded).algorithm == get_hasher().algorithm
        assert prepared.password not in prepared.encoded
        assert prepared.password not in repr(prepared)


@pytest.mark.django_db
def test_users_made_with_the_drawn_hashes_log_in_with_the_printed_passwords() -> None:
    drawn = demo_passwords_draw()

    made = demo_users_create(passwords=drawn)

    assert [(u, p) for u, _r, p in made] == [(u, d.password) for u, d in drawn.items()]
    for username, _role, password in made:
        user = User.objects.get(username=username)
        assert user.password == drawn[username].encoded
        assert user.check_password(password)
        assert user.must_change_password


@pytest.mark.django_db
def test_a_hash_of_another_password_is_refused() -> None:
    drawn = demo_passwords_draw()
    agency = agency_get_or_create(kind="dinsos", name="Dinas Sosial Kabupaten Pandeglang")

    with pytest.raises(ValueError, match="another password"):
        user_create(
            username="dinsos.operator",
            password=drawn["dinsos.operator2"].password,
            role="operator_pendataan",
            agency=agency,
            prepared=drawn["dinsos.operator"],
        )
    assert not User.objects.exists()
