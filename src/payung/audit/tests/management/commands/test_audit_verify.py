"""``payung manage audit_verify``: the Indonesian result, exit status 1 when broken."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from payung.audit.services import audit_entry_create
from payung.audit.tests import tampering

pytestmark = pytest.mark.django_db


def test_intact_chain_prints_the_count_and_exits_zero() -> None:
    for i in range(3):
        audit_entry_create(actor=None, action="step", detail={"i": i})
    out, err = StringIO(), StringIO()

    call_command("audit_verify", stdout=out, stderr=err)  # no SystemExit: status 0

    assert out.getvalue().strip() == "Rantai utuh: 3 entri diperiksa."
    assert err.getvalue() == ""


def test_broken_chain_names_the_entry_and_exits_one() -> None:
    entries = [audit_entry_create(actor=None, action="step", detail={"i": i}) for i in range(3)]
    tampering.entry_update(entries[1].pk, detail={"i": 42})
    out, err = StringIO(), StringIO()

    with pytest.raises(SystemExit) as exit_:
        call_command("audit_verify", stdout=out, stderr=err)

    assert exit_.value.code == 1
    assert err.getvalue().startswith(f"Rantai rusak mulai entri #{entries[1].pk}:")
    assert out.getvalue() == ""
