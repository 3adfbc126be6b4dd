"""Every read of meetings and action items, scoped to the acting user or to a link."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from apps.accounts.models import User
from apps.ideas.models import Idea, hash_token
from apps.ideas.selectors import ideas_visible_to, owner_candidates
from apps.organisations.models import Role
from apps.organisations.selectors import access_for

from . import policies
from .models import ActionItem, Answer, CalendarFeed, Meeting, Participant, TimeOption

# --- The poll -------------------------------------------------------------------------------


@dataclass
class OptionTally:
    """One time option with its answers counted."""

    option: TimeOption
    yes: int = 0
    maybe: int = 0
    no: int = 0
    is_best: bool = False
    is_past: bool = False
    is_booked: bool = False

    @property
    def answered(self) -> int:
        return self.yes + self.maybe + self.no


def best_option(tallies: list[OptionTally]) -> OptionTally | None:
    """The best time: most yes, then most "if need be", then the earliest. Times that
    have passed, and times nobody can make, are never best."""
    candidates = [t for t in tallies if not t.is_past and (t.yes or t.maybe)]
    if not candidates:
        return None
    return min(candidates, key=lambda t: (-t.yes, -t.maybe, t.option.start, t.option.pk))


@dataclass
class ParticipantRow:
    participant: Participant
    answers: list[str | None]  # one per option, in the options' order; None: not answered


@dataclass
class Poll:
    """A meeting's poll as a table: options across, participants down."""

    tallies: list[OptionTally]
    rows: list[ParticipantRow]
    best: OptionTally | None
    waiting: int  # active participants who have not answered

    @property
    def options(self) -> list[TimeOption]:
        return [t.option for t in self.tallies]


def poll(meeting: Meeting, now: datetime | None = None) -> Poll:
    """The meeting's options, its active participants and their answers, counted; three
    queries, however many people and options."""
    now = now or timezone.now()
    options = list(meeting.options.order_by("start", "pk"))
    participants = list(
        meeting.participants.filter(revoked_at__isnull=True)
        .select_related("user", "submitter")
        .order_by("invited_at", "pk")
    )
    answers = Answer.objects.filter(
        option__meeting=meeting, participant__revoked_at__isnull=True
    ).values_list("participant_id", "option_id", "value")
    by_pair = {(p, o): v for p, o, v in answers}
    tallies = [
        OptionTally(
            option=o,
            is_past=o.start <= now,
            is_booked=meeting.status == Meeting.Status.BOOKED
            and (o.start, o.end) == (meeting.booked_start, meeting.booked_end),
        )
        for o in options
    ]
    rows = []
    for participant in participants:
        row = [by_pair.get((participant.pk, o.pk)) for o in options]
        for tally, value in zip(tallies, row, strict=True):
            if value:
                setattr(tally, value, getattr(tally, value) + 1)
        rows.append(ParticipantRow(participant=participant, answers=row))
    best = best_option(tallies)
    if best is not None:
        best.is_best = True
    return Poll(
        tallies=tallies,
        rows=rows,
        best=best,
        waiting=sum(1 for p in participants if p.answered_at is None),
    )


# --- The workspace ------------------------------------------------------------------------


def meetings_visible_to(user) -> QuerySet[Meeting]:
    """The one scoping function for meetings in the workspace: those of ideas the user
    sees."""
    return Meeting.objects.filter(idea__in=ideas_visible_to(user))


def meeting_for_user(user, meeting_id: int) -> Meeting:
    """One meeting of an idea the user sees, or 404."""
    meeting = (
        meetings_visible_to(user)
        .select_related("idea", "idea__municipality", "idea__consortium", "organiser")
        .filter(pk=meeting_id)
        .first()
    )
    if meeting is None:
        raise Http404
    return meeting


def meeting_to_manage(user, meeting_id: int) -> Meeting:
    """One meeting the user may organise, or 404 (also for those who only read it)."""
    meeting = meeting_for_user(user, meeting_id)
    if not policies.can_manage(access_for(user), meeting):
        raise Http404
    return meeting


def idea_to_organise(user, reference: str) -> Idea:
    """An idea the user may start a meeting on, or 404."""
    from apps.ideas.selectors import idea_for_user

    idea = idea_for_user(user, reference)
    if not policies.can_organise(access_for(user), idea):
        raise Http404
    return idea


