"""Standar operasional prosedur, under ``/sop/`` (namespace ``procedures``)."""

from django.urls import path  # noqa: F401

app_name = "procedures"

urlpatterns: list = []
