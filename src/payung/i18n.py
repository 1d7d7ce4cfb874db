"""gettext for everything Payung says to people.

Messages are written in Bahasa Indonesia, the language of the users, and marked with ``_``
so a catalog under ``payung/locale/<lang>/LC_MESSAGES/payung.mo`` can give another language
(English first) without touching the code.
"""

from __future__ import annotations

import gettext
import os
from importlib import resources

DOMAIN = "payung"
_LOCALE_DIR = str(resources.files("payung") / "locale")

_translation = gettext.translation(
    DOMAIN,
    localedir=_LOCALE_DIR,
    languages=[os.environ.get("PAYUNG_LANG", "id")],
    fallback=True,
)


def _(message: str) -> str:
    """Translate a message (identity while the language is Indonesian)."""
    return _translation.gettext(message)
