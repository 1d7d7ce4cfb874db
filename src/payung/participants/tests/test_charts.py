"""The year's charts (issue 9): each table against a direct count, the page, the downloads
and the berita acara PDF with its charts."""

from __future__ import annotations

import io
import os
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.db.models import Count, Q, Sum
from django.test import Client
from django.urls import reverse
from python_calamine import CalamineWorkbook

from payung.core.formatting import angka
from payung.core.places import kecamatan_label
from payung.participants import chart_selectors
from payung.participants.documents import berita_acara_context
from payung.participants.forecast import places_cost_committed
from payung.participants.models import Candidate, CandidateState
from payung.programmes.models import BudgetLine
from payung.programmes.selectors import programme_year_policy
from payung.screening.models import Decision

TODAY = date(2026, 3, 10)


def _has(field: str, code: str) -> Q:
    return (
        Q(**{field: code})
        | Q(**{f"{field}__startswith": f"{code};"})
        | Q(**{f"{field}__endswith": f";{code}"})
        | Q(**{f"{field}__contains": f";{code};"})
    )


@pytest.fixture
def year_run(decreed: list[Candidate]) -> tuple[Any, Any]:
    proposal = decreed[0].proposal
    return proposal.programme_year, proposal.screening_run


def _check_funnel_matches_a_direct_count(year_run: tuple[Any, Any]) -> None:
    year, run = year_run
    decisions = Decision.objects.filter(run=run)
    candidates = Candidate.objects.filter(proposal__programme_year=year)
    expected = [
        ("Diimpor", decisions.count()),
        ("Data sah", decisions.exclude(status="invalid").count()),
        (
            "Memenuhi syarat",
            decisions.filter(status__in=["eligible", "selected", "waitlisted"]).count(),
        ),
        ("Dalam pagu", decisions.filter(status="selected").count()),
        (
            "Terverifikasi",
            candidates.filter(state__in=[CandidateState.VERIFIED, CandidateState.DECREED]).count(),
        ),
        ("Ditetapkan", candidates.filter(state=CandidateState.DECREED).count()),
    ]
    rows = chart_selectors.funnel_rows(programme_year=year, run=run)
    assert [(r.label, r.count) for r in rows] == expected
    assert expected[-1][1] == 3 and expected[0][1] == 150


def _check_failures_by_article_match_the_decisions(year_run: tuple[Any, Any]) -> None:
    year, run = year_run
    policy = programme_year_policy(programme_year=year)
    chart = chart_selectors.articles_chart(run=run)
    by_article = {row[0]: row[2] for row in chart.table.rows}
    judged = [r for r in policy.judged_rules if by_article.get(r.article)]
    assert judged, "the synthetic 150 fail some criterion"
    for rule in judged:
        direct = Decision.objects.filter(_has("reasons", rule.id), run=run).count()
        assert by_article[rule.article] == direct, rule.article
    # Labels are the articles in the policy's order, never rule codes.
    articles = [r.article for r in policy.rules]
    assert [row[0] for row in chart.table.rows] == [a for a in articles if a in by_article]
    assert all(row[0].startswith("Pasal 5") for row in chart.table.rows)


def _check_kecamatan_rows_match_a_group_by_and_carry_names(year_run: tuple[Any, Any]) -> None:
    year, run = year_run
    region = programme_year_policy(programme_year=year).region.code
    eligible = dict(
        Decision.objects.filter(run=run, status__in=["eligible", "selected", "waitlisted"])
        .values_list("kode_kecamatan")
        .annotate(n=Count("id"))
    )
    selected = dict(
        Decision.objects.filter(run=run, status="selected")
        .values_list("kode_kecamatan")
        .annotate(n=Count("id"))
    )
    expected = sorted(
        (kecamatan_label(code, region=region), n, selected.get(code, 0))
        for code, n in eligible.items()
    )
    table = chart_selectors.kecamatan_chart(run=run).table
    assert sorted(table.rows) == expected
    assert table.total == ("Jumlah", sum(eligible.values()), sum(selected.values()))
    assert not any(row[0].isdigit() for row in table.rows)  # names, not codes


def _check_priority_mix_counts_each_priority_of_the_selected(year_run: tuple[Any, Any]) -> None:
    year, run = year_run
    policy = programme_year_policy(programme_year=year)
    selected = Decision.objects.filter(run=run, status="selected")
    rows = {row[0]: row[2] for row in chart_selectors.priority_chart(run=run).table.rows}
    for p in policy.priorities:
        assert rows[p.article] == selected.filter(_has("priorities", p.id)).count()
    assert rows["Tanpa prioritas"] == selected.filter(priorities="").count()


