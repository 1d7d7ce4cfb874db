"""Writes of the decree stage: the team (Pasal 10 ayat (3)-(5)), drafting decrees from their
templates, and recording the signed decree (Pasal 7 ayat (4)), which makes the verified
candidates participants (DECREED).

Which decrees exist, what they are titled and who signs them is the policy file's
``decrees`` list. A recorded decree is immutable; changes during the year are amending
decrees (``decree_draft(..., amends=...)``), each signed with its own number and date.
"""

from __future__ import annotations

import hashlib
import io
from datetime import date
from pathlib import Path
from typing import Any, Final

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from pypdf import PasswordType, PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError

from payung.audit.services import audit_entry_create
from payung.decrees import selectors
from payung.decrees.models import Decree
from payung.documents.services import document_request, documents_dir
from payung.documents.storage import private_file_write
from payung.domain.policy import DecreeSpec
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
    *, programme_year: ProgrammeYear, kind: str, actor: Any, amends: Decree | None = None
) -> Decree:
    """Draft a decree and queue its documents.

    A participants decree names the verified candidates; it can only be drafted once
    verification is complete (nobody proposed and unanswered), so the Regent signs the whole
    year's list. A team decree needs the team with its ketua.

    With ``amends``, the draft is an amending decree of that signed decree (same year and
    kind): once a decree is signed, every later change is such a decree with its own number
    and date, and the amended decree stays as it was signed. What an amending participants
    decree adds and removes (and its documents) is issue 12's; here only the link.
    """
    if not actor.has_perm("decrees.draft_decree"):
        raise PermissionDenied
    spec = _spec(programme_year, kind)
    if amends is not None:
        return _amending_draft(programme_year=programme_year, kind=kind, actor=actor, amends=amends)
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


def _amending_draft(
    *, programme_year: ProgrammeYear, kind: str, actor: Any, amends: Decree
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


def _documents_request(decree: Decree, spec: DecreeSpec, actor: Any) -> None:
    year = decree.programme_year
    stem = f"keputusan-{decree.kind.replace('_', '-')}-{year.year}-{decree.pk}"
    builder = "payung.decrees.documents"
    common = {"subject": decree, "programme_year": year, "actor": actor}
    document_request(
        **common,
        kind="keputusan",
        title=decree.title,
        fmt="docx",
        builder=f"{builder}.decree_docx",
        file_name=f"{stem}.docx",
    )
    if spec.subject != "participants":
        return
    document_request(
        **common,
        kind="lampiran",
        title=_("Lampiran (NIK disamarkan)"),
        fmt="pdf",
        builder=f"{builder}.annex_pdf",
        file_name=f"{stem}-lampiran.pdf",
    )
    for fmt in ("docx", "pdf"):
        document_request(
            **common,
            kind="lampiran_internal",
            title=_("Salinan internal dengan NIK lengkap"),
            fmt=fmt,
            builder=f"{builder}.internal_{fmt}",
            file_name=f"{stem}-internal.{fmt}",
            confidential=True,
        )


# --- signed -----------------------------------------------------------------------------------


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
    scan's SHA-256 as evidence; refused if the list changed since the draft.
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
    content = _scan_bytes(scan, errors)
    if errors:
        raise ValidationError(errors, code="invalid")
    year = locked.programme_year
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
    spec = _spec(year, locked.kind)
    sha256 = hashlib.sha256(content).hexdigest()
    moved = 0
    # An amending decree's additions and removals are issue 12's; it moves nobody here.
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
            "amends": locked.amends_id,
        },
    )
    return locked


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
