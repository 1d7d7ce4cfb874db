"""Contribution pages, under ``/iuran/`` (namespace ``contributions``)."""

from django.urls import path

from payung.contributions import payment_views, reconciliation_views, views

app_name = "contributions"

urlpatterns = [
    path("tahun/<int:year_pk>/", views.year_detail, name="year_detail"),
    path("tahun/<int:year_pk>/tagihan/", views.bill_issue, name="bill_issue"),
    path("tagihan/<int:pk>/", views.bill_detail, name="bill_detail"),
    path("tagihan/<int:pk>/surat/", views.bill_letter_request, name="bill_letter_request"),
    path(
        "tagihan/<int:pk>/surat/<int:document_pk>/",
        views.bill_letter_download,
        name="bill_letter_download",
    ),
    # SP2D payments and the reconciliation with BPJS (issue 11, part 2).
    path("tagihan/<int:bill_pk>/pembayaran/", payment_views.bill_payments, name="bill_payments"),
    path("pembayaran/<int:pk>/konfirmasi/", payment_views.payment_confirm, name="payment_confirm"),
    path("pembayaran/<int:pk>/tolak/", payment_views.payment_reject, name="payment_reject"),
    path("tahun/<int:year_pk>/sp2d/", payment_views.payment_list, name="payment_list"),
    path("tahun/<int:year_pk>/sp2d/impor/", payment_views.payment_import, name="payment_import"),
    path(
        "tahun/<int:year_pk>/rekonsiliasi/",
        reconciliation_views.reconciliation_list,
        name="reconciliation_list",
    ),
    path(
        "tahun/<int:year_pk>/rekonsiliasi/baru/",
        reconciliation_views.reconciliation_create,
        name="reconciliation_create",
    ),
    # BPJS's invoice is compared in the background; its upload has a page that polls.
    path(
        "rekonsiliasi/unggahan/<int:pk>/",
        reconciliation_views.reconciliation_import_detail,
        name="reconciliation_import_detail",
    ),
    path(
        "rekonsiliasi/unggahan/<int:pk>/kemajuan/",
        reconciliation_views.reconciliation_import_progress,
        name="reconciliation_import_progress",
    ),
    path(
        "rekonsiliasi/unggahan/<int:pk>/masalah/<str:fmt>/",
        reconciliation_views.reconciliation_import_errors,
        name="reconciliation_import_errors",
    ),
    path(
        "rekonsiliasi/unggahan/<int:pk>/ulangi/",
        reconciliation_views.reconciliation_import_retry,
        name="reconciliation_import_retry",
    ),
    path(
        "rekonsiliasi/unggahan/<int:pk>/batalkan/",
        reconciliation_views.reconciliation_import_cancel,
        name="reconciliation_import_cancel",
    ),
    path(
        "rekonsiliasi/<int:pk>/",
        reconciliation_views.reconciliation_detail,
        name="reconciliation_detail",
    ),
    path(
        "rekonsiliasi/<int:pk>/keputusan/",
        reconciliation_views.reconciliation_decide,
        name="reconciliation_decide",
    ),
    path(
        "rekonsiliasi/<int:pk>/tutup/",
        reconciliation_views.reconciliation_close,
        name="reconciliation_close",
    ),
    path(
        "rekonsiliasi/<int:pk>/dokumen/<int:document_pk>/",
        reconciliation_views.reconciliation_document,
        name="reconciliation_document",
    ),
]
