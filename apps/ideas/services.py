"""Every write to ideas. Each is one transaction that records the timeline and puts the
emails it causes in the outbox, to be sent once the transaction commits."""

import mimetypes
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.notifications.services import email_enqueue
from apps.organisations.models import Organisation, Role
from apps.organisations.selectors import access_for
from apps.workflow.models import Stage, Transition
from apps.workflow.policies import may_make_move

from . import policies
from .models import (
    Attachment,
    Idea,
    IdeaLink,
    ReferenceCounter,
    Submitter,
    Tag,
    TimelineEntry,
)
from .selectors import similarity_scope


class StageConflict(Exception):
    """Someone else moved the idea first; the caller's view of its stage is stale."""

    def __init__(self, current_stage: Stage):
        super().__init__(current_stage)
        self.current_stage = current_stage


@dataclass
class CoSubmitter:
    name: str
    email: str


@dataclass
class SubmissionResult:
    idea: Idea
    created: bool


def _next_reference(consortium: Organisation, year: int) -> str:
    prefix = consortium.reference_prefix or "SLU"
    counter, _created = ReferenceCounter.objects.get_or_create(prefix=prefix, year=year)
    # An UPDATE with F() is atomic on both databases; the row lock holds until commit.
    ReferenceCounter.objects.filter(pk=counter.pk).update(last_number=F("last_number") + 1)
    counter.refresh_from_db(fields=["last_number"])
    return f"{prefix}-{year}-{counter.last_number:04d}"


def _touch(idea: Idea) -> None:
    Idea.objects.filter(pk=idea.pk).update(last_activity_at=timezone.now())


def _coach_recipients(municipality_id: int):
    return User.objects.filter(
        is_active=True,
        notify_new_idea=True,
        memberships__role=Role.COACH,
        memberships__organisation_id=municipality_id,
    ).distinct()


def _tell_submitters(idea: Idea, *, template: str, context: dict) -> None:
    for submitter in idea.submitters.filter(link_revoked_at__isnull=True):
        email_enqueue(
            recipient=submitter.email,
            template=template,
            context={**context, "idea": idea, "submitter": submitter},
            language=idea.language,
        )


