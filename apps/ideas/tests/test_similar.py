"""Similar ideas (issue 5 §1 and §2): on the public form while typing (htmx) and as a
step without JavaScript, and on every idea page.

The public sees only published ideas, as the catalogue's approved title and summary and
the municipality, never anything about the people; coaches see similar ideas of every
municipality, with a link only to the ideas they may open.
"""

import uuid

import pytest
from django.urls import reverse

from apps.core.testing import submit_idea
from apps.ideas import services
from apps.ideas.models import Attachment, Idea
from apps.spread import services as spread_services
from apps.spread.testing import make_solution, spreadable_idea
from apps.workflow.models import Stage

from .test_query_counts import _assert_same, _queries

SIMILAR = "/submit/similar/"
TYPED = {
    "title": "Föräldrautbildning på webben",
    "need": "Föräldrar behöver stöd när barnen mår psykiskt dåligt.",
    "solution": "En webbaserad föräldrautbildning som föräldrar går när de vill.",
}


def _published(world, **fields) -> Idea:
    """A Hjo idea carried to Spread, written up and approved for the public catalogue,
    through the catalogue's own services."""
    idea = spreadable_idea(
        world.hjo,
        world.process_leader,
        consent_to_publish=True,
        submitter_name="Hugo Hjobo",
        submitter_email="hugo@hjo.se",
        **fields,
    )
    solution = make_solution(
        idea,
        world.other_coach,
        title="Föräldrautbildning på nätet",
        summary="En webbaserad föräldrautbildning om barns psykiska hälsa, för alla föräldrar.",
    )
    spread_services.solution_approve_publication(actor=world.communicator, solution=solution)
    return idea


def _unpublished(world) -> Idea:
    return submit_idea(
        world.skovde,
        title="Webbaserad föräldrautbildning",
        need="Föräldrar saknar stöd om barns psykiska ohälsa.",
        solution="En webbaserad föräldrautbildning för föräldrar i Skövde.",
        submitter_name="Sara Skövdebo",
        submitter_email="sara@skovde.se",
    )


def _htmx(client, data, **headers):
    return client.post(SIMILAR, data, headers={"HX-Request": "true", **headers})


# --- The public form --------------------------------------------------------------------


def test_typing_on_the_form_shows_published_similar_ideas_only(world, client):
    published = _published(world)
    unpublished = _unpublished(world)

    response = _htmx(client, TYPED)

    assert response.status_code == 200
    cards = response.context["similar"]
    assert [card.idea_id for card in cards] == [published.pk]
    html = response.content.decode()
    # The catalogue's approved text and the municipality, linked to the public page.
    assert "Föräldrautbildning på nätet" in html and "Hjo" in html
    assert reverse("spread:public_detail", args=[published.offered_solution.pk]) in html
    # Nothing the public may not see: not the unpublished idea, no people, no references.
    for hidden in (
        unpublished.title,
        published.title,
        published.reference,
        "Hugo",
        "hugo@hjo.se",
        world.other_coach.full_name,
        "/workspace/",
    ):
        assert hidden not in html, hidden
    # A partial, not a page; the status region is refilled out of band to announce it.
    assert "<html" not in html
    assert 'id="status"' in html and 'hx-swap-oob="true"' in html


def test_an_employee_without_a_role_sees_the_public_cards(world, client):
    _published(world)
    unpublished = _unpublished(world)
    client.force_login(world.employee)
    html = _htmx(client, TYPED).content.decode()
    assert "Föräldrautbildning på nätet" in html
    assert unpublished.title not in html


def test_a_coach_on_the_form_sees_similar_ideas_of_every_municipality(world, client):
    published = _published(world)
    in_skovde = _unpublished(world)
    client.force_login(world.coach)

    cards = {card.idea_id: card for card in _htmx(client, TYPED).context["similar"]}

    assert set(cards) == {published.pk, in_skovde.pk}
    assert cards[in_skovde.pk].may_open and not cards[published.pk].may_open


def test_nothing_typed_shows_nothing(world, client):
    _published(world)
    response = _htmx(client, {"title": "", "need": " ", "solution": ""})
    assert response.context["similar"] == []


