"""Forms of the team's reports: recommendations, the signed copy, minutes, a monthly recap."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from payung.domain.calendar import MONTHS


class RecommendationsForm(forms.Form):
    """The team's recommendations (Pasal 12 ayat (3)); saving makes a new report version."""

    recommendations = forms.CharField(
        label=_("Rekomendasi tim"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "Pisahkan butir rekomendasi dengan baris kosong; setiap butir dicetak sebagai satu "
            "nomor. Menyimpan membuat versi baru; versi lama tetap tersimpan."
        ),
        error_messages={"required": _("Tuliskan rekomendasi tim sebelum menyimpan laporan.")},
    )


class SignedReportForm(forms.Form):
    scan = forms.FileField(
        label=_("Pindaian laporan yang telah ditandatangani (PDF)"),
        error_messages={
            "required": _("Unggah pindaian laporan yang telah ditandatangani (PDF)."),
            "empty": _("Berkas pindaian kosong."),
            "invalid": _("Kirim berkas PDF, bukan teks."),
        },
    )


class MinutesForm(forms.Form):
    """Berita acara/notulen rapat monitoring dan evaluasi (Pasal 10 ayat (2) huruf e-f)."""

    held_on = forms.DateField(
        label=_("Tanggal rapat"),
        input_formats=["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Tanggal rapat wajib diisi."),
            "invalid": _("Tanggal rapat tidak dikenali; tulis sebagai YYYY-MM-DD."),
        },
    )
    place = forms.CharField(
        label=_("Tempat"),
        max_length=200,
        error_messages={"required": _("Tempat rapat wajib diisi.")},
    )
    findings = forms.CharField(
        label=_("Hasil monitoring dan evaluasi"),
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Hasil monitoring dan evaluasi wajib diisi.")},
    )
    decisions = forms.CharField(
        label=_("Kesimpulan dan tindak lanjut"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Kesimpulan dan tindak lanjut wajib diisi.")},
    )


class RecapForm(forms.Form):
    month = forms.TypedChoiceField(
        label=_("Bulan"),
        coerce=int,
        choices=[(i, name) for i, name in enumerate(MONTHS, start=1)],
        error_messages={"required": _("Pilih bulan."), "invalid_choice": _("Pilih bulan.")},
    )
