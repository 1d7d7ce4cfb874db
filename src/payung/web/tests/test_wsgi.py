"""The WSGI entry point as a gunicorn worker loads it, in a process of its own."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

PROBE = """
import gc, io, json
import payung.web.wsgi as wsgi
from payung.domain import wilayah

statuses = []
environ = {
    "REQUEST_METHOD": "GET", "PATH_INFO": "/akun/masuk/", "SERVER_NAME": "127.0.0.1",
    "SERVER_PORT": "8000", "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(),
    "wsgi.errors": io.StringIO(),
}
body = b"".join(wsgi.application(environ, lambda status, headers: statuses.append(status)))
print(json.dumps({
    "frozen": gc.get_freeze_count(),
    "regions_loaded": wilayah._table.cache_info().currsize,
    "status": statuses[0],
    "login_form": b'name="password"' in body,
}))
"""


def _worker_probe(code: str, data_dir: Path, *, debug: bool) -> dict[str, Any]:
    """Run ``code`` in a fresh process with production settings, as a gunicorn worker starts,
    and return the JSON it prints last."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "payung.web.settings",
        "PAYUNG_DATA_DIR": str(data_dir),
        "PAYUNG_DEBUG": "1" if debug else "0",
        "PAYUNG_SECRET_KEY": secrets.token_urlsafe(60),
        "PAYUNG_ALLOWED_HOSTS": "127.0.0.1",
    }
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_worker_serves_with_its_long_lived_objects_frozen(tmp_path: Path) -> None:
    """Issue 16, target 4: the collector's full passes skip what every worker keeps for its
    life (Django, the apps, the 91 600 regions), which made 200-500 ms pauses under load;
    the worker still serves the login page."""
    probe = _worker_probe(PROBE, tmp_path, debug=True)
    assert probe["regions_loaded"] == 1
    assert probe["frozen"] > 91_599
    assert probe["status"].startswith("200")
    assert probe["login_form"]


WARM_PROBE = """
import json, sys
import payung.web.wsgi
from django.template import engines
from django.utils.translation import trans_real

loader = engines["django"].engine.template_loaders[0]
print(json.dumps({
    "views": sorted(m for m in sys.modules if m.startswith("payung.") and m.endswith(".views")),
    "templates": len(loader.get_template_cache),
    "catalogue": "id" in trans_real._translations,
}))
"""


def test_a_worker_does_its_first_requests_work_before_it_serves(tmp_path: Path) -> None:
    """Issue 16, target 4: a fresh worker's first views imported every view module, read the
    catalogues and compiled templates while its other threads waited (a first decision list
    1.0-1.5 s); with production settings the worker has done all of that when it starts."""
    probe = _worker_probe(WARM_PROBE, tmp_path, debug=False)
    assert {"payung.screening.views", "payung.contributions.views", "payung.people.views"} <= set(
        probe["views"]
    )
    shipped = sum(1 for _ in (Path(__file__).parents[2]).glob("*/templates/**/*.html"))
    assert probe["templates"] >= shipped > 100
    assert probe["catalogue"]
