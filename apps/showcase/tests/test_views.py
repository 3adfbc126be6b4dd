"""The public showcase pages, the Atom feed, personal data, and the workspace's forms."""

import xml.etree.ElementTree as ElementTree

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _

from apps.core import testing
from apps.ideas.models import Idea, TimelineEntry
from apps.showcase.models import ShowcaseEntry
from apps.showcase.testing import entry_for
from apps.spread.testing import solution_in

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def feed_entries(client) -> list[ElementTree.Element]:
    response = client.get(reverse("showcase:feed"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ElementTree.fromstring(response.content)  # noqa: S314 (our own feed)
    assert root.tag == f"{ATOM}feed"
    return root.findall(f"{ATOM}entry")


def test_the_list_shows_published_stories_with_results_and_links_the_feed(client, world):
    published = entry_for(world, publish=True, results="Väntetiden halverades.")
    draft = entry_for(world, headline="Ett utkast som ingen ser")
    page = client.get(reverse("showcase:list")).content.decode()
    assert escape(published.headline) in page
    assert escape("Väntetiden halverades.") in page
    assert f'href="{published.get_absolute_url()}"' in page
    assert escape(draft.headline) not in page
    title = escape(_("Showcase (Atom feed)"))
    feed = reverse("showcase:feed")
    assert (
        f'<link rel="alternate" type="application/atom+xml" title="{title}" href="{feed}">' in page
    )


def test_the_entry_page_answers_404_unless_published(client, world):
    entry = entry_for(world)
    assert client.get(entry.get_absolute_url()).status_code == 404
    ShowcaseEntry.objects.filter(pk=entry.pk).update(
        approved_at=entry.created_at, approved_by=world.communicator
    )
    assert client.get(entry.get_absolute_url()).status_code == 200
    Idea.objects.filter(pk=entry.idea_id).update(consent_to_publish=False)
    assert client.get(entry.get_absolute_url()).status_code == 404


def test_search_and_category_on_the_list(client, world):
    care = entry_for(world, publish=True, headline="Trygg hemtjänst", category="care")
    school = entry_for(world, publish=True, headline="Trygg skolväg", category="school")
    other = entry_for(world, publish=True, headline="Digitala lås", category="care")

    def shown(**params) -> set[int]:
        response = client.get(reverse("showcase:list"), params)
        assert response.status_code == 200
        return {entry.pk for entry in response.context["page"].object_list}

    assert shown() == {care.pk, school.pk, other.pk}
    assert shown(q="TRYGG") == {care.pk, school.pk}
    assert shown(category="care") == {care.pk, other.pk}
    assert shown(q="trygg", category="care") == {care.pk}
    assert shown(q="finns inte") == set()


def test_an_unknown_category_is_a_clear_400_keeping_the_words(client, world):
    response = client.get(reverse("showcase:list"), {"q": "trygg", "category": "nope"})
    assert response.status_code == 400
    assert response.context["form"].errors["category"]
    assert 'value="trygg"' in response.content.decode()


def test_pagination(client, world):
    for number in range(21):
        entry_for(world, publish=True, headline=f"Berättelse {number}")
    first = client.get(reverse("showcase:list"))
    assert len(first.context["page"].object_list) == 20
    second = client.get(reverse("showcase:list"), {"page": 2})
    assert [e.headline for e in second.context["page"].object_list] == ["Berättelse 0"]


def test_a_published_catalogue_solution_is_linked(client, world):
    solution = solution_in(world, consent=True, approved=True)
    entry = entry_for(world, idea=solution.idea, publish=True)
    plain = entry_for(world, publish=True, headline="Utan lösning")
    link = f'href="{reverse("spread:public_detail", args=[solution.pk])}"'
    assert link in client.get(reverse("showcase:list")).content.decode()
    assert link in client.get(entry.get_absolute_url()).content.decode()
    assert "spread/public" not in client.get(plain.get_absolute_url()).content.decode()


def test_the_atom_feed_lists_published_entries_newest_first(client, world):
    first = entry_for(world, publish=True, headline="Första", lead="Första ingressen.")
    second = entry_for(world, publish=True, headline="Andra", lead="Andra ingressen.")
    entry_for(world, headline="Utkastet")
    entries = feed_entries(client)
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["Andra", "Första"]
    newest = entries[0]
    assert newest.findtext(f"{ATOM}summary") == "Andra ingressen."
    assert newest.find(f"{ATOM}link").get("href").endswith(second.get_absolute_url())
    assert newest.findtext(f"{ATOM}id").endswith(second.get_absolute_url())
    assert newest.findtext(f"{ATOM}updated").startswith(str(second.approved_at.year))
    assert entries[1].findtext(f"{ATOM}id").endswith(first.get_absolute_url())


def _public_pages(client, entry) -> list[str]:
    return [
        client.get(reverse("showcase:list")).content.decode(),
        client.get(reverse("showcase:list"), {"q": entry.headline}).content.decode(),
        client.get(entry.get_absolute_url()).content.decode(),
        client.get(reverse("showcase:feed")).content.decode(),
    ]


def test_no_personal_data_on_public_pages_unless_agreed(client, world):
    idea = testing.submit_idea(
        world.skovde,
        consent_to_publish=True,
        submitter_name="Sigrid Särskildnamn",
        submitter_email="sigrid.sarskild@skovde.se",
        submitter_phone="0701234567",
    )
    entry = entry_for(world, idea=idea, publish=True)
    for page in _public_pages(client, entry):
        for personal in ("Särskildnamn", "sigrid.sarskild", "0701234567", idea.reference):
            assert personal not in page
        assert world.communicator.full_name not in page  # nor who approved it
    named = entry_for(
        world, idea=idea, publish=True, credit_agreed=True, credit="Sigrid Särskildnamn"
    )
    assert named.is_published
    pages = _public_pages(client, named)
    assert "Särskildnamn" in pages[2]  # the entry page names whoever agreed
    assert all("sigrid.sarskild" not in page and idea.reference not in page for page in pages)


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("who", ["anonymous", "communicator"])
def test_list_query_counts_stay_flat(client, world, who):
    if who != "anonymous":
        client.force_login(getattr(world, who))
    url = reverse("showcase:list") if who == "anonymous" else reverse("showcase:workspace")
    entry_for(world, publish=True)
    few = _queries(client, url)
    for _number in range(4):
        entry_for(world, publish=True)
        testing.submit_idea(world.hjo, consent_to_publish=True)
    assert ShowcaseEntry.objects.count() == 5
    assert _queries(client, url) == few


# --- Workspace ---------------------------------------------------------------------------


def _form(**changes) -> dict:
    data = {
        "headline": "Ny rubrik",
        "lead": "Ingressen.",
        "story": "Berättelsen.",
        "results": "",
        "category": "care",
        "action": "save",
    }
    data.update(changes)
    return data


def test_an_empty_headline_is_a_400_keeping_what_was_typed(client, world):
    idea = testing.submit_idea(world.skovde, consent_to_publish=True)
    client.force_login(world.communicator)
    url = reverse("showcase:edit", args=[idea.pk])
    response = client.post(url, _form(headline="", story="Det jag skrev."))
    assert response.status_code == 400
    assert response.context["form"].errors["headline"] == [_("Write a headline.")]
    assert "Det jag skrev." in response.content.decode()
    assert not ShowcaseEntry.objects.exists()


def test_a_name_without_agreement_is_a_400(client, world):
    idea = testing.submit_idea(world.skovde, consent_to_publish=True)
    client.force_login(world.communicator)
    response = client.post(reverse("showcase:edit", args=[idea.pk]), _form(credit="Ida"))
    assert response.status_code == 400
    assert response.context["form"].errors["credit"]
    assert not ShowcaseEntry.objects.exists()


def test_a_coach_drafts_and_a_communicator_publishes(client, world):
    idea = testing.submit_idea(world.skovde, consent_to_publish=True)
    client.force_login(world.coach)
    response = client.post(reverse("showcase:edit", args=[idea.pk]), _form(action="publish"))
    assert response.status_code == 302  # a coach's "publish" is only a save
    assert response["Location"] == reverse("showcase:preview", args=[idea.pk])
    entry = ShowcaseEntry.objects.get(idea=idea)
    assert entry.approved_at is None
    preview = client.get(reverse("showcase:preview", args=[idea.pk]))
    assert preview.status_code == 200
    assert reverse("showcase:publication", args=[idea.pk]) not in preview.content.decode()

    client.force_login(world.communicator)
    preview = client.get(reverse("showcase:preview", args=[idea.pk])).content.decode()
    assert reverse("showcase:publication", args=[idea.pk]) in preview
    response = client.post(reverse("showcase:publication", args=[idea.pk]), {"action": "publish"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.approved_by == world.communicator
    assert client.get(entry.get_absolute_url()).status_code == 200
    client.post(reverse("showcase:publication", args=[idea.pk]), {"action": "withdraw"})
    entry.refresh_from_db()
    assert entry.withdrawn_at is not None
    assert client.get(entry.get_absolute_url()).status_code == 404


def test_publishing_without_consent_is_refused_with_a_message(client, world):
    idea = testing.submit_idea(world.skovde, consent_to_publish=False)
    client.force_login(world.communicator)
    assert client.post(reverse("showcase:edit", args=[idea.pk]), _form()).status_code == 302
    response = client.post(reverse("showcase:publication", args=[idea.pk]), {"action": "publish"})
    assert response.status_code == 400
    assert (
        escape(
            _(
                "The submitter has not agreed to publication, so this idea cannot be "
                "published in the showcase."
            )
        )
        in response.content.decode()
    )
    assert ShowcaseEntry.objects.get(idea=idea).approved_at is None
    assert not idea.timeline.filter(kind=TimelineEntry.Kind.SHOWCASE_PUBLISHED).exists()


def test_save_and_publish_in_one_step(client, world):
    entry = entry_for(world, publish=True)
    client.force_login(world.communicator)
    response = client.post(reverse("showcase:edit", args=[entry.idea_id]), _form(action="publish"))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.headline == "Ny rubrik" and entry.is_published


def test_the_idea_section_tag_shows_drafters_their_link(rf, world):
    from django.template import Context, Template

    idea = testing.submit_idea(world.skovde, consent_to_publish=True)
    template = Template("{% load showcase %}{% showcase_section idea %}")
    for person, shown in ((world.coach, True), (world.communicator, True), (world.manager, False)):
        request = rf.get("/")
        request.user = person
        html = template.render(Context({"request": request, "idea": idea}))
        assert (reverse("showcase:edit", args=[idea.pk]) in html) is shown
