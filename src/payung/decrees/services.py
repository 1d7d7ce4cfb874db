"""Writes of the decree stage: the team (Pasal 10 ayat (3)-(5)), drafting decrees from their
templates, and recording the signed decree (Pasal 7 ayat (4)), which makes the verified
candidates participants (DECREED).

Which decrees exist, what they are titled and who signs them is the policy file's
``decrees`` list. A recorded decree is immutable; changes during the year are amending
decrees (``decree_draft(..., amends=...)``), each signed with its own number and date;
the amending decree of the participants decree lists who it adds (verified replacements)
and removes (ended participants), ``decree_amendment_draft``.
"""

from __future__ import annotations

import hashlib
import io
from datetime import date
from pathlib import Path
from typing import Any, Final

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from pypdf import PasswordType, PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError

from payung.audit.services import audit_entry_create
from payung.core.formatting import angka, judul, tanggal, terbilang
from payung.decrees import selectors
from payung.decrees.models import Decree, DecreeChange
from payung.documents.services import document_request, documents_dir
from payung.documents.storage import private_file_write
from payung.domain import nik as nik_domain
from payung.domain.calendar import MONTHS
from payung.domain.policy import DecreeSpec
from payung.participants.forecast import place_cost, places_affordable, places_cost_committed
from payung.participants.models import CandidateState, Proposal
from payung.participants.services import proposal_locked
from payung.participants.transitions import candidates_transition
from payung.programmes.models import ProgrammeYear, TeamMember
from payung.programmes.selectors import programme_year_policy, team_member_list
from payung.programmes.services import programme_year_advance

#: Largest signed scan accepted (a few pages scanned at 300 dpi fit well below it).
MAX_SCAN_BYTES: Final = 10 * 1024 * 1024


def _spec(programme_year: ProgrammeYear, kind: str) -> DecreeSpec:
    try:
        return programme_year_policy(programme_year=programme_year).decree(kind)
    except KeyError:
        raise ValidationError(
            _("Kebijakan tahun ini tidak mengenal keputusan '%(kind)s'.") % {"kind": kind},
            code="kind",
        ) from None


# --- team -----------------------------------------------------------------------------------


@transaction.atomic
def team_member_add(
    *,
    programme_year: ProgrammeYear,
    actor: Any,
    position: str,
    name: str,
    agency: str,
    jabatan: str = "",
    nip: str = "",
) -> TeamMember:
    if not actor.has_perm("programmes.manage_team"):
        raise PermissionDenied
    if programme_year.decrees.filter(kind="tim", status=Decree.Status.SIGNED).exists():
        raise ValidationError(
            _("Keputusan tim sudah ditetapkan; perubahan susunan memerlukan keputusan baru."),
            code="frozen",
        )
    member = TeamMember(
        programme_year=programme_year,
        position=position,
        name=" ".join(name.split()),
        agency=" ".join(agency.split()),
        jabatan=" ".join(jabatan.split()),
        nip=nip.strip(),
    )
    member.full_clean()
    single = position in (TeamMember.Position.KETUA, TeamMember.Position.SEKRETARIS)
    if (
        single
        and TeamMember.objects.filter(programme_year=programme_year, position=position).exists()
    ):
        raise ValidationError(
            _("Tim hanya mempunyai satu %(pos)s.") % {"pos": member.get_position_display()},
            code="one_only",
        )
    member.save()
    audit_entry_create(
        actor=actor,
        action="team_member_add",
        target=member,
        detail={"position": position, "agency": member.agency},
    )
    return member


# --- drafts ---------------------------------------------------------------------------------


