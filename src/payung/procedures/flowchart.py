"""The SOP's flowchart: a swimlane per agency, drawn from the same steps as the SOP's table.

Drawn by code (plain SVG) rather than by Graphviz, which this machine does not have: one
row per step, one column (lane) per agency, the agency of the SOP first; its own steps are
filled, the steps of other agencies that hand it its input or take its output are drawn
dashed, so the handovers between agencies are visible. The PDF embeds the SVG; the DOCX a
PNG made from it by vl-convert (``svg_png``). Same steps give the same bytes.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from itertools import pairwise

from payung.procedures.workflow import AGENCIES, Step

WIDTH = 900
HEADER = 44
ROW = 64
BOX_H = 48
GAP = 10
FONT = 11
SHORT_NAMES = {
    "dinsos": "Dinas Sosial",
    "disdukcapil": "Disdukcapil",
    "disnakertrans": "Disnakertrans",
    "bpkd": "BPKD",
    "bapperida": "Bapperida",
    "inspektorat": "Inspektorat",
    "hukum": "Bagian Hukum",
    "bpjs": "BPJS",
}


@dataclass(frozen=True)
class Flowchart:
    """One stage of one agency's SOP as a drawing."""

    title: str
    svg: str
    step_numbers: tuple[int, ...]


def _lane_of(step: Step, agency: str) -> str:
    return agency if agency in step.agencies else (step.agencies[0] if step.agencies else agency)


def flowchart_rows(*, stage_steps: Sequence[Step], agency: str) -> list[Step]:
    """The agency's steps of one stage with the other agencies' steps just before and after
    each (who hands over the input, who takes the output)."""
    keep: set[int] = set()
    for i, step in enumerate(stage_steps):
        if agency in step.agencies:
            keep.update({i - 1, i, i + 1})
    return [s for i, s in enumerate(stage_steps) if i in keep]


def flowchart_svg(
    *, rows: Sequence[Step], agency: str, short_names: dict[str, str] | None = None
) -> str:
    """The swimlane SVG of ``rows`` with ``agency``'s lane first."""
    names = {**SHORT_NAMES, **(short_names or {})}
    lanes = [agency] + [
        a for a in AGENCIES if a != agency and any(_lane_of(s, agency) == a for s in rows)
    ]
    lane_w = WIDTH / len(lanes)
    height = HEADER + ROW * len(rows) + GAP
    chars = max(14, int((lane_w - 16) / (FONT * 0.55)))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" font-family="DejaVu Sans, Arial, sans-serif">',
        '<defs><marker id="a" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#333"/></marker>'
        "</defs>",
        f'<rect x="0" y="0" width="{WIDTH}" height="{height}" fill="#ffffff"/>',
    ]
    for i, lane in enumerate(lanes):
        x = i * lane_w
        fill = "#e8f0fb" if lane == agency else "#f4f4f4"
        parts.append(
            f'<rect x="{x:.1f}" y="0" width="{lane_w:.1f}" height="{height}" fill="{fill}" '
            'stroke="#999" stroke-width="1"/>'
        )
        heads = textwrap.wrap(names.get(lane, lane), max(10, int(lane_w / 7.5)))[:2]
        for k, head in enumerate(heads):
            parts.append(
                f'<text x="{x + lane_w / 2:.1f}" y="{(27 if len(heads) == 1 else 19) + k * 15}" '
                f'text-anchor="middle" font-size="12" font-weight="bold" fill="#111">'
                f"{escape(head)}</text>"
            )
    parts.append(f'<line x1="0" y1="{HEADER - 4}" x2="{WIDTH}" y2="{HEADER - 4}" stroke="#999"/>')
    centres: list[tuple[float, float]] = []
    for r, step in enumerate(rows):
        lane = lanes.index(_lane_of(step, agency))
        x = lane * lane_w + 8
        y = HEADER + r * ROW + (ROW - BOX_H) / 2
        own = agency in step.agencies
        style = (
            'fill="#ffffff" stroke="#1f4e99" stroke-width="2"'
            if own
            else 'fill="#ffffff" stroke="#777" stroke-width="1" stroke-dasharray="4 3"'
        )
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{lane_w - 16:.1f}" height="{BOX_H}" '
            f'rx="6" {style}/>'
        )
        lines = textwrap.wrap(f"{step.no}. {step.title}", chars)[:3]
        if len(textwrap.wrap(f"{step.no}. {step.title}", chars)) > 3:
            lines[-1] = lines[-1][: max(0, chars - 1)] + "…"
        top = y + BOX_H / 2 - (len(lines) - 1) * (FONT + 2) / 2 + FONT / 3
        for k, line in enumerate(lines):
            parts.append(
                f'<text x="{x + (lane_w - 16) / 2:.1f}" y="{top + k * (FONT + 2):.1f}" '
                f'text-anchor="middle" font-size="{FONT}" fill="#111">{escape(line)}</text>'
            )
        centres.append((lane * lane_w + lane_w / 2, y))
    for (x1, y1), (x2, y2) in pairwise(centres):
        start = y1 + BOX_H
        if abs(x1 - x2) < 1:
            path = f"M{x1:.1f},{start:.1f} L{x2:.1f},{y2:.1f}"
        else:
            mid = start + (y2 - start) / 2
            path = (
                f"M{x1:.1f},{start:.1f} L{x1:.1f},{mid:.1f} L{x2:.1f},{mid:.1f} L{x2:.1f},{y2:.1f}"
            )
        parts.append(
            f'<path d="{path}" fill="none" stroke="#333" stroke-width="1.2" marker-end="url(#a)"/>'
        )
    parts.append("</svg>")
    return "".join(parts)


def svg_png(svg: str, *, scale: float = 2.0) -> bytes:
    """The SVG as PNG for Word, which shows SVG only in recent versions."""
    import vl_convert

    return vl_convert.svg_to_png(svg, scale=scale)


def agency_flowcharts(
    *, steps: Sequence[Step], agency: str, short_names: dict[str, str] | None = None
) -> list[Flowchart]:
    """One flowchart per stage in which ``agency`` has a step, in workflow order."""
    charts = []
    seen: list[str] = []
    for step in steps:
        if step.stage not in seen:
            seen.append(step.stage)
    for stage in seen:
        stage_steps = [s for s in steps if s.stage == stage]
        if not any(agency in s.agencies for s in stage_steps):
            continue
        rows = flowchart_rows(stage_steps=stage_steps, agency=agency)
        charts.append(
            Flowchart(
                title=stage_steps[0].stage_label,
                svg=flowchart_svg(rows=rows, agency=agency, short_names=short_names),
                step_numbers=tuple(s.no for s in rows),
            )
        )
    return charts
