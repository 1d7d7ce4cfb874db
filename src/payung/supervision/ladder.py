"""The order of PP 86/2013's sanction ladder, its deadlines and its fine, without the database.

PP 86/2013 Pasal 5: the administrative sanctions on an employer are a written warning, a
fine, and not receiving certain public services, in that order. Pasal 6: BPJS gives at most
two written warnings, each for at most 10 working days. Pasal 7: then a fine of 0,1 % per
month of the contributions owed (for at most 30 days, as the issue and the policy setting
read it). Pasal 8-9: if the employer still has not complied, government withholds specific
public services at BPJS's request, until the employer proves payment and the registration of
every worker. How many warnings, how long each lasts and the fine's rate are the policy's
``sanctions`` settings, so a regency's stricter practice is a file edit.

A step may only follow the step before it, and only once the period of that step has run
out: no second warning while the first still runs, no fine before the warnings are spent, no
request to withhold services before the fine period ends. The functions here say what is
allowed; ``services.sanction_step_record`` applies them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.utils.translation import gettext as _

from payung.core.formatting import tanggal
from payung.domain.workdays import working_days_add
from payung.supervision.models import SanctionCase, SanctionStep

K = SanctionStep.Kind

#: Steps BPJS takes (recorded by its officer); the regency's are its two letters.
BPJS_KINDS = frozenset({K.WARNING_1, K.WARNING_2, K.FINE, K.REQUEST, K.RESOLVED})
REGENCY_KINDS = frozenset({K.WITHHOLD, K.LIFT})


@dataclass(frozen=True, slots=True)
class StepFacts:
    """What the ladder needs of a recorded step."""

    letter_date: date
    deadline: date | None


def ladder_sequence(*, sanctions: Any) -> list[str]:
    """The steps in order for this policy: its warnings, the fine, BPJS's request, the
    regency's withholding letter and the lifting letter."""
    warnings = [K.WARNING_1, K.WARNING_2][: sanctions.warnings]
    return [*warnings, K.FINE, K.REQUEST, K.WITHHOLD, K.LIFT]


def step_deadline(*, sanctions: Any, kind: str, letter_date: date) -> date | None:
    """The last day to comply after this step: a warning's working days (PP 86/2013 Pasal 6,
    holidays and collective leave excluded), the fine's days (Pasal 7); None otherwise."""
    if kind in (K.WARNING_1, K.WARNING_2):
        return working_days_add(start=letter_date, days=sanctions.warning_working_days)
    if kind == K.FINE:
        return letter_date + timedelta(days=sanctions.fine_max_days)
    return None


def fine_amount(*, sanctions: Any, unpaid: int) -> int:
    """PP 86/2013 Pasal 7: ``fine_permille_per_month`` ‰ of the contributions owed, for one
    month (the fine runs at most 30 days), in whole rupiah rounded half up."""
    return (unpaid * sanctions.fine_permille_per_month + 500) // 1000


def ladder_next(*, sanctions: Any, status: str, done: Mapping[str, StepFacts]) -> list[str]:
    """The steps that may be recorded now (ignoring dates): the next in sequence, and
    "resolved" while no services are withheld."""
    if status in (SanctionCase.Status.LIFTED, SanctionCase.Status.RESOLVED):
        return []
    sequence = ladder_sequence(sanctions=sanctions)
    allowed = [kind for kind in sequence if kind not in done][:1]
    if K.WITHHOLD not in done:
        allowed.append(K.RESOLVED)
    return allowed


def ladder_problem(
    *,
    sanctions: Any,
    status: str,
    done: Mapping[str, StepFacts],
    kind: str,
    letter_date: date,
) -> str | None:
    """Why ``kind`` dated ``letter_date`` may not be recorded now, in Indonesian; None if it
    may. Checks the order, then that the previous step's period has run out."""
    if not sanctions.enabled:
        return _("Sanksi administratif tidak diterapkan dalam kebijakan tahun program ini.")
    if kind in done:
        return _("Langkah ini sudah dicatat.")
    if kind not in ladder_next(sanctions=sanctions, status=status, done=done):
        if status in (SanctionCase.Status.LIFTED, SanctionCase.Status.RESOLVED):
            return _("Kasus ini sudah selesai.")
        if kind == K.RESOLVED:
            return _("Layanan publik sudah dihentikan: catat surat pencabutan penghentian.")
        sequence = ladder_sequence(sanctions=sanctions)
        if kind not in sequence:
            return _("Kebijakan tahun ini tidak memakai langkah ini.")
        missing = [str(K(k).label) for k in sequence[: sequence.index(kind)] if k not in done]
        return _("Langkah sebelumnya belum dicatat: %(steps)s.") % {"steps": ", ".join(missing)}
    if kind == K.RESOLVED:
        return None
    sequence = ladder_sequence(sanctions=sanctions)
    position = sequence.index(kind)
    if position == 0:
        return None
    previous = done[sequence[position - 1]]
    if letter_date < previous.letter_date:
        return _("Tanggal surat tidak boleh sebelum tanggal langkah sebelumnya.")
    if previous.deadline is not None and letter_date <= previous.deadline:
        return _(
            "Batas waktu langkah sebelumnya belum lewat: pemberi kerja masih dapat memenuhi "
            "kewajibannya sampai %(date)s."
        ) % {"date": tanggal(previous.deadline)}
    return None
