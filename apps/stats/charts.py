"""Charts drawn on the server as SVG, from a `Table`.

A chart is an image with a title and a description (the table's summary) that screen
readers announce; the numbers themselves are read from the data table printed beside it.
No JavaScript, no `style` attributes and no `<style>` element (a Content-Security-Policy
without 'unsafe-inline' is coming): only SVG presentation attributes, whose colours are
chosen for contrast against the white background (text 4.5:1 or more, bars 3:1 or more).
Every text that comes from data is escaped.
"""

from datetime import date
from decimal import Decimal

from django.utils import formats
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .tables import Cell, Column, Table

#: The chart's background; every colour below is measured against it.
BACKGROUND = "#ffffff"
#: Text: contrast 16.6:1 on white.
TEXT = "#1b1f24"
#: Bars: the brand blue, contrast 8.9:1 on white (WCAG asks 3:1 for graphics).
BAR = "#0b4f6c"
#: The zero line: contrast 7.4:1 on white.
AXIS = "#4a5360"

WIDTH = 640
PADDING = 12
LABEL_HEIGHT = 20  # the label line above each bar
BAR_HEIGHT = 18
ROW_GAP = 12
#: Room kept right of the longest bar for its value.
VALUE_ROOM = 110
FONT_SIZE = 14


def format_cell(value: Cell, column: Column | None = None) -> str:
    """A cell as readers see it: "–" for nothing, numbers in the language's format with
    the column's unit after them."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | Decimal):
        # The figures round their values; shown as they are, never cut further.
        text = formats.number_format(value, use_l10n=True, force_grouping=True)
        unit = column.unit if column else ""
        return f"{text}\u00a0{unit}" if unit else text
    if isinstance(value, date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def _column(table: Table, key: str) -> tuple[int, Column]:
    for index, column in enumerate(table.columns):
        if column.key == key:
            return index, column
    raise ValueError(f"The table {table.slug!r} has no column {key!r}.")


def _bars(table: Table) -> list[tuple[str, float, str]]:
    """(label, length, value as text) per row; a missing or negative value draws no bar."""
    if table.chart is None:
        raise ValueError(f"The table {table.slug!r} has no chart.")
    label_index, label_column = _column(table, table.chart.label_column)
    value_index, value_column = _column(table, table.chart.value_column)
    bars = []
    for row in table.rows:
        value = row[value_index]
        length = float(value) if isinstance(value, int | float | Decimal) else 0.0
        bars.append(
            (
                format_cell(row[label_index], label_column),
                max(length, 0.0),
                format_cell(value, value_column),
            )
        )
    return bars


def chart_id(table: Table) -> str:
    return f"chart-{table.slug}"


def _open_svg(table: Table, height: int, description: str) -> list[str]:
    ident = chart_id(table)
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="stats-chart" role="img" '
        f'id="{escape(ident)}" aria-labelledby="{escape(ident)}-title" '
        f'aria-describedby="{escape(ident)}-desc" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'preserveAspectRatio="xMinYMin meet" font-family="sans-serif" font-size="{FONT_SIZE}">',
        f'<title id="{escape(ident)}-title">{escape(table.title)}</title>',
        f'<desc id="{escape(ident)}-desc">{escape(description)}</desc>',
        f'<rect x="0" y="0" width="{WIDTH}" height="{height}" fill="{BACKGROUND}"/>',
    ]


def _no_data(table: Table) -> SafeString:
    message = _("No data for this period")
    height = 2 * PADDING + LABEL_HEIGHT
    parts = _open_svg(table, height, f"{table.summary} {message}".strip())
    parts.append(
        f'<text class="stats-chart-empty" x="{PADDING}" y="{PADDING + FONT_SIZE}" '
        f'fill="{TEXT}">{escape(message)}</text>'
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece of data above is escaped


def _has_data(bars: list[tuple[str, float, str]]) -> bool:
    return any(length > 0 for _label, length, _value in bars)


def _height(count: int) -> int:
    return 2 * PADDING + count * (LABEL_HEIGHT + BAR_HEIGHT + ROW_GAP) - ROW_GAP


def bar_chart(table: Table) -> SafeString:
    """Horizontal bars, one per row, each with its label above it and its value after it;
    the longest bar is the largest value."""
    bars = _bars(table)
    if not _has_data(bars):
        return _no_data(table)
    largest = max(length for _label, length, _value in bars)
    room = WIDTH - 2 * PADDING - VALUE_ROOM
    height = _height(len(bars))
    parts = _open_svg(table, height, table.summary)
    y = PADDING
    for label, length, value in bars:
        width = round(room * length / largest, 2)
        bar_y = y + LABEL_HEIGHT
        parts.append('<g class="stats-bar">')
        parts.append(
            f'<text x="{PADDING}" y="{y + FONT_SIZE}" fill="{TEXT}">{escape(label)}</text>'
        )
        parts.append(
            f'<rect class="stats-bar-rect" x="{PADDING}" y="{bar_y}" width="{width}" '
            f'height="{BAR_HEIGHT}" fill="{BAR}"/>'
        )
        parts.append(
            f'<text class="stats-bar-value" x="{PADDING + width + 6}" '
            f'y="{bar_y + BAR_HEIGHT - 4}" fill="{TEXT}" font-weight="bold">{escape(value)}</text>'
        )
        parts.append("</g>")
        y += LABEL_HEIGHT + BAR_HEIGHT + ROW_GAP
    parts.append(
        f'<line x1="{PADDING}" y1="{PADDING}" x2="{PADDING}" y2="{height - PADDING}" '
        f'stroke="{AXIS}" stroke-width="1"/>'
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece of data above is escaped


def funnel_chart(table: Table) -> SafeString:
    """Centred bars, one per stage in the table's order, so the narrowing reads as a
    funnel; each bar has "label: value" above it."""
    bars = _bars(table)
    if not _has_data(bars):
        return _no_data(table)
    largest = max(length for _label, length, _value in bars)
    room = WIDTH - 2 * PADDING
    middle = WIDTH / 2
    height = _height(len(bars))
    parts = _open_svg(table, height, table.summary)
    y = PADDING
    for label, length, value in bars:
        width = round(room * length / largest, 2)
        bar_y = y + LABEL_HEIGHT
        parts.append('<g class="stats-bar">')
        parts.append(
            f'<text x="{middle}" y="{y + FONT_SIZE}" fill="{TEXT}" text-anchor="middle">'
            f'{escape(label)}: <tspan class="stats-bar-value" font-weight="bold">'
            f"{escape(value)}</tspan></text>"
        )
        parts.append(
            f'<rect class="stats-bar-rect" x="{round(middle - width / 2, 2)}" y="{bar_y}" '
            f'width="{width}" height="{BAR_HEIGHT}" fill="{BAR}"/>'
        )
        parts.append("</g>")
        y += LABEL_HEIGHT + BAR_HEIGHT + ROW_GAP
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece of data above is escaped


CHARTS = {"bar": bar_chart, "funnel": funnel_chart}


def chart_for(table: Table) -> SafeString:
    """The table's chart, or an empty string for a table drawn as a table only."""
    if table.chart is None or table.chart.kind not in CHARTS:
        return mark_safe("")
    return CHARTS[table.chart.kind](table)
