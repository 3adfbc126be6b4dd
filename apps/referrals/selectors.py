"""Every read of referrals and outside actors, scoped to the acting user or to a link."""

import statistics
from dataclasses import dataclass
from datetime import datetime

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from apps.accounts.models import User
from apps.ideas.models import Attachment, Idea, hash_token
from apps.ideas.selectors import ideas_visible_to
from apps.organisations.models import Organisation
from apps.organisations.selectors import access_for

from . import policies
from .models import ExternalActor, Referral, ReferralMessage


class LinkExpired(Exception):
    """The referral's link was right but has run out: the view answers 410 Gone."""


# --- The register of outside actors -------------------------------------------------------


def register_consortia(user) -> frozenset[int]:
    """The consortia whose register of outside actors this user may use: where they are a
    process leader, and the consortium of each municipality they coach in."""
    access = access_for(user)
    if not policies.may_use_register(access):
        return frozenset()
    cached = getattr(user, "_sluss_register_consortia", None)
    if cached is not None:  # computed once per request, like access_for
        return cached
    coached = Organisation.objects.filter(pk__in=access.coach_municipalities).values_list(
        "consortium_id", flat=True
    )
    consortia = frozenset(access.process_leader_consortia) | frozenset(coached)
    user._sluss_register_consortia = consortia
    return consortia


def actors_visible_to(user) -> QuerySet[ExternalActor]:
    """The one scoping function for outside actors: the registers the user may use."""
    return ExternalActor.objects.filter(consortium_id__in=register_consortia(user))


def actor_list(user, *, search: str = "") -> QuerySet[ExternalActor]:
    """The register, searched by name, organisation, email address or expertise; every
    word must match somewhere."""
    actors = actors_visible_to(user)
    for word in search.split()[:8]:
        actors = actors.filter(
            Q(name__icontains=word)
            | Q(organisation__icontains=word)
            | Q(email__icontains=word)
            | Q(expertise__icontains=word)
        )
    return actors.order_by("-is_active", "name", "organisation", "pk")


def actor_for_user(user, actor_id: int) -> ExternalActor:
    """One outside actor of the user's registers, or 404."""
    actor = actors_visible_to(user).filter(pk=actor_id).first()
    if actor is None:
        raise Http404
    return actor


def consortia_for_register(user) -> QuerySet[Organisation]:
    return Organisation.objects.filter(pk__in=register_consortia(user)).order_by("name")


# --- Sending ------------------------------------------------------------------------------


def actors_to_refer_to(idea: Idea) -> QuerySet[ExternalActor]:
    """The active outside actors of the idea's consortium."""
    return ExternalActor.objects.filter(consortium_id=idea.consortium_id, is_active=True).order_by(
        "name", "organisation"
    )


def colleagues_to_refer_to(idea: Idea) -> QuerySet[User]:
    """Active people holding a role anywhere in the idea's consortium: coaches of the
    other municipalities, managers of a unit (the IT or legal department), the central
    team."""
    in_consortium = Organisation.objects.filter(
        Q(pk=idea.consortium_id) | Q(consortium_id=idea.consortium_id), is_active=True
    )
    return (
        User.objects.filter(is_active=True, memberships__organisation__in=in_consortium)
        .distinct()
        .order_by("full_name", "email")
    )


def shareable_attachments(idea: Idea) -> QuerySet[Attachment]:
    return idea.attachments.order_by("created_at", "pk")


# --- The workspace ------------------------------------------------------------------------


def _last_message_kind():
    return Subquery(
        ReferralMessage.objects.filter(referral=OuterRef("pk"))
        .order_by("-created_at", "-pk")
        .values("kind")[:1]
    )


def referrals_of_idea(idea: Idea) -> list[Referral]:
    """The idea's referrals, newest first, each with `last_message_kind`. One query,
    however many referrals and messages there are."""
    return list(
        Referral.objects.filter(idea=idea)
        .select_related("external_actor", "colleague")
        .annotate(last_message_kind=_last_message_kind())
        .order_by("-sent_at", "-pk")
    )


@dataclass
class IdeaSection:
    referrals: list[Referral]
    can_send: bool


def idea_section(user, idea: Idea) -> IdeaSection:
    """What the idea page's referral section shows (the page has already checked that
    the user sees the idea)."""
    access = access_for(user)
    return IdeaSection(referrals=referrals_of_idea(idea), can_send=policies.can_send(access, idea))


def referrals_visible_to(user) -> QuerySet[Referral]:
    """The one scoping function for referrals in the workspace: those of ideas the user
    sees."""
    return Referral.objects.filter(idea__in=ideas_visible_to(user))


def referral_for_user(user, referral_id: int) -> Referral:
    """One referral of an idea the user sees, or 404."""
    referral = (
        referrals_visible_to(user)
        .select_related(
            "idea",
            "idea__municipality",
            "idea__consortium",
            "external_actor",
            "colleague",
            "created_by",
            "revoked_by",
        )
        .filter(pk=referral_id)
        .first()
    )
    if referral is None:
        raise Http404
    return referral


