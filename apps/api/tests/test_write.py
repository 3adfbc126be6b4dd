"""Handing in and moving ideas through the API, the timeline, the other lists, paging and
the error format: the same rules as the pages."""

import pytest
from django.core import mail

from apps.core import testing
from apps.ideas.models import Idea, TimelineEntry
from apps.ideas.selectors import moves_for

from .helpers import Caller

IDEAS = "/api/v1/ideas"


def move_url(idea) -> str:
    return f"{IDEAS}/{idea.reference}/move"


def a_move(user, idea):
    (transition, *_rest) = [t for t in moves_for(user, idea) if not t.to_stage.requires_reason]
    return transition


@pytest.fixture
def idea(world):
    return testing.submit_idea(world.skovde, unit=world.skovde_unit, title="Föräldrastöd")


def test_a_coach_moves_an_idea_of_their_municipality(client, world, idea):
    transition = a_move(world.coach, idea)
    response = Caller(client, world.coach).post(
        move_url(idea),
        {"to_stage": transition.to_stage_id, "expected_stage": idea.stage_id, "message": "Hej"},
    )
    assert response.status_code == 200, response.content
    assert response.json()["stage"]["id"] == transition.to_stage_id
    idea.refresh_from_db()
    assert idea.stage_id == transition.to_stage_id
    assert idea.timeline.filter(kind=TimelineEntry.Kind.STAGE_CHANGED, actor=world.coach).exists()


@pytest.mark.parametrize("actor", ["other_coach", "manager", "employee", "communicator"])
def test_who_may_not_move_gets_404(client, world, idea, actor):
    transition = a_move(world.process_leader, idea)
    response = Caller(client, getattr(world, actor)).post(
        move_url(idea), {"to_stage": transition.to_stage_id, "expected_stage": idea.stage_id}
    )
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert Idea.objects.get(pk=idea.pk).stage_id == idea.stage_id


def test_a_stale_stage_answers_409_with_the_current_one(client, world, idea):
    transition = a_move(world.process_leader, idea)
    leader = Caller(client, world.process_leader)
    body = {"to_stage": transition.to_stage_id, "expected_stage": idea.stage_id}
    assert leader.post(move_url(idea), body).status_code == 200
    again = leader.post(move_url(idea), body)
    assert again.status_code == 409
    error = again.json()["error"]
    assert error["code"] == "stage_conflict"
    assert error["current_stage"]["id"] == transition.to_stage_id


def test_a_move_that_is_not_allowed_names_the_field(client, world, idea):
    response = Caller(client, world.process_leader).post(
        move_url(idea), {"to_stage": idea.stage_id, "expected_stage": idea.stage_id}
    )
    assert response.status_code == 422
    assert list(response.json()["error"]["fields"]) == ["to_stage"]


def test_a_stage_that_needs_a_reason_refuses_without_one(client, world, idea):
    needing = [t for t in moves_for(world.process_leader, idea) if t.to_stage.requires_reason]
    if not needing:
        pytest.skip("the default process has no stage that needs a reason from the first")
    response = Caller(client, world.process_leader).post(
        move_url(idea), {"to_stage": needing[0].to_stage_id, "expected_stage": idea.stage_id}
    )
    assert response.status_code == 422
    assert "reason" in response.json()["error"]["fields"]


def test_hand_in_an_idea(client, world):
    mail.outbox.clear()
    body = {
        "municipality": world.skovde.pk,
        "title": "Lånecyklar",
        "need": "Korta resor i tjänsten",
        "solution": "Cyklar att låna",
        "co_submitters": [{"name": "Bo Ek", "email": "bo@skovde.se"}],
        "submission_token": "0b6f9c1e-6a4e-4f2a-9d55-3b1a3f0e7c11",
    }
    employee = Caller(client, world.employee)
    response = employee.post(IDEAS, body)
    assert response.status_code == 201, response.content
    idea = Idea.objects.get(reference=response.json()["reference"])
    main = idea.submitters.get(is_primary=True)
    assert (main.user, main.email) == (world.employee, world.employee.email)
    assert idea.submitters.count() == 2
    # Sent again with the same token: the same idea, not a second one.
    again = employee.post(IDEAS, body)
    assert again.status_code == 200 and again.json()["reference"] == idea.reference
    assert again.json()["created"] is False
    # Someone else's token is no key to that receipt.
    other = Caller(client, world.coach).post(IDEAS, body)
    assert other.status_code == 409
    assert other.json()["error"]["code"] == "submission_conflict"


