"""Builders for import tests: files written the way spreadsheets write them."""

import csv
import io

from openpyxl import Workbook

HEADER_SV = ["Titel", "Beskrivning", "Kommun"]


def csv_bytes(
    rows: list[list[object]],
    *,
    header: list[str] = HEADER_SV,
    delimiter: str = ";",
    bom: bool = False,
    encoding: str = "utf-8",
) -> bytes:
    """A CSV file as Excel writes one: header row first, `\\r\\n` line ends."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    data = out.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def xlsx_bytes(rows: list[list[object]], *, header: list[str] = HEADER_SV) -> bytes:
    """An Excel workbook whose first sheet holds the header and the rows."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    # A second sheet that must be ignored: only the first sheet is read.
    workbook.create_sheet("Anteckningar").append(["Inte", "en", "idé"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def many_rows(count: int, municipalities: list[str]) -> list[list[str]]:
    """`count` distinct, valid rows spread over the municipalities."""
    return [
        [
            f"Idé {number}: digital närvaro i förskolan",
            f"Förslag {number}: föräldrar anmäler frånvaro i en app i stället för per telefon.",
            municipalities[number % len(municipalities)],
        ]
        for number in range(1, count + 1)
    ]