def conversation(referral: Referral) -> list[ReferralMessage]:
    """The referral's messages, oldest first, with their authors and files."""
    return list(
        referral.messages.select_related("author")
        .prefetch_related("attachments")
        .order_by("created_at", "pk")
    )


def overdue_referrals(user, now: datetime | None = None) -> QuerySet[Referral]:
    """Unanswered referrals past their due date (expired links included: nobody has
    answered them either) of ideas the user works, the longest overdue first."""
    access = access_for(user)
    if not policies.may_see_overdue(access):
        return Referral.objects.none()
    today = timezone.localdate(now)
    return (
        Referral.objects.filter(
            Q(idea__municipality_id__in=access.coach_municipalities)
            | Q(idea__consortium_id__in=access.process_leader_consortia),
            answered_at__isnull=True,
            revoked_at__isnull=True,
            due_date__lt=today,
        )
        .select_related("idea", "idea__municipality", "idea__owner", "external_actor", "colleague")
        .order_by("due_date", "pk")
    )


def referrals_to_user(user, now: datetime | None = None) -> QuerySet[Referral]:
    """ "Referrals to me": the open referrals this colleague has been asked to answer."""
    if not user.is_authenticated:
        return Referral.objects.none()
    return (
        Referral.objects.filter(
            colleague=user, revoked_at__isnull=True, expires_at__gt=now or timezone.now()
        )
        .select_related("idea", "idea__municipality", "created_by")
        .order_by("answered_at", "due_date", "pk")
    )


# --- The recipient's private link ---------------------------------------------------------


def referral_for_token(token: str, now: datetime | None = None) -> Referral:
    """The referral a private link belongs to. 404 for an unknown or revoked link;
    LinkExpired for one that has run out."""
    referral = (
        Referral.objects.select_related(
            "idea", "idea__municipality", "idea__unit", "external_actor", "colleague"
        )
        .filter(token_hash=hash_token(token))
        .first()
    )
    if referral is None or referral.revoked_at is not None:
        raise Http404
    if not policies.link_opens(referral, now):
        raise LinkExpired
    return referral


def shared_attachment(referral: Referral, attachment_id: int) -> Attachment:
    """A file the referral shares, or 404 (any other file, of this idea or another)."""
    attachment = referral.shared_attachments.filter(pk=attachment_id, idea_id=referral.idea_id)
    attachment = attachment.first()
    if attachment is None:
        raise Http404
    return attachment


def recipient_page_context(referral: Referral) -> dict:
    """What the recipient sees: only the shared parts and files, and the submitters only
    when their personal data is shared."""
    idea = referral.idea
    return {
        "referral": referral,
        "idea": idea,
        "shared_parts": referral.shared_parts(),
        "shared_files": list(referral.shared_attachments.order_by("created_at", "pk")),
        "submitters": list(idea.submitters.all()) if referral.include_personal_data else [],
        "messages_": conversation(referral),
    }


# --- Response times -----------------------------------------------------------------------


@dataclass
class ResponseTimes:
    """How quickly referrals are answered: days from sending to the first answer."""

    sent: int
    answered: int
    median_days: float | None
    mean_days: float | None

    @property
    def unanswered(self) -> int:
        return self.sent - self.answered


def _figures(rows: list[tuple[datetime, datetime | None]]) -> ResponseTimes:
    days = [(answered - sent).total_seconds() / 86400 for sent, answered in rows if answered]
    return ResponseTimes(
        sent=len(rows),
        answered=len(days),
        median_days=round(statistics.median(days), 1) if days else None,
        mean_days=round(statistics.fmean(days), 1) if days else None,
    )


@dataclass
class ResponseTimeReport:
    per_actor: dict[int, ResponseTimes]  # by ExternalActor id
    colleagues: ResponseTimes  # referrals inside the consortium
    overall: ResponseTimes


def response_times(user) -> ResponseTimeReport:
    """Response times per outside actor, for colleagues, and overall, in the consortia
    whose register the user may use. A referral withdrawn before it was answered counts
    nowhere: nobody was still waiting for it. One query."""
    rows = (
        Referral.objects.filter(idea__consortium_id__in=register_consortia(user))
        .filter(Q(revoked_at__isnull=True) | Q(answered_at__isnull=False))
        .values_list("external_actor_id", "sent_at", "answered_at")
    )
    by_actor: dict[int | None, list] = {}
    everything = []
    for actor_id, sent_at, answered_at in rows:
        by_actor.setdefault(actor_id, []).append((sent_at, answered_at))
        everything.append((sent_at, answered_at))
    return ResponseTimeReport(
        per_actor={
            actor_id: _figures(pairs)
            for actor_id, pairs in by_actor.items()
            if actor_id is not None
        },
        colleagues=_figures(by_actor.get(None, [])),
        overall=_figures(everything),
    )
