"""Stacked bars, lines and progress bars render headless to PNG, with Chinese labels."""

import io

import pytest
from PIL import Image

from app.reports.charts_extra import _text_colour, line_chart, progress_bar_chart, stacked_bar_chart


def size(png: bytes) -> tuple[int, int]:
    return Image.open(io.BytesIO(png)).size


def test_stacked_bar_chart_is_a_png_of_the_asked_size():
    png = stacked_bar_chart(
        ["教科文股", "农业农村股"],
        {"红灯": [3, 0], "黄灯": [1, 2], "绿灯": [5, 7]},
        title="各股室项目预警灯",
        colours=["#d32f2f", "#f6c344", "#388e3c"],
        hatches=["", "", "//"],
        width_mm=150,
        height_mm=80,
    )
    assert size(png) == (int(150 / 25.4 * 200), int(80 / 25.4 * 200))  # 200 dpi


def test_line_chart_leaves_a_gap_for_missing_values():
    png = line_chart(
        ["3月", "6月", "9月"],
        {"执行率": [19.2, None, 64.4], "序时进度": [25, 50, 75]},
        percent=True,
    )
    assert png.startswith(b"\x89PNG")


def test_progress_bar_chart_grows_with_its_categories():
    few = progress_bar_chart(["县教育局"], [40.0], (50.0, "序时进度"), ["#d32f2f"])
    names = [f"单位{i}" for i in range(40)]
    many = progress_bar_chart(names, [None, *[50.0] * 39], (50.0, "序时进度"), ["#388e3c"] * 40)
    assert size(many)[1] > 2 * size(few)[1]
    assert size(many)[0] == size(few)[0]


@pytest.mark.parametrize(
    ("fill", "text"), [("#f6c344", "#000000"), ("#d32f2f", "#ffffff"), ("#1e6fc8", "#ffffff")]
)
def test_labels_are_dark_on_light_fills_and_light_on_dark_ones(fill, text):
    assert _text_colour(fill) == text
