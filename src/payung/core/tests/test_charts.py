"""Charts (issue 9): the spec builders, the Indonesian figures in both renderers, downloads."""

from __future__ import annotations

import io
import re

from python_calamine import CalamineWorkbook

from payung.core import charts
from payung.core.charts import Chart, ChartTable


def _text_marks(svg: str) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]*)</text>", svg)


def test_bar_spec_keeps_the_given_order_and_formats_counts_the_indonesian_way() -> None:
    labels = ["Pasal 5 ayat (2) huruf b", "Pasal 5 ayat (1)", "Pasal 5 ayat (2) huruf d"]
    spec = charts.bar_spec(labels=labels, values=[23456, 7, 1200], value_title="Orang", title="Uji")
    layer = spec["layer"][0]
    assert layer["encoding"]["y"]["sort"] == labels  # article order, not alphabetical
    assert layer["encoding"]["x"]["axis"]["format"] == charts.COUNT_FORMAT
    values = spec["data"]["values"]
    assert [v["text"] for v in values] == ["23.456", "7", "1.200"]
    assert spec["config"]["font"] == charts.FONT

    texts = _text_marks(charts.chart_svg(spec))
    # The axis (d3-format with our locale) and the labels both read 5.000 / 23.456.
    assert "5.000" in texts and "20.000" in texts and "23.456" in texts
    assert not any(re.fullmatch(r"\d{1,3}(,\d{3})+", t) for t in texts)
    assert texts.index(labels[0]) < texts.index(labels[1]) < texts.index(labels[2])


def test_money_axis_reads_rupiah() -> None:
    spec = charts.stacked_bar_spec(
        labels=["Pagu", "Penggunaan"],
        series=["APBD Kabupaten", "Terikat", "Sisa"],
        values=[[1_008_000_000, 0, 0], [0, 900_000_000, 108_000_000]],
        value_title="Rupiah",
        title="Pagu",
        money=True,
    )
    texts = _text_marks(charts.chart_svg(spec))
    assert "Rp1.000.000.000" in texts or "Rp500.000.000" in texts
    assert "APBD Kabupaten" in texts and "Sisa" in texts


def test_funnel_labels_each_stage_with_its_share_of_the_first() -> None:
    spec = charts.funnel_spec(
        labels=["Diimpor", "Data sah", "Dalam pagu"], values=[50000, 48000, 5000], title="Corong"
    )
    data = spec["data"]["values"]
    assert [d["text"] for d in data] == ["50.000 (100,0 %)", "48.000 (96,0 %)", "5.000 (10,0 %)"]
    assert spec["layer"][0]["encoding"]["y"]["sort"] == ["Diimpor", "Data sah", "Dalam pagu"]


def test_grouped_bars_name_both_series_in_the_legend() -> None:
    spec = charts.grouped_bar_spec(
        labels=["Sumur", "Cimanggu"],
        series=["Memenuhi syarat", "Terpilih"],
        values=[[300, 120], [250, 90]],
        value_title="Orang",
        title="Kecamatan",
    )
    texts = _text_marks(charts.chart_svg(spec))
    for word in ("Sumur", "Cimanggu", "Memenuhi syarat", "Terpilih", "300", "90"):
        assert word in texts


def _chart() -> Chart:
    table = ChartTable(
        headers=("Kecamatan", "Memenuhi syarat", "Terpilih"),
        rows=(("=Sumur", 1234, 56), ("Cimanggu", 7, 0)),
        total=("Jumlah", 1241, 56),
    )
    return Chart(name="kecamatan", title="Per kecamatan", description="Uji.", table=table, spec={})


def test_table_prints_thousand_dots_and_rupiah() -> None:
    assert _chart().table.display_rows()[0] == ["=Sumur", "1.234", "56"]
    money = ChartTable(headers=("Uraian", "Rupiah"), rows=(("Pagu", 1_008_000_000),), money=True)
    assert money.display_rows() == [["Pagu", "Rp1.008.000.000"]]


def test_csv_is_utf8_with_bom_semicolons_and_neutralised_text() -> None:
    data = charts.chart_csv(_chart())
    assert data.startswith("\ufeff".encode())
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0] == "Kecamatan;Memenuhi syarat;Terpilih"
    assert lines[1] == "'=Sumur;1234;56"
    assert lines[-1] == "Jumlah;1241;56"


