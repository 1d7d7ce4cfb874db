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
        .configure_axis(labelFontSize=12, titleFontSize=12, labelLimit=220)
    )


def _value_label(value: int, *, money: bool) -> str:
    return rupiah(value) if money else angka(value)


def _finish(chart: alt.Chart | alt.LayerChart, *, title: str) -> dict[str, Any]:
    # Altair's schema check costs ~100 ms a chart (jsonschema): skipped here, done once per
    # builder in core/tests/test_charts.py.
    spec = _config(chart).properties(width="container").to_dict(validate=False)
    spec["description"] = title
    spec["autosize"] = {"type": "fit-x", "contains": "padding"}
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
        x=alt.X(
            "value:Q",
            title=value_title,
            axis=alt.Axis(
                format=MONEY_FORMAT if money else COUNT_FORMAT, tickCount=4, labelFlush=True
            ),
        ),
    )
    bars = base.mark_bar(color=COLOURS[0])
    text = base.mark_text(align="left", dx=3, fontSize=11).encode(text="text:N")
    layered = alt.layer(bars, text).properties(height=max(1, len(data)) * ROW_HEIGHT)
    return _finish(layered, title=title)


@_memoised
def funnel_spec(*, labels: Sequence[str], values: Sequence[int], title: str) -> dict[str, Any]:
    """A funnel: one bar per stage in the stages' order, each labelled with its count and its
    share of the first stage (Indonesian figures precomputed: ``12.345 (24,7 %)``). The scale
    runs to nearly twice the first stage so the labels fit beside the bars on a phone."""
    first = values[0] if values and values[0] else 0
    data = []
    for label, value in zip(labels, values, strict=True):
        share = f" ({value * 100 / first:.1f} %)".replace(".", ",") if first else ""
        data.append({"label": label, "value": value, "text": f"{angka(value)}{share}"})
    base = alt.Chart(alt.Data(values=data)).encode(
        y=alt.Y("label:N", sort=list(labels), title=None),
        x=alt.X("value:Q", axis=None, scale=alt.Scale(domain=[0, max(1, first) * 1.9])),
    )
    bars = base.mark_bar(color=COLOURS[0])
    text = base.mark_text(align="left", dx=4, fontSize=11).encode(text="text:N")
    layered = alt.layer(bars, text).properties(height=max(1, len(data)) * ROW_HEIGHT)
    return _finish(layered, title=title)


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
        x=alt.X("value:Q", title=value_title, axis=alt.Axis(format=COUNT_FORMAT, tickCount=4)),
    )
    bars = base.mark_bar().encode(color=colour)
    text = base.mark_text(align="left", dx=3, fontSize=10).encode(text="text:N")
    height = max(1, len(labels)) * ROW_HEIGHT * max(1, len(series)) * 0.75
    return _finish(alt.layer(bars, text).properties(height=height), title=title)


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
    pagu by funding source above its use: committed, then remaining)."""
    data = _series_data(labels, series, values, money=money)
    bars = (
        alt.Chart(alt.Data(values=data))
        .mark_bar()
        .encode(
            y=alt.Y("label:N", sort=list(labels), title=None),
            x=alt.X(
                "value:Q",
                stack="zero",
                title=value_title,
                axis=alt.Axis(
                    format=MONEY_FORMAT if money else COUNT_FORMAT, tickCount=2, labelFlush=True
                ),
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
