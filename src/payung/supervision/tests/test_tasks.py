"""The workspace lines of supervision: a half-year without a report (Pasal 12 ayat (1)),
deadlines passed or near (PP 86/2013), BPJS's request waiting for the regency's letter."""

from __future__ import annotations

from datetime import date
from unittest import mock

import pytest
from django.urls import reverse

from payung.supervision import services
from payung.supervision.selectors import supervision_halves, supervision_tasks
from payung.supervision.tests import factories as f

pytestmark = pytest.mark.django_db


def _today(day: date):
    return mock.patch("payung.supervision.selectors.timezone.localdate", return_value=day)


def test_a_half_year_without_a_report_is_the_operators_task(operator_disnaker, anggota_tim):
    year = f.supervision_year()
    with _today(date(2026, 3, 1)):
        tasks = supervision_tasks(user=operator_disnaker, programme_year=year)
        assert [t.article for t in tasks] == ["Pasal 12 ayat (1)"]
        assert supervision_tasks(user=anggota_tim, programme_year=year) == []
        f.report_add(
            year=year, employer=f.employer_add(actor=operator_disnaker), actor=operator_disnaker
        )
        assert supervision_tasks(user=operator_disnaker, programme_year=year) == []


def test_half_years_are_met_missing_or_open(operator_disnaker):
    year = f.supervision_year()
    f.report_add(
        year=year,
        employer=f.employer_add(actor=operator_disnaker),
        actor=operator_disnaker,
        visited_on=date(2026, 5, 2),
    )
    in_august = supervision_halves(programme_year=year, today=date(2026, 8, 1))
    in_january = supervision_halves(programme_year=year, today=date(2027, 1, 5))

    assert [h.state for h in in_august] == ["met", "open"]
    assert [h.state for h in in_january] == ["met", "missing"]
    assert in_august[0].workers_unregistered == 12


def test_deadlines_passed_or_near_are_bpjs_tasks_and_the_request_the_regencys(
    operator_disnaker, petugas_bpjs
):
    year = f.supervision_year()
    report = f.report_add(
        year=year, employer=f.employer_add(actor=operator_disnaker), actor=operator_disnaker
    )
    case = services.sanction_case_open(
        report=report, actor=operator_disnaker, finding="x", unpaid_contributions=100_000
    )
    f.case_to(case=case, bpjs=petugas_bpjs, disnaker=operator_disnaker, until="teguran_1")
    url = reverse("supervision:case_detail", args=[case.pk])

    # 2 April 2026: the warning runs to 6 April, two working days on (3 April is Good Friday).
    with _today(date(2026, 4, 2)):
        (near,) = supervision_tasks(user=petugas_bpjs, programme_year=year)
    assert (near.level, near.url, near.count) == ("info", url, 1)
    with _today(date(2026, 4, 7)):
        (due,) = supervision_tasks(user=petugas_bpjs, programme_year=year)
    assert due.level == "warning" and "telah lewat" in due.text

    for kind, when in (("teguran_2", f.W2), ("denda", f.FINE), ("permintaan", f.REQUEST)):
        services.sanction_step_record(
            case=case, actor=petugas_bpjs, kind=kind, letter_date=when, letter_number="B/2/2026"
        )
    with _today(date(2026, 5, 26)):
        letters = supervision_tasks(user=operator_disnaker, programme_year=year)
        assert supervision_tasks(user=petugas_bpjs, programme_year=year) == []
    assert [t.article for t in letters] == ["PP 86/2013 Pasal 8-9"]


def test_the_workspace_shows_the_half_years_to_the_team(client, anggota_tim, operator_disnaker):
    year = f.supervision_year()
    f.report_add(
        year=year, employer=f.employer_add(actor=operator_disnaker), actor=operator_disnaker
    )
    client.force_login(anggota_tim)

    text = client.get(reverse("web:home") + f"?tahun={year.pk}").content.decode()

    assert "Pengawasan pemberi kerja" in text
    assert 'Semester I (Januari–Juni 2026): <span class="pass">ada laporan</span>' in text
    assert "1 laporan, 25 pekerja ditemukan, 12 belum terdaftar BPJS" in text
