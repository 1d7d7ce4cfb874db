"""Verification pages, under ``/verifikasi/`` (namespace ``verification``)."""

from django.urls import path

from payung.verification import views

app_name = "verification"

urlpatterns = [
    path("tahun/<int:year_pk>/", views.batch_list, name="batch_list"),
    path("usulan/<int:proposal_pk>/tahap/baru/", views.batch_create, name="batch_create"),
    path("tahap/<int:pk>/", views.batch_detail, name="batch_detail"),
    path(
        "tahap/<int:pk>/permintaan/<str:fmt>/",
        views.batch_request_file,
        name="batch_request_file",
    ),
    path("tahap/<int:pk>/jawaban/", views.batch_answers_upload, name="batch_answers_upload"),
    path("jawaban/<int:pk>/", views.answer_import_detail, name="answer_import_detail"),
    path("jawaban/<int:pk>/kemajuan/", views.answer_import_progress, name="answer_import_progress"),
    path(
        "jawaban/<int:pk>/masalah/<str:fmt>/",
        views.answer_import_errors,
        name="answer_import_errors",
    ),
    path("butir/<int:pk>/", views.item_record, name="item_record"),
]
