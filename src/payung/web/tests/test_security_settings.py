"""What the settings promise (issue 17): CSP, HTTPS behind a proxy, Argon2, idle sessions,
quiet refusals, and ``check --deploy`` clean in production."""

from __future__ import annotations

import json
import logging
import os
import re
import secrets
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import LazySettings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from payung.accounts.middleware import SESSION_TOUCHED_KEY
from payung.web.settings import _proxy_ssl_header
from payung.web.tests.production import production_settings

PACKAGE_DIR = Path(__file__).resolve().parents[2]
# Rendered to PDF by WeasyPrint, never served to a browser, so the CSP does not apply.
PDF_TEMPLATES = PACKAGE_DIR / "documents" / "templates" / "documents"


def _served_templates() -> list[Path]:
    """Every page template. PDF templates (``templates/documents/`` of the documents app and
    of the apps that keep their own, such as monitoring's semester report) are rendered by
    WeasyPrint and never served, so their ``<style>`` is no CSP concern."""
    return sorted(
        p
        for p in PACKAGE_DIR.rglob("templates/**/*.html")
        if PDF_TEMPLATES not in p.parents
        and not any(d.name == "documents" and d.parent.name == "templates" for d in p.parents)
    )


# --- Content-Security-Policy --------------------------------------------------------------


def _directives(header: str) -> dict[str, list[str]]:
    parts = (d.strip().split() for d in header.split(";") if d.strip())
    return {p[0]: p[1:] for p in parts}


@pytest.mark.django_db
@pytest.mark.parametrize("signed_in", [False, True])
def test_pages_carry_a_csp_without_inline_script_or_style(
    client: Client, operator_dinsos, signed_in: bool
) -> None:
    if signed_in:
        client.force_login(operator_dinsos)
    response = client.get(reverse("web:home") if signed_in else reverse("accounts:login"))

    assert response.status_code == 200
    csp = _directives(response["Content-Security-Policy"])
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    assert not any("unsafe" in v for values in csp.values() for v in values)


def test_templates_hold_no_inline_script_handler_or_style() -> None:
    """The CSP blocks all of these; a template using one would silently stop working."""
    patterns = {
        # The charts' import map is the one exception: it carries the request's CSP nonce
        # (test_the_only_nonced_script_is_the_charts_import_map).
        "inline <script>": re.compile(
            r"<script\b(?![^>]*\bsrc\s*=)(?![^>]*\bnonce=\"\{\{ request\.csp_nonce \}\}\")[^>]*>",
            re.I,
        ),
        "event handler attribute": re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I | re.S),
        "javascript: URL": re.compile(r"javascript:", re.I),
        "hx-on (needs eval)": re.compile(r"\shx-on[:-]", re.I),
        "js: in hx-vals/hx-vars (needs eval)": re.compile(r"hx-va(?:ls|rs)\s*=\s*['\"]\s*js:"),
        "<style> block": re.compile(r"<style\b", re.I),
        "style attribute": re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I | re.S),
    }
    templates = _served_templates()
    assert len(templates) > 20  # the glob found the apps' templates

    found = [
        f"{path.relative_to(PACKAGE_DIR)}: {what}"
        for path in templates
        for what, pattern in patterns.items()
        if pattern.search(path.read_text(encoding="utf-8"))
    ]

    assert found == []


def test_the_only_nonced_script_is_the_charts_import_map() -> None:
    """Vega's CSP-safe interpreter is an ES module that needs an import map (docs/charts.md);
    nothing else may use the nonce to run inline code."""
    nonced = re.compile(r"<script\b[^>]*\bnonce=[^>]*>", re.I)
    found = {
        str(path.relative_to(PACKAGE_DIR)): nonced.findall(path.read_text(encoding="utf-8"))
        for path in _served_templates()
    }
    found = {k: v for k, v in found.items() if v}
    assert found == {
        "core/templates/partials/chart_scripts.html": [
            '<script type="importmap" nonce="{{ request.csp_nonce }}">'
        ]
    }


def test_htmx_is_told_not_to_inject_its_indicator_style() -> None:
    base = (PACKAGE_DIR / "web" / "templates" / "base.html").read_text(encoding="utf-8")
    css = (PACKAGE_DIR / "web" / "static" / "payung" / "payung.css").read_text(encoding="utf-8")

    config = re.search(r"""<meta name="htmx-config" content='([^']*)'>""", base)
    assert config and json.loads(config.group(1))["includeIndicatorStyles"] is False
    assert ".htmx-request .htmx-indicator" in css


# --- HTTPS behind a TLS-terminating proxy -------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("HTTP_X_FORWARDED_PROTO=https", ("HTTP_X_FORWARDED_PROTO", "https")),
        ("X-Forwarded-Proto=https", ("HTTP_X_FORWARDED_PROTO", "https")),
        ("", None),
    ],
)
def test_proxy_ssl_header_is_read_from_the_environment(
    value: str, expected: tuple[str, str] | None
) -> None:
    assert _proxy_ssl_header(value) == expected


@pytest.mark.parametrize("value", ["HTTP_X_FORWARDED_PROTO", "=https", "X_FORWARDED_PROTO="])
def test_a_malformed_proxy_ssl_header_stops_the_start(value: str) -> None:
    with pytest.raises(ValueError, match="HTTP_X_FORWARDED_PROTO=https"):
        _proxy_ssl_header(value)


