"""Small fixtures of the ends stage: a running year with a few participants, and the two
files (Disdukcapil's deaths and moves, BPJS's claims) as a user uploads them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile

from payung.ends import services
from payung.ends.models import EndImport
from payung.engine import csv_bytes
from payung.participants.models import Candidate
from payung.participants.tests.factories import contribution_year, participants_add
from payung.programmes.models import ProgrammeYear
from payung.programmes.tests.factories import COST_PER_PERSON

JAN = date(2026, 1, 1)
FEB = date(2026, 2, 1)
DUKCAPIL_HEADERS = ("NIK", "JENIS", "TANGGAL", "NOMOR_AKTA", "KETERANGAN")
CLAIM_HEADERS = ("KPJ", "NIK", "JENIS_KLAIM", "TANGGAL_KEJADIAN", "NILAI_DIBAYAR", "STATUS")


def ends_year(
    *, active: int = 3, start: date = JAN, quota: int = 100
) -> tuple[ProgrammeYear, list[Candidate]]:
    """A 2026 year (pinned Pandeglang policy, pagu for ``quota`` people a whole year, a
    PKS) with ``active`` participants covered from ``start``."""
    year, proposal = contribution_year(quota=quota, pagu=quota * COST_PER_PERSON)
    people = participants_add(proposal=proposal, periods=[(start, None)] * active)
    return year, people


def upload(name: str, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> Any:
    """A CSV as Excel saves it (``;``, UTF-8 with BOM)."""
    return SimpleUploadedFile(name, csv_bytes(headers, rows), content_type="text/csv")


def dukcapil_file(rows: Sequence[Sequence[object]], name: str = "dukcapil-meninggal.csv") -> Any:
    return upload(name, DUKCAPIL_HEADERS, rows)


def claims_file(rows: Sequence[Sequence[object]], name: str = "klaim-bpjs.csv") -> Any:
    return upload(name, CLAIM_HEADERS, rows)


def import_read(
    *,
    year: ProgrammeYear,
    kind: str,
    uploaded: Any,
    actor: Any,
    today: date = date(2026, 6, 30),
) -> EndImport:
    """Upload a file and read it as the worker would, with ``today`` fixed (the task is
    replaced: the tests of the task itself run it for real)."""
    with mock.patch("payung.ends.tasks.end_import_execute") as task:
        task.enqueue.return_value.id = "task"
        job = services.end_import_create(
            programme_year=year, kind=kind, uploaded=uploaded, actor=actor
        )
    job.refresh_from_db()
    services.end_import_execute(end_import=job, today=today)
    job.refresh_from_db()
    return job
