"""Input of the verification pages: Disdukcapil's answer file, and one answer on the page.

The shapes the exchange format fixes (docs/verification.md: 16-digit KK, YYYY-MM-DD dates,
L/P, a 10-digit village code) are checked here so a typo is reported on the field; whether
the corrected person is still eligible is the service's re-screening.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any, Final

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from payung.verification.models import Answer

ANSWER_SUFFIXES: Final = (".xlsx", ".csv")


class AnswerUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas jawaban Disdukcapil (XLSX atau CSV)"),
        help_text=_("Berkas permintaan yang sama, dengan kolom HASIL terisi."),
        error_messages={
            "required": _("Pilih berkas jawaban yang akan diunggah."),
            "empty": _("Berkas yang diunggah kosong."),
            "invalid": _("Kirim berkas, bukan teks."),
        },
    )

    def clean_file(self) -> Any:
        uploaded = self.cleaned_data["file"]
        if Path(uploaded.name).suffix.lower() not in ANSWER_SUFFIXES:
            raise ValidationError(
                _("Berkas jawaban harus XLSX atau CSV (nama berkas: %(name)s).")
                % {"name": uploaded.name},
                code="suffix",
            )
        return uploaded


def _optional(label: Any, max_length: int = 200, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        error_messages={"max_length": _("Paling panjang %(limit_value)d karakter.")},
        **kwargs,
    )


class ItemRecordForm(forms.Form):
    """One candidate's answer. Corrections (DATA BERBEDA only) name just the fields that
    differ from what was sent; empty fields are left as they were."""

    answer = forms.ChoiceField(
        label=_("Hasil verifikasi (HASIL)"),
        choices=[("", _("(pilih hasil)")), *Answer.choices],
        error_messages={
            "required": _("Pilih hasil verifikasi."),
            "invalid_choice": _("Hasil verifikasi '%(value)s' tidak dikenal."),
        },
    )
    no_kk = _optional(_("Nomor KK (NO_KK)"), 40)
    nama = _optional(_("Nama (NAMA)"), 200)
    tanggal_lahir = _optional(
        _("Tanggal lahir (TANGGAL_LAHIR)"), 10, help_text=_("Format YYYY-MM-DD.")
    )
    jenis_kelamin = forms.ChoiceField(
        label=_("Jenis kelamin (JENIS_KELAMIN)"),
        required=False,
        choices=[
            ("", _("(tidak diperbaiki)")),
            ("L", _("L (laki-laki)")),
            ("P", _("P (perempuan)")),
        ],
        error_messages={"invalid_choice": _("Jenis kelamin harus L atau P.")},
    )
    alamat = _optional(_("Alamat (ALAMAT)"), 300)
    kode_desa = _optional(
        _("Kode desa (KODE_DESA)"), 20, help_text=_("10 angka, titik boleh: 36.01.01.2001.")
    )
    note = _optional(_("Keterangan (KETERANGAN)"), 300, widget=forms.Textarea(attrs={"rows": 2}))

    CORRECTABLE: Final = ("no_kk", "nama", "tanggal_lahir", "jenis_kelamin", "alamat", "kode_desa")

    def clean_no_kk(self) -> str:
        value = re.sub(r"\s", "", self.cleaned_data["no_kk"])
        if value and not re.fullmatch(r"\d{16}", value):
            raise ValidationError(_("Nomor KK harus 16 angka."), code="no_kk")
        return value

    def clean_tanggal_lahir(self) -> str:
        value = self.cleaned_data["tanggal_lahir"].strip()
        if not value:
            return ""
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                raise ValueError(value)
            date.fromisoformat(value)
        except ValueError:
            raise ValidationError(
                _("Tanggal lahir harus tanggal yang benar dengan format YYYY-MM-DD."),
                code="tanggal_lahir",
            ) from None
        return value

    def clean_kode_desa(self) -> str:
        value = self.cleaned_data["kode_desa"].strip()
        if value and not re.fullmatch(r"\d{10}", value.replace(".", "")):
            raise ValidationError(
                _("Kode desa harus 10 angka (titik boleh, misalnya 36.01.01.2001)."),
                code="kode_desa",
            )
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        answer = data.get("answer")
        filled = [f for f in self.CORRECTABLE if data.get(f)]
        if answer == Answer.DATA_BERBEDA and not filled and not self.errors:
            raise ValidationError(
                _("Untuk DATA BERBEDA isi paling sedikit satu data yang diperbaiki."),
                code="nothing",
            )
        if answer and answer != Answer.DATA_BERBEDA and filled:
            raise ValidationError(
                _(
                    "Perbaikan data hanya diisi untuk hasil DATA BERBEDA; kosongkan isian "
                    "perbaikan atau pilih DATA BERBEDA."
                ),
                code="not_different",
            )
        return data

    def corrected(self) -> dict[str, str]:
        return {f: self.cleaned_data[f] for f in self.CORRECTABLE if self.cleaned_data.get(f)}
