"""Who may reach what: every URL pattern × every kind of visitor (see matrix.py).

Whatever a role may not see answers 404, the same as something that does not exist;
pages behind a login send anonymous visitors to the login page.
"""

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.core import testing
from apps.core.tests.matrix import (
    ACTORS,
    HIDDEN,
    LOGGED_IN,
    MATRIX,
    OK,
    Route,
    Scene,
    build_scene,
    is_exempt,
    project_patterns,
)
from apps.ideas.views import RECEIPT_SESSION_KEY
from apps.organisations.models import Role
from apps.workflow.models import Stage, Transition

PATTERNS = {pattern.key: pattern for pattern in project_patterns()}

#: Routes that name an idea by its reference: each must hide another municipality's idea.
IDEA_SCOPED = sorted(
    name for name, pattern in PATTERNS.items() if "reference" in pattern.params and name in MATRIX
)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Actors log in with force_login; hashing their passwords with Argon2 would only
    # make the few hundred worlds this module builds slow.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def scene(world) -> Scene:
    return build_scene(world)


def call(client, route: Route, scene: Scene, name: str, method: str):
    url = reverse(name, kwargs=route.kwargs(scene))
    if method == "get":
        return client.get(url)
    return client.post(url, route.data(scene))


# --- The matrix covers the project --------------------------------------------------------


def test_every_url_pattern_has_a_row_or_an_exemption():
    missing = sorted(
        key for key, pattern in PATTERNS.items() if key not in MATRIX and not is_exempt(pattern)
    )
    assert not missing, (
        "URL patterns with no row in apps/core/tests/matrix.py MATRIX (decide who may "
        "reach them): " + ", ".join(f"{key} (/{PATTERNS[key].route})" for key in missing)
    )


def test_every_row_names_an_existing_pattern():
    stale = sorted(set(MATRIX) - set(PATTERNS))
    assert not stale, f"Rows for URL patterns that no longer exist: {', '.join(stale)}"


def test_our_own_namespaces_are_never_exempted():
    ours = {"core", "ideas", "accounts", "workflow", "organisations"}
    exempted = [p.key for p in PATTERNS.values() if is_exempt(p) and p.namespace in ours]
    assert not exempted
    assert {"healthz", "set_language", "account_login"} <= set(MATRIX)


def test_the_hjo_check_covers_the_idea_routes():
    # Guards the derivation of IDEA_SCOPED from the URL patterns against a silent change.
    assert {
        "ideas:detail",
        "ideas:move",
        "ideas:add_note",
        "ideas:message",
        "ideas:set_owner",
        "ideas:set_tags",
        "ideas:add_files",
        "ideas:attachment",
    } <= set(IDEA_SCOPED)


# --- The matrix itself ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "actor"),
    [(name, actor) for name in MATRIX for actor in ACTORS],
    ids=[f"{name}-{actor}" for name in MATRIX for actor in ACTORS],
)
def test_permission(client, scene, name, actor):
    route = MATRIX[name]
    if actor in LOGGED_IN:
        client.force_login(getattr(scene.world, actor))
    for method, outcome in route.probes(actor):
        response = call(client, route, scene, name, method)
        outcome.check(response, what=f"{method.upper()} {name} as {actor}")


# --- Tenancy ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", IDEA_SCOPED)
def test_an_idea_in_another_municipality_does_not_exist_for_a_coach(client, world, name):
    hjo = build_scene(world, municipality=world.hjo)
    client.force_login(world.coach)
    route = MATRIX[name]
    for method, _outcome in route.probes("coach"):
        response = call(client, route, hjo, name, method)
        HIDDEN.check(response, what=f"{method.upper()} {name} on a Hjo idea as Skövde's coach")


