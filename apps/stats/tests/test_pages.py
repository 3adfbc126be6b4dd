"""The dashboard page and its exports: every statistic as a heading, a chart, the data
table and export links that keep the filters; the same rows in CSV and XLSX; a fixed number
of queries however many ideas there are."""

import csv
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from apps.core import testing
from apps.stats import exports, selectors
from apps.stats.charts import format_cell

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(client, world):
    for municipality in (world.skovde, world.skovde, world.hjo):
        testing.submit_idea(municipality)
    client.force_login(world.process_leader)
    return client


def test_every_statistic_has_a_heading_chart_table_and_exports(logged_in, world):
    response = logged_in.get(reverse("stats:dashboard"))
    assert response.status_code == 200
    page = response.content.decode()
    tables = response.context["tables"]
    assert tables
    query = response.context["query"]
    for table in tables:
        section = re.search(
            rf'<section class="statistic" id="statistic-{table.slug}".*?</section>', page, re.S
        )
        assert section, table.slug
        html = section.group(0)
        assert f'id="statistic-{table.slug}-heading"' in html
        assert ('id="chart-' + table.slug + '"' in html) == (table.chart is not None)
        assert "<caption>" in html
        header_cells = re.findall(r'<th scope="col"', html)
        assert len(header_cells) == len(table.columns)
        body_rows = re.findall(r"<tr><th scope=\"row\"", html)
        assert len(body_rows) == len(table.rows)
        numeric = [c for c in table.columns if c.numeric]
        assert html.count('<td class="num">') == len(table.rows) * len(
            [c for c in numeric if c is not table.columns[0]]
        )
        for fmt in ("csv", "xlsx"):
            url = reverse("stats:export", kwargs={"slug": table.slug, "fmt": fmt})
            assert f'href="{url}?{query.replace("&", "&amp;")}"' in html


def test_the_page_has_no_inline_styles_scripts_or_handlers(logged_in):
    page = logged_in.get(reverse("stats:dashboard")).content.decode()
    main = page[page.index('<main id="main"') : page.index("</main>")]
    assert "style=" not in main
    assert "<style" not in main
    assert "<script" not in main
    assert not re.search(r"\son[a-z]+=", main)


def test_key_figures_of_the_consortium_are_shown(logged_in, world):
    response = logged_in.get(reverse("stats:dashboard"))
    ((name, figures),) = response.context["key_figures"]
    assert name == world.consortium.name
    page = response.content.decode()
    for label, value in figures:
        assert f"<dt>{label}</dt><dd>{value}</dd>" in page


def test_filtering_by_municipality_narrows_the_figures_and_the_export_links(logged_in, world):
    response = logged_in.get(
        reverse("stats:dashboard"),
        {"municipality": world.hjo.pk, "start": "2025-01-01", "end": "2026-12-31"},
    )
    filters = response.context["filters"]
    assert filters.municipality_ids == {world.hjo.pk}
    expected_query = f"start=2025-01-01&end=2026-12-31&municipality={world.hjo.pk}"
    assert response.context["query"] == expected_query
    per_1000 = next(t for t in response.context["tables"] if t.slug == "ideas-per-1000")
    assert [row[0] for row in per_1000.rows] == ["Hjo"]


def _table(world, slug, **query):
    from django.http import QueryDict

    data = QueryDict(mutable=True)
    data.update(query)
    filters = selectors.dashboard_filters_for(world.process_leader, data)
    return filters, selectors.dashboard_table(filters, slug)


@pytest.mark.parametrize("slug", ["funnel", "ideas-per-1000"])
def test_the_xlsx_export_is_the_table_on_the_page(logged_in, world, slug):
    query = {"start": "2025-06-01", "end": "2026-12-31", "municipality": str(world.skovde.pk)}
    response = logged_in.get(reverse("stats:export", kwargs={"slug": slug, "fmt": "xlsx"}), query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="sluss-{slug}-2025-06-01-2026-12-31.xlsx"'
    )
    _filters, table = _table(world, slug, **query)
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert len(values) == 1 + len(table.rows)
    for got, expected in zip(values[1:], table.rows, strict=True):
        assert [None if v == "" else v for v in got] == [
            float(v) if isinstance(v, float) else v for v in expected
        ]


def test_the_csv_export_is_the_table_on_the_page(logged_in, world):
    response = logged_in.get(reverse("stats:export", kwargs={"slug": "funnel", "fmt": "csv"}))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    start, end = selectors.default_period()
    assert response["Content-Disposition"] == (
        f'attachment; filename="sluss-funnel-{start.isoformat()}-{end.isoformat()}.csv"'
    )
    _filters, table = _table(world, "funnel")
    assert response.content == exports.table_to_csv(table)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert [row[0] for row in rows[1:]] == [format_cell(row[0]) for row in table.rows]


def test_an_unknown_statistic_does_not_exist(logged_in):
    response = logged_in.get(reverse("stats:export", kwargs={"slug": "no-such", "fmt": "csv"}))
    assert response.status_code == 404


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("stats:dashboard")).status_code == 200
    return len(queries)


def test_the_dashboard_makes_as_many_queries_for_many_ideas_as_for_few(client, world):
    client.force_login(world.process_leader)
    testing.submit_idea(world.skovde)
    few = _queries(client)
    for municipality in (world.skovde, world.hjo) * 6:
        testing.submit_idea(municipality)
    testing.make_municipality(world.consortium, "Tibro", 900)
    assert _queries(client) == few
