"""An audit entry as the auditor reads it: words for the action, the target and the detail.

The stored entry stays exactly as written (its MAC covers every field); this module only
words it, the same way for the page and for the XLSX export, so the two never disagree.
Targets that could hold a person's name (a candidate, a person, a team member) are shown as
their kind and number only ("Calon peserta nomor 12"; design §6: no personal data on the
audit page beyond masked NIK/KPJ); a user as name and role ("Pengguna: Sari (Bendahara)").
A detail value is shown as stored apart from number, date and code wording, so a masked NIK
stays masked.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Final

from django.apps import apps
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from payung import wording
from payung.audit.labels import DETAIL_LABELS, READABLE_TARGETS, action_label, value_label
from payung.audit.models import AuditEntry
from payung.core.formatting import angka, jam, tanggal

_ISO_DATE: Final = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_MOMENT: Final = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
#: Numbers that name rather than count: a year or an id reads 2026, not 2.026.
_PLAIN_NUMBER_KEYS: Final[frozenset[str]] = frozenset(
    {"id", "year", "years", "number", "batch_number", "page", "position"}
)


@dataclass(frozen=True)
class DetailItem:
    key: str
    label: str
    value: str


@dataclass(frozen=True)
class EntryRow:
    """One entry worded for a person; ``entry`` keeps the stored values for the export."""

    entry: AuditEntry
    actor: str
    agency: str
    action: str
    target_kind: str
    target: str
    details: tuple[DetailItem, ...]

    @property
    def details_text(self) -> str:
        """``Label: value`` pairs on one line, for an export cell."""
        return "; ".join(f"{d.label}: {d.value}" for d in self.details)


def value_text(value: Any, *, key: str = "") -> str:
    """A stored detail value in Indonesian form: 50.000, 1 Januari 2026, Ya/Tidak.

    Strings that are not dates are returned unchanged: a masked NIK (``3601********0001``)
    or a file's SHA-256 must read exactly as stored.
    """
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Ya") if value else _("Tidak")
    if isinstance(value, int):
        if key in _PLAIN_NUMBER_KEYS or key.endswith("_id"):
            return str(value)
        return angka(value)
    if isinstance(value, float):
        return f"{value:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")
    if isinstance(value, str):
        return _string_text(value)
    if isinstance(value, Mapping):
        return "; ".join(
            f"{key_label(str(k))}: {value_text(v, key=str(k))}" for k, v in value.items()
        )
    if isinstance(value, Iterable):
        return ", ".join(value_text(v, key=key) for v in value) or "—"
    return str(value)


def _string_text(value: str) -> str:
    if (label := value_label(value)) is not None:
        return label
    if _ISO_DATE.fullmatch(value):
        try:
            return tanggal(date.fromisoformat(value))
        except ValueError:
            return value
    if _ISO_MOMENT.match(value):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
        if moment.tzinfo is None:
            return tanggal(moment.date())
        return _("%(date)s pukul %(time)s WIB") % {"date": tanggal(moment), "time": jam(moment)}
    return value


def key_label(key: str) -> str:
    """The Indonesian name of a detail key. A state or status used as a key reads as its
    label, a data-quality code (an import's invalid rows per problem) as its short title
    ("NIK rusak oleh Excel (notasi ilmiah)"); any other key as words, never ``snake_case``."""
    label = DETAIL_LABELS.get(key)
    if label is not None:
        return str(label)
    if (words := value_label(key)) is not None:
        return words  # a state or status used as a key (counts per state)
    if key in wording.DATA_QUALITY or key in wording.FLAGS:
        return wording.problem_title(key)
    # A key no table knows yet: words, never ``snake_case`` (the code stays in the tooltip).
    return capfirst(key.replace("_", " ").replace(".", " "))


def detail_items(detail: Any) -> tuple[DetailItem, ...]:
    """The detail as (key, label, value) items, labelled keys first in the stored order."""
    if not detail:
        return ()
    if not isinstance(detail, Mapping):
        return (DetailItem("", _("Rincian"), value_text(detail)),)
    items = [
        DetailItem(str(k), key_label(str(k)), value_text(v, key=str(k))) for k, v in detail.items()
    ]
    return tuple(sorted(items, key=lambda i: i.key not in DETAIL_LABELS))


def target_kind(object_type: str) -> str:
    """The model's Indonesian verbose name ("Pengguna"); the label when the model is gone."""
    if not object_type:
        return ""
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return object_type
    return str(capfirst(model._meta.verbose_name))


def _readable_targets(entries: list[AuditEntry]) -> dict[tuple[str, str], str]:
    """``str()`` of every readable target on the page: one query per kind of target."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for entry in entries:
        if entry.object_type in READABLE_TARGETS and entry.object_id.isdigit():
            wanted[entry.object_type].add(entry.object_id)
    names: dict[tuple[str, str], str] = {}
    for object_type, ids in wanted.items():
        try:
            model = apps.get_model(object_type)
        except LookupError:
            continue
        if object_type == "accounts.user":
            users = model._default_manager.prefetch_related("groups").filter(
                pk__in=[int(i) for i in ids]
            )
            names.update({(object_type, str(u.pk)): _user_text(u) for u in users})
            continue
        for pk, obj in model._default_manager.in_bulk([int(i) for i in ids]).items():
            names[(object_type, str(pk))] = str(obj)
    return names


def _user_text(user: Any) -> str:
    """``Sari Wulandari (Bendahara)``: a user the auditor recognises, not ``accounts.user #9``
    (a user's name is a civil servant's, not a beneficiary's: no personal data of design
    §6's kind). The role is the user's group, worded by ``VALUE_LABELS``."""
    name = user.get_full_name() or user.username
    roles = [value_label(g.name) or g.name for g in user.groups.all()]
    return f"{name} ({', '.join(roles)})" if roles else name


def entry_rows(entries: Iterable[AuditEntry]) -> list[EntryRow]:
    """Word a page (or an export chunk) of entries, loaded with ``actor__agency``."""
    entries = list(entries)
    names = _readable_targets(entries)
    kinds: dict[str, str] = {}
    rows = []
    for entry in entries:
        if entry.object_type not in kinds:
            kinds[entry.object_type] = target_kind(entry.object_type)
        if entry.object_type:
            target = names.get(
                (entry.object_type, entry.object_id),
                _("nomor %(id)s") % {"id": entry.object_id},
            )
        else:
            target = ""
        actor = entry.actor
        agency = actor.agency.name if actor is not None and actor.agency_id else ""
        rows.append(
            EntryRow(
                entry=entry,
                actor=entry.actor_username,
                agency=agency,
                action=action_label(code=entry.action),
                target_kind=kinds[entry.object_type],
                target=target,
                details=detail_items(entry.detail),
            )
        )
    return rows