def test_a_coach_cannot_swap_in_the_attachment_of_another_idea(client, world):
    own = build_scene(world)
    in_hjo = build_scene(world, municipality=world.hjo)
    # Also an idea the coach may see: the file must belong to the idea in the URL.
    neighbour = build_scene(world)
    client.force_login(world.coach)
    for other in (in_hjo, neighbour):
        url = reverse(
            "ideas:attachment",
            kwargs={"reference": own.idea.reference, "attachment_id": other.attachment.pk},
        )
        HIDDEN.check(client.get(url), what=f"{own.idea.reference} with {other.idea}'s file")
    own_file = reverse(
        "ideas:attachment",
        kwargs={"reference": own.idea.reference, "attachment_id": own.attachment.pk},
    )
    OK.check(client.get(own_file), what="the coach's own idea's file")


def test_a_private_link_opens_only_its_own_idea_s_files(client, world):
    own = build_scene(world)
    other = build_scene(world)
    url = reverse(
        "ideas:submitter_attachment",
        kwargs={"token": own.token, "attachment_id": other.attachment.pk},
    )
    HIDDEN.check(client.get(url), what="a private link with another idea's file")


def test_a_process_leader_of_another_consortium_sees_nothing_of_this_one(client, world):
    scene = build_scene(world)
    elsewhere = testing.make_consortium("Fyrbodal", prefix="FYR")
    leader = testing.make_user("Lena Annan", (Role.PROCESS_LEADER, elsewhere))
    client.force_login(leader)
    for name in IDEA_SCOPED:
        route = MATRIX[name]
        for method, _outcome in route.probes("process_leader"):
            response = call(client, route, scene, name, method)
            HIDDEN.check(response, what=f"{method.upper()} {name} as Fyrbodal's process leader")
    # Their own process pages work, but not with this consortium's stages and moves.
    for name in ("workflow:stage_edit", "workflow:transition_delete"):
        route = MATRIX[name]
        for method, _outcome in route.probes("process_leader"):
            response = call(client, route, scene, name, method)
            HIDDEN.check(response, what=f"{method.upper()} {name} of another consortium")
    assert Stage.objects.filter(pk=scene.stage.pk, name_sv="Fånga").exists()
    assert Transition.objects.filter(pk=scene.transition.pk).exists()


# --- Private links ----------------------------------------------------------------------


def _link_urls(token: str, attachment_id: int) -> list[tuple[str, str]]:
    page = reverse("ideas:submitter_page", kwargs={"token": token})
    file = reverse(
        "ideas:submitter_attachment", kwargs={"token": token, "attachment_id": attachment_id}
    )
    return [("get", page), ("post", page), ("get", file)]


@pytest.mark.parametrize("actor", ["anonymous", "coach"])
def test_a_wrong_private_link_does_not_exist(client, world, actor):
    scene = build_scene(world)
    if actor != "anonymous":
        client.force_login(getattr(world, actor))
    for wrong in (scene.token[:-2] + "xx", "not-a-token", scene.token.upper()):
        for method, url in _link_urls(wrong, scene.attachment.pk):
            response = getattr(client, method)(url, {"body": "Hej"} if method == "post" else {})
            HIDDEN.check(response, what=f"{method.upper()} {url}")


@pytest.mark.parametrize("actor", ["anonymous", "coach"])
def test_a_revoked_private_link_does_not_exist(client, world, actor):
    scene = build_scene(world)
    scene.idea.submitters.filter(is_primary=True).update(link_revoked_at=timezone.now())
    if actor != "anonymous":
        # Even someone who may see the idea in the workspace gets nothing through it.
        client.force_login(getattr(world, actor))
    for method, url in _link_urls(scene.token, scene.attachment.pk):
        response = getattr(client, method)(url, {"body": "Hej"} if method == "post" else {})
        HIDDEN.check(response, what=f"{method.upper()} {url} after revoking")


# --- The receipt --------------------------------------------------------------------------


def test_the_receipt_is_shown_in_the_session_that_handed_the_idea_in(client, world):
    scene = build_scene(world)
    session = client.session
    session[RECEIPT_SESSION_KEY] = scene.idea.submitters.get(is_primary=True).pk
    session.save()
    response = client.get(reverse("ideas:receipt"))
    OK.check(response, what="the receipt in the handing-in session")
    assert scene.idea.reference in response.content.decode()
