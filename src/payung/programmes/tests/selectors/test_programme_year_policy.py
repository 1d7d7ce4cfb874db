"""The policy a year pinned: read from its stored text, refused when that text was altered."""

from __future__ import annotations

import pytest

from payung.domain.policy import PolicyError
from payung.programmes import selectors
from payung.programmes.models import ProgrammeYear

pytestmark = pytest.mark.django_db


def test_the_year_reads_its_snapshot_not_the_shipped_file(year: ProgrammeYear) -> None:
    year.policy_id = "hilang-2020"  # no shipped file of that name
    policy = selectors.programme_year_policy(programme_year=year)
    assert policy.region.code == "3601"
    assert policy.version == year.policy_version


def test_a_snapshot_edited_in_the_database_is_refused(year: ProgrammeYear) -> None:
    year.policy_text = year.policy_text.replace("pandeglang", "pandeglang ", 1)

    with pytest.raises(PolicyError) as caught:
        selectors.programme_year_policy(programme_year=year)

    assert "policy.snapshot_altered" in [p.code for p in caught.value.problems]
