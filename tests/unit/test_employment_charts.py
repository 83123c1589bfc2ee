"""Server-side SVG bar charts: well-formed, named for screen readers, scaled, escaped."""

import xml.etree.ElementTree as ET
from decimal import Decimal

from employment.charts import LABEL_WIDTH, VALUE_WIDTH, WIDTH, Bar, bar_chart

NS = "{http://www.w3.org/2000/svg}"
PLOT = WIDTH - LABEL_WIDTH - VALUE_WIDTH


def _chart(**kw):
    bars = [Bar("杭州市", Decimal("0.5"), "50.0%"), Bar("宁波市", Decimal("1"), "100.0%")]
    args = {"chart_id": "rate", "title": "就业率", "description": "desc", "bars": bars, **kw}
    return ET.fromstring(bar_chart(**args))


def test_the_chart_is_an_image_named_by_its_title_and_description():
    svg = _chart()
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "rate-title rate-desc"
    assert svg.find(f"{NS}title").get("id") == "rate-title"
    assert svg.find(f"{NS}title").text == "就业率"
    assert svg.find(f"{NS}desc").text == "desc"
    assert svg.get("viewBox").startswith("0 0 640 ")


def test_bars_are_scaled_to_the_largest_value_or_the_given_maximum():
    widths = [float(r.get("width")) for r in _chart().iter(f"{NS}rect")]
    assert widths == [PLOT / 2, PLOT]
    fixed = [float(r.get("width")) for r in _chart(maximum=2).iter(f"{NS}rect")]
    assert fixed == [PLOT / 4, PLOT / 2]
    texts = [t.text for t in _chart().iter(f"{NS}text")]
    assert texts == ["杭州市", "50.0%", "宁波市", "100.0%"]


def test_target_line_and_bars_without_data():
    bars = [Bar("a", None, "no data"), Bar("b", 3, "3")]
    svg = ET.fromstring(bar_chart("c", "t", "d", bars, target=Decimal(6), target_text="Target 6"))
    assert len(list(svg.iter(f"{NS}rect"))) == 1  # no bar for missing data, but its text
    assert "no data" in [t.text for t in svg.iter(f"{NS}text")]
    line = svg.find(f"{NS}line")
    assert float(line.get("x1")) == LABEL_WIDTH + PLOT
    assert line.get("stroke-dasharray") == "6 4"
    assert float(next(svg.iter(f"{NS}rect")).get("width")) == PLOT / 2


def test_text_is_escaped_and_empty_charts_are_valid():
    svg = bar_chart("x", "<script>", "a & b", [Bar('"><b>', 1, "<1>")])
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert ET.fromstring(svg).find(f"{NS}desc").text == "a & b"
    empty = ET.fromstring(bar_chart("e", "t", "d", []))
    assert list(empty.iter(f"{NS}rect")) == []
    assert all(
        float(r.get("width")) == 0
        for r in _chart(maximum=0, bars=[Bar("z", 0, "0")]).iter(f"{NS}rect")
    )
