"""Filters for screening pages: statuses, occupations and reasons in words (place names are
the ``payung`` library's)."""

from __future__ import annotations

import re
from typing import Any

from django import template
from django.template.defaulttags import CsrfTokenNode
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from payung import wording
from payung.domain import nik
from payung.domain.policy import Policy
from payung.screening import labels, selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def nik_masked(context: template.Context, decision: Any) -> SafeString:
    """A decision's NIK masked, and for a role that may see it whole the button that shows
    it (``screening:reveal_nik``, audited). Never put inside a paragraph: its form would
    close the paragraph and the button would leave its ``.nik``.

    A tag rather than an included template: the decision list shows fifty, and fifty
    includes, each with two URLs, the CSRF field and two translations, cost about a fifth of
    the list's rendering (issue 16).
    """
    masked = nik.mask(decision.nik or "")
    perms = context.get("perms")
    if not perms or "screening.view_unmasked_nik" not in perms:
        return format_html('<span class="nik">{}</span>\n', masked)
    url = reverse("screening:reveal_nik", args=[decision.pk])
    return format_html(
        '<span class="nik">{}\n<form method="post" action="{}" hx-post="{}" '
        'hx-target="closest .nik" hx-swap="outerHTML" data-submit-on-error class="inline-form">{}'
        '<button type="submit" class="secondary outline" title="{}">{}</button></form></span>\n',
        masked,
        url,
        url,
        CsrfTokenNode().render(context),  # what ``{% csrf_token %}`` writes
        _("Tampilkan NIK lengkap (tercatat di jejak audit)"),
        _("Lihat"),
    )


@register.filter
def status_label(code: str) -> str:
    return labels.status_label(code)


@register.filter
def occupation_label(key: str, policy: Policy) -> str:
    """The Pasal 5 ayat (1) category with its letter, as the regulation lists it (``a. petani``)."""
    category = policy.occupations.categories.get(key)
    return f"{category.letter}. {category.label}" if category else ""


@register.filter
def reason_text(code: str, policy: Policy) -> str:
    """A rule id as its article, a data-quality code as its sentence."""
    return selectors.reason_text(policy, code)


@register.filter
def reason_label(code: str) -> str:
    """What a list cell shows for a reason: an article id as itself (``5(2)b``), a data-quality
    code as the opening words of its sentence ("NIK rusak oleh Excel"), never the code."""
    if code[:1].isdigit():
        return code
    return re.split(r":|\. | \(", wording.describe(code), maxsplit=1)[0].rstrip(". ")


@register.filter
def reasons_shown(value: str | None, policy: Policy) -> list[str]:
    """Failed rules in the regulation's order a-f, with the deemed 5(2)c beside its 5(2)d."""
    return selectors.reasons_shown(policy, value)


@register.simple_tag
def status_count(mapping: dict[str, int], key: str) -> int:
    return mapping.get(key, 0)
