"""Pendataan pages, under ``/pendataan/`` (namespace ``registry``)."""

from django.urls import path

from payung.registry import views

app_name = "registry"

urlpatterns = [
    path("", views.year_list, name="year_list"),
    path("baru/", views.year_create, name="year_create"),
    path("<int:pk>/", views.year_detail, name="year_detail"),
    path("<int:pk>/impor/", views.import_create, name="import_create"),
    path("impor/<int:pk>/", views.import_detail, name="import_detail"),
    path("impor/<int:pk>/kemajuan/", views.import_progress, name="import_progress"),
]
