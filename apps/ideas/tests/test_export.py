"""The workspace idea list as a streamed CSV download (issue 8).

The file holds the ideas the list shows, in its order, with its filters and search; each
person only their own scope; no submitter's personal data; formula-like text neutralised;
a fixed number of queries per chunk of rows; memory that does not grow with the rows; and
an audit event for every download. Who reaches the URL at all is in the permission matrix
(apps/core/tests/matrix.py).
"""

import csv
import html
import io
import re
import tracemalloc
from datetime import UTC, datetime

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from apps.audit.models import AuditEvent
from apps.core.testing import submit_idea
from apps.ideas import exports, services
from apps.ideas.models import Idea, Tag
from apps.ideas.selectors import ideas_visible_to

from .test_query_counts import _bulk_ideas, _seed_through_services, _stages

LIST = reverse("ideas:list")
EXPORT = reverse("ideas:list_export")


def _download(client, query: dict | str = "", **extra):
    url = f"{EXPORT}?{query}" if isinstance(query, str) else EXPORT
    response = client.get(url, query if isinstance(query, dict) else None, **extra)
    assert response.status_code == 200
    assert response.streaming
    return response, b"".join(response.streaming_content)


def _rows(content: bytes) -> list[list[str]]:
    assert content.startswith("\ufeff".encode())  # UTF-8 with BOM, for Swedish Excel
    text = content.decode("utf-8")[1:]
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def _export(client, query: dict | str = "") -> list[list[str]]:
    return _rows(_download(client, query)[1])


def _listed(client, query: dict) -> list[Idea]:
    """Every idea the list shows for this query string, over all its pages, in order."""
    response = client.get(LIST, query)
    assert response.status_code == 200
    listed = list(response.context["page"].paginator.object_list)
    if listed and isinstance(listed[0], int):
        # A search pages the ranking's ids and reads only the page's rows.
        by_id = Idea.objects.in_bulk(listed)
        listed = [by_id[pk] for pk in listed]
    return listed


def _expected_row(idea: Idea, *, english: bool = False) -> list[str]:
    """The row the export must write for an idea, read from the idea itself; the days in
    stage are checked separately (they move with the clock)."""
    idea = Idea.objects.select_related("municipality", "stage", "owner").get(pk=idea.pk)
    local = timezone.localtime
    return [
        idea.reference,
        idea.title,
        idea.municipality.name,
        idea.stage.name_en if english else idea.stage.name_sv,
        str(idea.owner) if idea.owner_id else "",
        ", ".join(sorted(t.name for t in idea.tags.all())),
        local(idea.created_at).date().isoformat(),
        local(idea.last_activity_at).strftime("%Y-%m-%d %H:%M"),
        settings.SITE_URL + reverse("ideas:detail", kwargs={"reference": idea.reference}),
    ]


def _assert_rows_are(rows: list[list[str]], ideas: list[Idea], *, before, after, english=False):
    assert [row[0] for row in rows] == [idea.reference for idea in ideas]
    for row, idea in zip(rows, ideas, strict=True):
        row_tags = ", ".join(sorted(row[5].split(", "))) if row[5] else ""
        assert [*row[:5], row_tags, row[6], row[7], row[9]] == _expected_row(idea, english=english)
        entered = Idea.objects.values_list("stage_entered_at", flat=True).get(pk=idea.pk)
        assert (before - entered).days <= int(row[8]) <= (after - entered).days


def _filters(world) -> list[dict]:
    stages = _stages(world)
    tag = Tag.objects.get(consortium=world.consortium, name="välfärd")
    return [
        {},
        {"stage": stages["capture"].pk, "q": "föräldrastöd"},
        {"q": "föräldrastöd"},
        {"owner": world.coach.pk, "municipality": world.skovde.pk},
        {"tag": tag.pk, "age": 30},
        {"owner": 0},
        {"municipality": world.hjo.pk, "page": 2},
        # A value the list ignores is ignored here as well.
        {"municipality": "not-a-number", "stage": 999_999},
    ]


def test_columns_and_rows_equal_the_list_for_each_filter(world, client):
    _seed_through_services(world)
    _bulk_ideas(world, 40)  # more than one page of the list
    for person in (world.process_leader, world.coach, world.manager):
        client.force_login(person)
        for query in _filters(world):
            listed = _listed(client, query)
            before = timezone.now()
            header, *rows = _export(client, query)
            after = timezone.now()
            with translation.override("sv"):
                assert header == exports.header()
            _assert_rows_are(rows, listed, before=before, after=after)
    # The filters really narrow: the seeded data makes each of them differ from "all".
    client.force_login(world.process_leader)
    counts = [len(_export(client, query)) - 1 for query in _filters(world)]
    assert counts[0] == Idea.objects.count() > 25
    assert all(0 < n < counts[0] for n in counts[1:6])


