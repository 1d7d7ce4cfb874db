"""Input of the programme year's own records: the cooperation agreement with BPJS."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from payung.programmes.models import CooperationAgreement

_DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"]


def _date_field(label: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        input_formats=_DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class CooperationAgreementForm(forms.Form):
    """The PKS terms as printed on the signed agreement (Pasal 6 ayat (4)-(5), 9 ayat (3)).

    Only shapes are checked here; the rules between the dates are the service's, so the CLI
    and the page refuse the same agreements with the same sentences.
    """

    number = forms.CharField(label=_("Nomor PKS"), max_length=120, required=False)
    signed_on = _date_field(_("Tanggal PKS"))
    branch_office = forms.CharField(
        label=_("Kantor cabang BPJS Ketenagakerjaan"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "Kantor Cabang Pandeglang"}),
    )
    period_start = _date_field(_("Berlaku mulai"))
    period_end = _date_field(_("Berlaku sampai"))
    coverage_start = _date_field(_("Mulai kepesertaan yang disepakati"))
    billing_period = forms.ChoiceField(
        label=_("Periode tagihan iuran (Pasal 9 ayat (3))"),
        choices=CooperationAgreement.BillingPeriod.choices,
    )

    @classmethod
    def for_agreement(cls, agreement: CooperationAgreement | None) -> CooperationAgreementForm:
        """An unbound form holding the recorded terms, so an addendum edits what is there."""
        if agreement is None:
            return cls()
        return cls(
            initial={
                name: getattr(agreement, name)
                for name in (
                    "number",
                    "signed_on",
                    "branch_office",
                    "period_start",
                    "period_end",
                    "coverage_start",
                    "billing_period",
                )
            }
        )