def test_check_for_similar_ideas_without_javascript_keeps_everything_typed(world, client):
    published = _published(world)
    client.get(reverse("ideas:submit"))
    token = str(uuid.uuid4())
    data = {
        **TYPED,
        "beneficiaries": "Föräldrar & barn",
        "municipality": str(world.skovde.pk),
        "unit": str(world.skovde_unit.pk),
        "workplace": "Norrmalmsskolan",
        "submitter_name": "Åsa Öberg",
        "submitter_email": "",  # not filled in yet: no error is shown for a check
        "consent_to_publish": "on",
        "submission_token": token,
        "check_similar": "1",
    }
    from django.core.files.uploadedfile import SimpleUploadedFile

    data["attachments"] = SimpleUploadedFile(
        "skiss.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"
    )

    response = client.post(reverse("ideas:submit"), data)

    assert response.status_code == 200
    assert not Idea.objects.filter(submission_token=token).exists()
    assert [card.idea_id for card in response.context["similar"]] == [published.pk]
    html = response.content.decode()
    assert 'id="error-summary"' not in html
    form = response.context["form"]
    assert not form.is_bound and not form.errors
    for name in ("title", "need", "solution", "workplace", "submitter_name"):
        assert form[name].value() == data[name]
    assert form["municipality"].value() == str(world.skovde.pk)
    assert form["consent_to_publish"].value()
    assert f'value="{token}"' in html
    assert "Föräldrar &amp; barn" in html
    # The file is held for the real submit, under the same form token.
    held = Attachment.objects.get(upload_token=token)
    assert held.original_name == "skiss.pdf" and held.idea is None

    # Then handed in for real: the held file comes along.
    data.pop("check_similar")
    data.pop("attachments")
    data["submitter_email"] = "asa.oberg@skovde.se"
    response = client.post(reverse("ideas:submit"), data)
    assert response.status_code == 302
    idea = Idea.objects.get(submission_token=token)
    assert list(idea.attachments.values_list("original_name", flat=True)) == ["skiss.pdf"]


def test_the_form_page_carries_the_live_region_and_the_htmx_wiring(world, client):
    html = client.get(reverse("ideas:submit")).content.decode()
    assert f'hx-post="{SIMILAR}"' in html
    assert 'hx-params="title,need,solution"' in html
    assert 'id="similar-ideas"' in html
    assert 'name="check_similar"' in html


# --- The idea page ----------------------------------------------------------------------


def test_the_idea_page_lists_similar_ideas_across_municipalities(world, client):
    own = _unpublished(world)
    in_hjo = submit_idea(
        world.hjo,
        title="Föräldrautbildning digitalt",
        need="Stöd till föräldrar vars barn mår psykiskt dåligt.",
        solution="Webbaserad föräldrautbildning. " + "Mycket mer text om kursen. " * 20,
        submitter_name="Hugo Hjobo",
        submitter_email="hugo@hjo.se",
    )
    services.idea_assign_owner(idea=in_hjo, actor=world.other_coach, owner=world.other_coach)
    submit_idea(  # unrelated: must not come first
        world.skovde, title="Snöröjning med drönare", need="Snö.", solution="Drönare plogar."
    )
    client.force_login(world.coach)

    response = client.get(reverse("ideas:similar", args=[own.reference]))

    cards = response.context["similar"]
    ids = [card.idea_id for card in cards]
    # Best first, never the idea itself (the engine may still list a weak match last).
    assert ids[0] == in_hjo.pk and own.pk not in ids
    card = cards[ids.index(in_hjo.pk)]
    assert (card.municipality, card.owner) == ("Hjo", world.other_coach.full_name)
    assert card.stage == in_hjo.stage.name
    assert len(card.summary) <= 202 and card.summary.startswith("Webbaserad")
    assert not card.may_open  # Hjo's idea is not the Skövde coach's to open
    html = response.content.decode()
    assert reverse("ideas:detail", args=[in_hjo.reference]) not in html
    for private in ("Hugo", "hugo@hjo.se"):
        assert private not in html
    # The coach may link it: a form per card.
    assert f'name="link-other" value="{in_hjo.reference}"' in html


def test_the_idea_page_leaves_the_search_to_its_own_request(world, client):
    own = _unpublished(world)
    in_hjo = submit_idea(world.hjo, title="Föräldrautbildning digitalt")
    client.force_login(world.coach)
    similar_url = reverse("ideas:similar", args=[own.reference])

    page = client.get(reverse("ideas:detail", args=[own.reference]))

    # The section's heading and a real link (no JavaScript needed), which htmx fetches
    # in place once the section is shown; the search itself did not run for the page.
    assert "similar" not in page.context
    html = page.content.decode()
    assert 'id="similar-heading"' in html
    assert f'href="{similar_url}"' in html and f'hx-get="{similar_url}"' in html
    assert f'value="{in_hjo.reference}"' not in html


