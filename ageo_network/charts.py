"""Server-rendered SVG bar charts: no JavaScript, no CDN, nothing the strict CSP blocks (presentation
attributes only, never a style attribute), readable in print and without colour (every bar carries its
label and its value; a second series is hatched and a third light, not just coloured). Pages show a table under each
chart with the same numbers, for screen readers and for copying.

    {{ chart }}  where  chart = bar_chart([("リーフレット", 120), ("カード", 80)], title="在庫", unit="枚")
"""

import itertools
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

ROW_HEIGHT = 26
BAR_HEIGHT = 18
LABEL_WIDTH = 220
LABEL_CHARS = 16  # a longer label is shortened in the chart; the table under it has it whole
VALUE_WIDTH = 130
VALUE_GAP = 6
FONT = 13
SUPPRESSED = "＊"
# The PDFs' shipped font first (WeasyPrint's SVG text does not follow the page's CSS), then the screen's.
FONT_FAMILY = "Ageo IPAexGothic, system-ui, sans-serif"
FILLS = ("#2f5d8a", "url(#{hatch})", "#d5e0eb")  # dark, hatched, light: told apart without colour too
# Each chart's hatch pattern has an id of its own: a page or PDF holds many charts, and an id defined twice is
# ambiguous (WeasyPrint warns on every one).
_HATCH_IDS = itertools.count(1)


@dataclass(frozen=True)
class Series:
    label: str
    values: list[int | None]  # None: a suppressed small count, drawn as ＊ without a bar


def _text(x, y, content, *, anchor="start", weight="normal", fill="#212529") -> str:
    return (
        f'<text x="{x}" y="{y}" font-size="{FONT}" text-anchor="{anchor}" font-weight="{weight}" '
        f'fill="{fill}" dominant-baseline="middle">{escape(content)}</text>'
    )


def bar_chart(
    rows: list[tuple[str, int]] | None = None,
    *,
    title: str,
    unit: str = "",
    labels: list[str] | None = None,
    series: list[Series] | None = None,
    width: int = 760,
) -> SafeString:
    """A horizontal bar chart. Either `rows` [(label, value)] for one series, or `labels` and `series`
    for several (drawn side by side in each row, with a legend)."""
    if series is None:
        rows = rows or []
        labels = [label for label, _ in rows]
        series = [Series("", [value for _, value in rows])]
    labels = labels or []
    per_row = len(series)
    largest = max([v for s in series for v in s.values if v is not None] + [1])
    plot_width = width - LABEL_WIDTH - VALUE_WIDTH
    legend_height = ROW_HEIGHT if per_row > 1 else 0
    row_height = ROW_HEIGHT * per_row + 6
    height = 30 + legend_height + max(len(labels), 1) * row_height
    hatch = f"chart-hatch-{next(_HATCH_IDS)}"
    fills = [fill.format(hatch=hatch) for fill in FILLS]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" preserveAspectRatio="xMinYMin meet" font-family="{FONT_FAMILY}">',
        f"<title>{escape(title)}</title>",
        f'<defs><pattern id="{hatch}" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#6c757d" stroke-width="3"/></pattern></defs>',
        _text(0, 12, title, weight="bold"),
    ]
    top = 30
    if per_row > 1:
        x = 0
        for index, one in enumerate(series):
            parts.append(
                f'<rect x="{x}" y="{top + 3}" width="14" height="14" fill="{fills[index % len(fills)]}" stroke="#212529"/>'
            )
            parts.append(_text(x + 20, top + 10, one.label))
            x += 40 + len(one.label) * FONT
        top += legend_height
    if not labels:
        parts.append(_text(0, top + 10, "データがありません"))
    for row, label in enumerate(labels):
        y = top + row * row_height
        short = label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"
        parts.append(_text(LABEL_WIDTH - 8, y + ROW_HEIGHT * per_row / 2, short, anchor="end"))
        for index, one in enumerate(series):
            value = one.values[row] if row < len(one.values) else 0
            bar_y = y + index * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) / 2
            bar_width = round(plot_width * value / largest) if value else 0
            if value is None:  # a suppressed small count: no bar, the mark instead of the number
                value, unit_shown = SUPPRESSED, ""
            else:
                unit_shown = unit
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{bar_y}" width="{bar_width}" height="{BAR_HEIGHT}" '
                f'fill="{fills[index % len(fills)]}" stroke="#212529" stroke-width="0.5"/>'
            )
            prefix = f"{one.label} " if per_row > 1 else ""
            parts.append(
                _text(LABEL_WIDTH + bar_width + VALUE_GAP, bar_y + BAR_HEIGHT / 2, f"{prefix}{value}{unit_shown}")
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text is escaped above)
