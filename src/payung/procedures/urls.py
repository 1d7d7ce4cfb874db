"""Standar operasional prosedur, under ``/sop/`` (namespace ``procedures``)."""

from django.urls import path

from payung.procedures import views

app_name = "procedures"

urlpatterns: list = [
    path("tahun/<int:pk>/", views.year_sops, name="year_sops"),
    path("tahun/<int:pk>/buat/", views.sop_generate, name="sop_generate"),
    path("dokumen/<int:pk>/", views.sop_download, name="sop_download"),
]
