"""The documents app: generated-document records, and templates found by APP_DIRS."""

from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    # An app config (not just a package) so Django's APP_DIRS loader finds
    # ``templates/documents/*.html`` for the PDFs and ``templatetags`` for their filters.
    name = "payung.documents"
    label = "documents"
    verbose_name = "Dokumen resmi"
