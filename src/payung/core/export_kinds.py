"""Every kind of list a user exports, with the writer that builds its file: one registry.

An export of a few hundred rows is built inside the request, as it always was. One of 50.000
(the decision list, the audit trail) took 10 to 18 seconds with nothing shown (issue 9), so
past a threshold the same writer runs in a background job with a progress bar and the file
is downloaded when ready. This registry is what the two paths share, like ``core.uploads``
for files coming in: an app registers its kind from ``AppConfig.ready`` naming its writer by
dotted path (this layer imports no app), and the job model that runs it lives in the
documents app, reached through ``settings.PAYUNG_EXPORT_STARTER`` (as the audit recorder is).

A writer is called ``writer(params=..., out=..., progress=...)``: ``params`` is the JSON the
job row keeps (ids and filter values, never sent as task arguments), ``out`` a binary file to
write the XLSX into, ``progress(done)`` to be called now and then with the rows written. It
returns :class:`ExportWritten`: rows, the file's name and the audit detail of its download.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from importlib import import_module
from typing import IO, Any, Final, TypeVar

from django.conf import settings
from django.utils.module_loading import import_string

__all__ = [
    "ExportKind",
    "ExportWritten",
    "export_background_threshold",
    "export_in_background",
    "export_kind_get",
    "export_kind_register",
    "export_kinds",
    "export_progress_iter",
    "export_start",
    "export_write",
]

T = TypeVar("T")

#: Rows above which an export goes to the background (``PAYUNG_EXPORT_BACKGROUND_ROWS``).
DEFAULT_THRESHOLD: Final[int] = 5000
#: How often (in rows) a writer reports its progress.
PROGRESS_EVERY: Final[int] = 1000


@dataclass(frozen=True)
class ExportWritten:
    """What a writer reports: how many rows, under which name, and what its download's audit
    entry says (filters and counts only, never the rows: the trail is read by auditors)."""

    rows: int
    file_name: str
    audit_detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ExportKind:
    """One kind of export: what it is called, who may take it and who writes it."""

    id: str
    #: What a person calls it, in Indonesian (shown on the progress page).
    label: str
    #: Every permission needed to start the export and to download its file.
    permissions: tuple[str, ...]
    #: Dotted path of the writer (see the module docstring for its contract).
    writer: str
    #: The audit action of a download (the same as the immediate export's): one of
    #: ``AUDIT_ACTIONS``, which the audit trail has words for.
    audit_action: str


_KINDS: dict[str, ExportKind] = {}

#: What a download may be recorded as: the trail itself, or personal data leaving Payung.
AUDIT_ACTIONS: Final[frozenset[str]] = frozenset({"audit_export", "export_personal_data"})


def export_kind_register(kind: ExportKind) -> None:
    """Add (or replace, for tests) a kind; call from the owning app's ``AppConfig.ready``."""
    if kind.audit_action not in AUDIT_ACTIONS:
        raise ValueError(f"export kind {kind.id}: audit action {kind.audit_action!r} unknown")
    _KINDS[kind.id] = kind


def export_kinds() -> list[ExportKind]:
    return [_KINDS[key] for key in sorted(_KINDS)]


def export_kind_get(kind_id: str) -> ExportKind:
    return _KINDS[kind_id]


def export_background_threshold() -> int:
    return int(getattr(settings, "PAYUNG_EXPORT_BACKGROUND_ROWS", DEFAULT_THRESHOLD))


def export_in_background(*, rows: int) -> bool:
    """Whether an export of ``rows`` rows goes to a background job rather than the request."""
    return rows > export_background_threshold()


def export_write(
    *,
    kind: ExportKind | str,
    params: Mapping[str, Any],
    out: IO[bytes],
    progress: Callable[[int], None] | None = None,
) -> ExportWritten:
    """Run ``kind``'s writer into ``out``: the one call of the job (and of a test)."""
    kind = kind if isinstance(kind, ExportKind) else export_kind_get(kind)
    module, _dot, name = kind.writer.rpartition(".")
    writer = getattr(import_module(module), name)
    return writer(params=dict(params), out=out, progress=progress or (lambda _done: None))


def export_progress_iter(
    items: Iterable[T], progress: Callable[[int], None], *, every: int = PROGRESS_EVERY
) -> Iterator[T]:
    """``items`` unchanged, calling ``progress(done)`` every ``every`` items: what a writer
    wraps its rows in so the progress bar moves without the writer counting."""
    done = 0
    for item in items:
        yield item
        done += 1
        if done % every == 0:
            progress(done)
    progress(done)


def export_start(*, kind: str, params: Mapping[str, Any], rows_expected: int, actor: Any) -> int:
    """Queue ``kind`` as a background job for ``actor``; returns the job's id for its page.

    The job model is an app's (documents), so it is reached through the configured starter,
    ``PAYUNG_EXPORT_STARTER``; the page is ``documents:export_detail``.
    """
    export_kind_get(kind)  # an unknown kind is a bug: fail here, in the request
    starter = import_string(settings.PAYUNG_EXPORT_STARTER)
    job = starter(kind=kind, params=dict(params), rows_expected=rows_expected, actor=actor)
    return int(job.pk)
