"""Pendataan pages: who may open what, the year form, the upload and the import page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from payung.audit.models import AuditEntry
from payung.conftest import PERSONAS
from payung.core.models import JobStatus
from payung.programmes.models import BudgetLine, ProgrammeYear
from payung.registry.models import DtsenImport, Person
from payung.registry.tests import factories

pytestmark = pytest.mark.django_db

PERSONA_NAMES = tuple(PERSONAS)
OPERATORS = {"operator_dinsos", "operator_dinsos_2"}
IMPORT_READERS = OPERATORS | {"auditor_inspektorat"}

#: page -> personas allowed (200); every other persona gets 403.
ACCESS: dict[str, set[str]] = {
    "year_list": set(PERSONA_NAMES),
    "year_detail": set(PERSONA_NAMES),
    "year_create": OPERATORS,
    "import_create": OPERATORS,
    "import_detail": IMPORT_READERS,
    "import_progress": IMPORT_READERS,
}


@pytest.fixture
def pages(year: ProgrammeYear) -> dict[str, str]:
    imp = factories.DtsenImportFactory(programme_year=year, problems=[])
    return {
        "year_list": reverse("registry:year_list"),
        "year_create": reverse("registry:year_create"),
        "year_detail": reverse("registry:year_detail", args=[year.pk]),
        "import_create": reverse("registry:import_create", args=[year.pk]),
        "import_detail": reverse("registry:import_detail", args=[imp.pk]),
        "import_progress": reverse("registry:import_progress", args=[imp.pk]),
    }


def _as(request: pytest.FixtureRequest, persona: str) -> Client:
    client = Client()
    client.force_login(request.getfixturevalue(persona))
    return client


@pytest.mark.parametrize("persona", PERSONA_NAMES)
@pytest.mark.parametrize("page", list(ACCESS))
def test_each_page_per_role(
    request: pytest.FixtureRequest, pages: dict[str, str], page: str, persona: str
) -> None:
    response = _as(request, persona).get(pages[page])

    assert response.status_code == (200 if persona in ACCESS[page] else 403)


@pytest.mark.parametrize("page", list(ACCESS))
def test_anonymous_goes_to_login(client: Client, pages: dict[str, str], page: str) -> None:
    response = client.get(pages[page])

    assert response.status_code == 302
    assert response["Location"].startswith(reverse(settings.LOGIN_URL))


def test_only_the_operator_may_post_a_year_or_an_upload(
    request: pytest.FixtureRequest, pages: dict[str, str], synth_csv: Path
) -> None:
    for persona in ("verifikator_dukcapil", "auditor_inspektorat", "admin_kominfo"):
        client = _as(request, persona)
        assert client.post(pages["year_create"], _year_form(year="2030")).status_code == 403
        with synth_csv.open("rb") as handle:
            assert client.post(pages["import_create"], {"file": handle}).status_code == 403
    assert not ProgrammeYear.objects.filter(year=2030).exists()
    assert DtsenImport.objects.count() == 1


def test_unknown_pks_are_404(request: pytest.FixtureRequest) -> None:
    client = _as(request, "operator_dinsos")
    for name in ("year_detail", "import_create", "import_detail", "import_progress"):
        assert client.get(reverse(f"registry:{name}", args=[9999])).status_code == 404


# --- programme year ----------------------------------------------------------------------


def _year_form(**overrides: str) -> dict[str, str]:
    data = {
        "year": "2026",
        "policy_id": "pandeglang-2025",
        "as_of": "2026-01-01",
        "coverage_months": "12",
        "pagu_apbd": "Rp1.008.000.000",
        "pagu_lainnya": "",
    }
    data.update(overrides)
    return data


def test_create_a_year_and_see_what_its_pagu_buys(request: pytest.FixtureRequest) -> None:
    client = _as(request, "operator_dinsos")
    form = client.get(reverse("registry:year_create"))
    assert "pandeglang-2025" in form.content.decode()

    response = client.post(reverse("registry:year_create"), _year_form(), follow=True)

    year = ProgrammeYear.objects.get()
    assert response.redirect_chain[-1][0] == reverse("registry:year_detail", args=[year.pk])
    page = response.content.decode()
    assert "Rp201.600" in page  # per participant per year (Pasal 9(2))
    assert "Rp1.008.000.000" in page  # total pagu
    assert "5.000 peserta" in page  # quota (Pasal 6(2))
    assert "satu miliar delapan juta rupiah" in page
    assert "dua ratus satu ribu enam ratus rupiah" in page
    assert dict(year.budget_lines.values_list("source", "amount")) == {
        BudgetLine.Source.APBD: 1_008_000_000,
        BudgetLine.Source.OTHER: 0,
    }


@pytest.mark.parametrize(
    ("overrides", "words"),
    [
        ({"as_of": "2027-03-01"}, "di dalam tahun 2026 atau sebelumnya"),
        ({"pagu_apbd": "1.008,5"}, "Format rupiah tidak dikenali"),
        ({"pagu_apbd": "-Rp5.000"}, "Pagu tidak boleh negatif"),
        ({"coverage_months": "13"}, "kecil dari atau sama dengan 12"),
        ({"policy_id": "atlantis-2099"}, "atlantis-2099"),
    ],
)
def test_year_form_shows_errors(
    request: pytest.FixtureRequest, overrides: dict[str, str], words: str
) -> None:
    response = _as(request, "operator_dinsos").post(
        reverse("registry:year_create"), _year_form(**overrides)
    )

    assert response.status_code == 200
    assert words in response.content.decode()
    assert not ProgrammeYear.objects.exists()


def test_a_mistyped_pagu_is_explained_with_pagu_sized_examples_not_iuran_sized_ones(
    request: pytest.FixtureRequest,
) -> None:
    """Issue 9, defect 7: the operator typing a pagu was shown "16800, Rp16.800"."""
    response = _as(request, "operator_dinsos").post(
        reverse("registry:year_create"), _year_form(pagu_apbd="1.008,5")
    )

    page = response.content.decode()
    assert "1.008.000.000" in page and "Rp1.008.000.000" in page.split("Format rupiah")[1]
    assert "16800" not in page and "Rp16.800" not in page
    assert "&#x27;1.008,5&#x27;" not in page and "'1.008,5'" not in page


def test_year_form_refuses_a_second_year_for_the_region(
    request: pytest.FixtureRequest, year: ProgrammeYear
) -> None:
    response = _as(request, "operator_dinsos").post(
        reverse("registry:year_create"), _year_form(year="2026")
    )

    assert response.status_code == 200
    assert "sudah ada" in response.content.decode()
    assert ProgrammeYear.objects.count() == 1


def test_year_list_queries_do_not_grow_with_years(request: pytest.FixtureRequest) -> None:
    client = _as(request, "anggota_tim")
    url = reverse("registry:year_list")
    factories.BudgetLineFactory(programme_year=factories.ProgrammeYearFactory())

    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(6):
        factories.BudgetLineFactory(programme_year=factories.ProgrammeYearFactory())
    with CaptureQueriesContext(connection) as seven:
        response = client.get(url)

    page = response.content.decode()
    for year in ProgrammeYear.objects.all():
        assert reverse("registry:year_detail", args=[year.pk]) in page
    assert len(seven) == len(one)


def test_year_page_hides_imports_from_roles_without_the_permission(
    request: pytest.FixtureRequest, pages: dict[str, str]
) -> None:
    page = _as(request, "bendahara_disnaker").get(pages["year_detail"]).content.decode()
    assert "dtsen-sintetis.csv" not in page
    assert 'enctype="multipart/form-data"' not in page

    page = _as(request, "auditor_inspektorat").get(pages["year_detail"]).content.decode()
    assert "dtsen-sintetis.csv" in page
    assert 'enctype="multipart/form-data"' not in page

    page = _as(request, "operator_dinsos").get(pages["year_detail"]).content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert reverse("registry:import_create", args=[pages["year_detail"].split("/")[-2]]) in page


def test_year_page_links_the_screening_runs(
    request: pytest.FixtureRequest, year: ProgrammeYear, operator_dinsos: Any
) -> None:
    from payung.screening.models import ScreeningRun

    imp = factories.DtsenImportFactory(programme_year=year)
    run = ScreeningRun.objects.create(
        programme_year=year,
        dtsen_import=imp,
        policy_id=year.policy_id,
        policy_version=year.policy_version,
        as_of=year.as_of,
        status=JobStatus.DONE,
        started_by=operator_dinsos,
    )

    page = _as(request, "verifikator_dukcapil").get(reverse("registry:year_detail", args=[year.pk]))

    assert reverse("screening:run_detail", args=[run.pk]) in page.content.decode()


# --- imports -------------------------------------------------------------------------------


def test_upload_then_see_the_import(
    request: pytest.FixtureRequest,
    year: ProgrammeYear,
    synth_csv: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = _as(request, "operator_dinsos")

    with synth_csv.open("rb") as handle, django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("registry:import_create", args=[year.pk]), {"file": handle})
    response = client.get(response["Location"])

    imp = DtsenImport.objects.get()
    assert response.request["PATH_INFO"] == reverse("registry:import_detail", args=[imp.pk])
    assert imp.status == JobStatus.DONE
    page = response.content.decode()
    assert "x.csv" in page and imp.sha256 in page
    assert "300" in page and str(imp.household_count) in page
    assert imp.problems
    # Grouped by problem (issue 9): every kept problem row is listed under its problem.
    groups = response.context["problem_groups"]
    assert {row for g in groups for row in g.rows} == {p["row"] for p in imp.problems}
    for group in groups:
        assert f"<summary><strong>{escape(group.title)}</strong></summary>" in page
        assert f"?masalah={group.number}" in page
    assert "NIK" in page  # the problems' sentences, e.g. "NIK berakhiran .0 ..."
    person = Person.objects.filter(dtsen_import=imp).exclude(nama="").first()
    assert person is not None and person.nama not in page and person.nik not in page

    year_page = client.get(reverse("registry:year_detail", args=[year.pk])).content.decode()
    assert reverse("registry:import_detail", args=[imp.pk]) in year_page
    assert reverse("screening:run_start") in year_page


def test_uploading_the_same_file_again_shows_why_it_is_refused(
    request: pytest.FixtureRequest, year: ProgrammeYear, synth_csv: Path
) -> None:
    first = factories.DtsenImportFactory(
        programme_year=year, file_name="pertama.csv", sha256=_sha256(synth_csv)
    )
    client = _as(request, "operator_dinsos")

    with synth_csv.open("rb") as handle:
        response = client.post(reverse("registry:import_create", args=[year.pk]), {"file": handle})

    assert response.status_code == 200
    page = response.content.decode()
    assert "sudah diimpor" in page and f"#{first.pk}" in page and "pertama.csv" in page
    assert DtsenImport.objects.count() == 1


def test_upload_form_explains_a_bad_mapping(
    request: pytest.FixtureRequest, year: ProgrammeYear
) -> None:
    client = _as(request, "operator_dinsos")
    data = {
        "file": SimpleUploadedFile("a.csv", b"No Induk\n1\n"),
        "mapping_name": "Desa A",
        "mapping_text": "columns:\n  No Induk: NAMA_IBU\n",
    }

    response = client.post(reverse("registry:import_create", args=[year.pk]), data)

    assert response.status_code == 200
    assert "bukan kolom DTSEN" in response.content.decode()
    assert not DtsenImport.objects.exists()


def test_upload_form_wants_a_name_for_a_new_mapping(
    request: pytest.FixtureRequest, year: ProgrammeYear
) -> None:
    client = _as(request, "operator_dinsos")
    data = {
        "file": SimpleUploadedFile("a.csv", b"No Induk\n1\n"),
        "mapping_text": "columns:\n  No Induk: NIK\n",
    }

    response = client.post(reverse("registry:import_create", args=[year.pk]), data)

    assert response.status_code == 200
    assert "Beri nama sumber data" in response.content.decode()


def test_failed_import_page_shows_the_reason(
    request: pytest.FixtureRequest, year: ProgrammeYear
) -> None:
    imp = factories.DtsenImportFactory(
        programme_year=year,
        status=JobStatus.FAILED,
        error_code="file.empty",
        error_message="Berkas kosong: 'x.csv' tidak berisi baris judul kolom.",
        row_count=None,
    )

    page = _as(request, "auditor_inspektorat").get(reverse("registry:import_detail", args=[imp.pk]))

    assert "Berkas kosong" in page.content.decode()


def test_progress_partial_polls_while_running_and_reloads_when_done(
    request: pytest.FixtureRequest, year: ProgrammeYear
) -> None:
    client = _as(request, "operator_dinsos")
    imp = factories.DtsenImportFactory(
        programme_year=year, status=JobStatus.RUNNING, progress=30, row_count=None
    )
    url = reverse("registry:import_progress", args=[imp.pk])
    detail = reverse("registry:import_detail", args=[imp.pk])

    running = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 1s"' in running and url in running and "30%" in running
    assert "<html" not in running

    DtsenImport.objects.filter(pk=imp.pk).update(status=JobStatus.DONE, progress=100)
    done = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="load"' in done and detail in done
    assert "every 1s" not in done

    plain = client.get(url).content.decode()
    assert 'hx-trigger="load"' not in plain


def test_detail_of_a_running_import_includes_the_polling_partial(
    request: pytest.FixtureRequest, year: ProgrammeYear
) -> None:
    imp = factories.DtsenImportFactory(programme_year=year, status=JobStatus.QUEUED, progress=0)

    page = (
        _as(request, "operator_dinsos")
        .get(reverse("registry:import_detail", args=[imp.pk]))
        .content.decode()
    )

    assert reverse("registry:import_progress", args=[imp.pk]) in page
    assert 'hx-trigger="every 1s"' in page
    assert not AuditEntry.objects.filter(action="dtsen_import_finish").exists()


def _sha256(path: Path) -> str:
    from payung.engine.readers import file_sha256

    return file_sha256(path)


# --- the year's status and its cooperation agreement --------------------------------------


def test_after_an_import_finishes_the_year_shows_pendataan(
    request: pytest.FixtureRequest,
    year: ProgrammeYear,
    synth_csv: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = _as(request, "operator_dinsos")
    year_url = reverse("registry:year_detail", args=[year.pk])
    assert (
        '<li class="step-current" aria-current="step">Draf</li>'
        in client.get(year_url).content.decode()
    )

    with synth_csv.open("rb") as handle, django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("registry:import_create", args=[year.pk]), {"file": handle})

    assert DtsenImport.objects.get().status == JobStatus.DONE
    page = client.get(year_url).content.decode()
    assert '<li class="step-current" aria-current="step">Pendataan</li>' in page
    assert '<li class="step-done">Draf</li>' in page
    # (The home page's tracker reads the data, not the status: web/tests/test_workspace.py.)
    listed = client.get(reverse("registry:year_list")).content.decode()
    assert '<li class="step-current" aria-current="step">Pendataan</li>' in listed


def _pks_form(**overrides: str) -> dict[str, str]:
    data = {
        "number": "560/12-Disnakertrans/2026",
        "signed_on": "2025-12-15",
        "branch_office": "Kantor Cabang Pandeglang",
        "period_start": "2026-01-01",
        "period_end": "2026-12-31",
        "coverage_start": "2026-02-01",
        "billing_period": "triwulanan",
    }
    data.update(overrides)
    return data


def test_operator_kepesertaan_records_the_pks_and_the_year_page_shows_it(
    request: pytest.FixtureRequest, year: ProgrammeYear
) -> None:
    client = _as(request, "operator_disnaker")
    year_url = reverse("registry:year_detail", args=[year.pk])
    record_url = reverse("registry:cooperation_agreement_record", args=[year.pk])
    assert record_url in client.get(year_url).content.decode()

    response = client.post(record_url, _pks_form(), follow=True)

    assert response.redirect_chain[-1][0] == year_url + "#pks"
    page = response.content.decode()
    assert "560/12-Disnakertrans/2026" in page
    assert "15 Desember 2025" in page
    assert "1 Januari 2026 – 31 Desember 2026" in page
    assert "1 Februari 2026" in page
    assert "Triwulanan" in page and "triwulanan</dd>" not in page
    assert AuditEntry.objects.filter(action="cooperation_agreement_record").count() == 1


def test_pks_errors_are_shown_on_the_year_page_in_indonesian(
    request: pytest.FixtureRequest, year: ProgrammeYear
) -> None:
    response = _as(request, "operator_disnaker").post(
        reverse("registry:cooperation_agreement_record", args=[year.pk]),
        _pks_form(number="", coverage_start="2027-03-01"),
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "Nomor PKS wajib diisi." in page
    assert "Mulai kepesertaan harus di dalam masa berlaku PKS." in page
    assert "<details open>" in page


def test_roles_that_may_not_record_the_pks_see_it_without_the_form(
    request: pytest.FixtureRequest, year: ProgrammeYear
) -> None:
    _as(request, "operator_disnaker").post(
        reverse("registry:cooperation_agreement_record", args=[year.pk]), _pks_form()
    )
    record_url = reverse("registry:cooperation_agreement_record", args=[year.pk])

    for persona in ("petugas_bpjs", "bendahara_disnaker", "operator_dinsos"):
        client = _as(request, persona)
        page = client.get(reverse("registry:year_detail", args=[year.pk])).content.decode()
        assert "560/12-Disnakertrans/2026" in page
        assert record_url not in page
        assert client.post(record_url, _pks_form()).status_code == 403


# The home page is each role's workspace of one year (issue 9): its query count is asserted
# per role in web/tests/test_workspace.py.
@pytest.mark.parametrize("url_name", ["registry:year_list"])
def test_year_lists_with_their_step_trackers_keep_their_query_count(
    request: pytest.FixtureRequest, url_name: str, django_assert_max_num_queries: Any
) -> None:
    client = _as(request, "anggota_tim")
    for status in ProgrammeYear.Status.values:
        factories.BudgetLineFactory(programme_year=factories.ProgrammeYearFactory(status=status))
    client.get(reverse(url_name))  # session and permissions cached

    # Session, user, permissions, groups, agency, navigation; then the years and their pagu
    # lines: the tracker reads the status on the row, so six years cost no extra query.
    with django_assert_max_num_queries(11):
        page = client.get(reverse(url_name)).content.decode()

    for label in ("Draf", "Pendataan", "Verifikasi", "Ditetapkan", "Berjalan", "Ditutup"):
        assert f'<li class="step-current" aria-current="step">{label}</li>' in page
