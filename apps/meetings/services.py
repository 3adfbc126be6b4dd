"""Every write to meetings and action items. Each is one transaction that records what
the idea's timeline needs and puts the emails it causes in the outbox (sent once it
commits); booked meetings travel as RFC 5545 invitations attached to those emails."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.ideas.models import Idea, Submitter, TimelineEntry, new_link_salt
from apps.notifications.services import email_enqueue
from apps.organisations.selectors import access_for

from . import freebusy, ical, policies, selectors
from .models import ActionItem, Answer, CalendarFeed, Meeting, Participant, TimeOption

#: Limits that keep a poll answerable on a phone.
MAX_OPTIONS = 20
MIN_DURATION, MAX_DURATION = 15, 8 * 60
#: How far ahead a meeting may be proposed.
MAX_DAYS_AHEAD = 366
#: Proposed times are spread over several days: at most this many on one day.
PROPOSED_PER_DAY = 2


@dataclass(frozen=True)
class Guest:
    """Someone invited by name and email address (an outside person, or a colleague
    whose address the services recognise)."""

    name: str
    email: str


# --- Helpers ------------------------------------------------------------------------------


def _touch(idea: Idea, now: datetime) -> None:
    Idea.objects.filter(pk=idea.pk).update(last_activity_at=now)


def _require_manage(actor: User, meeting: Meeting) -> None:
    if not policies.can_manage(access_for(actor), meeting):
        raise PermissionDenied


#: What a write reads from the locked row rather than from the caller's copy.
_LIVE_FIELDS = (
    "status",
    "booked_start",
    "booked_end",
    "sequence",
    "title",
    "location",
    "video_link",
    "description",
    "notes",
    "decisions",
)


def _lock(meeting: Meeting) -> None:
    """Lock the meeting's row until the transaction ends and refresh the caller's copy
    from it, so two organisers acting at once take turns and neither works on a stale
    status or sequence."""
    fresh = Meeting.objects.select_for_update().get(pk=meeting.pk)
    for field in _LIVE_FIELDS:
        setattr(meeting, field, getattr(fresh, field))


def time_label(start: datetime, end: datetime) -> str:
    """A language-neutral time span for the timeline: 2026-03-02 10:00–11:00."""
    start, end = timezone.localtime(start), timezone.localtime(end)
    if start.date() == end.date():
        return f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}"
    return f"{start:%Y-%m-%d %H:%M} – {end:%Y-%m-%d %H:%M}"


def _active_participants(meeting: Meeting) -> list[Participant]:
    """Who gets the meeting's emails: not those taken off it, nor colleagues whose
    account has been closed."""
    participants = list(
        meeting.participants.filter(revoked_at__isnull=True)
        .exclude(user__is_active=False)
        .select_related("user", "submitter")
        .order_by("invited_at", "pk")
    )
    for participant in participants:
        participant.meeting = meeting  # the caller's copy, with what this write changed
    return participants


def _email(participant: Participant, *, template: str, context: dict, **extra) -> None:
    meeting = participant.meeting
    email_enqueue(
        recipient=participant.address,
        template=template,
        context={**context, "meeting": meeting, "participant": participant, "idea": meeting.idea},
        language=participant.language,
        **extra,
    )


def _email_organiser(meeting: Meeting, *, template: str, context: dict, **extra) -> None:
    organiser = meeting.organiser
    if not organiser.is_active:
        return
    email_enqueue(
        recipient=organiser.email,
        template=template,
        context={**context, "meeting": meeting, "idea": meeting.idea, "organiser": organiser},
        language=organiser.preferred_language or "sv",
        **extra,
    )


def _send_invitations(meeting: Meeting, *, template: str, now: datetime, only=None) -> None:
    """Each active participant (or only those given) gets the meeting as it is now: an
    email with the calendar file for their calendar program. The organiser gets a copy
    to put in theirs."""
    everyone = _active_participants(meeting)
    recipients = everyone if only is None else only
    attachment = ical.invitation_attachment(meeting, everyone, now=now)
    for participant in recipients:
        _email(participant, template=template, context={}, attachments=[attachment])
    if only is None:
        _email_organiser(meeting, template=template, context={}, attachments=[attachment])


# --- Validation of what organisers type ------------------------------------------------


def _clean_details(
    *, title: str, duration_minutes: int, location: str, video_link: str
) -> tuple[str, str, str]:
    errors = {}
    title = title.strip()
    if not title:
        errors["title"] = _("Write what the meeting is about.")
    if not MIN_DURATION <= duration_minutes <= MAX_DURATION:
        errors["duration_minutes"] = _("A meeting lasts from 15 minutes to 8 hours.")
    if errors:
        raise ValidationError(errors)
    return title, location.strip(), video_link.strip()


def _clean_starts(meeting: Meeting | None, starts: Iterable[datetime], now: datetime):
    starts = sorted(set(starts))
    existing = set(meeting.options.values_list("start", flat=True)) if meeting else set()
    errors = []
    if any(s <= now for s in starts):
        errors.append(_("Choose times that have not passed yet."))
    if any(s > now + timedelta(days=MAX_DAYS_AHEAD) for s in starts):
        errors.append(_("Choose times within a year."))
    if existing & set(starts):
        errors.append(_("One of the times is already an option."))
    if len(existing) + len(starts) > MAX_OPTIONS:
        errors.append(_("A poll has at most %(n)d time options.") % {"n": MAX_OPTIONS})
    if errors:
        raise ValidationError({"options": errors})
    return starts


# --- Polls ----------------------------------------------------------------------------------


@transaction.atomic
def meeting_create(
    *,
    idea: Idea,
    actor: User,
    title: str,
    duration_minutes: int,
    location: str = "",
    video_link: str = "",
    description: str = "",
    starts: list[datetime] | None = None,
    users: Iterable[User] = (),
    submitters: Iterable[Submitter] = (),
    guests: Iterable[Guest] = (),
) -> Meeting:
    """Start finding a time for a meeting on the idea: the organiser's time options and
    the people invited. Each participant gets an email with their private link to answer
    as soon as the poll has a time option."""
    if not policies.can_organise(access_for(actor), idea):
        raise PermissionDenied
    now = timezone.now()
    title, location, video_link = _clean_details(
        title=title, duration_minutes=duration_minutes, location=location, video_link=video_link
    )
    starts = _clean_starts(None, starts or [], now)
    meeting = Meeting.objects.create(
        idea=idea,
        organiser=actor,
        title=title,
        duration_minutes=duration_minutes,
        location=location,
        video_link=video_link,
        description=description.strip(),
        created_at=now,
    )
    _create_options(meeting, starts)
    _add_participants(meeting, users=users, submitters=submitters, guests=guests, now=now)
    _send_polls(meeting, now=now)
    _touch(idea, now)
    return meeting


def _create_options(meeting: Meeting, starts: list[datetime]) -> list[TimeOption]:
    length = timedelta(minutes=meeting.duration_minutes)
    return [TimeOption.objects.create(meeting=meeting, start=s, end=s + length) for s in starts]


def _send_polls(meeting: Meeting, *, now: datetime, new_times: bool = False) -> None:
    """Participants who have not had the poll yet get it once it has a time option;
    when times are added, those who had it already are told there are new times."""
    if not meeting.is_open or not meeting.options.exists():
        return
    for participant in _active_participants(meeting):
        if participant.poll_sent_at is None:
            _email(participant, template="meeting_poll", context={})
            Participant.objects.filter(pk=participant.pk).update(poll_sent_at=now)
        elif new_times:
            _email(participant, template="meeting_poll_new_times", context={})


def _add_participants(
    meeting: Meeting,
    *,
    users: Iterable[User],
    submitters: Iterable[Submitter],
    guests: Iterable[Guest],
    now: datetime,
) -> list[Participant]:
    """Invite people; someone already invited is not invited twice, and someone taken
    off earlier is invited again with a new link. Returns the newly invited."""
    errors = {}
    users = list(users)
    allowed = set(selectors.invitable_users(meeting.idea).filter(pk__in=[u.pk for u in users]))
    if any(u not in allowed for u in users):
        errors["users"] = _("Choose colleagues who work with the idea.")
    submitters = list(submitters)
    if any(s.idea_id != meeting.idea_id or s.link_revoked_at for s in submitters):
        errors["submitters"] = _("Choose submitters of this idea.")
    by_email = {}
    for guest in guests:
        email = guest.email.strip().lower()
        if not email:
            continue
        if not guest.name.strip():
            errors["guests"] = _("Write the name of each person you invite by email address.")
        by_email[email] = guest.name.strip()
    if errors:
        raise ValidationError(errors)
    # A guest whose address is a colleague's account is invited as that colleague, so the
    # meeting shows in their calendar feed and "My tasks".
    accounts = {
        u.email.lower(): u for u in User.objects.filter(is_active=True, email__in=list(by_email))
    }
    wanted: list[dict] = [{"user": u} for u in users]
    wanted += [{"submitter": s} for s in submitters]
    for email, name in by_email.items():
        if email in accounts:
            wanted.append({"user": accounts[email]})
        else:
            wanted.append({"email": email, "name": name})
    added = []
    seen = set()
    for who in wanted:
        key = next(iter(who.items()))
        key = (key[0], getattr(key[1], "pk", key[1]))
        if key in seen:
            continue
        seen.add(key)
        lookup = {k: v for k, v in who.items() if k != "name"}
        existing = meeting.participants.filter(**lookup).first()
        if existing is not None and existing.revoked_at is None:
            continue
        if existing is not None:
            # Invited again after being taken off: a fresh link, the old one stays dead.
            existing.revoked_at = None
            existing.link_salt = new_link_salt()
            existing.token_hash = ""
            existing.invited_at = now
            existing.poll_sent_at = None
            existing.answered_at = None
            existing.name = who.get("name", existing.name)
            existing.save()
            existing.answers.all().delete()
            added.append(existing)
        else:
            added.append(Participant.objects.create(meeting=meeting, invited_at=now, **who))
    return added


@transaction.atomic
def meeting_invite(
    *,
    meeting: Meeting,
    actor: User,
    users: Iterable[User] = (),
    submitters: Iterable[Submitter] = (),
    guests: Iterable[Guest] = (),
) -> list[Participant]:
    """Invite more people. While the poll is open they get the poll; once the meeting is
    booked they get the invitation to the booked time."""
    _require_manage(actor, meeting)
    _lock(meeting)
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("The meeting is cancelled."))
    now = timezone.now()
    added = _add_participants(meeting, users=users, submitters=submitters, guests=guests, now=now)
    if not added:
        raise ValidationError(_("Everyone you chose is already invited. Choose someone else."))
    if meeting.status == Meeting.Status.BOOKED:
        fresh = [p for p in _active_participants(meeting) if p.pk in {a.pk for a in added}]
        _send_invitations(meeting, template="meeting_booked", now=now, only=fresh)
    else:
        _send_polls(meeting, now=now)
    return added


@transaction.atomic
def participant_remove(*, participant: Participant, actor: User) -> Participant:
    """Take someone off the meeting: their link stops working at once, and if the meeting
    is booked their calendar gets a cancellation."""
    meeting = participant.meeting
    _require_manage(actor, meeting)
    _lock(meeting)
    if participant.revoked_at is not None:
        return participant
    now = timezone.now()
    participant.revoked_at = now
    participant.save(update_fields=["revoked_at"])
    if meeting.status == Meeting.Status.BOOKED:
        # RFC 5546: the removed attendee gets a CANCEL; a new SEQUENCE keeps the order.
        meeting.sequence += 1
        Meeting.objects.filter(pk=meeting.pk).update(sequence=meeting.sequence)
        attachment = ical.invitation_attachment(meeting, [participant], now=now, cancel=True)
        _email(
            participant,
            template="meeting_participant_removed",
            context={},
            attachments=[attachment],
        )
    return participant


@transaction.atomic
def meeting_add_options(*, meeting: Meeting, actor: User, starts: list[datetime]) -> list:
    """Add time options to an open poll; participants are told there are new times."""
    _require_manage(actor, meeting)
    _lock(meeting)
    if not meeting.is_open:
        raise ValidationError(_("Times can be added only while the poll is open."))
    now = timezone.now()
    if not starts:
        raise ValidationError({"options": _("Give at least one time.")})
    starts = _clean_starts(meeting, starts, now)
    options = _create_options(meeting, starts)
    _send_polls(meeting, now=now, new_times=True)
    return options


@transaction.atomic
def meeting_remove_option(*, meeting: Meeting, actor: User, option: TimeOption) -> None:
    """Take a time option off an open poll, with its answers."""
    _require_manage(actor, meeting)
    _lock(meeting)
    if option.meeting_id != meeting.pk:
        raise PermissionDenied
    if not meeting.is_open:
        raise ValidationError(_("Times can be removed only while the poll is open."))
    option.delete()


def proposing_available() -> bool:
    """Whether the system can propose times (the free/busy and slot finder modules)."""
    try:
        from . import freebusy, slots
    except ImportError:
        return False
    return hasattr(slots, "propose_slots") and hasattr(freebusy, "busy_blocks_for")


@transaction.atomic
def meeting_propose_options(
    *, meeting: Meeting, actor: User, start: date, days: int, count: int
) -> list[TimeOption]:
    """Ask the system for times when the participants (and the organiser) are free, in
    working hours on working days, and add them as options."""
    _require_manage(actor, meeting)
    _lock(meeting)
    if not meeting.is_open:
        raise ValidationError(_("Times can be added only while the poll is open."))
    from .freebusy import busy_blocks_for
    from .slots import propose_slots

    now = timezone.now()
    today = timezone.localdate(now)
    if start < today:
        raise ValidationError({"start": _("Start today or later.")})
    window_start = timezone.make_aware(datetime.combine(start, datetime.min.time()))
    window_end = window_start + timedelta(days=days)
    busy = list(busy_blocks_for(_active_participants(meeting), window_start, window_end))
    busy += [(o.start, o.end) for o in meeting.options.all()]
    proposed = propose_slots(
        busy=busy,
        start=start,
        days=days,
        duration=timedelta(minutes=meeting.duration_minutes),
        count=count,
        tz="Europe/Stockholm",
        not_before=now,
        per_day=PROPOSED_PER_DAY,
    )
    existing = set(meeting.options.values_list("start", flat=True))
    starts = [s for s, _end in proposed if s > now and s not in existing]
    room = MAX_OPTIONS - len(existing)
    if not starts or room <= 0:
        raise ValidationError(
            {"start": _("No free times were found. Try more days or a later start.")}
        )
    options = _create_options(meeting, sorted(starts)[:room])
    _send_polls(meeting, now=now, new_times=True)
    return options


@transaction.atomic
def participant_answer(
    *, participant: Participant, answers: dict[int, str], comment: str = ""
) -> Participant:
    """A participant answers every time option (yes, if need be, no) through their
    private link. Answering again replaces the answers. When the last participant has
    answered, the organiser is told."""
    participant = (
        Participant.objects.select_for_update(of=("self",))
        .select_related("meeting", "meeting__idea", "meeting__organiser", "user", "submitter")
        .get(pk=participant.pk)
    )
    if not policies.link_opens(participant):
        raise PermissionDenied
    meeting = participant.meeting
    if not meeting.is_open:
        raise ValidationError(_("The poll is closed: the meeting has been booked or cancelled."))
    options = {o.pk: o for o in meeting.options.all()}
    if set(answers) != set(options) or any(v not in Answer.Value.values for v in answers.values()):
        raise ValidationError(_("Answer every time: yes, if need be, or no."))
    now = timezone.now()
    for option_id, value in answers.items():
        Answer.objects.update_or_create(
            participant=participant,
            option_id=option_id,
            defaults={"value": value, "updated_at": now},
        )
    first_answer = participant.answered_at is None
    participant.answered_at = now
    participant.comment = comment.strip()[:1000]
    participant.save(update_fields=["answered_at", "comment"])
    if first_answer:
        waiting = meeting.participants.filter(revoked_at__isnull=True, answered_at__isnull=True)
        if not waiting.exists():
            _email_organiser(meeting, template="meeting_all_answered", context={})
    return participant


# --- Booking, moving, cancelling -------------------------------------------------------------


@transaction.atomic
def meeting_book(*, meeting: Meeting, actor: User, option: TimeOption) -> Meeting:
    """Book the meeting at one of its time options. Each participant gets an email with
    the invitation (METHOD:REQUEST). Booking a booked meeting at another time moves it:
    the same UID with a higher SEQUENCE, so calendars move the event."""
    _require_manage(actor, meeting)
    _lock(meeting)
    if option.meeting_id != meeting.pk:
        raise PermissionDenied
    if not policies.may_change_time(meeting):
        raise ValidationError(_("The meeting is cancelled. Start a new poll to meet."))
    now = timezone.now()
    if option.start <= now:
        raise ValidationError(_("That time has already passed. Choose a later one."))
    moving = meeting.status == Meeting.Status.BOOKED
    if moving and (meeting.booked_start, meeting.booked_end) == (option.start, option.end):
        return meeting
    if moving:
        meeting.sequence += 1
    meeting.status = Meeting.Status.BOOKED
    meeting.booked_start, meeting.booked_end = option.start, option.end
    meeting.booked_at = now
    meeting.save(update_fields=["status", "booked_start", "booked_end", "booked_at", "sequence"])
    when = time_label(option.start, option.end)
    TimelineEntry.objects.create(
        idea=meeting.idea,
        kind=TimelineEntry.Kind.MEETING_BOOKED,
        actor=actor,
        body=(_("%(title)s moved to %(when)s") if moving else _("%(title)s, %(when)s"))
        % {"title": meeting.title, "when": when}
        + (f"\n{meeting.location}" if meeting.location else ""),
        created_at=now,
    )
    _touch(meeting.idea, now)
    _send_invitations(meeting, template="meeting_moved" if moving else "meeting_booked", now=now)
    return meeting


@transaction.atomic
def meeting_update_details(
    *,
    meeting: Meeting,
    actor: User,
    title: str,
    location: str,
    video_link: str,
    description: str,
) -> Meeting:
    """Change what the meeting is called, where it is and its agenda. A booked meeting's
    participants get the updated invitation (a higher SEQUENCE)."""
    _require_manage(actor, meeting)
    _lock(meeting)
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("The meeting is cancelled."))
    title, location, video_link = _clean_details(
        title=title,
        duration_minutes=meeting.duration_minutes,
        location=location,
        video_link=video_link,
    )
    description = description.strip()
    before = (meeting.title, meeting.location, meeting.video_link, meeting.description)
    after = (title, location, video_link, description)
    if before == after:
        return meeting
    meeting.title, meeting.location, meeting.video_link, meeting.description = after
    fields = ["title", "location", "video_link", "description"]
    if meeting.status == Meeting.Status.BOOKED:
        now = timezone.now()
        meeting.sequence += 1
        fields.append("sequence")
        meeting.save(update_fields=fields)
        TimelineEntry.objects.create(
            idea=meeting.idea,
            kind=TimelineEntry.Kind.MEETING_BOOKED,
            actor=actor,
            body=_("%(title)s, %(when)s: place or agenda changed")
            % {
                "title": meeting.title,
                "when": time_label(meeting.booked_start, meeting.booked_end),
            },
            created_at=now,
        )
        _touch(meeting.idea, now)
        _send_invitations(meeting, template="meeting_updated", now=now)
    else:
        meeting.save(update_fields=fields)
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, actor: User, message: str = "") -> Meeting:
    """Cancel the meeting. If it was booked, participants get the cancellation for their
    calendars (METHOD:CANCEL, a higher SEQUENCE); if it was still a poll, they are told
    the poll is closed."""
    _require_manage(actor, meeting)
    _lock(meeting)
    if meeting.status == Meeting.Status.CANCELLED:
        return meeting
    now = timezone.now()
    was_booked = meeting.status == Meeting.Status.BOOKED
    meeting.status = Meeting.Status.CANCELLED
    meeting.cancelled_at = now
    meeting.sequence += 1
    meeting.save(update_fields=["status", "cancelled_at", "sequence"])
    message = message.strip()
    body = meeting.title
    if was_booked:
        body += f", {time_label(meeting.booked_start, meeting.booked_end)}"
    if message:
        body += f"\n{message}"
    TimelineEntry.objects.create(
        idea=meeting.idea,
        kind=TimelineEntry.Kind.MEETING_CANCELLED,
        actor=actor,
        body=body,
        created_at=now,
    )
    _touch(meeting.idea, now)
    if was_booked:
        everyone = _active_participants(meeting)
        attachment = ical.invitation_attachment(meeting, everyone, now=now)
        for participant in everyone:
            _email(
                participant,
                template="meeting_cancelled",
                context={"message": message},
                attachments=[attachment],
            )
        _email_organiser(
            meeting,
            template="meeting_cancelled",
            context={"message": message},
            attachments=[attachment],
        )
    else:
        for participant in _active_participants(meeting):
            if participant.poll_sent_at is not None:
                _email(participant, template="meeting_poll_closed", context={"message": message})
    return meeting


# --- Notes, decisions and action items -----------------------------------------------------


@transaction.atomic
def meeting_save_notes(*, meeting: Meeting, actor: User, notes: str, decisions: str) -> Meeting:
    """Keep the meeting's notes and decisions; what changed goes on the idea's timeline."""
    _require_manage(actor, meeting)
    _lock(meeting)
    notes, decisions = notes.strip(), decisions.strip()
    if (notes, decisions) == (meeting.notes, meeting.decisions):
        return meeting
    parts = []
    if notes != meeting.notes and notes:
        parts.append(_("Notes") + f":\n{notes}")
    if decisions != meeting.decisions and decisions:
        parts.append(_("Decisions") + f":\n{decisions}")
    meeting.notes, meeting.decisions = notes, decisions
    meeting.save(update_fields=["notes", "decisions"])
    now = timezone.now()
    TimelineEntry.objects.create(
        idea=meeting.idea,
        kind=TimelineEntry.Kind.MEETING_NOTES,
        actor=actor,
        body="\n\n".join([meeting.title, *parts]),
        created_at=now,
    )
    _touch(meeting.idea, now)
    return meeting


@transaction.atomic
def action_item_add(
    *,
    idea: Idea,
    actor: User,
    title: str,
    owner: User,
    due_date: date,
    meeting: Meeting | None = None,
) -> ActionItem:
    """Record something to do, with its owner (someone who works the idea) and due date,
    on the meeting and the idea's timeline. The owner is told unless they added it."""
    if not policies.can_organise(access_for(actor), idea):
        raise PermissionDenied
    if meeting is not None and meeting.idea_id != idea.pk:
        raise PermissionDenied
    errors = {}
    title = title.strip()
    if not title:
        errors["title"] = _("Write what is to be done.")
    if not (owner.is_active and policies.can_be_action_owner(access_for(owner), idea)):
        errors["owner"] = _("The owner must be someone who works with the idea.")
    now = timezone.now()
    today = timezone.localdate(now)
    if due_date < today:
        errors["due_date"] = _("The due date cannot have passed.")
    elif due_date > today + timedelta(days=MAX_DAYS_AHEAD):
        errors["due_date"] = _("The due date must be within a year.")
    if errors:
        raise ValidationError(errors)
    item = ActionItem.objects.create(
        idea=idea,
        meeting=meeting,
        title=title,
        owner=owner,
        due_date=due_date,
        created_by=actor,
        created_at=now,
    )
    TimelineEntry.objects.create(
        idea=idea,
        kind=TimelineEntry.Kind.ACTION_ITEM,
        actor=actor,
        body=_("%(title)s – %(owner)s, by %(date)s")
        % {"title": title, "owner": owner, "date": due_date.isoformat()},
        created_at=now,
    )
    _touch(idea, now)
    if owner != actor:
        email_enqueue(
            recipient=owner.email,
            template="meeting_action_item",
            context={"item": item, "idea": idea, "actor": actor},
            language=owner.preferred_language or "sv",
        )
    return item


