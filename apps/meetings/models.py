"""Meetings on an idea: a poll of time options that participants answer without an
account, the booked time sent as calendar invitations, and what the meeting decided."""

import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.links import hash_token, link_token, new_link_salt
from apps.ideas.models import Idea, Submitter


def participant_token_from_salt(salt: str) -> str:
    return link_token(purpose="meeting-link", salt=salt)


def feed_token_from_salt(salt: str) -> str:
    return link_token(purpose="calendar-feed", salt=salt)


def new_meeting_uid() -> str:
    """A calendar UID that never changes for the meeting: every update and cancellation
    carries it, so calendars replace the event instead of adding a new one."""
    host = urlsplit(settings.SITE_URL).hostname or "sluss"
    return f"{uuid.uuid4()}@{host}"


class Meeting(models.Model):
    """A meeting about an idea: first a poll of time options, then a booked time.

    `uid` and `sequence` are the calendar identity: every invitation, update and
    cancellation carries the same UID and a higher SEQUENCE than the one before.
    """

    class Status(models.TextChoices):
        POLL = "poll", _("finding a time")
        BOOKED = "booked", _("booked")
        CANCELLED = "cancelled", _("cancelled")

    idea = models.ForeignKey(
        Idea, verbose_name=_("idea"), on_delete=models.CASCADE, related_name="meetings"
    )
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("organiser"),
        on_delete=models.PROTECT,
        related_name="organised_meetings",
    )
    title = models.CharField(_("title"), max_length=150)
    description = models.TextField(_("agenda"), max_length=4000, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(_("length in minutes"), default=60)
    location = models.CharField(_("place"), max_length=200, blank=True)
    video_link = models.URLField(_("video link"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.POLL
    )
    booked_start = models.DateTimeField(_("starts"), null=True, blank=True)
    booked_end = models.DateTimeField(_("ends"), null=True, blank=True)
    uid = models.CharField(
        _("calendar UID"), max_length=200, unique=True, default=new_meeting_uid, editable=False
    )
    sequence = models.PositiveIntegerField(_("calendar sequence"), default=0)
    notes = models.TextField(_("notes"), max_length=20000, blank=True)
    decisions = models.TextField(_("decisions"), max_length=10000, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    booked_at = models.DateTimeField(_("booked"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="booked")
                | Q(booked_start__isnull=False, booked_end__isnull=False),
                name="booked_meeting_has_a_time",
            ),
            models.CheckConstraint(
                condition=Q(booked_end__isnull=True) | Q(booked_end__gt=models.F("booked_start")),
                name="meeting_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        """Participants may still answer the poll."""
        return self.status == self.Status.POLL


class TimeOption(models.Model):
    """One proposed time for a meeting."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="options"
    )
    start = models.DateTimeField(_("starts"))
    end = models.DateTimeField(_("ends"))

    class Meta:
        verbose_name = _("time option")
        verbose_name_plural = _("time options")
        ordering = ["start", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "start"], name="unique_option_start"),
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="option_has_length"
            ),
        ]

    def __str__(self) -> str:
        return f"{timezone.localtime(self.start):%Y-%m-%d %H:%M}"


