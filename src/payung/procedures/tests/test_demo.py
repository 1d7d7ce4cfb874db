"""The demo's SOP step: the operator kepesertaan has them made and the worker finishes them."""

from __future__ import annotations

from typing import Any

import pytest

from payung.documents.models import Document
from payung.procedures import services
from payung.procedures.demo import demo_sops
from payung.programmes.tests.factories import ProgrammeYearFactory


@pytest.mark.django_db(transaction=True)
def test_demo_generates_the_sops_of_the_year(monkeypatch: pytest.MonkeyPatch) -> None:
    from payung.accounts.models import User
    from payung.accounts.services import demo_users_create

    demo_users_create()
    year = ProgrammeYearFactory(year=2026, created_by=User.objects.get(username="dinsos.operator"))
    # Two agencies keep the test short; the demo makes all eight.
    monkeypatch.setattr(services, "AGENCIES", ("bpjs", "hukum"))
    said: list[str] = []
    totals: dict[str, Any] = demo_sops(year=year, say=said.append, run_queue=lambda: None)
    assert totals == {"sop_dokumen": 4}
    assert said == ["SOP perangkat daerah tahun 2026: 4 dari 4 dokumen selesai."]
    files = Document.objects.filter(programme_year=year, kind__startswith="sop-")
    assert sorted(files.values_list("file_name", flat=True)) == [
        "sop-bpjs-2026.docx",
        "sop-bpjs-2026.pdf",
        "sop-hukum-2026.docx",
        "sop-hukum-2026.pdf",
    ]
