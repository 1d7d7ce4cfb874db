"""The team's reports under ``/monitoring/laporan/`` (Pasal 12 ayat (3), Pasal 10 ayat (2))."""

from django.urls import path

from payung.monitoring import report_views as views

urlpatterns = [
    path("laporan/tahun/<int:year_pk>/", views.report_year, name="report_year"),
    path("laporan/tahun/<int:year_pk>/semester/<int:half>/", views.report_half, name="report_half"),
    path(
        "laporan/<int:pk>/ttd/unggah/",
        views.report_upload_signed,
        name="report_upload_signed",
    ),
    path("laporan/<int:pk>/ttd/", views.report_signed, name="report_signed"),
    path("laporan/dokumen/<int:pk>/", views.report_document, name="report_document"),
    path(
        "laporan/tahun/<int:year_pk>/notulen/", views.report_minutes_create, name="report_minutes"
    ),
    path("laporan/tahun/<int:year_pk>/rekap/", views.report_recap_create, name="report_recap"),
]
