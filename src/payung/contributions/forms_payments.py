"""Input of the payment and reconciliation pages: an SP2D typed in, an SP2D file, BPJS's
invoice, and a decision on differences.

Forms check the shape of what is typed (a date, an integer amount written as people write
rupiah); the rules that need the bill or the database (what remains due, four eyes, a
duplicate SP2D) are the services' and come back as their Indonesian refusals.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Final

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from payung.contributions import payments, reconciliation
from payung.programmes.models import BudgetLine

FILE_SUFFIXES: Final = (".xlsx", ".csv")


class RupiahField(forms.CharField):
    """Integer rupiah as people type it: ``1008000``, ``1.008.000`` or ``Rp1.008.000``."""

    def to_python(self, value: Any) -> int | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        amount = payments.amount_parse(text)
        if amount is None:
            raise ValidationError(
                _("Tulis nilai dalam rupiah tanpa sen, misalnya 1.008.000."), code="amount"
            )
        return amount


class DateInput(forms.DateInput):
    input_type = "date"


class PaymentRecordForm(forms.Form):
    sp2d_number = forms.CharField(
        label=_("Nomor SP2D"),
        max_length=payments.SP2D_MAX,
        help_text=_("Seperti tertulis di SP2D, misalnya 35.19/04.0/000003/LS/…/M/2/2024."),
    )
    paid_on = forms.DateField(label=_("Tanggal SP2D"), widget=DateInput)
    amount = RupiahField(label=_("Nilai (rupiah)"))
    kind = forms.ChoiceField(
        label=_("Jenis SP2D"), choices=[(k, k) for k in payments.KINDS], initial="LS"
    )
    account_code = forms.CharField(label=_("Kode rekening belanja"), max_length=120, required=False)
    budget_line = forms.ModelChoiceField(
        label=_("Sumber dana"), queryset=BudgetLine.objects.none(), empty_label=None
    )
    note = forms.CharField(label=_("Keterangan"), max_length=500, required=False)
    explanation = forms.CharField(
        label=_("Penjelasan pembayaran sebagian"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Wajib bila nilai kurang dari sisa tagihan: mengapa, dan siapa menanggung."),
    )
    remainder_due_on = forms.DateField(
        label=_("Sisa dibayar paling lambat"),
        required=False,
        widget=DateInput,
        help_text=_("Wajib bila nilai kurang dari sisa tagihan."),
    )

    def __init__(self, *args: Any, programme_year: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["budget_line"]
        field.queryset = BudgetLine.objects.filter(programme_year=programme_year).order_by("source")
        field.label_from_instance = lambda line: line.get_source_display()


class _UploadForm(forms.Form):
    file = forms.FileField(
        error_messages={
            "required": _("Pilih berkas yang akan diunggah."),
            "empty": _("Berkas yang diunggah kosong."),
            "invalid": _("Kirim berkas, bukan teks."),
        },
    )
    COLUMNS: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for column in self.COLUMNS:
            self.fields[f"col_{column}"] = forms.CharField(
                label=_("Judul kolom untuk %(col)s") % {"col": column},
                required=False,
                max_length=80,
            )

    def clean_file(self) -> Any:
        uploaded = self.cleaned_data["file"]
        if Path(uploaded.name).suffix.lower() not in FILE_SUFFIXES:
            raise ValidationError(_("Berkas harus XLSX atau CSV."), code="suffix")
        return uploaded

    def mapping(self) -> dict[str, str]:
        """Canonical column -> the file's header, for the columns given."""
        return {
            c: self.cleaned_data[f"col_{c}"].strip()
            for c in self.COLUMNS
            if self.cleaned_data.get(f"col_{c}", "").strip()
        }


class Sp2dImportForm(_UploadForm):
    COLUMNS = payments.COLUMNS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].label = _("Berkas SP2D (XLSX atau CSV)")


class MonthField(forms.DateField):
    """A month typed as ``2026-01`` (the browser's month picker), as its first day."""

    widget = forms.DateInput(attrs={"type": "month"})
    input_formats = ["%Y-%m"]


class InvoiceUploadForm(_UploadForm):
    COLUMNS = reconciliation.REQUIRED

    first_month = MonthField(label=_("Bulan pertama"))
    last_month = MonthField(label=_("Bulan terakhir"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].label = _("Tagihan BPJS Ketenagakerjaan (XLSX atau CSV)")
        self.order_fields(["first_month", "last_month", "file"])


class DecisionForm(forms.Form):
    """A decision: one of the standard texts, or the officer's own words."""

    choice = forms.ChoiceField(
        label=_("Keputusan baku"),
        required=False,
        choices=[("", _("— pilih —")), *[(t, t) for t in reconciliation.STANDARD_DECISIONS]],
    )
    text = forms.CharField(
        label=_("atau tulis keputusan sendiri"),
        required=False,
        max_length=reconciliation.DECISION_MAX,
    )
    category = forms.ChoiceField(
        required=False,
        choices=[("", "")] + [(c, c) for c in reconciliation.DIFFERENCES],
        widget=forms.HiddenInput,
    )
    line = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        data["decision"] = reconciliation.decision_clean(
            choice=data.get("choice", ""), text=data.get("text", "")
        )
        if not data.get("category") and not data.get("line"):
            raise ValidationError(_("Pilih kategori selisih atau baris."), code="scope")
        return data
