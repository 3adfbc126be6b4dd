"""Search on the workspace list (issue 5 §3): the text of the list's search box ranks the
ideas the user may see by the search engine, within the other filters, and each row shows
the title and a snippet with the matching words marked.
"""

from apps.core.testing import submit_idea
from apps.ideas import services
from apps.workflow.models import Stage

from .test_query_counts import _assert_same, _queries

LIST = "/workspace/ideas/"


def _ids(response) -> list[int]:
    return [idea.pk for idea in response.context["page"].object_list]


def _ideas(world):
    strong = submit_idea(
        world.skovde,
        title="Föräldrautbildning på webben",
        need="Föräldrar saknar stöd.",
        solution="En webbaserad föräldrautbildning om barns psykiska hälsa.",
    )
    weak = submit_idea(
        world.skovde,
        title="Stöd i hemtjänsten",
        need="Personalen behöver bättre scheman. " * 6 + "Ibland nämns föräldrautbildning.",
        solution="Digitala scheman.",
    )
    unrelated = submit_idea(
        world.skovde, title="Snöröjning med drönare", need="Snö på vägarna.", solution="Drönare."
    )
    in_hjo = submit_idea(
        world.hjo,
        title="Föräldrautbildning i Hjo",
        need="Föräldrar saknar stöd.",
        solution="Föräldrautbildning på nätet.",
    )
    return strong, weak, unrelated, in_hjo


def test_search_ranks_the_best_match_first_and_marks_the_words(world, client):
    strong, weak, unrelated, in_hjo = _ideas(world)
    client.force_login(world.coach)

    response = client.get(LIST, {"q": "föräldrautbildning"})

    ids = _ids(response)
    assert ids[:2] == [strong.pk, weak.pk]
    assert unrelated.pk not in ids
    assert in_hjo.pk not in ids  # not the Skövde coach's to see
    html = response.content.decode()
    assert "<mark>Föräldrautbildning</mark> på webben" in html
    # The weak match's snippet starts near the word, far into its text, and marks it.
    assert "… " in html and "<mark>föräldrautbildning</mark>." in html


def test_search_stays_within_the_other_filters(world, client):
    strong, weak, _unrelated, in_hjo = _ideas(world)
    capture = Stage.objects.get(consortium=world.consortium, key="capture")
    services.idea_move(
        idea=weak, actor=world.coach, to_stage=capture, expected_stage_id=weak.stage_id
    )
    client.force_login(world.process_leader)

    everywhere = _ids(client.get(LIST, {"q": "föräldrautbildning"}))
    assert {strong.pk, weak.pk, in_hjo.pk} <= set(everywhere)
    in_hjo_only = _ids(client.get(LIST, {"q": "föräldrautbildning", "municipality": world.hjo.pk}))
    assert in_hjo_only == [in_hjo.pk]
    in_capture = _ids(client.get(LIST, {"q": "föräldrautbildning", "stage": capture.pk}))
    assert in_capture == [weak.pk]


def test_a_reference_finds_its_idea_first(world, client):
    _strong, weak, _unrelated, _in_hjo = _ideas(world)
    client.force_login(world.coach)
    assert _ids(client.get(LIST, {"q": weak.reference}))[0] == weak.pk


def test_a_search_without_matches_says_so(world, client):
    _ideas(world)
    client.force_login(world.coach)
    response = client.get(LIST, {"q": "rymdraket"})
    assert _ids(response) == []
    assert response.context["page"].paginator.count == 0


def test_search_escapes_what_an_idea_holds(world, client):
    submit_idea(
        world.skovde,
        title="<script>alert(1)</script> Föräldrautbildning",
        need="<b>Föräldrautbildning</b> behövs.",
        solution="Text.",
    )
    client.force_login(world.coach)
    html = client.get(LIST, {"q": "föräldrautbildning"}).content.decode()
    assert "<script>alert(1)</script>" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; <mark>Föräldrautbildning</mark>" in html


def test_search_results_page_and_keep_the_search_in_the_links(world, client):
    for number in range(30):
        submit_idea(world.skovde, title=f"Föräldrautbildning {number}")
    submit_idea(world.skovde, title="Snöröjning", need="Snö.", solution="Plogbilar.")
    client.force_login(world.coach)

    first = client.get(LIST, {"q": "föräldrautbildning"})
    second = client.get(LIST, {"q": "föräldrautbildning", "page": 2})

    assert first.context["page"].paginator.count == 30
    assert len(_ids(first)) == 25 and len(_ids(second)) == 5
    assert not set(_ids(first)) & set(_ids(second))
    assert "q=f%C3%B6r%C3%A4ldrautbildning&amp;page=2" in first.content.decode()


def test_the_htmx_answer_holds_the_marked_results(world, client):
    _ideas(world)
    client.force_login(world.coach)
    response = client.get(LIST, {"q": "föräldrautbildning"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html and 'id="results"' in html
    assert "<mark>Föräldrautbildning</mark> på webben" in html


def test_search_costs_the_same_queries_for_few_and_many_matches(world, client):
    for number in range(3):
        submit_idea(world.skovde, title=f"Föräldrautbildning {number}")
    client.force_login(world.coach)
    url = f"{LIST}?q=föräldrautbildning&municipality={world.skovde.pk}"
    few = _queries(client, url, warm_up=True)
    for number in range(40):
        submit_idea(world.skovde, title=f"Föräldrautbildning mer {number}")
    assert client.get(url).context["page"].paginator.count == 43
    _assert_same("search", few, _queries(client, url))


def test_a_reference_typed_in_lower_case_finds_its_idea_first(world, client):
    _strong, weak, _unrelated, in_hjo = _ideas(world)
    client.force_login(world.coach)
    assert _ids(client.get(LIST, {"q": weak.reference.lower()}))[0] == weak.pk
    # Only within what the coach may see: Hjo's idea is not found by its reference.
    assert in_hjo.pk not in _ids(client.get(LIST, {"q": in_hjo.reference}))


def test_each_page_of_a_search_holds_the_ranking_s_next_ideas(world, client):
    # The page reads only its own rows, in the ranking's order: the pages together are
    # the order the API and the export give (idea_list), page by page.
    from apps.ideas.selectors import IdeaFilters, idea_list

    for number in range(30):
        submit_idea(world.skovde, title=f"Föräldrautbildning {number}", need="Stöd " * number)
    client.force_login(world.coach)
    pages = [_ids(client.get(LIST, {"q": "föräldrautbildning", "page": n})) for n in (1, 2)]
    ranked = [idea.pk for idea in idea_list(world.coach, IdeaFilters(text="föräldrautbildning"))]
    assert pages[0] + pages[1] == ranked
