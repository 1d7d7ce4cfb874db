"""Document builders that return fixed bytes, for page tests.

Page tests check that documents are requested, listed, polled and downloaded with an audit
entry; what the berita acara or a decree looks like is the rendering's own tests' business,
and rendering (WeasyPrint, docxtpl) would cost seconds per test. While
``payung.documents.render`` does not exist yet, a stand-in module lets the builders' modules
import; it is removed again after the test.
"""

from __future__ import annotations

import importlib
import sys
import types
from collections.abc import Iterator
from typing import Any, Final

import pytest

FIXED: Final[dict[str, bytes]] = {
    "docx": b"PK\x03\x04 dokumen uji (docx)",
    "pdf": b"%PDF-1.4\n% dokumen uji\n",
}

BUILDERS: Final[dict[str, dict[str, str]]] = {
    "payung.participants.documents": {
        "berita_acara_docx": "docx",
        "berita_acara_pdf": "pdf",
    },
    "payung.decrees.documents": {
        "decree_docx": "docx",
        "annex_pdf": "pdf",
        "internal_docx": "docx",
        "internal_pdf": "pdf",
        "amending_decree_docx": "docx",
        "amending_annex_pdf": "pdf",
        "amending_internal_docx": "docx",
        "amending_internal_pdf": "pdf",
    },
}


def _fixed(fmt: str) -> Any:
    def build(*_args: Any, **_kwargs: Any) -> bytes:
        return FIXED[fmt]

    return build


@pytest.fixture
def fixed_documents(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, bytes]]:
    """Every builder of the candidates and decrees apps returns ``FIXED[format]``."""
    render = "payung.documents.render"
    stubbed = False
    try:
        importlib.import_module(render)
    except ModuleNotFoundError:
        stub = types.ModuleType(render)
        stub.docx_render = _fixed("docx")  # type: ignore[attr-defined]
        stub.pdf_render = _fixed("pdf")  # type: ignore[attr-defined]
        monkeypatch.setitem(sys.modules, render, stub)
        stubbed = True
    fresh = [name for name in BUILDERS if name not in sys.modules]
    for module_name, functions in BUILDERS.items():
        module = importlib.import_module(module_name)
        for function, fmt in functions.items():
            monkeypatch.setattr(module, function, _fixed(fmt))
    yield FIXED
    if stubbed:  # modules bound to the stand-in must not outlive it
        for name in fresh:
            sys.modules.pop(name, None)
