"""URLs of the ends stage, under ``/akhir/``."""

from django.urls import path

from payung.ends import views

app_name = "ends"

urlpatterns = [
    path("peserta/<int:candidate_pk>/", views.participant_end, name="participant_end"),
    path("tahun/<int:year_pk>/", views.year_ends, name="year_ends"),
    path("tahun/<int:year_pk>/unggah/", views.end_import_upload, name="end_import_upload"),
    path("berkas/<int:pk>/", views.end_import_detail, name="end_import_detail"),
    path("berkas/<int:pk>/kemajuan/", views.end_import_progress, name="end_import_progress"),
    path("berkas/<int:pk>/ulangi/", views.end_import_retry, name="end_import_retry"),
    path("berkas/<int:pk>/batalkan/", views.end_import_cancel, name="end_import_cancel"),
    path("berkas/<int:pk>/terapkan/", views.end_import_apply, name="end_import_apply"),
    path(
        "berkas/<int:pk>/tidak-cocok.<str:fmt>",
        views.end_import_unmatched,
        name="end_import_unmatched",
    ),
]
