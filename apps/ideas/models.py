"""Ideas, the people who handed them in, their files, tags and timeline."""

import hashlib
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.links import hash_token, link_token, new_link_salt
from apps.organisations.models import Organisation
from apps.workflow.models import Stage


def token_from_salt(salt: str) -> str:
    """The submitter's private link token (see apps.core.links)."""
    return link_token(purpose="submitter-link", salt=salt)


class Tag(models.Model):
    """A free label on ideas, shared within a consortium."""

    consortium = models.ForeignKey(
        Organisation, verbose_name=_("consortium"), on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("name"), max_length=60)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["consortium", "name"], name="unique_tag_name")
        ]

    def __str__(self) -> str:
        return self.name


class ReferenceCounter(models.Model):
    """The last number handed out per prefix and year, for references like SLU-2026-0042."""

    prefix = models.CharField(max_length=8)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="unique_counter")]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last_number}"


class Idea(models.Model):
    """An idea handed in by one or more employees, carried through the sluice's stages."""

    reference = models.CharField(_("reference"), max_length=24, unique=True)
    consortium = models.ForeignKey(
        Organisation,
        verbose_name=_("consortium"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    municipality = models.ForeignKey(
        Organisation,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="ideas",
    )
    unit = models.ForeignKey(
        Organisation,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="unit_ideas",
    )
    workplace = models.CharField(_("workplace"), max_length=200, blank=True)
    title = models.CharField(_("title"), max_length=150)
    need = models.TextField(_("the need or problem"), max_length=4000)
    solution = models.TextField(_("the idea"), max_length=4000)
    beneficiaries = models.TextField(_("who benefits"), max_length=2000, blank=True)
    expected_effects = models.TextField(_("expected effects"), max_length=2000, blank=True)
    consent_to_publish = models.BooleanField(_("may be published"), default=False)
    language = models.CharField(_("language"), max_length=8, default="sv")
    stage = models.ForeignKey(
        Stage, verbose_name=_("stage"), on_delete=models.PROTECT, related_name="ideas"
    )
    stage_entered_at = models.DateTimeField(_("in this stage since"), default=timezone.now)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_ideas",
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="ideas")
    submission_token = models.UUIDField(unique=True, editable=False)
    created_at = models.DateTimeField(_("handed in"), default=timezone.now, db_index=True)
    last_activity_at = models.DateTimeField(_("last activity"), default=timezone.now)
    #: Every stage the idea has entered (handed in, imported or moved into it, as the
    #: timeline records), as the stage ids in ascending order joined by commas
    #: (`stages_reached_text`). Kept by the services that put an idea into a stage, so the
    #: statistics' funnel counts a period's ideas by this one narrow column instead of
    #: reading their timelines. Empty (or None) only for an idea without such an entry;
    #: nullable because a NOT NULL column cannot be added while the old code runs.
    stages_reached = models.TextField(  # noqa: DJ001
        _("stages reached"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["municipality", "stage"]),
            models.Index(fields=["consortium", "stage"]),
            # The statistics read these columns for a consortium's ideas handed in during a
            # period (cohort, ideas per 1,000) and for its open ideas (waiting), from the
            # index alone.
            models.Index(
                fields=["consortium", "created_at", "municipality", "stages_reached"],
                name="ideas_idea_reached_idx",
            ),
            models.Index(
                fields=["consortium", "stage", "municipality", "stage_entered_at"],
                name="ideas_idea_waiting_idx",
            ),
            # A consortium's idea ids from the index alone: PostgreSQL scopes the
            # statistics' referrals, solutions and benefits to a consortium by hashing
            # these (a sequential scan of the wide table cost three times as much).
            models.Index(fields=["consortium", "id"], name="ideas_idea_scope_idx"),
            # A coach's list, newest first: the page's LIMIT read off this index instead
            # of sorting the municipality's every idea first.
            models.Index(
                fields=["municipality", "created_at", "id"],
                name="ideas_idea_list_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @staticmethod
    def stages_reached_text(stage_ids: Iterable[int]) -> str:
        """The `stages_reached` value of these stage ids (in any order, repeats allowed)."""
        return ",".join(str(pk) for pk in sorted(set(stage_ids)))

    @classmethod
    def with_stage_reached(cls, stages_reached: str | None, stage_id: int) -> str:
        """`stages_reached` once the idea has also entered `stage_id`."""
        known = [int(pk) for pk in stages_reached.split(",")] if stages_reached else []
        return cls.stages_reached_text([*known, stage_id])


class Submitter(models.Model):
    """A person who handed in an idea (the idébärare) or is named as a co-submitter.

    No account is needed: each submitter follows the idea through a private link.
    """

    idea = models.ForeignKey(
        Idea, verbose_name=_("idea"), on_delete=models.CASCADE, related_name="submitters"
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email address"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    is_primary = models.BooleanField(_("main submitter"), default=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="submitted",
    )
    link_salt = models.CharField(max_length=32, default=new_link_salt, editable=False)
    access_token_hash = models.CharField(max_length=64, unique=True, editable=False)
    link_revoked_at = models.DateTimeField(_("link revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("submitter")
        verbose_name_plural = _("submitters")
        ordering = ["-is_primary", "pk"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if not self.access_token_hash:
            self.access_token_hash = hash_token(self.access_token)
        super().save(*args, **kwargs)

    @property
    def access_token(self) -> str:
        return token_from_salt(self.link_salt)


def attachment_path(instance: "Attachment", filename: str) -> str:
    # Generated names only: the original name is kept in the row, never on disk.
    return f"attachments/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    """A file on an idea. Served only through a permission-checked view.

    Files uploaded on a form that then failed validation wait with `idea` empty and the
    form's `upload_token`, so the user need not choose them again.
    """

    idea = models.ForeignKey(
        Idea,
        verbose_name=_("idea"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
    )
    upload_token = models.UUIDField(null=True, blank=True, db_index=True)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_by_submitter = models.ForeignKey(
        Submitter, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


_MICROSECOND = timedelta(microseconds=1)


def stay_length_microseconds(began: datetime, ended: datetime) -> int:
    """`ended - began` in whole microseconds, in real (UTC) time: Python subtracts two
    datetimes of the same zone by their wall clocks, which is an hour off across a change
    to or from summer time."""
    if timezone.is_aware(began) and timezone.is_aware(ended):
        began, ended = began.astimezone(UTC), ended.astimezone(UTC)
    return (ended - began) // _MICROSECOND


class StayLengthField(models.BigIntegerField):
    """The length of the stay a move ends, in whole microseconds (exact on every
    database): `created_at - stay_started_at` of its own row, worked out whenever the row
    is saved (create, save and bulk_create all ask the field), so no writer can leave it
    out or get it wrong. None where the entry ends no stay."""

    def pre_save(self, model_instance, add):
        began, ended = model_instance.stay_started_at, model_instance.created_at
        value = None if began is None or ended is None else stay_length_microseconds(began, ended)
        setattr(model_instance, self.attname, value)
        return value


def reason_key_of(body: str) -> int:
    """A move's reason as a number: equal for reasons that are the same text ignoring
    case and runs of space (how the statistics count reasons together), from a 64-bit
    hash of that text."""
    text = " ".join(body.split()).casefold()
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), signed=True)


class ReasonKeyField(models.BigIntegerField):
    """`reason_key_of` the body of a move that gives a reason (None on every other
    entry), worked out whenever the row is saved (create, save and bulk_create all ask
    the field); erasure, which rewrites texts with a plain UPDATE, sets it with the text
    (`TimelineEntry.derived_from_text`)."""

    def pre_save(self, model_instance, add):
        value = model_instance.derived_from_text()[self.attname]
        setattr(model_instance, self.attname, value)
        return value


class TimelineEntry(models.Model):
    """One recorded event on an idea: a decision, a message, a note, a change.

    The timeline is the idea's memory: time in each stage is derived from its
    stage changes (each move keeps when the stay it ends began), and nothing on it is
    edited afterwards.
    """

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("handed in")
        STAGE_CHANGED = "stage_changed", _("moved")
        MESSAGE_TO_SUBMITTER = "message_to_submitter", _("message to the submitter")
        MESSAGE_FROM_SUBMITTER = "message_from_submitter", _("message from the submitter")
        NOTE = "note", _("internal note")
        OWNER_CHANGED = "owner_changed", _("owner changed")
        ATTACHMENT_ADDED = "attachment_added", _("file added")
        TAGS_CHANGED = "tags_changed", _("tags changed")
        ASSESSMENT_OPENED = "assessment_opened", _("assessment opened")
        ASSESSMENT_CLOSED = "assessment_closed", _("assessment completed")
        REFERRAL_SENT = "referral_sent", _("referral sent")
        REFERRAL_ANSWERED = "referral_answered", _("referral answered")
        REFERRAL_QUESTION = "referral_question", _("question from the referral's expert")
        MEETING_BOOKED = "meeting_booked", _("meeting booked")
        MEETING_CANCELLED = "meeting_cancelled", _("meeting cancelled")
        MEETING_NOTES = "meeting_notes", _("meeting notes")
        ACTION_ITEM = "action_item", _("action item")
        IDEA_LINKED = "idea_linked", _("linked to another idea")
        IDEA_UNLINKED = "idea_unlinked", _("link to another idea removed")
        IMPORTED = "imported", _("imported")
        SOLUTION_PUBLISHED = "solution_published", _("offered as a solution")
        ADOPTED = "adopted", _("adopted by a municipality")
        BENEFIT_CHANGED = "benefit_changed", _("benefit plan changed")
        BENEFIT_MEASURED = "benefit_measured", _("benefit measured")
        SHOWCASE_PUBLISHED = "showcase_published", _("published in the showcase")
        SHOWCASE_WITHDRAWN = "showcase_withdrawn", _("withdrawn from the showcase")

    #: Kinds the submitter sees on their private page.
    SUBMITTER_VISIBLE = (
        Kind.SUBMITTED,
        Kind.STAGE_CHANGED,
        Kind.MESSAGE_TO_SUBMITTER,
        Kind.MESSAGE_FROM_SUBMITTER,
        Kind.ATTACHMENT_ADDED,
    )

    #: Kinds that put the idea into their `to_stage` (what `Idea.stages_reached` keeps).
    ENTERS_STAGE = (Kind.SUBMITTED, Kind.IMPORTED, Kind.STAGE_CHANGED)

    idea = models.ForeignKey(
        Idea, verbose_name=_("idea"), on_delete=models.CASCADE, related_name="timeline"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_submitter = models.ForeignKey(
        Submitter, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    from_stage = models.ForeignKey(
        Stage, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_stage = models.ForeignKey(
        Stage, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    body = models.TextField(_("text"), blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    #: On a move (STAGE_CHANGED): when the idea entered the stage it leaves, i.e. its
    #: `stage_entered_at` just before the move, so the stay that ends here is
    #: `created_at - stay_started_at` without walking the idea's earlier timeline.
    #: Empty on every other kind.
    stay_started_at = models.DateTimeField(_("in the stage left since"), null=True, blank=True)
    #: `created_at - stay_started_at` in microseconds, kept by the row itself (see
    #: `StayLengthField`): the statistics rank stays by this number from an index.
    stay_microseconds = StayLengthField(null=True, blank=True, editable=False)
    #: On a move that gives a reason: the reason as a number (`ReasonKeyField`), so the
    #: statistics count moves per reason from an index and read one text per reason.
    reason_key = ReasonKeyField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")
        ordering = ["created_at", "pk"]
        indexes = [
            # An idea's timeline in order (the idea page, the funnel's entries per idea).
            models.Index(fields=["idea", "created_at"]),
            # Moves out of given stages in a period: the statistics' lead time, read from
            # the index alone (the columns it needs are part of the key).
            models.Index(
                fields=["from_stage", "created_at", "kind", "stay_microseconds", "idea"],
                name="ideas_timeline_stay_len_idx",
            ),
            # The stages each idea has entered (the statistics' funnel), from the index alone.
            models.Index(fields=["idea", "to_stage", "kind"], name="ideas_timeline_entered_idx"),
            # Moves into given stages in a period (the statistics' outcomes).
            models.Index(
                fields=["to_stage", "created_at", "kind", "idea"],
                name="ideas_timeline_moves_in_idx",
            ),
            # The same, for the moves that give a reason: the statistics count them, and
            # count them per reason, from this index alone, and read one text per reason.
            models.Index(
                fields=["to_stage", "created_at", "kind", "reason_key", "idea"],
                condition=~models.Q(body=""),
                name="ideas_timeline_reasons_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.idea.reference}: {self.get_kind_display()}"

    def derived_from_text(self) -> dict:
        """The columns worked out from the body: set them whenever the body changes."""
        gives_reason = self.kind == self.Kind.STAGE_CHANGED and self.body != ""
        return {"reason_key": reason_key_of(self.body) if gives_reason else None}

    @property
    def actor_name(self) -> str:
        if self.actor_id:
            return str(self.actor)
        if self.actor_submitter_id:
            return self.actor_submitter.name
        return ""


class IdeaLink(models.Model):
    """Two ideas a coach has found to be related, or to be the same idea.

    A link is unordered: the pair is stored with the lower id first, so one pair has at
    most one link whichever side it was made from, and an idea is never linked to itself.
    Linking merges nothing: each idea keeps its submitters, owner and timeline.
    """

    class Kind(models.TextChoices):
        RELATED = "related", _("related")
        SAME = "same", _("the same idea")

    idea_a = models.ForeignKey(
        Idea, verbose_name=_("idea"), on_delete=models.CASCADE, related_name="links_as_a"
    )
    idea_b = models.ForeignKey(
        Idea, verbose_name=_("other idea"), on_delete=models.CASCADE, related_name="links_as_b"
    )
    kind = models.CharField(_("kind of link"), max_length=10, choices=Kind.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("linked by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("linked"), default=timezone.now)

    class Meta:
        verbose_name = _("idea link")
        verbose_name_plural = _("idea links")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["idea_a", "idea_b"], name="unique_idea_link_pair"),
            # Lower id first: one row per unordered pair, and no idea linked to itself.
            models.CheckConstraint(
                condition=models.Q(idea_a__lt=models.F("idea_b")),
                name="idea_link_ordered_pair",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.idea_a_id} – {self.idea_b_id} ({self.kind})"

    def other_than(self, idea: Idea) -> Idea:
        """The idea at the other end of the link, seen from `idea`."""
        return self.idea_b if self.idea_a_id == idea.pk else self.idea_a
