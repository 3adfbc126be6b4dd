"""Where the sluice holds personal data, how a person's rows are found, exported and erased.

Every model with a personal-data field (an email or IP address field, a foreign key to the
user model, a field named like a name, email or phone) is either a `RecordType` in
`REGISTRY` or on `EXEMPT` with the reason; `tests/test_registry.py` walks every installed
model and fails for one that is neither, so a new model cannot hold people unnoticed.

The erasure rules (GDPR art. 17 against the public records rules, offentlighets- och
sekretesslagen and arkivlagen):

- `delete`: nothing obliges us to keep it (login addresses, sessions, subscriptions,
  outgoing email, tokens, personal settings): the rows go.
- `pseudonymise`: the row is part of an official document (allmän handling) that must be
  kept: the idea and its timeline, submitters, decisions, meeting participants, external
  experts. Names become "Borttagen person #<n>", addresses `erased-<n>@invalid`, phone
  numbers go, and the person's name and address are replaced wherever they were typed into
  the record's free text.
- `keep`: the row stays as it is because it names nobody by itself: it points to the
  account, which is pseudonymised (who moved an idea, who scored it). Its free text is
  still scrubbed of the person's name and address.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DELETE = "delete"
PSEUDONYMISE = "pseudonymise"
KEEP = "keep"

RULE_LABELS = {
    DELETE: _("deleted"),
    PSEUDONYMISE: _("pseudonymised"),
    KEEP: _("kept"),
}

# Replacement kinds for `RecordType.replace`.
NAME = "name"
EMAIL = "email"
BLANK = "blank"
NULL = "null"


@dataclass(frozen=True)
class Person:
    """The one person an export or an erasure is about: an account, a submitter address,
    or both. `emails` and `names` are every address and name the sluice knows them by."""

    user: object | None
    emails: frozenset[str]
    names: frozenset[str]
    submitter_ids: frozenset[int] = frozenset()
    phones: frozenset[str] = frozenset()

    @property
    def terms(self) -> list[str]:
        """What erasure looks for in free text: full names, addresses and phone numbers
        (never single words, which would hit other people)."""
        # A one-word name ("Anna") would also hit every other Anna in the texts, so only
        # names of two words or more are searched; fields holding the name are replaced
        # whatever its length.
        names = {n for n in self.names if len(n.split()) >= 2 and len(n) >= 4}
        phones = {p for p in self.phones if sum(c.isdigit() for c in p) >= 6}
        return sorted(names | self.emails | phones, key=len, reverse=True)

    @property
    def label(self) -> str:
        if self.user is not None:
            return self.user.email
        return sorted(self.emails)[0] if self.emails else ""


@dataclass(frozen=True)
class RecordType:
    """One model holding personal data, and what export and erasure do with it."""

    label: str  # "app_label.ModelName"
    rule: str
    reason: str
    #: The person's own rows; None when the model has no rows of its own per person.
    rows: Callable[[Person], QuerySet] | None = None
    #: Columns of the export (`values()` lookups); empty: not exported (no own rows).
    export: tuple[str, ...] = ()
    #: Field → NAME / EMAIL / BLANK / NULL, applied to the person's rows on erasure.
    replace: dict[str, str] = field(default_factory=dict)
    #: Free-text fields in which the person's names and addresses are replaced in every row
    #: (delete rule: rows mentioning them are deleted instead).
    text_fields: tuple[str, ...] = ()
    #: Extra field values set on the person's rows on erasure (e.g. revoke a link).
    also_set: Callable[[datetime], dict] | None = None

    @property
    def model(self):
        return apps.get_model(self.label)

    @property
    def rule_label(self) -> str:
        return RULE_LABELS[self.rule]

    @property
    def verbose_name(self) -> str:
        return self.model._meta.verbose_name_plural

    @property
    def file_stem(self) -> str:
        return self.label.replace(".", "_").lower()


def _by_user(*lookups: str) -> Callable[[Person], QuerySet]:
    """Rows whose `lookups` (foreign keys to the user) point to the person's account."""

    def rows(person: Person, label: str) -> QuerySet:
        model = apps.get_model(label)
        if person.user is None:
            return model.objects.none()
        q = Q()
        for lookup in lookups:
            q |= Q(**{lookup: person.user.pk})
        return model.objects.filter(q)

    return rows


