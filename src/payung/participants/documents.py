"""The Berita Acara Hasil Pendataan (Pasal 10 ayat (2) huruf c) of a proposal.

Built from the proposal, its screening run's counts and the team, as a ``BeritaAcaraContext``
for the DOCX template the legal division edits and the PDF. The candidate list is annexed
with NIKs masked: the berita acara is printed and passed between agencies.
"""

from __future__ import annotations

import base64
from collections import Counter
from datetime import date
from typing import Any

from django.utils import timezone

from payung.core.charts import Chart
from payung.core.formatting import tanggal
from payung.core.places import kecamatan_name, village_name
from payung.documents.contexts import (
    AnnexRow,
    BeritaAcaraContext,
    ChartFigure,
    CountRow,
    TeamRow,
)
from payung.documents.render import docx_render, pdf_render
from payung.documents.services import subject_pk
from payung.domain import nik as nik_domain
from payung.domain import wilayah
from payung.domain.money import rupiah, terbilang_rupiah
from payung.domain.policy import SCREENING_SECTIONS, policy_assumption_lines
from payung.participants import chart_selectors
from payung.participants.models import PLACE_HOLDING, Proposal
from payung.programmes.selectors import programme_year_policy, team_member_list
from payung.screening.labels import status_label

DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")


def date_long(day: date, *, weekday: bool = False) -> str:
    """``Selasa, 24 November 2026`` (or without the weekday), as official letters write it."""
    text = tanggal(day)
    return f"{DAYS[day.weekday()]}, {text}" if weekday else text


def display_name(user: Any) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username


def annex_rows(candidates: Any, *, masked: bool) -> list[AnnexRow]:
    """Candidates as annex lines, with Disdukcapil's corrections applied (the corrected name
    and village are the ones a decree must carry)."""
    rows = []
    for no, c in enumerate(candidates, start=1):
        person = c.person
        fields = {
            "nama": person.nama,
            "kode_desa": person.kode_desa,
            **{k: v for k, v in c.corrected.items() if k in ("nama", "kode_desa")},
        }
        code = "".join(ch for ch in fields["kode_desa"] if ch.isdigit())
        rows.append(
            AnnexRow(
                no=no,
                nama=fields["nama"],
                nik=nik_domain.mask(c.nik) if masked else c.nik,
                pekerjaan=person.pekerjaan,
                desa=village_name(code) or code,
                kecamatan=kecamatan_name(wilayah.kecamatan_code(code)),
                rank=c.rank,
            )
        )
    return rows


def team_rows(programme_year: Any) -> list[TeamRow]:
    return [
        TeamRow(
            no=i,
            position=m.get_position_display(),
            name=m.name,
            agency=m.agency,
            jabatan=m.jabatan,
        )
        for i, m in enumerate(team_member_list(programme_year=programme_year), start=1)
    ]


def berita_acara_context(proposal: Proposal) -> BeritaAcaraContext:
    run = proposal.screening_run
    year = proposal.programme_year
    policy = programme_year_policy(programme_year=year)
    counts = run.counts or {}
    totals = [
        CountRow(label=status_label(s), count=n)
        for s, n in counts.get("by_status", {}).items()
        if n  # with a pagu nobody is plain "eligible": they are selected or waitlisted
    ]
    by_article = [
        CountRow(label=f"{rule.article}: {rule.sentence}", count=counts["by_rule"].get(rule.id, 0))
        for rule in policy.judged_rules
        if counts.get("by_rule", {}).get(rule.id)
    ]
    holding = list(
        proposal.candidates.filter(state__in=PLACE_HOLDING)
        .select_related("person")
        .order_by("rank")
    )
    kecamatan = Counter(kecamatan_name(wilayah.kecamatan_code(c.person.kode_desa)) for c in holding)
    excluded = [
        CountRow(label=f"{nik_domain.mask(c.nik)} — {c.reason}", count=c.rank)
        for c in proposal.candidates.filter(reason_code="dikecualikan").order_by("rank")
    ]
    when = timezone.localtime(proposal.approved_at or timezone.now()).date()
    cost = policy.annual_cost_per_person(proposal.months, year=year.year)
    return BeritaAcaraContext(
        region_name=year.region_name,
        year=year.year,
        place=proposal.place,
        date=when,
        date_long=date_long(when, weekday=True),
        policy_title=policy.title,
        run_id=run.pk,
        as_of=run.as_of,
        input_sha256=run.dtsen_import.sha256,
        status="" if proposal.status == Proposal.Status.APPROVED else "DRAF",
        proposer=display_name(proposal.proposed_by),
        approver=display_name(proposal.approved_by),
        team=team_rows(year),
        totals=totals,
        by_article=by_article,
        by_kecamatan=[CountRow(label=k, count=n) for k, n in sorted(kecamatan.items())],
        quota=proposal.quota,
        budget=proposal.budget,
        budget_rupiah=rupiah(proposal.budget),
        budget_words=terbilang_rupiah(proposal.budget),
        cost_per_person=cost,
        cost_per_person_rupiah=rupiah(cost),
        months=proposal.months,
        candidates=annex_rows(holding, masked=True),
        candidate_count=len(holding),
        waitlist_count=proposal.candidates.filter(state="waitlisted").count(),
        excluded=excluded,
        policy_assumptions=policy_assumption_lines(policy, sections=SCREENING_SECTIONS),
        funnel_chart=chart_figure(
            chart_selectors.funnel_chart(programme_year=year, run=run, through_decree=False)
        ),
        articles_chart=chart_figure(chart_selectors.articles_chart(run=run, judged_only=True))
        if by_article
        else None,
    )


def chart_figure(chart: Chart) -> ChartFigure:
    """A chart for the PDF: the same Vega-Lite spec the page draws, rendered to SVG."""
    encoded = base64.b64encode(chart.svg.encode("utf-8")).decode("ascii")
    return ChartFigure(
        title=chart.title,
        svg=f"data:image/svg+xml;base64,{encoded}",
        headers=chart.table.headers,
        rows=chart.table.display_rows(),
    )


def _proposal(document: Any) -> Proposal:
    return Proposal.objects.select_related(
        "screening_run__dtsen_import", "programme_year", "proposed_by", "approved_by"
    ).get(pk=subject_pk(document))


def berita_acara_docx(document: Any) -> bytes:
    return docx_render("berita-acara", berita_acara_context(_proposal(document)))


def berita_acara_pdf(document: Any) -> bytes:
    return pdf_render("berita-acara", berita_acara_context(_proposal(document)))