def test_the_similar_ideas_are_a_page_without_htmx_and_a_fragment_with_it(world, client):
    own = _unpublished(world)
    in_hjo = submit_idea(world.hjo, title="Föräldrautbildning digitalt")
    client.force_login(world.coach)
    url = reverse("ideas:similar", args=[own.reference])

    page = client.get(url)
    fragment = client.get(url, headers={"HX-Request": "true"})

    assert page.status_code == fragment.status_code == 200
    page_html, fragment_html = page.content.decode(), fragment.content.decode()
    # Without htmx a whole page, with its way back to the idea.
    assert "<html" in page_html and 'id="similar-results"' in page_html
    assert reverse("ideas:detail", args=[own.reference]) in page_html
    # With htmx only the list, which replaces the link, and an addition to the page's
    # status region (kept: it may hold the message of a link just made).
    assert "<html" not in fragment_html and 'id="similar-results"' in fragment_html
    assert 'hx-swap-oob="beforeend:#status"' in fragment_html
    for html in (page_html, fragment_html):
        assert f'name="link-other" value="{in_hjo.reference}"' in html
        assert f'action="{reverse("ideas:link", args=[own.reference])}"' in html
    # One address with two answers: caches must keep them apart.
    for response in (page, fragment):
        assert "HX-Request" in response["Vary"]


def test_the_process_leader_may_open_every_similar_idea(world, client):
    own = _unpublished(world)
    in_hjo = submit_idea(world.hjo, title="Föräldrautbildning digitalt")
    client.force_login(world.process_leader)
    response = client.get(reverse("ideas:similar", args=[own.reference]))
    card = next(c for c in response.context["similar"] if c.idea_id == in_hjo.pk)
    assert card.may_open
    assert reverse("ideas:detail", args=[in_hjo.reference]) in response.content.decode()


def test_the_manager_sees_similar_ideas_but_cannot_link(world, client):
    own = submit_idea(world.skovde, unit=world.skovde_unit, title="Webbaserad föräldrautbildning")
    submit_idea(world.hjo, title="Föräldrautbildning på webben")
    client.force_login(world.manager)
    response = client.get(reverse("ideas:similar", args=[own.reference]))
    assert response.context["similar"]
    assert 'name="link-other"' not in response.content.decode()


@pytest.mark.parametrize("person", ["coach", "process_leader", "manager"])
def test_the_idea_page_costs_the_same_queries_with_many_similar_and_linked_ideas(
    world, client, person
):
    few = submit_idea(world.skovde, unit=world.skovde_unit, title="Föräldrautbildning på webben")
    many = submit_idea(world.skovde, unit=world.skovde_unit, title="Föräldrautbildning digitalt")
    submit_idea(world.hjo, title="Föräldrakurs på webben")
    for number in range(8):
        other = submit_idea(
            world.hjo if number % 2 else world.skovde,
            title=f"Föräldrautbildning variant {number}",
        )
        if number < 4:
            services.idea_link(actor=world.process_leader, idea=many, other=other, kind="related")
    client.force_login(getattr(world, person))
    assert len(client.get(reverse("ideas:detail", args=[many.reference])).context["links"]) == 4
    assert len(client.get(reverse("ideas:similar", args=[many.reference])).context["similar"]) == 5
    for name in ("ideas:detail", "ideas:similar"):
        url_few = reverse(name, args=[few.reference])
        url_many = reverse(name, args=[many.reference])
        _assert_same(
            f"{person} {name}",
            _queries(client, url_few, warm_up=True),
            _queries(client, url_many),
        )


def test_the_form_answer_costs_the_same_queries_for_one_or_five_cards(world, client):
    _published(world)
    one = _queries_for_post(client, TYPED)
    for number in range(5):
        _published(world, title=f"Föräldrautbildning {number}")
    assert len(_htmx(client, TYPED).context["similar"]) == 5
    many = _queries_for_post(client, TYPED)
    assert len(one) == len(many), "\n".join(many)


def _queries_for_post(client, data) -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _htmx(client, data)
    with CaptureQueriesContext(connection) as captured:
        assert _htmx(client, data).status_code == 200
    return [q["sql"] for q in captured.captured_queries]


def test_stage_names_come_from_the_process(world):
    # Guards the helper: the path to Spread exists in the default process.
    assert Stage.objects.filter(consortium=world.consortium, key="spread").exists()


def test_without_javascript_the_receipt_is_the_step_that_shows_similar_ideas(world, client):
    from .test_submit_form import SUBMIT, _form

    published = _published(world)
    unpublished = _unpublished(world)
    form = _form(world, title=TYPED["title"], need=TYPED["need"], solution=TYPED["solution"])
    assert client.post(SUBMIT, form).status_code == 302

    receipt = client.get(reverse("ideas:receipt"))

    assert [card.idea_id for card in receipt.context["similar"]] == [published.pk]
    html = receipt.content.decode()
    assert "Föräldrautbildning på nätet" in html
    for hidden in (unpublished.title, published.reference, "hugo@hjo.se"):
        assert hidden not in html, hidden


def test_a_receipt_with_nothing_similar_has_no_similar_section(world, client):
    from .test_submit_form import SUBMIT, _form

    _unpublished(world)
    assert client.post(SUBMIT, _form(world)).status_code == 302
    receipt = client.get(reverse("ideas:receipt"))
    assert receipt.context["similar"] == []
    assert 'id="similar-heading"' not in receipt.content.decode()
