"""The carry-over page of a programme year, under ``/lanjutan/`` (namespace ``renewal``)."""

from django.urls import path

from payung.renewal import views

app_name = "renewal"

urlpatterns = [
    path("tahun/<int:year_pk>/", views.renewal_year, name="year_detail"),
    path("tahun/<int:year_pk>/akhiri/", views.renewal_end, name="not_qualifying_end"),
    path("tahun/<int:year_pk>/lanjutkan/", views.renewal_continue, name="continuity_activate"),
]