@transaction.atomic
def decree_draft(
    *,
    programme_year: ProgrammeYear,
    kind: str,
    actor: Any,
    amends: Decree | None = None,
    on: date | None = None,
) -> Decree:
    """Draft a decree and queue its documents.

    A participants decree names the verified candidates; it can only be drafted once
    verification is complete (nobody proposed and unanswered), so the Regent signs the whole
    year's list. A team decree needs the team with its ketua.

    With ``amends``, the draft is an amending decree of that signed decree (same year and
    kind): once a decree is signed, every later change is such a decree with its own number
    and date, and the amended decree stays as it was signed. An amending decree of the decree
    that establishes participants lists its additions and removals
    (``_amending_participants_draft``); one of another kind is the link alone. ``on`` is the
    day of drafting (default today, Asia/Jakarta): it decides the months the additions are
    paid for.
    """
    if not actor.has_perm("decrees.draft_decree"):
        raise PermissionDenied
    spec = _spec(programme_year, kind)
    if amends is not None:
        return _amending_draft(
            programme_year=programme_year,
            kind=kind,
            actor=actor,
            amends=amends,
            spec=spec,
            on=on or _today(),
        )
    if programme_year.decrees.filter(kind=kind, status=Decree.Status.SIGNED).exists():
        raise ValidationError(
            _("Keputusan ini sudah ditetapkan; perubahan dilakukan dengan keputusan perubahan."),
            code="signed",
        )
    policy = programme_year_policy(programme_year=programme_year)
    count = 0
    cost = 0
    monthly = 0
    months = 0
    digest = ""
    if spec.subject == "participants":
        proposal = selectors.proposal_of(programme_year)
        if proposal is None or proposal.status != Proposal.Status.APPROVED:
            raise ValidationError(
                _("Usulan calon peserta tahun ini belum disetujui."), code="no_proposal"
            )
        pending = proposal.candidates.filter(state=CandidateState.PROPOSED).count()
        if pending:
            raise ValidationError(
                _(
                    "Masih ada %(n)s calon yang belum diverifikasi Disdukcapil; selesaikan "
                    "verifikasi sebelum menyusun keputusan."
                )
                % {"n": pending},
                code="pending",
            )
        ids = list(
            selectors.participants(programme_year=programme_year).values_list("pk", flat=True)
        )
        if not ids:
            raise ValidationError(_("Belum ada calon yang terverifikasi."), code="empty")
        count = len(ids)
        months = proposal.months
        # The first covered month's rate, and the exact total over the months (rates dated).
        monthly = policy.contribution.monthly_on(date(programme_year.year, 13 - months, 1))
        cost = count * policy.annual_cost_per_person(months, year=programme_year.year)
        digest = selectors.participants_digest(ids)
    else:
        members = team_member_list(programme_year=programme_year)
        if not any(m.position == TeamMember.Position.KETUA for m in members):
            raise ValidationError(
                _("Susunan tim belum lengkap: tetapkan ketua tim terlebih dahulu."),
                code="no_ketua",
            )
        count = len(members)
    decree = Decree.objects.create(
        programme_year=programme_year,
        kind=kind,
        title=spec.title.format(year=programme_year.year),
        participant_count=count,
        total_cost=cost,
        monthly_cost=monthly,
        months=months,
        participants_digest=digest,
        drafted_by=actor,
    )
    _documents_request(decree, spec, actor)
    audit_entry_create(
        actor=actor,
        action="decree_draft",
        target=decree,
        detail={"kind": kind, "count": count, "total_cost": cost, "digest": digest},
    )
    return decree


def _today() -> date:
    """Today in Asia/Jakarta: the one clock of the amending draft (tests replace it)."""
    return timezone.localdate()