@transaction.atomic
def idea_submit(
    *,
    municipality: Organisation,
    unit: Organisation | None,
    workplace: str,
    title: str,
    need: str,
    solution: str,
    beneficiaries: str,
    expected_effects: str,
    consent_to_publish: bool,
    submitter_name: str,
    submitter_email: str,
    submitter_phone: str,
    co_submitters: list[CoSubmitter],
    submission_token: uuid.UUID,
    language: str,
    user: User | None = None,
) -> SubmissionResult:
    """Hand in an idea: give it a reference, put it in the initial stage, keep the files
    uploaded with the form, record it, send a receipt with the private link, and tell the
    municipality's coaches.

    Submitting the same form twice (same `submission_token`) returns the first idea.
    """
    existing = Idea.objects.filter(submission_token=submission_token).first()
    if existing is not None:
        _drop_resent_uploads(submission_token)
        return SubmissionResult(idea=existing, created=False)
    if municipality.kind != Organisation.Kind.MUNICIPALITY:
        raise ValidationError({"municipality": _("Choose a municipality.")})
    if unit is not None and unit.municipality_id != municipality.pk:
        raise ValidationError({"unit": _("The unit does not belong to the chosen municipality.")})
    consortium = municipality.consortium
    stage = Stage.objects.filter(consortium=consortium, is_initial=True, is_active=True).first()
    if stage is None:
        raise ValidationError(_("The sluice has no process set up yet."))
    now = timezone.now()
    try:
        with transaction.atomic():
            idea = Idea.objects.create(
                reference=_next_reference(consortium, timezone.localdate(now).year),
                consortium=consortium,
                municipality=municipality,
                unit=unit,
                workplace=workplace,
                title=title,
                need=need,
                solution=solution,
                beneficiaries=beneficiaries,
                expected_effects=expected_effects,
                consent_to_publish=consent_to_publish,
                language=language,
                stage=stage,
                stage_entered_at=now,
                stages_reached=Idea.stages_reached_text([stage.pk]),
                submission_token=submission_token,
                created_at=now,
                last_activity_at=now,
            )
    except IntegrityError:
        # A second request with the same token won the race: answer with its idea.
        _drop_resent_uploads(submission_token)
        return SubmissionResult(
            idea=Idea.objects.get(submission_token=submission_token), created=False
        )
    main = Submitter.objects.create(
        idea=idea,
        name=submitter_name,
        email=submitter_email,
        phone=submitter_phone,
        is_primary=True,
        user=user if user and user.is_authenticated else None,
    )
    co_submitter_rows = [
        Submitter.objects.create(idea=idea, name=co.name, email=co.email) for co in co_submitters
    ]
    Attachment.objects.filter(upload_token=submission_token, idea__isnull=True).update(
        idea=idea, upload_token=None, uploaded_by_submitter=main
    )
    TimelineEntry.objects.create(
        idea=idea,
        kind=TimelineEntry.Kind.SUBMITTED,
        actor_submitter=main,
        to_stage=stage,
        created_at=now,
    )
    # Imported here: the search app's models depend on this app's.
    from apps.search.similarity import ideas_written

    ideas_written(idea_ids=[idea.pk])
    email_enqueue(
        recipient=main.email,
        template="idea_receipt",
        context={"idea": idea, "submitter": main},
        language=language,
    )
    for co in co_submitter_rows:
        email_enqueue(
            recipient=co.email,
            template="idea_co_submitter",
            context={"idea": idea, "submitter": co, "main": main},
            language=language,
        )
    for coach in _coach_recipients(municipality.pk):
        email_enqueue(
            recipient=coach.email,
            template="idea_new_for_coach",
            context={"idea": idea, "coach": coach},
            language=coach.preferred_language,
        )
    return SubmissionResult(idea=idea, created=True)


def _drop_resent_uploads(submission_token: uuid.UUID) -> None:
    """A repeated submit sends the form's files again and the view holds them; the idea
    already has its files, so these copies would wait for a form that never comes."""
    _delete_attachments(Attachment.objects.filter(upload_token=submission_token, idea__isnull=True))


def _delete_attachments(attachments) -> None:
    """Delete the rows now and their files once the transaction commits, so a rollback
    never leaves a row whose file is gone."""
    for attachment in attachments:
        name, storage = attachment.file.name, attachment.file.storage
        attachment.delete()
        transaction.on_commit(lambda name=name, storage=storage: storage.delete(name))


