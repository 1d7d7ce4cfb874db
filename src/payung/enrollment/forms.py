"""Input of the registration pages: BPJS's answer file with an optional column mapping, and
a branch's registration profile.

The service checks everything again; a form only says early, on its field, what is wrong.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Final

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from payung.enrollment.exchange import columns_parse, columns_text, mapping_parse
from payung.enrollment.models import RegistrationProfile

ANSWER_SUFFIXES: Final = (".xlsx", ".csv")


class AnswerUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas jawaban BPJS Ketenagakerjaan (XLSX atau CSV)"),
        help_text=_(
            "Satu baris per NIK: NIK, STATUS (DITERIMA/DITOLAK), KPJ, TANGGAL_MULAI, IURAN, ALASAN."
        ),
        error_messages={
            "required": _("Pilih berkas jawaban yang akan diunggah."),
            "empty": _("Berkas yang diunggah kosong."),
            "invalid": _("Kirim berkas, bukan teks."),
        },
    )
    mapping = forms.CharField(
        label=_("Pemetaan kolom (bila BPJS memakai nama kolom lain)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "NOMOR KPJ=KPJ"}),
        help_text=_("Satu baris per kolom: NAMA_KOLOM_BPJS=KOLOM, mis. NO KARTU=KPJ."),
    )

    def clean_file(self) -> Any:
        uploaded = self.cleaned_data["file"]
        if Path(uploaded.name).suffix.lower() not in ANSWER_SUFFIXES:
            raise ValidationError(_("Berkas jawaban harus XLSX atau CSV."), code="suffix")
        return uploaded

    def clean_mapping(self) -> str:
        text = self.cleaned_data.get("mapping") or ""
        _mapping, errors = mapping_parse(text)
        if errors:
            raise ValidationError(errors, code="mapping")
        return text


#: ``format_html`` evaluated when the form is shown (in the user's language), not at import.
_format_html_lazy = lazy(format_html, SafeString)


class ProfileForm(forms.Form):
    """A branch's collective registration format (docs/registration.md)."""

    name = forms.CharField(label=_("Nama profil"), max_length=120)
    branch_office = forms.CharField(
        label=_("Kantor cabang BPJS Ketenagakerjaan"), max_length=150, required=False
    )
    columns = forms.CharField(
        label=_("Kolom berkas (satu baris per kolom: JUDUL=isian atau JUDUL=isian:format)"),
        widget=forms.Textarea(attrs={"rows": 16}),
        # The names to type are codes (this is the file format's own vocabulary): shown as
        # code, not as words, so a reader sees they are typed exactly.
        help_text=_format_html_lazy(
            "{} <code>{}</code>. {}",
            _("Isian yang dapat dipakai:"),
            "no, nik, no_kk, nama, tempat_lahir, tanggal_lahir, jenis_kelamin, pekerjaan, "
            "alamat, kode_desa, desa, kecamatan, no_hp, jenis_kepesertaan, penghasilan, "
            "program, tanggal_mulai, kosong",
            _("Format tanggal: DD-MM-YYYY, DD/MM/YYYY atau YYYY-MM-DD."),
        ),
    )
    participation_type = forms.CharField(
        label=_("Kode jenis kepesertaan (wadah)"), max_length=10, initial="SG"
    )
    declared_income = forms.IntegerField(
        label=_("Penghasilan yang dilaporkan (rupiah)"), min_value=1, initial=1_000_000
    )
    kpj_min_length = forms.IntegerField(
        label=_("Panjang KPJ paling sedikit"), min_value=1, max_value=20, initial=10
    )
    kpj_max_length = forms.IntegerField(
        label=_("Panjang KPJ paling banyak"), min_value=1, max_value=20, initial=15
    )

    @classmethod
    def for_profile(cls, profile: RegistrationProfile) -> ProfileForm:
        return cls(
            initial={
                "name": profile.name,
                "branch_office": profile.branch_office,
                "columns": columns_text(profile.columns),
                "participation_type": profile.participation_type,
                "declared_income": profile.declared_income,
                "kpj_min_length": profile.kpj_min_length,
                "kpj_max_length": profile.kpj_max_length,
            }
        )

    def clean_columns(self) -> str:
        text = self.cleaned_data["columns"]
        _columns, errors = columns_parse(text)
        if errors:
            raise ValidationError(errors, code="columns")
        return text
