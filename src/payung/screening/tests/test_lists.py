"""The decision list's filters and big exports (issue 9): the village list follows the chosen
kecamatan (htmx, and without JavaScript after "Saring"), and an export past the threshold is
a background job whose task carries the job's id only, never the searched name."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from python_calamine import CalamineWorkbook

from payung.audit.models import AuditEntry
from payung.documents.models import ExportJob
from payung.domain import wilayah
from payung.screening.models import Decision, ScreeningRun

pytestmark = pytest.mark.django_db


def _two_kecamatan(run: ScreeningRun) -> tuple[str, str]:
    codes = (
        Decision.objects.filter(run=run)
        .exclude(kode_desa="")
        .values_list("kode_kecamatan", flat=True)
        .distinct()
        .order_by("kode_kecamatan")
    )
    first, second = list(codes)[:2]
    return first, second


def _options(html: str) -> set[str]:
    import re

    return {v for v in re.findall(r'<option value="([^"]*)"', html) if v}


def test_the_desa_endpoint_gives_only_the_chosen_kecamatans_villages(
    client: Client, operator_dinsos: Any, run: ScreeningRun
) -> None:
    kec, _other = _two_kecamatan(run)
    client.force_login(operator_dinsos)

    html = client.get(
        reverse("screening:decision_desa_options", args=[run.pk]), {"kecamatan": kec}
    ).content.decode()

    expected = set(
        Decision.objects.filter(run=run, kode_kecamatan=kec)
        .exclude(kode_desa="")
        .values_list("kode_desa", flat=True)
    )
    assert _options(html) == expected
    assert '<option value="">' in html  # "(semua)" first


def test_the_kecamatan_select_asks_for_its_villages_and_the_list_narrows_them_without_js(
    client: Client, operator_dinsos: Any, run: ScreeningRun
) -> None:
    kec, other = _two_kecamatan(run)
    foreign_desa = (
        Decision.objects.filter(run=run, kode_kecamatan=other).exclude(kode_desa="").first()
    ).kode_desa
    client.force_login(operator_dinsos)
    url = reverse("screening:decision_list", args=[run.pk])

    response = client.get(url, {"kecamatan": kec, "desa": foreign_desa})

    form = response.context["form"]
    desa_codes = {code for code, _label in form.fields["desa"].choices if code}
    assert desa_codes and all(wilayah.kecamatan_code(c) == kec for c in desa_codes)
    # The leftover village of the other kecamatan is dropped, not refused with an error.
    assert not form.errors
    assert response.context["count"] == (
        Decision.objects.filter(run=run, kode_kecamatan=kec).count()
    )
    html = response.content.decode()
    assert f'hx-get="{reverse("screening:decision_desa_options", args=[run.pk])}"' in html
    assert 'hx-target="#id_desa"' in html


def test_a_big_export_of_a_search_runs_in_the_background_without_the_term_in_the_task(
    client: Client,
    operator_dinsos: Any,
    run: ScreeningRun,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from payung.documents import tasks

    settings.PAYUNG_EXPORT_BACKGROUND_ROWS = 0
    sent: list[dict[str, object]] = []
    real = tasks.export_generate

    class Spy:
        @staticmethod
        def enqueue(**kwargs: object) -> object:
            sent.append(kwargs)
            return real.enqueue(**kwargs)

    monkeypatch.setattr(tasks, "export_generate", Spy)
    person = Decision.objects.filter(run=run).exclude(person__nama="").first().person
    name = person.nama
    expected = Decision.objects.filter(run=run, person__nama__icontains=name).count()
    client.force_login(operator_dinsos)
    listed = client.post(reverse("screening:decision_list", args=[run.pk]), {"search": name})
    query = listed["Location"].split("?", 1)[1]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("screening:decision_export", args=[run.pk]) + "?" + query)

    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("documents:export_detail", args=[job.pk])
    assert sent == [{"export_id": job.pk}]
    assert job.kind == "decisions" and job.params["filters"]["search"] == name
    download = client.get(reverse("documents:export_download", args=[job.pk]))
    content = b"".join(download.streaming_content)
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0)
    assert len(sheet.to_python()) - 1 == expected
    entry = AuditEntry.objects.get(action="export_personal_data")
    assert entry.detail["filters"] == {"search": "ya"}
    assert entry.detail["rows"] == expected and entry.detail["full_nik"] is False
    assert name not in str(entry.detail)


def test_the_filter_selects_write_the_same_options_as_djangos_select() -> None:
    """The village select is written in one pass (issue 16); what the browser gets is the
    same: the chosen option selected, labels escaped, the field's attributes kept."""
    from django import forms

    from payung.screening.forms import PlainSelect

    choices = [("", "(semua)"), ("3601012001", "Desa <A> & B"), ("3601012002", "Desa C")]
    plain = PlainSelect(choices=choices).render("desa", "3601012002", attrs={"id": "id_desa"})
    django = forms.Select(choices=choices).render("desa", "3601012002", attrs={"id": "id_desa"})
    assert plain.replace("\n", "") == django.replace("\n", "").replace("  ", "")
    assert '<option value="3601012002" selected>Desa C</option>' in plain
    assert "Desa &lt;A&gt; &amp; B" in plain
