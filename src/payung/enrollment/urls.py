"""BPJS registration pages, under ``/pendaftaran/`` (namespace ``enrollment``)."""

from django.urls import path

from payung.enrollment import card_views, roster_views, views

app_name = "enrollment"

# Registration batches and BPJS's answer (Pasal 8 ayat (1)-(3)).
urlpatterns = [
    path("tahun/<int:year_pk>/", views.batch_year, name="batch_year"),
    path("tahun/<int:year_pk>/tahap/baru/", views.batch_create, name="batch_create"),
    path("tahap/<int:pk>/", views.batch_detail, name="batch_detail"),
    path(
        "tahap/<int:pk>/permintaan/<str:fmt>/",
        views.batch_request_file,
        name="batch_request_file",
    ),
    path("tahap/<int:pk>/jawaban/", views.batch_answer_upload, name="batch_answer_upload"),
    path("jawaban/<int:pk>/", views.batch_answer_detail, name="batch_answer_detail"),
    path("jawaban/<int:pk>/kemajuan/", views.batch_answer_progress, name="batch_answer_progress"),
    path("jawaban/<int:pk>/terapkan/", views.batch_answer_apply, name="batch_answer_apply"),
    path("jawaban/<int:pk>/batalkan/", views.batch_answer_discard, name="batch_answer_discard"),
    path("profil/", views.profile_list, name="profile_list"),
    path("profil/<int:pk>/", views.profile_edit, name="profile_edit"),
]

# Cards (Pasal 8 ayat (4)), the register for Disnakertrans (8(5)), the earlier roster.
urlpatterns += [
    path("tahun/<int:year_pk>/kartu/", card_views.card_list, name="card_list"),
    path("tahun/<int:year_pk>/kartu/terima/", card_views.cards_receive, name="cards_receive"),
    path(
        "tahun/<int:year_pk>/kartu/tanda-terima/<str:desa>/",
        card_views.card_receipt,
        name="card_receipt",
    ),
    path("kartu/<int:pk>/serahkan/", card_views.card_deliver, name="card_deliver"),
    path(
        "tahun/<int:year_pk>/register/unduh/",
        card_views.register_download,
        name="register_download",
    ),
    path("tahun/<int:year_pk>/data-lama/", roster_views.roster_upload, name="roster_upload"),
]