def active_participants(meeting: Meeting) -> list[Participant]:
    return list(
        meeting.participants.filter(revoked_at__isnull=True)
        .select_related("user", "submitter")
        .order_by("invited_at", "pk")
    )


def participant_of(meeting: Meeting, participant_id: int) -> Participant:
    participant = (
        meeting.participants.select_related("user", "submitter").filter(pk=participant_id).first()
    )
    if participant is None:
        raise Http404
    participant.meeting = meeting
    return participant


def option_of(meeting: Meeting, option_id: int) -> TimeOption:
    option = meeting.options.filter(pk=option_id).first()
    if option is None:
        raise Http404
    return option


def submitters_to_invite(idea: Idea, meeting: Meeting | None = None):
    """The idea's submitters (with a working link) not yet on the meeting."""
    submitters = idea.submitters.filter(link_revoked_at__isnull=True)
    if meeting is not None:
        invited = meeting.participants.filter(revoked_at__isnull=True, submitter__isnull=False)
        submitters = submitters.exclude(pk__in=invited.values("submitter_id"))
    return submitters.order_by("-is_primary", "pk")


def invitable_users(idea: Idea):
    """Colleagues who may be ticked on the invitation form: active people who work the
    idea or manage its unit. Anyone else is invited by email address."""
    scope = Q(memberships__role=Role.COACH, memberships__organisation_id=idea.municipality_id) | Q(
        memberships__role=Role.PROCESS_LEADER, memberships__organisation_id=idea.consortium_id
    )
    if idea.unit_id:
        scope |= Q(memberships__role=Role.MANAGER, memberships__organisation_id=idea.unit_id)
    return User.objects.filter(scope, is_active=True).distinct().order_by("full_name", "email")


def users_to_invite(idea: Idea, organiser, meeting: Meeting | None = None):
    """The colleagues the invitation form offers: those who work the idea or manage its
    unit, except the organiser and whoever is already on the meeting."""
    users = invitable_users(idea).exclude(pk=organiser.pk)
    if meeting is not None:
        invited = meeting.participants.filter(revoked_at__isnull=True, user__isnull=False)
        users = users.exclude(pk__in=invited.values("user_id"))
    return users


def action_owner_candidates(idea: Idea):
    """Who may own an action item: those who work the idea."""
    return owner_candidates(idea)


def meeting_page_context(user, meeting: Meeting) -> dict:
    """Everything the meeting page shows, in a fixed number of queries."""
    access = access_for(user)
    return {
        "meeting": meeting,
        "idea": meeting.idea,
        "poll": poll(meeting),
        "removed": list(
            meeting.participants.filter(revoked_at__isnull=False).select_related(
                "user", "submitter"
            )
        ),
        "action_items": list(
            meeting.action_items.select_related("owner", "done_by").order_by(
                "done_at", "due_date", "pk"
            )
        ),
        "can_manage": policies.can_manage(access, meeting),
    }


@dataclass
class IdeaSection:
    meetings: list[Meeting]
    open_items: list[ActionItem]
    can_organise: bool


def idea_section(user, idea: Idea) -> IdeaSection:
    """What the idea page's meeting section shows: two queries, however many meetings,
    participants and answers (the page has already checked that the user sees the
    idea)."""
    access = access_for(user)
    meetings = list(
        Meeting.objects.filter(idea=idea)
        .select_related("organiser")
        .annotate(
            participant_count=Count("participants", filter=Q(participants__revoked_at__isnull=True))
        )
        .order_by("-created_at", "-pk")
    )
    items = list(
        ActionItem.objects.filter(idea=idea, done_at__isnull=True)
        .select_related("owner")
        .order_by("due_date", "pk")
    )
    return IdeaSection(
        meetings=meetings, open_items=items, can_organise=policies.can_organise(access, idea)
    )


# --- Mina uppgifter ------------------------------------------------------------------------


@dataclass
class MyTasks:
    open_items: list[ActionItem]
    done_items: list[ActionItem]
    invitations: list[Participant]  # open polls and coming meetings the user is invited to
    organised: list[Meeting]  # coming meetings and open polls the user organises
    feed: CalendarFeed | None
    today: object = field(default=None)


