"""Pages at a regency's size (issue 16, target 4): p95 ≤ 150 ms for the list, search, person
and workspace pages with 1 000 000 persons and 100 000 participants, one user, no errors.

``--build`` makes the data once, with the application's own services: ``payung synth`` of N
rows, the import service (``dtsen_import_create`` and the real worker), the screening run
service, then a proposal of the P best-ranked selected decisions as active participants with
a coverage period each (bulk-created as ``benchmarks/semester_report.py`` does). It goes into
the database the settings name: ``PAYUNG_DATA_DIR`` (SQLite) or ``DATABASE_URL``.

Without ``--build`` it measures the pages through Django's test client with the real URLs,
each as the role that uses it: best, p50, p95 and p99 of ``--requests`` requests per page
after one warm-up, and prints each against the target with met/missed.

    PAYUNG_DATA_DIR=/tmp/h8/data_D .venv/bin/python -m benchmarks.pages --build
    PAYUNG_DATA_DIR=/tmp/h8/data_D .venv/bin/python -m benchmarks.pages [--json OUT]

``scripts/bench pages`` runs it; ``scripts/bench load-test`` runs ``benchmarks/locustfile.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

TARGET_MS = 150.0
PASSWORD = "bench-pages-Payung-2026!"
BATCH = 5_000
#: Every demo user is made, with the bench password and no demand to change it.
ROLES_USED = {
    "operator": "dinsos.operator",
    "kepesertaan": "disnaker.kepesertaan",
    "bendahara": "disnaker.bendahara",
    "verifikator": "dukcapil.verifikator",
    "tim": "tim.anggota",
    "auditor": "inspektorat.auditor",
}


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "payung.web.settings")
    os.environ.setdefault("PAYUNG_OTP_REQUIRED", "0")
    hosts = os.environ.get("PAYUNG_ALLOWED_HOSTS", "127.0.0.1,localhost")
    if "testserver" not in hosts.split(","):
        os.environ["PAYUNG_ALLOWED_HOSTS"] = hosts + ",testserver"
    import django

    django.setup()


def static_ready() -> None:
    """Production settings serve hashed static files from a manifest; a fresh data
    directory has none, and every page would fail on its first ``{% static %}``."""
    from django.conf import settings
    from django.core.management import call_command

    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        _say(f"collecting the static files into {settings.STATIC_ROOT}")
        call_command("collectstatic", interactive=False, verbosity=0)


def _say(text: str) -> None:
    stamp = time.strftime("%H:%M:%S", time.gmtime())
    print(f"[{stamp} UTC] {text}  (load {_load()})", file=sys.stderr, flush=True)


def _load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def _run_queue() -> None:
    from django.core.management import call_command

    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0.2", verbosity=0)


def build(*, rows: int, participants: int, seed: int, data: Path) -> dict[str, Any]:
    """The year, the imported and screened extract, and the participants; returns timings."""
    from django.core.files import File
    from django.core.management import call_command
    from django.db import transaction

    from payung.accounts.models import User
    from payung.accounts.roles import BY_CODE
    from payung.accounts.services import DEMO_USERNAMES, agency_get_or_create, user_create
    from payung.core.models import JobStatus
    from payung.engine import synth_write
    from payung.participants.models import Candidate, CandidateState, CoveragePeriod, Proposal
    from payung.programmes.models import ProgrammeYear
    from payung.programmes.services import programme_year_create
    from payung.programmes.tests.factories import COST_PER_PERSON
    from payung.registry.services import dtsen_import_create
    from payung.screening.models import Decision, ScreeningRun
    from payung.screening.services import screening_run_start

    timings: dict[str, float] = {}
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    if ScreeningRun.objects.exists():
        raise SystemExit("the database already holds a run: build into an empty one")
    for username, role_code in DEMO_USERNAMES:
        role = BY_CODE[role_code]
        user_create(
            username=username,
            password=PASSWORD,
            role=role_code,
            agency=agency_get_or_create(kind=role.agency_kind, name=f"{role.agency_kind} bench"),
        )
    operator = User.objects.get(username="dinsos.operator")
    year = programme_year_create(
        created_by=operator,
        year=2026,
        policy_id="pandeglang-2025",
        as_of=date(2026, 1, 1),
        coverage_months=12,
        budgets={"apbd": participants * COST_PER_PERSON},
    )
    data.mkdir(parents=True, exist_ok=True)
    extract = data / f"synth-{rows}-seed{seed}.csv"
    if not extract.exists():
        _say(f"synth {rows} rows")
        synth_write(rows=rows, seed=seed, out=extract)
    timings["synth_s"] = time.perf_counter() - started
    _say("import")
    mark = time.perf_counter()
    with extract.open("rb") as fh:
        imp = dtsen_import_create(
            programme_year=year, uploaded_file=File(fh, name=extract.name), uploaded_by=operator
        )
    _run_queue()
    imp.refresh_from_db()
    if imp.status != JobStatus.DONE:
        raise SystemExit(f"import failed: {imp.error_message}")
    timings["import_s"] = time.perf_counter() - mark
    _say("screening")
    mark = time.perf_counter()
    run = screening_run_start(programme_year=year, dtsen_import=imp, started_by=operator)
    _run_queue()
    run.refresh_from_db()
    if run.status != JobStatus.DONE:
        raise SystemExit(f"screening failed: {run.error_message}")
    timings["screening_s"] = time.perf_counter() - mark
    _say(f"{participants} participants")
    mark = time.perf_counter()
    approver = User.objects.get(username="dinsos.operator2")
    with transaction.atomic():
        proposal = Proposal.objects.create(
            programme_year=year,
            screening_run=run,
            origin=Proposal.Origin.SCREENING,
            status=Proposal.Status.APPROVED,
            quota=participants,
            budget=participants * COST_PER_PERSON,
            months=12,
            place="Pandeglang",
            proposed_by=operator,
            approved_by=approver,
        )
        chosen = (
            Decision.objects.filter(run=run, priority_rank__isnull=False)
            .order_by("priority_rank")
            .values_list("pk", "person_id", "nik", "priority_rank")[:participants]
        )
        chosen = list(chosen)
        for lo in range(0, len(chosen), BATCH):
            part = chosen[lo : lo + BATCH]
            candidates = [
                Candidate(
                    proposal=proposal,
                    person_id=person_id,
                    decision_id=pk,
                    rank=rank,
                    nik=nik,
                    kpj=f"26{rank:09d}",
                    state=CandidateState.ACTIVE,
                )
                for pk, person_id, nik, rank in part
            ]
            Candidate.objects.bulk_create(candidates, batch_size=BATCH)
            CoveragePeriod.objects.bulk_create(
                [CoveragePeriod(candidate_id=c.pk, start=date(2026, 1, 1)) for c in candidates],
                batch_size=BATCH,
            )
        ProgrammeYear.objects.filter(pk=year.pk).update(status=ProgrammeYear.Status.ACTIVE)
    timings["participants_s"] = time.perf_counter() - mark
    timings["total_s"] = time.perf_counter() - started
    return {"run": run.pk, "year": year.pk, "participants": len(chosen), **timings}


# --- measuring ---------------------------------------------------------------------------


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1))))
    return ordered[k]


def _pages() -> list[dict[str, Any]]:
    """Each page as (name, role, method, url, POST data or None), from the built data."""
    from django.urls import reverse

    from payung.participants.models import Candidate
    from payung.screening.models import Decision, ScreeningRun

    run = ScreeningRun.objects.order_by("pk").last()
    year_pk = run.programme_year_id
    mid = Decision.objects.filter(run=run, priority_rank__isnull=False).order_by("-priority_rank")[
        :1
    ]
    decision = (
        Decision.objects.filter(run=run, status="selected")
        .order_by("priority_rank")[1234:1235]
        .get()
    )
    person_pk = decision.person_id
    name_word = Decision.objects.filter(pk=decision.pk).values_list("person__nama", flat=True)
    name_word = (name_word[0] or "SITI").split()[0]
    rare = Decision.objects.filter(run=run).order_by("row")[777_777 % max(1, run.counts["rows"])]
    rare_name = (rare.person.nama or "").strip()
    kec = (
        Decision.objects.filter(run=run).exclude(kode_kecamatan="").order_by("row").first()
    ).kode_kecamatan
    del mid
    # The row shown last on page 500 (25 000 rows in), as a keyset cursor: ``?page=500`` is
    # how the list paged before issue 16, ``?setelah=`` how it pages now.
    ranked = Decision.objects.filter(run=run, priority_rank__isnull=False)
    n_ranked = ranked.count()
    if n_ranked >= 25_000:
        deep = ranked.order_by("priority_rank", "row")[24_999]
    else:
        deep = Decision.objects.filter(run=run, priority_rank__isnull=True).order_by("row")[
            24_999 - n_ranked
        ]
    cursor = f"{'x' if deep.priority_rank is None else deep.priority_rank}.{deep.row}"
    decisions = reverse("screening:decision_list", args=[run.pk])
    pages: list[dict[str, Any]] = [
        {
            "name": "run summary",
            "role": "operator",
            "url": reverse("screening:run_detail", args=[run.pk]),
        },
        {"name": "decision list, page 1", "role": "operator", "url": decisions},
        {"name": "decision list, page 500", "role": "operator", "url": f"{decisions}?page=500"},
        {
            "name": "decision list, 25 000 rows in (keyset)",
            "role": "operator",
            "url": f"{decisions}?setelah={cursor}",
        },
        {
            "name": "decision list, status=invalid",
            "role": "operator",
            "url": f"{decisions}?status=invalid",
        },
        {
            "name": "decision list, kecamatan",
            "role": "operator",
            "url": f"{decisions}?kecamatan={kec}",
        },
        {
            "name": "decision list, kecamatan and status=invalid",
            "role": "operator",
            "url": f"{decisions}?kecamatan={kec}&status=invalid",
        },
        {
            "name": "decision list, search NIK",
            "role": "operator",
            "url": decisions,
            "post": {"search": decision.nik},
        },
        {
            "name": "decision list, search name (common)",
            "role": "operator",
            "url": decisions,
            "post": {"search": name_word},
        },
        {
            "name": "decision list, search name (one person)",
            "role": "operator",
            "url": decisions,
            "post": {"search": rare_name},
        },
        {
            "name": "screening person page",
            "role": "operator",
            "url": reverse("screening:person_detail", args=[decision.pk]),
        },
        {
            "name": "header search, NIK",
            "role": "operator",
            "url": reverse("people:person_search"),
            "post": {"q": decision.nik},
        },
        {
            "name": "header search, name (common)",
            "role": "operator",
            "url": reverse("people:person_search"),
            "post": {"q": name_word},
        },
        {
            "name": "header search, name (one person)",
            "role": "operator",
            "url": reverse("people:person_search"),
            "post": {"q": rare_name},
        },
        {
            "name": "person page /orang/",
            "role": "operator",
            "url": reverse("people:person_detail", args=[person_pk]),
        },
        {
            "name": "proposal (participants list)",
            "role": "operator",
            "url": reverse("participants:proposal_detail", args=[year_pk]),
        },
        {
            "name": "contributions year",
            "role": "bendahara",
            "url": reverse("contributions:year_detail", args=[year_pk]),
        },
        {
            "name": "candidate page",
            "role": "kepesertaan",
            "url": reverse(
                "participants:candidate_detail",
                args=[Candidate.objects.order_by("pk").values_list("pk", flat=True)[500]],
            ),
        },
    ]
    for role in ("operator", "kepesertaan", "bendahara", "verifikator", "tim", "auditor"):
        pages.append({"name": f"workspace ({role})", "role": role, "url": reverse("web:home")})
    return pages


def targets_write(*, path: Path) -> None:
    """What the load test's users open and search (``benchmarks/locustfile.py``): the run,
    decisions and persons, NIKs and names of the synthetic extract, in a 0600 file."""
    from payung.registry.models import Person
    from payung.screening.models import Decision, ScreeningRun

    run = ScreeningRun.objects.order_by("pk").last()
    sample = list(
        Decision.objects.filter(run=run, row__in=range(2, 1_000_000, 9_973)).values_list(
            "pk", "person_id", "nik"
        )
    )
    names = list(
        Person.objects.filter(pk__in=[p for _d, p, _n in sample]).values_list("nama", flat=True)
    )
    kecamatan = sorted(k for k in (run.counts.get("by_kecamatan") or {}) if k)
    ranked = Decision.objects.filter(run=run, priority_rank__isnull=False)
    deep = ranked.order_by("priority_rank", "row").values_list("priority_rank", "row")[24_999]
    data = {
        "password": PASSWORD,
        "run": run.pk,
        "year": run.programme_year_id,
        "decisions": [d for d, _p, _n in sample],
        "persons": [p for _d, p, _n in sample],
        "niks": [n for _d, _p, n in sample if n],
        "names": [n for n in names if n],
        "kecamatan": kecamatan or [""],
        "deep_cursor": f"{deep[0]}.{deep[1]}",
    }
    path.touch(mode=0o600)
    path.write_text(json.dumps(data), encoding="utf-8")


def measure(*, requests: int, only: str = "") -> list[dict[str, Any]]:
    from django.test import Client

    from payung.core.database import database_checkpoint

    clients: dict[str, Client] = {}
    results = []
    for page in _pages():
        if only and only not in page["name"]:
            continue
        # What ``payung worker`` does every 5 s beside the server: fold SQLite's log into
        # the database, outside the timed requests. Without it, whichever request's commit
        # takes the run's log past 4 MiB waits for the fold and its sync (0.25 s here).
        database_checkpoint()
        client = clients.get(page["role"])
        if client is None:
            client = clients[page["role"]] = Client()
            from payung.accounts.models import User

            client.force_login(User.objects.get(username=ROLES_USED[page["role"]]))
        times: list[float] = []
        errors = 0
        cpu = time.process_time()
        for i in range(requests + 1):
            began = time.perf_counter()
            if "post" in page:
                response = client.post(page["url"], page["post"], follow=True)
            else:
                response = client.get(page["url"])
            elapsed = (time.perf_counter() - began) * 1000
            if response.status_code != 200:
                errors += 1
            if i:  # the first is a warm-up
                times.append(elapsed)
        cpu_ms = (time.process_time() - cpu) * 1000 / (requests + 1)
        row = {
            "page": page["name"],
            "role": page["role"],
            "best_ms": min(times),
            "p50_ms": statistics.median(times),
            "p95_ms": _percentile(times, 95),
            "p99_ms": _percentile(times, 99),
            "cpu_ms": cpu_ms,
            "errors": errors,
            "load": _load(),
        }
        row["met"] = row["p95_ms"] <= TARGET_MS and not errors
        results.append(row)
        print(
            f"{row['page']:<42} {row['best_ms']:8.1f} {row['p50_ms']:8.1f} {row['p95_ms']:8.1f}"
            f" {row['p99_ms']:8.1f} {row['cpu_ms']:8.1f} {errors:5d}  "
            f"{'met' if row['met'] else 'MISSED'}  (load {row['load']})",
            flush=True,
        )
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--build", action="store_true", help="build the data (empty database)")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--participants", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--only", default="", help="measure the pages whose name holds this")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--targets", type=Path, help="write the load test's targets and stop")
    args = parser.parse_args(argv)
    _setup()
    from django.conf import settings

    if args.targets:
        targets_write(path=args.targets)
        return 0

    if args.build:
        built = build(
            rows=args.rows,
            participants=args.participants,
            seed=args.seed,
            data=Path(settings.DATA_DIR) / "bench",
        )
        print(json.dumps(built, indent=2))
        return 0
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(
        f"payung pages benchmark: {engine}, {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC, "
        f"{args.requests} requests per page after one warm-up, target p95 <= {TARGET_MS:.0f} ms"
    )
    print(
        f"{'page':<42} {'best':>8} {'p50':>8} {'p95':>8} {'p99':>8} {'CPU':>8} {'errs':>5}"
        "  (ms; CPU: this process's CPU per request)"
    )
    static_ready()
    results = measure(requests=args.requests, only=args.only)
    missed = [r["page"] for r in results if not r["met"]]
    print(f"{len(results) - len(missed)} of {len(results)} pages met the target")
    if args.json:
        args.json.write_text(json.dumps({"engine": engine, "results": results}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
