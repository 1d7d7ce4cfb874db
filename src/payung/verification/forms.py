"""Input of the verification pages: Disdukcapil's answer file, and one answer on the page.

Corrections meet the rules every way of entering a person's data shares (``registry.fields``:
length, no control characters, a 16-digit KK, a readable birth date, L/P, a 10-digit village
code), checked here so a typo is reported on its field; the service checks them again, and
whether the corrected person is still eligible is its re-screening.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Final

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from payung.registry.fields import field_check, field_problem_text
from payung.verification.exchange import NOTE_MAX_LENGTH
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


def _optional(label: Any, **kwargs: Any) -> forms.CharField:
    """A correction field: optional, no length of its own (``registry.fields`` has the one
    limit every way of entering the data shares, and says it in the error)."""
    return forms.CharField(label=label, required=False, **kwargs)


class ItemRecordForm(forms.Form):
    """One candidate's answer. Corrections (DATA BERBEDA only) name just the fields that
    differ from what was sent; empty fields are left as they were. Each correction meets the
    rules of ``registry.fields`` (the DTSEN import's and the answer file's), reported on the
    field it concerns."""

    answer = forms.ChoiceField(
        label=_("Hasil verifikasi (HASIL)"),
        choices=[("", _("(pilih hasil)")), *Answer.choices],
        error_messages={
            "required": _("Pilih hasil verifikasi."),
            "invalid_choice": _("Hasil verifikasi tidak dikenal; pilih dari daftar."),
        },
    )
    no_kk = _optional(_("Nomor KK (NO_KK)"))
    nama = _optional(_("Nama (NAMA)"))
    tanggal_lahir = _optional(_("Tanggal lahir (TANGGAL_LAHIR)"), help_text=_("Format YYYY-MM-DD."))
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
    alamat = _optional(_("Alamat (ALAMAT)"))
    kode_desa = _optional(
        _("Kode desa (KODE_DESA)"), help_text=_("10 angka, titik boleh: 36.01.01.2001.")
    )
    note = _optional(_("Keterangan (KETERANGAN)"), widget=forms.Textarea(attrs={"rows": 2}))

    CORRECTABLE: Final = ("no_kk", "nama", "tanggal_lahir", "jenis_kelamin", "alamat", "kode_desa")

    def _correction(self, name: str) -> str:
        value = self.cleaned_data.get(name) or ""
        if not value:
            return ""
        checked = field_check(name=name, value=value)
        if checked.problems:
            raise ValidationError(
                [field_problem_text(p) for p in checked.problems], code=checked.problems[0].code
            )
        return checked.value

    def clean_no_kk(self) -> str:
        return self._correction("no_kk")

    def clean_nama(self) -> str:
        return self._correction("nama")

    def clean_tanggal_lahir(self) -> str:
        return self._correction("tanggal_lahir")

    def clean_jenis_kelamin(self) -> str:
        return self._correction("jenis_kelamin")

    def clean_alamat(self) -> str:
        return self._correction("alamat")

    def clean_kode_desa(self) -> str:
        return self._correction("kode_desa")

    def clean_note(self) -> str:
        value = " ".join((self.cleaned_data.get("note") or "").split())
        if len(value) > NOTE_MAX_LENGTH or field_check(name="note", value=value).problems:
            raise ValidationError(
                _("Paling panjang %(limit)s karakter, tanpa karakter kendali.")
                % {"limit": NOTE_MAX_LENGTH},
                code="note",
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