#: How long done action items stay on the list.
DONE_SHOWN_DAYS = 30


def my_tasks(user, now: datetime | None = None) -> MyTasks:
    """The logged-in user's open action items (of ideas they still work), those done
    lately, the polls and meetings they are invited to or organise, and their feed."""
    now = now or timezone.now()
    items = ActionItem.objects.filter(owner=user, idea__in=ideas_visible_to(user)).select_related(
        "idea", "idea__municipality", "meeting"
    )
    upcoming = Q(status=Meeting.Status.POLL) | Q(status=Meeting.Status.BOOKED, booked_end__gte=now)
    invitations = (
        Participant.objects.filter(user=user, revoked_at__isnull=True)
        .filter(meeting__in=Meeting.objects.filter(upcoming))
        .select_related("meeting", "meeting__idea", "meeting__organiser")
        .order_by("meeting__booked_start", "meeting__created_at", "pk")
    )
    organised = (
        meetings_visible_to(user)
        .filter(upcoming, organiser=user)
        .select_related("idea")
        .order_by("booked_start", "created_at", "pk")
    )
    return MyTasks(
        open_items=list(items.filter(done_at__isnull=True).order_by("due_date", "pk")),
        done_items=list(
            items.filter(done_at__gte=now - timedelta(days=DONE_SHOWN_DAYS)).order_by("-done_at")
        ),
        invitations=list(invitations),
        organised=list(organised),
        feed=CalendarFeed.objects.filter(user=user).first(),
        today=timezone.localdate(now),
    )


def action_item_for_user(user, item_id: int) -> ActionItem:
    """An action item the user may mark done (their own, or of an idea they work), or
    404."""
    item = (
        ActionItem.objects.filter(pk=item_id, idea__in=ideas_visible_to(user))
        .select_related("idea", "owner")
        .first()
    )
    if item is None or not policies.can_complete(access_for(user), item):
        raise Http404
    return item


# --- Private links -----------------------------------------------------------------------


def participant_for_token(token: str) -> Participant:
    """The participant a private link belongs to, or 404 (also once they are taken off
    the meeting)."""
    participant = (
        Participant.objects.select_related(
            "meeting",
            "meeting__idea",
            "meeting__idea__municipality",
            "meeting__organiser",
            "user",
            "submitter",
        )
        .filter(token_hash=hash_token(token))
        .first()
    )
    if participant is None or not policies.link_opens(participant):
        raise Http404
    return participant


def answer_page_context(participant: Participant) -> dict:
    """What a participant sees: the meeting, the times with how many can make each (not
    who), and their own answers."""
    meeting = participant.meeting
    the_poll = poll(meeting)
    own = {a.option_id: a.value for a in Answer.objects.filter(participant=participant)}
    return {
        "meeting": meeting,
        "participant": participant,
        "poll": the_poll,
        "own_answers": own,
    }


def has_calendar_feed(user) -> bool:
    return CalendarFeed.objects.filter(user=user).exists()


def feed_owner(token: str):
    """The user whose private calendar feed this is, or 404."""
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=hash_token(token), user__is_active=True)
        .first()
    )
    if feed is None:
        raise Http404
    return feed.user


#: The feed shows booked meetings from this long ago onwards.
FEED_PAST_DAYS = 90


def feed_meetings(user, now: datetime | None = None) -> list[Meeting]:
    """The booked meetings a user organises or takes part in, recent and coming, each
    with `active_participants`. Two queries, however many meetings."""
    now = now or timezone.now()
    mine = Q(organiser=user) | Q(participants__user=user, participants__revoked_at__isnull=True)
    ids = (
        Meeting.objects.filter(mine)
        .filter(status=Meeting.Status.BOOKED, booked_end__gte=now - timedelta(days=FEED_PAST_DAYS))
        .values("pk")
    )
    return list(
        Meeting.objects.filter(pk__in=ids)
        .select_related("organiser", "idea")
        .prefetch_related(
            Prefetch(
                "participants",
                queryset=Participant.objects.filter(revoked_at__isnull=True)
                .select_related("user", "submitter")
                .order_by("invited_at", "pk"),
                to_attr="active_participants",
            )
        )
        .order_by("booked_start", "pk")
    )