class Participant(models.Model):
    """Someone invited to a meeting: a user, a submitter of the idea, or an outside
    person by name and email address. Each answers through their own private link (no
    account needed), which is revoked when they are taken off the meeting.
    """

    class Kind(models.TextChoices):
        USER = "user", _("colleague")
        SUBMITTER = "submitter", _("submitter")
        EXTERNAL = "external", _("outside participant")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="participants"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("colleague"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_participations",
    )
    submitter = models.ForeignKey(
        Submitter,
        verbose_name=_("submitter"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="meeting_participations",
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("email address"), blank=True)
    comment = models.TextField(_("comment"), max_length=1000, blank=True)
    #: The iCalendar text (free/busy or events) this participant shared, read by
    #: apps.meetings.freebusy.busy_blocks_for when the system proposes times.
    availability_ics = models.TextField(_("shared calendar"), blank=True)
    #: A calendar address the participant gave instead of a file: the worker fetches it
    #: (apps.meetings.tasks.fetch_participant_calendar) into `availability_ics`.
    availability_url = models.CharField(_("calendar address"), max_length=500, blank=True)
    #: When `availability_ics` was last stored: uploaded, or read from the address.
    availability_read_at = models.DateTimeField(_("calendar read"), null=True, blank=True)
    #: Why the address could not be read the last time (shown on the participant's page).
    availability_error = models.CharField(_("calendar problem"), max_length=300, blank=True)
    invited_at = models.DateTimeField(_("invited"), default=timezone.now)
    poll_sent_at = models.DateTimeField(_("poll sent"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("removed"), null=True, blank=True)
    link_salt = models.CharField(max_length=32, default=new_link_salt, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["invited_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, submitter__isnull=True, email="")
                | Q(user__isnull=True, submitter__isnull=False, email="")
                | (Q(user__isnull=True, submitter__isnull=True) & ~Q(email="") & ~Q(name="")),
                name="participant_is_one_kind",
            ),
            models.UniqueConstraint(
                fields=["meeting", "user"],
                condition=Q(user__isnull=False),
                name="unique_participant_user",
            ),
            models.UniqueConstraint(
                fields=["meeting", "submitter"],
                condition=Q(submitter__isnull=False),
                name="unique_participant_submitter",
            ),
            # Outside participants' addresses are stored in lower case by the services.
            models.UniqueConstraint(
                fields=["meeting", "email"],
                condition=~Q(email=""),
                name="unique_participant_email",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args, **kwargs) -> None:
        if not self.token_hash:
            self.token_hash = hash_token(self.access_token)
        super().save(*args, **kwargs)

    @property
    def access_token(self) -> str:
        return participant_token_from_salt(self.link_salt)

    @property
    def kind(self) -> str:
        if self.user_id:
            return self.Kind.USER
        if self.submitter_id:
            return self.Kind.SUBMITTER
        return self.Kind.EXTERNAL

    @property
    def kind_label(self) -> str:
        return self.Kind(self.kind).label

    @property
    def display_name(self) -> str:
        if self.user_id:
            return str(self.user)
        if self.submitter_id:
            return self.submitter.name
        return self.name

    @property
    def address(self) -> str:
        """Where invitations go."""
        if self.user_id:
            return self.user.email
        if self.submitter_id:
            return self.submitter.email
        return self.email

    @property
    def language(self) -> str:
        if self.user_id:
            return self.user.preferred_language or "sv"
        return self.meeting.idea.language or "sv"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class Answer(models.Model):
    """A participant's answer to one time option."""

    class Value(models.TextChoices):
        YES = "yes", _("yes")
        MAYBE = "maybe", _("if need be")
        NO = "no", _("no")

    participant = models.ForeignKey(
        Participant, verbose_name=_("participant"), on_delete=models.CASCADE, related_name="answers"
    )
    option = models.ForeignKey(
        TimeOption, verbose_name=_("time option"), on_delete=models.CASCADE, related_name="answers"
    )
    value = models.CharField(_("answer"), max_length=5, choices=Value.choices)
    updated_at = models.DateTimeField(_("answered"), default=timezone.now)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["participant", "option"], name="unique_answer")
        ]

    def __str__(self) -> str:
        return f"{self.participant}: {self.option} {self.value}"


class ActionItem(models.Model):
    """Something to do after a meeting (or on an idea), with an owner and a due date.
    The owner is reminded once by email, the day before it is due."""

    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
    )
    idea = models.ForeignKey(
        Idea, verbose_name=_("idea"), on_delete=models.CASCADE, related_name="action_items"
    )
    title = models.CharField(_("what to do"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="action_items",
    )
    due_date = models.DateField(_("due"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("added"), default=timezone.now)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reminder_sent_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["due_date", "pk"]
        indexes = [models.Index(fields=["owner", "done_at"]), models.Index(fields=["due_date"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    def is_overdue(self, today=None) -> bool:
        return not self.is_done and self.due_date < (today or timezone.localdate())


class CalendarFeed(models.Model):
    """A user's private calendar feed of their meetings: a secret URL a calendar program
    subscribes to. Made on request, replaced with a new URL at will, or turned off."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="calendar_feed",
    )
    link_salt = models.CharField(max_length=32, default=new_link_salt, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(self.user)

    def save(self, *args, **kwargs) -> None:
        self.token_hash = hash_token(self.access_token)
        super().save(*args, **kwargs)

    @property
    def access_token(self) -> str:
        return feed_token_from_salt(self.link_salt)
