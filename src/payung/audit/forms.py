"""The audit trail's filters: who, which action, which days (WIB)."""

from __future__ import annotations

from typing import Any, Final

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from payung.audit.labels import action_label

#: The user filter's value for entries no user wrote (failed logins, background jobs).
SYSTEM: Final[str] = "-"


class AuditFilterForm(forms.Form):
    """Bound to the query string; the choices are what the trail holds, worded."""

    user = forms.ChoiceField(label=gettext_lazy("Pengguna"), required=False)
    action = forms.ChoiceField(label=gettext_lazy("Tindakan"), required=False)
    dari = forms.DateField(
        label=gettext_lazy("Dari tanggal"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    sampai = forms.DateField(
        label=gettext_lazy("Sampai tanggal"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args: Any, usernames: list[str], actions: list[str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [
            ("", _("Semua pengguna")),
            (SYSTEM, _("Sistem (tanpa pengguna)")),
            *[(u, u) for u in usernames if u],
        ]
        labelled = sorted(((a, action_label(code=a)) for a in actions), key=lambda c: c[1])
        self.fields["action"].choices = [("", _("Semua tindakan")), *labelled]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("dari"), data.get("sampai")
        if start and end and start > end:
            self.add_error("sampai", _("Tanggal akhir tidak boleh sebelum tanggal awal."))
        return data
