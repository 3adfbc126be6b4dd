"""CSV and XLSX exports: the same rows as the table, numbers as numbers, no formulas."""

import csv
import io
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pytest

from apps.stats import figures
from apps.stats.exports import table_to_csv, table_to_xlsx
from apps.stats.tables import Column, Table

from .fixtures import build_statistics_world

HOSTILE = Table(
    slug="hostile",
    title="Tricky: cells [1/2]",
    summary="",
    columns=(
        Column("text", "Text"),
        Column("amount", "Amount", numeric=True, unit="SEK"),
        Column("day", "Day"),
    ),
    rows=(
        ('=HYPERLINK("http://evil.example","click")', Decimal("-1250.50"), date(2025, 12, 31)),
        ("+46 500 12 34", -3, None),
        ("-2+3", 2.5, date(2025, 1, 1)),
        ("@SUM(A1:A2)", 0, None),
        ("\tindented", 7, None),
        ("\rreturn", 8, None),
        ("Skövde – Åsa", None, None),
    ),
)


def _xlsx_rows(data: bytes) -> list[tuple]:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    return list(sheet.iter_rows(values_only=True))


def test_xlsx_neutralises_formulas_and_keeps_numbers_and_dates():
    rows = _xlsx_rows(table_to_xlsx(HOSTILE))
    assert rows[0] == ("Text", "Amount (SEK)", "Day")
    first = rows[1]
    assert first[0] == '\'=HYPERLINK("http://evil.example","click")'
    # A real negative number stays a number; a date comes back as a date.
    assert first[1] == pytest.approx(-1250.5) and isinstance(first[1], float | int)
    assert first[2] == datetime(2025, 12, 31)
    assert [row[0] for row in rows[2:]] == [
        "'+46 500 12 34",
        "'-2+3",
        "'@SUM(A1:A2)",
        "'\tindented",
        # XML turns a carriage return into a line feed when read back; the ' stays first.
        "'\nreturn",
        "Skövde – Åsa",
    ]
    assert [row[1] for row in rows[2:]] == [-3, 2.5, 0, 7, 8, None]


def test_xlsx_stores_no_formula_cells():
    sheet = openpyxl.load_workbook(io.BytesIO(table_to_xlsx(HOSTILE))).active
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_csv_is_utf8_with_bom_semicolons_and_decimal_commas():
    data = table_to_csv(HOSTILE)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows[0] == ["Text", "Amount (SEK)", "Day"]
    assert rows[1] == ['\'=HYPERLINK("http://evil.example","click")', "-1250,50", "2025-12-31"]
    assert rows[2] == ["'+46 500 12 34", "-3", ""]
    assert rows[3] == ["'-2+3", "2,5", "2025-01-01"]
    assert rows[4][0] == "'@SUM(A1:A2)"
    assert rows[5][0] == "'\tindented"
    assert rows[6][0] == "'\rreturn"
    assert rows[7] == ["Skövde – Åsa", "", ""]


@pytest.mark.django_db
def test_every_dashboard_table_exports_exactly_its_rows(world):
    stats = build_statistics_world(world)
    for table in figures.dashboard_tables(filters=stats.filters):
        rows = _xlsx_rows(table_to_xlsx(table))
        assert rows[0] == tuple(
            f"{c.label} ({c.unit})" if c.unit else c.label for c in table.columns
        )
        expected = [
            tuple(float(v) if isinstance(v, Decimal) else v for v in row) for row in table.rows
        ]
        assert rows[1:] == expected, table.slug
        csv_rows = list(
            csv.reader(io.StringIO(table_to_csv(table).decode("utf-8-sig")), delimiter=";")
        )
        assert len(csv_rows) == len(table.rows) + 1
