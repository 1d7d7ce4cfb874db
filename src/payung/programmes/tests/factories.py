"""Factories for programme years, their pagu lines and the users who open them."""

from __future__ import annotations

from datetime import date

import factory
from factory.django import DjangoModelFactory

from payung.accounts.models import User
from payung.domain.policy import policy_sha256, policy_text
from payung.programmes.models import BudgetLine, ProgrammeYear

#: Pandeglang's yearly cost of one participant: (Rp10.000 + Rp6.800) × 12 (Pasal 9 ayat (2)).
COST_PER_PERSON = 201_600


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"pendata{n}")


class ProgrammeYearFactory(DjangoModelFactory):
    class Meta:
        model = ProgrammeYear

    year = factory.Sequence(lambda n: 2026 + n)
    region_code = "3601"
    region_name = "Kabupaten Pandeglang"
    policy_id = "pandeglang-2025"
    policy_version = "2025.1"
    as_of = date(2026, 1, 1)
    coverage_months = 12
    created_by = factory.SubFactory(UserFactory)
    # The snapshot a year pins when created, as programme_year_create stores it.
    policy_text = factory.LazyAttribute(lambda o: policy_text(o.policy_id))
    policy_sha256 = factory.LazyAttribute(lambda o: policy_sha256(o.policy_text))


class BudgetLineFactory(DjangoModelFactory):
    class Meta:
        model = BudgetLine

    programme_year = factory.SubFactory(ProgrammeYearFactory)
    source = BudgetLine.Source.APBD
    amount = 5000 * COST_PER_PERSON
