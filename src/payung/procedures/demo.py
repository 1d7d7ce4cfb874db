"""The demo's SOPs (issue 15, Pekalongan minutes item 5): every agency's SOP of the demo year,
DOCX and PDF, made by the background worker like every other document.

The demo's queue runner leaves documents to the worker started with the server (issue 16
target 5: the login page within a minute), so most SOPs are still queued when the build
ends; the SOP page shows each one's state until it is made."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _


def demo_sops(
    *, year: Any, say: Callable[[str], None], run_queue: Callable[[], None]
) -> dict[str, int]:
    """Have the operator kepesertaan request the SOPs, then work the queue off.

    Returns the number of SOP files requested and of those already finished; the rest are
    made by the background worker (the build's queue runner defers documents).
    """
    from payung.accounts.models import User
    from payung.core.models import JobStatus
    from payung.procedures.services import sop_documents_request

    actor = User.objects.get(username="disnaker.kepesertaan")
    documents = sop_documents_request(programme_year=year, actor=actor)
    run_queue()
    done = sum(1 for d in documents if type(d).objects.get(pk=d.pk).status == JobStatus.DONE)
    if done == len(documents):
        said = _("SOP perangkat daerah tahun {year}: {done} dari {n} dokumen selesai.")
    else:
        said = _(
            "SOP perangkat daerah tahun {year}: {n} dokumen diminta, {done} selesai; "
            "sisanya dibuat pekerja latar belakang dan halaman SOP menunjukkan statusnya."
        )
    say(said.format(year=year.year, done=done, n=len(documents)))
    return {"sop_dokumen": len(documents), "sop_dokumen_selesai": done}
