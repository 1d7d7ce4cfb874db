"""Monitoring and reports, under ``/monitoring/`` (namespace ``monitoring``).

The figures' pages and the reports' pages are owned by separate modules; this file only joins
them under one namespace.
"""

from payung.monitoring.figure_urls import urlpatterns as figure_urlpatterns
from payung.monitoring.report_urls import urlpatterns as report_urlpatterns

app_name = "monitoring"

urlpatterns = [*figure_urlpatterns, *report_urlpatterns]
