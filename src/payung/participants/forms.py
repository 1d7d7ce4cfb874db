"""Input of the proposal pages: creating a proposal, filtering candidates, an exclusion.

Forms check the shape of the input and say what is wrong in Indonesian; the rules (quota,
four eyes, states) are the services' and come back as their ValidationErrors.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from payung.participants.models import CandidateState
from payung.participants.services import MIN_REASON_LENGTH
from payung.screening.models import ScreeningRun


class RunChoiceField(forms.ModelChoiceField):
    """A screening run as the operator recognises it: number, file, pagu and quota."""

    def label_from_instance(self, obj: ScreeningRun) -> str:
        return _("Penyaringan nomor %(pk)s · %(file)s · kuota %(quota)s orang") % {
            "pk": obj.pk,
            "file": obj.dtsen_import.file_name,
            "quota": obj.quota if obj.quota is not None else "—",
        }


class ProposalCreateForm(forms.Form):
    run = RunChoiceField(
        label=_("Hasil penyaringan"),
        queryset=ScreeningRun.objects.none(),
        empty_label=None,
        error_messages={
            "required": _("Pilih hasil penyaringan yang diusulkan."),
            "invalid_choice": _(
                "Hasil penyaringan itu tidak ada atau belum selesai dengan pagu; pilih yang lain."
            ),
        },
    )
    place = forms.CharField(
        label=_("Tempat penandatanganan berita acara"),
        max_length=120,
        help_text=_("Misalnya: Pandeglang."),
        error_messages={
            "required": _("Tempat berita acara wajib diisi."),
            "max_length": _("Tempat paling panjang %(limit_value)d karakter."),
        },
    )

    def __init__(self, *args: Any, runs: QuerySet[ScreeningRun], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["run"].queryset = runs


class CandidateFilterForm(forms.Form):
    """GET filter of the candidate list; an unknown state is reported and does not filter."""

    state = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("(semua)")), *CandidateState.choices],
        error_messages={"invalid_choice": _("Status '%(value)s' tidak dikenal.")},
    )

    def state_filter(self) -> str:
        return self.cleaned_data.get("state", "") if self.is_valid() else ""


class ExcludeForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan pengecualian"),
        widget=forms.Textarea(attrs={"rows": 2}),
        min_length=MIN_REASON_LENGTH,
        max_length=1000,
        error_messages={
            "required": _("Tuliskan alasan pengecualian."),
            "min_length": _(
                "Tuliskan alasan pengecualian (paling sedikit %(limit_value)d karakter)."
            ),
            "max_length": _("Alasan paling panjang %(limit_value)d karakter."),
        },
    )
