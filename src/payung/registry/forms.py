"""Input of the pendataan pages: a new programme year, and an extract upload."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from payung.domain.money import ensure_rupiah
from payung.domain.policy import PolicyError, policy_get, shipped_ids
from payung.programmes.models import BudgetLine
from payung.programmes.selectors import programme_year_carry_over_offer
from payung.registry import selectors, services

_DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"]


def _policy_choices() -> list[tuple[str, str]]:
    """Shipped policies, labelled with the regulation's short title and version."""
    choices = []
    for policy_id in shipped_ids():
        try:
            policy = policy_get(policy_id)
        except PolicyError:
            continue
        choices.append((policy_id, f"{policy.short_title} (versi {policy.version})"))
    return choices


def _next_year() -> int:
    return timezone.localdate().year + 1


class RupiahField(forms.CharField):
    """Whole rupiah typed as people write them: 1008000000, 1.008.000.000, Rp1.008.000.000."""

    def to_python(self, value: Any) -> int | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        try:
            amount = ensure_rupiah(text)
        except ValueError:
            # The domain's examples are iuran-sized (16800); a pagu is a budget line of
            # Pasal 13, so the examples are of that size (issue 9, defect 7).
            raise ValidationError(
                _(
                    "Format rupiah tidak dikenali. Tulis pagu sebagai bilangan bulat rupiah, "
                    "mis. 1008000000, 1.008.000.000, atau Rp1.008.000.000."
                ),
                code="rupiah",
            ) from None
        if amount < 0:
            raise ValidationError(_("Pagu tidak boleh negatif."), code="negative")
        return amount


class ProgrammeYearForm(forms.Form):
    """A Tahun Anggaran: policy, as-of date, months and the pagu of each source (Pasal 13)."""

    year = forms.IntegerField(
        label=_("Tahun anggaran"), min_value=2000, max_value=2100, initial=_next_year
    )
    policy_id = forms.ChoiceField(label=_("Kebijakan (peraturan)"), choices=_policy_choices)
    as_of = forms.DateField(
        label=_("Tanggal acuan usia"),
        help_text=_("Usia dihitung pada tanggal ini (Pasal 5 ayat (2) huruf b)."),
        input_formats=_DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    coverage_months = forms.IntegerField(
        label=_("Bulan kepesertaan"), min_value=1, max_value=12, initial=12
    )
    pagu_apbd = RupiahField(
        label=_("Pagu APBD Kabupaten"),
        widget=forms.TextInput(attrs={"placeholder": "Rp1.008.000.000", "inputmode": "numeric"}),
    )
    pagu_lainnya = RupiahField(
        label=_("Pagu sumber lain yang sah dan tidak mengikat"),
        required=False,
        help_text=_("Kosongkan bila tidak ada (Pasal 13)."),
        widget=forms.TextInput(attrs={"placeholder": "Rp0", "inputmode": "numeric"}),
    )

    carry_over = forms.BooleanField(
        required=False,
        initial=True,
        help_text=_(
            "Peserta tahun sebelumnya disaring ulang dengan data DTSEN tahun baru; yang masih "
            "memenuhi syarat tetap memakai nomor KPJ-nya dan didahulukan dalam peringkat bila "
            "kebijakan menetapkannya. Yang tidak lagi memenuhi syarat berakhir 31 Desember."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Offer carry-over only when a year with participants has no next year yet
        (issue 12): checked by default, labelled with that year."""
        super().__init__(*args, **kwargs)
        offer = programme_year_carry_over_offer()
        if offer is None:
            del self.fields["carry_over"]
            return
        self.fields["carry_over"].label = _("Lanjutkan peserta aktif tahun %(year)s") % {
            "year": offer.year
        }
        self.fields["year"].initial = offer.year + 1

    def budgets(self) -> dict[str, int]:
        """One amount per source; an empty 'other' source is a line of Rp0."""
        return {
            BudgetLine.Source.APBD: self.cleaned_data["pagu_apbd"],
            BudgetLine.Source.OTHER: self.cleaned_data.get("pagu_lainnya") or 0,
        }


class ImportForm(forms.Form):
    """An extract, and optionally the mapping of its headers: a saved one or a pasted one."""

    file = forms.FileField(
        label=_("Berkas ekstrak DTSEN"),
        help_text=_("CSV, Excel (.xlsx) atau Parquet."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.parquet"}),
    )
    mapping = forms.ModelChoiceField(
        label=_("Pemetaan kolom tersimpan"),
        queryset=selectors.column_mapping_profile_list(),
        required=False,
        empty_label=_("(tanpa pemetaan: judul kolom baku DTSEN)"),
    )
    mapping_name = forms.CharField(
        label=_("Nama sumber data untuk pemetaan baru"), required=False, max_length=120
    )
    mapping_text = forms.CharField(
        label=_("Pemetaan kolom baru (YAML)"),
        required=False,
        widget=forms.Textarea(
            attrs={
                "rows": 4,
                "placeholder": 'columns:\n  "No Induk": NIK\n  "Tgl Lhr": TANGGAL_LAHIR',
            }
        ),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        text = (data.get("mapping_text") or "").strip()
        if not text:
            return data
        if data.get("mapping") is not None:
            raise ValidationError(
                _("Pilih pemetaan tersimpan atau tulis pemetaan baru, jangan keduanya.")
            )
        name = (data.get("mapping_name") or "").strip()
        if not name:
            self.add_error(
                "mapping_name", _("Beri nama sumber data agar pemetaan dapat dipakai lagi.")
            )
            return data
        try:
            services.column_mapping_parse(name=name, text=text)
        except ValidationError as exc:
            self.add_error("mapping_text", exc)
        return data
