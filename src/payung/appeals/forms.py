"""Input of the appeal pages: the appeal with its evidence, and the answer.

Forms check the shape; the rules (the values as the extract would be read, four eyes, who
may appeal) are the services' and come back as their ValidationErrors, by field.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from payung.appeals.models import Appeal
from payung.appeals.selectors import CORRECTABLE
from payung.appeals.services import Correction

#: The form field of a correction's source document: ``<field>_sumber``.
SOURCE_SUFFIX = "_sumber"


class AppealForm(forms.Form):
    received_on = forms.DateField(
        label=_("Tanggal sanggahan diterima"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Isi tanggal sanggahan diterima.")},
    )
    channel = forms.ChoiceField(
        label=_("Saluran"),
        choices=Appeal.Channel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Pilih saluran sanggahan.")},
    )
    filed_by = forms.CharField(
        label=_("Diajukan oleh"),
        help_text=_("Yang bersangkutan, anggota keluarga atau petugas desa (nama dan hubungan)."),
        max_length=200,
        error_messages={"required": _("Sebutkan siapa yang mengajukan sanggahan.")},
    )
    grounds = forms.CharField(
        label=_("Alasan sanggahan"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("Tuliskan alasan sanggahan.")},
    )
    pekerjaan = forms.CharField(label=_("Pekerjaan yang benar"), required=False, max_length=120)
    pekerjaan_sumber = forms.CharField(label=_("Dokumen sumber"), required=False, max_length=200)
    desil = forms.CharField(label=_("Desil yang benar (1-10)"), required=False, max_length=4)
    desil_sumber = forms.CharField(label=_("Dokumen sumber"), required=False, max_length=200)
    kode_desa = forms.CharField(label=_("Kode desa domisili (KTP)"), required=False, max_length=20)
    kode_desa_sumber = forms.CharField(label=_("Dokumen sumber"), required=False, max_length=200)
    alamat = forms.CharField(label=_("Alamat domisili (KTP)"), required=False, max_length=300)
    alamat_sumber = forms.CharField(label=_("Dokumen sumber"), required=False, max_length=200)
    tanggal_lahir = forms.DateField(
        label=_("Tanggal lahir yang benar"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Tanggal lahir bukan tanggal yang sah.")},
    )
    tanggal_lahir_sumber = forms.CharField(
        label=_("Dokumen sumber"), required=False, max_length=200
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["received_on"].initial = timezone.localdate()

    def corrections(self) -> dict[str, Correction]:
        """The corrections filled in (a value or a source), for the service to judge."""
        data = self.cleaned_data
        out = {}
        for name in CORRECTABLE:
            value = data.get(name)
            value = value.isoformat() if hasattr(value, "isoformat") else (value or "")
            source = data.get(name + SOURCE_SUFFIX) or ""
            if value or source:
                out[name] = Correction(value=value, source=source)
        return out

    def correction_rows(self) -> list[tuple[Any, Any]]:
        """(value field, source field) pairs, for the template's grid."""
        return [(self[name], self[name + SOURCE_SUFFIX]) for name in CORRECTABLE]


class AnswerForm(forms.Form):
    answered_on = forms.DateField(
        label=_("Tanggal jawaban"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Isi tanggal jawaban.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["answered_on"].initial = timezone.localdate()
