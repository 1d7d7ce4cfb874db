"""Who records, answers and reads appeals, and the moves they make in the one table."""

from __future__ import annotations

from payung.accounts.roles import ROLES
from payung.participants.models import CandidateState as S
from payung.participants.transitions import APPEAL_PERM, MOVES


def _holders(perm: str) -> set[str]:
    return {r.code for r in ROLES if perm in r.permissions}


def test_dinas_sosial_records_and_answers_the_team_and_auditor_read() -> None:
    assert _holders("appeals.record_appeal") == {"operator_pendataan"}
    assert _holders(APPEAL_PERM) == {"operator_pendataan"}
    assert _holders("appeals.view_appeal") == {"operator_pendataan", "anggota_tim", "auditor"}


def test_appeal_moves_lead_to_the_waiting_list_or_off_it() -> None:
    assert MOVES["appeal_waitlist"].sources == {S.SCREENED, S.REJECTED, S.WAITLISTED}
    assert MOVES["appeal_waitlist"].target == S.WAITLISTED
    assert MOVES["appeal_refuse"].sources == {S.WAITLISTED}
    assert MOVES["appeal_refuse"].target == S.REJECTED
    assert {MOVES[m].permissions for m in ("appeal_waitlist", "appeal_refuse")} == {(APPEAL_PERM,)}