def test_xlsx_reads_back_with_numbers_and_a_guide() -> None:
    book = CalamineWorkbook.from_filelike(io.BytesIO(charts.chart_xlsx(_chart())))
    assert book.sheet_names == ["DATA", "PETUNJUK"]
    rows = book.get_sheet_by_name("DATA").to_python()
    assert rows[0] == ["Kecamatan", "Memenuhi syarat", "Terpilih"]
    assert rows[1] == ["'=Sumur", 1234, 56]
    assert rows[3] == ["Jumlah", 1241, 56]
    guide = [r[0] for r in book.get_sheet_by_name("PETUNJUK").to_python()]
    assert guide[0] == "PETUNJUK: PER KECAMATAN"
    assert any("tidak ada data pribadi" in line for line in guide)


def test_every_builder_writes_a_valid_vega_lite_spec() -> None:
    """The builders skip Altair's schema check for speed (``_finish``): checked here once."""
    import jsonschema
    from altair.vegalite.v6.schema import core

    schema = core.load_schema()
    specs = [
        charts.bar_spec(labels=["a", "b"], values=[1, 2], value_title="Orang", title="t"),
        charts.funnel_spec(labels=["a", "b"], values=[2, 1], title="t"),
        charts.grouped_bar_spec(
            labels=["a"], series=["x", "y"], values=[[1, 2]], value_title="Orang", title="t"
        ),
        charts.stacked_bar_spec(
            labels=["a", "b"],
            series=["x", "y"],
            values=[[1, 0], [0, 1]],
            value_title="Rupiah",
            title="t",
            money=True,
        ),
    ]
    for spec in specs:
        jsonschema.validate(spec, schema)
        assert spec["width"] == "container"  # the page fits the chart to its column


# --- value labels have room, integer ticks, rupiah axes (monitoring and planning pages) ---------

#: The PDF's chart font, measured with its own metrics (fonts-dejavu-core, needed by the PDFs).
DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

_TRANSLATE = re.compile(r"translate\(([-\d.]+),\s*([-\d.]+)\)")


def _dejavu_width(text: str, *, font_size: float) -> float:
    from fontTools.ttLib import TTFont

    font = TTFont(DEJAVU)
    cmap, metrics = font.getBestCmap(), font["hmtx"].metrics
    units = font["head"].unitsPerEm
    return sum(metrics[cmap[ord(c)]][0] for c in text) * font_size / units


def _placed_texts(svg: str) -> list[tuple[str, float, str, float]]:
    """Every text of the SVG with its absolute x, its anchor and its font size."""
    from xml.etree import ElementTree

    placed: list[tuple[str, float, str, float]] = []

    def walk(node: ElementTree.Element, x: float) -> None:
        match = _TRANSLATE.search(node.get("transform", ""))
        here = x + (float(match.group(1)) if match else 0.0)
        if node.tag.endswith("text") and node.text:
            size = float(node.get("font-size", "11px").removesuffix("px"))
            placed.append((node.text, here, node.get("text-anchor", "start"), size))
        for child in node:
            walk(child, here)

    walk(ElementTree.fromstring(svg), 0.0)
    return placed


def _right_edge_overflow(spec: dict, label: str, *, width: int = charts.PDF_WIDTH) -> float:
    """How far (px) ``label``'s text runs past the right edge of the chart drawn at ``width``."""
    svg = charts.chart_svg(spec, width=width)
    total = float(re.search(r'<svg[^>]* width="([\d.]+)"', svg).group(1))
    # The figure written after the bar's end (anchored at its start; an axis label with the
    # same figure is anchored at its middle or end).
    [(_, x, _, size)] = [p for p in _placed_texts(svg) if p[0] == label and p[2] == "start"]
    return x + _dejavu_width(label, font_size=size) - total


def test_the_rupiah_after_the_longest_bar_is_not_cut_off() -> None:
    """Monitoring's money bars: 'Rp42.000.000' after the longest bar ran past the edge."""
    spec = charts.bar_spec(
        labels=["Iuran dibayar (SP2D)", "Manfaat Jaminan Kecelakaan Kerja", "Manfaat JKM"],
        values=[268_800, 4_150_000, 42_000_000],
        value_title="Rupiah",
        title="Manfaat",
        money=True,
    )
    for width in (charts.PDF_WIDTH, 360):
        assert _right_edge_overflow(spec, "Rp42.000.000", width=width) <= 0
    # The page gets the same room: it is padding, so it holds at any container width.
    assert spec["padding"]["right"] >= _dejavu_width("Rp42.000.000", font_size=11)
    assert spec["autosize"]["contains"] == "padding"


