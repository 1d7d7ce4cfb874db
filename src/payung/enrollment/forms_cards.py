"""Input of the card, register and roster pages (Pasal 8 ayat (4)-(5)).

Forms check shapes (a date, a choice, a file's suffix); the services check the rules
(delivery after receipt, dates not in the future, rows of a roster) and say why in Indonesian.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Final

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from payung.enrollment.models import Card, RegistrationBatch

ROSTER_SUFFIXES: Final = (".xlsx", ".csv")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class CardsReceiveForm(forms.Form):
    """The cards of one registration batch, received from BPJS on one day."""

    batch = forms.ModelChoiceField(
        label=_("Tahap pendaftaran"),
        queryset=RegistrationBatch.objects.none(),
        empty_label=None,
        error_messages={"required": _("Pilih tahap pendaftaran.")},
    )
    received_on = forms.DateField(
        label=_("Tanggal kartu diterima dari BPJS"),
        widget=DateInput(),
        error_messages={
            "required": _("Isi tanggal kartu diterima."),
            "invalid": _("Tanggal tidak sah."),
        },
    )

    def __init__(self, *args: Any, batches: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["batch"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = batches
        field.label_from_instance = lambda b: _("Tahap %(n)s") % {"n": b.number}


class CardDeliverForm(forms.Form):
    delivered_on = forms.DateField(
        label=_("Tanggal kartu diserahkan"),
        widget=DateInput(),
        error_messages={
            "required": _("Isi tanggal kartu diserahkan."),
            "invalid": _("Tanggal tidak sah."),
        },
    )
    channel = forms.ChoiceField(
        label=_("Diserahkan melalui"),
        choices=Card.Channel.choices,
        error_messages={"required": _("Pilih melalui siapa kartu diserahkan.")},
    )
    delivered_by = forms.CharField(
        label=_("Nama petugas yang menyerahkan"),
        max_length=150,
        error_messages={"required": _("Tulis nama petugas yang menyerahkan kartu.")},
    )


class CardFilterForm(forms.Form):
    """Region codes only (never personal data), so the filter may sit in the URL."""

    kecamatan = forms.RegexField(regex=r"^\d{6}$", required=False)
    desa = forms.RegexField(regex=r"^\d{10}$", required=False)


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas data peserta lama (XLSX atau CSV)"),
        help_text=_(
            "Kolom wajib: NIK, KPJ, NAMA, TANGGAL_MULAI; boleh ditambah TANGGAL_BERAKHIR, "
            "ALASAN_BERAKHIR dan kolom DTSEN (NO_KK, JENIS_KELAMIN, TANGGAL_LAHIR, PEKERJAAN, "
            "ALAMAT, KODE_DESA, ...)."
        ),
        error_messages={
            "required": _("Pilih berkas data peserta lama yang akan diunggah."),
            "empty": _("Berkas yang diunggah kosong."),
            "invalid": _("Kirim berkas, bukan teks."),
        },
    )

    def clean_file(self) -> Any:
        uploaded = self.cleaned_data["file"]
        if Path(uploaded.name).suffix.lower() not in ROSTER_SUFFIXES:
            raise ValidationError(_("Berkas data peserta lama harus XLSX atau CSV."), code="suffix")
        return uploaded
