"""Document pages, under ``/dokumen/`` (namespace ``documents``)."""

from django.urls import path

from payung.documents import views

app_name = "documents"

urlpatterns = [
    path("<int:pk>/unduh/", views.document_download, name="document_download"),
    path("<int:pk>/kemajuan/", views.document_progress, name="document_progress"),
]
