"""The card list's village select follows the chosen kecamatan (issue 9): htmx fetches the
list's own ``#desa-field`` for the kecamatan chosen; without JavaScript it appears after
"Saring", offering only that kecamatan's villages."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from payung.domain import wilayah
from payung.enrollment.tests.factories import registered_batch

pytestmark = pytest.mark.django_db


def test_the_village_field_follows_the_kecamatan(
    client: Client,
    operator_dinsos: Any,
    operator_dinsos_2: Any,
    verifikator_dukcapil: Any,
    operator_disnaker: Any,
    petugas_bpjs: Any,
) -> None:
    personas = {
        "operator_dinsos": operator_dinsos,
        "operator_dinsos_2": operator_dinsos_2,
        "verifikator_dukcapil": verifikator_dukcapil,
        "operator_disnaker": operator_disnaker,
        "petugas_bpjs": petugas_bpjs,
    }
    registered = registered_batch(personas=personas, n=6, refused=0, active=0)
    client.force_login(petugas_bpjs)
    url = reverse("enrollment:card_list", args=[registered.batch.programme_year_id])

    html = client.get(url).content.decode()
    assert '<div id="desa-field">' in html and 'name="desa"' not in html
    assert f'hx-get="{url}"' in html and 'hx-select="#desa-field"' in html

    kecamatan = re.search(r'<option value="(\d{6})"', html).group(1)
    chosen = client.get(url, {"kecamatan": kecamatan}).content.decode()
    field = chosen[chosen.index('<div id="desa-field">') :]
    field = field[: field.index("</div>")]
    villages = [v for v in re.findall(r'<option value="([^"]*)"', field) if v]
    assert villages and all(wilayah.kecamatan_code(v) == kecamatan for v in villages)
