"""Document pages: the audited download under the stored name, confidential copies only for
holders of the internal-annex permission, and the htmx progress row."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from payung.audit.models import AuditEntry
from payung.core.models import JobStatus
from payung.documents.models import Document
from payung.registry.tests.factories import ProgrammeYearFactory

pytestmark = pytest.mark.django_db

CONTENT = b"%PDF-1.4\n% berita acara uji\n"


def _document(
    tmp_path: Path, actor: Any, *, confidential: bool = False, status: str = JobStatus.DONE
) -> Document:
    """A stored document as the generation service leaves it."""
    path = tmp_path / ("internal.pdf" if confidential else "berita-acara.pdf")
    path.write_bytes(CONTENT)
    done = status == JobStatus.DONE
    return Document.objects.create(
        programme_year=ProgrammeYearFactory(),
        subject="participants.proposal:1",
        kind="lampiran_internal" if confidential else "berita_acara",
        title="Salinan internal" if confidential else "Berita Acara Hasil Pendataan 2026",
        format=Document.Format.PDF,
        confidential=confidential,
        builder="payung.participants.documents.berita_acara_pdf",
        status=status,
        file_name="lampiran-internal.pdf" if confidential else "berita-acara-pendataan-2026.pdf",
        stored_path=str(path) if done else "",
        sha256=hashlib.sha256(CONTENT).hexdigest() if done else "",
        size_bytes=len(CONTENT) if done else None,
        created_by=actor,
    )


def test_download_is_the_stored_file_under_its_name_and_audited(
    client: Client, tmp_path: Path, operator_dinsos: Any, anggota_tim: Any
) -> None:
    document = _document(tmp_path, operator_dinsos)
    client.force_login(anggota_tim)
    response = client.get(reverse("documents:document_download", args=[document.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="berita-acara-pendataan-2026.pdf"'
    )
    assert b"".join(response.streaming_content) == CONTENT
    entry = AuditEntry.objects.get(action="document_download")
    assert entry.actor_id == anggota_tim.pk
    assert entry.detail["sha256"] == document.sha256
    assert entry.detail["confidential"] is False


def test_a_confidential_copy_is_403_without_the_internal_annex_permission(
    client: Client,
    tmp_path: Path,
    operator_disnaker: Any,
    operator_dinsos: Any,
    auditor_inspektorat: Any,
) -> None:
    document = _document(tmp_path, operator_disnaker, confidential=True)
    url = reverse("documents:document_download", args=[document.pk])
    for refused in (operator_dinsos, auditor_inspektorat):
        client.force_login(refused)
        assert client.get(url).status_code == 403
    assert not AuditEntry.objects.filter(action="document_download").exists()
    client.force_login(operator_disnaker)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == CONTENT
    entry = AuditEntry.objects.get(action="document_download")
    assert entry.detail["confidential"] is True and entry.actor_id == operator_disnaker.pk


def test_roles_without_documents_and_anonymous_users_get_nothing(
    client: Client, tmp_path: Path, operator_dinsos: Any, verifikator_dukcapil: Any
) -> None:
    document = _document(tmp_path, operator_dinsos)
    urls = [
        reverse("documents:document_download", args=[document.pk]),
        reverse("documents:document_progress", args=[document.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    client.force_login(verifikator_dukcapil)
    for url in urls:
        assert client.get(url).status_code == 403
    assert not AuditEntry.objects.filter(action="document_download").exists()


def test_an_unfinished_document_is_a_message_not_a_file(
    client: Client, tmp_path: Path, operator_dinsos: Any
) -> None:
    document = _document(tmp_path, operator_dinsos, status=JobStatus.RUNNING)
    client.force_login(operator_dinsos)
    response = client.get(reverse("documents:document_download", args=[document.pk]))
    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["Dokumen belum selesai dibuat."]
    assert not AuditEntry.objects.filter(action="document_download").exists()
    assert client.get(reverse("documents:document_download", args=[999])).status_code == 404


def test_a_file_missing_from_the_store_is_404(
    client: Client, tmp_path: Path, operator_dinsos: Any
) -> None:
    document = _document(tmp_path, operator_dinsos)
    Path(document.stored_path).unlink()
    client.force_login(operator_dinsos)
    response = client.get(reverse("documents:document_download", args=[document.pk]))
    assert response.status_code == 404


def test_progress_row_polls_while_queued_and_links_when_done(
    client: Client, tmp_path: Path, operator_dinsos: Any
) -> None:
    document = _document(tmp_path, operator_dinsos, status=JobStatus.QUEUED)
    url = reverse("documents:document_progress", args=[document.pk])
    client.force_login(operator_dinsos)
    row = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert row.lstrip().startswith("<tr") and "<html" not in row
    assert f'hx-get="{url}"' in row and 'hx-trigger="every 2s"' in row
    assert "Menunggu giliran dibuat" in row
    Document.objects.filter(pk=document.pk).update(
        status=JobStatus.FAILED, error_message="Dokumen gagal dibuat (KeyError)."
    )
    row = client.get(url).content.decode()
    assert "every 2s" not in row and "Dokumen gagal dibuat (KeyError)." in row
    done = _document(tmp_path, operator_dinsos)
    row = client.get(reverse("documents:document_progress", args=[done.pk])).content.decode()
    assert "every 2s" not in row
    assert reverse("documents:document_download", args=[done.pk]) in row
    assert done.sha256[:12] in row


def test_a_confidential_row_is_a_link_only_for_the_permission_holder(
    client: Client, tmp_path: Path, operator_dinsos: Any, operator_disnaker: Any
) -> None:
    document = _document(tmp_path, operator_disnaker, confidential=True)
    url = reverse("documents:document_progress", args=[document.pk])
    download = reverse("documents:document_download", args=[document.pk])
    client.force_login(operator_dinsos)
    row = client.get(url).content.decode()
    assert download not in row and "Hanya untuk pemegang hak" in row
    client.force_login(operator_disnaker)
    row = client.get(url).content.decode()
    assert download in row and "tercatat di jejak audit" in row