@transaction.atomic
def action_item_complete(*, item: ActionItem, actor: User) -> ActionItem:
    """Mark an action item done; the idea's timeline says who did it."""
    if not policies.can_complete(access_for(actor), item):
        raise PermissionDenied
    now = timezone.now()
    done = ActionItem.objects.filter(pk=item.pk, done_at__isnull=True).update(
        done_at=now, done_by=actor
    )
    if not done:
        item.refresh_from_db()
        return item
    item.done_at, item.done_by = now, actor
    TimelineEntry.objects.create(
        idea=item.idea,
        kind=TimelineEntry.Kind.ACTION_ITEM,
        actor=actor,
        body=_("Done: %(title)s") % {"title": item.title},
        created_at=now,
    )
    _touch(item.idea, now)
    return item


#: The owner is reminded this many days before the due date.
REMINDER_DAYS_BEFORE = 1


@transaction.atomic
def action_item_send_reminder(*, item: ActionItem, now: datetime) -> bool:
    """Remind the owner of an open action item, unless they were reminded already. The
    timestamp is set with a compare-and-set in the same transaction as the outbox row,
    so two workers running at once send it once between them."""
    claimed = ActionItem.objects.filter(
        pk=item.pk, done_at__isnull=True, reminder_sent_at__isnull=True
    ).update(reminder_sent_at=now)
    if not claimed:
        return False
    owner = item.owner
    if owner.is_active:
        email_enqueue(
            recipient=owner.email,
            template="meeting_action_item_reminder",
            context={"item": item, "idea": item.idea, "overdue": item.is_overdue(now.date())},
            language=owner.preferred_language or "sv",
        )
    return True


