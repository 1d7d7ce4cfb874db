"""Document pages, under ``/dokumen/`` (namespace ``documents``)."""

from django.urls import path

from payung.documents import views

app_name = "documents"

urlpatterns = [
    path("<int:pk>/unduh/", views.document_download, name="document_download"),
    path("<int:pk>/kemajuan/", views.document_progress, name="document_progress"),
    path("ekspor/<int:pk>/", views.export_detail, name="export_detail"),
    path("ekspor/<int:pk>/kemajuan/", views.export_progress, name="export_progress"),
    path("ekspor/<int:pk>/unduh/", views.export_download, name="export_download"),
]