def test_handing_in_names_the_fields_that_break_the_forms_rules(client, world):
    response = Caller(client, world.employee).post(
        IDEAS,
        {
            "municipality": world.skovde.pk,
            "unit": world.hjo_unit.pk if hasattr(world, "hjo_unit") else 10**9,
            "title": "",
            "need": "x",
            "solution": "y",
        },
    )
    assert response.status_code == 422
    assert {"title", "unit"} <= set(response.json()["error"]["fields"])
    assert not Idea.objects.exists()


def test_a_write_whose_body_is_not_an_object_answers_422(client, world, idea):
    # ninja reads any object through its attributes: a bare string must not pass.
    leader = Caller(client, world.process_leader)
    for path in (IDEAS, move_url(idea)):
        response = leader.post(path, "Lånecyklar")
        assert response.status_code == 422
        (messages,) = response.json()["error"]["fields"].values()
        assert "JSON object" in messages[0]
    assert Idea.objects.count() == 1


def test_the_timeline_as_the_page_shows_it(client, world, idea):
    from apps.ideas import services

    services.idea_add_note(idea=idea, actor=world.coach, body="Internt")

    def kinds(caller):
        return [
            e["kind"] for e in caller.get(f"{IDEAS}/{idea.reference}/timeline").json()["results"]
        ]

    assert "note" in kinds(Caller(client, world.coach))
    assert "note" not in kinds(Caller(client, world.manager))
    assert kinds(Caller(client, world.manager))[0] == "submitted"
    hidden = Caller(client, world.other_coach).get(f"{IDEAS}/{idea.reference}/timeline")
    assert hidden.status_code == 404


def test_paging_links(client, world):
    for number in range(3):
        testing.submit_idea(world.skovde, title=f"Idé {number}")
    leader = Caller(client, world.process_leader)
    first = leader.get(IDEAS, {"limit": 2}).json()
    assert first["count"] == 3 and len(first["results"]) == 2 and first["previous"] is None
    second = leader.get(first["next"].split("testserver")[-1].split(".se")[-1]).json()
    assert len(second["results"]) == 1 and second["next"] is None
    assert second["previous"] is not None


@pytest.mark.parametrize(
    "path", ["/api/v1/stages", "/api/v1/municipalities", "/api/v1/showcase", "/api/v1/ideas"]
)
def test_a_method_an_address_does_not_take_answers_405_in_json(client, world, path):
    response = client.delete(path, headers=Caller(client, world.coach).headers)
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"
    assert "GET" in response["Allow"]


def test_get_on_a_post_endpoint_answers_405_in_json(client, world):
    response = Caller(client, world.coach).get("/api/v1/ideas/similar")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"
    assert response["Allow"] == "POST"


def test_stages_and_municipalities(client, world):
    stages = Caller(client, world.coach).get("/api/v1/stages").json()
    assert stages["count"] > 0 and any(s["is_initial"] for s in stages["results"])
    assert Caller(client, world.employee).get("/api/v1/stages").json()["count"] == 0
    names = {
        m["name"]
        for m in Caller(client, world.employee).get("/api/v1/municipalities").json()["results"]
    }
    assert {world.skovde.name, world.hjo.name} <= names


def test_statistics_for_roles_and_the_public(client, world, idea):
    assert Caller(client, world.process_leader).get("/api/v1/statistics").status_code == 200
    assert Caller(client, world.employee).get("/api/v1/statistics").status_code == 404
    public = client.get("/api/v1/statistics/public")
    assert public.status_code == 200 and public.json()["tables"]
    assert client.get("/api/v1/showcase").json()["count"] == 0