def send_action_item_reminders(*, now: datetime) -> int:
    """The periodic job: remind each open action item's owner once, from the day before
    its due date (late ones too, if the worker was down). An item added on or after that
    day gets none: its owner has just been told about it. Each reminder is its own
    transaction. Returns how many were sent."""
    today = timezone.localdate(now)
    due = (
        ActionItem.objects.filter(
            done_at__isnull=True,
            reminder_sent_at__isnull=True,
            due_date__lte=today + timedelta(days=REMINDER_DAYS_BEFORE),
        )
        .select_related("owner", "idea")
        .order_by("due_date", "pk")
    )
    sent = 0
    for item in due:
        reminder_day = item.due_date - timedelta(days=REMINDER_DAYS_BEFORE)
        if timezone.localdate(item.created_at) >= reminder_day:
            continue
        sent += action_item_send_reminder(item=item, now=now)
    return sent


# --- The private calendar feed --------------------------------------------------------------


@transaction.atomic
def calendar_feed_reset(*, user: User) -> CalendarFeed:
    """Give the user a private calendar feed URL, or a new one: the old URL stops
    working at once (for a link that was shared by mistake)."""
    feed = CalendarFeed.objects.select_for_update().filter(user=user).first()
    if feed is None:
        return CalendarFeed.objects.create(user=user)
    feed.link_salt = new_link_salt()
    feed.created_at = timezone.now()
    feed.save()
    return feed


