"""The audit trail words the codes later apps write exactly as those apps do (issue 9).

``audit.labels.VALUE_LABELS`` repeats the words of states, end reasons, statuses and roles
because the audit app, the first layer, imports no later app; these tests keep the copies
equal to their sources, so the auditor reads what the operator read.
"""

from __future__ import annotations

import pytest

from payung.accounts.roles import ROLES
from payung.audit.labels import VALUE_LABELS, value_label
from payung.linkage.models import Funder, MatchEffect
from payung.participants.models import CandidateState, EndReason
from payung.people.services import record_purposes
from payung.screening.labels import STATUS_LABELS


@pytest.mark.parametrize(
    "choices", [CandidateState, EndReason], ids=["CandidateState", "EndReason"]
)
def test_value_labels_match_the_models(choices) -> None:
    for value, label in choices.choices:
        assert value_label(value) == str(label), value


def test_value_labels_match_funders_and_match_effects() -> None:
    for value, label in Funder.choices:
        assert value_label(value) == str(label), value
    for value, label in MatchEffect.choices:
        if value not in ("", MatchEffect.ENDED):  # "ended" reads as the state
            assert value_label(value) == str(label), value


def test_value_labels_match_statuses_and_roles() -> None:
    for code, label in STATUS_LABELS.items():
        if code not in {c.value for c in CandidateState}:  # "waitlisted" is both
            assert value_label(code) == str(label), code
    for role in ROLES:
        assert value_label(role.code) == role.name


def test_every_purpose_of_a_personal_data_export_is_worded() -> None:
    for code in [*record_purposes(), "verifikasi_disdukcapil", "pendaftaran_bpjs"]:
        assert code in VALUE_LABELS


def test_an_unknown_value_is_left_to_the_caller() -> None:
    assert value_label("3601********0001") is None
