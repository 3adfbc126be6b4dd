"""Writing, publishing and withdrawing showcase stories: who may, what is refused, and what
the idea's timeline records."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from apps.core import testing
from apps.ideas.models import Idea, TimelineEntry
from apps.showcase import services
from apps.showcase.models import ShowcaseEntry
from apps.showcase.testing import entry_for

pytestmark = pytest.mark.django_db

KIND = TimelineEntry.Kind


def kinds(idea) -> list[str]:
    return list(
        idea.timeline.filter(kind__in=[KIND.SHOWCASE_PUBLISHED, KIND.SHOWCASE_WITHDRAWN])
        .order_by("pk")
        .values_list("kind", flat=True)
    )


def save(world, entry, actor=None, publish=False, **changes):
    fields = {
        name: getattr(entry, name)
        for name in (
            "headline",
            "lead",
            "story",
            "results",
            "category",
            "credit_agreed",
            "credit",
        )
    }
    fields.update(changes)
    return services.entry_save(
        actor=actor or world.communicator, idea=entry.idea, publish=publish, **fields
    )


def test_a_draft_is_not_public_and_records_nothing_public(world):
    entry = entry_for(world)
    assert entry.approved_at is None and entry.approved_by is None
    assert not entry.is_published
    assert kinds(entry.idea) == []
    assert entry.search_text == entry.search_text.casefold()
    assert "120 föräldrar" in entry.search_text


def test_publishing_approves_names_who_and_records_the_timeline(world):
    entry = entry_for(world)
    published = services.entry_publish(actor=world.communicator, entry=entry)
    assert published.approved_by == world.communicator
    assert published.published_at == published.approved_at is not None
    assert published.is_published
    assert kinds(entry.idea) == [KIND.SHOWCASE_PUBLISHED]
    entry_on_timeline = entry.idea.timeline.get(kind=KIND.SHOWCASE_PUBLISHED)
    assert entry_on_timeline.actor == world.communicator
    # Publishing again changes nothing and records nothing.
    again = services.entry_publish(actor=world.communicator, entry=published)
    assert again.approved_at == published.approved_at
    assert kinds(entry.idea) == [KIND.SHOWCASE_PUBLISHED]


def test_publishing_without_consent_is_refused_with_a_message(world):
    entry = entry_for(world, consent=False)
    with pytest.raises(ValidationError) as refused:
        services.entry_publish(actor=world.communicator, entry=entry)
    assert refused.value.messages == [
        _(
            "The submitter has not agreed to publication, so this idea cannot be "
            "published in the showcase."
        )
    ]
    entry.refresh_from_db()
    assert entry.approved_at is None
    assert kinds(entry.idea) == []
    with pytest.raises(ValidationError):
        entry_for(world, idea=entry.idea, publish=True, headline="Ny rubrik")
    assert ShowcaseEntry.objects.get(pk=entry.pk).headline != "Ny rubrik"


@pytest.mark.parametrize("actor_name", ["process_leader", "coach"])
def test_drafters_who_are_not_communicators_may_not_publish(world, actor_name):
    entry = entry_for(world)
    actor = getattr(world, actor_name)
    changed = save(world, entry, actor=actor, headline="Skrivet av annan")
    assert changed.headline == "Skrivet av annan"
    with pytest.raises(PermissionDenied):
        services.entry_publish(actor=actor, entry=entry)
    with pytest.raises(PermissionDenied):
        save(world, entry, actor=actor, publish=True)


@pytest.mark.parametrize("actor_name", ["other_coach", "manager", "employee", "administrator"])
def test_others_may_not_draft(world, actor_name):
    idea = testing.submit_idea(world.skovde, consent_to_publish=True)
    with pytest.raises(PermissionDenied):
        services.entry_save(
            actor=getattr(world, actor_name),
            idea=idea,
            headline="Rubrik",
            lead="Ingress",
            story="Berättelse",
            results="",
            category="care",
            credit_agreed=False,
            credit="",
        )
    assert not ShowcaseEntry.objects.exists()


def test_withdrawing_hides_the_entry_and_it_can_be_published_again(world):
    entry = entry_for(world, publish=True)
    withdrawn = services.entry_withdraw(actor=world.communicator, entry=entry)
    assert withdrawn.withdrawn_at is not None
    assert not withdrawn.is_published
    assert kinds(entry.idea) == [KIND.SHOWCASE_PUBLISHED, KIND.SHOWCASE_WITHDRAWN]
    with pytest.raises(PermissionDenied):
        services.entry_withdraw(actor=world.process_leader, entry=withdrawn)
    again = services.entry_publish(actor=world.communicator, entry=withdrawn)
    assert again.is_published and again.withdrawn_at is None
    assert kinds(entry.idea) == [
        KIND.SHOWCASE_PUBLISHED,
        KIND.SHOWCASE_WITHDRAWN,
        KIND.SHOWCASE_PUBLISHED,
    ]


def test_editing_the_text_of_a_published_entry_withdraws_the_approval(world):
    entry = entry_for(world, publish=True)
    changed = save(world, entry, actor=world.coach, story="En ny text som ingen godkänt.")
    assert changed.approved_at is None and changed.approved_by is None
    assert not changed.is_published
    assert "en ny text" in changed.search_text
    assert kinds(entry.idea) == [KIND.SHOWCASE_PUBLISHED, KIND.SHOWCASE_WITHDRAWN]


def test_saving_unchanged_text_keeps_the_approval(world):
    entry = entry_for(world, publish=True)
    kept = save(world, entry, actor=world.coach)
    assert kept.approved_at == entry.approved_at
    assert kept.is_published
    assert kinds(entry.idea) == [KIND.SHOWCASE_PUBLISHED]


def test_a_communicator_changes_and_approves_in_one_step(world):
    entry = entry_for(world, publish=True)
    first_approval = entry.approved_at
    changed = save(world, entry, publish=True, headline="Ny rubrik")
    assert changed.is_published
    assert changed.headline == "Ny rubrik"
    assert changed.approved_at > first_approval
    assert kinds(entry.idea) == [KIND.SHOWCASE_PUBLISHED, KIND.SHOWCASE_PUBLISHED]


def test_one_entry_per_idea(world):
    entry = entry_for(world)
    again = entry_for(world, idea=entry.idea, headline="Andra rubriken")
    assert again.pk == entry.pk
    assert ShowcaseEntry.objects.count() == 1


def test_a_name_is_shown_only_when_agreed(world):
    with pytest.raises(ValidationError) as refused:
        entry_for(world, credit="Ida Idébärare", credit_agreed=False)
    assert "credit" in refused.value.message_dict
    named = entry_for(world, credit="Ida Idébärare", credit_agreed=True)
    assert named.credit == "Ida Idébärare"


def test_the_database_refuses_a_name_without_agreement_and_half_an_approval(world):
    entry = entry_for(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        ShowcaseEntry.objects.filter(pk=entry.pk).update(credit="Ida", credit_agreed=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        ShowcaseEntry.objects.filter(pk=entry.pk).update(approved_by=world.communicator)


def test_consent_taken_back_keeps_the_row_but_not_the_publication(world):
    entry = entry_for(world, publish=True)
    Idea.objects.filter(pk=entry.idea_id).update(consent_to_publish=False)
    entry.refresh_from_db()
    entry.idea.refresh_from_db()
    assert not entry.is_published
