"""Writes of the contributions stage: issuing a bill (Pasal 9) and asking for its payment
request letter.

Pasal 9 ayat (1)-(3): Disnakertrans pays BPJS Ketenagakerjaan every participant's JKK and JKM
contribution monthly or per the period agreed in the PKS. A bill is the regency's statement
of what it owes for one period; once issued it never changes (there is no update path), so
what the treasurer asked the budget for stays what the record shows. Whatever changed later
for months already billed (a replacement registered late, an end recorded after issue) goes
into the next bill as correction lines naming the month they correct. Every bill is in the
audit trail. SP2D payments and the reconciliation with BPJS are ``payments.py`` and
``reconciliation.py``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from payung.audit.services import audit_entry_create
from payung.contributions import selectors
from payung.contributions.models import Bill, BillLine
from payung.engine import bill_compute
from payung.programmes.models import ProgrammeYear
from payung.programmes.selectors import programme_year_policy

ISSUE_PERM = "contributions.issue_bill"
VIEW_PERM = "contributions.view_contributions"


@transaction.atomic
def bill_issue(
    *, programme_year: ProgrammeYear, first_month: date, last_month: date, actor: Any
) -> Bill:
    """Issue the bill of ``first_month``..``last_month`` (any day stands for its month).

    Lines: every participant covered on at least one day of a month, for that month, at the
    year's pinned policy's rates in force then (``payung.engine.bill_compute``, Pasal 9 ayat
    (2)); plus correction lines for the months of earlier bills whose due amount changed
    since. Each line is charged to one funding source (``selectors.budget_line_assignment``,
    Pasal 13). Due by the 15th of the first month. Refused for a period (partly) billed
    already, outside the programme year, or with nothing to bill.
    """
    if actor is None or not actor.has_perm(ISSUE_PERM):
        raise PermissionDenied
    # The year row lock serialises bill numbers and the overlap check between two treasurers.
    year = ProgrammeYear.objects.select_for_update().get(pk=programme_year.pk)
    first, last = selectors.month_first(first_month), selectors.month_first(last_month)
    if last < first:
        raise ValidationError(
            _("Bulan terakhir tagihan tidak boleh sebelum bulan pertamanya."), code="order"
        )
    if first.year != year.year or last.year != year.year:
        raise ValidationError(
            _("Periode tagihan harus di dalam tahun program %(year)s.") % {"year": year.year},
            code="outside_year",
        )
    overlapping = selectors.bill_overlapping(programme_year=year, first=first, last=last)
    if overlapping is not None:
        raise ValidationError(
            _(
                "Sebagian bulan periode ini sudah ditagih dalam Tagihan %(number)s (%(period)s); "
                "tagihan yang sudah terbit tidak diubah: perubahan masuk tagihan berikutnya "
                "sebagai koreksi."
            )
            % {
                "number": overlapping.number,
                "period": selectors.period_label(overlapping.first_month, overlapping.last_month),
            },
            code="overlap",
        )
    lines_of_year = selectors.budget_lines_ordered(programme_year=year)
    if not lines_of_year:
        raise ValidationError(
            _("Tahun program belum mempunyai pagu (Pasal 13); isi pagu sebelum menagih."),
            code="no_budget",
        )
    policy = programme_year_policy(programme_year=year)
    coverages = selectors.coverages_of_year(programme_year=year)
    regular = bill_compute(
        coverages=coverages, first=first, last=last, contribution=policy.contribution
    )
    corrections = selectors.bill_corrections_due(
        programme_year=year, policy=policy, coverages=coverages, before=first
    )
    if not regular and not corrections:
        raise ValidationError(
            _("Tidak ada peserta yang ditagih pada %(period)s: belum ada masa kepesertaan.")
            % {"period": selectors.period_label(first, last)},
            code="empty",
        )
    charged = selectors.budget_line_assignment(
        programme_year=year,
        policy=policy,
        coverages=coverages,
        keys={line.key for line in [*regular, *corrections]},
    )
    number = (Bill.objects.filter(programme_year=year).aggregate(n=Max("number"))["n"] or 0) + 1
    total = sum(line.total for line in regular) + sum(line.total for line in corrections)
    bill = Bill(
        programme_year=year,
        number=number,
        first_month=first,
        last_month=last,
        due_on=selectors.bill_due_on(first),
        participant_count=len({line.key for line in regular}),
        total=total,
        policy_sha256=year.policy_sha256,
        issued_by=actor,
    )
    bill.full_clean()
    bill.save()
    BillLine.objects.bulk_create(
        [
            BillLine(
                bill=bill,
                candidate_id=int(line.key),
                budget_line_id=charged[int(line.key)],
                month=line.month,
                jkk=line.jkk,
                jkm=line.jkm,
                correction=is_correction,
            )
            for is_correction, group in ((False, regular), (True, corrections))
            for line in group
        ],
        batch_size=2000,
    )
    audit_entry_create(
        actor=actor,
        action="bill_issue",
        target=bill,
        detail={
            "number": number,
            "first_month": first.isoformat(),
            "last_month": last.isoformat(),
            "participants": bill.participant_count,
            "lines": len(regular),
            "correction_lines": len(corrections),
            "correction_months": sorted({line.month.isoformat() for line in corrections}),
            "total": total,
            "policy_sha256": year.policy_sha256,
        },
    )
    bill_letter_request(bill=bill, actor=actor)
    return bill


def bill_letter_request(*, bill: Bill, actor: Any) -> list[Any]:
    """Queue the payment request letter (Surat Permohonan Pembayaran Iuran) as DOCX and PDF.

    Made at issue; asked again only when a regency changed its template. The letter holds
    totals, no person, so it is not confidential.
    """
    from payung.documents.services import document_request

    if actor is None or not actor.has_perm(ISSUE_PERM):
        raise PermissionDenied
    year = bill.programme_year
    return [
        document_request(
            subject=bill,
            programme_year=year,
            kind=selectors.LETTER_KIND,
            title=_("Surat Permohonan Pembayaran Iuran, Tagihan %(number)s (%(period)s)")
            % {
                "number": bill.number,
                "period": selectors.period_label(bill.first_month, bill.last_month),
            },
            fmt=fmt,
            builder=f"payung.contributions.documents.payment_request_{fmt}",
            file_name=f"permohonan-iuran-{year.year}-{bill.number:02d}.{fmt}",
            actor=actor,
        )
        for fmt in ("docx", "pdf")
    ]


@transaction.atomic
def bill_letter_download(*, document: Any, actor: Any) -> Path:
    """The stored letter, after recording who took it.

    Mirrors ``documents.services.document_download`` with this stage's permission: the
    bendahara reads the bill's letter but no other document of the year (decrees and their
    annexes name people). The letter itself holds totals only.
    """
    from payung.core.models import JobStatus

    if actor is None or not actor.has_perm(VIEW_PERM):
        raise PermissionDenied
    if document.kind != selectors.LETTER_KIND:
        raise PermissionDenied
    if document.status != JobStatus.DONE or not document.stored_path:
        raise ValidationError(_("Dokumen belum selesai dibuat."), code="not_ready")
    audit_entry_create(
        actor=actor,
        action="document_download",
        target=document,
        detail={"kind": document.kind, "format": document.format, "sha256": document.sha256},
    )
    return Path(document.stored_path)
