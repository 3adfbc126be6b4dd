"""What the public sees: published entries only, newest first, per consortium."""

import pytest

from apps.core import testing
from apps.ideas.models import Idea
from apps.showcase import selectors, services
from apps.showcase.testing import entry_for

pytestmark = pytest.mark.django_db


def test_only_published_entries_newest_first(world):
    draft = entry_for(world, headline="Utkast")
    first = entry_for(world, publish=True, headline="Först")
    second = entry_for(world, publish=True, headline="Sedan")
    withdrawn = entry_for(world, publish=True, headline="Tillbakadragen")
    services.entry_withdraw(actor=world.communicator, entry=withdrawn)
    entries = list(selectors.published_entries())
    assert entries == [second, first]
    assert draft not in entries and withdrawn not in entries
    assert [entry.published_at for entry in entries] == [second.approved_at, first.approved_at]


def test_consent_taken_back_hides_the_entry(world):
    entry = entry_for(world, publish=True)
    assert list(selectors.published_entries()) == [entry]
    Idea.objects.filter(pk=entry.idea_id).update(consent_to_publish=False)
    assert list(selectors.published_entries()) == []
    assert list(selectors.public_entries()) == []


def test_per_consortium(world):
    entry = entry_for(world, publish=True)
    other = testing.make_consortium("Fyrbodal", prefix="FYR")
    other_municipality = testing.make_municipality(other, "Uddevalla")
    other_communicator = testing.make_user(
        "Fia Fyrbodal", (testing.Role.COMMUNICATOR, other), email="kom@fyrbodal.se"
    )
    idea = testing.submit_idea(other_municipality, consent_to_publish=True)
    theirs = services.entry_save(
        actor=other_communicator,
        idea=idea,
        headline="Uddevallas berättelse",
        lead="Ingress",
        story="Text",
        results="",
        category="care",
        credit_agreed=False,
        credit="",
        publish=True,
    )
    assert list(selectors.published_entries(consortium_id=world.consortium.pk)) == [entry]
    assert list(selectors.published_entries(consortium_id=other.pk)) == [theirs]
    assert set(selectors.published_entries()) == {entry, theirs}
    # A communicator of one consortium publishes nothing in the other's.
    assert not selectors.candidate_ideas(other_communicator).filter(pk=entry.idea_id).exists()


def test_search_is_case_insensitive_also_for_swedish_letters_and_needs_every_word(world):
    entry = entry_for(
        world, publish=True, headline="Återbruk av möbler", results="Sparade 40 000 kronor"
    )
    entry_for(world, publish=True, headline="Något annat", story="Om skolan.")
    assert list(selectors.public_entries(query="ÅTERBRUK")) == [entry]
    assert list(selectors.public_entries(query="möbler KRONOR")) == [entry]
    assert list(selectors.public_entries(query="möbler skolan")) == []


def test_category_filter_combines_with_search(world):
    care = entry_for(world, publish=True, headline="Trygg hemtjänst", category="care")
    school = entry_for(world, publish=True, headline="Trygg skolväg", category="school")
    assert list(selectors.public_entries(query="trygg", category="care")) == [care]
    assert list(selectors.public_entries(category="school")) == [school]


def test_the_workspace_lists_consented_ideas_and_ideas_with_an_entry(world):
    consented = testing.submit_idea(world.hjo, consent_to_publish=True)
    not_consented = testing.submit_idea(world.hjo, consent_to_publish=False)
    entry = entry_for(world, publish=True)
    Idea.objects.filter(pk=entry.idea_id).update(consent_to_publish=False)
    for person in (world.communicator, world.process_leader):
        ideas = set(selectors.candidate_ideas(person))
        assert ideas == {consented, entry.idea}
        assert not_consented not in ideas
    assert list(selectors.candidate_ideas(world.communicator, state="none")) == [consented]
    assert list(selectors.candidate_ideas(world.communicator, state="withdrawn")) == [entry.idea]
    assert list(selectors.candidate_ideas(world.communicator, state="published")) == []
    assert not selectors.candidate_ideas(world.coach).exists()
