"""What every background job of every app shares: its status and the fields that let a dead
worker be seen (``payung.core.jobs`` holds the mechanics). Abstract: each app's job model
(an import, a screening, a document, an answer file) inherits it."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    """State of a background job shown with a progress bar (imports, screenings)."""

    QUEUED = "queued", _("Menunggu")
    RUNNING = "running", _("Berjalan")
    DONE = "done", _("Selesai")
    FAILED = "failed", _("Gagal")


class BackgroundJob(models.Model):
    """What every background job (import, screening, document) keeps so a dead worker is seen.

    A worker killed mid-job (out of memory, a restart, a power cut) never writes "failed":
    without these fields the job would stay "Berjalan" forever, blocking the same file and
    any new screening. ``lease`` names the worker process that claimed the job (host, pid and
    a token per attempt); ``heartbeat_at`` is refreshed while it works. ``registry.jobs``
    reaps jobs whose worker is gone and lets the operator retry or cancel them.
    """

    #: Dotted path of the task that runs the job, the keyword naming its pk in that task,
    #: the prefix of its audit actions and the permission to retry or cancel it.
    job_task: str = ""
    job_task_kwarg: str = ""
    job_audit_name: str = ""
    job_permission: str = ""

    heartbeat_at = models.DateTimeField(_("tanda hidup terakhir"), null=True, blank=True)
    lease = models.CharField(max_length=120, blank=True)

    class Meta:
        abstract = True

    def job_retry_conflict(self) -> str | None:
        """Why this failed job may not run again now (Indonesian), or None."""
        return None

    def job_reset(self) -> None:
        """Remove whatever an earlier attempt may have left, before the job runs again."""
