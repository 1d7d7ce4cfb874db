"""What every app's views share: the permission gate, error messages, and a button's
action (call one service, say how it went, go back to the page).

Views stay thin (parse, call one service or selector, render); these steps were the same in
every app, so they live here once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

View = Callable[..., HttpResponse]


def requires(*perms: str) -> Callable[[View], View]:
    """Anonymous users go to the login page; signed-in users without ``perms`` get 403."""

    def wrap(view: View) -> View:
        return login_required(permission_required(perms, raise_exception=True)(view))

    return wrap


def error_messages(request: HttpRequest, exc: ValidationError) -> None:
    """Every message of a service's refusal, shown on the next page."""
    for message in exc.messages:
        messages.error(request, message)


def action_then_redirect(
    request: HttpRequest, action: Callable[[], object], *, success: str, to: str, **kwargs: object
) -> HttpResponse:
    """Run one service for a POSTed button; its refusal or ``success`` is shown on ``to``."""
    try:
        action()
    except ValidationError as exc:
        error_messages(request, exc)
    else:
        messages.success(request, success)
    return redirect(to, **kwargs)


def job_progress_context(
    request: HttpRequest,
    *,
    job: Any,
    namespace: str,
    perm: str | None,
    finished_reload: bool,
) -> dict[str, Any]:
    """What ``partials/job_progress.html`` needs for a background job whose pages are named
    ``<namespace>_detail``, ``_progress``, ``_retry`` and ``_cancel``; retry and cancel only
    for holders of ``perm`` (none when ``perm`` is None: a job that is not retried, such as
    an answer file, which is uploaded again). Looking at a busy job is where a dead worker
    is noticed, so a page that would say "Berjalan" for ever says what happened."""
    from payung.core import jobs

    job = jobs.job_reap_if_dead(job=job)
    running = job.status in jobs.BUSY
    may_act = perm is not None and request.user.has_perm(perm)
    return {
        "job": job,
        "poll_url": reverse(f"{namespace}_progress", args=[job.pk]),
        "reload_on_finish": finished_reload and not running,
        "reload_url": reverse(f"{namespace}_detail", args=[job.pk]),
        "retry_url": reverse(f"{namespace}_retry", args=[job.pk]) if may_act else "",
        "cancel_url": reverse(f"{namespace}_cancel", args=[job.pk]) if may_act else "",
    }


def job_retry_cancel_views(
    *,
    lookup: Callable[[int], Any],
    perms: tuple[str, ...],
    detail: str,
    retried: str,
    cancelled: str,
) -> tuple[View, View]:
    """The two buttons every background job's page has: retry a failed job (after a dead
    worker or a cancel; its input is kept) and cancel a queued or running one (nothing of
    it is stored). Both POST, both audited by ``core.jobs``; ``lookup`` gives the job or
    raises Http404, ``detail`` names the page to go back to, ``retried`` and ``cancelled``
    are what the user is told (lazy translations)."""
    from django.views.decorators.http import require_POST

    from payung.core import jobs

    @require_POST
    @requires(*perms)
    def retry(request: HttpRequest, pk: int) -> HttpResponse:
        job = lookup(pk)
        return action_then_redirect(
            request,
            lambda: jobs.job_retry(job=job, actor=request.user),
            success=retried,
            to=detail,
            pk=pk,
        )

    @require_POST
    @requires(*perms)
    def cancel(request: HttpRequest, pk: int) -> HttpResponse:
        job = lookup(pk)
        return action_then_redirect(
            request,
            lambda: jobs.job_cancel(job=job, actor=request.user),
            success=cancelled,
            to=detail,
            pk=pk,
        )

    return retry, cancel
