"""Writes on programme years: opening a year under a pinned policy with its pagu, recording
its cooperation agreement with BPJS Ketenagakerjaan, and moving its status forward as the work
reaches each stage.

Pasal 6 ayat (2) phases coverage by the regional budget and Pasal 13 lets that budget come
from the APBD or another lawful, non-binding source. A programme year fixes those inputs once
(policy text and SHA-256, as-of date, months, pagu per source) so every later stage of the
year cites the same ones.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from payung.audit.services import audit_entry_create
from payung.domain.policy import (
    PolicyError,
    policy_funding_sources,
    policy_parse,
    policy_sha256,
    policy_text,
    shipped_ids,
)
from payung.programmes.models import BudgetLine, CooperationAgreement, ProgrammeYear
from payung.programmes.selectors import programme_year_carry_over_source


@transaction.atomic
def programme_year_create(
    *,
    created_by: Any,
    year: int,
    policy_id: str,
    as_of: date,
    coverage_months: int,
    budgets: Mapping[str, int],
    carry_over: bool = False,
) -> ProgrammeYear:
    """Open a Tahun Anggaran under one shipped policy, with its pagu per funding source.

    Region and policy version come from the policy file, never from the form: a decision must
    cite the regulation version it applied, and a year belongs to the regency that regulation
    governs. ``as_of`` is the date Pasal 5 ayat (2) huruf b measures age on; it may lie before
    the year (registration is prepared ahead) but not after it. ``budgets`` maps a
    ``BudgetLine.Source`` to whole rupiah (Pasal 13: APBD or another lawful source); a source
    left out gets no line.

    ``carry_over`` continues the participants of the region's previous year (issue 12): they
    are re-screened in this year, keep their KPJ while they still qualify and, when the
    policy says so (``cycle.carry_over_first``), rank ahead of new candidates. It needs a
    previous year whose participants decree is signed.

    Raises ``ValidationError`` keyed by ``year``, ``policy_id``, ``as_of``, ``coverage_months``,
    ``budgets`` or ``carry_over``, with Indonesian messages.
    """
    errors: dict[str, list[str]] = {}
    text = _policy_text_or_none(policy_id)
    policy = policy_parse(text, source=f"{policy_id}.yaml") if text is not None else None
    if policy is None:
        errors.setdefault("policy_id", []).append(
            _("Kebijakan '%(id)s' tidak dikenal; pilih salah satu: %(known)s.")
            % {"id": policy_id, "known": ", ".join(shipped_ids())}
        )
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
        errors.setdefault("year", []).append(_("Tahun anggaran harus antara 2000 dan 2100."))
    elif (
        policy is not None
        and ProgrammeYear.objects.filter(region_code=policy.region.code, year=year).exists()
    ):
        errors.setdefault("year", []).append(
            _("Tahun program %(year)s untuk %(region)s sudah ada.")
            % {"year": year, "region": policy.region.name}
        )
    if isinstance(year, int) and as_of.year > year:
        errors.setdefault("as_of", []).append(
            _("Tanggal acuan usia harus di dalam tahun %(year)s atau sebelumnya, bukan sesudahnya.")
            % {"year": year}
        )
    if (
        isinstance(coverage_months, bool)
        or not isinstance(coverage_months, int)
        or not 1 <= coverage_months <= 12
    ):
        errors.setdefault("coverage_months", []).append(
            _("Jumlah bulan kepesertaan harus 1 sampai 12.")
        )
    errors.update(_budget_errors(budgets, policy=policy))
    carried_from = None
    if carry_over and policy is not None and isinstance(year, int) and "year" not in errors:
        carried_from = programme_year_carry_over_source(region_code=policy.region.code, year=year)
        if carried_from is None:
            errors.setdefault("carry_over", []).append(
                _(
                    "Tahun %(year)s tidak mempunyai peserta yang ditetapkan untuk dilanjutkan; "
                    "hapus centang lanjutan peserta."
                )
                % {"year": year - 1}
            )
    if errors:
        raise ValidationError(errors)
    assert policy is not None  # errors would have been raised otherwise
    programme_year = ProgrammeYear(
        year=year,
        region_code=policy.region.code,
        region_name=policy.region.name,
        policy_id=policy.id,
        policy_version=policy.version,
        policy_text=text,
        policy_sha256=policy_sha256(text),
        as_of=as_of,
        coverage_months=coverage_months,
        created_by=created_by,
        carried_from=carried_from,
    )
    programme_year.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            programme_year.save()
    except IntegrityError:  # a second request for the same year won the race
        raise ValidationError(
            {
                "year": _("Tahun program %(year)s untuk %(region)s sudah ada.")
                % {"year": year, "region": policy.region.name}
            }
        ) from None
    names = {s.code: s.name for s in policy_funding_sources(policy)}
    BudgetLine.objects.bulk_create(
        BudgetLine(programme_year=programme_year, source=source, name=names[source], amount=amount)
        for source, amount in budgets.items()
    )
    audit_entry_create(
        actor=created_by,
        action="programme_year_create",
        target=programme_year,
        detail={
            "year": year,
            "region_code": programme_year.region_code,
            "policy_id": programme_year.policy_id,
            "policy_version": programme_year.policy_version,
            "policy_sha256": programme_year.policy_sha256,
            "as_of": as_of.isoformat(),
            "coverage_months": coverage_months,
            "budgets": dict(budgets),
            **({"carried_from": carried_from.pk} if carried_from is not None else {}),
        },
    )
    return programme_year


def programme_year_advance(*, programme_year: ProgrammeYear, status: str) -> bool:
    """Move the year's status forward to ``status`` when the work reaches it; never back.

    Called by the service that does the work (an import finishing, a proposal approved, the
    participants decree signed), so the status a page shows follows the work instead of
    staying "Draf". One conditional UPDATE: two workers cannot move it backwards. Returns
    whether it moved.
    """
    order = list(ProgrammeYear.Status.values)
    earlier = order[: order.index(status)]
    moved = ProgrammeYear.objects.filter(pk=programme_year.pk, status__in=earlier).update(
        status=status
    )
    if moved:
        programme_year.status = status
    return bool(moved)


@transaction.atomic
def cooperation_agreement_record(
    *,
    programme_year: ProgrammeYear,
    actor: Any,
    number: str,
    signed_on: date,
    branch_office: str,
    period_start: date,
    period_end: date,
    coverage_start: date,
    billing_period: str,
) -> CooperationAgreement:
    """Record the year's PKS with the BPJS Ketenagakerjaan branch (Pasal 6 ayat (4)-(5)).

    The operator kepesertaan copies the signed agreement's terms; no second person approves
    them (the agreement was already signed by both parties), but every record is audited with
    the terms it set. Recording again replaces the terms: an addendum changes the period or
    the billing period (Pasal 9 ayat (3)), and the audit trail keeps what they were.

    Raises ``ValidationError`` keyed by field, with Indonesian messages, listing every
    problem at once.
    """
    if not actor.has_perm("programmes.record_cooperation_agreement"):
        raise PermissionDenied
    number = " ".join(number.split())
    branch_office = " ".join(branch_office.split())
    errors: dict[str, list[str]] = {}
    if not number:
        errors.setdefault("number", []).append(_("Nomor PKS wajib diisi."))
    if not branch_office:
        errors.setdefault("branch_office", []).append(
            _("Nama kantor cabang BPJS Ketenagakerjaan wajib diisi.")
        )
    if period_end <= period_start:
        errors.setdefault("period_end", []).append(
            _("Akhir masa berlaku harus sesudah awal masa berlaku.")
        )
    elif not period_start <= coverage_start <= period_end:
        errors.setdefault("coverage_start", []).append(
            _("Mulai kepesertaan harus di dalam masa berlaku PKS.")
        )
    if billing_period not in CooperationAgreement.BillingPeriod.values:
        errors.setdefault("billing_period", []).append(_("Pilih periode tagihan iuran."))
    if errors:
        raise ValidationError(errors)
    # Lock the year's row so two operators recording at once do not both insert the one PKS.
    ProgrammeYear.objects.select_for_update().filter(pk=programme_year.pk).exists()
    agreement = CooperationAgreement.objects.filter(programme_year=programme_year).first()
    if agreement is None:
        agreement = CooperationAgreement(programme_year=programme_year)
    agreement.number = number
    agreement.signed_on = signed_on
    agreement.branch_office = branch_office
    agreement.period_start = period_start
    agreement.period_end = period_end
    agreement.coverage_start = coverage_start
    agreement.billing_period = billing_period
    agreement.recorded_by = actor
    agreement.full_clean(exclude=["programme_year"], validate_unique=False)
    agreement.save()
    audit_entry_create(
        actor=actor,
        action="cooperation_agreement_record",
        target=agreement,
        detail={
            "number": number,
            "signed_on": signed_on.isoformat(),
            "branch_office": branch_office,
            "period_start": period_start.isoformat(),
            "period_end": period_end.isoformat(),
            "coverage_start": coverage_start.isoformat(),
            "billing_period": billing_period,
        },
    )
    return agreement


def _policy_text_or_none(policy_id: str) -> str | None:
    """A shipped policy's text by id, if it loads; paths are refused, a year must cite a
    shipped regulation. The text, not the parsed policy, is what the year pins."""
    if policy_id not in shipped_ids():
        return None
    try:
        text = policy_text(policy_id)
        policy_parse(text, source=f"{policy_id}.yaml")
    except PolicyError:
        return None
    return text


def _budget_errors(budgets: Mapping[str, int], *, policy: Any = None) -> dict[str, list[str]]:
    """Pagu lines must name a source of the year's policy (Pasal 13; issue 15: the policy's
    ``funding_sources``) and hold whole, non-negative rupiah."""
    problems: list[str] = []
    if policy is not None:
        known = {s.code: s.name for s in policy_funding_sources(policy)}
    else:
        known = {code: str(label) for code, label in BudgetLine.Source.choices}
    for source, amount in budgets.items():
        if source not in known:
            problems.append(_("Sumber dana '%(source)s' tidak dikenal.") % {"source": source})
        elif isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
            problems.append(
                _("Pagu %(source)s harus bilangan bulat rupiah yang tidak negatif.")
                % {"source": known[source]}
            )
    return {"budgets": problems} if problems else {}
