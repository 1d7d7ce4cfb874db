"""A working day of Payung under load (issue 16, target 4): users across roles browsing the
decision list page by page, filtering, searching by NIK and by name, opening person pages
and workspaces, and exporting a small filtered list, against a server on 127.0.0.1.

Run by ``scripts/bench load-test`` (``benchmarks/load_test.py``), which starts gunicorn,
writes the targets file and runs locust headless, bounded in time. The targets file
(``PAYUNG_BENCH_TARGETS``, JSON, mode 0600, made by ``benchmarks.pages --targets``) names
the run, some decisions, persons, NIKs and names of the synthetic extract: the searches
are POSTed, as the pages do, so no NIK or name ever enters a URL or the server's log, and
with htmx's headers, as a browser's search form sends them (the answer is the result page
itself, one request; a redirect, as without JavaScript, would be followed and timed too).
Every user logs in through the login form with its CSRF token, as a person does, before the
clock starts, and sends no page request before it: when the last user has logged in, the
statistics are reset (50 Argon2 logins are the morning's first minute, not a page), each
user begins after a think time of its own, and, if ``PAYUNG_BENCH_IMPORT`` names an
extract, an operator uploads it through the import page, so the application's worker
imports it during the measured window. ``PAYUNG_BENCH_STATE`` (a JSON file) receives the
moment the clock started and the upload's outcome, for ``benchmarks/load_test.py``; the run
stops ``PAYUNG_BENCH_WINDOW`` seconds after the clock started (locust's ``--run-time``,
which counts the logins too, only bounds it).

Think times are a civil servant's, not a robot's: ``PAYUNG_BENCH_THINK`` seconds (default
"4,12", uniform) between tasks, and again between reading one page of the list and asking
for the next, and between opening a search form and sending the typed NIK or name.
"""

from __future__ import annotations

import json
import os
import random
import re
import time
from pathlib import Path
from typing import Any

import gevent
import requests
from gevent.event import Event
from locust import HttpUser, between, events, task

TARGETS = json.loads(Path(os.environ["PAYUNG_BENCH_TARGETS"]).read_text(encoding="utf-8"))
PASSWORD = TARGETS["password"]
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_NEXT = re.compile(r'href="\?([^"]*setelah=[^"]+)" rel="next"')
_THINK = tuple(float(s) for s in os.environ.get("PAYUNG_BENCH_THINK", "4,12").split(","))
_STATE = os.environ.get("PAYUNG_BENCH_STATE", "")
_REQUESTS = os.environ.get("PAYUNG_BENCH_REQUESTS", "")
_IMPORTED = re.compile(r"/pendataan/impor/(\d+)/")
#: Users logged in so far; the clock starts when all of them have.
_logged_in: list[str] = []
#: Every request after the clock started: (start, "METHOD name", ms), for the harness to
#: tell the pages' times while the import ran from those after it.
_timed: list[tuple[float, str, float]] = []
_clock: list[float] = []
#: Set when the clock starts: no user sends a page request before it (a request sent during
#: the logins' Argon2 hashing, and finished after the reset, would count in the window).
_clock_started = Event()


@events.request.add_listener
def _request_timed(request_type: str, name: str, response_time: float, start_time: float, **_):
    if _clock and start_time >= _clock[0]:
        _timed.append((start_time, f"{request_type} {name}", response_time))


@events.quitting.add_listener
def _requests_write(**_) -> None:
    if _REQUESTS:
        Path(_REQUESTS).write_text(json.dumps(_timed), encoding="utf-8")


def _state_write(**values: object) -> None:
    """Add ``values`` to the state file the harness reads after the run."""
    if not _STATE:
        return
    path = Path(_STATE)
    state = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    state.update(values)
    path.write_text(json.dumps(state), encoding="utf-8")


