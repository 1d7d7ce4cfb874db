"""``payung demo``'s queue runner (issue 16 target 5): the build works off the jobs its next
steps read (imports, screenings) and leaves the documents and duplicate checks to the
worker started with the server, so the login page is served within a minute; each page
shows them as waiting."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from payung.demo import DEFERRED_TASKS, _run_queue, documents_waiting

pytestmark = pytest.mark.django_db


def _queued(task_path: str, **kwargs: int) -> DBTaskResult:
    """A task record as the database backend leaves it on enqueue (ids of nothing: each
    task then finds no job and returns)."""
    return DBTaskResult.objects.create(
        status="READY",
        args_kwargs={"args": [], "kwargs": kwargs},
        task_path=task_path,
        backend_name="default",
        run_after=timezone.now(),
    )


def test_the_build_runs_imports_and_leaves_documents_to_the_served_worker(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # as served
    document = _queued("payung.documents.tasks.document_generate", document_id=987_654)
    export = _queued("payung.documents.tasks.export_generate", export_id=987_654)
    load = _queued("payung.registry.tasks.dtsen_import_execute", import_id=987_654)
    screen = _queued("payung.screening.tasks.screening_run_execute", run_id=987_654)
    duplicates = _queued(
        "payung.registry.tasks.duplicate_check_execute", duplicate_check_id=987_654
    )
    assert {document.task_path, export.task_path, duplicates.task_path} == set(DEFERRED_TASKS)

    _run_queue()

    def status(record: DBTaskResult) -> str:
        record.refresh_from_db()
        return str(record.status)

    assert (status(load), status(screen)) == ("SUCCESSFUL", "SUCCESSFUL")
    assert (status(document), status(export), status(duplicates)) == ("READY",) * 3

    _run_queue(documents=True)
    assert (status(document), status(export), status(duplicates)) == ("SUCCESSFUL",) * 3


def test_documents_waiting_counts_the_queued_documents_only() -> None:
    from payung.accounts.models import User
    from payung.accounts.services import demo_users_create
    from payung.documents.models import Document
    from payung.programmes.tests.factories import ProgrammeYearFactory

    demo_users_create()
    operator = User.objects.get(username="disnaker.kepesertaan")
    year = ProgrammeYearFactory(year=2026, created_by=operator)
    for status in ("queued", "queued", "running", "done", "failed"):
        Document.objects.create(
            programme_year=year,
            subject="Tahun 2026",
            kind="sop-bpjs",
            title="SOP",
            format="pdf",
            builder="payung.procedures.documents.sop_pdf",
            file_name="sop.pdf",
            status=status,
            created_by=operator,
        )
    assert documents_waiting() == 2
