"""Input of the screening pages: the start request and the decision-list filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from payung.domain import wilayah
from payung.screening.selectors import DecisionFilters, FilterChoices


def villages_in(choices: list[tuple[str, str]], *, kecamatan: str) -> list[tuple[str, str]]:
    """The village choices lying in ``kecamatan`` (all of them when none is chosen): the
    village list follows the chosen kecamatan (issue 9), with or without JavaScript."""
    district = wilayah.kecamatan_code(kecamatan or "")
    if not district:
        return choices
    return [(code, label) for code, label in choices if wilayah.kecamatan_code(code) == district]


class RunStartForm(forms.Form):
    """The year page posts the year and one of its imports."""

    programme_year = forms.IntegerField(min_value=1)
    dtsen_import = forms.IntegerField(min_value=1)


def _with_blank(choices: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [("", _("(semua)")), *choices]


class DecisionFilterForm(forms.Form):
    """GET filters of the decision list; the same query string drives the export."""

    status = forms.ChoiceField(label=_("Status"), required=False)
    article = forms.ChoiceField(label=_("Pasal tidak terpenuhi"), required=False)
    kecamatan = forms.ChoiceField(label=_("Kecamatan"), required=False)
    desa = forms.ChoiceField(label=_("Desa/kelurahan"), required=False)
    occupation = forms.ChoiceField(label=_("Kategori pekerjaan"), required=False)
    desil = forms.IntegerField(label=_("Desil"), required=False, min_value=1, max_value=10)
    priority = forms.ChoiceField(label=_("Prioritas"), required=False)
    search = forms.CharField(
        label=_("Cari nama atau awalan NIK"), required=False, max_length=100, strip=True
    )

    def __init__(
        self, *args: Any, choices: FilterChoices, desa_url: str = "", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = _with_blank(choices.status)
        self.fields["article"].choices = _with_blank(choices.article)
        self.fields["kecamatan"].choices = _with_blank(choices.kecamatan)
        kecamatan = str(self.data.get("kecamatan") or "") if self.is_bound else ""
        villages = villages_in(choices.desa, kecamatan=kecamatan)
        self.fields["desa"].choices = _with_blank(villages)
        desa = str(self.data.get("desa") or "") if self.is_bound else ""
        if desa and desa not in {code for code, _label in villages}:
            # A village left over from another kecamatan (no JavaScript to clear it) is
            # dropped rather than refused: the kecamatan just chosen is what the user meant.
            self.data = self.data.copy()
            self.data["desa"] = ""
        if desa_url:
            # htmx: choosing a kecamatan fetches that kecamatan's villages into the select.
            self.fields["kecamatan"].widget.attrs.update(
                {
                    "hx-get": desa_url,
                    "hx-trigger": "change",
                    "hx-target": "#id_desa",
                    "hx-swap": "innerHTML",
                }
            )
        self.fields["occupation"].choices = _with_blank(choices.occupation)
        self.fields["priority"].choices = _with_blank(choices.priority)

    def filters(self) -> DecisionFilters:
        """The valid filters; an invalid field is shown with its error and does not filter."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return DecisionFilters(
            status=data.get("status") or "",
            article=data.get("article") or "",
            kecamatan=data.get("kecamatan") or "",
            desa=data.get("desa") or "",
            occupation=data.get("occupation") or "",
            desil=data.get("desil"),
            priority=data.get("priority") or "",
            search=data.get("search") or "",
        )