def _by_email(*lookups: str, users: tuple[str, ...] = ()) -> Callable[[Person], QuerySet]:
    """Rows whose address fields hold one of the person's addresses (any case), or whose
    `users` foreign keys point to the account."""

    def rows(person: Person, label: str) -> QuerySet:
        model = apps.get_model(label)
        q = Q()
        for lookup in lookups:
            for email in person.emails:
                q |= Q(**{f"{lookup}__iexact": email})
        if person.user is not None:
            for lookup in users:
                q |= Q(**{lookup: person.user.pk})
        return model.objects.filter(q) if q else model.objects.none()

    return rows


def _submitted(lookup: str = "") -> Callable[[Person], QuerySet]:
    """Rows of the ideas the person handed in (as main or co-submitter)."""

    def rows(person: Person, label: str) -> QuerySet:
        model = apps.get_model(label)
        prefix = f"{lookup}__" if lookup else ""
        return model.objects.filter(**{f"{prefix}submitters__in": person.submitter_ids}).distinct()

    return rows


def _timeline(person: Person, label: str) -> QuerySet:
    """What the person wrote or did on an idea, and the messages sent to them."""
    from apps.ideas.models import TimelineEntry

    q = Q(actor_submitter_id__in=person.submitter_ids) | Q(
        kind=TimelineEntry.Kind.MESSAGE_TO_SUBMITTER,
        idea__submitters__in=person.submitter_ids,
    )
    if person.user is not None:
        q |= Q(actor=person.user)
    return TimelineEntry.objects.filter(q).distinct()


def _attachments(person: Person, label: str) -> QuerySet:
    from apps.ideas.models import Attachment

    q = Q(uploaded_by_submitter_id__in=person.submitter_ids)
    if person.user is not None:
        q |= Q(uploaded_by=person.user)
    return Attachment.objects.filter(q)


def _sessions(person: Person, label: str) -> QuerySet:
    """The account's sessions; their data is signed, so each live one is decoded."""
    from django.contrib.auth import SESSION_KEY
    from django.contrib.sessions.models import Session

    if person.user is None:
        return Session.objects.none()
    keys = [
        s.session_key
        for s in Session.objects.filter(expire_date__gte=timezone.now())
        if str(s.get_decoded().get(SESSION_KEY)) == str(person.user.pk)
    ]
    return Session.objects.filter(session_key__in=keys)


def _email_q(lookup: str, person: Person) -> Q:
    q = Q(pk__in=[])
    for email in person.emails:
        q |= Q(**{f"{lookup}__iexact": email})
    return q


def _referrals(person: Person, label: str) -> QuerySet:
    """Referrals the person sent, was asked or withdrew, or answered as an outside expert."""
    from apps.referrals.models import Referral

    q = _email_q("external_actor__email", person)
    if person.user is not None:
        q |= Q(created_by=person.user) | Q(colleague=person.user) | Q(revoked_by=person.user)
    return Referral.objects.filter(q)


def _referral_messages(person: Person, label: str) -> QuerySet:
    """What the person wrote in a referral: as a colleague, or as its outside expert."""
    from apps.referrals.models import ReferralMessage

    q = _email_q("referral__external_actor__email", person) & Q(author__isnull=True)
    if person.user is not None:
        q |= Q(author=person.user)
    return ReferralMessage.objects.filter(q)


def _bound(record_rows, label):
    return (lambda person: record_rows(person, label)) if record_rows else None


def _record(label: str, rule: str, reason, rows=None, **kwargs) -> RecordType:
    return RecordType(label=label, rule=rule, reason=reason, rows=_bound(rows, label), **kwargs)


def _revoke_link(now: datetime) -> dict:
    return {"link_revoked_at": now, "user": None}


HISTORY = _(
    "A record of who did something in an official document; it points to the account, "
    "which is pseudonymised, and names nobody by itself."
)

