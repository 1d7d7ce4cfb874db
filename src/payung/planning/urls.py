"""Perencanaan anggaran, under ``/perencanaan/`` (namespace ``planning``)."""

from django.urls import path

from payung.planning import views

app_name = "planning"

urlpatterns: list = [
    path("", views.simulation_home, name="simulation_home"),
    path("simulasi/<int:pk>/", views.simulation_detail, name="simulation_detail"),
    path("simulasi/<int:pk>/unduh.xlsx", views.simulation_xlsx, name="simulation_xlsx"),
    path(
        "simulasi/<int:pk>/grafik/<slug:name>.csv",
        views.simulation_chart_csv,
        name="simulation_chart_csv",
    ),
    path(
        "simulasi/<int:pk>/grafik/<slug:name>.xlsx",
        views.simulation_chart_xlsx,
        name="simulation_chart_xlsx",
    ),
]
