"""The policy comparison page (issue 15): what changes if the year's regulation changes.

The team compares the year's pinned policy with a shipped one (another regency's, a newer
version) or with an edited copy of its own (e.g. Desil I to V), on the extract a screening
run read: rules side by side with their articles, a from-status → to-status table by rule,
and the changed rows with the NIK masked for those who may see decisions per person. It
lives in ``screening`` because it needs the run's import (``registry``), which the
``programmes`` layer may not read.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from payung.core.models import JobStatus
from payung.core.viewtools import requires
from payung.domain.policy import PolicyError, policy_get, policy_parse
from payung.programmes.models import ProgrammeYear
from payung.screening.models import ScreeningRun
from payung.screening.policy_compare import policy_compare, policy_compare_choices

VIEW_RUN = "screening.view_screeningrun"
#: Status words as the team reads them (the engine keeps the codes).
STATUS_WORDS = {
    "eligible": gettext_lazy("memenuhi syarat"),
    "selected": gettext_lazy("terpilih"),
    "waitlisted": gettext_lazy("daftar tunggu"),
    "ineligible": gettext_lazy("tidak memenuhi syarat"),
    "invalid": gettext_lazy("data tidak sah"),
}
VIEW_DECISION = "screening.view_person_decision"
#: An edited policy is a page of YAML; anything larger is not one.
VARIANT_MAX_BYTES = 256 * 1024


class PolicyCompareForm(forms.Form):
    """Policy B: a shipped one, or the year's own text as edited here."""

    basis = forms.ChoiceField(
        label=gettext_lazy("Bandingkan dengan"),
        choices=[
            ("shipped", gettext_lazy("kebijakan yang tersedia")),
            ("edited", gettext_lazy("salinan kebijakan tahun ini yang diubah")),
        ],
        widget=forms.RadioSelect,
        initial="shipped",
    )
    other = forms.ChoiceField(label=gettext_lazy("Kebijakan"), required=False, choices=[])
    text = forms.CharField(
        label=gettext_lazy("Teks kebijakan (YAML) yang diubah"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 16, "spellcheck": "false"}),
        max_length=VARIANT_MAX_BYTES,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["other"].choices = policy_compare_choices()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("basis") == "edited":
            text = data.get("text") or ""
            if not text.strip():
                self.add_error("text", _("Tempelkan atau ubah teks kebijakan."))
                return data
            try:
                data["policy"] = policy_parse(text, source=_("teks yang diubah"))
            except PolicyError as exc:
                for problem in exc.problems:
                    self.add_error("text", problem.describe(_("teks yang diubah")))
        elif data.get("basis") == "shipped":
            if not data.get("other"):
                self.add_error("other", _("Pilih kebijakan pembanding."))
            else:
                data["policy"] = policy_get(data["other"])
        return data


@require_http_methods(["GET", "POST"])
@requires(VIEW_RUN)
def policy_compare_view(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(
        ScreeningRun.objects.select_related("programme_year", "dtsen_import"),
        pk=pk,
        status=JobStatus.DONE,
    )
    year: ProgrammeYear = run.programme_year
    comparison = None
    if request.method == "POST":
        form = PolicyCompareForm(request.POST)
        if form.is_valid():
            comparison = policy_compare(run=run, other=form.cleaned_data["policy"])
    else:
        form = PolicyCompareForm(initial={"text": year.policy_text, "basis": "shipped"})
    moves: list[dict[str, Any]] = []
    by_rule: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    if comparison is not None:
        by_rule = [
            {
                "a": STATUS_WORDS.get(c.status_a, c.status_a),
                "b": STATUS_WORDS.get(c.status_b, c.status_b),
                "article": c.article,
                "n": c.count,
            }
            for c in comparison.diff.status_changes
        ]
        changed = [
            {
                "row": r.row,
                "nik": r.nik_masked,
                "a": STATUS_WORDS.get(r.status_a, r.status_a),
                "b": STATUS_WORDS.get(r.status_b, r.status_b),
                "reasons_a": r.reasons_a,
                "reasons_b": r.reasons_b,
            }
            for r in comparison.changed
        ]
        moves = [
            {"a": STATUS_WORDS.get(a, a), "b": STATUS_WORDS.get(b, b), "n": n}
            for (a, b), n in comparison.diff.moves.items()
        ]
    context = {
        "run": run,
        "year": year,
        "form": form,
        "comparison": comparison,
        "moves": moves,
        "by_rule": by_rule,
        "changed": changed,
        "show_rows": request.user.has_perm(VIEW_DECISION),
    }
    return render(request, "screening/policy_compare.html", context)
