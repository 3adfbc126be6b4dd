"""Reading import files: CSV variants, XLSX, header names, and every file-level refusal."""

import io
import zipfile
from datetime import datetime

import pytest

from apps.imports.columns import map_headers
from apps.imports.problems import FileProblem
from apps.imports.reading import MAX_XLSX_BYTES, read_table
from apps.imports.testing import csv_bytes, xlsx_bytes

ROWS = [["Lånecyklar", "Cyklar att låna", "Skövde"], ["Matsvinn", "Mindre svinn", "Hjo"]]


def problem(data: bytes, filename: str) -> FileProblem:
    with pytest.raises(FileProblem) as caught:
        map_headers(read_table(data=data, filename=filename).headers)
    return caught.value


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
@pytest.mark.parametrize("bom", [True, False])
def test_csv_separator_is_found_and_a_byte_order_mark_is_dropped(delimiter, bom):
    table = read_table(data=csv_bytes(ROWS, delimiter=delimiter, bom=bom), filename="a.csv")
    assert [str(h) for h in table.headers] == ["Titel", "Beskrivning", "Kommun"]
    assert table.rows == [(2, ROWS[0]), (3, ROWS[1])]
    assert map_headers(table.headers).positions == {"title": 0, "text": 1, "municipality": 2}


def test_commas_inside_quoted_cells_do_not_split_them():
    rows = [["Taggar, många", "Text; med semikolon", "Skövde"]]
    table = read_table(data=csv_bytes(rows, delimiter=","), filename="a.csv")
    assert table.rows[0][1] == rows[0]


def test_windows_1252_csv_as_excel_saves_it_on_swedish_windows():
    table = read_table(data=csv_bytes(ROWS, encoding="cp1252"), filename="gammal.CSV")
    assert table.rows[0][1][0] == "Lånecyklar"


def test_blank_rows_are_skipped_and_row_numbers_are_the_spreadsheets():
    data = "titel;text;kommun\n\nA;B;Skövde\n;;\nC;D;Hjo\n".encode()
    table = read_table(data=data, filename="a.csv")
    assert [line for line, _cells in table.rows] == [3, 5]


def test_xlsx_first_sheet_with_dates_and_numbers():
    when = datetime(2024, 3, 5, 9, 30)
    data = xlsx_bytes(
        [["Idé", "Text", "Skövde", when, 42]],
        header=["Title", "Text", "Municipality", "Created", "Reference"],
    )
    table = read_table(data=data, filename="ideas.xlsx")
    assert table.kind == "xlsx"
    assert table.rows == [(2, ["Idé", "Text", "Skövde", when, 42])]


@pytest.mark.parametrize(
    "headers",
    [
        ["Titel", "Beskrivning", "Kommun", "E-post", "Idébärare", "Taggar", "Ägare"],
        [
            "TITLE",
            "text",
            "Municipality",
            "Submitter email",
            "submitter_name",
            "Tags",
            "owner email",
        ],
        [" titel ", "Lösning", "KOMMUN", "e_post", "Namn", "etiketter", "Owner"],
    ],
)
def test_header_names_in_swedish_and_english_in_any_case(headers):
    mapped = map_headers(headers)
    assert mapped.positions == {
        "title": 0,
        "text": 1,
        "municipality": 2,
        "submitter_email": 3,
        "submitter_name": 4,
        "tags": 5,
        "owner_email": 6,
    }


def test_unknown_columns_are_reported_not_refused():
    mapped = map_headers(["Titel", "Text", "Kommun", "Kostnad", ""])
    assert mapped.ignored == ["Kostnad"]


def test_missing_required_columns_are_named():
    refused = problem(csv_bytes(ROWS, header=["Titel", "Kommun", "Datum"]), "a.csv")
    assert refused.code == "missing_columns"
    assert refused.params == {"columns": ["text"]}
    assert "beskrivning" in refused.message


def test_two_columns_meaning_the_same_field_are_refused():
    refused = problem(csv_bytes(ROWS, header=["Titel", "Text", "Beskrivning", "Kommun"]), "a.csv")
    assert refused.code == "duplicate_header"
    assert (
        refused.message
        == "Kolumnerna ”Text” och ”Beskrivning” betyder båda Text. Behåll en av dem."
    )


@pytest.mark.parametrize(
    ("data", "filename", "code"),
    [
        (b"", "tom.csv", "empty"),
        (b"\xef\xbb\xbf \r\n", "tom.csv", "empty"),
        (b"titel;text;kommun\r\n", "bara-rubriker.csv", "no_rows"),
        (b"%PDF-1.4", "ideer.pdf", "wrong_type"),
        (b"\xd0\xcf\x11\xe0", "ideer.xls", "old_excel"),
        (b"PK\x03\x04 not really", "ideer.csv", "not_text"),
        (b"not a zip", "ideer.xlsx", "broken_xlsx"),
    ],
)
def test_file_level_refusals(data, filename, code):
    assert problem(data, filename).code == code


def test_an_xlsx_over_2_mb_is_refused_before_it_is_opened():
    big = xlsx_bytes(ROWS) + b"\0" * MAX_XLSX_BYTES
    refused = problem(big, "stor.xlsx")
    assert refused.code == "too_big"
    assert "2 MB" in refused.message


def test_a_small_xlsx_that_unzips_to_too_much_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (70 * 1024 * 1024))
    assert len(out.getvalue()) < MAX_XLSX_BYTES
    assert problem(out.getvalue(), "bomb.xlsx").code == "too_big"