@transaction.atomic
def idea_move(
    *,
    idea: Idea,
    actor: User,
    to_stage: Stage,
    expected_stage_id: int,
    reason: str = "",
    message: str = "",
) -> Idea:
    """Move an idea to another stage: the one way an idea changes stage.

    Checks that the move is allowed for the actor, that a reason is given where the
    target stage needs one, then moves with a compare-and-set on the stage the actor saw,
    so of two people moving at once exactly one succeeds and the other gets StageConflict.
    Records the decision and tells the submitters.
    """
    access = access_for(actor)
    transition = Transition.objects.filter(
        from_stage_id=expected_stage_id, to_stage=to_stage
    ).first()
    if (
        transition is None
        or not to_stage.is_active
        or not may_make_move(
            access,
            transition,
            municipality_id=idea.municipality_id,
            consortium_id=idea.consortium_id,
        )
    ):
        raise PermissionDenied
    reason = reason.strip()
    if to_stage.requires_reason and not reason:
        raise ValidationError({"reason": _("Give a reason: the submitter will be told.")})
    now = timezone.now()
    # The stay this move ends began when the idea entered the stage it leaves; read from
    # the row (not the caller's copy) and made part of the compare-and-set, so the move
    # records the stay it really ends.
    stay_started_at, reached = (
        Idea.objects.filter(pk=idea.pk, stage_id=expected_stage_id)
        .values_list("stage_entered_at", "stages_reached")
        .first()
    ) or (None, None)
    moved = Idea.objects.filter(
        pk=idea.pk, stage_id=expected_stage_id, stage_entered_at=stay_started_at
    ).update(
        stage=to_stage,
        stage_entered_at=now,
        last_activity_at=now,
        stages_reached=Idea.with_stage_reached(reached, to_stage.pk),
    )
    if not moved:
        current = Idea.objects.select_related("stage").get(pk=idea.pk).stage
        raise StageConflict(current)
    from_stage = Stage.objects.get(pk=expected_stage_id)
    TimelineEntry.objects.create(
        idea=idea,
        kind=TimelineEntry.Kind.STAGE_CHANGED,
        actor=actor,
        from_stage=from_stage,
        to_stage=to_stage,
        body=reason,
        created_at=now,
        stay_started_at=stay_started_at,
    )
    message = message.strip()
    if message:
        TimelineEntry.objects.create(
            idea=idea,
            kind=TimelineEntry.Kind.MESSAGE_TO_SUBMITTER,
            actor=actor,
            body=message,
            created_at=now,
        )
    idea.stage = to_stage
    idea.stage_entered_at = now
    _tell_submitters(
        idea,
        template="idea_stage_changed",
        context={
            "from_stage": from_stage,
            "to_stage": to_stage,
            "reason": reason,
            "message": message,
        },
    )
    return idea


def _require_work(actor: User, idea: Idea) -> None:
    if not policies.can_work(access_for(actor), idea):
        raise PermissionDenied


@transaction.atomic
def idea_add_note(*, idea: Idea, actor: User, body: str) -> TimelineEntry:
    """Write an internal note on the idea; the submitter never sees it."""
    _require_work(actor, idea)
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Write the note.")})
    entry = TimelineEntry.objects.create(
        idea=idea, kind=TimelineEntry.Kind.NOTE, actor=actor, body=body
    )
    _touch(idea)
    return entry


@transaction.atomic
def idea_message_submitters(*, idea: Idea, actor: User, body: str) -> TimelineEntry:
    """Write to the idea's submitters; they get it by email and on their private page."""
    _require_work(actor, idea)
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Write the message.")})
    entry = TimelineEntry.objects.create(
        idea=idea, kind=TimelineEntry.Kind.MESSAGE_TO_SUBMITTER, actor=actor, body=body
    )
    _touch(idea)
    _tell_submitters(idea, template="idea_message_to_submitter", context={"entry": entry})
    return entry


@transaction.atomic
def idea_submitter_reply(
    *, submitter: Submitter, body: str, files: list[UploadedFile] | None = None
) -> TimelineEntry | None:
    """A submitter answers or adds information through their private link; the owner (or,
    with no owner yet, the municipality's coaches) is told."""
    if submitter.link_revoked_at is not None:
        raise PermissionDenied
    idea = submitter.idea
    body = body.strip()
    files = files or []
    if not body and not files:
        raise ValidationError({"body": _("Write a message or add a file.")})
    entry = None
    if body:
        entry = TimelineEntry.objects.create(
            idea=idea,
            kind=TimelineEntry.Kind.MESSAGE_FROM_SUBMITTER,
            actor_submitter=submitter,
            body=body,
        )
    for upload in files:
        _store_attachment(idea=idea, upload=upload, submitter=submitter)
    _touch(idea)
    if idea.owner_id and idea.owner.is_active:
        recipients = [idea.owner] if idea.owner.notify_submitter_message else []
    else:
        recipients = [u for u in _coach_recipients(idea.municipality_id)]
    for user in recipients:
        email_enqueue(
            recipient=user.email,
            template="idea_submitter_wrote",
            context={"idea": idea, "submitter": submitter, "body": body, "files": files},
            language=user.preferred_language,
        )
    return entry