def _import_upload(host: str) -> None:
    """An operator uploads the extract through the import page (the application's own path:
    the view stores it and queues it; the worker beside gunicorn imports it)."""
    extract = Path(os.environ["PAYUNG_BENCH_IMPORT"])
    session = requests.Session()
    began = time.time()
    try:
        form = session.get(f"{host}/akun/masuk/", timeout=60)
        session.post(
            f"{host}/akun/masuk/",
            {
                "username": "dinsos.operator",
                "password": PASSWORD,
                "csrfmiddlewaretoken": _CSRF.search(form.text).group(1),
            },
            headers={"Referer": f"{host}/akun/masuk/"},
            timeout=60,
        )
        url = f"{host}/pendataan/{TARGETS['year']}/impor/"
        form = session.get(url, timeout=60)
        with extract.open("rb") as fh:
            response = session.post(
                url,
                {"csrfmiddlewaretoken": _CSRF.search(form.text).group(1)},
                files={"file": (extract.name, fh, "text/csv")},
                headers={"Referer": url},
                timeout=300,
            )
        found = _IMPORTED.search(response.url)
        _state_write(
            import_upload_began=began,
            import_upload_s=time.time() - began,
            import_pk=int(found.group(1)) if found else None,
            import_upload_status=response.status_code,
        )
    except Exception as exc:  # reported by the harness, not raised into locust
        _state_write(import_upload_began=began, import_upload_error=repr(exc))


def _all_logged_in(user: HttpUser) -> None:
    """The clock starts now: reset the statistics and start the import."""
    runner = user.environment.runner
    runner.stats.reset_all()
    _clock.append(time.time())
    _clock_started.set()
    _state_write(clock_started=_clock[0], users=len(_logged_in))
    if window := float(os.environ.get("PAYUNG_BENCH_WINDOW", "0")):
        gevent.spawn_later(window, runner.quit)
    if os.environ.get("PAYUNG_BENCH_IMPORT"):
        gevent.spawn(_import_upload, user.host)