#: Every model holding personal data. Order matters for erasure only where rows depend on
#: each other: deletes run first, then pseudonymisation, then the scrubbing of free text.
REGISTRY: tuple[RecordType, ...] = (
    # --- The account and what belongs only to it ---------------------------------------
    _record(
        "accounts.User",
        PSEUDONYMISE,
        _(
            "The account is named on the ideas' timelines and decisions (official documents); "
            "it is kept, closed and pseudonymised."
        ),
        _by_user("pk"),
        export=(
            "email",
            "full_name",
            "phone",
            "date_joined",
            "preferred_language",
            "notify_new_idea",
            "notify_owner_assigned",
            "notify_submitter_message",
            "last_login",
            "is_active",
        ),
        replace={"full_name": NAME, "email": EMAIL, "phone": BLANK},
        also_set=lambda now: {"is_active": False, "last_login": None},
    ),
    _record(
        "account.EmailAddress",
        DELETE,
        _("Login addresses are not kept."),
        _by_email("email", users=("user",)),
        export=("email", "verified", "primary"),
    ),
    _record(
        "socialaccount.SocialAccount",
        DELETE,
        _("Single sign-on links are not kept."),
        _by_user("user"),
        export=("provider", "uid", "last_login", "date_joined"),
    ),
    _record(
        "sessions.Session",
        DELETE,
        _("Sessions end with the account."),
        _sessions,
        export=("expire_date",),
    ),
    _record(
        "admin.LogEntry",
        DELETE,
        _("Technical history of the admin site, not kept."),
        _by_user("user"),
        export=("action_time", "object_repr", "change_message"),
        text_fields=("object_repr", "change_message"),
    ),
    _record(
        "organisations.Membership",
        DELETE,
        _("Roles end with the person; the handover has moved what they held."),
        _by_user("user"),
        export=("organisation__name", "role"),
    ),
    _record(
        "api.ApiToken",
        DELETE,
        _("Access tokens end with the account."),
        _by_user("user"),
        export=("name", "prefix", "created_at", "last_used_at", "revoked_at"),
    ),
    _record(
        "meetings.CalendarFeed",
        DELETE,
        _("A personal calendar feed, not kept."),
        _by_user("user"),
        export=("created_at",),
    ),
    _record(
        "followup.DigestRecord",
        DELETE,
        _("A log of personal reminder emails, not kept."),
        _by_user("user"),
        export=("week_start", "items", "emailed", "created_at"),
    ),
    _record(
        "handover.LeaveReminder",
        DELETE,
        _("A log of reminders about a leave date, not kept."),
        _by_user("person"),
        export=("leaves_on", "days_before", "sent_at"),
    ),
    _record(
        "notifications.OutboxEmail",
        DELETE,
        _(
            "Copies of sent email are not official documents of their own; the idea's "
            "timeline holds what was said."
        ),
        _by_email("recipient"),
        export=("created_at", "subject", "body", "status", "sent_at"),
        text_fields=("subject", "body", "html_body", "attachments", "headers", "last_error"),
    ),
    _record(
        "newsletters.Subscriber",
        DELETE,
        _("A newsletter subscription rests on consent."),
        _by_email("email"),
        export=(
            "consortium__name",
            "email",
            "language",
            "status",
            "created_at",
            "confirmed_at",
            "unsubscribed_at",
        ),
    ),
    _record(
        "django_tasks_database.DBTaskResult",
        DELETE,
        _("Finished background work; the tasks carry ids, not people."),
        None,
        text_fields=("args_kwargs", "return_value", "exception_class_path", "traceback"),
    ),
    # --- Official documents: kept, with the person pseudonymised ------------------------
    _record(
        "ideas.Submitter",
        PSEUDONYMISE,
        _("Who handed in an idea is part of the idea (an official document)."),
        _by_email("email", users=("user",)),
        export=("idea__reference", "idea__title", "name", "email", "phone", "is_primary"),
        replace={"name": NAME, "email": EMAIL, "phone": BLANK},
        also_set=_revoke_link,
    ),
    _record(
        "ideas.Idea",
        PSEUDONYMISE,
        _("An idea is an official document."),
        _submitted(),
        export=(
            "reference",
            "title",
            "need",
            "solution",
            "beneficiaries",
            "expected_effects",
            "workplace",
            "municipality__name",
            "unit__name",
            "stage__name_sv",
            "consent_to_publish",
            "created_at",
        ),
        text_fields=("title", "need", "solution", "beneficiaries", "expected_effects", "workplace"),
    ),
    _record(
        "ideas.TimelineEntry",
        PSEUDONYMISE,
        _("The idea's timeline (messages, decisions) is part of the official document."),
        _timeline,
        export=("idea__reference", "kind", "body", "created_at"),
        text_fields=("body",),
    ),
    _record(
        "ideas.Attachment",
        PSEUDONYMISE,
        _("Files handed in with an idea are kept with it."),
        _attachments,
        export=("idea__reference", "original_name", "content_type", "size", "created_at"),
        text_fields=("original_name",),
    ),
    _record(
        "meetings.Participant",
        PSEUDONYMISE,
        _(
            "Who took part in a meeting about an idea is part of its record; shared calendars "
            "are removed."
        ),
        _by_email("email", users=("user",)),
        export=(
            "meeting__title",
            "meeting__idea__reference",
            "name",
            "email",
            "comment",
            "invited_at",
            "answered_at",
        ),
        replace={
            "name": NAME,
            "email": EMAIL,
            "availability_ics": BLANK,
            "availability_url": BLANK,
        },
        text_fields=("comment",),
    ),
    _record(
        "referrals.ExternalActor",
        PSEUDONYMISE,
        _("An outside expert's answers are part of the idea's record."),
        _by_email("email"),
        export=("name", "email", "phone", "organisation", "expertise"),
        replace={"name": NAME, "email": EMAIL, "phone": BLANK},
        text_fields=("expertise",),
    ),
    _record(
        "meetings.Meeting",
        KEEP,
        HISTORY,
        _by_user("organiser"),
        export=("idea__reference", "title", "status", "booked_start"),
        text_fields=("title", "description", "location", "notes", "decisions"),
    ),
    _record(
        "meetings.ActionItem",
        KEEP,
        HISTORY,
        _by_user("owner", "created_by", "done_by"),
        export=("idea__reference", "title", "due_date", "done_at"),
        text_fields=("title",),
    ),
    _record(
        "referrals.Referral",
        KEEP,
        HISTORY,
        _referrals,
        export=("idea__reference", "question", "sent_at", "answered_at"),
        text_fields=("question",),
    ),
    _record(
        "referrals.ReferralMessage",
        KEEP,
        HISTORY,
        _referral_messages,
        export=("referral__idea__reference", "kind", "body", "created_at"),
        text_fields=("body",),
    ),
    _record(
        "ideas.IdeaLink",
        KEEP,
        HISTORY,
        _by_user("created_by"),
        export=("idea_a__reference", "idea_b__reference", "kind", "created_at"),
    ),
    _record(
        "assessments.AssessmentRound",
        KEEP,
        HISTORY,
        _by_user("opened_by", "closed_by"),
        export=("idea__reference", "opened_at", "closed_at"),
    ),
    _record(
        "assessments.Assignment",
        KEEP,
        HISTORY,
        _by_user("assessor"),
        export=("round__idea__reference", "submitted_at"),
    ),
    _record(
        "spread.Solution",
        KEEP,
        HISTORY,
        _by_user("contact", "created_by", "approved_by"),
        export=("idea__reference", "title"),
        text_fields=("title", "summary", "results"),
    ),
    _record(
        "spread.Adoption",
        KEEP,
        HISTORY,
        _by_user("owner", "created_by"),
        export=("solution__idea__reference", "municipality__name", "stage", "note"),
        text_fields=("note", "stop_reason"),
    ),
    _record(
        "spread.AdoptionStageChange",
        KEEP,
        HISTORY,
        _by_user("actor"),
        export=("adoption__solution__idea__reference", "on_date", "reason"),
        text_fields=("reason",),
    ),
    _record(
        "spread.BenefitHypothesis",
        KEEP,
        HISTORY,
        _by_user("owner"),
        export=("idea__reference", "description", "indicator"),
        text_fields=("description", "how_measured"),
    ),
    _record(
        "spread.Measurement",
        KEEP,
        HISTORY,
        _by_user("recorded_by"),
        export=("benefit__idea__reference", "measured_on", "value", "note"),
        text_fields=("note",),
    ),
    _record(
        "imports.ImportJob",
        KEEP,
        HISTORY,
        _by_user("created_by"),
        export=("original_name", "status", "total_rows", "imported_count", "created_at"),
        text_fields=("errors", "summary"),
    ),
    _record(
        "showcase.ShowcaseEntry",
        KEEP,
        HISTORY,
        _by_user("created_by", "approved_by"),
        export=("idea__reference", "headline", "credit", "created_at"),
        text_fields=("headline", "lead", "story", "results", "credit", "search_text"),
    ),
    _record(
        "newsletters.Newsletter",
        KEEP,
        HISTORY,
        _by_user("created_by", "sent_by"),
        export=("subject", "status", "created_at", "sent_at"),
        text_fields=("subject", "intro", "body_text", "body_html"),
    ),
    _record(
        "newsletters.NewsletterBlock",
        KEEP,
        _("A published newsletter's text."),
        None,
        text_fields=("heading", "text"),
    ),
    _record(
        "trainings.Course",
        KEEP,
        HISTORY,
        _by_user("created_by"),
        export=("title", "created_at"),
    ),
    _record(
        "trainings.Registration",
        KEEP,
        _(
            "Attendance is counted in the training statistics; the row points to the account, "
            "which is pseudonymised."
        ),
        _by_user("user"),
        export=("session__course__title", "session__starts_at", "status", "created_at"),
    ),
    _record(
        "resources.Resource",
        KEEP,
        HISTORY,
        _by_user("created_by", "archived_by"),
        export=("title", "created_at"),
    ),
    _record(
        "resources.ResourceVersion",
        KEEP,
        HISTORY,
        _by_user("uploaded_by"),
        export=("resource__title", "number", "uploaded_at"),
    ),
    _record(
        "privacy.Erasure",
        KEEP,
        _("The record of an erasure names only the administrator who made it."),
        _by_user("erased_by"),
        export=("id", "erased_at"),
    ),
    # The audit log pseudonymises through `apps.audit.services.audit_pseudonymise_person`
    # (its rows are append-only); these entries list it for the export and the rules page.
    _record(
        "audit.AuditIdentity",
        PSEUDONYMISE,
        _("The audit log is kept; the person's name in it is replaced by the pseudonym."),
        _by_user("user"),
        export=("label",),
    ),
    _record(
        "audit.AuditEvent",
        KEEP,
        _(
            "The audit log is kept for two years; it names people only through its "
            "identities, which are pseudonymised."
        ),
        None,
    ),
)

