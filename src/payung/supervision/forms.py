"""Forms of the supervision pages; the services check what the forms cannot (the ladder's
order, the policy, the year of a visit)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from payung.supervision.ladder import BPJS_KINDS, REGENCY_KINDS
from payung.supervision.models import Employer, SanctionStep

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class EmployerForm(forms.Form):
    name = forms.CharField(label=_("Nama pemberi kerja"), max_length=200)
    nib = forms.CharField(
        label=_("NIB"), max_length=20, required=False, help_text=_("13 angka, bila ada.")
    )
    npwp = forms.CharField(
        label=_("NPWP"), max_length=25, required=False, help_text=_("15 atau 16 angka, bila ada.")
    )
    address = forms.CharField(label=_("Alamat"), max_length=300)
    village_code = forms.CharField(
        label=_("Kode desa/kelurahan"),
        max_length=13,
        help_text=_("Kode Kepmendagri 10 angka, misalnya 36.01.01.2001."),
    )
    sector = forms.CharField(label=_("Sektor usaha"), max_length=120)
    workers = forms.IntegerField(label=_("Jumlah pekerja"), min_value=0)

    @classmethod
    def for_employer(cls, employer: Employer) -> EmployerForm:
        return cls(
            initial={
                "name": employer.name,
                "nib": employer.nib,
                "npwp": employer.npwp,
                "address": employer.address,
                "village_code": employer.village_code,
                "sector": employer.sector,
                "workers": employer.workers,
            }
        )


class ReportForm(forms.Form):
    employer = forms.ModelChoiceField(
        label=_("Pemberi kerja"),
        queryset=Employer.objects.order_by("name"),
        empty_label=_("Pilih pemberi kerja"),
    )
    visited_on = forms.DateField(label=_("Tanggal kunjungan"), widget=_DATE)
    inspector = forms.CharField(label=_("Pengawas"), max_length=200)
    workers_found = forms.IntegerField(label=_("Pekerja yang ditemukan"), min_value=0)
    workers_unregistered = forms.IntegerField(
        label=_("Pekerja belum terdaftar BPJS Ketenagakerjaan"), min_value=0
    )
    findings = forms.CharField(
        label=_("Temuan"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )


class CaseForm(forms.Form):
    finding = forms.CharField(
        label=_("Temuan yang dikenai sanksi"),
        max_length=500,
        help_text=_("Misalnya: 12 pekerja belum didaftarkan; iuran 3 bulan belum dibayar."),
    )
    unpaid_contributions = forms.IntegerField(
        label=_("Iuran yang belum dibayar (rupiah)"), min_value=0, initial=0
    )


class StepForm(forms.Form):
    """One step of the ladder; the kinds offered are the user's (BPJS's or the regency's)."""

    kind = forms.ChoiceField(label=_("Langkah"))
    letter_number = forms.CharField(label=_("Nomor surat"), max_length=100, required=False)
    letter_date = forms.DateField(label=_("Tanggal surat"), widget=_DATE)
    note = forms.CharField(label=_("Catatan"), max_length=500, required=False)
    evidence = forms.FileField(
        label=_("Pindaian surat atau bukti (PDF)"),
        required=False,
        help_text=_("Disimpan dengan sidik jari SHA-256 sebagai bukti langkah ini."),
    )
    paid_proof = forms.BooleanField(
        label=_("Bukti pembayaran iuran telah diterima"), required=False
    )
    registered_proof = forms.BooleanField(
        label=_("Bukti pendaftaran seluruh pekerja telah diterima"), required=False
    )

    def __init__(self, *args: object, kinds: list[str], regency: bool, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        allowed = REGENCY_KINDS if regency else BPJS_KINDS
        self.fields["kind"].choices = [
            (k, SanctionStep.Kind(k).label) for k in kinds if k in allowed
        ]
        if not regency:
            del self.fields["paid_proof"]
            del self.fields["registered_proof"]
