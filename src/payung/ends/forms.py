"""Input of the ends pages: one participant's end with its evidence, and a file upload.

The form parses (dates, choices); the rules (date inside the year, not before cover start,
not in the future, the evidence each reason needs) are ``services.participation_end_record``'s
and come back onto the fields they concern.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from payung.ends.models import EndImport
from payung.ends.services import MANUAL_REASONS, EndEvidence
from payung.participants.models import EndReason


def _date(label: Any, *, required: bool = False) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Isi tanggal berakhir."),
            "invalid": _("Tulis tanggal sebagai TTTT-BB-HH."),
        },
    )


class EndForm(forms.Form):
    on = _date(_("Tanggal berakhir (hari terakhir ditanggung)"), required=True)
    reason_code = forms.ChoiceField(
        label=_("Alasan"),
        widget=forms.RadioSelect,
        choices=[(code, EndReason(code).label) for code in MANUAL_REASONS],
        error_messages={
            "required": _("Pilih alasan berakhirnya kepesertaan."),
            "invalid_choice": _("Pilih alasan berakhirnya kepesertaan."),
        },
    )
    death_source = forms.ChoiceField(
        label=_("Kematian dilaporkan oleh"),
        required=False,
        widget=forms.RadioSelect,
        choices=[
            ("akta", _("Keluarga, dengan akta kematian")),
            ("lain", _("Sumber lain (kepala desa, rumah sakit, ...)")),
        ],
    )
    akta_number = forms.CharField(label=_("Nomor akta kematian"), required=False, max_length=120)
    akta_date = _date(_("Tanggal akta kematian"))
    other_source = forms.CharField(label=_("Sumber laporan"), required=False, max_length=120)
    letter_number = forms.CharField(
        label=_("Nomor surat atau pemberitahuan pindah Disdukcapil"), required=False, max_length=120
    )
    failed_rules = forms.MultipleChoiceField(
        label=_("Pasal yang tidak lagi terpenuhi"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    letter_date = _date(_("Tanggal surat pengunduran diri"))

    def __init__(self, *args: Any, rules: list[tuple[str, str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["failed_rules"].choices = [
            (rule_id, f"{article}: {sentence}") for rule_id, article, sentence in rules
        ]
        self.fields["akta_date"].error_messages["invalid"] = _("Tulis tanggal sebagai TTTT-BB-HH.")

    def evidence(self) -> EndEvidence:
        data = self.cleaned_data
        return EndEvidence(
            death_source=data.get("death_source") or "",
            akta_number=data.get("akta_number") or "",
            akta_date=data.get("akta_date"),
            other_source=data.get("other_source") or "",
            letter_number=data.get("letter_number") or "",
            failed_rules=tuple(data.get("failed_rules") or ()),
            letter_date=data.get("letter_date"),
        )


class EndImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Jenis berkas"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Pilih jenis berkas.")},
    )
    file = forms.FileField(
        label=_("Berkas (CSV atau XLSX)"),
        error_messages={"required": _("Pilih berkas yang akan diunggah.")},
    )

    def __init__(self, *args: Any, kinds: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(EndImport.Kind.choices)
        self.fields["kind"].choices = [(k, labels[k]) for k in kinds]
        if len(kinds) == 1:
            self.fields["kind"].initial = kinds[0]
