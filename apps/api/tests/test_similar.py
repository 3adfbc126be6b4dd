"""POST /api/v1/ideas/similar: validation (422 in ninja's error format) and the answer's
shape, order and scope. Written against the similarity interface, not its engine: any
engine must find an idea by its own title."""

import pytest

from apps.core import testing

from .helpers import Caller

SIMILAR = "/api/v1/ideas/similar"
TITLE = "Webbaserad föräldrautbildning om barns psykiska ohälsa"


@pytest.fixture
def coach(client, world):
    return Caller(client, world.coach)


def test_the_answer_is_best_first_with_reference_title_municipality_and_score(coach, world):
    # In Hjo: similar ideas come from every municipality for a coach.
    twin = testing.submit_idea(world.hjo, title=TITLE)
    testing.submit_idea(world.skovde, title="Digitala lås i hemtjänsten", solution="Lås.")
    response = coach.post(SIMILAR, {"title": TITLE, "text": "föräldrautbildning på nätet"})
    assert response.status_code == 200
    results = response.json()["results"]
    assert results, "an idea with the very same title must be found"
    assert all(set(r) == {"reference", "title", "municipality", "score"} for r in results)
    scores = [r["score"] for r in results]
    assert scores == sorted(scores, reverse=True)
    found = {r["reference"]: r for r in results}
    assert twin.reference in found
    assert found[twin.reference]["title"] == TITLE
    assert found[twin.reference]["municipality"] == {"id": world.hjo.pk, "name": "Hjo"}
    assert isinstance(found[twin.reference]["score"], float)


def test_limit_bounds_the_answer_and_defaults_to_five(coach, world):
    for number in range(7):
        testing.submit_idea(world.skovde, title=f"{TITLE} {number}")
    everything = coach.post(SIMILAR, {"title": TITLE, "limit": 50}).json()["results"]
    default = coach.post(SIMILAR, {"title": TITLE}).json()["results"]
    two = coach.post(SIMILAR, {"title": TITLE, "limit": 2}).json()["results"]
    assert len(default) == min(5, len(everything))
    assert len(two) == min(2, len(everything))
    assert [r["reference"] for r in two] == [r["reference"] for r in default[:2]]


def test_the_text_alone_is_enough(coach, world):
    twin = testing.submit_idea(world.skovde, title=TITLE)
    results = coach.post(SIMILAR, {"text": TITLE}).json()["results"]
    assert twin.reference in [r["reference"] for r in results]


def test_an_account_without_a_workspace_sees_only_published_ideas(client, world):
    unpublished = testing.submit_idea(world.skovde, title=TITLE)
    employee = Caller(client, world.employee)
    response = employee.post(SIMILAR, {"title": TITLE})
    assert response.status_code == 200
    assert unpublished.reference not in [r["reference"] for r in response.json()["results"]]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, None),
        ({"title": "  ", "text": "\n"}, None),
        ({"title": "x" * 151}, "title"),
        ({"text": "x" * 8001}, "text"),
        ({"title": "Föräldrar", "limit": 0}, "limit"),
        ({"title": "Föräldrar", "limit": 51}, "limit"),
        ({"title": "Föräldrar", "limit": "fem"}, "limit"),
        ({"title": "Föräldrar\x00"}, "title"),
        ({"title": ["en", "lista"]}, "title"),
    ],
)
def test_bad_questions_answer_422_in_the_error_format(coach, world, body, field):
    response = coach.post(SIMILAR, body)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid"
    if field is None:
        (messages,) = error["fields"].values()
        assert "title or a text" in messages[0]
    else:
        assert list(error["fields"]) == [field]


@pytest.mark.parametrize("body", ["q#~", "Föräldrar", ["Föräldrar"], 5, None])
def test_a_body_that_is_not_an_object_answers_422(coach, world, body):
    # A bare string was read through its attributes: its title was str.title().
    response = coach.post(SIMILAR, body)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid"
    (messages,) = error["fields"].values()
    assert "JSON object" in messages[0]


def test_a_body_that_is_not_json_answers_400(client, world):
    caller = Caller(client, world.coach)
    response = client.post(
        SIMILAR, "title=x", content_type="application/json", headers=caller.headers
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_request"
