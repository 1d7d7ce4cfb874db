"""Other funders' lists, under ``/daftar-lain/`` (namespace ``linkage``)."""

from django.urls import path

from payung.linkage import views

app_name = "linkage"

urlpatterns = [
    path("tahun/<int:year_pk>/", views.year_lists, name="year_lists"),
    path("tahun/<int:year_pk>/unggah/", views.list_upload, name="list_upload"),
    path("<int:pk>/", views.list_detail, name="list_detail"),
    path("<int:pk>/kemajuan/", views.list_progress, name="list_progress"),
    path("<int:pk>/ulangi/", views.list_retry, name="list_retry"),
    path("<int:pk>/batalkan/", views.list_cancel, name="list_cancel"),
    path("pasangan/<int:pk>/putuskan/", views.match_decide, name="match_decide"),
]
