"""The administrator's pages (issue 9): who may open them, what they show, what they never
show (a password after its one showing, a beneficiary's data), and the pages that send a
user to an administrator naming who that is."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from payung.accounts.access import ACCESS, ADMIN
from payung.accounts.models import User
from payung.accounts.services import agency_get_or_create, user_create
from payung.audit.services import audit_entry_create
from payung.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "persona", ["operator_dinsos", "verifikator_dukcapil", "auditor_inspektorat", "anggota_tim"]
)
def test_only_the_administrator_opens_the_account_pages(
    persona: str, request: pytest.FixtureRequest, admin_kominfo
) -> None:
    other = _signed_in(request.getfixturevalue(persona))
    admin = _signed_in(admin_kominfo)
    for name, kwargs in [
        ("accounts:user_list", None),
        ("accounts:user_create", None),
        ("accounts:login_history", None),
        ("accounts:user_detail", {"pk": admin_kominfo.pk}),
    ]:
        url = reverse(name, kwargs=kwargs)
        assert admin.get(url).status_code == 200, name
        assert other.get(url).status_code == 403, (name, persona)
    unlock = reverse("accounts:user_unlock", args=[admin_kominfo.pk])
    assert other.post(unlock).status_code == 403


def test_the_user_list_shows_role_agency_state_and_lockout_in_a_fixed_number_of_queries(
    admin_kominfo, operator_dinsos, django_assert_max_num_queries
) -> None:
    agency = agency_get_or_create(kind="bpjs", name="BPJS Ketenagakerjaan Cabang Pandeglang")
    for i in range(30):
        user_create(
            username=f"bpjs.petugas{i:02d}", password=PASSWORD, role="petugas_bpjs", agency=agency
        )
    User.objects.filter(username="operator_dinsos").update(
        is_active=False, last_login=timezone.now()
    )
    client = _signed_in(admin_kominfo)

    # Session, user, permissions (2), count, page, roles, lockouts, header (2), agencies,
    # session save (3): none per row.
    with django_assert_max_num_queries(14):
        response = client.get(reverse("accounts:user_list"))

    page = response.content.decode()
    assert "bpjs.petugas29" in page and "Petugas BPJS Ketenagakerjaan" in page
    assert "BPJS Ketenagakerjaan Cabang Pandeglang" in page
    assert "32 pengguna" in page
    assert "Nonaktif" in page and "Belum pernah" in page
    filtered = client.get(reverse("accounts:user_list"), {"status": "nonaktif"})
    assertContains(filtered, "operator_dinsos")
    assertNotContains(filtered, "bpjs.petugas01")
    by_role = client.get(reverse("accounts:user_list"), {"role": "admin"})
    assertContains(by_role, "admin_kominfo")
    assertNotContains(by_role, "bpjs.petugas01")


def test_creating_a_user_shows_the_temporary_password_once_and_uncached(admin_kominfo) -> None:
    client = _signed_in(admin_kominfo)
    dinsos = agency_get_or_create(kind="dinsos", name="Dinas Sosial")

    response = client.post(
        reverse("accounts:user_create"),
        {
            "username": "dinsos.ani",
            "full_name": "Ani Suryani",
            "email": "",
            "role": "operator_pendataan",
            "agency": dinsos.pk,
        },
    )

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    password = response.context["password"]
    assertContains(response, password)
    user = User.objects.get(username="dinsos.ani")
    assert user.check_password(password) and user.must_change_password
    # Nowhere else: the account page does not show it again.
    assertNotContains(client.get(reverse("accounts:user_detail", args=[user.pk])), password)


def test_a_form_error_is_said_in_indonesian_next_to_its_field(admin_kominfo) -> None:
    client = _signed_in(admin_kominfo)
    response = client.post(
        reverse("accounts:user_create"),
        {"username": "nama dengan spasi", "full_name": "", "role": "raja", "agency": ""},
    )
    assertContains(response, "Hanya huruf, angka, titik, tanda hubung atau garis bawah.")
    assertContains(response, "Pilih peran dari daftar.")
    assertContains(response, "Wajib diisi.")
    assert not User.objects.filter(first_name="").exclude(username="admin_kominfo").exists()


def test_the_account_page_refuses_deactivating_oneself_before_the_button(admin_kominfo) -> None:
    client = _signed_in(admin_kominfo)
    url = reverse("accounts:user_detail", args=[admin_kominfo.pk])
    page = client.get(url)
    assertContains(page, "Anda tidak dapat menonaktifkan akun Anda sendiri.")
    assertNotContains(page, reverse("accounts:user_deactivate", args=[admin_kominfo.pk]))
    # And the service says so if the button is forged.
    refused = client.post(reverse("accounts:user_deactivate", args=[admin_kominfo.pk]), follow=True)
    assertContains(refused, "Anda tidak dapat menonaktifkan akun Anda sendiri.")
    assert User.objects.get(pk=admin_kominfo.pk).is_active


def test_the_login_history_filters_by_user_and_day(admin_kominfo, operator_dinsos) -> None:
    audit_entry_create(actor=operator_dinsos, action="user_login", target=operator_dinsos)
    audit_entry_create(
        actor=None, action="user_login_failed", detail={"username": "operator_dinsos"}
    )
    audit_entry_create(actor=None, action="user_login_failed", detail={"username": "tamu"})
    client = _signed_in(admin_kominfo)
    url = reverse("accounts:login_history")

    mine = client.get(url, {"username": "operator_dinsos"})
    assertContains(mine, "Berhasil masuk")
    assertContains(mine, "Gagal: nama pengguna atau kata sandi salah")
    assertContains(mine, "2 percobaan masuk.")
    assertNotContains(mine, "tamu")
    today = timezone.localdate()
    # The administrator's own sign-in of this test is the fourth.
    assertContains(client.get(url, {"dari": today.isoformat()}), "4 percobaan masuk.")
    tomorrow = (today + datetime.timedelta(days=1)).isoformat()
    assertContains(client.get(url, {"dari": tomorrow}), "0 percobaan masuk.")


def test_the_administrator_reads_no_beneficiary_data(admin_kominfo) -> None:
    """The access table lets the administrator reach only accounts, the own-account pages,
    the programme years' overview and the SOPs (steps, agencies and articles: no person in
    them, issue 15); the person pages refuse them."""
    reachable = {
        name for name, entry in ACCESS.items() if any(ADMIN in roles for roles in entry.values())
    }
    assert {n for n in reachable if not n.startswith("accounts:")} == {
        "web:home",
        "web:favicon",
        "registry:year_list",
        "registry:year_detail",
        "procedures:year_sops",
        "procedures:sop_download",
    }
    client = _signed_in(admin_kominfo)
    for name in (
        "people:person_detail",
        "screening:person_detail",
        "participants:candidate_detail",
    ):
        assert client.get(reverse(name, args=[1])).status_code == 403, name
    assert client.get(reverse("people:person_list")).status_code == 403
    assert client.post(reverse("people:person_search"), {"q": "Siti"}).status_code == 403


def test_refusals_and_the_lockout_name_the_active_administrators(
    admin_kominfo, auditor_inspektorat, settings, client: Client
) -> None:
    settings.PAYUNG_ADMIN_CONTACT = "Ruang Server Diskominfo, telepon (0253) 201234"
    User.objects.filter(pk=admin_kominfo.pk).update(first_name="Rudi Hartono")
    retired = user_create(
        username="kominfo.lama",
        password=PASSWORD,
        role="admin",
        agency=admin_kominfo.agency,
        full_name="Admin Pensiun",
    )
    User.objects.filter(pk=retired.pk).update(is_active=False)

    refused = _signed_in(auditor_inspektorat).get(reverse("registry:year_create"))
    assert refused.status_code == 403
    for response in (refused, client.get(reverse("accounts:login"))):
        assertContains(
            response, "Rudi Hartono</strong>, Diskominfo", status_code=response.status_code
        )
        assertContains(response, "telepon (0253) 201234", status_code=response.status_code)
        assertNotContains(response, "Admin Pensiun", status_code=response.status_code)

    login = reverse("accounts:login")
    wrong = {"username": "auditor_inspektorat", "password": "salah-sandi-99"}
    for _ in range(5):
        locked = client.post(login, wrong, REMOTE_ADDR="198.51.100.9")
    assert locked.status_code == 429
    assertContains(locked, "Rudi Hartono</strong>, Diskominfo", status_code=429)
    assertContains(locked, "dapat membuka kunci akun Anda", status_code=429)


def test_a_failed_job_and_the_500_page_name_the_administrators(admin_kominfo) -> None:
    from types import SimpleNamespace

    from django.template.loader import render_to_string

    User.objects.filter(pk=admin_kominfo.pk).update(first_name="Rudi Hartono")
    failed = SimpleNamespace(
        status="failed", progress=0, error_message="Dokumen gagal dibuat. Hubungi administrator."
    )
    other = SimpleNamespace(status="failed", progress=0, error_message="Berkas bukan CSV.")

    job_page = render_to_string("partials/job_progress.html", {"job": failed})
    assert "Rudi Hartono</strong>, Diskominfo" in job_page
    # A failure the user fixes themselves sends nobody to the administrator.
    assert "Rudi Hartono" not in render_to_string("partials/job_progress.html", {"job": other})
    assert "Rudi Hartono</strong>, Diskominfo" in render_to_string("500.html")