#: Models with a field that looks personal but holds no personal data, and why.
EXEMPT: dict[str, str] = {
    # `name` is the name of a permission, a group, an organisation, a tag or an OAuth app.
    "auth.Permission": "name: the permission's name",
    "auth.Group": "name: the group's name",
    "socialaccount.SocialApp": "name: the sign-in service's name",
    "organisations.Organisation": "name: the municipality's or unit's name",
    "ideas.Tag": "name: a tag's word",
    # `email` is a foreign key to the outbox email of a newsletter delivery (its row goes
    # with the subscriber, whose deletion cascades to it).
    "newsletters.Delivery": "email: a link to the outbox row, erased with the subscriber",
    # allauth's confirmation of a login address: a foreign key to the address, deleted with
    # it (cascade) when the address is deleted on erasure.
    "account.EmailConfirmation": "email_address: deleted with the login address",
}


def by_label() -> dict[str, RecordType]:
    return {record.label: record for record in REGISTRY if _installed(record.label)}


def _installed(label: str) -> bool:
    try:
        apps.get_model(label)
    except LookupError:
        return False
    return True


def records() -> list[RecordType]:
    """The registry's record types whose model is installed."""
    return [record for record in REGISTRY if _installed(record.label)]


# --- Retention -------------------------------------------------------------------------


