"""Horizontal bar charts as inline SVG, for statistics pages: readable on a 360 px phone, no script.

The template draws the frame (``<svg viewBox="0 0 {{ chart.width }} {{ chart.height }}">``) and the
legend; :meth:`Chart.bars_svg` gives the bars, built here rather than by ~1,000 template nodes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

# Geometry in SVG units: labels right-aligned in the first LABEL_WIDTH, bars in the next PLOT_WIDTH.
WIDTH, LABEL_WIDTH, PLOT_WIDTH, ROW_HEIGHT, BAR_HEIGHT = 400, 136, 214, 26, 18
LABEL_CHARACTERS = 9  # longer labels are cut to 8 characters and an ellipsis


@dataclass
class Bar:
    label: str
    value: int | str  # the figure written after the bar (a count, or 「5件未満」)
    y: int
    width: float
    segments: list[tuple[float, float, str]]  # (x, width, css class)
    text_x: float


@dataclass
class Chart:
    width: int
    height: int
    label_width: int
    bars: list[Bar]
    legend: list[tuple[str, str]] = field(default_factory=list)  # (label, css class)
    row_height: int = ROW_HEIGHT
    bar_height: int = BAR_HEIGHT

    def bars_svg(self) -> SafeString:
        """The bars as SVG elements, labels escaped."""
        parts = []
        for bar in self.bars:
            rects = format_html_join(
                "",
                '<rect x="{}" y="{}" width="{}" height="{}" class="{}"></rect>',
                ((f"{x:.1f}", bar.y, f"{width:.1f}", self.bar_height, css) for x, width, css in bar.segments),
            )
            parts.append(
                format_html(
                    '<g><text x="{}" y="{}" text-anchor="end" class="chart__label">{}</text>{}'
                    '<text x="{}" y="{}" class="chart__value">{}</text></g>',
                    self.label_width - 6,
                    bar.y + 14,
                    bar.label,
                    rects,
                    f"{bar.text_x:.1f}",
                    bar.y + 14,
                    bar.value,
                )
            )
        return mark_safe("".join(parts))  # noqa: S308 (every part comes from format_html)


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARACTERS else label[: LABEL_CHARACTERS - 1] + "…"


def bar_chart(
    rows: Sequence[tuple[str, int | str, Sequence[int]]],
    css_classes: Sequence[str],
    legend: Sequence[tuple[str, str]] = (),
) -> Chart:
    """One horizontal bar per row ``(label, value shown, segments)``; the segments are stacked left to
    right with ``css_classes[i]`` and scaled so that the largest value fills the plot."""
    top = max((sum(parts) for _, _, parts in rows), default=0) or 1
    bars = []
    for index, (label, value, parts) in enumerate(rows):
        segments, x = [], float(LABEL_WIDTH)
        for part, css in zip(parts, css_classes, strict=True):
            width = PLOT_WIDTH * part / top
            segments.append((x, width, css))
            x += width
        bar_width = sum(segment[1] for segment in segments)
        bars.append(
            Bar(
                label=_short(label),
                value=value,
                y=index * ROW_HEIGHT + 4,
                width=bar_width,
                segments=segments,
                text_x=LABEL_WIDTH + bar_width + 5,
            )
        )
    return Chart(
        width=WIDTH,
        height=max(len(bars), 1) * ROW_HEIGHT + 8,
        label_width=LABEL_WIDTH,
        bars=bars,
        legend=list(legend),
    )