def _check_pagu_use_adds_up(year_run: tuple[Any, Any]) -> None:
    year, _run = year_run
    table = chart_selectors.pagu_chart(programme_year=year, today=TODAY).table
    rows = dict(table.rows)
    pagu = BudgetLine.objects.filter(programme_year=year).aggregate(s=Sum("amount"))["s"]
    committed = places_cost_committed(programme_year=year, from_month=date(2026, 3, 1))
    assert rows["Pagu APBD Kabupaten"] == pagu == rows["Jumlah pagu"]
    assert rows["Terikat untuk peserta dan calon"] == committed > 0
    assert rows["Sisa pagu"] == max(0, pagu - committed)
    assert table.money


def test_each_chart_table_matches_a_direct_count(year_run: tuple[Any, Any]) -> None:
    for check in (
        _check_funnel_matches_a_direct_count,
        _check_failures_by_article_match_the_decisions,
        _check_kecamatan_rows_match_a_group_by_and_carry_names,
        _check_priority_mix_counts_each_priority_of_the_selected,
        _check_pagu_use_adds_up,
    ):
        check(year_run)


def test_ringkasan_page_shows_every_chart_with_its_table_and_downloads(
    client: Client,
    year_run: tuple[Any, Any],
    anggota_tim: Any,
    auditor_inspektorat: Any,
    bendahara_disnaker: Any,
    django_assert_max_num_queries: Any,
) -> None:
    year, run = year_run
    client.force_login(anggota_tim)
    url = reverse("participants:year_charts", args=[year.pk])
    with django_assert_max_num_queries(30):
        response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    for name in chart_selectors.CHART_NAMES:
        assert f'data-chart-spec="chart-spec-{name}"' in html
        assert f'href="{url}{name}.xlsx"' in html
    assert html.count("<caption>") == 5
    imported = Decision.objects.filter(run=run).count()
    assert f'<td class="n">{angka(imported)}</td>' in html
    # The page's only inline script is the import map, with the header's nonce.
    nonce = response["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    assert f'<script type="importmap" nonce="{nonce}">' in html
    assert "5(2)" not in html.replace("Pasal 5 ayat (2)", "")  # no rule codes shown

    # The downloads read back (the auditor's, who reads the same totals).
    client.force_login(auditor_inspektorat)
    url = reverse("participants:year_chart_xlsx", args=[year.pk, "corong"])
    response = client.get(url)
    assert response.status_code == 200
    assert "grafik-corong-2026.xlsx" in response["Content-Disposition"]
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    rows = book.get_sheet_by_name("DATA").to_python()
    assert rows[0] == ["Tahap", "Jumlah (orang)"]
    assert rows[1] == ["Diimpor", Decision.objects.filter(run=run).count()]
    assert rows[-1] == ["Ditetapkan", 3]
    csv = client.get(reverse("participants:year_chart_csv", args=[year.pk, "kecamatan"]))
    assert csv.content.startswith("\ufeff".encode()) and b"Kecamatan;" in csv.content
    missing = client.get(reverse("participants:year_chart_csv", args=[year.pk, "tidak-ada"]))
    assert missing.status_code == 404

    # A role without the screening totals is refused.
    client.force_login(bendahara_disnaker)
    assert client.get(reverse("participants:year_charts", args=[year.pk])).status_code == 403


def test_berita_acara_pdf_carries_the_charts_and_their_figures(
    year_run: tuple[Any, Any], tmp_path: Path
) -> None:
    from payung.documents.render import pdf_render

    _year, run = year_run
    context = berita_acara_context(run.proposals.get())
    assert context.funnel_chart is not None and context.articles_chart is not None
    assert context.funnel_chart.svg.startswith("data:image/svg+xml;base64,")
    # The berita acara's bars are its table's articles, in its order (huruf c, deemed met by
    # huruf d, is in neither).
    assert [row[0] for row in context.articles_chart.rows] == [
        a.label.split(":")[0] for a in context.by_article
    ]
    pdf = tmp_path / "berita-acara.pdf"
    pdf.write_bytes(pdf_render("berita-acara", context))
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Gambar 1. Corong seleksi" in text
    assert "Gambar 2. Tidak memenuhi syarat menurut pasal" in text
    for label, count in context.funnel_chart.rows:
        assert label in text and count in text
    # Drawn, not only captioned: the chart's own axis labels are text in the PDF too.
    assert text.count("Memenuhi syarat") >= 2
    shots = Path(os.environ.get("PAYUNG_SHOTS", tmp_path))  # screenshots to look at
    shots.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "3", str(pdf), str(shots / "B-ba")],
        check=True,
    )
