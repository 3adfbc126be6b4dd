"""Builders for tests of referrals. They go through the real services, so a test's data
is made the way production makes it."""

import uuid
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from apps.core import testing
from apps.ideas import services as idea_services
from apps.ideas.models import Idea

from . import services
from .models import ExternalActor, Referral


def make_actor(consortium, **overrides) -> ExternalActor:
    """An outside actor in the consortium's register (made by one of its process leaders,
    or a new one)."""
    from apps.organisations.models import Membership, Role

    leader = (
        Membership.objects.filter(organisation=consortium, role=Role.PROCESS_LEADER)
        .select_related("user")
        .first()
    )
    user = leader.user if leader else testing.make_user("", (Role.PROCESS_LEADER, consortium))
    fields = {
        "name": "Anna Expert",
        "organisation": "Högskolan i Skövde",
        "email": f"anna.{uuid.uuid4().hex[:8]}@his.se",
        "expertise": "Immaterialrätt, patent, avtal",
    }
    fields.update(overrides)
    return services.external_actor_create(actor=user, consortium=consortium, **fields)


def idea_with_files(municipality, **overrides) -> Idea:
    """An idea handed in with two files (plan.txt and budget.txt), the public form's way."""
    token = uuid.uuid4()
    idea_services.attachment_hold_for_form(
        upload_token=token,
        files=[
            SimpleUploadedFile("plan.txt", b"En plan.\n", content_type="text/plain"),
            SimpleUploadedFile("budget.txt", b"En budget.\n", content_type="text/plain"),
        ],
    )
    return testing.submit_idea(municipality, submission_token=token, **overrides)


def send(
    idea: Idea,
    actor,
    *,
    to=None,
    colleague=None,
    due_date: date | None = None,
    attachments=None,
    **overrides,
) -> Referral:
    """Send a referral on the idea, to an outside actor (a new one unless given) or a
    colleague, due in 14 days unless said otherwise."""
    if to is None and colleague is None:
        to = make_actor(idea.consortium)
    fields = {
        "question": "Går idén att patentera?",
        "due_date": due_date or timezone.localdate() + timedelta(days=14),
    }
    fields.update(overrides)
    return services.referral_send(
        idea=idea,
        actor=actor,
        external_actor=to,
        colleague=colleague,
        attachments=attachments or [],
        **fields,
    )


def pdf(name: str = "svar.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n% svar\n", content_type="application/pdf")
