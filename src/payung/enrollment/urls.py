"""BPJS registration pages, under ``/pendaftaran/`` (namespace ``enrollment``)."""

from django.urls import path  # noqa: F401

app_name = "enrollment"

urlpatterns: list = []