@transaction.atomic
def idea_assign_owner(*, idea: Idea, actor: User, owner: User | None) -> Idea:
    """Make someone the idea's owner; they are told by email (if they want to be)."""
    _require_work(actor, idea)
    if owner is not None and not (
        owner.is_active and policies.can_be_owner(access_for(owner), idea)
    ):
        raise ValidationError(
            {"owner": _("The owner must be a coach or process leader of the idea.")}
        )
    if owner == idea.owner:
        return idea
    idea.owner = owner
    idea.last_activity_at = timezone.now()
    idea.save(update_fields=["owner", "last_activity_at"])
    TimelineEntry.objects.create(
        idea=idea,
        kind=TimelineEntry.Kind.OWNER_CHANGED,
        actor=actor,
        body=str(owner) if owner else "",
    )
    if owner is not None and owner != actor and owner.notify_owner_assigned:
        email_enqueue(
            recipient=owner.email,
            template="idea_owner_assigned",
            context={"idea": idea, "owner": owner, "actor": actor},
            language=owner.preferred_language,
        )
    return idea


@transaction.atomic
def idea_set_tags(*, idea: Idea, actor: User, names: list[str]) -> list[Tag]:
    """Replace the idea's tags; unknown names become new tags of the consortium."""
    _require_work(actor, idea)
    cleaned = sorted({n.strip()[:60] for n in names if n.strip()}, key=str.casefold)
    tags = []
    for name in cleaned:
        tag = Tag.objects.filter(consortium_id=idea.consortium_id, name__iexact=name).first()
        tags.append(tag or Tag.objects.create(consortium_id=idea.consortium_id, name=name))
    before = sorted(t.name for t in idea.tags.all())
    idea.tags.set(tags)
    after = sorted(t.name for t in tags)
    if before != after:
        TimelineEntry.objects.create(
            idea=idea, kind=TimelineEntry.Kind.TAGS_CHANGED, actor=actor, body=", ".join(after)
        )
        _touch(idea)
    return tags


def _store_attachment(
    *,
    upload: UploadedFile,
    idea: Idea | None = None,
    upload_token: uuid.UUID | None = None,
    user: User | None = None,
    submitter: Submitter | None = None,
) -> Attachment:
    content_type = mimetypes.guess_type(upload.name)[0] or "application/octet-stream"
    attachment = Attachment(
        idea=idea,
        upload_token=upload_token,
        original_name=upload.name[-200:],
        content_type=content_type,
        size=upload.size,
        uploaded_by=user,
        uploaded_by_submitter=submitter,
    )
    attachment.file.save("upload", upload, save=False)
    attachment.save()
    if idea is not None:
        TimelineEntry.objects.create(
            idea=idea,
            kind=TimelineEntry.Kind.ATTACHMENT_ADDED,
            actor=user,
            actor_submitter=submitter,
            body=attachment.original_name,
        )
    return attachment


@transaction.atomic
def attachment_hold_for_form(*, upload_token: uuid.UUID, files: list[UploadedFile]) -> None:
    """Keep files that passed their checks while the rest of the form is corrected."""
    for upload in files:
        _store_attachment(upload=upload, upload_token=upload_token)


@transaction.atomic
def attachment_discard_held(*, upload_token: uuid.UUID, attachment_id: int) -> None:
    """Remove a held file the user no longer wants to send."""
    _delete_attachments(
        Attachment.objects.filter(upload_token=upload_token, idea__isnull=True, pk=attachment_id)
    )


@transaction.atomic
def idea_add_attachments(*, idea: Idea, actor: User, files: list[UploadedFile]) -> None:
    """Add files to an idea from the workspace."""
    _require_work(actor, idea)
    for upload in files:
        _store_attachment(idea=idea, upload=upload, user=actor)
    _touch(idea)


def attachment_store_on_idea(
    *, idea: Idea, upload: UploadedFile, user: User | None = None
) -> Attachment:
    """Store a checked file on an idea for another app's write (a referral's answer), with
    its timeline entry, inside the caller's transaction. `user` is the uploader when they
    have an account; the caller has already decided that they may add it."""
    return _store_attachment(idea=idea, upload=upload, user=user)


