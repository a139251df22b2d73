"""The SVG graphics, read back as XML: the body map's sides and labels, the trend chart's axes."""

import xml.etree.ElementTree as ET
from types import SimpleNamespace

import pytest

from evaluations.interpretation.trends import Series
from evaluations.presentation.charts import BACK, CENTRE, FRONT, body_map, trend_chart

SVG = "{http://www.w3.org/2000/svg}"


def _parse(svg):
    return ET.fromstring(svg)  # noqa: S314 - the SVG is ours, drawn in the test


def _point(code, side, intensity=5):
    return SimpleNamespace(
        region=SimpleNamespace(code=code, label=code.replace("_", " ").capitalize()),
        side=side,
        intensity=intensity,
        get_side_display=lambda: side.capitalize(),
    )


def _marks(svg):
    """Each pain mark's title and centre x."""
    root = _parse(svg)
    return [
        (group.find(f"{SVG}title").text, float(group.find(f"{SVG}circle").get("cx")))
        for group in root.iter(f"{SVG}g")
        if group.find(f"{SVG}title") is not None
    ]


def _texts(svg):
    return [
        (text.text, float(text.get("x")), float(text.get("y"))) for text in _parse(svg).iter(f"{SVG}text")
    ]


@pytest.mark.parametrize("region", ["neck", "upper_back", "lower_back"])
def test_on_the_back_view_the_persons_left_is_on_the_viewers_left(region):
    (left_title, left_x), (_right_title, right_x) = _marks(
        body_map([_point(region, "left"), _point(region, "right")])
    )
    assert left_title.startswith(f"{region.replace('_', ' ').capitalize()}, left")
    centre = BACK + CENTRE
    assert left_x < centre < right_x


@pytest.mark.parametrize("region", ["shoulder", "hip", "knee", "wrist_hand"])
def test_on_the_front_view_the_persons_left_is_on_the_viewers_right(region):
    (_t, left_x), (_t2, right_x) = _marks(body_map([_point(region, "left"), _point(region, "right")]))
    assert right_x < FRONT + CENTRE < left_x


def test_the_views_and_the_sides_are_labelled_on_the_figure():
    texts = _texts(body_map([]))
    by_label = {}
    for label, x, _y in texts:
        by_label.setdefault(label, []).append(x)
    assert by_label["Front"] == [FRONT + CENTRE] and by_label["Back"] == [BACK + CENTRE]
    front_r, back_r = sorted(by_label["R"])
    front_l, back_l = sorted(by_label["L"])
    # front: R on the viewer's left of the figure; back: L on the viewer's left
    assert front_r < FRONT + CENTRE < front_l
    assert back_l < BACK + CENTRE < back_r


def _axis_texts(series):
    return [label for label, _x, _y in _texts(trend_chart(series))]


def test_trend_chart_axes_are_labelled_with_the_unit_and_the_dates_and_start_at_zero():
    series = Series("Grip, right", "kg", [("10/01/26", 20.0), ("11/12/26", 22.5)])
    svg = trend_chart(series)
    texts = _axis_texts(series)
    assert "kg" in texts and "Date of evaluation" in texts
    assert "10/01/26" in texts and "11/12/26" in texts
    assert [t for t in texts if t in ("0", "15", "30")] == [
        "0",
        "15",
        "30",
    ]  # zero-based, round top above 22.5
    assert "axis starts at" not in svg
    root = _parse(svg)
    zero_tick = next(t for t in root.iter(f"{SVG}text") if t.text == "0")
    axis = [line for line in root.iter(f"{SVG}line")][1]  # the date axis
    assert float(zero_tick.get("y")) - 3 == pytest.approx(float(axis.get("y1")))
    assert "style=" not in svg


def test_a_trend_chart_below_zero_says_where_its_axis_starts():
    svg = trend_chart(Series("Change", "°", [("10/01/26", -5.0), ("11/12/26", 10.0)]))
    assert "axis starts at -5" in svg


def test_trend_chart_text_is_escaped():
    svg = trend_chart(Series('Pain <b>"x"</b>', "0-10", [("10/01/26", 3.0), ("11/12/26", 2.0)]))
    _parse(svg)  # still well-formed
    assert "<b>" not in svg and "&lt;b&gt;" in svg
