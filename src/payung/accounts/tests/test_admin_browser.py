"""The administrator's day in a real browser (issue 9): create an account and hand over its
temporary password, then unlock a colleague locked out by failed logins. Screenshots at
1366 px and 390 px go to /tmp/h6/shots/D-*.png for a person to look at."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from payung.accounts.models import User
from payung.accounts.services import agency_get_or_create
from payung.conftest import PASSWORD
from payung.web.tests.test_browser import _login, page  # noqa: F401

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/h6/shots")
WIDTHS = {"desktop": (1366, 900), "phone": (390, 844)}


def _shoot(page: Any, name: str) -> None:  # noqa: F811
    SHOTS.mkdir(parents=True, exist_ok=True)
    for label, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(SHOTS / f"D-{name}-{label}.png"), full_page=True)
        # Nothing wider than the screen: a phone user never scrolls sideways.
        overflow = page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= width, f"{name} at {width} px is {overflow} px wide"
    page.set_viewport_size({"width": 1366, "height": 900})


def test_the_administrator_creates_a_user_and_unlocks_a_locked_one(
    live_server: Any,
    admin_kominfo: Any,
    operator_dinsos: Any,
    page: Any,  # noqa: F811
) -> None:
    User.objects.filter(pk=admin_kominfo.pk).update(first_name="Rudi Hartono")
    dinsos = agency_get_or_create(kind="dinsos", name="Dinas Sosial Kabupaten Pandeglang")
    base = live_server.url
    # A colleague mistypes five times and is locked out (axes, through the login page).
    colleague = Client()
    wrong = {"username": "operator_dinsos", "password": "salah-sandi-99"}
    for _ in range(5):
        locked = colleague.post(reverse("accounts:login"), wrong, REMOTE_ADDR="127.0.0.1")
    assert locked.status_code == 429

    _login(page, base, "admin_kominfo")
    # The navigation (web/navigation.py) links the account pages for the administrator.
    assert page.locator("header a[href='/akun/pengguna/']").count() >= 1
    page.goto(f"{base}/akun/pengguna/")
    page.wait_for_selector("h1:has-text('Pengguna')")
    assert "Terkunci sementara" in page.inner_text("#users")
    _shoot(page, "daftar-pengguna")

    page.click("text=Tambah pengguna")
    page.fill("input[name=username]", "dinsos.siti")
    page.fill("input[name=full_name]", "Siti Rahmawati")
    page.select_option("select[name=role]", "operator_pendataan")
    page.select_option("select[name=agency]", str(dinsos.pk))
    _shoot(page, "tambah-pengguna")
    page.click("button:has-text('Buat akun')")
    page.wait_for_selector("#temporary-password")
    password = page.inner_text("#temporary-password")
    assert User.objects.get(username="dinsos.siti").check_password(password)
    _shoot(page, "kata-sandi-sementara")
    page.click("text=Selesai, kembali ke akun")
    page.wait_for_selector("h1:has-text('dinsos.siti')")
    assert "Wajib mengganti kata sandi" in page.inner_text("main")

    page.goto(f"{base}/akun/pengguna/?status=terkunci")
    page.click("#users >> text=operator_dinsos")
    page.wait_for_selector("button:has-text('Buka kunci masuk')")
    _shoot(page, "akun-terkunci")
    page.click("button:has-text('Buka kunci masuk')")
    page.wait_for_selector("text=Kunci dibuka")
    assert "Terkunci sementara" not in page.inner_text("#keadaan")
    right = {"username": "operator_dinsos", "password": PASSWORD}
    assert colleague.post(reverse("accounts:login"), right).status_code == 302

    page.goto(f"{base}/akun/pengguna/riwayat-masuk/?username=operator_dinsos")
    assert "Berhasil masuk" in page.inner_text("main")
    assert "Gagal: nama pengguna atau kata sandi salah" in page.inner_text("main")
    _shoot(page, "riwayat-masuk")

    # The administrator reads no beneficiary: the person list refuses them, naming who can act.
    response = page.goto(f"{base}/orang/")
    assert response is not None and response.status == 403
    assert "Rudi Hartono, Diskominfo" in page.inner_text("main")
    _shoot(page, "akses-ditolak")