def test_the_search_keeps_the_lists_best_match_first_order(world, client):
    weak = submit_idea(
        world.skovde,
        title="Stöd i hemtjänsten",
        need="Personalen behöver scheman. " * 6 + "Ibland nämns föräldrautbildning.",
    )
    strong = submit_idea(world.skovde, title="Föräldrautbildning på webben")
    client.force_login(world.coach)
    query = {"q": "föräldrautbildning"}
    listed = _listed(client, query)
    assert listed[:2] == [strong, weak]
    assert [row[0] for row in _export(client, query)[1:]] == [i.reference for i in listed]


def test_in_english_the_header_and_stage_names_are_english(world, client):
    idea = submit_idea(world.skovde)
    client.force_login(world.coach)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    before = timezone.now()
    header, *rows = _export(client)
    with translation.override("en"):
        assert header == exports.header()
    _assert_rows_are(rows, [idea], before=before, after=timezone.now(), english=True)


def test_each_person_gets_only_their_own_scope(world, client):
    _seed_through_services(world)
    _bulk_ideas(world, 30)
    for person in (world.coach, world.other_coach, world.manager, world.process_leader):
        client.force_login(person)
        exported = {row[0] for row in _export(client)[1:]}
        assert exported == set(ideas_visible_to(person).values_list("reference", flat=True))
        assert exported  # everyone here has ideas to see
    client.force_login(world.coach)
    assert {row[2] for row in _export(client)[1:]} == {world.skovde.name}
    # A filter cannot widen the scope: Hjo's ideas stay out of the Skövde coach's file.
    assert _export(client, {"municipality": world.hjo.pk})[1:] == _export(client)[1:]


def test_no_personal_data_of_the_submitters(world, client):
    idea = submit_idea(
        world.skovde,
        submitter_name="Gunhild Gömd",
        submitter_email="gunhild.gomd@example.se",
        submitter_phone="0701234567",
        co_submitters=[services.CoSubmitter(name="Sixten Sekretess", email="sixten@example.se")],
    )
    client.force_login(world.process_leader)
    _response, content = _download(client)
    assert idea.reference.encode() in content
    text = content.decode("utf-8")
    for secret in ("Gunhild", "gunhild.gomd", "0701234567", "Sixten", "sixten@"):
        assert secret not in text


def test_cells_that_look_like_formulas_are_neutralised(world, client):
    titles = ['=HYPERLINK("http://evil")', "+1+1", "-2+3", "@SUM(A1)", "\tTab", "\rCR"]
    ideas = [submit_idea(world.skovde, title=title) for title in titles]
    services.idea_set_tags(idea=ideas[0], actor=world.coach, names=["=cmd|' /C calc'!A0"])
    client.force_login(world.coach)
    rows = {row[0]: row for row in _export(client)[1:]}
    for idea, title in zip(ideas, titles, strict=True):
        assert rows[idea.reference][1] == "'" + title
    assert rows[ideas[0].reference][5] == "'=cmd|' /C calc'!A0"
    # Ordinary text is left alone.
    plain = submit_idea(world.skovde, title="Vanlig titel - med bindestreck")
    rows = {row[0]: row for row in _export(client)[1:]}
    assert rows[plain.reference][1] == "Vanlig titel - med bindestreck"


def test_the_file_is_named_with_the_date_and_typed_as_csv(world, client):
    submit_idea(world.skovde)
    client.force_login(world.coach)
    response, _content = _download(client)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="sluss-ideas-{today}.csv"'


def test_dates_are_in_the_local_time_zone(world, client):
    idea = submit_idea(world.skovde)
    # 23:30 UTC on 31 December is already 1 January in Sweden (UTC+1 in winter).
    moment = datetime(2025, 12, 31, 23, 30, tzinfo=UTC)
    Idea.objects.filter(pk=idea.pk).update(created_at=moment, last_activity_at=moment)
    client.force_login(world.coach)
    [row] = _export(client)[1:]
    assert row[6] == "2026-01-01"
    assert row[7] == "2026-01-01 00:30"


def test_the_list_links_to_the_export_with_its_filters(world, client):
    _seed_through_services(world)
    client.force_login(world.process_leader)
    query = {"municipality": world.skovde.pk, "owner": world.coach.pk, "page": 1}

    for extra in ({}, {"HTTP_HX_REQUEST": "true"}):  # the page, and the results htmx swaps
        page = client.get(LIST, query, **extra).content.decode()
        [href] = re.findall(r'href="([^"]*export\.csv[^"]*)"', page)
        href = html.unescape(href)
        assert "page=" not in href
        assert _export(client, href.partition("?")[2]) == _export(
            client, {"municipality": world.skovde.pk, "owner": world.coach.pk}
        )
    # Without filters, the link exports everything the list shows.
    [href] = re.findall(r'href="([^"]*export\.csv[^"]*)"', client.get(LIST).content.decode())
    assert html.unescape(href) == EXPORT


