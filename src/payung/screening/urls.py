"""Screening pages, under ``/penyaringan/`` (namespace ``screening``)."""

from django.urls import path

from payung.screening import policy_views, views

app_name = "screening"

urlpatterns = [
    path("mulai/", views.run_start, name="run_start"),
    path("<int:pk>/", views.run_detail, name="run_detail"),
    path("<int:pk>/kemajuan/", views.run_progress, name="run_progress"),
    path("<int:pk>/ulangi/", views.run_retry, name="run_retry"),
    path("<int:pk>/batalkan/", views.run_cancel, name="run_cancel"),
    path("<int:pk>/keputusan/", views.decision_list, name="decision_list"),
    path("<int:pk>/keputusan/ekspor/", views.decision_export, name="decision_export"),
    path("<int:pk>/keputusan/desa/", views.decision_desa_options, name="decision_desa_options"),
    path("keputusan/<int:pk>/", views.person_detail, name="person_detail"),
    path("keputusan/<int:pk>/nik/", views.reveal_nik, name="reveal_nik"),
    # issue 15: the year's policy against another, on this run's extract
    path(
        "<int:pk>/bandingkan-kebijakan/",
        policy_views.policy_compare_view,
        name="policy_compare",
    ),
]
