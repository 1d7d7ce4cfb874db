"""Every kind of file a user uploads, with the reader that checks it: one registry.

Payung takes files from several agencies: DTSEN extracts (Dinas Sosial), Disdukcapil's
answers, the Regent's signed decree scan, and later BPJS answers, invoices, claims, SP2D and
other funders' lists. Each is read by its own code, in its own app; this registry is the one
list of them, so that one promise can be made and tested for all (issue 17): whatever the
bytes, reading an upload ends either accepted or refused with coded Indonesian messages that
name the user's file, never with a crash. ``campaigns.fuzz_uploads`` feeds every registered
kind hundreds of malformed files to keep that promise honest.

A kind names its reader by dotted path (as Django settings name classes), so this layer
imports no app; an app adds a kind from its ``AppConfig.ready`` with
:func:`upload_kind_register`. A reader is called ``reader(path, name=...)`` (``reads="path"``)
or ``reader(content=...)`` (``reads="content"``) and refuses a file by raising
:class:`~payung.engine.read_errors.ReadError`, Django's ``ValidationError`` (with a code) or
:class:`UploadRefused`; a result with a non-empty ``errors`` list (row problems) is refused
too. Anything else it raises is a bug, and :func:`upload_read` lets it through.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import Any, Final, Literal

from django.core.exceptions import ValidationError

from payung.engine import ReadError, read_error

__all__ = [
    "StoredUpload",
    "UploadKind",
    "UploadOutcome",
    "UploadRefused",
    "upload_kind_get",
    "upload_kind_register",
    "upload_kinds",
    "upload_read",
    "upload_store",
]


@dataclass(frozen=True)
class UploadKind:
    """One kind of upload: what it is called, what it may be, and who reads it."""

    id: str
    #: What a person calls it, in Indonesian.
    label: str
    suffixes: tuple[str, ...]
    max_bytes: int
    #: Dotted path of the reader (see module docstring for its contract).
    reader: str
    reads: Literal["path", "content"] = "path"


class UploadRefused(Exception):
    """A reader's refusal with several messages under one code (row problems, say)."""

    def __init__(self, code: str, messages: Sequence[str]) -> None:
        super().__init__(messages[0] if messages else code)
        self.code = code
        self.messages = tuple(messages)


@dataclass(frozen=True)
class UploadOutcome:
    """How reading one upload ended: accepted, or refused with codes and messages."""

    kind: str
    accepted: bool
    codes: tuple[str, ...] = ()
    messages: tuple[str, ...] = ()
    result: Any = None


#: Built in: the kinds of today. Later stages add theirs with ``upload_kind_register``.
_KINDS: dict[str, UploadKind] = {
    kind.id: kind
    for kind in (
        UploadKind(
            id="dtsen",
            label="Ekstrak DTSEN",
            suffixes=(".csv", ".xlsx", ".parquet"),
            max_bytes=300 * 1024 * 1024,
            reader="payung.engine.readers.read_extract",
        ),
        UploadKind(
            id="dukcapil_answer",
            label="Berkas jawaban Disdukcapil",
            suffixes=(".csv", ".txt", ".xlsx", ".xlsm", ".ods"),
            max_bytes=20 * 1024 * 1024,
            # The file itself; its content rules need the batch it answers and run in
            # ``verification.exchange.FileExchange.answers`` (the campaign runs both).
            reader="payung.engine.exchange_files.read_text_table",
        ),
        UploadKind(
            id="signed_scan",
            label="Pindaian keputusan yang ditandatangani",
            suffixes=(".pdf",),
            max_bytes=10 * 1024 * 1024,
            reader="payung.decrees.services.pdf_scan_check",
            reads="content",
        ),
        UploadKind(
            id="sp2d",
            label="Berkas SP2D pembayaran iuran",
            suffixes=(".csv", ".txt", ".xlsx", ".xlsm", ".ods"),
            max_bytes=20 * 1024 * 1024,
            # Row rules that need the database (bill known, number new, amount within what
            # remains) run in ``contributions.payments.payments_import``.
            reader="payung.contributions.payments.sp2d_file_read",
        ),
        UploadKind(
            id="bpjs_invoice",
            label="Tagihan iuran BPJS Ketenagakerjaan",
            suffixes=(".csv", ".txt", ".xlsx", ".xlsm", ".ods"),
            max_bytes=100 * 1024 * 1024,
            reader="payung.contributions.reconciliation.invoice_read",
        ),
    )
}

#: Code of a refusal that carries row problems (a reader's ``errors``).
ROWS_CODE: Final = "rows.invalid"


def upload_kind_register(kind: UploadKind) -> None:
    """Add (or replace, for tests) a kind; call from the owning app's ``AppConfig.ready``."""
    _KINDS[kind.id] = kind