def test_a_download_is_recorded_as_an_export(world, client):
    submit_idea(world.skovde)
    client.force_login(world.coach)
    _download(client, {"owner": 0})
    [event] = AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORT)
    assert event.actor.user == world.coach
    assert event.detail == {"view": "ideas:list_export", "path": EXPORT}
    # Someone without the list is refused (404), recorded as a refusal, not an export.
    client.force_login(world.communicator)
    assert client.get(EXPORT).status_code == 404
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORT).count() == 1
    assert AuditEvent.objects.filter(
        kind=AuditEvent.Kind.ACCESS_DENIED, detail__view="ideas:list_export"
    ).exists()


def test_streams_in_autocommit_as_in_production(transactional_db, world, client, monkeypatch):
    """Outside a test's transaction, as a web process runs: on PostgreSQL the cursor is a
    server-side one held across the autocommit, read chunk by chunk after the view returned
    (with queries for the tags in between)."""
    monkeypatch.setattr(exports, "CHUNK_SIZE", 2)
    ideas = [submit_idea(world.skovde, title=f"Idé {n}") for n in range(5)]
    services.idea_set_tags(idea=ideas[1], actor=world.coach, names=["välfärd"])
    client.force_login(world.coach)
    assert connection.get_autocommit()
    rows = _export(client)[1:]
    assert [row[0] for row in rows] == [idea.reference for idea in reversed(ideas)]
    assert rows[3][5] == "välfärd"


# --- Cost: queries per chunk, memory per chunk -------------------------------------------


def _export_queries(client, query: dict) -> tuple[int, int]:
    """(queries, rows) of one download, consuming the whole stream."""
    with CaptureQueriesContext(connection) as captured:
        _response, content = _download(client, query)
    return len(captured.captured_queries), len(_rows(content)) - 1


def test_the_query_count_does_not_grow_with_the_rows(world, client, monkeypatch):
    _seed_through_services(world)
    _bulk_ideas(world, 40)
    assert Idea.objects.count() == 50
    stages = _stages(world)
    # Ideas written in bulk are not in the search index, so no search here (the list's
    # search is counted in test_query_counts.py); every one of these finds more rows later.
    queries = [{}, {"municipality": world.skovde.pk}, {"owner": 0, "stage": stages["capture"].pk}]
    client.force_login(world.process_leader)
    _download(client)  # warm process-wide caches (content types, templates)

    # One chunk larger than all the rows: the same count for 50 and for 500 ideas.
    monkeypatch.setattr(exports, "CHUNK_SIZE", 1000)
    few = [_export_queries(client, query) for query in queries]
    # Chunks of 100: one query more per chunk (that chunk's tags), nothing per row.
    monkeypatch.setattr(exports, "CHUNK_SIZE", 100)
    few_chunked = [_export_queries(client, query) for query in queries]

    _bulk_ideas(world, 450)
    assert Idea.objects.count() == 500

    monkeypatch.setattr(exports, "CHUNK_SIZE", 1000)
    many = [_export_queries(client, query) for query in queries]
    monkeypatch.setattr(exports, "CHUNK_SIZE", 100)
    many_chunked = [_export_queries(client, query) for query in queries]

    assert many[0][1] == 500 and few[0][1] == 50
    for (q_few, _), (q_many, _) in zip(few, many, strict=True):
        assert q_few == q_many
    for (q_few, rows_few), (q_many, rows_many) in zip(few_chunked, many_chunked, strict=True):
        assert rows_many > rows_few
        chunks = -(-rows_many // 100) - max(1, -(-rows_few // 100))
        assert q_many - q_few == chunks


def _peak_while_streaming(client) -> tuple[int, int]:
    """(peak bytes allocated, bytes of CSV) while the stream of one download is read."""
    response = client.get(EXPORT)
    assert response.status_code == 200
    size = 0
    tracemalloc.start()
    try:
        for piece in response.streaming_content:
            size += len(piece)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return peak, size


def test_memory_stays_flat_while_the_rows_grow_tenfold(world, client, monkeypatch):
    monkeypatch.setattr(exports, "CHUNK_SIZE", 100)
    submit_idea(world.skovde)  # the reference counter the bulk ideas continue from
    _bulk_ideas(world, 299)
    client.force_login(world.process_leader)
    _peak_while_streaming(client)  # warm caches (translations, URL resolver, statements)
    small_peak, small_size = _peak_while_streaming(client)

    _bulk_ideas(world, 2700)
    assert Idea.objects.count() == 3000
    large_peak, large_size = _peak_while_streaming(client)

    # The file is ten times as long; the memory to write it is not. A version that reads
    # all rows first (list(), or an HttpResponse built in memory) grows with the rows and
    # needs several times the small peak here.
    assert large_size > 9 * small_size
    assert large_peak < 1.5 * small_peak, (small_peak, large_peak)