# --- Links between similar ideas ----------------------------------------------------------


def _link_label(other: Idea, kind: str = "") -> str:
    """How a timeline names the idea at the other end of a link. Written in the site's
    default language, like every other stored timeline text: it is read by the coaches of
    both ideas, whose language the writer does not know."""
    text = f"{other.reference} {other.title} ({other.municipality.name})"
    if kind:
        with translation.override(settings.LANGUAGE_CODE):
            text += f" – {IdeaLink.Kind(kind).label}"
    return text


@transaction.atomic
def idea_link(*, actor: User, idea: Idea, other: Idea, kind: str) -> IdeaLink:
    """Link `idea` to a similar idea as related or as the same idea.

    The actor must work on `idea`; `other` may be any idea in the actor's similarity
    scope, in any municipality. Linking again with another kind changes the kind.
    Recorded on both ideas' timelines; both ideas' submitters are told by email, which
    names only the other idea's title and municipality. Nothing is merged: each idea
    keeps its submitters, owner and timeline.
    """
    if not policies.can_link(access_for(actor), idea):
        raise PermissionDenied
    if not similarity_scope(actor).filter(pk=other.pk).exists():
        raise PermissionDenied
    if kind not in IdeaLink.Kind.values:
        raise ValidationError({"kind": _("Choose how the ideas are linked.")})
    if other.pk == idea.pk:
        raise ValidationError({"other": _("An idea cannot be linked to itself.")})
    first, second = sorted((idea, other), key=lambda i: i.pk)
    link = IdeaLink.objects.select_for_update().filter(idea_a=first, idea_b=second).first()
    if link is not None and link.kind == kind:
        raise ValidationError({"other": _("The ideas are already linked.")})
    now = timezone.now()
    if link is not None:
        link.kind = kind
        link.save(update_fields=["kind"])
    else:
        try:
            with transaction.atomic():
                link = IdeaLink.objects.create(
                    idea_a=first, idea_b=second, kind=kind, created_by=actor, created_at=now
                )
        except IntegrityError:
            # Someone linked the same pair a moment ago.
            raise ValidationError({"other": _("The ideas are already linked.")}) from None
    for this, that in ((idea, other), (other, idea)):
        TimelineEntry.objects.create(
            idea=this,
            kind=TimelineEntry.Kind.IDEA_LINKED,
            actor=actor,
            body=_link_label(that, kind),
            created_at=now,
        )
        Idea.objects.filter(pk=this.pk).update(last_activity_at=now)
        # Only the other idea's title and municipality: never its submitters' names.
        _tell_submitters(
            this,
            template="idea_linked",
            context={
                "other_title": that.title,
                "other_municipality": that.municipality.name,
                "same": kind == IdeaLink.Kind.SAME,
            },
        )
    return link


@transaction.atomic
def idea_unlink(*, actor: User, link: IdeaLink) -> None:
    """Remove a link between two ideas. The workers of either idea may (see
    `policies.can_unlink`). Recorded on both timelines; the submitters are not emailed,
    since a removed link changes nothing about their own idea."""
    link = (
        IdeaLink.objects.select_for_update()
        .select_related("idea_a__municipality", "idea_b__municipality")
        .filter(pk=link.pk)
        .first()
    )
    if link is None:
        raise ValidationError(_("The ideas are no longer linked."))
    if not policies.can_unlink(access_for(actor), link):
        raise PermissionDenied
    now = timezone.now()
    for this, that in ((link.idea_a, link.idea_b), (link.idea_b, link.idea_a)):
        TimelineEntry.objects.create(
            idea=this,
            kind=TimelineEntry.Kind.IDEA_UNLINKED,
            actor=actor,
            body=_link_label(that),
            created_at=now,
        )
    Idea.objects.filter(pk__in=[link.idea_a_id, link.idea_b_id]).update(last_activity_at=now)
    link.delete()
