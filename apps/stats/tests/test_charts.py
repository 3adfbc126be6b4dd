"""The server-drawn SVG charts, parsed as XML: one bar per row, lengths proportional to the
values, a title and a description for screen readers, escaped text, no inline styles."""

import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.utils.translation import gettext as _

from apps.stats.charts import BACKGROUND, BAR, TEXT, bar_chart, chart_for, funnel_chart
from apps.stats.tables import Chart, Column, Table

SVG = "{http://www.w3.org/2000/svg}"


def table(rows, *, kind="bar", title="Idéer per kommun", summary="Skövde har flest idéer."):
    return Table(
        slug="ideas-per-municipality",
        title=title,
        summary=summary,
        columns=(
            Column("municipality", "Kommun"),
            Column("ideas", "Idéer", numeric=True),
        ),
        rows=tuple(rows),
        chart=Chart(kind=kind, label_column="municipality", value_column="ideas"),
    )


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output, parsed to check it


def bar_widths(root: ET.Element) -> list[float]:
    return [float(rect.get("width")) for rect in root.iter(f"{SVG}rect") if rect.get("class")]


def texts(root: ET.Element) -> list[str]:
    return ["".join(node.itertext()) for node in root.iter(f"{SVG}text")]


@pytest.mark.parametrize("draw", [bar_chart, funnel_chart])
def test_one_bar_per_row_with_lengths_proportional_to_the_values(draw):
    root = parse(draw(table([("Skövde", 40), ("Hjo", 10), ("Tibro", 25)])))
    widths = bar_widths(root)
    assert len(widths) == 3
    longest = widths[0]
    assert longest > 0
    assert widths[1] == pytest.approx(longest * 10 / 40, abs=0.01)
    assert widths[2] == pytest.approx(longest * 25 / 40, abs=0.01)


@pytest.mark.parametrize("draw", [bar_chart, funnel_chart])
def test_the_largest_value_fills_the_room_whatever_its_size(draw):
    small = bar_widths(parse(draw(table([("Skövde", 4), ("Hjo", 1)]))))
    large = bar_widths(parse(draw(table([("Skövde", 4000), ("Hjo", 1000)]))))
    assert small == large
    viewbox_width = float(parse(draw(table([("A", 1)]))).get("viewBox").split()[2])
    assert small[0] <= viewbox_width


@pytest.mark.parametrize("draw", [bar_chart, funnel_chart])
def test_title_and_description_name_the_image(draw):
    root = parse(draw(table([("Skövde", 3)])))
    assert root.get("role") == "img"
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title.text == "Idéer per kommun"
    assert desc.text == "Skövde har flest idéer."
    assert root.get("aria-labelledby") == title.get("id")
    assert root.get("aria-describedby") == desc.get("id")


@pytest.mark.parametrize("draw", [bar_chart, funnel_chart])
def test_every_bar_has_its_label_and_value_as_text(draw):
    root = parse(draw(table([("Skövde", 1234), ("Hjo", Decimal("2.5"))])))
    words = " ".join(texts(root))
    assert "Skövde" in words and "Hjo" in words
    assert re.search(r"1\D?234", words)  # grouped the language's way
    assert re.search(r"2[.,]5", words)


@pytest.mark.parametrize("draw", [bar_chart, funnel_chart])
def test_text_from_data_is_escaped(draw):
    hostile = '<script>alert("x")</script> & "Hjo"'
    svg = draw(table([(hostile, 2)], title="<b>Titel</b> & co", summary="<i>sammanfattning</i>"))
    assert "<script>" not in svg and "<b>" not in svg and "<i>" not in svg
    root = parse(svg)  # still well-formed XML
    assert hostile in texts(root)[0]
    assert root.find(f"{SVG}title").text == "<b>Titel</b> & co"
    assert not list(root.iter(f"{SVG}script"))


@pytest.mark.parametrize("draw", [bar_chart, funnel_chart])
@pytest.mark.parametrize("rows", [[], [("Skövde", 0), ("Hjo", 0)], [("Skövde", None)]])
def test_no_data_draws_no_bars_and_says_so(draw, rows):
    root = parse(draw(table(rows)))
    assert bar_widths(root) == []
    assert _("No data for this period") in " ".join(texts(root))
    assert _("No data for this period") in root.find(f"{SVG}desc").text


def test_a_missing_value_among_others_draws_no_bar_but_keeps_its_row():
    root = parse(bar_chart(table([("Skövde", 5), ("Hjo", None)])))
    assert bar_widths(root)[1] == 0
    assert "–" in " ".join(texts(root))


@pytest.mark.parametrize("draw", [bar_chart, funnel_chart])
def test_no_inline_style_only_presentation_attributes(draw):
    svg = draw(table([("Skövde", 5), ("Hjo", 3)]))
    root = parse(svg)
    assert not [el for el in root.iter() if "style" in el.attrib]
    assert not list(root.iter(f"{SVG}style"))
    assert not [name for el in root.iter() for name in el.attrib if name.startswith("on")]
    fills = {el.get("fill") for el in root.iter() if el.get("fill")}
    assert fills <= {BACKGROUND, BAR, TEXT}


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: str, other: str) -> float:
    lighter, darker = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_colours_meet_wcag_contrast_against_the_background():
    assert contrast(TEXT, BACKGROUND) >= 4.5
    assert contrast(BAR, BACKGROUND) >= 3


def test_chart_ids_are_unique_per_table_so_two_charts_share_a_page():
    one = parse(bar_chart(table([("Skövde", 1)])))
    other_table = Table(
        slug="funnel",
        title="Tratten",
        summary="",
        columns=(Column("stage", "Steg"), Column("ideas", "Idéer", numeric=True)),
        rows=(("Inkommen", 3),),
        chart=Chart(kind="funnel", label_column="stage", value_column="ideas"),
    )
    other = parse(chart_for(other_table))
    ids = {el.get("id") for root in (one, other) for el in root.iter() if el.get("id")}
    assert len(ids) == 6


def test_a_table_without_a_chart_draws_nothing():
    plain = Table(slug="plain", title="T", summary="", columns=(Column("a", "A"),), rows=())
    assert chart_for(plain) == ""


def test_a_chart_naming_a_missing_column_is_a_programming_error():
    broken = Table(
        slug="broken",
        title="T",
        summary="",
        columns=(Column("a", "A"),),
        rows=(("x",),),
        chart=Chart(kind="bar", label_column="a", value_column="nope"),
    )
    with pytest.raises(ValueError, match="nope"):
        bar_chart(broken)


def test_a_long_table_shows_its_first_rows_on_the_page_and_keeps_all_for_downloads():
    from apps.stats.templatetags.stats_tags import stats_chart, stats_rows

    long = Table(
        slug="long",
        title="Long",
        summary="Many rows",
        columns=(Column("name", "Name"), Column("n", "N", numeric=True)),
        rows=tuple((f"Row {i}", 100 - i) for i in range(40)),
        chart=Chart(kind="bar", label_column="name", value_column="n"),
        page_rows=25,
    )
    assert len(stats_rows(long)) == 25 and long.rows_left_out == 15
    svg = parse(str(stats_chart(long)))
    labels = [text.text for text in svg.iter("{http://www.w3.org/2000/svg}text")]
    assert "Row 24" in labels and "Row 25" not in labels
    assert len(long.rows) == 40  # what the exports write
    short = Table(slug="s", title="S", summary="", columns=long.columns, rows=long.rows[:3])
    assert short.on_page() is short and short.rows_left_out == 0
