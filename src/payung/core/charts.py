"""Charts: one Vega-Lite definition drawn in the page (vega-embed) and in PDFs (vl-convert).

The issue asks for one chart library that renders the same definition everywhere, a table of
the chart's numbers beside every chart (a reader who cannot see the bars, or wants to copy a
figure, reads the table) and the table as a download. A chart is therefore built from its
table: the apps' selectors return the rows (aggregates only, never a person), this module
turns them into a ``Chart`` with a Vega-Lite spec (built with Altair), and

* the page embeds the spec (``partials/chart.html``; ``web/static/payung/charts.js`` runs
  vega-embed with Vega's CSP-safe expression interpreter, the CSP forbids ``eval``);
* a PDF embeds ``chart_svg(spec)``: the same spec rendered server-side by vl-convert;
* ``chart_csv`` / ``chart_xlsx`` write the table (UTF-8 with BOM and ``;``; XLSX with a
  PETUNJUK sheet), text cells neutralised (``core.exports``).

Numbers read the Indonesian way in both renderers: d3-format has no ``id-ID`` locale, so
``FORMAT_LOCALE`` (decimal ``,``, thousands ``.``, currency ``Rp``) is passed to vega-embed
and to vl-convert alike, and the value labels are precomputed with ``core.formatting``.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import altair as alt
import xlsxwriter
from django.http import HttpResponse
from django.utils.translation import gettext as _

from payung.core.exports import neutralise
from payung.core.formatting import angka
from payung.domain.calendar import MONTHS
from payung.domain.money import rupiah

__all__ = [
    "CHART_LOCALE",
    "FORMAT_LOCALE",
    "TIME_FORMAT_LOCALE",
    "Chart",
    "ChartTable",
    "bar_spec",
    "chart_csv",
    "chart_download_response",
    "chart_svg",
    "chart_xlsx",
    "funnel_spec",
    "grouped_bar_spec",
    "stacked_bar_spec",
]

#: d3-format locale for Indonesian: 50.000, 12,5 and Rp1.008.000.000.
FORMAT_LOCALE: Final[dict[str, Any]] = {
    "decimal": ",",
    "thousands": ".",
    "grouping": [3],
    "currency": ["Rp", ""],
}
#: d3-time-format locale for Indonesian (no chart has a time axis yet; set for the next one).
TIME_FORMAT_LOCALE: Final[dict[str, Any]] = {
    "dateTime": "%A, %e %B %Y %X",
    "date": "%d/%m/%Y",
    "time": "%H.%M.%S",
    "periods": ["AM", "PM"],
    "days": ["Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"],
    "shortDays": ["Min", "Sen", "Sel", "Rab", "Kam", "Jum", "Sab"],
    "months": list(MONTHS),
    "shortMonths": [m[:3] for m in MONTHS],
}
#: Both locales, as the page's ``chart-locale`` JSON gives them to vega-embed.
CHART_LOCALE: Final[dict[str, Any]] = {"format": FORMAT_LOCALE, "time": TIME_FORMAT_LOCALE}
#: The PDFs' sans font (installed with WeasyPrint's fonts); browsers fall back to sans-serif.
FONT: Final = "DejaVu Sans"
#: d3-format of counts and of rupiah under ``FORMAT_LOCALE``.
COUNT_FORMAT: Final = ",d"
MONEY_FORMAT: Final = "$,d"
#: Colours: the brand blue for the data, a lighter one for a second series, grey for "left".
COLOURS: Final[tuple[str, ...]] = ("#1d5fa8", "#7fb0e0", "#c9c9c9", "#e38b2c")
#: Width of a chart rendered for a PDF (px at 96 dpi: ~12.7 cm, inside an A4 text block).
PDF_WIDTH: Final = 480
#: Height of one bar row (px): long label lists grow downwards instead of squeezing.
ROW_HEIGHT: Final = 28
#: Longest category label (px) before it is cut with "…": 220 in a PDF (no container), in the
#: page 35 % of the chart's width (at least 90 px), so that on a phone the label column, the
#: bars and the room for their figures share the width (the table beside has the full labels).
LABEL_LIMIT: Final[dict[str, str]] = {
    "expr": "containerSize()[0] ? clamp(containerSize()[0] * 0.35, 90, 220) : 220"
}
#: Font size (px) of the figure written after a bar, and its gap to the bar's end.
LABEL_FONT_SIZE: Final = 11
LABEL_GAP: Final = 4
#: Vega's default padding (px) around a chart, kept on the sides without value labels.
PADDING: Final = 5
#: Advance widths of DejaVu Sans (em) for the characters of a figure label; any other
#: character counts as 0.8 em, wider than most letters. Browsers without DejaVu fall back to
#: a narrower sans-serif, so the estimate errs towards too much room, never too little.
_GLYPH_EM: Final[dict[str, float]] = {
    **dict.fromkeys("0123456789", 0.637),
    **dict.fromkeys(".,: ", 0.318),
    **dict.fromkeys("()", 0.391),
    "%": 0.951,
    "R": 0.695,
    "p": 0.635,
}
_OTHER_EM: Final = 0.8


@dataclass(frozen=True)
class ChartTable:
    """The chart's numbers as a table: the first column labels, the others integers."""

    headers: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    #: Integer rupiah (shown as Rp1.008.000.000) rather than counts (50.000).
    money: bool = False
    #: A closing "Jumlah" row, or none when the rows overlap (one person, several articles).
    total: tuple[Any, ...] | None = None

    def display_rows(self) -> list[list[str]]:
        """The rows as the page and the PDF print them."""
        return [self._display(row) for row in self.rows]

    def display_total(self) -> list[str] | None:
        return self._display(self.total) if self.total is not None else None

    def _display(self, row: Sequence[Any]) -> list[str]:
        fmt = rupiah if self.money else angka
        return [str(row[0]), *(fmt(v) if isinstance(v, int) else str(v) for v in row[1:])]