def _amending_draft(
    *,
    programme_year: ProgrammeYear,
    kind: str,
    actor: Any,
    amends: Decree,
    spec: DecreeSpec,
    on: date,
) -> Decree:
    """Draft an amending decree of ``amends`` after checking the link (see ``decree_draft``).

    The amended row is locked, not changed: a concurrent record of it cannot slip between
    the check that it is signed and the draft that points at it.
    """
    amended = Decree.objects.select_for_update().filter(pk=amends.pk).first()
    if amended is None or amended.programme_year_id != programme_year.pk or amended.kind != kind:
        raise ValidationError(
            _("Keputusan perubahan hanya dapat mengubah keputusan jenis yang sama pada tahun ini."),
            code="amends_other",
        )
    if amended.status != Decree.Status.SIGNED:
        raise ValidationError(
            _("Hanya keputusan yang sudah ditetapkan yang dapat diubah."), code="amends_draft"
        )
    base_title = programme_year.decrees.filter(
        kind=kind, amends__isnull=True, status=Decree.Status.SIGNED
    ).first()
    title = _("Perubahan atas %(title)s") % {"title": (base_title or amended).title}
    if spec.establishes_participants:
        return _amending_participants_draft(
            programme_year=programme_year,
            spec=spec,
            actor=actor,
            amended=amended,
            on=on,
        )
    decree = Decree.objects.create(
        programme_year=programme_year,
        kind=kind,
        title=title[:300],
        amends=amended,
        drafted_by=actor,
    )
    audit_entry_create(
        actor=actor,
        action="decree_draft",
        target=decree,
        detail={"kind": kind, "amends": amended.pk, "amends_number": amended.number},
    )
    return decree


def amendment_months(*, programme_year: ProgrammeYear, months: int, on: date) -> tuple[int, int]:
    """The first month and the number of months an amending decree's additions are paid for.

    Pasal 6 ayat (2) and 9: contributions are paid per month from the regional budget. A
    person added by an amending decree is registered with BPJS after the Regent signs, so
    the earliest month that can be paid for is the month after the month of drafting; cover
    runs to December. Never earlier than the year's own first covered month (a year with
    ``months`` coverage months starts in month ``13 - months``). ``(13, 0)``: no month left.
    """
    year_start = 13 - months
    if on.year < programme_year.year:
        first = year_start
    elif on.year > programme_year.year:
        first = 13
    else:
        first = max(on.month + 1, year_start)
    return first, max(0, 13 - first)


