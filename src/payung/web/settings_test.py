"""Test settings: tasks run immediately, fast hashing, a throw-away data directory."""

import os
import tempfile

os.environ.setdefault("PAYUNG_DATA_DIR", tempfile.mkdtemp(prefix="payung-test-"))

from payung.web.settings import *  # noqa: F403

TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Each test process keeps its own figures (the suite's processes share one data directory).
CACHES = {
    alias: {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": alias}
    for alias in ("default", "figures")
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# whitenoise warns on every request when the static root is missing.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405

# The second factor is off unless a test turns it on (accounts/tests/test_otp.py).
PAYUNG_OTP_REQUIRED = False

# No duplicate search after each test import (Splink per import); tests of it turn it on.
PAYUNG_DUPLICATE_CHECK_AFTER_IMPORT = False
