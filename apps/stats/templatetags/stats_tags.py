"""Template helpers of the statistics pages: the chart of a table, and its cells as text."""

from django import template
from django.utils.safestring import SafeString

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
