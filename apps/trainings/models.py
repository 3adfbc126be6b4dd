"""Trainings for managers and staff: courses, their sessions, and who registered.

A session has a fixed number of seats. Registrations beyond them wait in line (ordered by
when they were made) and move up automatically when a seat is freed; see services.py.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.organisations.models import Organisation


class Course(models.Model):
    """A training the consortium offers, e.g. innovation leadership; runs as sessions."""

    class Topic(models.TextChoices):
        INNOVATION_LEADERSHIP = "innovation_leadership", _("innovation leadership")
        SERVICE_DESIGN = "service_design", _("service design")
        GENDER_EQUALITY = "gender_equality", _("gender equality")
        BENEFITS_REALISATION = "benefits_realisation", _("benefits realisation")
        OTHER = "other", _("other")

    consortium = models.ForeignKey(
        Organisation,
        verbose_name=_("consortium"),
        on_delete=models.PROTECT,
        related_name="courses",
        limit_choices_to={"kind": Organisation.Kind.CONSORTIUM},
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    topic = models.CharField(_("topic"), max_length=40, choices=Topic.choices)
    audience = models.CharField(_("for whom"), max_length=300, blank=True)
    is_active = models.BooleanField(_("offered"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["title"]
        indexes = [models.Index(fields=["consortium", "is_active"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("trainings:course", kwargs={"course_id": self.pk})


class Session(models.Model):
    """One occasion of a course: a time, a place and/or an online link, and its seats.

    `sequence` is the iCalendar SEQUENCE of the session's invitations; it rises on every
    change a participant's calendar must follow (a new time or place, a cancellation).
    """

    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="sessions"
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    online_link = models.URLField(_("online link"), max_length=500, blank=True)
    seats = models.PositiveIntegerField(_("seats"))
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    sequence = models.PositiveIntegerField(_("calendar sequence"), default=0, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(seats__gt=0), name="trainings_session_has_seats"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="trainings_session_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(place="") | ~Q(online_link=""),
                name="trainings_session_has_place_or_link",
            ),
        ]
        indexes = [models.Index(fields=["starts_at"])]

    def __str__(self) -> str:
        return f"{self.course} {self.starts_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("trainings:session", kwargs={"session_id": self.pk})

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def registered_count(self) -> int:
        """Seats taken. Selectors annotate `registered_total` to spare a query per row."""
        annotated = getattr(self, "registered_total", None)
        if annotated is not None:
            return annotated
        return self.registrations.filter(status=Registration.Status.REGISTERED).count()

    @property
    def waiting_count(self) -> int:
        annotated = getattr(self, "waiting_total", None)
        if annotated is not None:
            return annotated
        return self.registrations.filter(status=Registration.Status.WAITING).count()

    @property
    def seats_left(self) -> int:
        return max(self.seats - self.registered_count, 0)


class Registration(models.Model):
    """A person's place on a session: a seat, or a place in the waiting line.

    Accounts carry no municipality, so the registration records the municipality (and
    optionally the unit) the person takes part for; participation is counted by these.
    The waiting line is ordered by `created_at`. `uid` is the iCalendar UID of this
    person's invitation and never changes; `sequence` rises with every new version sent.
    """

    class Status(models.TextChoices):
        REGISTERED = "registered", _("registered")
        WAITING = "waiting", _("on the waiting list")
        CANCELLED = "cancelled", _("cancelled")

    session = models.ForeignKey(
        Session,
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="registrations",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="training_registrations",
    )
    municipality = models.ForeignKey(
        Organisation,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": Organisation.Kind.MUNICIPALITY},
    )
    unit = models.ForeignKey(
        Organisation,
        verbose_name=_("unit"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": Organisation.Kind.UNIT},
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True, db_index=True)
    promoted_at = models.DateTimeField(_("moved up from the waiting list"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("attendance marked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    marked_at = models.DateTimeField(_("attendance marked"), null=True, blank=True)
    uid = models.UUIDField(_("calendar id"), default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(_("calendar sequence"), default=0, editable=False)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"],
                condition=~Q(status="cancelled"),
                name="trainings_one_active_registration_per_session",
            ),
            models.CheckConstraint(
                condition=Q(status="cancelled") | Q(cancelled_at__isnull=True),
                name="trainings_only_cancelled_has_cancelled_at",
            ),
        ]
        indexes = [models.Index(fields=["session", "status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.user} – {self.session}"

    @property
    def is_active(self) -> bool:
        return self.status != self.Status.CANCELLED

    @property
    def calendar_uid(self) -> str:
        return f"training-registration-{self.uid}@sluss"