def upload_kinds() -> list[UploadKind]:
    """Every registered kind, by id (the campaign's and the docs' order)."""
    return [_KINDS[key] for key in sorted(_KINDS)]


def upload_kind_get(kind_id: str) -> UploadKind:
    return _KINDS[kind_id]


def _reader(kind: UploadKind) -> Callable[..., Any]:
    module, _dot, name = kind.reader.rpartition(".")
    return getattr(import_module(module), name)


def upload_read(
    *,
    kind: UploadKind | str,
    path: Path,
    name: str,
    options: Mapping[str, Any] | None = None,
) -> UploadOutcome:
    """Read ``path`` (uploaded as ``name``) with its kind's reader; never a refusal unworded.

    Suffix and size are checked here first, for every kind alike; then the reader decides.
    ``options`` are passed to a path reader as keywords (a column mapping, say).
    """
    kind = kind if isinstance(kind, UploadKind) else upload_kind_get(kind)
    suffix = Path(name).suffix.lower()
    if suffix not in kind.suffixes:
        error = read_error(
            "file.format",
            file=name,
            suffix=suffix[:12] or "(tanpa akhiran)",
            allowed=", ".join(kind.suffixes),
        )
        return _refused(kind, [(error.code, error.message)])
    size = path.stat().st_size
    if size > kind.max_bytes:
        error = read_error("file.too_large", file=name, size=size, limit=kind.max_bytes)
        return _refused(kind, [(error.code, error.message)])
    reader = _reader(kind)
    try:
        if kind.reads == "content":
            result = reader(content=path.read_bytes())
        else:
            result = reader(path, name=name, **(options or {}))
    except ReadError as exc:
        return _refused(kind, [(exc.code, exc.worded(file=name))])
    except ValidationError as exc:
        return _refused(kind, [(e.code or "invalid", m) for e in exc.error_list for m in e])
    except UploadRefused as exc:
        return _refused(kind, [(exc.code, m) for m in exc.messages])
    errors = getattr(result, "errors", None)
    if errors:
        return _refused(kind, [(ROWS_CODE, str(m)) for m in errors])
    return UploadOutcome(kind=kind.id, accepted=True, result=result)


def _refused(kind: UploadKind, problems: list[tuple[str, str]]) -> UploadOutcome:
    return UploadOutcome(
        kind=kind.id,
        accepted=False,
        codes=tuple(code for code, _m in problems),
        messages=tuple(message for _c, message in problems),
    )


# --- storing an upload for a background job --------------------------------------------------


@dataclass(frozen=True)
class StoredUpload:
    """An uploaded file kept for a worker: its name as uploaded, where it lies (relative to
    ``MEDIA_ROOT``), its SHA-256 and its size in bytes."""

    name: str
    stored_path: str
    sha256: str
    size: int


def upload_store(
    *, uploaded: Any, folder: str, max_bytes: int, default_name: str, too_large: str
) -> StoredUpload:
    """Stream ``uploaded`` into a new 0600 file under ``MEDIA_ROOT/folder`` (0700), hashing
    it on the way, and refuse it once more than ``max_bytes`` have arrived.

    A file of a million rows must not hold a web request (issue 17, defect 5): the request
    only stores the bytes and hands the job's id to the task. The declared size can lie; the
    bytes counted here cannot. The stored name is random, so nothing of the user's file
    name reaches the disk; a refused or broken upload leaves no file behind. ``too_large``
    is the Indonesian message, with ``%(limit)s`` for the limit in words.
    """
    import hashlib
    import os
    import secrets

    from django.conf import settings
    from django.template.defaultfilters import filesizeformat

    name = Path(getattr(uploaded, "name", "") or default_name).name[:255]
    root = Path(settings.MEDIA_ROOT)
    target = root / folder
    target.mkdir(parents=True, exist_ok=True, mode=0o700)
    stored = target / f"{secrets.token_hex(16)}{Path(name).suffix.lower()}"
    digest = hashlib.sha256()
    size = 0
    try:
        fd = os.open(stored, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            chunks = uploaded.chunks() if hasattr(uploaded, "chunks") else [uploaded.read()]
            for chunk in chunks:
                size += len(chunk)
                if size > max_bytes:
                    raise ValidationError(
                        too_large % {"limit": filesizeformat(max_bytes)}, code="too_large"
                    )
                digest.update(chunk)
                out.write(chunk)
    except BaseException:
        stored.unlink(missing_ok=True)
        raise
    return StoredUpload(
        name=name,
        stored_path=str(stored.relative_to(root)),
        sha256=digest.hexdigest(),
        size=size,
    )
