"""The API with tokens, actor by actor: the same answers as the pages give the same
people (the rows of apps/core/tests/matrix.py, there checked through the session), with
401 where a page would send to the login."""

import pytest

from apps.core.tests.matrix import (
    ACTORS,
    HIDDEN,
    IDEA_READ,
    LOGGED_IN,
    LOGIN,
    OK,
    WORKSPACE,
    build_scene,
)

from .helpers import Caller

STATUS = {OK: 200, HIDDEN: 404, LOGIN: 401}


def call(client, world, actor: str, method: str, path: str, body=None):
    if actor not in LOGGED_IN:
        # Anonymous, or holding a submitter's private link: neither opens the API.
        if method == "get":
            return client.get(path)
        return client.post(path, body, content_type="application/json")
    caller = Caller(client, getattr(world, actor))
    return caller.get(path) if method == "get" else caller.post(path, body)


@pytest.mark.parametrize("actor", ACTORS)
def test_the_list(client, world, actor):
    scene = build_scene(world)
    response = call(client, world, actor, "get", "/api/v1/ideas")
    assert response.status_code == STATUS[WORKSPACE[actor]]
    if response.status_code == 200:
        seen = [r["reference"] for r in response.json()["results"]]
        # The coach of Hjo has a list too, without Skövde's idea in it.
        assert (scene.idea.reference in seen) == (IDEA_READ[actor] is OK)


@pytest.mark.parametrize("actor", ACTORS)
def test_one_idea(client, world, actor):
    scene = build_scene(world)
    response = call(client, world, actor, "get", f"/api/v1/ideas/{scene.idea.reference}")
    assert response.status_code == STATUS[IDEA_READ[actor]]


@pytest.mark.parametrize("actor", ACTORS)
def test_similar_ideas(client, world, actor):
    build_scene(world)
    response = call(client, world, actor, "post", "/api/v1/ideas/similar", {"title": "Idé"})
    assert response.status_code == (200 if actor in LOGGED_IN else 401)


def test_a_process_leader_of_another_consortium_sees_nothing_of_this_one(client, world):
    from apps.core import testing
    from apps.organisations.models import Role

    scene = build_scene(world)
    elsewhere = testing.make_consortium("Fyrbodal", prefix="FYR")
    leader = Caller(client, testing.make_user("Lena Annan", (Role.PROCESS_LEADER, elsewhere)))
    assert leader.get(f"/api/v1/ideas/{scene.idea.reference}").status_code == 404
    assert leader.get("/api/v1/ideas").json()["count"] == 0
