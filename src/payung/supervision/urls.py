"""Pengawasan pemberi kerja, under ``/pengawasan/`` (namespace ``supervision``)."""

from django.urls import path  # noqa: F401

app_name = "supervision"

urlpatterns: list = []
