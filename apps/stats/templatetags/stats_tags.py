"""Template helpers of the statistics pages: the chart of a table, and its cells as text."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from apps.stats.charts import chart_for, format_cell
from apps.stats.tables import Table

register = template.Library()


@register.simple_tag
def stats_chart(table: Table) -> SafeString:
    """The table's SVG chart (empty for a table without one), of the rows the page shows."""
    return chart_for(table.on_page())


@register.simple_tag
def stats_rows(table: Table) -> list[list[dict]]:
    """The rows as cells ready to print: their text and whether they hold a number."""
    return [
        [
            {"text": format_cell(value, column), "numeric": column.numeric}
            for value, column in zip(row, table.columns, strict=True)
        ]
        for row in table.on_page().rows
    ]


_NUMERIC = mark_safe(' class="num"')


@register.simple_tag
def stats_row(cells: list[dict]) -> SafeString:
    """One row of `stats_rows` as table cells: the first a header for its row, numbers
    marked for right alignment, every text escaped. Built here rather than by a loop in
    the template: a dashboard shows some 600 cells, and the loop cost about 10 µs each."""
    head, *rest = cells
    return format_html(
        '<th scope="row"{}>{}</th>{}',
        _NUMERIC if head["numeric"] else "",
        head["text"],
        format_html_join(
            "", "<td{}>{}</td>", ((_NUMERIC if c["numeric"] else "", c["text"]) for c in rest)
        ),
    )
