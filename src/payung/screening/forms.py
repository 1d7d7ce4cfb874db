"""Input of the screening pages: the start request and the decision-list filters."""

from __future__ import annotations

from html import escape
from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.choices import BaseChoiceIterator
from django.utils.html import format_html
from django.utils.safestring import mark_safe
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


class PlainSelect(forms.Select):
    """A ``<select>`` whose options are written in one pass instead of one template each.

    The decision list offers every village of the regency (about 340) and every kecamatan;
    through Django's option template they cost most of the page's time (issue 16). Same
    HTML: the field's attributes, each option escaped, the chosen one ``selected``.
    """

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> str:
        final = self.build_attrs(self.attrs, attrs)
        final.pop("name", None)
        chosen = {str(v) for v in self.format_value(value)}
        # Escaped as Django's ``escape`` escapes (its codes and labels are plain text, never
        # already-safe HTML), without its per-call formatting and wrapping: 340 options cost
        # 10 ms through ``format_html_join``, 2-3 ms through ``conditional_escape``.
        options = mark_safe(
            "".join(
                f'<option value="{escape(str(code))}"'
                f"{' selected' if str(code) in chosen else ''}>{escape(str(label))}"
                "</option>"
                for code, label in self.choices
            )
        )
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(final), options)


class Pairs(BaseChoiceIterator):
    """Choices already in Django's form, (value, label) pairs, taken as they are.

    A plain list is normalised again by the field and by its widget on every form, pair by
    pair: about 2 300 calls for the regency's villages on each decision-list view (issue
    16). Django returns a ``BaseChoiceIterator`` unchanged.
    """

    def __init__(self, pairs: list[tuple[str, Any]]) -> None:
        self.pairs = pairs

    def __iter__(self) -> Any:
        return iter(self.pairs)


def _with_blank(choices: list[tuple[str, str]]) -> Pairs:
    return Pairs([("", _("(semua)")), *choices])


class DecisionFilterForm(forms.Form):
    """GET filters of the decision list; the same query string drives the export."""

    status = forms.ChoiceField(label=_("Status"), required=False, widget=PlainSelect)
    article = forms.ChoiceField(
        label=_("Pasal tidak terpenuhi"), required=False, widget=PlainSelect
    )
    kecamatan = forms.ChoiceField(label=_("Kecamatan"), required=False, widget=PlainSelect)
    desa = forms.ChoiceField(label=_("Desa/kelurahan"), required=False, widget=PlainSelect)
    occupation = forms.ChoiceField(
        label=_("Kategori pekerjaan"), required=False, widget=PlainSelect
    )
    desil = forms.IntegerField(label=_("Desil"), required=False, min_value=1, max_value=10)
    priority = forms.ChoiceField(label=_("Prioritas"), required=False, widget=PlainSelect)
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