@transaction.atomic
def calendar_feed_stop(*, user: User) -> None:
    """Turn the user's calendar feed off; its URL stops working."""
    CalendarFeed.objects.filter(user=user).delete()


# --- A participant's shared availability ---------------------------------------------------


def _lock_participant_for_sharing(participant: Participant) -> Participant:
    participant = (
        Participant.objects.select_for_update(of=("self",))
        .select_related("meeting")
        .get(pk=participant.pk)
    )
    if not policies.link_opens(participant):
        raise PermissionDenied
    if not participant.meeting.is_open:
        raise ValidationError(_("The poll is closed: the meeting has been booked or cancelled."))
    return participant


@transaction.atomic
def participant_share_availability(*, participant: Participant, ics_text: str) -> Participant:
    """A participant shares a calendar file (free/busy or events) through their private
    link; proposing times then avoids when they are busy. Replaces whatever they shared
    before, a calendar address included. The text is checked with `check_ics`; one that
    cannot be read is refused with a ValidationError."""
    participant = _lock_participant_for_sharing(participant)
    try:
        text = freebusy.check_ics(ics_text)
    except freebusy.InvalidCalendar as error:
        raise ValidationError(
            _("The file could not be read as a calendar: %(reason)s") % {"reason": error}
        ) from error
    participant.availability_ics = text
    participant.availability_url = ""
    participant.availability_read_at = timezone.now()
    participant.availability_error = ""
    participant.save(update_fields=AVAILABILITY_FIELDS)
    return participant