@dataclass(frozen=True)
class Chart:
    """One chart: what it is called, a sentence on where its figures come from, its table
    and the Vega-Lite spec drawn from that table. ``name`` is the slug of its downloads."""

    name: str
    title: str
    description: str
    table: ChartTable
    spec: dict[str, Any] = field(repr=False)

    @property
    def spec_id(self) -> str:
        return f"chart-spec-{self.name}"

    @property
    def svg(self) -> str:
        return chart_svg(self.spec)


# --- spec builders ---------------------------------------------------------------------------


def _memoised(builder: Callable[..., dict[str, Any]]) -> Callable[..., dict[str, Any]]:
    """Builds a spec once per distinct input (per process): Altair spends ~40 ms on a layered
    chart, a page view with unchanged figures should not. The key is the arguments as JSON,
    so new figures build a new spec; each caller gets its own copy."""

    @functools.lru_cache(maxsize=256)
    def cached(key: str) -> str:
        return json.dumps(builder(**json.loads(key)))

    @functools.wraps(builder)
    def wrapper(**kwargs: Any) -> dict[str, Any]:
        return json.loads(cached(json.dumps(kwargs, sort_keys=True, ensure_ascii=False)))

    return wrapper


def _config(chart: alt.Chart | alt.LayerChart) -> alt.Chart | alt.LayerChart:
    return (
        chart.configure(font=FONT)
        .configure_view(stroke=None)
        .configure_axis(labelFontSize=12, titleFontSize=12, labelLimit=LABEL_LIMIT)
    )


def _value_label(value: int, *, money: bool) -> str:
    return rupiah(value) if money else angka(value)


def _label_width(text: str, *, font_size: int) -> int:
    """Estimated width (px) of ``text`` in DejaVu Sans at ``font_size``, rounded up."""
    return int(sum(_GLYPH_EM.get(c, _OTHER_EM) for c in text) * font_size) + 1


def _label_room(texts: Sequence[str], *, font_size: int = LABEL_FONT_SIZE) -> dict[str, int]:
    """The chart's padding with room on the right for the figure written after the longest
    bar: that bar ends at the plot's right edge, so without the room its figure
    (Rp42.000.000) was cut off. Width-independent (px, not a share of the scale), so it holds
    at 390 px in the page as in the PDF's 480 px; with autosize ``contains: padding`` the
    room is taken from the plot, never added outside the container."""
    widest = max((_label_width(t, font_size=font_size) for t in texts), default=0)
    return {"left": PADDING, "top": PADDING, "bottom": PADDING, "right": widest + LABEL_GAP + 2}


