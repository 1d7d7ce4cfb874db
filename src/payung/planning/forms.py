"""The simulator's form: a programme year, a pagu, its growth and the coverage months."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from payung.engine import SimulationError, growth_parse
from payung.programmes.models import ProgrammeYear
from payung.registry.forms import RupiahField
from payung.wording import SIMULATION_ERRORS


class GrowthField(forms.CharField):
    """Percent a year as people type it (``5``, ``2,5``), kept exact (never a float)."""

    def to_python(self, value: Any) -> Any:
        text = super().to_python(value)
        if not text:
            return growth_parse("0")
        try:
            return growth_parse(text)
        except SimulationError as exc:
            raise ValidationError(SIMULATION_ERRORS[str(exc)], code=str(exc)) from None


class YearChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ProgrammeYear) -> str:
        return f"{obj.year} · {obj.region_name}"


class SimulationForm(forms.Form):
    programme_year = YearChoiceField(
        label=_("Tahun program"),
        queryset=ProgrammeYear.objects.order_by("-year", "-pk"),
        empty_label=None,
        help_text=_(
            "Yang memenuhi syarat diambil dari penyaringan tahun itu, menurut kebijakannya."
        ),
    )
    pagu = RupiahField(
        label=_("Pagu per tahun (rupiah)"),
        widget=forms.TextInput(attrs={"maxlength": 30, "inputmode": "numeric"}),
        help_text=_("Misalnya 1.008.000.000."),
    )
    growth = GrowthField(
        label=_("Pertumbuhan pagu per tahun (%)"),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": 8, "inputmode": "decimal"}),
        help_text=_("0 untuk pagu tetap; misalnya 5 atau 2,5."),
    )
    months = forms.IntegerField(
        label=_("Bulan kepesertaan"),
        min_value=1,
        max_value=12,
        help_text=_("Bulan yang dibiayai dalam setahun, sampai akhir tahun (Pasal 9)."),
    )
