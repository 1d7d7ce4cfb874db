"""Contribution pages, under ``/iuran/`` (namespace ``contributions``)."""

from django.urls import path  # noqa: F401

app_name = "contributions"

urlpatterns: list = []
