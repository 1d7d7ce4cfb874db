"""The one transition table: the moves past the decree and who may make them (design §1)."""

from __future__ import annotations

from payung.accounts.roles import ROLES
from payung.participants.models import CandidateState as S
from payung.participants.transitions import ACTIVATE_PERM, END_PERM, MOVES, REGISTER_PERM


def _holders(perm: str) -> set[str]:
    return {r.code for r in ROLES if perm in r.permissions}


def test_the_lifecycle_past_the_decree_runs_registered_active_ended() -> None:
    got = {
        action: (set(MOVES[action].sources), MOVES[action].target)
        for action in ("register", "activate", "reactivate", "end")
    }
    assert got == {
        "register": ({S.DECREED}, S.REGISTERED),
        "activate": ({S.REGISTERED}, S.ACTIVE),
        "reactivate": ({S.ENDED}, S.ACTIVE),
        "end": ({S.DECREED, S.REGISTERED, S.ACTIVE}, S.ENDED),
    }


def test_bpjs_records_its_answer_and_only_disnakertrans_ends_cover() -> None:
    """Pasal 8 ayat (3): BPJS returns the KPJ and the cover start, so its officer may record
    them as the operator kepesertaan may; ending cover is the regency's decision."""
    assert _holders(REGISTER_PERM) == {"operator_kepesertaan", "petugas_bpjs"}
    assert _holders(ACTIVATE_PERM) == {"operator_kepesertaan", "petugas_bpjs"}
    assert _holders(END_PERM) == {"operator_kepesertaan"}
