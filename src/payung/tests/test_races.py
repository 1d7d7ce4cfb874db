"""Two people at once, on real connections (issue 17): four-eyes steps and money entries.

Each test starts two threads, each with its own database connection, behind a barrier, so
both requests reach the service together as two browsers would. Exactly one may win; the
other must get a refusal in Indonesian (a ``ValidationError`` a page shows), never a
database error (a 500) and never a second row. The proposal approval race lives beside its
service (``candidates/tests/test_services.py::test_two_people_approving_at_once_only_one_
succeeds``); the decree and pagu races are here.

These run on PostgreSQL (CI runs the suite there with ``DATABASE_URL``). On SQLite they are
skipped: pytest-django's SQLite test database is in memory with a shared cache, where a
second writer fails at once with "database table is locked" instead of waiting as Payung's
file database (WAL, BEGIN IMMEDIATE, 30 s timeout) does, and SQLite serialises writers
anyway, so a race there could only test the test set-up. The sequential refusals (a second
approval, a second signature, an existing year) are tested in each app on both databases.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections

from payung.audit.models import AuditEntry

pytestmark = [
    pytest.mark.skipif(
        connection.vendor == "sqlite",
        reason="SQLite's in-memory test database refuses concurrent writers instead of "
        "queueing them, and SQLite serialises writers; these races run on PostgreSQL.",
    ),
    pytest.mark.django_db(transaction=True),
]


def race(*calls: Callable[[], Any]) -> list[str]:
    """Run each call in its own thread and connection, all released at once.

    Returns, in call order, "ok" or the refusal's code (or its first message when it has
    no code); any other exception is re-raised here, failing the test.
    """
    start = threading.Barrier(len(calls))
    outcomes: list[str] = [""] * len(calls)
    crashes: list[BaseException] = []

    def run(i: int, call: Callable[[], Any]) -> None:
        try:
            start.wait()
            call()
            outcomes[i] = "ok"
        except ValidationError as exc:
            outcomes[i] = getattr(exc, "code", None) or exc.messages[0]
        except BaseException as exc:  # reported below, with its type
            crashes.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not crashes, [type(c).__name__ for c in crashes]
    return outcomes


def _third(role: str, agency_kind: str, agency_name: str, username: str) -> Any:
    from payung.accounts.services import agency_get_or_create, user_create

    return user_create(
        username=username,
        password="rahasia-uji-123",
        role=role,
        agency=agency_get_or_create(kind=agency_kind, name=agency_name),
    )


# --- money: the pagu of a programme year ---------------------------------------------------


def test_two_people_opening_the_same_year_with_its_pagu_make_one_year(
    operator_dinsos: Any, operator_dinsos_2: Any
) -> None:
    from payung.programmes.models import BudgetLine, ProgrammeYear
    from payung.programmes.services import programme_year_create

    def create(user: Any, amount: int) -> Callable[[], Any]:
        return lambda: programme_year_create(
            created_by=user,
            year=2026,
            policy_id="pandeglang-2025",
            as_of=date(2026, 1, 1),
            coverage_months=12,
            budgets={"apbd": amount},
        )

    outcomes = race(create(operator_dinsos, 1_008_000_000), create(operator_dinsos_2, 5))

    assert sorted(outcomes) == ["Tahun program 2026 untuk Kabupaten Pandeglang sudah ada.", "ok"]
    year = ProgrammeYear.objects.get()
    assert list(BudgetLine.objects.values_list("programme_year", "amount")) == [
        (year.pk, 1_008_000_000 if outcomes[0] == "ok" else 5)
    ]
    assert AuditEntry.objects.filter(action="programme_year_create").count() == 1


# --- four eyes: the signed decree --------------------------------------------------------------


@pytest.fixture
def verified_year(operator_dinsos: Any, operator_dinsos_2: Any, verifikator_dukcapil: Any) -> Any:
    """An approved proposal whose candidates Disdukcapil has all verified."""
    from payung.participants.tests.factories import approved_proposal
    from payung.verification import services as verification
    from payung.verification.models import Answer

    proposal = approved_proposal(operator=operator_dinsos, approver=operator_dinsos_2)
    while True:
        try:
            batch = verification.batch_create(proposal=proposal, actor=proposal.proposed_by)
        except ValidationError:
            return proposal.programme_year
        for item in batch.items.all():
            verification.item_record(item=item, answer=Answer.SESUAI, actor=verifikator_dukcapil)


def _scan() -> SimpleUploadedFile:
    from payung.decrees.tests.pdfs import pdf_bytes

    return SimpleUploadedFile("sk.pdf", pdf_bytes(), content_type="application/pdf")


def _record(decree: Any, user: Any, number: str) -> Callable[[], Any]:
    from payung.decrees.models import Decree
    from payung.decrees.services import decree_record_signed

    return lambda: decree_record_signed(
        decree=Decree.objects.get(pk=decree.pk),
        actor=user,
        number=number,
        signed_on=date(2026, 2, 2),
        signer_name="Bupati Sintetis",
        scan=_scan(),
    )


def test_two_people_recording_the_signed_decree_at_once_decree_each_participant_once(
    verified_year: Any, operator_disnaker: Any, operator_disnaker_2: Any
) -> None:
    from payung.decrees.models import Decree
    from payung.decrees.services import decree_draft
    from payung.participants.models import Candidate, CandidateState
    from payung.participants.tests.factories import QUOTA

    third = _third("operator_kepesertaan", "disnakertrans", "Disnakertrans", "disnaker_3")
    draft = decree_draft(programme_year=verified_year, kind="peserta", actor=operator_disnaker)

    outcomes = race(
        _record(draft, operator_disnaker_2, "400.10/Kep.12-Huk/2026"),
        _record(draft, third, "400.10/Kep.13-Huk/2026"),
    )

    assert sorted(outcomes) == ["ok", "signed"]
    signed = Decree.objects.get(pk=draft.pk)
    assert signed.status == Decree.Status.SIGNED
    assert Candidate.objects.filter(state=CandidateState.DECREED).count() == QUOTA
    assert AuditEntry.objects.filter(action="decree_record_signed").count() == 1


def test_two_drafts_of_one_decree_signed_at_once_leave_one_signed(
    verified_year: Any, operator_disnaker: Any, operator_disnaker_2: Any
) -> None:
    """Two drafts of the team decree, each recorded by someone else at the same moment:
    the second must be told the kind is already signed, not hit the database's constraint."""
    from payung.decrees.models import Decree
    from payung.decrees.services import decree_draft, team_member_add

    third = _third("operator_kepesertaan", "disnakertrans", "Disnakertrans", "disnaker_3")
    team_member_add(
        programme_year=verified_year,
        actor=operator_disnaker,
        position="ketua",
        name="Ketua Sintetis",
        agency="Sekretariat Daerah",
    )
    first = decree_draft(programme_year=verified_year, kind="tim", actor=operator_disnaker)
    second = decree_draft(programme_year=verified_year, kind="tim", actor=operator_disnaker)

    outcomes = race(
        _record(first, operator_disnaker_2, "400.10/Kep.20-Huk/2026"),
        _record(second, third, "400.10/Kep.21-Huk/2026"),
    )

    assert sorted(outcomes) == ["kind_signed", "ok"]
    assert Decree.objects.filter(kind="tim", status=Decree.Status.SIGNED).count() == 1


def test_two_decrees_recorded_at_once_under_one_number_keep_it_unique(
    verified_year: Any, operator_disnaker: Any, operator_disnaker_2: Any
) -> None:
    """A decree number identifies one decree of the regency: two at once may not share it."""
    from payung.decrees.models import Decree
    from payung.decrees.services import decree_draft, team_member_add

    third = _third("operator_kepesertaan", "disnakertrans", "Disnakertrans", "disnaker_3")
    team_member_add(
        programme_year=verified_year,
        actor=operator_disnaker,
        position="ketua",
        name="Ketua Sintetis",
        agency="Sekretariat Daerah",
    )
    peserta = decree_draft(programme_year=verified_year, kind="peserta", actor=operator_disnaker)
    tim = decree_draft(programme_year=verified_year, kind="tim", actor=operator_disnaker)

    outcomes = race(
        _record(peserta, operator_disnaker_2, "400.10/Kep.30-Huk/2026"),
        _record(tim, third, "400.10/Kep.30-Huk/2026"),
    )

    assert sorted(outcomes) == ["number", "ok"]
    assert Decree.objects.filter(number="400.10/Kep.30-Huk/2026").count() == 1
