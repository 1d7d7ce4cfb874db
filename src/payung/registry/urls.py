"""Pendataan pages, under ``/pendataan/`` (namespace ``registry``)."""

from django.urls import path

from payung.registry import views

app_name = "registry"

urlpatterns = [
    path("", views.year_list, name="year_list"),
    path("baru/", views.year_create, name="year_create"),
    path("<int:pk>/", views.year_detail, name="year_detail"),
    path("<int:pk>/impor/", views.import_create, name="import_create"),
    path("<int:pk>/pks/", views.cooperation_agreement_record, name="cooperation_agreement_record"),
    path("impor/<int:pk>/", views.import_detail, name="import_detail"),
    path("impor/<int:pk>/kemajuan/", views.import_progress, name="import_progress"),
    path("impor/<int:pk>/masalah/", views.import_problems, name="import_problems"),
    path("impor/<int:pk>/masalah/xlsx/", views.import_problems_xlsx, name="import_problems_xlsx"),
    path(
        "impor/<int:pk>/konfirmasi-tumpang-tindih/",
        views.import_overlap_confirm,
        name="import_overlap_confirm",
    ),
    path("impor/<int:pk>/ulangi/", views.import_retry, name="import_retry"),
    path("impor/<int:pk>/batalkan/", views.import_cancel, name="import_cancel"),
    path(
        "impor/<int:pk>/data-ganda/periksa/",
        views.duplicate_check_create,
        name="duplicate_check_create",
    ),
    path(
        "data-ganda/<int:pk>/putuskan/",
        views.duplicate_pair_decide,
        name="duplicate_pair_decide",
    ),
    path(
        "data-ganda/<int:pk>/lihat-nik/",
        views.duplicate_pair_reveal,
        name="duplicate_pair_reveal",
    ),
]
