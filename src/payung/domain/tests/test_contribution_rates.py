"""Dated contribution rates (issue 8): a regulation's rate change can take effect mid-year."""

from __future__ import annotations

from datetime import date
from importlib import resources

import pytest

from payung.domain.policy import PolicyError, policy_get, policy_parse

JKK = "    - {code: JKK, name: Jaminan Kecelakaan Kerja, monthly: 10000}\n"


def _shipped() -> str:
    return (resources.files("payung") / "policies" / "pandeglang-2025.yaml").read_text("utf-8")


def _with_jkk(periods: str) -> str:
    text = _shipped()
    assert text.count(JKK) == 1
    return text.replace(JKK, periods)


def test_one_period_costs_the_same_with_or_without_a_year() -> None:
    policy = policy_get("pandeglang-2025")
    assert not policy.contribution.dated
    assert policy.annual_cost_per_person(12) == 201_600
    assert policy.annual_cost_per_person(12, year=2026) == 201_600
    assert policy.annual_cost_per_person(5, year=2026) == 5 * 16_800
    assert policy.quota(1_008_000_000, 12, year=2026) == 5_000


def test_a_rate_change_on_1_july_prices_each_month_at_its_own_rate() -> None:
    policy = policy_parse(
        _with_jkk(
            "    - {code: JKK, name: Jaminan Kecelakaan Kerja, monthly: 10000,"
            " valid_to: 2026-06-30}\n"
            "    - {code: JKK, name: Jaminan Kecelakaan Kerja, monthly: 12000,"
            " valid_from: 2026-07-01}\n"
        )
    )
    assert policy.contribution.dated
    assert policy.contribution.monthly_on(date(2026, 6, 1)) == 16_800
    assert policy.contribution.monthly_on(date(2026, 7, 1)) == 18_800
    assert policy.annual_cost_per_person(12, year=2026) == 6 * 16_800 + 6 * 18_800
    assert policy.annual_cost_per_person(3, year=2026) == 3 * 18_800
    assert policy.annual_cost_per_person(12, year=2025) == 12 * 16_800
    # Without a year a dated policy cannot say which rate: it refuses instead of guessing.
    with pytest.raises(ValueError, match="sebutkan tanggalnya"):
        _ = policy.contribution.monthly_total


def test_overlapping_rate_periods_are_refused_when_loading() -> None:
    text = _with_jkk(
        "    - {code: JKK, name: Jaminan Kecelakaan Kerja, monthly: 10000,"
        " valid_to: 2026-07-31}\n"
        "    - {code: JKK, name: Jaminan Kecelakaan Kerja, monthly: 12000,"
        " valid_from: 2026-07-01}\n"
    )
    with pytest.raises(PolicyError, match="tumpang tindih"):
        policy_parse(text, source="tarif.yaml")