#: At most this many steps between ticks on a value axis (more draw a dense grid).
MAX_TICK_STEPS: Final = 8
#: d3-array's tick step factors and the error above which each is taken.
_STEP_FACTORS: Final = ((10, math.sqrt(50)), (5, math.sqrt(10)), (2, math.sqrt(2)), (1, 0.0))


def _tick_step(top: int, *, count: int) -> int:
    """d3's tick step for about ``count`` ticks over [0, top] (1, 2 or 5 times a power of
    ten), but never below 1: figures are whole people or whole rupiah."""
    if top <= count:
        return 1
    raw = top / count
    power = 10 ** math.floor(math.log10(raw))
    error = raw / power
    factor = next(f for f, bound in _STEP_FACTORS if error >= bound)
    return max(1, int(factor * power))


def _value_x(
    *, top: int, title: str | None, money: bool, tick_count: int = 4, stack: str | None = None
) -> alt.X:
    """The value axis from 0 to a round figure at or above ``top``. Counts and rupiah are
    integers, so the ticks are given as whole multiples of a step (``values``): Vega's own
    ticks on a scale up to 2 fell at 0,5 and printed 0 0 1 1 2 2 by ``,d``, and
    ``tickMinStep`` 1 does not prevent it. The scale is fixed to [0, last tick] (the last
    label then sits flush at the end, not half past it) so the page (vega-embed) and the PDF
    (vl-convert) draw the same ticks; of the step counts near ``tick_count`` the one wasting
    least width wins. Counts read 50.000, money Rp1.008.000.000 (``FORMAT_LOCALE``); labels
    that would touch are dropped."""
    top = max(1, top)
    steps = {_tick_step(top, count=n) for n in range(tick_count, tick_count + 3)}
    # The smallest round end (ceiling of top / step) with at most MAX_TICK_STEPS steps (the
    # first candidate always qualifies), then the fewest ticks.
    ends = [(-(-top // s) * s, -s) for s in steps]
    top, step = min(e for e in ends if e[0] // -e[1] <= max(MAX_TICK_STEPS, tick_count + 1))
    step = -step
    values = list(range(0, top + 1, step))
    extra: dict[str, Any] = {}
    if money:
        # "0", not "Rp0": on a phone the two end labels of a money axis must fit side by side.
        extra["labelExpr"] = "datum.value === 0 ? '0' : datum.label"
    axis = alt.Axis(
        format=MONEY_FORMAT if money else COUNT_FORMAT,
        values=values,
        # As many as the values: Vega thins given values down to tickCount (no tickMinStep
        # either: Vega caps the count at span / tickMinStep, which thinned 0 1 2 to 0 2).
        tickCount=len(values),
        labelFlush=True,
        labelOverlap=True,
        labelSeparation=8,
        **extra,
    )
    kwargs: dict[str, Any] = {"stack": stack} if stack else {}
    return alt.X(
        "value:Q", title=title, axis=axis, scale=alt.Scale(domain=[0, top], nice=False), **kwargs
    )


def _finish(
    chart: alt.Chart | alt.LayerChart, *, title: str, padding: dict[str, int] | None = None
) -> dict[str, Any]:
    # Altair's schema check costs ~100 ms a chart (jsonschema): skipped here, done once per
    # builder in core/tests/test_charts.py.
    spec = _config(chart).properties(width="container").to_dict(validate=False)
    spec["description"] = title
    spec["autosize"] = {"type": "fit-x", "contains": "padding"}
    if padding is not None:
        spec["padding"] = padding
    return spec


@_memoised
def bar_spec(
    *,
    labels: Sequence[str],
    values: Sequence[int],
    value_title: str,
    title: str,
    money: bool = False,
) -> dict[str, Any]:
    """Horizontal bars in the order given (an article order, a kecamatan order), each with
    its figure written beside it; the value axis formatted 50.000 or Rp1.008.000.000."""
    data = [
        {"label": label, "value": value, "text": _value_label(value, money=money)}
        for label, value in zip(labels, values, strict=True)
    ]
    base = alt.Chart(alt.Data(values=data)).encode(
        y=alt.Y("label:N", sort=list(labels), title=None),
        x=_value_x(top=max(values, default=0), title=value_title, money=money),
    )
    bars = base.mark_bar(color=COLOURS[0])
    text = base.mark_text(align="left", dx=LABEL_GAP, fontSize=LABEL_FONT_SIZE).encode(
        text="text:N"
    )
    layered = alt.layer(bars, text).properties(height=max(1, len(data)) * ROW_HEIGHT)
    return _finish(layered, title=title, padding=_label_room([d["text"] for d in data]))


@_memoised
def funnel_spec(*, labels: Sequence[str], values: Sequence[int], title: str) -> dict[str, Any]:
    """A funnel: one bar per stage in the stages' order, each labelled with its count and its
    share of the first stage (Indonesian figures precomputed: ``12.345 (24,7 %)``). The first
    stage's bar fills the plot and room on the right is kept for the longest label
    (``_label_room``), so every label fits, on a phone too."""
    first = values[0] if values and values[0] else 0
    data = []
    for label, value in zip(labels, values, strict=True):
        share = f" ({value * 100 / first:.1f} %)".replace(".", ",") if first else ""
        data.append({"label": label, "value": value, "text": f"{angka(value)}{share}"})
    base = alt.Chart(alt.Data(values=data)).encode(
        y=alt.Y("label:N", sort=list(labels), title=None),
        x=alt.X("value:Q", axis=None, scale=alt.Scale(domain=[0, max([1, *values])])),
    )
    bars = base.mark_bar(color=COLOURS[0])
    text = base.mark_text(align="left", dx=LABEL_GAP, fontSize=LABEL_FONT_SIZE).encode(
        text="text:N"
    )
    layered = alt.layer(bars, text).properties(height=max(1, len(data)) * ROW_HEIGHT)
    return _finish(layered, title=title, padding=_label_room([d["text"] for d in data]))


def _series_data(
    labels: Sequence[str], series: Sequence[str], values: Sequence[Sequence[int]], *, money: bool
) -> list[dict[str, Any]]:
    return [
        {
            "label": label,
            "series": name,
            "order": j,
            "value": row[j],
            "text": _value_label(row[j], money=money),
        }
        for label, row in zip(labels, values, strict=True)
        for j, name in enumerate(series)
    ]


@_memoised
def grouped_bar_spec(
    *,
    labels: Sequence[str],
    series: Sequence[str],
    values: Sequence[Sequence[int]],
    value_title: str,
    title: str,
) -> dict[str, Any]:
    """Bars side by side per label (e.g. eligible and selected per kecamatan): one colour per
    series, the legend above; ``values[i][j]`` is label i, series j."""
    data = _series_data(labels, series, values, money=False)
    colour = alt.Color(
        "series:N",
        sort=list(series),
        scale=alt.Scale(domain=list(series), range=list(COLOURS[: len(series)])),
        legend=alt.Legend(title=None, orient="top"),
    )
    base = alt.Chart(alt.Data(values=data)).encode(
        y=alt.Y("label:N", sort=list(labels), title=None),
        yOffset=alt.YOffset("series:N", sort=list(series)),
        x=_value_x(
            top=max((max(r, default=0) for r in values), default=0), title=value_title, money=False
        ),
    )
    bars = base.mark_bar().encode(color=colour)
    text = base.mark_text(align="left", dx=LABEL_GAP, fontSize=10).encode(text="text:N")
    height = max(1, len(labels)) * ROW_HEIGHT * max(1, len(series)) * 0.75
    room = _label_room([d["text"] for d in data], font_size=10)
    return _finish(alt.layer(bars, text).properties(height=height), title=title, padding=room)


@_memoised
def stacked_bar_spec(
    *,
    labels: Sequence[str],
    series: Sequence[str],
    values: Sequence[Sequence[int]],
    value_title: str,
    title: str,
    money: bool = False,
    colours: Sequence[str] = COLOURS,
) -> dict[str, Any]:
    """Stacked horizontal bars: each label's parts end to end, in the series' order (e.g. the
    pagu by funding source above its use: committed, then remaining). No figure after the
    bars (a stack has several), so no room on the right: the figures are in the table."""
    data = _series_data(labels, series, values, money=money)
    bars = (
        alt.Chart(alt.Data(values=data))
        .mark_bar()
        .encode(
            y=alt.Y("label:N", sort=list(labels), title=None),
            x=_value_x(
                top=max((sum(r) for r in values), default=0),
                title=value_title,
                money=money,
                tick_count=3,
                stack="zero",
            ),
            color=alt.Color(
                "series:N",
                sort=list(series),
                scale=alt.Scale(domain=list(series), range=list(colours[: len(series)])),
                legend=alt.Legend(title=None, orient="top", columns=1, labelLimit=0),
            ),
            order=alt.Order("order:Q"),
            tooltip=[alt.Tooltip("series:N"), alt.Tooltip("text:N")],
        )
        .properties(height=max(1, len(labels)) * (ROW_HEIGHT + 12))
    )
    return _finish(bars, title=title)


# --- rendering --------------------------------------------------------------------------------


def chart_svg(spec: dict[str, Any], *, width: int = PDF_WIDTH) -> str:
    """The spec as SVG for a PDF (WeasyPrint draws SVG), at a fixed width since a PDF has no
    container to fit. Cached by the SHA-256 of the spec: the same figures draw once."""
    fixed = {**spec, "width": width, "autosize": {"type": "fit-x", "contains": "padding"}}
    text = json.dumps(fixed, sort_keys=True, ensure_ascii=False)
    return _svg_cached(hashlib.sha256(text.encode()).hexdigest(), text)


@functools.lru_cache(maxsize=64)
def _svg_cached(digest: str, text: str) -> str:
    import vl_convert  # imported late: the page path never needs the renderer

    return vl_convert.vegalite_to_svg(
        json.loads(text), format_locale=FORMAT_LOCALE, time_format_locale=TIME_FORMAT_LOCALE
    )


# --- downloads --------------------------------------------------------------------------------


def _cells(chart: Chart) -> list[list[Any]]:
    rows = [list(r) for r in chart.table.rows]
    if chart.table.total is not None:
        rows.append(list(chart.table.total))
    return rows


def chart_csv(chart: Chart) -> bytes:
    """The table as CSV: UTF-8 with BOM and ``;`` (Excel in an Indonesian locale opens it as
    columns), plain integers (no thousand dots: a spreadsheet must be able to sum them)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in chart.table.headers])
    for row in _cells(chart):
        writer.writerow([neutralise(v) if isinstance(v, str) else v for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def chart_xlsx(chart: Chart) -> bytes:
    """The table as XLSX: the figures as numbers (formatted ``#.##0`` by Excel's locale), the
    labels as text, and a PETUNJUK sheet saying what the figures are and where they come from."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False})
    sheet = book.add_worksheet(_("DATA"))
    guide = book.add_worksheet(_("PETUNJUK"))
    bold = book.add_format({"bold": True})
    number = book.add_format({"num_format": "#,##0"})
    for col, header in enumerate(chart.table.headers):
        sheet.write_string(0, col, neutralise(header), bold)
    for r, row in enumerate(_cells(chart), start=1):
        for col, value in enumerate(row):
            if isinstance(value, int) and not isinstance(value, bool):
                sheet.write_number(r, col, value, number)
            else:
                sheet.write_string(r, col, neutralise(str(value)))
    sheet.set_column(0, 0, 48)
    sheet.set_column(1, max(1, len(chart.table.headers) - 1), 18)
    lines = [
        _("PETUNJUK: %(title)s") % {"title": chart.title.upper()},
        chart.description,
        _("Lembar DATA memuat angka grafik ini; tidak ada data pribadi di dalamnya."),
        _("Jumlah dalam rupiah.") if chart.table.money else _("Jumlah dalam orang."),
    ]
    for i, line in enumerate(lines):
        guide.write_string(i, 0, neutralise(line))
    guide.set_column(0, 0, 100)
    book.close()
    return out.getvalue()


def chart_download_response(chart: Chart, *, fmt: str, filename: str) -> HttpResponse:
    """The chart's table as a download (``fmt`` is ``csv`` or ``xlsx``)."""
    if fmt == "csv":
        response = HttpResponse(chart_csv(chart), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            chart_xlsx(chart),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
