"""Writes of the screening stage: start a run over an import, execute it, reveal, export.

Pasal 7 ayat (1) gives Dinas Sosial the pendataan of Pekerja Rentan who meet the criteria of
Pasal 5 ayat (2), on DTSEN. A screening run is that step made reproducible: one import, one
policy version, one as-of date and the year's pagu (Pasal 6 ayat (2)) go in; one decision per
person comes out, exactly as ``payung screen`` would write it for the same rows. Every write
here leaves an entry in the audit trail in the same transaction.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from payung.audit.services import audit_entry_create
from payung.core.bulk import bulk_load
from payung.core.jobs import BUSY, JobLost, job_lease_hold, job_reap_if_dead, job_update
from payung.core.models import JobStatus
from payung.domain import nik as nik_domain
from payung.domain.policy import Policy, PolicyError
from payung.engine import BackendUnavailable, ExtractHandover, ScreeningResult, connect, screen
from payung.programmes.models import ProgrammeYear
from payung.programmes.selectors import programme_year_policy
from payung.registry.models import DtsenImport, Person
from payung.screening import exports
from payung.screening.models import Decision, ScreeningRun
from payung.screening.selectors import (
    DecisionFilters,
    decision_area_counts,
    decision_export_rows,
)

logger = logging.getLogger(__name__)

#: Decision columns in the order ``_decision_tuples`` yields them (Django attnames).
DECISION_COLUMNS: tuple[str, ...] = (
    "run_id",
    "person_id",
    "row",
    "nik",
    "status",
    "reasons",
    "priority_rank",
    "priorities",
    "flags",
    "age",
    "desil",
    "occupation_category",
    "kode_desa",
    "kode_kecamatan",
)

#: The engine's text columns that the Decision model stores as '' rather than NULL.
_TEXT_COLUMNS = frozenset(
    {"nik", "status", "reasons", "priorities", "flags", "occupation_category", "kode_desa"}
)


class ScreeningFailure(Exception):
    """A run that cannot finish for a reason the operator can act on; Indonesian message.

    Raised inside ``screening_run_execute`` and turned into a failed run, never shown as a
    traceback. The message must hold no personal data: it is shown to every reader of the
    run page and stored in the audit trail.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- start -----------------------------------------------------------------------------


@transaction.atomic
def screening_run_start(
    *, programme_year: ProgrammeYear, dtsen_import: DtsenImport, started_by: Any
) -> ScreeningRun:
    """Queue a screening of a finished import under the year's policy, as-of date and pagu.

    The run copies the year's policy id and version, as-of date (Pasal 5 ayat (2) huruf b
    measures age on it), coverage months and the sum of its budget lines (the pagu that
    Pasal 6 ayat (2) phases coverage by), so a later change to the year never alters what
    an earlier run decided. A year without budget lines has no pagu yet: its run gives
    ``eligible`` without the selected/waitlisted cut.

    Raises ``ValidationError`` (Indonesian) for an import of another year, an import that
    has not finished, or one already being screened.
    """
    if dtsen_import.programme_year_id != programme_year.pk:
        raise ValidationError(
            _("Impor ini bukan milik tahun program %(year)s.") % {"year": programme_year},
            code="import_other_year",
        )
    if dtsen_import.status != JobStatus.DONE:
        raise ValidationError(
            _(
                "Impor belum selesai diproses (status: %(status)s); penyaringan hanya dapat "
                "dijalankan atas impor yang selesai."
            )
            % {"status": dtsen_import.get_status_display()},
            code="import_not_done",
        )
    if dtsen_import.overlap_unconfirmed:  # registry.services.dtsen_import_overlap_confirm
        raise ValidationError(
            _(
                "Sebagian orang dalam impor ini sudah ada pada impor sebelumnya; konfirmasi "
                "tumpang tindih pada halaman impor sebelum penyaringan."
            ),
            code="import_overlap_unconfirmed",
        )
    # A run whose worker was killed must not block new runs for ever: reap it first.
    busy = [
        job_reap_if_dead(job=other)
        for other in ScreeningRun.objects.filter(dtsen_import=dtsen_import, status__in=BUSY)
    ]
    if any(other.status in BUSY for other in busy):
        raise ValidationError(
            _("Penyaringan atas impor ini sedang berjalan; tunggu sampai selesai."),
            code="run_in_progress",
        )
    budget = programme_year.budget_lines.aggregate(total=Sum("amount"))["total"]
    run = ScreeningRun(
        programme_year=programme_year,
        dtsen_import=dtsen_import,
        policy_id=programme_year.policy_id,
        policy_version=programme_year.policy_version,
        as_of=programme_year.as_of,
        months=programme_year.coverage_months,
        budget=budget,
        started_by=started_by,
    )
    run.full_clean()
    run.save()
    audit_entry_create(
        actor=started_by,
        action="screening_run_start",
        target=run,
        detail={
            "programme_year": programme_year.pk,
            "dtsen_import": dtsen_import.pk,
            "policy_id": run.policy_id,
            "policy_version": run.policy_version,
            "as_of": run.as_of.isoformat(),
            "budget": run.budget,
            "months": run.months,
        },
    )
    transaction.on_commit(partial(_enqueue, run.pk))
    return run


