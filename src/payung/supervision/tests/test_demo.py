"""The demo step: three employers, two visits, a case up to the withholding letter in the
year whose policy applies the ladder; only the register and visits where it does not."""

from __future__ import annotations

import pytest

from payung.documents.models import Document
from payung.supervision.demo import demo_supervision
from payung.supervision.models import Employer, SanctionCase, SupervisionReport
from payung.supervision.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def users(db):
    from payung.accounts.services import demo_users_create

    demo_users_create()


def test_demo_walks_a_case_to_the_withholding_letter_in_the_year_with_sanctions(users) -> None:
    f.supervision_year(enabled=False, year=2026)
    with_sanctions = f.supervision_year(enabled=True, year=2025)
    lines: list[str] = []

    result = demo_supervision(year=None, say=lines.append, run_queue=lambda: None)

    case = SanctionCase.objects.get()
    assert case.programme_year == with_sanctions
    assert case.status == SanctionCase.Status.WITHHELD
    assert list(case.steps.values_list("kind", flat=True)) == [
        "teguran_1",
        "teguran_2",
        "denda",
        "permintaan",
        "penghentian",
    ]
    assert Employer.objects.count() == 3 and SupervisionReport.objects.count() == 2
    kinds = set(Document.objects.values_list("kind", flat=True))
    assert kinds == {"surat-penghentian-layanan", "catatan-teguran-bpjs"}
    assert result["pengawasan_kasus_sanksi"] == 1 and lines


def test_demo_without_a_sanctions_policy_records_no_case(users) -> None:
    year = f.supervision_year(enabled=False, year=2026)
    lines: list[str] = []

    result = demo_supervision(year=year, say=lines.append, run_queue=lambda: None)

    assert SupervisionReport.objects.filter(programme_year=year).count() == 2
    assert not SanctionCase.objects.exists()
    assert "pengawasan_kasus_sanksi" not in result
    assert "tidak menerapkan sanksi" in lines[0]
