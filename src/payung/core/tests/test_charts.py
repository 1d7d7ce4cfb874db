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
