"""The demo's step (issue 14): the first semester's report of the demo year, with the
secretary's recommendations, made by the demo's team member."""

from __future__ import annotations

import pytest

from payung.accounts.services import agency_get_or_create, user_create
from payung.monitoring.demo import DEMO_RECOMMENDATIONS, demo_semester_report
from payung.monitoring.models import SemesterReport
from payung.monitoring.tests.factories import monitoring_year

pytestmark = pytest.mark.django_db


def test_the_demo_makes_the_first_semester_report_with_recommendations() -> None:
    year = monitoring_year().year
    secretary = user_create(
        username="tim.anggota",
        password="rahasia-uji-123",
        role="anggota_tim",
        agency=agency_get_or_create(kind="bapperida", name="Bapperida"),
    )
    said: list[str] = []
    result = demo_semester_report(year=year, say=said.append)
    report = SemesterReport.objects.get(programme_year=year)
    assert (report.half, report.version, report.created_by) == (1, 1, secretary)
    assert report.recommendations == DEMO_RECOMMENDATIONS.strip()
    assert report.pdf_document.format == "pdf" and report.docx_document.format == "docx"
    assert result == {"semester_report_version": 1}
    assert "Laporan semester I 2026" in said[0]