@dataclass(frozen=True)
class RetentionRule:
    """How long one kind of record is kept, and what happens when that time is up."""

    key: str
    what: str
    period: str
    action: str
    #: Does what is due at `now`; returns how many rows it changed. None: done elsewhere.
    run: Callable[[datetime], int] | None = None


def _outbox_due(now: datetime) -> int:
    from apps.notifications.models import OutboxEmail

    due = OutboxEmail.objects.filter(
        status__in=[OutboxEmail.Status.SENT, OutboxEmail.Status.FAILED]
    ).filter(
        Q(sent_at__lt=now - timedelta(days=OUTBOX_DAYS))
        | Q(sent_at__isnull=True, created_at__lt=now - timedelta(days=OUTBOX_DAYS))
    )
    return due.delete()[1].get("notifications.OutboxEmail", 0)


def _sessions_due(now: datetime) -> int:
    from django.contrib.sessions.models import Session

    return Session.objects.filter(expire_date__lt=now).delete()[0]


def _cache_due(now: datetime) -> int:
    """Expired rate-limit counters in the database cache (which only culls when full)."""
    cache = settings.CACHES.get("default", {})
    if cache.get("BACKEND") != "django.core.cache.backends.db.DatabaseCache":
        return 0
    table = connection.ops.quote_name(cache["LOCATION"])
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE expires < %s", [now])  # noqa: S608
        return max(cursor.rowcount, 0)