def test_funnel_and_grouped_labels_fit_too() -> None:
    funnel = charts.funnel_spec(
        labels=["Diimpor", "Data sah", "Dalam pagu"], values=[50_000, 48_000, 5_000], title="t"
    )
    assert _right_edge_overflow(funnel, "50.000 (100,0 %)") <= 0
    assert _right_edge_overflow(funnel, "50.000 (100,0 %)", width=260) <= 0
    grouped = charts.grouped_bar_spec(
        labels=["Sumur", "Cimanggu"],
        series=["Memenuhi syarat", "Terpilih"],
        values=[[100_000, 1], [7, 0]],
        value_title="Orang",
        title="t",
    )
    assert _right_edge_overflow(grouped, "100.000") <= 0


def _x_axis(spec: dict) -> dict:
    encoding = spec["layer"][0]["encoding"] if "layer" in spec else spec["encoding"]
    return encoding["x"]


def _axis_labels(spec: dict, title: str) -> list[str]:
    """The value axis' visible labels in the PDF's SVG, left to right (between the bars'
    category labels and the axis title, which vl-convert writes right after them)."""
    texts = _text_marks(charts.chart_svg(spec))
    return texts[: texts.index(title)]


def test_small_counts_get_whole_number_ticks_only() -> None:
    """1 claim: the axis read 0 0 0 1 1 1 (ticks at 0,2; 0,4; ... printed with ``,d``)."""
    cases = [
        (charts.bar_spec(labels=["a", "b"], values=[1, 0], value_title="Klaim", title="t"), 1),
        (
            charts.grouped_bar_spec(
                labels=["a", "b"],
                series=["x", "y"],
                values=[[2, 1], [1, 0]],
                value_title="Klaim",
                title="t",
            ),
            2,
        ),
        (
            charts.stacked_bar_spec(
                labels=["a", "b"],
                series=["x", "y"],
                values=[[1, 0], [1, 2]],
                value_title="Klaim",
                title="t",
            ),
            3,
        ),
        (charts.bar_spec(labels=["a"], values=[0], value_title="Klaim", title="t"), 1),
    ]
    for spec, top in cases:
        x = _x_axis(spec)
        assert x["axis"]["values"] == list(range(top + 1))
        assert x["scale"]["domain"] == [0, top]
        # Vega thins given values down to tickCount: as many as the values.
        assert x["axis"]["tickCount"] == len(x["axis"]["values"])
        labels = _axis_labels(spec, "Klaim")
        assert labels == [str(v) for v in range(top + 1)]  # each once, whole numbers


def test_large_axes_tick_on_round_whole_numbers_within_eight_steps() -> None:
    for top in (7, 9, 11, 5_000, 23_456, 117_600, 453_600, 6_048_000, 42_000_000, 10**9 + 8):
        values = _x_axis(
            charts.bar_spec(labels=["a"], values=[top], value_title="Orang", title="t")
        )["axis"]["values"]
        step = values[1] - values[0]
        assert values[0] == 0 and values[-1] >= top > values[-2]
        assert all(isinstance(v, int) for v in values)
        assert values == list(range(0, values[-1] + 1, step))
        assert len(values) - 1 <= charts.MAX_TICK_STEPS
        assert str(step).strip("0") in {"1", "2", "5"}  # 1, 2 or 5 times a power of ten


def test_money_axes_read_rupiah_with_thousand_dots() -> None:
    spec = charts.bar_spec(
        labels=["Pagu", "Ditagih"],
        values=[6_048_000, 453_600],
        value_title="Rupiah",
        title="t",
        money=True,
    )
    assert _x_axis(spec)["axis"]["format"] == charts.MONEY_FORMAT
    labels = _axis_labels(spec, "Rupiah")
    assert labels[0] == "0" and len(labels) >= 2  # "0", not "Rp0": both ends fit on a phone
    assert all(re.fullmatch(r"Rp\d{1,3}(\.\d{3})+", t) for t in labels[1:]), labels


def test_category_labels_are_whole_in_the_pdf_and_shortened_only_in_a_narrow_page() -> None:
    """The label column takes at most 35 % of a page's chart (a phone), 220 px in a PDF."""
    label = "Manfaat Jaminan Kecelakaan Kerja"
    spec = charts.bar_spec(labels=[label], values=[3], value_title="Orang", title="t")
    assert label in _text_marks(charts.chart_svg(spec))
    limit = spec["config"]["axis"]["labelLimit"]["expr"]
    assert "containerSize()[0] * 0.35" in limit and limit.endswith(": 220")
