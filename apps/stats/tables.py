"""The shape every statistic takes, shared by the figures, the pages, the charts and exports.

A statistic is computed once as a `Table`: plain values in rows, a title, and a one-sentence
summary in words. The dashboard draws a chart from it, prints the summary and the table
beside the chart, and exports exactly the same rows as CSV or XLSX, so what a reader sees,
prints and downloads is always the same figure.
"""

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

#: What a cell may hold. None is shown as "–" and exported as an empty cell.
Cell = str | int | float | Decimal | date | None


@dataclass(frozen=True)
class Column:
    """One column: `key` is stable (exports, tests), `label` is translated for readers."""

    key: str
    label: str
    numeric: bool = False
    #: Shown after numbers in the page ("%", "days", "SEK"); not part of exported values.
    unit: str = ""


@dataclass(frozen=True)
class Chart:
    """How to draw a table: which column names the bars and which holds their length."""

    kind: str  # "bar" (horizontal bars) or "funnel"; tables without a chart use None
    label_column: str
    value_column: str


@dataclass(frozen=True)
class Table:
    """One statistic, ready to be shown, charted and exported."""

    slug: str  # stable and URL-safe: "funnel", "ideas-per-1000", … (export URLs use it)
    title: str
    summary: str  # one or two sentences that say what the table shows, in words
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    chart: Chart | None = None
    #: Said under the table: how the figure is computed, what is left out.
    note: str = ""
    #: A long table (one row per solution, say) shows only its first rows on the page and
    #: in the chart; the downloads always hold every row. None shows all.
    page_rows: int | None = None

    def on_page(self) -> "Table":
        """The table as the page shows it: at most `page_rows` rows."""
        if self.page_rows is None or len(self.rows) <= self.page_rows:
            return self
        return replace(self, rows=self.rows[: self.page_rows])

    @property
    def rows_left_out(self) -> int:
        """How many rows the page leaves out (they are in the downloads)."""
        return len(self.rows) - len(self.on_page().rows)


@dataclass(frozen=True)
class Filters:
    """What a statistic is computed over. Selectors build it from the request, already
    narrowed to what the acting user may see; figure functions trust it."""

    start: date  # first day of the period, inclusive
    end: date  # last day of the period, inclusive
    consortium_ids: frozenset[int]
    #: None means every municipality of those consortia.
    municipality_ids: frozenset[int] | None = None
    extra: dict = field(default_factory=dict)
