"""Input of the decree page: a team member, and the record of a signed decree.

The forms check shapes and say what is wrong in Indonesian; the rules (one ketua, four
eyes, an unchanged list, a real PDF) are the services'.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from payung.programmes.models import TeamMember


def _required(message: Any) -> dict[str, Any]:
    return {
        "required": message,
        "max_length": _("Paling panjang %(limit_value)d karakter."),
    }


class TeamMemberForm(forms.Form):
    position = forms.ChoiceField(
        label=_("Kedudukan dalam tim"),
        choices=[("", _("(pilih kedudukan)")), *TeamMember.Position.choices],
        error_messages={
            "required": _("Pilih kedudukan dalam tim."),
            "invalid_choice": _("Kedudukan '%(value)s' tidak dikenal."),
        },
    )
    name = forms.CharField(
        label=_("Nama"), max_length=150, error_messages=_required(_("Nama wajib diisi."))
    )
    nip = forms.CharField(
        label=_("NIP"),
        max_length=30,
        required=False,
        error_messages=_required(""),
        help_text=_("Boleh dikosongkan untuk anggota yang bukan ASN."),
    )
    agency = forms.CharField(
        label=_("Unsur / perangkat daerah"),
        max_length=150,
        error_messages=_required(_("Unsur atau perangkat daerah wajib diisi.")),
    )
    jabatan = forms.CharField(
        label=_("Jabatan"), max_length=150, required=False, error_messages=_required("")
    )

    def clean_nip(self) -> str:
        value = "".join(self.cleaned_data["nip"].split())
        if value and not value.isdigit():
            raise forms.ValidationError(_("NIP hanya berisi angka."), code="nip")
        return value


class DecreeSignedForm(forms.Form):
    number = forms.CharField(
        label=_("Nomor keputusan"),
        max_length=120,
        error_messages=_required(_("Nomor keputusan wajib diisi.")),
    )
    signed_on = forms.DateField(
        label=_("Tanggal penetapan"),
        input_formats=["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Tanggal penetapan wajib diisi."),
            "invalid": _("Tanggal penetapan tidak dikenali; tulis sebagai YYYY-MM-DD."),
        },
    )
    signer_name = forms.CharField(
        label=_("Nama penanda tangan"),
        max_length=150,
        error_messages=_required(_("Nama penanda tangan wajib diisi.")),
    )
    scan = forms.FileField(
        label=_("Pindaian keputusan yang telah ditandatangani (PDF)"),
        error_messages={
            "required": _("Unggah pindaian keputusan yang telah ditandatangani (PDF)."),
            "empty": _("Berkas pindaian kosong."),
            "invalid": _("Kirim berkas PDF, bukan teks."),
        },
    )
