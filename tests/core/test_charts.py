"""Bar charts for statistics pages: scaled to the largest value, stacked segments, labels escaped."""

from __future__ import annotations

from renkei.core.charts import LABEL_WIDTH, PLOT_WIDTH, bar_chart


def test_bars_are_scaled_to_the_largest_value_and_cut_long_labels():
    chart = bar_chart([("電話", 10, [10]), ("とても長い相談経路の名前", 5, [5])], ["bar--single"])
    first, second = chart.bars
    assert first.width == PLOT_WIDTH
    assert second.width == PLOT_WIDTH / 2
    assert second.label == "とても長い相談経…"
    assert (first.y, second.y) == (4, 30)
    assert chart.height == 2 * 26 + 8
    assert second.text_x == LABEL_WIDTH + PLOT_WIDTH / 2 + 5


def test_stacked_segments_follow_each_other_with_their_classes():
    chart = bar_chart(
        [("4月", 4, [1, 3])], ["bar--resident", "bar--support"], legend=[("一般住民", "bar--resident")]
    )
    (bar,) = chart.bars
    assert bar.segments == [
        (LABEL_WIDTH, PLOT_WIDTH / 4, "bar--resident"),
        (LABEL_WIDTH + PLOT_WIDTH / 4, PLOT_WIDTH * 3 / 4, "bar--support"),
    ]
    assert chart.legend == [("一般住民", "bar--resident")]


def test_svg_escapes_labels_and_an_empty_chart_keeps_a_row_of_height():
    svg = bar_chart([("<script>", 1, [1])], ["bar--single"]).bars_svg()
    assert "&lt;script&gt;" in svg and "<script>" not in svg
    assert '<rect x="136.0" y="4" width="214.0" height="18" class="bar--single"></rect>' in svg
    empty = bar_chart([], ["bar--single"])
    assert (empty.bars, empty.height) == ([], 34)
