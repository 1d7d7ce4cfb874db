"""Proposal pages, under ``/penetapan/`` (namespace ``candidates``)."""

from django.urls import path

from payung.participants import chart_views, views

app_name = "participants"

urlpatterns = [
    path("tahun/<int:year_pk>/usulan/", views.proposal_detail, name="proposal_detail"),
    path("tahun/<int:year_pk>/usulan/buat/", views.proposal_create, name="proposal_create"),
    path("usulan/<int:pk>/setujui/", views.proposal_approve, name="proposal_approve"),
    path("usulan/<int:pk>/berita-acara/", views.berita_acara_request, name="berita_acara_request"),
    path("tahun/<int:year_pk>/pengganti/", views.replacement_round, name="replacement_round"),
    path(
        "tahun/<int:year_pk>/pengganti/usulkan/",
        views.replacement_propose,
        name="replacement_propose",
    ),
    path("tahun/<int:year_pk>/grafik/", chart_views.year_charts, name="year_charts"),
    path(
        "tahun/<int:year_pk>/grafik/<slug:name>.csv",
        chart_views.year_chart_csv,
        name="year_chart_csv",
    ),
    path(
        "tahun/<int:year_pk>/grafik/<slug:name>.xlsx",
        chart_views.year_chart_xlsx,
        name="year_chart_xlsx",
    ),
    path("calon/<int:pk>/", views.candidate_detail, name="candidate_detail"),
    path("calon/<int:pk>/kecualikan/", views.candidate_exclude, name="candidate_exclude"),
]
