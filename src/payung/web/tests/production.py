"""The production settings module, evaluated afresh under a given environment.

Tests run under ``settings_test`` (MD5 hashing, no second factor); what production
promises must be read from ``settings.py`` itself, as a deployment would load it.
"""

from __future__ import annotations

import runpy
import secrets
from typing import Any

import pytest

from payung.web import settings as settings_module

PRODUCTION_ENV = {
    "PAYUNG_HTTPS": "1",
    "PAYUNG_DEBUG": "0",
}


def production_settings(monkeypatch: pytest.MonkeyPatch, **env: str) -> dict[str, Any]:
    """The names ``settings.py`` defines with HTTPS on, debug off, a long secret key and
    ``env`` on top; the secret key is random so no key file is read or written."""
    monkeypatch.setenv("PAYUNG_SECRET_KEY", secrets.token_urlsafe(60))
    for name, value in {**PRODUCTION_ENV, **env}.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(settings_module.__file__)
