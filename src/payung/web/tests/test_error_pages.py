"""Issue 9, defects 4, 5 and 6: the 405 page, the favicon and the one-line 403 log.

Each as a user or an operator meets it: an action URL opened from the address bar, the
icon a browser asks for on every page, and the server log after a refused request.
"""

from __future__ import annotations

import logging
from xml.etree import ElementTree

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_an_action_url_opened_with_get_shows_the_indonesian_page_with_status_and_allow(
    client: Client, operator_dinsos
) -> None:
    client.force_login(operator_dinsos)
    url = reverse("screening:reveal_nik", args=[1])  # a button's URL: POST only

    response = client.get(url)

    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "Tindakan tidak dapat dibuka langsung" in page
    assert "melalui tombolnya" in page
    assert f'href="{reverse("web:home")}"' in page


def test_the_405_page_is_shown_to_a_visitor_who_is_not_signed_in(client: Client) -> None:
    response = client.post(reverse("web:home"))

    assert response.status_code == 405
    assert response["Allow"] == "GET"
    assert "Tindakan tidak dapat dibuka langsung" in response.content.decode()


def test_every_page_links_a_shipped_svg_favicon_and_favicon_ico_leads_to_it(
    client: Client, operator_dinsos
) -> None:
    client.force_login(operator_dinsos)
    icon = static("payung/favicon.svg")

    page = client.get(reverse("web:home")).content.decode()
    login = Client().get(reverse("accounts:login")).content.decode()

    link = f'<link rel="icon" href="{icon}" type="image/svg+xml">'
    assert link in page and link in login
    path = finders.find("payung/favicon.svg")
    assert path is not None
    root = ElementTree.parse(path).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    redirect = Client().get("/favicon.ico")
    assert redirect.status_code == 301
    assert redirect["Location"] == icon


def test_a_refused_post_and_a_refusal_raised_by_a_service_log_one_line_each(
    client: Client, auditor_inspektorat, caplog: pytest.LogCaptureFixture
) -> None:
    """The GET refusal is covered in test_security_settings; these are the other ways in:
    a POSTed button and htmx, where Django would log the PermissionDenied's traceback."""
    client.force_login(auditor_inspektorat)
    url = reverse("registry:year_create")

    with caplog.at_level(logging.INFO):
        plain = client.post(url, {"year": "2026", "pagu_apbd": "Rp1.008.000.000"})
        htmx = client.post(url, {"year": "2026"}, HTTP_HX_REQUEST="true")

    assert plain.status_code == htmx.status_code == 403
    refusals = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert [r.getMessage() for r in refusals] == [
        f"Forbidden: POST {url} user={auditor_inspektorat.pk}"
    ] * 2
    assert all(r.exc_info is None and r.stack_info is None for r in refusals)
    assert "Traceback" not in caplog.text and "1.008.000.000" not in caplog.text
