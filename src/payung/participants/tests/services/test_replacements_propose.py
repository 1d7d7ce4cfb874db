"""``replacements_propose``: the places freed during the year go down the waiting list, as far
as the remaining pagu pays for the months left (issue 12, Pasal 6 ayat (2)); each next in
rank re-checked under the year's policy and as-of date, never a rank skipped otherwise."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from payung.audit.models import AuditEntry
from payung.participants.forecast import places_cost_committed
from payung.participants.models import Candidate, CandidateEvent, CandidateState, Proposal
from payung.participants.replacements import ROUND_CODE, replacements_propose
from payung.participants.tests.factories import (
    MONTHLY,
    contribution_year,
    messages,
    participants_add,
)
from payung.programmes.models import ProgrammeYear
from payung.programmes.selectors import programme_year_policy
from payung.registry.models import Person

pytestmark = pytest.mark.django_db

S = CandidateState
JAN = date(2026, 1, 1)
MAY_1 = date(2026, 5, 1)
#: A birth date that makes anyone too old on the year's as-of date (Pasal 5 ayat (2) huruf b).
TOO_OLD = "1950-01-01"


def _year_with_ends(
    *, pagu_months: int, quota: int = 5, ended: int = 2, waiting: int = 5
) -> tuple[ProgrammeYear, Proposal, list[Candidate]]:
    """``quota - ended`` participants covered all year, ``ended`` covered January to April,
    and a waiting list."""
    year, proposal = contribution_year(pagu=pagu_months * MONTHLY, quota=quota)
    participants_add(proposal=proposal, periods=[(JAN, None)] * (quota - ended))
    participants_add(proposal=proposal, periods=[(JAN, date(2026, 4, 30))] * ended)
    queue = participants_add(
        proposal=proposal, periods=[(None, None)] * waiting, state=S.WAITLISTED
    )
    return year, proposal, queue


def test_the_round_proposes_what_the_remaining_pagu_pays_for_the_months_left(
    operator_dinsos: Any,
) -> None:
    # Pagu: 5 people x 12 months. Committed: 3 x 12 + 2 x 4 (Jan-Apr) = 44 months; 16 left.
    # From May one replacement costs 8 months: 16 // 8 = 2, and 2 places are free.
    year, _proposal, queue = _year_with_ends(pagu_months=60)

    result = replacements_propose(programme_year=year, actor=operator_dinsos, today=MAY_1)

    assert result.proposed == [queue[0].pk, queue[1].pk]
    assert result.refused == []
    f = result.figures
    assert (f.free, f.remaining, f.months_left, f.cost_one, f.affordable) == (
        2,
        16 * MONTHLY,
        8,
        8 * MONTHLY,
        2,
    )
    assert places_cost_committed(programme_year=year, from_month=MAY_1) == 60 * MONTHLY
    event = CandidateEvent.objects.get(candidate=queue[0], reason_code=ROUND_CODE)
    assert (event.from_state, event.to_state) == (S.WAITLISTED, S.PROPOSED)
    assert event.evidence["putaran"] == 1
    assert event.evidence["sisa_pagu"] == 16 * MONTHLY
    assert event.evidence["bulan_tersisa"] == 8
    assert event.evidence["mampu_dibiayai"] == 2
    entry = AuditEntry.objects.get(action="replacement_round_propose")
    assert entry.detail["diusulkan"] == 2
    assert queue[0].nik not in str(entry.detail)


def test_the_pagu_not_the_free_places_limits_the_round(operator_dinsos: Any) -> None:
    # Two places free but 12 months of pagu left: one replacement of 8 months fits.
    year, _proposal, queue = _year_with_ends(pagu_months=56)

    result = replacements_propose(programme_year=year, actor=operator_dinsos, today=MAY_1)

    assert result.proposed == [queue[0].pk]
    assert places_cost_committed(programme_year=year, from_month=MAY_1) <= 56 * MONTHLY


def test_later_in_the_year_the_same_money_pays_for_more_people(operator_dinsos: Any) -> None:
    # 5 all year + 2 January-April = 68 months committed of 84: 16 months left. Four
    # places free (quota 9). From September a replacement costs 4 months: 16 // 4 = 4.
    year, proposal, queue = _year_with_ends(pagu_months=84, quota=7, ended=2)
    Proposal.objects.filter(pk=proposal.pk).update(quota=9)

    result = replacements_propose(
        programme_year=year, actor=operator_dinsos, today=date(2026, 9, 14)
    )

    assert (result.figures.months_left, result.figures.affordable) == (4, 4)
    assert result.proposed == [c.pk for c in queue[:4]]
    assert places_cost_committed(programme_year=year, from_month=date(2026, 9, 1)) == (84 * MONTHLY)


def test_one_whose_corrected_data_no_longer_passes_is_refused_and_the_next_rank_taken(
    operator_dinsos: Any,
) -> None:
    """Disdukcapil corrected the birth date of the first on the list: on the year's as-of
    date the person is over the age limit, so the round refuses them with the article and
    proposes the second and third."""
    year, _proposal, queue = _year_with_ends(pagu_months=60)
    Candidate.objects.filter(pk=queue[0].pk).update(corrected={"tanggal_lahir": TOO_OLD})

    result = replacements_propose(programme_year=year, actor=operator_dinsos, today=MAY_1)

    assert result.proposed == [queue[1].pk, queue[2].pk]
    assert result.refused == [queue[0].pk]
    refused = Candidate.objects.get(pk=queue[0].pk)
    assert refused.state == S.REJECTED
    policy = programme_year_policy(programme_year=year)
    assert policy.rule("5(2)b").article in refused.reason
    assert "5(2)b" in refused.reason
    event = CandidateEvent.objects.get(candidate=refused, to_state=S.REJECTED)
    assert event.evidence["putaran"] == 1


def test_the_data_as_imported_is_checked_too(operator_dinsos: Any) -> None:
    """A person already too old in the extract (as can happen when a roster or an appeal
    put them on the list) is refused the same way."""
    year, _proposal, queue = _year_with_ends(pagu_months=60)
    Person.objects.filter(pk=queue[1].person_id).update(tanggal_lahir=TOO_OLD)

    result = replacements_propose(programme_year=year, actor=operator_dinsos, today=MAY_1)

    assert result.proposed == [queue[0].pk, queue[2].pk]
    assert result.refused == [queue[1].pk]


def test_nothing_free_is_refused_with_a_sentence(operator_dinsos: Any) -> None:
    year, _proposal, _queue = _year_with_ends(pagu_months=60, ended=0)
    with pytest.raises(ValidationError) as refused:
        replacements_propose(programme_year=year, actor=operator_dinsos, today=MAY_1)
    assert refused.value.code == "no_free_place"
    assert "Tidak ada tempat kosong: kuota 5 orang sudah terisi 5 orang" in messages(refused.value)


def test_a_pagu_that_affords_no_one_is_refused_with_the_figures(operator_dinsos: Any) -> None:
    # 44 months committed, 51 of pagu: Rp117.600 left, one replacement from May Rp134.400.
    year, _proposal, _queue = _year_with_ends(pagu_months=51)
    with pytest.raises(ValidationError) as refused:
        replacements_propose(programme_year=year, actor=operator_dinsos, today=MAY_1)
    assert refused.value.code == "over_pagu"
    assert "Sisa pagu Rp117.600 tidak cukup untuk satu pengganti (Rp134.400 untuk 8 bulan" in (
        messages(refused.value)
    )
    assert not CandidateEvent.objects.filter(reason_code=ROUND_CODE).exists()


def test_only_the_operator_pendataan_proposes(operator_disnaker: Any, anggota_tim: Any) -> None:
    year, _proposal, _queue = _year_with_ends(pagu_months=60)
    for actor in (operator_disnaker, anggota_tim):
        with pytest.raises(PermissionDenied):
            replacements_propose(programme_year=year, actor=actor, today=MAY_1)


def test_rounds_are_numbered_and_the_second_finds_the_places_taken(operator_dinsos: Any) -> None:
    year, _proposal, queue = _year_with_ends(pagu_months=60)
    replacements_propose(programme_year=year, actor=operator_dinsos, today=MAY_1)
    with pytest.raises(ValidationError) as refused:
        replacements_propose(programme_year=year, actor=operator_dinsos, today=MAY_1)
    assert refused.value.code == "no_free_place"
    Candidate.objects.filter(pk=queue[0].pk).update(state=S.REJECTED)  # Disdukcapil refused
    second = replacements_propose(
        programme_year=year, actor=operator_dinsos, today=date(2026, 6, 2)
    )
    assert second.number == 2
    assert second.proposed == [queue[2].pk]


# --- the arithmetic, over random years -------------------------------------------------------

#: JKM's rate from a month of the year on (a regulation changing it mid-year), or None.
RATE_CHANGES = st.one_of(st.none(), st.tuples(st.integers(2, 12), st.integers(5_000, 9_000)))


def _with_rate_change(year: ProgrammeYear, change: tuple[int, int] | None) -> None:
    """Pin a policy whose JKM rate changes from ``month`` on (Pasal 9 ayat (2), dated rates)."""
    if change is None:
        return
    from payung.domain.policy import policy_sha256

    month, rate = change
    last_day = date(2026, month, 1) - timedelta(days=1)
    old = "    - {code: JKM, name: Jaminan Kematian, monthly: 6800}\n"
    new = (
        "    - {code: JKM, name: Jaminan Kematian, monthly: 6800, "
        f"valid_to: {last_day.isoformat()}}}\n"
        "    - {code: JKM, name: Jaminan Kematian, monthly: "
        f"{rate}, valid_from: 2026-{month:02d}-01}}\n"
    )
    assert old in year.policy_text
    text = year.policy_text.replace(old, new)
    ProgrammeYear.objects.filter(pk=year.pk).update(
        policy_text=text, policy_sha256=policy_sha256(text)
    )
    year.refresh_from_db()


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    pagu_months=st.integers(min_value=0, max_value=90),
    quota=st.integers(min_value=1, max_value=8),
    ends=st.lists(st.integers(1, 11), max_size=4),
    failing=st.lists(st.booleans(), max_size=7),
    round_month=st.integers(min_value=1, max_value=12),
    rate_change=RATE_CHANGES,
)
def test_a_round_never_goes_over_the_pagu_nor_skips_a_rank(
    operator_dinsos: Any,
    pagu_months: int,
    quota: int,
    ends: list[int],
    failing: list[bool],
    round_month: int,
    rate_change: tuple[int, int] | None,
) -> None:
    """Random pagu, quota, ends at random months, waiting lists with people who no longer
    pass, the round on a random day, a mid-year rate change: committed cost stays within the
    pagu, the proposed are exactly min(free, affordable) of those who pass, and every rank
    passed over was refused by the re-check with its reasons."""
    with transaction.atomic():
        year, proposal = contribution_year(pagu=pagu_months * MONTHLY, quota=quota)
        _with_rate_change(year, rate_change)
        staying = max(0, quota - len(ends))
        participants_add(proposal=proposal, periods=[(JAN, None)] * staying)
        for month in ends:
            participants_add(proposal=proposal, periods=[(JAN, date(2026, month, 28))])
        queue = participants_add(
            proposal=proposal, periods=[(None, None)] * len(failing), state=S.WAITLISTED
        )
        for candidate, fails in zip(queue, failing, strict=True):
            if fails:
                Candidate.objects.filter(pk=candidate.pk).update(
                    corrected={"tanggal_lahir": TOO_OLD}
                )
        today = date(2026, round_month, 15)
        pagu = pagu_months * MONTHLY
        try:
            result = replacements_propose(programme_year=year, actor=operator_dinsos, today=today)
        except ValidationError as refused:
            f = None
            assert refused.code in {"no_free_place", "over_pagu", "no_waiting"}
        else:
            f = result.figures
            month = f.from_month
            # Never over the pagu: what the round added fits in what remained.
            assert places_cost_committed(programme_year=year, from_month=month) <= pagu
            # Exactly min(free, affordable), unless the waiting list ran out of passing people.
            passing = [c.pk for c, fails in zip(queue, failing, strict=True) if not fails]
            assert len(result.proposed) == min(f.free, f.affordable, len(passing))
            # Never a skipped rank: everything up to the last proposed was either proposed or
            # refused by the re-check (with its reasons), in rank order.
            examined = [c.pk for c in queue][: len(result.proposed) + len(result.refused)]
            assert sorted(result.proposed + result.refused) == sorted(examined)
            assert result.proposed == [pk for pk in examined if pk in set(result.proposed)]
            assert all(failing[[c.pk for c in queue].index(pk)] for pk in result.refused)
            for candidate in Candidate.objects.filter(pk__in=result.refused):
                assert candidate.state == S.REJECTED
                assert "5(2)b" in candidate.reason
        transaction.set_rollback(True)
