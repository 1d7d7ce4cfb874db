"""Forms of the linkage pages: the upload of another funder's list, a decision on a match."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from payung.linkage.models import Funder
from payung.registry.models import PairDecision
from payung.registry.services import column_mapping_parse


class OtherListForm(forms.Form):
    source_name = forms.CharField(
        label=_("Nama daftar"),
        max_length=200,
        help_text=_("Misalnya: Peserta BPU yang iurannya dibayar APBD Provinsi, Oktober 2026."),
    )
    #: No default: a list filed under the wrong budget would be cited wrongly in every refusal.
    funder = forms.ChoiceField(
        label=_("Sumber dana iuran"), choices=[("", _("— pilih —")), *Funder.choices]
    )
    list_date = forms.DateField(
        label=_("Tanggal daftar"), widget=forms.DateInput(attrs={"type": "date"})
    )
    file = forms.FileField(
        label=_("Berkas daftar (XLSX, CSV, ODS atau Parquet)"),
        help_text=_(
            "Kolom yang dibaca: NIK, NAMA, TANGGAL_LAHIR, JENIS_KELAMIN, KODE_DESA, NO_KK. "
            "Daftar perlu NAMA dan NIK atau TANGGAL_LAHIR."
        ),
    )
    mapping = forms.CharField(
        label=_("Pemetaan kolom (jika judul kolom berbeda)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "columns:\n  Nama Peserta: NAMA"}),
    )

    def clean_mapping(self) -> dict[str, str]:
        text = self.cleaned_data.get("mapping", "").strip()
        if not text:
            return {}
        try:
            return column_mapping_parse(name=str(_("pemetaan kolom")), text=text)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from None


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[(PairDecision.CONFIRMED, ""), (PairDecision.REJECTED, "")],
        error_messages={"required": _("Pilih: orang yang sama, atau bukan.")},
    )
    note = forms.CharField(label=_("Catatan"), required=False, max_length=1000)
