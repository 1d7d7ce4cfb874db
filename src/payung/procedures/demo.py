"""The demo's SOPs (issue 15, Pekalongan minutes item 5): every agency's SOP of the demo year,
DOCX and PDF, made by the background worker like every other document."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _


def demo_sops(
    *, year: Any, say: Callable[[str], None], run_queue: Callable[[], None]
) -> dict[str, int]:
    """Have the operator kepesertaan generate the SOPs, then work the queue off.

    Returns the number of SOP files finished (two per agency when all went well).
    """
    from payung.accounts.models import User
    from payung.core.models import JobStatus
    from payung.procedures.services import sop_documents_request

    actor = User.objects.get(username="disnaker.kepesertaan")
    documents = sop_documents_request(programme_year=year, actor=actor)
    run_queue()
    done = sum(1 for d in documents if type(d).objects.get(pk=d.pk).status == JobStatus.DONE)
    say(
        _("SOP perangkat daerah tahun {year}: {done} dari {n} dokumen selesai.").format(
            year=year.year, done=done, n=len(documents)
        )
    )
    return {"sop_dokumen": done}
