"""The workspace list and board at scale (issue 8): the list's query reads no more than a
row shows and needs no DISTINCT, and still lists an idea once however many tags match; a
board column shows a bounded number of cards, its total, and a link to all of them."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.testing import submit_idea
from apps.ideas import selectors, services
from apps.ideas.models import Idea, Tag

from .test_query_counts import _bulk_ideas, _seed_through_services

LIST = "/workspace/ideas/"


def _tagged(world, *names):
    idea = submit_idea(world.skovde, title="Idé med flera taggar")
    services.idea_set_tags(idea=idea, actor=world.process_leader, names=list(names))
    return idea


def test_a_tag_filter_lists_an_idea_once(world, client):
    idea = _tagged(world, "välfärd", "digitalt")
    other = submit_idea(world.skovde, title="Idé utan taggar")
    tag = Tag.objects.get(consortium=world.consortium, name="välfärd")
    client.force_login(world.coach)

    response = client.get(LIST, {"tag": tag.pk})

    page = response.context["page"]
    assert [i.pk for i in page.object_list] == [idea.pk]
    assert page.paginator.count == 1
    assert other.pk not in [i.pk for i in page.object_list]


def test_the_list_query_has_no_distinct_and_no_idea_text(world, client):
    _tagged(world, "välfärd")
    tag = Tag.objects.get(consortium=world.consortium, name="välfärd")
    client.force_login(world.coach)
    for params in ({}, {"tag": tag.pk}):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(LIST, params).status_code == 200
        idea_queries = [
            q["sql"] for q in captured.captured_queries if 'FROM "ideas_idea"' in q["sql"]
        ]
        assert idea_queries, params
        for sql in idea_queries:
            assert "DISTINCT" not in sql.upper(), sql
            # The long texts of an idea stay on disk: the list shows none of them.
            assert '"ideas_idea"."need"' not in sql, sql
            assert '"ideas_idea"."solution"' not in sql, sql


def test_a_board_column_shows_the_latest_cards_its_total_and_a_link_to_all(world, client):
    _seed_through_services(world)
    _bulk_ideas(world, 200)
    cap = selectors.BOARD_CARDS_PER_COLUMN
    client.force_login(world.process_leader)

    response = client.get(reverse("ideas:board"))

    html = response.content.decode()
    columns = response.context["columns"]
    assert any(column.total > cap for column in columns)
    for column in columns:
        in_stage = selectors.ideas_visible_to(world.process_leader).filter(stage=column.stage)
        assert column.total == in_stage.count()
        latest = list(
            in_stage.order_by("-stage_entered_at", "-pk").values_list("pk", flat=True)[:cap]
        )
        assert [card.idea.pk for card in column.cards] == latest
        link = f'href="{reverse("ideas:list")}?stage={column.stage.pk}"'
        assert (link in html) == (column.total > cap), column.stage
        if column.total > cap:
            listed = client.get(reverse("ideas:list"), {"stage": column.stage.pk})
            assert listed.context["page"].paginator.count == column.total
    # Every card on the page is one of the columns' capped cards, no more.
    shown = sum(len(column.cards) for column in columns)
    assert html.count('class="card"') == shown < Idea.objects.count()
