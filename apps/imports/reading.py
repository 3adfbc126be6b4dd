"""Reading an import file into a header row and data rows: CSV (UTF-8 with or without a
byte order mark, or Windows-1252 as Excel saves "CSV" on Swedish Windows; `;`, `,` or
tab separated, found from the header line) and Excel workbooks (.xlsx, the first sheet).

Everything wrong with the file as a whole is a FileProblem with a clear message; what is
wrong inside a row is checked later (apps.imports.checking).
"""

import csv
import io
import zipfile
from dataclasses import dataclass

from .problems import FileProblem

MB = 1024 * 1024
#: The largest files read. A workbook is a zip of XML: small on disk, large once read.
MAX_CSV_BYTES = 10 * MB
MAX_XLSX_BYTES = 2 * MB
#: What the workbook's parts may hold once unzipped (a "zip bomb" stops here).
MAX_XLSX_UNZIPPED_BYTES = 60 * MB
#: The most ideas one file may hold.
MAX_ROWS = 50_000

CSV_SUFFIXES = (".csv", ".txt")
XLSX_SUFFIX = ".xlsx"


@dataclass
class Table:
    """A file's header row and its non-empty data rows, each with the row number a
    spreadsheet program shows for it."""

    headers: list[object]
    rows: list[tuple[int, list[object]]]
    kind: str  # "csv" or "xlsx"


def file_kind(filename: str) -> str:
    """ "csv" or "xlsx" from the file's name, or a FileProblem for anything else."""
    name = filename.lower().strip()
    if name.endswith(XLSX_SUFFIX):
        return "xlsx"
    if name.endswith(CSV_SUFFIXES):
        return "csv"
    if name.endswith((".xls", ".xlsm", ".xlsb")):
        raise FileProblem("old_excel")
    raise FileProblem("wrong_type")


def check_size(*, filename: str, size: int) -> str:
    """The file's kind, once its name and size are acceptable."""
    kind = file_kind(filename)
    if size == 0:
        raise FileProblem("empty")
    limit = MAX_XLSX_BYTES if kind == "xlsx" else MAX_CSV_BYTES
    if size > limit:
        raise FileProblem("too_big", limit=limit // MB, kind=kind.upper())
    return kind


def read_table(*, data: bytes, filename: str) -> Table:
    """Read the file's header row and data rows."""
    kind = check_size(filename=filename, size=len(data))
    table = _read_xlsx(data) if kind == "xlsx" else _read_csv(data)
    if not any(_cell_text(h) for h in table.headers):
        raise FileProblem("no_header")
    if not table.rows:
        raise FileProblem("no_rows")
    if len(table.rows) > MAX_ROWS:
        raise FileProblem("too_many_rows", limit=MAX_ROWS)
    return table


def _cell_text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _is_blank(cells: list[object]) -> bool:
    return not any(_cell_text(cell) for cell in cells)


def _decode(data: bytes) -> str:
    if data.startswith(b"PK\x03\x04") or b"\x00" in data[:4096]:
        # A workbook or another binary file with a .csv name.
        raise FileProblem("not_text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise FileProblem("not_text") from None


def _delimiter(header_line: str) -> str:
    """The separator the header line uses most: headers hold no separators, so counting
    them is a sturdier sniff than guessing from the data rows."""
    counts = {sep: header_line.count(sep) for sep in (";", ",", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ";"


def _read_csv(data: bytes) -> Table:
    text = _decode(data)
    if not text.strip():
        raise FileProblem("empty")
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first))
    headers: list[object] | None = None
    rows: list[tuple[int, list[object]]] = []
    try:
        # Rows are numbered as records (the header is row 1), which is what a spreadsheet
        # program shows when it opens the file, even when a cell spans several lines.
        for number, record in enumerate(reader, start=1):
            if headers is None:
                if _is_blank(record):
                    continue
                headers = list(record)
                continue
            if _is_blank(record):
                continue
            rows.append((number, list(record)))
            if len(rows) > MAX_ROWS:
                break
    except csv.Error:
        raise FileProblem("not_text") from None
    if headers is None:
        raise FileProblem("no_header")
    return Table(headers=headers, rows=rows, kind="csv")


def _read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_XLSX_UNZIPPED_BYTES:
                raise FileProblem("too_big", limit=MAX_XLSX_BYTES // MB, kind="XLSX")
    except zipfile.BadZipFile:
        raise FileProblem("broken_xlsx") from None
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged workbook
        raise FileProblem("broken_xlsx") from None
    try:
        if not workbook.worksheets:
            raise FileProblem("no_header")
        sheet = workbook.worksheets[0]
        headers: list[object] | None = None
        rows: list[tuple[int, list[object]]] = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = list(values)
            if _is_blank(cells):
                continue
            if headers is None:
                headers = cells
                continue
            rows.append((number, cells))
            if len(rows) > MAX_ROWS:
                break
    except FileProblem:
        raise
    except Exception:
        raise FileProblem("broken_xlsx") from None
    finally:
        workbook.close()
    if headers is None:
        raise FileProblem("no_header")
    return Table(headers=headers, rows=rows, kind="xlsx")
