"""The demo's appeals (issue 12): two refused people object at the counter in March; one
brings a village letter correcting the occupation that was wrongly recorded and is put on
the waiting list at their rank, the other a letter with a decile still outside Pasal 5 ayat
(2) huruf d and is refused. A second operator pendataan answers both; the letters are
rendered by the worker."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from payung.core.formatting import angka


def demo_appeals(
    *,
    year: Any,
    data_dir: Path,
    say: Callable[[str], None],
    run_queue: Callable[[], None],
) -> dict[str, int]:
    """Record, re-screen and answer one appeal that succeeds and one that fails."""
    from payung.accounts.models import User
    from payung.appeals.models import Appeal
    from payung.appeals.services import Correction, appeal_answer, appeal_record
    from payung.programmes.selectors import programme_year_policy
    from payung.registry.models import Person
    from payung.screening.models import Decision

    del data_dir  # the letters are stored by the documents app
    proposal = getattr(year, "proposal", None)
    if proposal is None or proposal.screening_run_id is None:
        return {}
    users = {u.username: u for u in User.objects.all()}
    recorder, answerer = users["dinsos.operator"], users["dinsos.operator2"]
    policy = programme_year_policy(programme_year=year)
    decile = next(r for r in policy.rules if r.kind == "decile")
    refused = Decision.objects.filter(run_id=proposal.screening_run_id, status="ineligible")
    occupation = refused.filter(reasons="5(1)").order_by("row").first()
    outside = (
        refused.filter(reasons=decile.id, desil__gt=decile.params.max_desil + 1)
        .order_by("row")
        .first()
    )
    if occupation is None or outside is None:
        return {}
    received = min(date(year.year, 3, 2), timezone.localdate())
    answered = min(received + timedelta(days=9), timezone.localdate())
    cases = (
        (
            occupation,
            {
                "pekerjaan": Correction(
                    "PETANI", "Surat keterangan pekerjaan Kepala Desa No. 470/031"
                )
            },
            _("Pekerjaan tercatat keliru di DTSEN; yang bersangkutan petani penggarap."),
        ),
        (
            outside,
            {
                "desil": Correction(
                    str(decile.params.max_desil + 1), "Surat keterangan desa No. 400/112"
                )
            },
            _("Keluarga merasa desil kesejahteraannya terlalu tinggi."),
        ),
    )
    answers = []
    for decision, corrections, grounds in cases:
        person = Person.objects.select_related("dtsen_import__programme_year").get(
            pk=decision.person_id
        )
        appeal = appeal_record(
            person=person,
            actor=recorder,
            received_on=received,
            channel=Appeal.Channel.DESA,
            filed_by=_("Sekretaris desa, atas permintaan yang bersangkutan"),
            grounds=grounds,
            corrections=corrections,
        )
        answers.append(appeal_answer(appeal=appeal, actor=answerer, answered_on=answered))
    run_queue()  # the answer letters, DOCX and PDF
    granted, refused_appeal = answers
    say(
        _(
            "Sanggahan: 1 diterima (pekerjaan diperbaiki, daftar tunggu peringkat %(rank)s), "
            "1 ditolak (%(article)s); surat jawaban dibuat."
        )
        % {"rank": angka(granted.placed_rank or 0), "article": decile.article}
    )
    return {
        "sanggahan_diterima": int(granted.outcome != Appeal.Outcome.REFUSED),
        "sanggahan_ditolak": int(refused_appeal.outcome == Appeal.Outcome.REFUSED),
        "sanggahan_peringkat": granted.placed_rank or 0,
    }