def _enqueue(run_id: int) -> None:
    """Hand the run to the task backend once the run row is committed, and keep the task id."""
    from payung.screening.tasks import screening_run_execute as task

    result = task.enqueue(run_id=run_id)
    # update(), not save(): with an immediate backend the task has already finished and
    # saving a stale instance would overwrite its status.
    ScreeningRun.objects.filter(pk=run_id).update(task_id=str(result.id))


# --- execute ---------------------------------------------------------------------------


def screening_run_execute(*, run: ScreeningRun) -> ScreeningRun:
    """Screen the import's persons and store one Decision per person, all or nothing.

    Not one ``@transaction.atomic`` as a whole on purpose: progress must be visible to the
    page polling it while the engine works. The decisions, counts and the final status are
    written in one transaction (``_decisions_store``), so a reader sees either no decisions
    or all of them. Any failure leaves the run ``failed`` with an Indonesian message and no
    personal data; only the exception's class name reaches the log.
    """
    _progress(run, status=JobStatus.RUNNING, progress=5)
    try:
        policy = _policy_for(run)
        from payung.registry import selectors as registry_selectors

        # Handed over: the worker frees the persons' columns once they are judged.
        extract = ExtractHandover(
            registry_selectors.persons_as_arrow(dtsen_import=run.dtsen_import)
        )
        _progress(run, progress=25)
        first = _first_niks(run=run, policy=policy)
        with connect("duckdb") as backend:
            result = screen(
                extract,
                policy=policy,
                as_of=run.as_of,
                backend=backend,
                budget=run.budget,
                months=run.months,
                year=run.programme_year.year,
                first=first,
            )
        _progress(run, progress=60)
        _decisions_store(run=run, result=result)
    except ScreeningFailure as exc:
        _fail(run, exc.message)
    except JobLost:  # cancelled or reaped meanwhile: whoever did that said why
        raise
    except BackendUnavailable:
        logger.error("screening run %s failed: backend unavailable", run.pk)
        _fail(run, _("Mesin penyaringan (DuckDB) tidak dapat dijalankan di server ini."))
    except Exception as exc:
        # The class name only: messages of library errors may quote values of the rows.
        logger.error("screening run %s failed: %s", run.pk, type(exc).__name__)
        _fail(
            run,
            _(
                "Penyaringan gagal karena kesalahan sistem (%(kind)s); tidak ada keputusan "
                "yang disimpan. Hubungi administrator."
            )
            % {"kind": type(exc).__name__},
        )
    run.refresh_from_db()
    return run


def _policy_for(run: ScreeningRun) -> Policy:
    """The year's pinned policy, refused if its version is not the run's.

    A decision must cite the regulation version it applied; screening under a silently
    updated file would attribute new rules to an old year, so the run reads the snapshot
    its programme year stored, never the shipped file.
    """
    try:
        policy = programme_year_policy(programme_year=run.programme_year)
    except PolicyError:
        raise ScreeningFailure(
            _("Kebijakan '%(id)s' tidak dapat dimuat; periksa berkas kebijakan.")
            % {"id": run.policy_id}
        ) from None
    if policy.version != run.policy_version:
        raise ScreeningFailure(
            _(
                "Versi kebijakan '%(id)s' yang terpasang adalah %(installed)s, sedangkan "
                "penyaringan ini memakai versi %(wanted)s. Sesuaikan versi kebijakan pada "
                "tahun program, lalu jalankan ulang."
            )
            % {"id": run.policy_id, "installed": policy.version, "wanted": run.policy_version}
        )
    return policy


def _first_niks(*, run: ScreeningRun, policy: Policy) -> frozenset[str] | None:
    """The NIKs ranked ahead of new candidates, or None: last year's participants carried
    over into this year, when the policy puts them first (``cycle.carry_over_first``).

    The set is read here, in the worker, from the provider named in settings
    (``PAYUNG_SCREENING_FIRST_NIKS``, the renewal stage's), because this stage imports no
    later one and NIKs never travel as task arguments. The run's counts keep its size and
    SHA-256 (``counts["first"]``), so the decision file can be reproduced.
    """
    provider = getattr(settings, "PAYUNG_SCREENING_FIRST_NIKS", "")
    if not provider or not policy.cycle.carry_over_first:
        return None
    return import_string(provider)(programme_year=run.programme_year)


def _progress(run: ScreeningRun, *, progress: int, status: str | None = None) -> None:
    """Record progress at a phase boundary, visible at once to the polling page."""
    fields: dict[str, Any] = {"progress": progress}
    if status is not None:
        fields["status"] = status
    job_update(job=run, **fields)  # also the heartbeat; nothing if no longer ours


