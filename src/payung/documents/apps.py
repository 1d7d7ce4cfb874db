"""The documents app: generated-document records, and templates found by APP_DIRS."""

from django.apps import AppConfig
from django.db.backends.signals import connection_created


class DocumentsConfig(AppConfig):
    # An app config (not just a package) so Django's APP_DIRS loader finds
    # ``templates/documents/*.html`` for the PDFs and ``templatetags`` for their filters.
    name = "payung.documents"
    label = "documents"
    verbose_name = "Dokumen resmi"

    def ready(self) -> None:
        # The SQLite database holds every imported person: keep it 0600 like the documents
        # (payung.documents.storage); infrastructure, not a workflow step.
        from payung.documents.storage import sqlite_connection_protect

        connection_created.connect(
            sqlite_connection_protect, dispatch_uid="payung.documents.sqlite_protect"
        )
