"""GET /api/v1/ideas and /api/v1/ideas/{reference}: the list with the list page's
filters and paging, one idea's fields, and the pages' access rules (404 alike for what
does not exist and what the caller may not see)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.core import testing
from apps.ideas import services as idea_services
from apps.ideas.models import Idea
from apps.workflow.models import Stage

from .helpers import Caller

LIST = "/api/v1/ideas"


def one(reference: str) -> str:
    return f"{LIST}/{reference}"


def references(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["reference"] for row in response.json()["results"]]


@pytest.fixture
def coach(client, world):
    return Caller(client, world.coach)


@pytest.fixture
def leader(client, world):
    return Caller(client, world.process_leader)


def test_the_list_shows_what_the_list_page_shows(leader, world):
    older = testing.submit_idea(world.skovde)
    newer = testing.submit_idea(world.hjo)
    body = leader.get(LIST).json()
    assert body["count"] == 2
    assert body["limit"] == 25 and body["offset"] == 0
    assert [row["reference"] for row in body["results"]] == [newer.reference, older.reference]
    row = body["results"][0]
    assert row["municipality"] == {"id": world.hjo.pk, "name": "Hjo"}
    assert row["stage"]["key"] == "received"
    assert row["owner"] is None
    assert row["url"].endswith(f"/workspace/ideas/{newer.reference}/")


def test_a_coach_lists_the_ideas_of_their_own_municipality(coach, world):
    own = testing.submit_idea(world.skovde)
    testing.submit_idea(world.hjo)
    assert references(coach.get(LIST)) == [own.reference]


def test_the_filters(leader, world):
    stages = {s.key: s for s in Stage.objects.filter(consortium=world.consortium)}
    plain = testing.submit_idea(world.skovde, title="Cykelpool för hemtjänsten")
    in_hjo = testing.submit_idea(world.hjo, title="Digitala lås")
    owned = testing.submit_idea(world.skovde, title="Matsvinn i skolan")
    idea_services.idea_assign_owner(idea=owned, actor=world.process_leader, owner=world.coach)
    idea_services.idea_set_tags(idea=owned, actor=world.process_leader, names=["skola"])
    idea_services.idea_move(
        idea=owned,
        actor=world.process_leader,
        to_stage=stages["capture"],
        expected_stage_id=owned.stage_id,
    )
    Idea.objects.filter(pk=plain.pk).update(created_at=timezone.now() - timedelta(days=40))
    tag = owned.tags.get()

    assert references(leader.get(LIST, {"municipality": world.hjo.pk})) == [in_hjo.reference]
    assert references(leader.get(LIST, {"stage": stages["capture"].pk})) == [owned.reference]
    assert references(leader.get(LIST, {"owner": world.coach.pk})) == [owned.reference]
    assert set(references(leader.get(LIST, {"owner": 0}))) == {plain.reference, in_hjo.reference}
    assert references(leader.get(LIST, {"tag": tag.pk})) == [owned.reference]
    assert references(leader.get(LIST, {"older_than_days": 30})) == [plain.reference]
    # The list page's search: ranked by the search engine, best match first.
    assert references(leader.get(LIST, {"text": "matsvinn skolan"}))[0] == owned.reference
    assert references(leader.get(LIST, {"text": owned.reference})) == [owned.reference]
    assert references(leader.get(LIST, {"text": "cykelpool", "owner": world.coach.pk})) == []
    combined = {"municipality": world.skovde.pk, "owner": 0}
    assert references(leader.get(LIST, combined)) == [plain.reference]
    # The owned idea's row carries what was set on it.
    row = leader.get(LIST, {"tag": tag.pk}).json()["results"][0]
    assert row["owner"] == {"id": world.coach.pk, "name": "Cecilia Coach"}
    assert row["tags"] == [{"id": tag.pk, "name": "skola"}]
    assert row["stage"]["id"] == stages["capture"].pk


def test_a_filter_on_what_the_caller_cannot_see_finds_nothing(coach, world):
    testing.submit_idea(world.hjo)
    assert coach.get(LIST, {"municipality": world.hjo.pk}).json()["count"] == 0


def test_paging_is_stable_and_counts_everything(leader, world):
    made = [testing.submit_idea(world.skovde) for _ in range(7)]
    # Ideas handed in at the same moment still come in one order (newest id first).
    Idea.objects.update(created_at=timezone.now())
    expected = [i.reference for i in sorted(made, key=lambda i: i.pk, reverse=True)]
    pages = [leader.get(LIST, {"limit": 3, "offset": offset}).json() for offset in (0, 3, 6)]
    assert [p["count"] for p in pages] == [7, 7, 7]
    assert [r["reference"] for p in pages for r in p["results"]] == expected
    assert leader.get(LIST, {"offset": 100}).json()["results"] == []


@pytest.mark.parametrize(
    "params",
    [
        {"limit": 0},
        {"limit": 101},
        {"offset": -1},
        {"municipality": "Skövde"},
        {"owner": -1},
        {"older_than_days": 0},
        {"older_than_days": 10**9},
        {"text": "x" * 201},
        {"text": "nul\x00"},
        {"stage": 2**64},
    ],
)
def test_bad_parameters_answer_422_saying_which(leader, world, params):
    response = leader.get(LIST, params)
    assert response.status_code == 422
    (name,) = params
    assert list(response.json()["error"]["fields"]) == [name]


def test_one_idea(coach, world):
    idea = testing.submit_idea(
        world.skovde,
        unit=world.skovde_unit,
        title="Föräldrastöd på nätet",
        beneficiaries="Föräldrar",
        expected_effects="Färre orosanmälningar",
        submitter_name="Ida Idébärare",
        submitter_email="ida.privat@example.se",
        submitter_phone="070-123 45 67",
    )
    response = coach.get(one(idea.reference))
    assert response.status_code == 200
    body = response.json()
    assert body == {
        "reference": idea.reference,
        "title": "Föräldrastöd på nätet",
        "need": idea.need,
        "solution": idea.solution,
        "beneficiaries": "Föräldrar",
        "expected_effects": "Färre orosanmälningar",
        "municipality": {"id": world.skovde.pk, "name": "Skövde"},
        "unit": {"id": world.skovde_unit.pk, "name": "Vård och omsorg"},
        "stage": {"id": idea.stage_id, "key": "received", "name": "Inkommen"},
        "owner": None,
        "tags": [],
        "created_at": body["created_at"],
        "last_activity_at": body["last_activity_at"],
        "url": f"http://127.0.0.1:8000/workspace/ideas/{idea.reference}/",
    }
    assert body["created_at"].startswith(idea.created_at.strftime("%Y-%m-%dT%H:%M:%S"))
    # Nothing about the people who handed it in.
    text = response.content.decode()
    for private in ("Ida", "ida.privat", "070-123"):
        assert private not in text


def test_another_municipalitys_idea_is_the_same_404_as_a_missing_one(coach, world):
    in_hjo = testing.submit_idea(world.hjo)
    hidden = coach.get(one(in_hjo.reference))
    missing = coach.get(one("SLU-1999-9999"))
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
    assert missing.json()["error"]["code"] == "not_found"


def test_odd_references_are_simply_not_found(coach, world):
    for odd in ("x" * 200, "%00", "SLU%2D2026", "ä"):
        assert coach.get(one(odd)).status_code == 404


@pytest.mark.parametrize("role", ["employee", "communicator", "administrator"])
def test_roles_without_a_workspace_get_404(client, world, role):
    idea = testing.submit_idea(world.skovde)
    caller = Caller(client, getattr(world, role))
    assert caller.get(LIST).status_code == 404
    assert caller.get(LIST).json()["error"]["code"] == "not_found"
    assert caller.get(one(idea.reference)).status_code == 404


def test_a_manager_reads_the_ideas_of_their_unit_only(client, world):
    in_unit = testing.submit_idea(world.skovde, unit=world.skovde_unit)
    elsewhere = testing.submit_idea(world.skovde)
    manager = Caller(client, world.manager)
    assert references(manager.get(LIST)) == [in_unit.reference]
    assert manager.get(one(in_unit.reference)).status_code == 200
    assert manager.get(one(elsewhere.reference)).status_code == 404


def _queries_for_the_list(caller) -> int:
    caller.get(LIST)  # the token's last use is written once; count a steady request
    with CaptureQueriesContext(connection) as queries:
        response = caller.get(LIST, {"limit": 100})
    assert response.status_code == 200
    return len(queries)


def test_the_list_takes_as_many_queries_for_many_ideas_as_for_few(leader, world):
    def add(count: int) -> None:
        for number in range(count):
            municipality = world.skovde if number % 2 else world.hjo
            idea = testing.submit_idea(municipality, unit=world.skovde_unit if number % 2 else None)
            idea_services.idea_assign_owner(
                idea=idea,
                actor=world.process_leader,
                owner=world.coach if number % 2 else world.other_coach,
            )
            idea_services.idea_set_tags(
                idea=idea, actor=world.process_leader, names=[f"tagg {number}", "gemensam"]
            )

    add(2)
    few = _queries_for_the_list(leader)
    add(25)
    many = _queries_for_the_list(leader)
    assert leader.get(LIST, {"limit": 100}).json()["count"] == 27
    assert few == many
