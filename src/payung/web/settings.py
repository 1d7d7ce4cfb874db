"""Django settings, all from the environment so one build runs on a laptop and in production.

Defaults give the embedded set-up a regency starts with: a SQLite file (WAL mode) in the data
directory, tasks stored in the same database, static files served by whitenoise. Production
sets ``DATABASE_URL`` (PostgreSQL), ``PAYUNG_SECRET_KEY``, ``PAYUNG_ALLOWED_HOSTS`` and
``PAYUNG_DEBUG=0``; ``manage.py check --deploy`` is then clean.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url

PACKAGE_DIR = Path(__file__).resolve().parent.parent
REPO_DIR = PACKAGE_DIR.parent.parent
DATA_DIR = Path(os.environ.get("PAYUNG_DATA_DIR", REPO_DIR / "var")).resolve()


def _env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, "1" if default else "0").lower() in ("1", "true", "yes", "ya")


def _secret_key() -> str:
    """From the environment; else one generated once and kept in the data directory."""
    if key := os.environ.get("PAYUNG_SECRET_KEY"):
        return key
    path = DATA_DIR / "secret_key"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50), encoding="ascii")
        path.chmod(0o600)
    return path.read_text(encoding="ascii").strip()


def _proxy_ssl_header(value: str) -> tuple[str, str] | None:
    """``HTTP_X_FORWARDED_PROTO=https`` → Django's ``SECURE_PROXY_SSL_HEADER`` pair.

    Behind a proxy that terminates TLS every request reaches Django as plain HTTP; without
    this pair ``SECURE_SSL_REDIRECT`` answers each one with a redirect to https, forever. Set
    it only when the proxy strips the header from what clients send, or anyone can claim https.
    """
    if not value.strip():
        return None
    name, sep, expected = value.partition("=")
    name, expected = name.strip().upper().replace("-", "_"), expected.strip()
    if not sep or not name or not expected:
        raise ValueError("PAYUNG_PROXY_SSL_HEADER must look like HTTP_X_FORWARDED_PROTO=https")
    if not name.startswith("HTTP_"):
        name = f"HTTP_{name}"
    return (name, expected)


SECRET_KEY = _secret_key()
DEBUG = _env_bool("PAYUNG_DEBUG", False)
ALLOWED_HOSTS = os.environ.get("PAYUNG_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
CSRF_TRUSTED_ORIGINS = [
    o for o in os.environ.get("PAYUNG_CSRF_TRUSTED_ORIGINS", "").split(",") if o
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_htmx",
    "payung.web",
    "payung.core",
    "payung.accounts",
    "payung.audit",
    "payung.programmes",
    "payung.registry",
    "payung.screening",
    "payung.participants",
    "payung.linkage",
    "payung.verification",
    "payung.decrees",
    "payung.enrollment",
    "payung.contributions",
    "payung.ends",
    "payung.appeals",
    "payung.renewal",
    "payung.people",
    "payung.monitoring",
    "payung.planning",
    "payung.supervision",
    "payung.procedures",
    "payung.documents",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Right after it: pushes a session's idle limit on at most once a minute.
    "payung.accounts.middleware.SessionIdleMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    # After OTP and messages: sends users to the password change or the second factor first.
    "payung.accounts.middleware.AccountGateMiddleware",
    # Last, so the user is known: the Indonesian page for a 405 (an action URL opened by GET).
    "payung.web.middleware.MethodNotAllowedPageMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "payung.web.urls"
WSGI_APPLICATION = "payung.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "web" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "payung.accounts.context_processors.roles",
                # The header's menu (issue 9): the year's stages the user may open.
                "payung.web.navigation.navigation",
            ],
        },
    },
]

_default_db = f"sqlite:///{DATA_DIR / 'payung.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", _default_db), conn_max_age=60, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the worker write while pages read; IMMEDIATE avoids lock upgrades failing.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

TASKS = {
    "default": {
        "BACKEND": os.environ.get("PAYUNG_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
# Dead-worker recovery (payung.core.jobs): a running job beats every N seconds; one
# whose worker on another host has not beaten for the stale time is failed for retry.
PAYUNG_JOB_HEARTBEAT_SECONDS = float(os.environ.get("PAYUNG_JOB_HEARTBEAT_SECONDS", "10"))
PAYUNG_JOB_STALE_SECONDS = float(os.environ.get("PAYUNG_JOB_STALE_SECONDS", "120"))

# Argon2id first: a stolen database of civil servants' hashes should cost an attacker memory
# as well as time. Older hashes are upgraded to Argon2 at each user's next login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login throttling (django-axes), for 30 minutes: five failures lock a username at one
# address, and PAYUNG_AXES_IP_FAILURE_LIMIT failures over any usernames lock the address
# (password spraying). axes has one limit; payung.accounts.throttle picks which applies.
# Offices behind one NAT address may raise the per-address limit.
PAYUNG_LOGIN_FAILURE_LIMIT = int(os.environ.get("PAYUNG_AXES_FAILURE_LIMIT", "5"))
PAYUNG_LOGIN_IP_FAILURE_LIMIT = int(os.environ.get("PAYUNG_AXES_IP_FAILURE_LIMIT", "7"))
AXES_FAILURE_LIMIT = "payung.accounts.throttle.login_failure_limit"
AXES_COOLOFF_TIME = 0.5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_RESET_ON_SUCCESS = True
# A successful login forgives that user's own failures only, not the address's other ones.
AXES_HANDLER = "payung.accounts.throttle.LoginThrottleHandler"

# Second factor (django-otp, TOTP): on in production, off in the demo (PAYUNG_OTP_REQUIRED=0)
# and in tests. Users whose role may see full NIKs, download internal annexes, pay, or hand
# out roles must enrol and verify a device (payung.accounts.middleware).
PAYUNG_OTP_REQUIRED = _env_bool("PAYUNG_OTP_REQUIRED", not DEBUG)
OTP_TOTP_ISSUER = os.environ.get("PAYUNG_OTP_ISSUER", "Payung")

LANGUAGE_CODE = "id"
# Indonesian only until Payung ships an English catalog: otherwise an English browser
# would get Django's own texts in English beside Payung's in Indonesian.
LANGUAGES = [("id", "Bahasa Indonesia")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [
    ("vendor/htmx", REPO_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/pico", REPO_DIR / "node_modules" / "@picocss" / "pico" / "css"),
    # Charts (docs/charts.md): Vega, Vega-Lite, vega-embed and the CSP-safe interpreter.
    ("vendor/vega", REPO_DIR / "node_modules" / "vega" / "build"),
    ("vendor/vega-lite", REPO_DIR / "node_modules" / "vega-lite" / "build"),
    ("vendor/vega-embed", REPO_DIR / "node_modules" / "vega-embed" / "build"),
    ("vendor/vega-interpreter", REPO_DIR / "node_modules" / "vega-interpreter" / "build"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # ``payung demo`` serves one browser on this machine: it sets PAYUNG_STATIC_COMPRESS=0 and
    # skips whitenoise's gzip and brotli copies of 70 MB of vendored scripts (minutes of CPU).
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if _env_bool("PAYUNG_STATIC_COMPRESS", True)
        else "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = DATA_DIR / "media"
# The kept figures (``payung.core.worklist.worklist_memo``). ``figures`` holds counts and
# sums only (a year's unpaid months and forecast, its candidates per state, the places the
# pagu pays for): every worker process of this machine reads them, and they survive a
# restart, so each is counted once per change, not once per process (a year's contributions
# page costs 1.1-1.5 s to count with 100 000 participants, 30 ms kept; issue 16). Files, not
# the database: keeping a figure never waits for SQLite's one write lock held by an import.
# Owner only (Django writes 0600 files in a 0700 folder). Whatever names a person (a name
# search's rows, the cards' list) stays in each process's memory (``default``).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "figures": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": DATA_DIR / "cache" / "figures",
        "OPTIONS": {"MAX_ENTRIES": 2_000},
    },
}
# Files under the data directory hold personal data (extracts, the annex with full NIKs, the
# database): owner only, whatever the umask. payung.documents.storage applies the same modes
# to documents, signed scans and the SQLite files.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
# Uploads: DTSEN extracts of a regency reach ~150 MB as CSV; anything bigger is refused.
PAYUNG_UPLOAD_MAX_BYTES = int(os.environ.get("PAYUNG_UPLOAD_MAX_BYTES", str(300 * 1024 * 1024)))
# After every finished DTSEN import, search it for the same person under two NIKs (Splink,
# registry.duplicates; issue 13). The test settings turn it off: every test import would
# start the linkage engine.
PAYUNG_DUPLICATE_CHECK_AFTER_IMPORT = True
# Personal data of people never proposed, verified or decreed is removed this many full years
# after their programme year by `payung retention run` (docs/privacy.md).
PAYUNG_RETENTION_YEARS = int(os.environ.get("PAYUNG_RETENTION_YEARS", "5"))
# A contact line shown under the names of the active administrators wherever a page sends a
# user to them (403, lockout, login, second factor): a desk, a telephone, an e-mail address.
PAYUNG_ADMIN_CONTACT = os.environ.get("PAYUNG_ADMIN_CONTACT", "")
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
# Idle timeout: a request pushes the expiry on (SessionIdleMiddleware writes the session
# when its last write is a minute old), so a session left alone for
# PAYUNG_SESSION_IDLE_MINUTES ends, while one in use lasts the working day.
SESSION_COOKIE_AGE = int(os.environ.get("PAYUNG_SESSION_IDLE_MINUTES", "30")) * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG and _env_bool("PAYUNG_HTTPS", False):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = _proxy_ssl_header(os.environ.get("PAYUNG_PROXY_SSL_HEADER", ""))

# Content-Security-Policy (django-csp): scripts, styles, images and fonts only from Payung
# itself, no inline script and no inline style (htmx's own indicator style is switched off in
# base.html and lives in payung.css); no framing, forms post only here.
from csp.constants import NONCE as CSP_NONCE  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        # The nonce reaches the header only on a page that asks for it: the charts' import map
        # (Vega's CSP-safe expression interpreter is an ES module; docs/charts.md).
        "script-src": ["'self'", CSP_NONCE],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Nothing personal in logs: request bodies and SQL parameters are never logged, and
# error mails are off (an error page would otherwise carry NIKs to a mailbox).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "django": {"handlers": ["console"], "level": "WARNING"},
        "django.db.backends": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "payung": {"handlers": ["console"], "level": "INFO"},
    },
}
ADMINS: list[tuple[str, str]] = []

# core imports no app: its background jobs write the audit trail through this recorder.
PAYUNG_AUDIT_RECORDER = "payung.audit.services.audit_entry_create"
# core imports no app: a big export (core.export_kinds) becomes a job of the documents app;
# above this many rows an export runs in the background with a progress bar.
PAYUNG_EXPORT_STARTER = "payung.documents.exports.export_job_create"
PAYUNG_EXPORT_BACKGROUND_ROWS = int(os.environ.get("PAYUNG_EXPORT_BACKGROUND_ROWS", "5000"))
# participants imports no later stage: what must happen to a new proposal's candidates on
# evidence a later stage holds (confirmed matches on other funders' lists) is named here.
PAYUNG_PROPOSAL_CREATED_HOOKS = [
    "payung.linkage.services.proposal_matches_apply",
    "payung.renewal.services.proposal_carried_link",
]
# screening imports no later stage: the NIKs ranked first (last year's participants carried
# over, policy.cycle.carry_over_first) come from the renewal stage through this provider.
PAYUNG_SCREENING_FIRST_NIKS = "payung.renewal.selectors.carried_niks"
