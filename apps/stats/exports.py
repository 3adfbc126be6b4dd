"""A statistic's table as a CSV or XLSX file: exactly the rows the page shows.

CSV is written for Swedish Excel, which most readers open it with: UTF-8 with a byte-order
mark (without it Excel reads the file as Windows-1252 and breaks å, ä, ö), semicolons
between fields (Swedish Excel's list separator; with commas it puts every row in one
column), decimal commas in numbers (2,5 — with a point Swedish Excel reads a date or
text), dates as ISO 8601 (2025-12-31), and CRLF line ends.

Both formats neutralise formula injection (OWASP "CSV injection"): a text cell that
begins with =, +, -, @, a tab or a carriage return gets a leading apostrophe, so no
spreadsheet runs it as a formula. Numbers stay numbers, negative ones too: only text is
changed.
"""

import csv
import io
import re
from datetime import date, datetime
from decimal import Decimal

from .tables import Cell, Table

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def neutralise(text: str) -> str:
    """Text that a spreadsheet would take for a formula, made harmless with a leading '."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def header(table: Table) -> list[str]:
    """Column labels with their unit, e.g. "Realised (SEK)": the unit is not in the cells."""
    return [
        neutralise(f"{column.label} ({column.unit})" if column.unit else str(column.label))
        for column in table.columns
    ]


def _csv_cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value).replace(".", ",")
    if isinstance(value, Decimal):
        return format(value, "f").replace(".", ",")
    if isinstance(value, datetime | date):
        return value.isoformat()
    return neutralise(str(value))


def table_to_csv(table: Table) -> bytes:
    """The table as CSV for Swedish Excel (see the module docstring): header row first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header(table))
    for row in table.rows:
        writer.writerow([_csv_cell(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _xlsx_cell(value: Cell):
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if value is not None and not isinstance(value, int | float | Decimal | date):
        value = str(value)  # lazy translations and other text-like values
    if isinstance(value, str):
        # Control characters are not allowed in XLSX; they carry no meaning in a table.
        return neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value


def table_to_xlsx(table: Table) -> bytes:
    """The table as one XLSX sheet: a bold header row, numbers as numbers (Decimal and
    float alike), dates as dates, empty cells for unknown values."""
    # Imported here, not at the top: openpyxl holds about 28 MB in every process that
    # imports it, and the web process and the worker import this module at start-up
    # (through the ideas' views and the privacy services) but rarely write an XLSX.
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _SHEET_TITLE_FORBIDDEN.sub(" ", table.title)[:31] or table.slug[:31]
    sheet.append(header(table))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table.rows:
        values = [_xlsx_cell(value) for value in row]
        sheet.append(values)
        for cell, value in zip(sheet[sheet.max_row], values, strict=True):
            if isinstance(value, str):
                # Stored as text: openpyxl would otherwise write a string with "=" as a formula.
                cell.data_type = "s"
            elif isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"
    for index, column in enumerate(table.columns, start=1):
        widest = max([len(str(v)) for v in column_values(table, index - 1)] + [len(column.label)])
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = min(60, widest + 2)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def column_values(table: Table, index: int) -> list[Cell]:
    return [row[index] for row in table.rows if row[index] is not None]
