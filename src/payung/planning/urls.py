"""Perencanaan anggaran, under ``/perencanaan/`` (namespace ``planning``)."""

from django.urls import path  # noqa: F401

app_name = "planning"

urlpatterns: list = []
