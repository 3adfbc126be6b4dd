"""Every write to the showcase. Each is one transaction that records what happened on the
idea's timeline (published, withdrawn, approval lost by an edit)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.ideas.models import Idea, TimelineEntry
from apps.organisations.selectors import access_for
from apps.spread.models import Category

from . import policies
from .models import ShowcaseEntry


def _record(idea: Idea, kind: str, actor: User, body: str) -> TimelineEntry:
    Idea.objects.filter(pk=idea.pk).update(last_activity_at=timezone.now())
    return TimelineEntry.objects.create(idea=idea, kind=kind, actor=actor, body=body)


def search_text_of(*, headline: str, lead: str, story: str, results: str) -> str:
    return "\n".join((headline, lead, story, results)).casefold()


def _require_consent(idea: Idea) -> None:
    if not idea.consent_to_publish:
        raise ValidationError(
            _(
                "The submitter has not agreed to publication, so this idea cannot be "
                "published in the showcase."
            )
        )


def _approve(*, actor: User, entry: ShowcaseEntry, now) -> None:
    """Set the approval on a saved entry and record it on the timeline."""
    entry.approved_at, entry.approved_by, entry.withdrawn_at = now, actor, None
    _record(
        entry.idea,
        TimelineEntry.Kind.SHOWCASE_PUBLISHED,
        actor,
        _("Published in the showcase: %(headline)s") % {"headline": entry.headline},
    )


@transaction.atomic
def entry_save(
    *,
    actor: User,
    idea: Idea,
    headline: str,
    lead: str,
    story: str,
    results: str,
    category: str,
    credit_agreed: bool,
    credit: str,
    publish: bool = False,
) -> ShowcaseEntry:
    """Write or change the showcase entry of an idea (one per idea).

    Changing the public text of an approved entry takes the approval away, so the public
    only ever sees what a communicator approved; the timeline says so. A communicator of
    the consortium may pass `publish=True` to approve the new text in the same step (the
    edit and the approval are then one event on the timeline, and the story never leaves
    the showcase). Publishing needs the submitter's consent.
    """
    access = access_for(actor)
    if not policies.can_draft(access, idea):
        raise PermissionDenied
    if publish and not policies.can_publish(access, idea):
        raise PermissionDenied
    if category not in Category.values:
        raise ValidationError({"category": _("Choose an area.")})
    credit = credit.strip()
    if credit and not credit_agreed:
        raise ValidationError(
            {"credit": _("A name is shown only when the person has agreed to be named.")}
        )
    # Lock the idea: consent is read and the entry written against the same row.
    idea = Idea.objects.select_for_update().get(pk=idea.pk)
    if publish:
        _require_consent(idea)
    entry = ShowcaseEntry.objects.select_for_update().filter(idea=idea).first()
    now = timezone.now()
    text = {
        "headline": headline.strip(),
        "lead": lead.strip(),
        "story": story.strip(),
        "results": results.strip(),
        "category": category,
        "credit_agreed": credit_agreed,
        "credit": credit,
    }
    if entry is None:
        entry = ShowcaseEntry(idea=idea, created_by=actor, created_at=now, **text)
        changed = True
    else:
        changed = any(getattr(entry, name) != value for name, value in text.items())
        for name, value in text.items():
            setattr(entry, name, value)
    entry.idea = idea
    entry.search_text = search_text_of(
        headline=entry.headline, lead=entry.lead, story=entry.story, results=entry.results
    )
    if changed:
        entry.updated_at = now
    was_public = entry.approved_at is not None and entry.withdrawn_at is None
    if publish and (changed or not was_public):
        entry.save()
        _approve(actor=actor, entry=entry, now=now)
    elif changed and entry.approved_at is not None:
        entry.approved_at, entry.approved_by = None, None
        if was_public:
            _record(
                idea,
                TimelineEntry.Kind.SHOWCASE_WITHDRAWN,
                actor,
                _("The showcase text changed; it is not public until a communicator approves it."),
            )
    entry.save()
    return entry


@transaction.atomic
def entry_publish(*, actor: User, entry: ShowcaseEntry) -> ShowcaseEntry:
    """A communicator of the consortium approves the entry's text: it becomes public.
    Refused without the submitter's consent. Publishing what is already public does
    nothing."""
    idea = Idea.objects.select_for_update().get(pk=entry.idea_id)
    if not policies.can_publish(access_for(actor), idea):
        raise PermissionDenied
    _require_consent(idea)
    entry = ShowcaseEntry.objects.select_for_update().get(pk=entry.pk)
    entry.idea = idea
    if entry.approved_at is not None and entry.withdrawn_at is None:
        return entry
    _approve(actor=actor, entry=entry, now=timezone.now())
    entry.save(update_fields=["approved_at", "approved_by", "withdrawn_at"])
    return entry


@transaction.atomic
def entry_withdraw(*, actor: User, entry: ShowcaseEntry) -> ShowcaseEntry:
    """A communicator takes a published entry out of the showcase. The text and who last
    approved it are kept, so it can be published again."""
    idea = Idea.objects.select_for_update().get(pk=entry.idea_id)
    if not policies.can_publish(access_for(actor), idea):
        raise PermissionDenied
    entry = ShowcaseEntry.objects.select_for_update().get(pk=entry.pk)
    entry.idea = idea
    if entry.approved_at is None or entry.withdrawn_at is not None:
        return entry
    entry.withdrawn_at = timezone.now()
    entry.save(update_fields=["withdrawn_at"])
    _record(
        idea,
        TimelineEntry.Kind.SHOWCASE_WITHDRAWN,
        actor,
        _("Withdrawn from the showcase."),
    )
    return entry