@transaction.atomic
def participant_share_calendar_url(*, participant: Participant, url: str) -> Participant:
    """A participant gives the address of their calendar instead of a file. The worker
    fetches it once this commits (`tasks.fetch_participant_calendar`); until then, and
    if it fails, nothing they shared before is used."""
    participant = _lock_participant_for_sharing(participant)
    try:
        freebusy.normalise_calendar_url(url)
    except freebusy.CalendarFetchError as error:
        raise ValidationError(
            {"url": _("Give a calendar address that begins with https:// or http://.")}
        ) from error
    participant.availability_ics = ""
    participant.availability_url = url.strip()
    participant.availability_read_at = None
    participant.availability_error = ""
    participant.save(update_fields=AVAILABILITY_FIELDS)
    from .tasks import fetch_participant_calendar

    participant_id = participant.pk
    transaction.on_commit(lambda: fetch_participant_calendar.enqueue(participant_id=participant_id))
    return participant


@transaction.atomic
def participant_remove_availability(*, participant: Participant) -> Participant:
    """A participant takes back the calendar they shared (file or address)."""
    participant = Participant.objects.select_for_update(of=("self",)).get(pk=participant.pk)
    if not policies.link_opens(participant):
        raise PermissionDenied
    participant.availability_ics = ""
    participant.availability_url = ""
    participant.availability_read_at = None
    participant.availability_error = ""
    participant.save(update_fields=AVAILABILITY_FIELDS)
    return participant


