"""Input of the contributions page: the period of the next bill.

Months are offered as choices (``Januari 2026`` ... ``Desember 2026``) rather than typed, so
the form works on a phone and can name only months of the programme year; the rules (no
month billed twice, something to bill) are ``services.bill_issue``'s.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from payung.contributions.selectors import month_label


def _month_choices(year: int) -> list[tuple[str, str]]:
    return [(date(year, m, 1).isoformat(), month_label(date(year, m, 1))) for m in range(1, 13)]


class BillIssueForm(forms.Form):
    first_month = forms.TypedChoiceField(
        label=_("Bulan pertama"),
        coerce=date.fromisoformat,
        error_messages={
            "required": _("Pilih bulan pertama tagihan."),
            "invalid_choice": _("Pilih bulan di dalam tahun program."),
        },
    )
    last_month = forms.TypedChoiceField(
        label=_("Bulan terakhir"),
        coerce=date.fromisoformat,
        help_text=_("Sesuai periode tagihan dalam perjanjian kerja sama (PKS) dengan BPJS."),
        error_messages={
            "required": _("Pilih bulan terakhir tagihan."),
            "invalid_choice": _("Pilih bulan di dalam tahun program."),
        },
    )

    def __init__(self, *args: Any, year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = _month_choices(year)
        self.fields["first_month"].choices = choices
        self.fields["last_month"].choices = choices

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        first, last = data.get("first_month"), data.get("last_month")
        if first and last and last < first:
            self.add_error("last_month", _("Bulan terakhir tidak boleh sebelum bulan pertama."))
        return data
