"""PDFs made by the tests themselves, so the signed-scan check parses real files."""

from __future__ import annotations

import io

from pypdf import PdfWriter


def pdf_bytes(*, pages: int = 1, user_password: str | None = None, title: str = "") -> bytes:
    """A synthetic A4 PDF of blank pages, optionally locked with a user password (RC4, which
    pypdf opens without the optional cryptography package). A ``title`` makes the file (and
    its SHA-256) differ: one scan is accepted for one decree only."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if title:
        writer.add_metadata({"/Title": title})
    if user_password is not None:
        writer.encrypt(user_password=user_password, owner_password="pemilik", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


#: The signed decree's scan in tests: a real one-page PDF.
SCAN = pdf_bytes()
