"""The signed-scan check: only a readable PDF with pages is evidence of a decree."""

from __future__ import annotations

import pytest
import weasyprint
from django.core.exceptions import ValidationError

from payung.decrees.services import MAX_SCAN_BYTES, pdf_scan_check
from payung.decrees.tests.pdfs import pdf_bytes


def _refusal(content: bytes, **kwargs: int) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        pdf_scan_check(content=content, **kwargs)
    return caught.value


def test_a_real_pdf_is_accepted_with_its_page_count() -> None:
    assert pdf_scan_check(content=pdf_bytes()) == 1
    assert pdf_scan_check(content=pdf_bytes(pages=3)) == 3
    html = "<h1>SALINAN</h1><p>Keputusan Bupati sintetis</p>"
    assert pdf_scan_check(content=weasyprint.HTML(string=html).write_pdf()) == 1


def test_a_pdf_locked_only_by_its_owner_password_opens_and_is_accepted() -> None:
    assert pdf_scan_check(content=pdf_bytes(user_password="")) == 1


@pytest.mark.parametrize(
    ("content", "code", "message"),
    [
        (b"", "scan_empty", "Berkas pindaian kosong."),
        (b"%PDF-", "scan_unreadable", "bukan PDF yang dapat dibaca"),
        (b"%PDF-1.7\n" + b"sampah " * 200 + b"\n%%EOF\n", "scan_unreadable", "dapat dibaca"),
        (pdf_bytes()[:200], "scan_unreadable", "rusak atau tidak lengkap"),
        (pdf_bytes()[5:], "scan_not_pdf", "Pindaian harus berkas PDF."),
        (b"PK\x03\x04 bukan pdf", "scan_not_pdf", "Pindaian harus berkas PDF."),
        (pdf_bytes(user_password="rahasia"), "scan_encrypted", "kata sandi"),
        (pdf_bytes(pages=0), "scan_no_pages", "tidak berisi halaman"),
    ],
    ids=["empty", "header-only", "garbage", "truncated", "no-header", "zip", "locked", "no-pages"],
)
def test_what_is_not_a_readable_pdf_is_refused_with_a_coded_indonesian_message(
    content: bytes, code: str, message: str
) -> None:
    refused = _refusal(content)
    assert refused.code == code
    assert message in refused.messages[0]


def test_the_size_cap_is_checked_before_parsing() -> None:
    refused = _refusal(b"%PDF-" + b"0" * (MAX_SCAN_BYTES + 1))
    assert refused.code == "scan_too_large"
    assert refused.messages == ["Pindaian terlalu besar (maksimal 10 MB)."]
    assert _refusal(pdf_bytes(), max_bytes=100).code == "scan_too_large"
