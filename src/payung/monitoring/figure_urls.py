"""The team's monitoring pages under ``/monitoring/`` (Pasal 10 ayat (2) huruf e-h)."""

from django.urls import path

from payung.monitoring import views

urlpatterns = [
    path("", views.index, name="index"),
    path("tahun/<int:year_pk>/", views.year_page, name="year"),
    path(
        "tahun/<int:year_pk>/<str:period>/grafik/<slug:name>.csv",
        views.chart_csv,
        name="chart_csv",
    ),
    path(
        "tahun/<int:year_pk>/<str:period>/grafik/<slug:name>.xlsx",
        views.chart_xlsx,
        name="chart_xlsx",
    ),
]