@transaction.atomic
def _decisions_store(*, run: ScreeningRun, result: ScreeningResult) -> None:
    """Replace the run's decisions with the engine's, and mark the run done, in one go."""
    job_lease_hold(job=run)  # a worker that lost the run stores nothing
    Decision.objects.filter(run_id=run.pk).delete()
    person_ids = dict(
        Person.objects.filter(dtsen_import_id=run.dtsen_import_id).values_list("row", "id")
    )
    loaded = bulk_load(Decision, DECISION_COLUMNS, _decision_tuples(run.pk, result, person_ids))
    # The totals by kecamatan and village are kept with the engine's (issue 16: the pages
    # never group a million stored rows).
    run.counts = {**result.counts, **decision_area_counts(decisions=result.decisions)}
    run.quota = result.quota
    run.status = JobStatus.DONE
    run.progress = 100
    run.error_message = ""
    run.finished_at = timezone.now()
    run.save(
        update_fields=["counts", "quota", "status", "progress", "error_message", "finished_at"]
    )
    audit_entry_create(
        actor=run.started_by,
        action="screening_run_finish",
        target=run,
        detail={"rows": loaded, "by_status": result.counts["by_status"], "quota": result.quota},
    )


def _decision_tuples(
    run_id: int, result: ScreeningResult, person_ids: dict[int, int]
) -> Iterator[tuple[Any, ...]]:
    """The engine's decision table as rows in ``DECISION_COLUMNS`` order."""
    table = result.decisions
    columns = {name: table.column(name).to_pylist() for name in table.column_names}
    for i, row in enumerate(columns["row"]):
        person_id = person_ids.get(row)
        if person_id is None:
            raise ScreeningFailure(
                _("Baris %(row)s hasil penyaringan tidak ditemukan pada data impor.") % {"row": row}
            )
        values = {
            name: (columns[name][i] or "") if name in _TEXT_COLUMNS else columns[name][i]
            for name in columns
        }
        kode_desa = values["kode_desa"]
        yield (
            run_id,
            person_id,
            row,
            values["nik"],
            values["status"],
            values["reasons"],
            values["priority_rank"],
            values["priorities"],
            values["flags"],
            values["age"],
            values["desil"],
            values["occupation_category"],
            kode_desa,
            kode_desa[:6] if len(kode_desa) >= 6 else "",
        )


@transaction.atomic
def _fail(run: ScreeningRun, message: str) -> None:
    if not job_update(
        job=run, status=JobStatus.FAILED, error_message=message, finished_at=timezone.now()
    ):
        return  # cancelled or reaped meanwhile: that is what the run shows
    audit_entry_create(
        actor=run.started_by,
        action="screening_run_fail",
        target=run,
        detail={"error": message},
    )


# --- personal data -----------------------------------------------------------------------


@transaction.atomic
def decision_nik_reveal(*, decision: Decision, actor: Any) -> str:
    """Return the full NIK of a decision, after recording who saw it (design §6).

    NIKs are masked everywhere by default; a role that needs the full number (Disdukcapil
    verifying, Pasal 7 ayat (3)) may see it, and every view of it is in the audit trail.
    """
    if not actor.has_perm("screening.view_unmasked_nik"):
        raise PermissionDenied
    audit_entry_create(
        actor=actor,
        action="nik_view",
        target=decision,
        detail={
            "decision_id": decision.pk,
            "run_id": decision.run_id,
            "nik_masked": nik_domain.mask(decision.nik),
        },
    )
    return decision.nik


@dataclass(frozen=True)
class DecisionExport:
    """An XLSX file of decisions, open and rewound, with its name and row count."""

    file: IO[bytes]
    filename: str
    row_count: int


def decision_export(
    *, run: ScreeningRun, filters: DecisionFilters, actor: Any, full_nik: bool = False
) -> DecisionExport:
    """Write the filtered decisions to XLSX and record the export in the audit trail.

    Personal data leaving the system is always logged (design §6): the filters and the row
    count go into an ``export_personal_data`` entry. The NIK is masked unless the actor holds
    ``screening.export_personal_data`` and asked for it. The file is built before the audit
    transaction opens, so a long export does not hold the database's write lock; the entry
    is written only once the file exists.
    """
    if full_nik and not actor.has_perm("screening.export_personal_data"):
        raise PermissionDenied
    # Handed to the response, which closes it; closed here only if the export fails.
    handle = tempfile.TemporaryFile()  # noqa: SIM115
    try:
        count = exports.decisions_xlsx(
            decision_export_rows(run=run, filters=filters), handle, full_nik=full_nik
        )
        with transaction.atomic():
            audit_entry_create(
                actor=actor,
                action="export_personal_data",
                target=run,
                detail={
                    "run_id": run.pk,
                    "filters": filters.as_audit_detail(),
                    "rows": count,
                    "full_nik": full_nik,
                    "format": "xlsx",
                },
            )
    except BaseException:
        handle.close()
        raise
    handle.seek(0)
    stamp = timezone.localdate().isoformat()
    return DecisionExport(
        file=handle, filename=f"penyaringan-{run.pk}-{stamp}.xlsx", row_count=count
    )