def _imports_due(now: datetime) -> int:
    """Import files (full of submitters' names and addresses) and their row-level errors;
    the job's counts stay as history."""
    from apps.imports.models import ImportJob

    done = 0
    for job in ImportJob.objects.filter(created_at__lt=now - timedelta(days=IMPORT_DAYS)).exclude(
        file="", errors=[]
    ):
        if job.file:
            job.file.delete(save=False)
        job.file = ""
        job.errors = []
        job.save(update_fields=["file", "errors"])
        done += 1
    return done


def _subscriptions_due(now: datetime) -> int:
    """Sign-ups never confirmed (consent was never given) and subscriptions ended (consent
    withdrawn), 30 days on."""
    from apps.newsletters.models import Subscriber

    limit = now - timedelta(days=SUBSCRIPTION_DAYS)
    unconfirmed = Subscriber.objects.filter(
        status=Subscriber.Status.PENDING, confirmed_at__isnull=True, created_at__lt=limit
    )
    left = Subscriber.objects.filter(
        status=Subscriber.Status.UNSUBSCRIBED, unsubscribed_at__lt=limit
    )
    return (unconfirmed | left).delete()[1].get("newsletters.Subscriber", 0)


def _closed_ideas_contacts_due(now: datetime) -> int:
    """Submitters' addresses and phone numbers of ideas closed long ago: the idea and the
    name stay (the official document), the ways to reach the person go."""
    from apps.ideas.models import Submitter

    due = Submitter.objects.filter(
        idea__stage__is_outcome=True,
        idea__stage_entered_at__lt=now - timedelta(days=CLOSED_IDEA_CONTACT_YEARS * 365),
    ).exclude(email__endswith="@invalid")
    done = 0
    for submitter in due:
        submitter.email = f"erased-s{submitter.pk}@invalid"
        submitter.phone = ""
        submitter.link_revoked_at = submitter.link_revoked_at or now
        submitter.save(update_fields=["email", "phone", "link_revoked_at"])
        done += 1
    return done


def _task_results_due(now: datetime) -> int:
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        finished_at__lt=now - timedelta(days=TASK_RESULT_DAYS)
    ).delete()[0]


OUTBOX_DAYS = 90
IMPORT_DAYS = 30
SUBSCRIPTION_DAYS = 30
CLOSED_IDEA_CONTACT_YEARS = 3
TASK_RESULT_DAYS = 30

RETENTION: tuple[RetentionRule, ...] = (
    RetentionRule(
        "outbox",
        _("Copies of outgoing email"),
        _("90 days after sending"),
        _("deleted"),
        _outbox_due,
    ),
    RetentionRule(
        "sessions", _("Login sessions"), _("when they expire"), _("deleted"), _sessions_due
    ),
    RetentionRule(
        "rate_limits",
        _("Counters of login attempts and form submissions"),
        _("when they expire (minutes to hours)"),
        _("deleted"),
        _cache_due,
    ),
    RetentionRule(
        "imports",
        _("Imported spreadsheet files and their row errors"),
        _("30 days"),
        _("deleted; the count of imported ideas is kept"),
        _imports_due,
    ),
    RetentionRule(
        "subscriptions",
        _("Newsletter subscriptions never confirmed, or ended"),
        _("30 days after signing up or leaving"),
        _("deleted"),
        _subscriptions_due,
    ),
    RetentionRule(
        "closed_idea_contacts",
        _("Submitters' email addresses and phone numbers on closed ideas"),
        _("3 years after the idea reached its outcome"),
        _("removed; the idea and the submitter's name are kept as an official document"),
        _closed_ideas_contacts_due,
    ),
    RetentionRule(
        "task_results",
        _("Results of finished background work"),
        _("30 days"),
        _("deleted"),
        _task_results_due,
    ),
    RetentionRule(
        "audit",
        _("The audit log"),
        _("2 years"),
        _("deleted by the audit log itself, which nothing else may change"),
        None,
    ),
    RetentionRule(
        "ideas",
        _("Ideas, their timeline, decisions, assessments and referrals"),
        _("as the archive rules for official documents say (bevarande och gallring)"),
        _("kept; a person who asks to be erased is pseudonymised in them"),
        None,
    ),
)
