"""Decree pages, under ``/keputusan/`` (namespace ``decrees``)."""

from django.urls import path

from payung.decrees import views

app_name = "decrees"

urlpatterns = [
    path("tahun/<int:year_pk>/", views.year_detail, name="year_detail"),
    path("tahun/<int:year_pk>/tim/", views.team_member_add, name="team_member_add"),
    path("tahun/<int:year_pk>/rancangan/<slug:kind>/", views.decree_draft, name="decree_draft"),
    path(
        "tahun/<int:year_pk>/perubahan/",
        views.decree_amendment_draft,
        name="decree_amendment_draft",
    ),
    path("<int:pk>/", views.decree_detail, name="decree_detail"),
    path("<int:pk>/tetapkan/", views.decree_record_signed, name="decree_record_signed"),
    path("<int:pk>/pindaian/unduh/", views.decree_scan, name="decree_scan"),
]
