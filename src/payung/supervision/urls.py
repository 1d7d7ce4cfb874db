"""Pengawasan pemberi kerja, under ``/pengawasan/`` (namespace ``supervision``)."""

from django.urls import path

from payung.supervision import views

app_name = "supervision"

urlpatterns = [
    path("tahun/<int:year_pk>/", views.year_detail, name="year_detail"),
    path("tahun/<int:year_pk>/laporan/baru/", views.report_create, name="report_create"),
    path("pemberi-kerja/", views.employer_list, name="employer_list"),
    path("pemberi-kerja/baru/", views.employer_create, name="employer_create"),
    path("pemberi-kerja/<int:pk>/", views.employer_detail, name="employer_detail"),
    path("pemberi-kerja/<int:pk>/ubah/", views.employer_edit, name="employer_edit"),
    path("laporan/<int:pk>/", views.report_detail, name="report_detail"),
    path("laporan/<int:pk>/sanksi/", views.case_open, name="case_open"),
    path("sanksi/<int:pk>/", views.case_detail, name="case_detail"),
    path("sanksi/<int:pk>/bpjs/", views.step_bpjs, name="step_bpjs"),
    path("sanksi/<int:pk>/surat/", views.step_letter, name="step_letter"),
]
