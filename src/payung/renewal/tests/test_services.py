"""Carry-over into the next programme year (issue 12): ranked first, linked to last year's
candidacy, the no-longer-qualifying ended on 31 December with the failed articles, and the
rest continued with the same KPJ without a new BPJS registration."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from payung.audit.models import AuditEntry
from payung.enrollment.services import registration_waiting
from payung.participants.models import Candidate, CandidateState, CoveragePeriod, EndReason
from payung.participants.tests.factories import CooperationAgreementFactory
from payung.programmes.models import ProgrammeYear
from payung.renewal import selectors, services
from payung.renewal.tests.factories import (
    NUMBER_2027,
    Renewal,
    decree_carried,
    last_year_active,
    next_year_create,
    proposed,
    renewal_screened,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def renewal(personas: dict[str, Any]) -> Renewal:
    return renewal_screened(personas=personas)


def test_the_run_ranks_last_years_participants_first_and_records_the_set(
    renewal: Renewal,
) -> None:
    niks = sorted(c.nik for c in renewal.last)
    first = renewal.run.counts["first"]
    assert first["count"] == 3
    assert first["ranked"] == 1  # one still eligible; one ineligible, one absent
    assert first["sha256"] == hashlib.sha256("\n".join(niks).encode()).hexdigest()
    kept = renewal.run.decisions.get(nik=renewal.last[0].nik)
    assert kept.priority_rank == 1
    assert renewal.run.decisions.get(nik=renewal.last[1].nik).status == "ineligible"
    assert not renewal.run.decisions.filter(nik=renewal.last[2].nik).exists()


def test_a_year_without_carry_over_ranks_as_the_policy(personas: dict[str, Any]) -> None:
    last_year_active(personas=personas)
    year = next_year_create(actor=personas["operator_dinsos"], carry_over=False)
    assert year.carried_from is None
    assert selectors.carried_niks(programme_year=year) is None


def test_the_proposal_hook_links_only_the_carried_over(
    renewal: Renewal, personas: dict[str, Any]
) -> None:
    proposal = proposed(renewal, personas=personas)
    linked = list(proposal.candidates.filter(carried_from__isnull=False))
    assert [(c.nik, c.carried_from_id, c.rank, c.state) for c in linked] == [
        (renewal.last[0].nik, renewal.last[0].pk, 1, CandidateState.PROPOSED)
    ]
    entry = AuditEntry.objects.get(action="renewal_carried_link")
    assert entry.detail == {"carried_from_year": 2026, "previous_participants": 3, "linked": 1}


def test_overview_counts_and_failed_articles(renewal: Renewal, personas: dict[str, Any]) -> None:
    proposed(renewal, personas=personas)
    overview = selectors.renewal_overview(programme_year=renewal.year)
    assert overview is not None
    assert (overview.previous, overview.qualifying, overview.proposed, overview.waitlisted) == (
        3,
        1,
        1,
        0,
    )
    rows = {row.candidate.pk: row for row in overview.not_qualifying}
    assert set(rows) == {renewal.last[1].pk, renewal.last[2].pk}
    ineligible = rows[renewal.last[1].pk]
    assert ineligible.failed == [
        "Pasal 5 ayat (2) huruf c (dianggap terpenuhi oleh 5(2)d)",
        "Pasal 5 ayat (2) huruf d: Terdaftar dalam DTSEN pada Desil I sampai dengan Desil IV.",
    ]
    assert ineligible.nik_masked.startswith("3601") and "*" in ineligible.nik_masked
    assert rows[renewal.last[2].pk].failed == ["Tidak terdapat dalam data DTSEN tahun 2027."]


def test_the_not_qualifying_end_on_31_december_with_the_articles(
    renewal: Renewal, personas: dict[str, Any]
) -> None:
    ended = services.renewal_not_qualifying_end(
        programme_year=renewal.year, actor=personas["operator_disnaker"]
    )
    assert ended == 2
    for candidate in renewal.last[1:]:
        candidate.refresh_from_db()
        assert candidate.state == CandidateState.ENDED
        assert candidate.reason_code == EndReason.TIDAK_MEMENUHI_SYARAT
        period = CoveragePeriod.objects.get(candidate=candidate)
        assert (period.end, period.end_reason) == (date(2026, 12, 31), "tidak_memenuhi_syarat")
        event = candidate.events.get(to_state=CandidateState.ENDED)
        assert event.evidence[selectors.EVIDENCE_KEY] == renewal.year.pk
    renewal.last[1].refresh_from_db()
    assert "Pasal 5 ayat (2) huruf d" in renewal.last[1].reason
    assert "Tidak terdapat dalam data DTSEN tahun 2027" in renewal.last[2].reason
    kept = Candidate.objects.get(pk=renewal.last[0].pk)
    assert kept.state == CandidateState.ACTIVE
    overview = selectors.renewal_overview(programme_year=renewal.year)
    assert overview is not None
    assert (overview.ended, len(overview.not_qualifying), overview.previous) == (2, 0, 1)
    with pytest.raises(ValidationError) as refused:
        services.renewal_not_qualifying_end(
            programme_year=renewal.year, actor=personas["operator_disnaker"]
        )
    assert refused.value.code == "nothing"


def test_only_the_operator_kepesertaan_ends(renewal: Renewal, personas: dict[str, Any]) -> None:
    with pytest.raises(PermissionDenied):
        services.renewal_not_qualifying_end(
            programme_year=renewal.year, actor=personas["operator_dinsos"]
        )
    assert not Candidate.objects.filter(state=CandidateState.ENDED).exists()


def _carried_decreed(renewal: Renewal, personas: dict[str, Any]) -> tuple[Candidate, Candidate]:
    proposal = proposed(renewal, personas=personas)
    carried = proposal.candidates.get(carried_from__isnull=False)
    new = proposal.candidates.filter(carried_from__isnull=True).order_by("rank").first()
    assert new is not None
    decree_carried([carried, new], personas=personas)
    return Candidate.objects.get(pk=carried.pk), Candidate.objects.get(pk=new.pk)


def test_continuity_keeps_the_kpj_and_starts_on_1_january(
    renewal: Renewal, personas: dict[str, Any]
) -> None:
    carried, new = _carried_decreed(renewal, personas)
    # the registration batch takes the new participant, not the carried-over one
    assert list(registration_waiting(programme_year=renewal.year)) == [new]
    continued = services.renewal_continuity_activate(
        programme_year=renewal.year, actor=personas["operator_disnaker"]
    )
    assert continued == 1
    carried.refresh_from_db()
    assert carried.state == CandidateState.ACTIVE
    assert carried.kpj == renewal.last[0].kpj == "26010000000"
    period = CoveragePeriod.objects.get(candidate=carried)
    assert (period.start, period.end) == (date(2027, 1, 1), None)
    registered = carried.events.get(to_state=CandidateState.REGISTERED)
    assert registered.evidence["carried_from_candidate"] == renewal.last[0].pk
    assert registered.evidence["decree_number"] == NUMBER_2027
    assert registered.evidence["kpj_masked"] != carried.kpj
    new.refresh_from_db()
    assert new.state == CandidateState.DECREED
    overview = selectors.renewal_overview(programme_year=renewal.year)
    assert overview is not None
    assert (overview.continued, overview.continuity_due) == (1, 0)


def test_continuity_starts_on_the_pks_cover_start(
    renewal: Renewal, personas: dict[str, Any]
) -> None:
    CooperationAgreementFactory(
        programme_year=renewal.year,
        period_start=date(2027, 1, 1),
        period_end=date(2027, 12, 31),
        coverage_start=date(2027, 2, 1),
    )
    carried, _new = _carried_decreed(renewal, personas)
    services.renewal_continuity_activate(
        programme_year=renewal.year, actor=personas["operator_disnaker"]
    )
    assert CoveragePeriod.objects.get(candidate=carried).start == date(2027, 2, 1)


def test_continuity_needs_the_decree_and_both_rights(
    renewal: Renewal, personas: dict[str, Any]
) -> None:
    proposed(renewal, personas=personas)
    with pytest.raises(ValidationError) as refused:
        services.renewal_continuity_activate(
            programme_year=renewal.year, actor=personas["operator_disnaker"]
        )
    assert refused.value.code == "nothing"
    with pytest.raises(PermissionDenied):
        services.renewal_continuity_activate(
            programme_year=renewal.year, actor=personas["operator_dinsos"]
        )


def test_a_carried_over_participant_without_kpj_goes_through_registration(
    renewal: Renewal, personas: dict[str, Any]
) -> None:
    Candidate.objects.filter(pk=renewal.last[0].pk).update(kpj="")
    carried, new = _carried_decreed(renewal, personas)
    assert set(registration_waiting(programme_year=renewal.year)) == {carried, new}
    assert not selectors.continuity_due(programme_year=renewal.year).exists()


def test_creating_a_year_with_carry_over_needs_a_decreed_previous_year(
    personas: dict[str, Any],
) -> None:
    with pytest.raises(ValidationError) as refused:
        next_year_create(actor=personas["operator_dinsos"])
    assert "carry_over" in refused.value.error_dict
    assert not ProgrammeYear.objects.filter(year=2027).exists()


def test_linking_reads_the_new_proposal_in_one_query_whatever_its_size(
    renewal: Renewal, personas: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    """Issue 16: the demo's 5 000 candidates were read back one query each (the related
    manager filled each candidate's proposal from a deferred field)."""
    proposal = proposed(renewal, personas=personas)
    assert proposal.candidates.count() > 1
    with django_assert_max_num_queries(12) as captured:
        linked = services.proposal_carried_link(
            proposal=proposal, actor=personas["operator_dinsos"]
        )
    assert linked == 1
    candidate_reads = [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].startswith("SELECT") and 'FROM "participants_candidate"' in q["sql"]
    ]
    # Last year's participants, then this proposal's candidates: one query each.
    assert len(candidate_reads) == 2, candidate_reads