@pytest.mark.django_db
def test_https_behind_a_proxy_does_not_redirect_in_a_loop(
    client: Client, settings: LazySettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    prod = production_settings(monkeypatch, PAYUNG_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO=https")
    settings.SECURE_SSL_REDIRECT = prod["SECURE_SSL_REDIRECT"]
    settings.SECURE_PROXY_SSL_HEADER = prod["SECURE_PROXY_SSL_HEADER"]
    login = reverse("accounts:login")

    via_proxy = client.get(login, headers={"X-Forwarded-Proto": "https"})
    plain = client.get(login)

    assert via_proxy.status_code == 200
    assert plain.status_code == 301
    assert plain.url == f"https://testserver{login}"


def test_without_the_variable_no_proxy_header_is_trusted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PAYUNG_PROXY_SSL_HEADER", raising=False)

    assert production_settings(monkeypatch)["SECURE_PROXY_SSL_HEADER"] is None


# --- Password hashing ---------------------------------------------------------------------


def test_production_hashes_passwords_with_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    from django.contrib.auth.hashers import Argon2PasswordHasher

    hashers = production_settings(monkeypatch)["PASSWORD_HASHERS"]

    assert hashers[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    # argon2-cffi is installed: the hasher works, it is not only named.
    assert (
        Argon2PasswordHasher()
        .encode("rahasia-uji-123", "garamgaramgaram")
        .startswith("argon2$argon2id$")
    )


# --- Idle session timeout -----------------------------------------------------------------


def test_sessions_end_after_thirty_idle_minutes_by_default(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("PAYUNG_SESSION_IDLE_MINUTES", raising=False)
    prod = production_settings(monkeypatch)
    assert prod["SESSION_COOKIE_AGE"] == 30 * 60
    session = prod["MIDDLEWARE"].index("django.contrib.sessions.middleware.SessionMiddleware")
    assert prod["MIDDLEWARE"][session + 1] == "payung.accounts.middleware.SessionIdleMiddleware"

    assert production_settings(monkeypatch, PAYUNG_SESSION_IDLE_MINUTES="15")[
        "SESSION_COOKIE_AGE"
    ] == (15 * 60)


def _expiry(client: Client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def _idle_for(client: Client, minutes: float) -> None:
    """The session as it stands after ``minutes`` without a request: written that long ago."""
    session = client.session
    session[SESSION_TOUCHED_KEY] = int(time.time() - minutes * 60)
    session.save()
    Session.objects.filter(pk=session.session_key).update(
        expire_date=timezone.now() + timedelta(minutes=30 - minutes)
    )


@pytest.mark.django_db
def test_each_request_pushes_the_idle_limit_on(client: Client, auditor_inspektorat) -> None:
    client.force_login(auditor_inspektorat)
    _idle_for(client, 29)

    assert client.get(reverse("web:home")).status_code == 200

    assert _expiry(client).expire_date > timezone.now() + timedelta(minutes=29)


@pytest.mark.django_db
def test_a_request_within_a_minute_of_the_last_push_writes_no_session(
    client: Client, auditor_inspektorat
) -> None:
    client.force_login(auditor_inspektorat)
    _idle_for(client, 0.5)
    before = _expiry(client).expire_date

    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("web:home")).status_code == 200

    assert not [q for q in queries if "django_session" in q["sql"] and "SELECT" not in q["sql"]]
    assert _expiry(client).expire_date == before
    _idle_for(client, 1)
    client.get(reverse("web:home"))
    assert _expiry(client).expire_date > timezone.now() + timedelta(minutes=29)


@pytest.mark.django_db
def test_a_session_idle_past_the_limit_is_signed_out(client: Client, auditor_inspektorat) -> None:
    client.force_login(auditor_inspektorat)
    assert client.get(reverse("web:home")).status_code == 200
    Session.objects.filter(pk=client.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)  # 30 minutes and a second idle
    )

    response = client.get(reverse("web:home"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


# --- Refused requests in the log ----------------------------------------------------------


@pytest.mark.django_db
def test_a_refused_request_logs_one_line_without_traceback_or_query(
    client: Client, operator_dinsos, caplog: pytest.LogCaptureFixture
) -> None:
    client.force_login(operator_dinsos)
    url = reverse("audit:entry_list")

    with caplog.at_level(logging.INFO):
        response = client.get(f"{url}?q=3601234567890001&nama=Siti+Aminah")

    assert response.status_code == 403
    assert "Akses ditolak" in response.content.decode()
    refusals = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(refusals) == 1
    (record,) = refusals
    assert record.exc_info is None
    line = record.getMessage()
    assert "\n" not in line
    assert line == f"Forbidden: GET {url} user={operator_dinsos.pk}"
    assert "3601234567890001" not in caplog.text
    assert "Siti" not in caplog.text


# --- check --deploy -----------------------------------------------------------------------


def test_check_deploy_is_clean_in_production(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "payung.web.settings",
        "PAYUNG_DATA_DIR": str(tmp_path),
        "PAYUNG_HTTPS": "1",
        "PAYUNG_DEBUG": "0",
        "PAYUNG_SECRET_KEY": secrets.token_urlsafe(60),
    }
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
