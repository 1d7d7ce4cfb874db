"""``{% chart_locale %}``: the Indonesian number and date locale the page's charts use.

The same dictionaries vl-convert gets for PDFs (``payung.core.charts``), so a figure reads
50.000 in the page and in the berita acara alike; written as a JSON data block (no script
runs from it, the CSP allows it) for ``web/static/payung/charts.js``.
"""

from __future__ import annotations

from django import template
from django.utils.html import json_script
from django.utils.safestring import SafeString

from payung.core.charts import CHART_LOCALE

register = template.Library()


@register.simple_tag
def chart_locale() -> SafeString:
    return json_script(CHART_LOCALE, "chart-locale")
