"""The whole pendataan path in a real browser, as an operator of Dinas Sosial meets it.

Headless Debian chromium driven by Playwright against the live test server: log in, create
the programme year, upload an extract, watch the import finish, screen it, and open a
refused person to read why. Tasks run immediately in the test settings, so the progress
partial is seen in its finished state.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from payung.conftest import PASSWORD

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is required: scripts/test installs it with apt-get")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the test makes
    # around it are ordinary synchronous calls. Set for this test only: left in the process,
    # it would reach the commands later tests start (check --deploy refuses it).
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(locale="id-ID", timezone_id="Asia/Jakarta")
        page = context.new_page()
        page.set_default_timeout(60_000)
        # Chromium reports what the Content-Security-Policy blocked on the console: an inline
        # script or style that stopped working, or htmx evaluating code.
        refused: list[str] = []
        page.on(
            "console",
            lambda msg: refused.append(msg.text) if "Content Security Policy" in msg.text else None,
        )
        yield page
        page.screenshot(path=str(tmp_path / "last.png"), full_page=True)
        browser.close()
        assert refused == [], "the CSP blocked something on these pages"


def htmx_fails(page: Any, url: str) -> None:
    """Answer htmx's requests to ``url`` with a server error (a routed 500) and let every
    other request through: what a form with ``data-submit-on-error`` must survive."""
    page.route(
        url,
        lambda route: (
            route.fulfill(status=500, body="rusak")
            if route.request.headers.get("hx-request")
            else route.continue_()
        ),
    )


def _login(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/akun/masuk/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def test_operator_creates_year_imports_screens_and_reads_why_a_person_was_refused(
    live_server: Any, operator_dinsos: Any, page: Any, tmp_path: Path
) -> None:
    from payung.engine.synth import synth_write

    extract = synth_write(rows=400, seed=3, out=tmp_path / "dtsen-uji.csv")
    base = live_server.url

    _login(page, base, "operator_dinsos")

    page.goto(f"{base}/pendataan/baru/")
    page.fill("input[name=year]", "2026")
    page.select_option("select[name=policy_id]", "pandeglang-2025")
    page.fill("input[name=as_of]", "2026-01-01")
    page.fill("input[name=coverage_months]", "12")
    page.fill("input[name=pagu_apbd]", "Rp4.032.000")  # 20 people × Rp201.600
    page.click("button:has-text('Simpan')")
    page.wait_for_selector("text=Kuota")
    assert "20 peserta" in page.content()
    assert "empat juta tiga puluh dua ribu rupiah" in page.content()
    year_url = page.url

    page.click("summary:has-text('Unggah ekstrak DTSEN')")
    page.set_input_files("input[type=file]", str(extract))
    page.click("button:has-text('Unggah dan impor')")
    page.wait_for_selector("#job-progress")
    page.wait_for_selector("text=Selesai")
    assert "dtsen-uji.csv" in page.content()

    page.goto(year_url)
    page.click("button:has-text('Jalankan penyaringan')")
    page.wait_for_selector("text=Selesai")
    content = page.content()
    assert "Tidak memenuhi syarat" in content
    assert "Pasal 5 ayat (2) huruf b" in content

    run_url = page.url.rstrip("/")
    page.goto(f"{run_url}/keputusan/?status=ineligible&article=5(2)b")
    # A name typed into the filter form: htmx sends it and the answer is the list itself,
    # one request (no redirect); the address bar then holds a token, never the name, and
    # keeps the other filters; a reload asks for that address and shows the same list.
    name = page.locator("table tbody a").first.inner_text()
    page.fill("input[name=search]", name)
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.click("button:has-text('Saring')")
    assert answer.value.status == 200 and answer.value.request.headers.get("hx-request")
    page.wait_for_url("**cari=**")
    assert name not in page.url and "status=ineligible" in page.url
    assert page.title().startswith("Keputusan penyaringan nomor")
    assert name in page.inner_text("table tbody")
    page.reload()
    assert name in page.inner_text("table tbody")
    assert page.input_value("input[name=search]") == name
    # The form's htmx attributes stay on the form: the kecamatan list still fills the
    # villages of the chosen kecamatan.
    page.select_option("select[name=kecamatan]", index=1)
    page.wait_for_function("document.querySelectorAll('#id_desa option').length > 1")
    page.locator("table tbody a").first.click()
    page.wait_for_selector("text=Mengapa saya")
    person = page.content()
    assert "tidak terpenuhi" in person
    assert "Berusia paling sedikit 18 tahun sampai dengan 64 tahun" in person
    assert "Pasal 5 ayat (2) huruf b" in person
    # The NIK is masked until someone with the right asks to see it.
    assert "********" in page.inner_text("body")


def test_auditor_cannot_create_a_year_and_sees_an_indonesian_refusal(
    live_server: Any, auditor_inspektorat: Any, page: Any
) -> None:
    base = live_server.url
    _login(page, base, "auditor_inspektorat")
    response = page.goto(f"{base}/pendataan/baru/")
    assert response is not None and response.status == 403
    assert "Akses ditolak" in page.content()


def _switch(page: Any, base: str, username: str) -> None:
    """Another person at another desk: a fresh session, then log in."""
    page.context.clear_cookies()
    _login(page, base, username)


def test_proposal_verification_and_decree_across_three_agencies(
    live_server: Any,
    operator_dinsos: Any,
    operator_dinsos_2: Any,
    verifikator_dukcapil: Any,
    operator_disnaker: Any,
    operator_disnaker_2: Any,
    page: Any,
    tmp_path: Path,
) -> None:
    """Dinas Sosial proposes and approves (two people), Disdukcapil answers with a file,
    Disnakertrans drafts the Regent's decree and records it signed (two people)."""
    from payung.decrees.tests.test_services import SCAN, _verify_all
    from payung.domain.nik import mask
    from payung.engine.synth_dukcapil import dukcapil_response_write
    from payung.participants.models import CandidateState, Proposal
    from payung.participants.tests.factories import QUOTA, screened_year

    run = screened_year(operator=operator_dinsos, rows=300)
    year_pk = run.programme_year_id
    base = live_server.url

    # Dinas Sosial, first operator: propose from the run, exclude one with a reason.
    _login(page, base, "operator_dinsos")
    page.goto(f"{base}/penetapan/tahun/{year_pk}/usulan/")
    page.fill("input[name=place]", "Pandeglang")
    page.click("button:has-text('Buat usulan')")
    page.wait_for_selector("text=Status usulan")
    assert "********" in page.inner_text("body")
    page.locator("summary:has-text('Kecualikan')").nth(2).click()
    page.locator("textarea[name=reason]").nth(2).fill("Tercatat sebagai perangkat desa aktif")
    page.locator("button:has-text('Kecualikan calon ini')").nth(2).click()
    page.wait_for_selector("text=Tercatat sebagai perangkat desa aktif")
    # The proposer is told that someone else must approve.
    assert "prinsip empat mata" in page.content()

    # Dinas Sosial, second operator: approve; the berita acara is made.
    _switch(page, base, "operator_dinsos_2")
    page.goto(f"{base}/penetapan/tahun/{year_pk}/usulan/")
    page.click("button:has-text('Setujui usulan')")
    page.wait_for_selector("text=Disetujui")
    page.wait_for_selector("text=berita-acara-pendataan-2026.pdf")

    # Dinas Sosial starts the verification round (who is sent is part of the proposal);
    # Disdukcapil only downloads the request and uploads its answer.
    page.goto(f"{base}/verifikasi/tahun/{year_pk}/")
    page.click("button:has-text('Buat tahap verifikasi berikutnya')")
    page.wait_for_selector("text=Unduh XLSX")
    batch_url = page.url
    _switch(page, base, "verifikator_dukcapil")
    page.goto(batch_url)
    page.wait_for_selector("text=Unduh XLSX")
    with page.expect_download() as download:
        page.click("text=Unduh XLSX")
    request = tmp_path / "permintaan.xlsx"
    download.value.save_as(request)
    answer, counts = dukcapil_response_write(
        request=request, out=tmp_path / "jawaban.xlsx", seed=11, unmatched=1
    )
    page.set_input_files("input[type=file]", str(answer))
    page.click("button:has-text('Unggah dan terapkan')")
    page.wait_for_selector("text=Jawaban diterapkan.")
    report = page.inner_text("body")
    assert "Baris yang tidak cocok dengan calon tahap ini" in report
    matched = page.locator("tr:has-text('SESUAI — Sesuai') td").nth(1).inner_text()
    assert matched == str(counts["SESUAI"])

    # The replacement rounds are answered the same way; here through the service.
    proposal = Proposal.objects.get(programme_year_id=year_pk)
    _verify_all(proposal, verifikator_dukcapil)

    # Disnakertrans: draft the Regent's decree, then a second operator records it signed.
    _switch(page, base, "operator_disnaker")
    page.goto(f"{base}/keputusan/tahun/{year_pk}/")
    page.locator("button:has-text('Susun rancangan')").first.click()
    page.wait_for_selector("text=Rancangan")
    scan = tmp_path / "sk-ditandatangani.pdf"
    scan.write_bytes(SCAN)
    _switch(page, base, "operator_disnaker_2")
    page.goto(f"{base}/keputusan/tahun/{year_pk}/")
    page.click("summary:has-text('Catat keputusan yang telah ditandatangani')")
    page.fill("input[name$=number]", "400.10/Kep.7-Huk/2026")
    page.fill("input[name$=signed_on]", "2026-01-15")
    page.fill("input[name$=signer_name]", "Bupati Sintetis")
    page.set_input_files("input[name$=scan]", str(scan))
    page.click("button:has-text('Catat sebagai ditetapkan')")
    page.wait_for_selector("text=400.10/Kep.7-Huk/2026")
    assert "Ditandatangani" in page.content()
    decreed = proposal.candidates.filter(state=CandidateState.DECREED)
    # Everyone verified is now a participant, never more than the pagu pays for.
    assert not proposal.candidates.filter(state=CandidateState.VERIFIED).exists()
    assert 0 < decreed.count() <= QUOTA
    assert f"{decreed.count()} peserta" in page.content()

    # The participant's page tells the whole story.
    _switch(page, base, "operator_dinsos")
    page.goto(f"{base}/penetapan/calon/{decreed.first().pk}/")
    history = page.inner_text("body")
    assert "Ditetapkan" in history and "400.10/Kep.7-Huk/2026" in history

    # A rejected person, found by name from the header search, shows the final state.
    rejected_all = list(
        proposal.candidates.filter(state=CandidateState.REJECTED)
        .select_related("person")
        .order_by("rank")
    )
    # One Disdukcapil rejected if its answer rejected anyone, else the one excluded above.
    rejected = next((c for c in rejected_all if c.reason_code != "dikecualikan"), rejected_all[0])
    sent: list[str] = []
    page.on("request", lambda r: sent.append(f"{r.method} {r.url}"))
    page.fill("header input[name=q]", rejected.person.nama)
    page.click("header button:has-text('Cari')")
    page.wait_for_selector("text=orang ditemukan")
    page.wait_for_url("**/orang/?cari=**")
    assert rejected.person.nama not in page.url and rejected.nik not in page.url
    # One request: htmx's POST answered with the list (no redirect, no second GET).
    assert [r for r in sent if "/orang/" in r] == [f"POST {base}/orang/cari/"]
    assert page.title().startswith("Cari orang")  # htmx takes the answer's title too
    # Back returns to the page before the search, asked of the server again (nothing of
    # the result list is kept in the browser's storage); Forward brings the list back.
    page.go_back()
    page.wait_for_url(f"{base}/penetapan/calon/*/")
    page.wait_for_selector("text=orang ditemukan", state="detached")
    page.wait_for_load_state("load")
    assert page.evaluate("sessionStorage.getItem('htmx-history-cache')") is None
    page.go_forward()
    page.wait_for_selector("text=orang ditemukan")
    # If htmx's request fails, the form is sent again the ordinary way: the user still gets
    # the list (a POST and a redirect), never a button that did nothing.
    htmx_fails(page, f"{base}/orang/cari/")
    sent.clear()
    page.fill("header input[name=q]", rejected.person.nama)
    page.click("header button:has-text('Cari')")
    page.wait_for_url("**/orang/?cari=**")
    page.wait_for_selector("text=orang ditemukan")
    assert [r.split()[0] for r in sent if "/orang/" in r] == ["POST", "POST", "GET"]
    page.unroute(f"{base}/orang/cari/")
    page.locator(f"tr:has-text('{mask(rejected.nik)}') a").first.click()
    page.wait_for_selector("text=Status akhir")
    journey = page.inner_text("body")
    assert "Ditolak" in journey and "Riwayat pencalonan" in journey
    assert rejected.reason in journey
    assert rejected.nik not in journey and str(rejected.person_id) in page.url
    shots = Path(os.environ.get("PAYUNG_SHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    for width, height in ((1366, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(shots / f"orang-{width}.png"), full_page=True)