class _Payung(HttpUser):
    abstract = True
    wait_time = between(*_THINK)
    username = ""

    def on_start(self) -> None:
        login = self.client.get("/akun/masuk/", name="login form")
        token = _CSRF.search(login.text).group(1)
        response = self.client.post(
            "/akun/masuk/",
            {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": self.host + "/akun/masuk/"},
            name="login",
        )
        if "/akun/masuk/" in response.url:
            raise RuntimeError(f"login failed for {self.username}")
        _logged_in.append(self.username)
        if len(_logged_in) == self.environment.parsed_options.num_users:
            _all_logged_in(self)
        _clock_started.wait()
        # Each begins after a think time of their own, not all fifty in the same instant.
        gevent.sleep(random.uniform(*_THINK))

    def _csrf(self, html: str) -> str:
        found = _CSRF.search(html)
        return found.group(1) if found else self.client.cookies.get("csrftoken", "")

    def _search(self, url: str, data: dict[str, str], name: str, page: str) -> Any:
        """A search form sent as the browser sends it: by htmx (``HX-Request``), whose answer
        is the result page in one request (``core.searches.search_answer``; code without it
        answers with a redirect, which is followed and timed with the POST)."""
        headers = {
            "Referer": self.host + page,
            "HX-Request": "true",
            "HX-Current-URL": self.host + page,
        }
        return self.client.post(url, data, headers=headers, name=name)

    def _post(self, url: str, data: dict[str, str], name: str, form: str = "") -> None:
        page = self.client.get(form or url, name=name + " (form)")
        self.wait()  # typing the NIK or the name
        data = {**data, "csrfmiddlewaretoken": self._csrf(page.text)}
        self._search(url, data, name, form or url)

    @task(2)
    def workspace(self) -> None:
        self.client.get("/", name="workspace")


class Operator(_Payung):
    """Dinas Sosial's operator pendataan: the decision list all day."""

    weight = 4
    username = "dinsos.operator"

    @task(4)
    def decision_list_paged(self) -> None:
        url = f"/penyaringan/{TARGETS['run']}/keputusan/"
        response = self.client.get(url, name="decision list")
        for _ in range(random.randint(1, 4)):
            found = _NEXT.search(response.text)
            if not found:
                break
            self.wait()  # reading the page before asking for the next
            query = found.group(1).replace("&amp;", "&")
            response = self.client.get(f"{url}?{query}", name="decision list, next page")

    @task(2)
    def decision_list_deep(self) -> None:
        url = f"/penyaringan/{TARGETS['run']}/keputusan/?setelah={TARGETS['deep_cursor']}"
        self.client.get(url, name="decision list, 25 000 rows in")

    @task(3)
    def decision_list_filtered(self) -> None:
        url = f"/penyaringan/{TARGETS['run']}/keputusan/"
        kecamatan = random.choice(TARGETS["kecamatan"])
        status = random.choice(["", "selected", "waitlisted", "ineligible", "invalid"])
        self.client.get(
            f"{url}?kecamatan={kecamatan}&status={status}", name="decision list, filtered"
        )

    @task(2)
    def decision_search_nik(self) -> None:
        url = f"/penyaringan/{TARGETS['run']}/keputusan/"
        self._post(url, {"search": random.choice(TARGETS["niks"])}, "decision list, search NIK")

    @task(2)
    def decision_search_name(self) -> None:
        url = f"/penyaringan/{TARGETS['run']}/keputusan/"
        self._post(url, {"search": random.choice(TARGETS["names"])}, "decision list, search name")

    @task(2)
    def screening_person(self) -> None:
        pk = random.choice(TARGETS["decisions"])
        self.client.get(f"/penyaringan/keputusan/{pk}/", name="screening person page")

    @task(1)
    def run_summary(self) -> None:
        self.client.get(f"/penyaringan/{TARGETS['run']}/", name="run summary")

    @task(1)
    def export_small(self) -> None:
        """A NIK-prefix search of one village's few people, exported as XLSX (audited)."""
        url = f"/penyaringan/{TARGETS['run']}/keputusan/"
        page = self.client.get(url, name="decision list")
        self.wait()
        data = {
            "search": random.choice(TARGETS["niks"]),
            "csrfmiddlewaretoken": self._csrf(page.text),
        }
        response = self._search(url, data, "decision list, search NIK", url)
        found = re.search(r'href="([^"]*/keputusan/ekspor/\?[^"]*)"', response.text)
        if found:
            self.client.get(found.group(1).replace("&amp;", "&"), name="export XLSX")


class HeaderSearch(_Payung):
    """Anyone who may see a person: the header search and the person page."""

    weight = 3
    username = "disnaker.kepesertaan"

    @task(3)
    def search_nik(self) -> None:
        self._post(
            "/orang/cari/", {"q": random.choice(TARGETS["niks"])}, "header search NIK", "/orang/"
        )

    @task(2)
    def search_name(self) -> None:
        self._post(
            "/orang/cari/", {"q": random.choice(TARGETS["names"])}, "header search name", "/orang/"
        )

    @task(3)
    def person_page(self) -> None:
        self.client.get(f"/orang/{random.choice(TARGETS['persons'])}/", name="person page")

    @task(1)
    def proposal(self) -> None:
        self.client.get(f"/penetapan/tahun/{TARGETS['year']}/usulan/", name="proposal")


class Treasurer(_Payung):
    """The bendahara: the contributions page and the workspace."""

    weight = 1
    username = "disnaker.bendahara"

    @task(2)
    def contributions(self) -> None:
        self.client.get(f"/iuran/tahun/{TARGETS['year']}/", name="contributions year")


class Team(_Payung):
    """A team member and the auditor: workspaces and the run's summary."""

    weight = 2
    username = "tim.anggota"

    @task(1)
    def run_summary(self) -> None:
        self.client.get(f"/penyaringan/{TARGETS['run']}/", name="run summary")
