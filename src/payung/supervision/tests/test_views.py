"""The supervision pages: what each role sees and may do, the query counts of the lists, and
the sanction pages of a year whose policy has the ladder off."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from payung.supervision import services
from payung.supervision.models import Employer, SanctionStep, SupervisionReport
from payung.supervision.tests import factories as f

pytestmark = pytest.mark.django_db


def _case(year, disnaker):
    report = f.report_add(year=year, employer=f.employer_add(actor=disnaker), actor=disnaker)
    return services.sanction_case_open(
        report=report,
        actor=disnaker,
        finding="12 pekerja belum didaftarkan",
        unpaid_contributions=0,
    )


def test_year_page_shows_each_half_year_and_its_queries_do_not_grow(
    client, anggota_tim, operator_disnaker, django_assert_max_num_queries
) -> None:
    year = f.supervision_year()
    for i in range(30):
        employer = f.employer_add(actor=operator_disnaker, name=f"Usaha {i}")
        f.report_add(
            year=year, employer=employer, actor=operator_disnaker, found=10, unregistered=3
        )
    for _i in range(5):
        _case(year, operator_disnaker)
    client.force_login(anggota_tim)

    # Session, user, permissions (3), the year and its pagu lines, the cases and their steps,
    # the half-years, the page of visits (count and rows), the header (groups, agency): fixed.
    with django_assert_max_num_queries(16):
        page = client.get(reverse("supervision:year_detail", args=[year.pk]))

    text = page.content.decode()
    assert page.status_code == 200
    assert "Semester I (Januari–Juni 2026)" in text
    assert "ada laporan" in text  # 35 visits in February
    # 30 visits of 10 workers (3 not registered) and 5 of 25 (12): 425 found, 150 not.
    assert ">425<" in text and ">150<" in text
    # The team reads: no button to record.
    assert reverse("supervision:report_create", args=[year.pk]) not in text


def test_employer_list_queries_stay_flat(
    client, operator_disnaker, django_assert_max_num_queries
) -> None:
    for i in range(60):
        f.employer_add(actor=operator_disnaker, name=f"Usaha {i:02d}")
    client.force_login(operator_disnaker)

    # Session, user, permissions, the count and the page with its visit counts, the header.
    with django_assert_max_num_queries(11):
        page = client.get(reverse("supervision:employer_list"))

    assert page.status_code == 200
    assert "60 pemberi kerja terdaftar" in page.content.decode()
    assert "Halaman 1 dari 2" in page.content.decode()
    found = client.get(reverse("supervision:employer_list"), {"q": "usaha 07"}).content.decode()
    assert "1 pemberi kerja terdaftar" in found and "Usaha 07" in found


def test_operator_registers_an_employer_and_records_a_visit(client, operator_disnaker) -> None:
    year = f.supervision_year()
    client.force_login(operator_disnaker)
    answer = client.post(
        reverse("supervision:employer_create"),
        {
            "name": "UD Sumber Rejeki",
            "nib": "9120 0012 3456 7",
            "npwp": "",
            "address": "Jl. Pasar Lama 3",
            "village_code": "36.01.01.2001",
            "sector": "Perdagangan",
            "workers": "14",
        },
    )
    employer = Employer.objects.get()
    assert answer.status_code == 302
    assert employer.nib == "9120001234567" and employer.village_code == "3601012001"

    refused = client.post(
        reverse("supervision:report_create", args=[year.pk]),
        {
            "employer": employer.pk,
            "visited_on": "2025-12-01",
            "inspector": "Sari",
            "workers_found": "14",
            "workers_unregistered": "20",
            "findings": "x",
        },
    )
    assert refused.status_code == 200
    assert "dalam tahun program 2026" in refused.content.decode()
    assert "tidak boleh lebih banyak" in refused.content.decode()

    client.post(
        reverse("supervision:report_create", args=[year.pk]),
        {
            "employer": employer.pk,
            "visited_on": "2026-08-03",
            "inspector": "Sari",
            "workers_found": "14",
            "workers_unregistered": "6",
            "findings": "6 pekerja belum didaftarkan.",
        },
    )
    report = SupervisionReport.objects.get()
    assert (report.visited_on, report.workers_unregistered) == (date(2026, 8, 3), 6)


def test_bpjs_records_its_warning_and_the_regency_its_letter_only(
    client, petugas_bpjs, operator_disnaker
) -> None:
    year = f.supervision_year()
    case = _case(year, operator_disnaker)
    url = reverse("supervision:case_detail", args=[case.pk])

    client.force_login(petugas_bpjs)
    text = client.get(url).content.decode()
    assert "Catat langkah BPJS Ketenagakerjaan" in text and "Surat pemerintah daerah" not in text
    client.post(
        reverse("supervision:step_bpjs", args=[case.pk]),
        {"kind": "teguran_1", "letter_number": "B/77/2026", "letter_date": "2026-03-13"},
    )
    step = SanctionStep.objects.get()
    assert (step.kind, step.deadline) == ("teguran_1", date(2026, 4, 6))

    client.force_login(operator_disnaker)
    text = client.get(url).content.decode()
    assert "Catat langkah BPJS" not in text
    assert "6 April 2026" in text
    # The regency's letter may not jump the ladder, even posted by hand.
    answer = client.post(
        reverse("supervision:step_letter", args=[case.pk]),
        {"kind": "penghentian", "letter_number": "X", "letter_date": "2026-04-08"},
        follow=True,
    )
    assert SanctionStep.objects.count() == 1
    assert answer.status_code == 200


def test_sanction_pages_of_a_year_without_sanctions_say_so_and_refuse(
    client, operator_disnaker, petugas_bpjs
) -> None:
    year = f.supervision_year(enabled=False)
    report = f.report_add(
        year=year, employer=f.employer_add(actor=operator_disnaker), actor=operator_disnaker
    )
    client.force_login(operator_disnaker)
    text = client.get(reverse("supervision:report_detail", args=[report.pk])).content.decode()
    assert "tidak menerapkan sanksi administratif" in text
    assert reverse("supervision:case_open", args=[report.pk]) not in text
    answer = client.post(
        reverse("supervision:case_open", args=[report.pk]),
        {"finding": "x", "unpaid_contributions": "0"},
        follow=True,
    )
    assert "tidak menerapkan sanksi administratif" in answer.content.decode()
    assert not report.sanction_cases.exists()
    text = client.get(reverse("supervision:year_detail", args=[year.pk])).content.decode()
    assert "tidak menerapkan sanksi administratif PP 86/2013" in text


@pytest.mark.parametrize(
    "persona", ["bendahara_disnaker", "operator_dinsos", "verifikator_dukcapil"]
)
def test_roles_outside_supervision_are_refused(client, request, persona) -> None:
    year = f.supervision_year()
    client.force_login(request.getfixturevalue(persona))

    assert client.get(reverse("supervision:year_detail", args=[year.pk])).status_code == 403
    assert client.get(reverse("supervision:employer_list")).status_code == 403