def _additions_affordable(*, programme_year: ProgrammeYear, first_month: int, wanted: int) -> int:
    """How many of ``wanted`` additions the remaining pagu pays for, each covered from
    ``first_month`` to December (Pasal 6 ayat (2), Pasal 13: every funding source).

    FORECAST CALL SITE: the one place amending decrees ask the budget forecast
    (``payung.participants.forecast``). Its ``places_affordable`` counts people *beyond* the
    current place-holders, and the verified additions already hold places there (charged
    from ``first_month``); so the additions are taken out of what is committed and the
    number that fits is counted again, which also tells "exactly fits" from "over".
    """
    from_month = date(programme_year.year, first_month, 1)
    if places_affordable(programme_year=programme_year, from_month=from_month) > 0:
        return wanted  # money left over even with the additions counted in
    cost = place_cost(programme_year=programme_year, from_month=from_month)
    if cost <= 0:
        return wanted
    pagu = programme_year.budget_lines.aggregate(total=Sum("amount"))["total"] or 0
    committed = places_cost_committed(programme_year=programme_year, from_month=from_month)
    return max(0, min(wanted, (pagu - committed + wanted * cost) // cost))


def _amending_participants_draft(
    *,
    programme_year: ProgrammeYear,
    spec: DecreeSpec,
    actor: Any,
    amended: Decree,
    on: date,
) -> Decree:
    """Draft the amending participants decree: additions and removals fixed now.

    Pasal 7 ayat (4): who is a participant is fixed by the Regent's decree, so a replacement
    verified by Disdukcapil (Pasal 7 ayat (3)) becomes one only by an amending decree, and an
    ended participant (refused by BPJS under Pasal 8 ayat (3), died, moved, ...) leaves the
    decree's list by one. The lists are stored with their digest, so recording the signed
    decree checks nothing changed since drafting. The money is stored as decided: the
    monthly contribution (Pasal 9 ayat (2)) and the months from the month after drafting to
    December (``amendment_months``); the additions must fit the remaining pagu (Pasal 6 ayat
    (2)).
    """
    latest = selectors.amendment_base(programme_year=programme_year, kind=spec.id)
    if latest is None or latest.pk != amended.pk:
        raise ValidationError(
            _("Keputusan perubahan mengubah keputusan yang terakhir ditetapkan (Nomor %(number)s).")
            % {"number": latest.number if latest else "-"},
            code="amends_not_latest",
        )
    first = latest
    while first.amends_id is not None:
        first = Decree.objects.get(pk=first.amends_id)
    ordinal = programme_year.decrees.filter(
        kind=spec.id, status=Decree.Status.SIGNED, amends__isnull=False
    ).count()
    # "Perubahan Kedua atas Keputusan ... Nomor <first>": every amendment names the first.
    title = _(
        "Perubahan %(ordinal)satas Keputusan %(issuer)s Nomor %(number)s tentang %(title)s"
    ) % {
        "ordinal": f"Ke{terbilang(ordinal + 1)} " if ordinal else "",
        "issuer": judul(spec.issuer),
        "number": first.number,
        "title": first.title,
    }
    proposal = selectors.proposal_of(programme_year)
    if proposal is None:
        raise ValidationError(_("Tahun program ini belum mempunyai usulan."), code="no_proposal")
    proposal = proposal_locked(proposal.pk)
    plan = selectors.amendment_plan(programme_year=programme_year)
    if plan.empty:
        raise ValidationError(
            _(
                "Tidak ada yang perlu diubah: belum ada calon pengganti yang terverifikasi "
                "Disdukcapil dan belum ada peserta yang berakhir sejak keputusan terakhir."
            ),
            code="nothing",
        )
    policy = programme_year_policy(programme_year=programme_year)
    first, months = amendment_months(programme_year=programme_year, months=proposal.months, on=on)
    monthly = per_person = 0
    if plan.additions:
        if months == 0:
            raise ValidationError(
                _(
                    "Tidak ada lagi bulan kepesertaan tersisa pada tahun program %(year)s; "
                    "calon pengganti tidak dapat ditambahkan."
                )
                % {"year": programme_year.year},
                code="no_months",
            )
        affordable = _additions_affordable(
            programme_year=programme_year, first_month=first, wanted=len(plan.additions)
        )
        if len(plan.additions) > affordable:
            raise ValidationError(
                _(
                    "Sisa pagu hanya cukup untuk %(n)s peserta tambahan mulai %(m)s, "
                    "sedangkan calon yang akan ditambahkan %(k)s orang (Pasal 6 ayat (2))."
                )
                % {
                    "n": angka(affordable),
                    "m": f"{MONTHS[first - 1]} {programme_year.year}",
                    "k": angka(len(plan.additions)),
                },
                code="over_pagu",
            )
        monthly = policy.contribution.monthly_on(date(programme_year.year, first, 1))
        per_person = policy.annual_cost_per_person(months, year=programme_year.year)
    decree = Decree.objects.create(
        programme_year=programme_year,
        kind=spec.id,
        title=title[:300],
        amends=amended,
        participant_count=plan.count_after,
        total_cost=len(plan.additions) * per_person,
        monthly_cost=monthly,
        months=months if plan.additions else 0,
        participants_digest=plan.digest,
        drafted_by=actor,
    )
    DecreeChange.objects.bulk_create(
        [
            DecreeChange(
                decree=decree,
                candidate=planned.candidate,
                change=change,
                reason_code=planned.reason_code,
                reason=planned.reason[:200],
            )
            for change, rows in (
                (DecreeChange.Change.ADDITION, plan.additions),
                (DecreeChange.Change.REMOVAL, plan.removals),
            )
            for planned in rows
        ],
        batch_size=2000,
    )
    _documents_request(decree, spec, actor)
    audit_entry_create(
        actor=actor,
        action="decree_draft",
        target=decree,
        detail={
            "kind": spec.id,
            "amends": amended.pk,
            "amends_number": amended.number,
            "additions": len(plan.additions),
            "removals": len(plan.removals),
            "count_after": plan.count_after,
            "months": decree.months,
            "total_cost": decree.total_cost,
            "digest": plan.digest,
        },
    )
    return decree


@transaction.atomic
def decree_amendment_draft(
    *, programme_year: ProgrammeYear, actor: Any, on: date | None = None
) -> Decree:
    """Draft the amending decree of the year's participants decree (or of its latest
    amendment), from the decree page's one button.

    Pasal 7 ayat (4): refused with a reason when there is no signed participants decree
    yet, or nothing to add or remove.
    """
    if not actor.has_perm("decrees.draft_decree"):
        raise PermissionDenied
    spec = selectors.establishing_spec(programme_year=programme_year)
    base = (
        selectors.amendment_base(programme_year=programme_year, kind=spec.id)
        if spec is not None
        else None
    )
    if spec is None or base is None:
        raise ValidationError(
            _(
                "Belum ada keputusan penetapan peserta yang ditetapkan; keputusan perubahan "
                "disusun sesudahnya."
            ),
            code="no_base",
        )
    return decree_draft(
        programme_year=programme_year, kind=spec.id, actor=actor, amends=base, on=on
    )


def _documents_request(
    decree: Decree, spec: DecreeSpec, actor: Any, *, final: bool = False
) -> None:
    """Queue a decree's documents: at drafting (RANCANGAN, dots for number and date) and,
    with ``final``, once recorded as signed: the builders then print the number, the date
    and the signer (``decrees.documents``: requested after the record), and the draft's
    files stay as they were (issue 9, defect 2)."""
    year = decree.programme_year
    stem = f"keputusan-{decree.kind.replace('_', '-')}-{year.year}-{decree.pk}"
    builder = "payung.decrees.documents"
    # An amending participants decree has its own template and annex (two lists).
    amending = "amending_" if decree.amends_id is not None and spec.establishes_participants else ""
    if amending:
        stem = f"keputusan-perubahan-{decree.kind.replace('_', '-')}-{year.year}-{decree.pk}"
    if final:
        stem = f"{stem}-ditetapkan"
    common = {"subject": decree, "programme_year": year, "actor": actor}
    document_request(
        **common,
        kind="keputusan",
        title=(
            _("%(title)s (ditetapkan, Nomor %(number)s)")
            % {"title": decree.title, "number": decree.number}
            if final
            else decree.title
        ),
        fmt="docx",
        builder=f"{builder}.{amending}decree_docx",
        file_name=f"{stem}.docx",
    )
    if spec.subject != "participants":
        return
    document_request(
        **common,
        kind="lampiran",
        title=_("Lampiran ditetapkan (NIK disamarkan)")
        if final
        else _("Lampiran (NIK disamarkan)"),
        fmt="pdf",
        builder=f"{builder}.{amending}annex_pdf",
        file_name=f"{stem}-lampiran.pdf",
    )
    for fmt in ("docx", "pdf"):
        document_request(
            **common,
            kind="lampiran_internal",
            title=(
                _("Salinan internal ditetapkan dengan NIK lengkap")
                if final
                else _("Salinan internal dengan NIK lengkap")
            ),
            fmt=fmt,
            builder=f"{builder}.{amending}internal_{fmt}",
            file_name=f"{stem}-internal.{fmt}",
            confidential=True,
        )


# --- signed -----------------------------------------------------------------------------------


def decree_signed_on_earliest(*, decree: Decree, programme_year: ProgrammeYear) -> date:
    """The earliest signing date a decree may be recorded with (issue 9, defect 3).

    Pasal 7 ayat (4): the Regent signs the decree drafted here, so it cannot be signed before
    its draft existed; a date years earlier (1 January 2020 for the 2026 year) is a typing
    slip that would date cover and the register wrongly. The bound is the draft's day, or 1
    January of the programme year when that is earlier: a year whose paper decree was drafted
    and signed before the year was taken into Payung is recorded with its real date.
    """
    drafted = timezone.localdate(decree.drafted_at)
    return min(drafted, date(programme_year.year, 1, 1))


@transaction.atomic
def decree_record_signed(
    *,
    decree: Decree,
    actor: Any,
    number: str,
    signed_on: date,
    signer_name: str,
    scan: Any,
) -> Decree:
    """Record the decree as signed: number, date, signer and the signed scan (PDF).

    Four eyes: not by the person who drafted it. For the decree that fixes participants
    (Pasal 7 ayat (4)), the verified candidates become DECREED with the decree number and the
    scan's SHA-256 as evidence; refused if the list changed since the draft. For an amending
    decree of it, its additions become DECREED and its removals are recorded
    (``_amendment_apply``), refused likewise if either list changed.
    """
    if not actor.has_perm("decrees.record_signed_decree"):
        raise PermissionDenied
    # Records of one regency's decrees queue behind its programme years' rows: otherwise two
    # drafts of one kind recorded at once both pass the checks below (the second then hits
    # the one-signed-per-kind constraint, a 500), and two decrees can take one number.
    region = ProgrammeYear.objects.filter(pk=decree.programme_year_id).values("region_code")
    list(
        ProgrammeYear.objects.select_for_update()
        .filter(region_code__in=region)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    locked = Decree.objects.select_for_update().get(pk=decree.pk)
    if locked.status != Decree.Status.DRAFT:
        raise ValidationError(
            _("Keputusan ini sudah ditetapkan dan tidak dapat diubah."), code="signed"
        )
    if locked.drafted_by_id == actor.pk:
        raise ValidationError(
            _(
                "Prinsip empat mata: keputusan dicatat oleh orang lain, bukan oleh penyusun "
                "rancangannya."
            ),
            code="four_eyes",
        )
    number = " ".join(number.split())
    signer_name = " ".join(signer_name.split())
    errors = []
    if not number:
        errors.append(_("Nomor keputusan wajib diisi."))
    if not signer_name:
        errors.append(_("Nama penanda tangan wajib diisi."))
    if signed_on > timezone.localdate():
        errors.append(_("Tanggal penetapan tidak boleh di masa depan."))
    year = locked.programme_year
    earliest = decree_signed_on_earliest(decree=locked, programme_year=year)
    if signed_on < earliest:
        errors.append(
            _(
                "Tanggal penetapan tidak boleh sebelum %(earliest)s: rancangan keputusan tahun "
                "program %(year)s belum ada sebelum tanggal itu."
            )
            % {"earliest": tanggal(earliest), "year": year.year}
        )
    content = _scan_bytes(scan, errors)
    if errors:
        raise ValidationError(errors, code="invalid")
    if (
        Decree.objects.filter(programme_year__region_code=year.region_code, number=number)
        .exclude(pk=locked.pk)
        .exists()
    ):
        raise ValidationError(_("Nomor keputusan ini sudah dipakai."), code="number")
    # Two drafts of one kind can exist; once one is signed the other must be refused here,
    # not by the database's one-signed-per-kind constraint (an IntegrityError, a 500).
    # Amending decrees are the way to change a signed one, so they are not counted.
    first = locked.amends_id is None
    if (
        first
        and Decree.objects.filter(
            programme_year=year, kind=locked.kind, status=Decree.Status.SIGNED, amends__isnull=True
        )
        .exclude(pk=locked.pk)
        .exists()
    ):
        raise ValidationError(
            _("Keputusan jenis ini sudah ditetapkan; rancangan lain tidak dapat dicatat."),
            code="kind_signed",
        )
    # One paper, one decree: the scan is the evidence of this signature (its SHA-256 goes
    # into every candidate's event), so another decree's scan is a wrong upload.
    sha256 = hashlib.sha256(content).hexdigest()
    same = Decree.objects.filter(scan_sha256=sha256).exclude(pk=locked.pk).first()
    if same is not None:
        raise ValidationError(
            _(
                "Pindaian ini sudah dicatat untuk keputusan lain (Nomor %(number)s); "
                "unggah pindaian keputusan ini sendiri."
            )
            % {"number": same.number},
            code="scan_used",
        )
    spec = _spec(year, locked.kind)
    moved = removed = 0
    if spec.establishes_participants and not first:
        moved, removed = _amendment_apply(
            decree=locked, actor=actor, number=number, scan_sha256=sha256
        )
    if spec.establishes_participants and first:
        proposal = proposal_locked(selectors.proposal_of(year).pk)  # type: ignore[union-attr]
        ids = list(
            proposal.candidates.filter(state=CandidateState.VERIFIED).values_list("pk", flat=True)
        )
        if selectors.participants_digest(ids) != locked.participants_digest:
            raise ValidationError(
                _(
                    "Daftar calon terverifikasi berubah sejak rancangan ini disusun; susun "
                    "rancangan baru dan tandatangani ulang."
                ),
                code="changed",
            )
        moved = candidates_transition(
            candidate_ids=ids,
            action="decree",
            actor=actor,
            reason_code="keputusan",
            evidence={"decree": locked.pk, "number": number, "scan_sha256": sha256},
            prepared_by=locked.drafted_by,
        )
    # Written only once every check has passed, so a refused record leaves no orphan file;
    # a rollback after this point leaves one, named by the hash, harmless to write again.
    path = private_file_write(
        path=documents_dir() / f"sk-{locked.pk}-{sha256[:12]}.pdf", content=content
    )
    locked.status = Decree.Status.SIGNED
    locked.number = number
    locked.signed_on = signed_on
    locked.signer_name = signer_name
    locked.scan_path = str(path)
    locked.scan_sha256 = sha256
    locked.scan_size = len(content)
    locked.recorded_by = actor
    locked.recorded_at = timezone.now()
    locked.save()
    if spec.establishes_participants and first:
        programme_year_advance(programme_year=year, status=ProgrammeYear.Status.DITETAPKAN)
    _documents_request(locked, spec, actor, final=True)
    audit_entry_create(
        actor=actor,
        action="decree_record_signed",
        target=locked,
        detail={
            "kind": locked.kind,
            "number": number,
            "signed_on": signed_on.isoformat(),
            "scan_sha256": sha256,
            "decreed": moved,
            "removed": removed,
            "amends": locked.amends_id,
        },
    )
    return locked


def _amendment_apply(
    *, decree: Decree, actor: Any, number: str, scan_sha256: str
) -> tuple[int, int]:
    """Apply a signed amending participants decree; return (decreed, removed).

    Pasal 7 ayat (4): the additions become participants (VERIFIED → DECREED through the one
    transitions table, the decree number as evidence, not by whoever drafted it). The
    removals have already ENDED (their end is in their history with its reason and
    evidence); the decree does not change their state: it is recorded by the decree's
    stored list (``DecreeChange``), which keeps them out of every later amending decree,
    and in the audit trail. Refused when either list changed since the draft.
    """
    year = decree.programme_year
    proposal_locked(selectors.proposal_of(year).pk)  # type: ignore[union-attr]
    plan = selectors.amendment_plan(programme_year=year)
    if plan.digest != decree.participants_digest:
        raise ValidationError(
            _(
                "Daftar penambahan atau pengurangan peserta berubah sejak rancangan keputusan "
                "perubahan ini disusun; susun rancangan baru dan tandatangani ulang."
            ),
            code="changed",
        )
    additions, removals = selectors.decree_changes(decree=decree)
    moved = candidates_transition(
        candidate_ids=[c.candidate_id for c in additions],
        action="decree",
        actor=actor,
        reason_code="keputusan_perubahan",
        evidence={
            "decree": decree.pk,
            "number": number,
            "scan_sha256": scan_sha256,
            "amends": decree.amends_id,
        },
        prepared_by=decree.drafted_by,
    )
    # One entry per person removed, on the candidate: their history ends with the end event,
    # the audit trail says which decree took them off the list.
    for change in removals:
        audit_entry_create(
            actor=actor,
            action="decree_removal",
            target=change.candidate,
            detail={
                "decree": decree.pk,
                "number": number,
                "nik_masked": nik_domain.mask(change.candidate.nik),
                "reason_code": change.reason_code,
            },
        )
    return moved, len(removals)


def _scan_bytes(scan: Any, errors: list[str]) -> bytes:
    if scan is None:
        errors.append(_("Unggah pindaian keputusan yang telah ditandatangani (PDF)."))
        return b""
    size = getattr(scan, "size", None)
    if size is not None and size > MAX_SCAN_BYTES:
        errors.append(_("Pindaian terlalu besar (maksimal 10 MB)."))
        return b""
    content = scan.read(MAX_SCAN_BYTES + 1)
    try:
        pdf_scan_check(content=content)
    except ValidationError as refused:
        errors.extend(refused.messages)
    return content


def pdf_scan_check(*, content: bytes, max_bytes: int = MAX_SCAN_BYTES) -> int:
    """Refuse anything but a readable PDF with at least one page; return its page count.

    The signed scan is the evidence that the Regent decreed the participants (Pasal 7 ayat
    (4)); a file that merely starts with ``%PDF-`` proves nothing and cannot be opened by an
    auditor later. So the file is parsed (pypdf), its page tree walked, and a PDF locked
    with a password refused because nobody could read it without one. The header is checked
    before pypdf, which would otherwise repair a file that is not a PDF at all. Every refusal
    is a ``ValidationError`` with a stable code and an Indonesian message, so any upload
    (this form, the upload registry, the fuzz campaign) words it the same way.
    """
    if not content:
        raise ValidationError(_("Berkas pindaian kosong."), code="scan_empty")
    if len(content) > max_bytes:
        raise ValidationError(
            _("Pindaian terlalu besar (maksimal %(mb)s MB).") % {"mb": max_bytes // (1024 * 1024)},
            code="scan_too_large",
        )
    if not content.startswith(b"%PDF-"):
        raise ValidationError(_("Pindaian harus berkas PDF."), code="scan_not_pdf")
    unreadable = ValidationError(
        _(
            "Berkas pindaian bukan PDF yang dapat dibaca (rusak atau tidak lengkap); pindai "
            "ulang lalu unggah kembali."
        ),
        code="scan_unreadable",
    )
    locked = ValidationError(
        _(
            "Pindaian PDF dikunci dengan kata sandi sehingga tidak dapat dibuka; simpan ulang "
            "tanpa kata sandi lalu unggah kembali."
        ),
        code="scan_encrypted",
    )
    # Lenient parsing (strict=False) accepts what real scanners write (slightly wrong xref
    # offsets); the header check above and the page walk below refuse what is not a PDF.
    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise locked
        # Walking the page tree (not trusting /Count) proves the pages exist.
        pages = sum(1 for page in reader.pages if page.mediabox is not None)
    except ValidationError:
        raise
    except (FileNotDecryptedError, DependencyError):
        # DependencyError: AES without the optional cryptography package; unreadable to us.
        raise locked from None
    except Exception:  # any failure to parse is a fault of the uploaded file, not a bug
        raise unreadable from None
    if pages < 1:
        raise ValidationError(_("Pindaian PDF tidak berisi halaman."), code="scan_no_pages")
    return pages


@transaction.atomic
def decree_scan_open(*, decree: Decree, actor: Any) -> Path:
    """The signed scan's path, after recording who took it.

    Mirrors ``documents.services.document_download``: the scan of a participants decree
    carries the names of the whole year's participants, so every download is in the audit
    trail with the scan's SHA-256 (what was handed out can be matched to what was signed).
    """
    if not actor.has_perm("decrees.view_decree"):
        raise PermissionDenied
    if decree.status != Decree.Status.SIGNED or not decree.scan_path:
        raise ValidationError(
            _("Keputusan ini belum ditetapkan; belum ada pindaian."), code="not_signed"
        )
    audit_entry_create(
        actor=actor,
        action="decree_scan_download",
        target=decree,
        detail={"kind": decree.kind, "number": decree.number, "scan_sha256": decree.scan_sha256},
    )
    return Path(decree.scan_path)