@transaction.atomic
def participant_store_fetched_calendar(
    *, participant_id: int, url: str, ics_text: str = "", error: str = ""
) -> bool:
    """The worker's result for a calendar address: the checked text, or why it failed.
    Stored only if the participant still shares that same address (they may have
    changed or removed it while it was fetched); returns whether it was stored."""
    participant = (
        Participant.objects.select_for_update()
        .filter(pk=participant_id, revoked_at__isnull=True, availability_url=url)
        .first()
    )
    if participant is None:
        return False
    participant.availability_ics = "" if error else ics_text
    participant.availability_read_at = None if error else timezone.now()
    participant.availability_error = error[:300]
    participant.save(update_fields=AVAILABILITY_FIELDS)
    return True


#: How old a calendar read from an address may be before the worker reads it again.
CALENDAR_REFRESH_AFTER = timedelta(hours=1)


def refresh_shared_calendars(*, now: datetime) -> int:
    """Periodic job: read again the calendar addresses of participants in open polls
    whose last successful read is older than CALENDAR_REFRESH_AFTER, so proposed times
    follow their calendars. A failed read clears the read time and is not retried here
    (no retry storm); the participant gives the address again."""
    from .tasks import fetch_participant_calendar

    stale = Participant.objects.filter(
        revoked_at__isnull=True,
        meeting__status=Meeting.Status.POLL,
        availability_read_at__lt=now - CALENDAR_REFRESH_AFTER,
    ).exclude(availability_url="")
    ids = list(stale.values_list("pk", flat=True))
    for participant_id in ids:
        fetch_participant_calendar.enqueue(participant_id=participant_id)
    return len(ids)


AVAILABILITY_FIELDS = [
    "availability_ics",
    "availability_url",
    "availability_read_at",
    "availability_error",
]
