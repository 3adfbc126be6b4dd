"""The retention job, run by the real worker through the periodic jobs."""

from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from apps.audit.models import AuditEvent
from apps.core import periodic, testing
from apps.core.testing import run_worker
from apps.ideas.models import Idea, Submitter
from apps.newsletters import services as newsletter_services
from apps.newsletters.models import Subscriber
from apps.notifications.models import OutboxEmail
from apps.privacy import services
from apps.workflow.models import Stage

JOB = "apps.privacy.services.retention_run"
LONG_AGO = timedelta(days=4 * 365)


def _due_and_not_due(world):
    """One row of each kind that is due, and one beside it that is not."""
    now = timezone.now()
    old_sub = newsletter_services.subscriber_subscribe(consortium=world.consortium, email="gl@a.se")
    newsletter_services.subscriber_subscribe(consortium=world.consortium, email="ny@a.se")
    Subscriber.objects.filter(pk=old_sub.pk).update(created_at=now - timedelta(days=31))
    old = SessionStore()
    old.create()
    Session.objects.filter(session_key=old.session_key).update(expire_date=now - timedelta(1))
    live = SessionStore()
    live.create()
    closed = testing.submit_idea(world.skovde, submitter_email="stangd@skovde.se")
    open_idea = testing.submit_idea(world.skovde, submitter_email="oppen@skovde.se")
    Idea.objects.filter(pk=closed.pk).update(
        stage=Stage.objects.get(consortium=world.consortium, key="closed"),
        stage_entered_at=now - LONG_AGO,
    )
    Idea.objects.filter(pk=open_idea.pk).update(stage_entered_at=now - LONG_AGO)
    return old_sub, old.session_key, live.session_key, closed, open_idea


@pytest.mark.django_db(transaction=True)
def test_the_worker_applies_the_retention_rules(world, settings):
    settings.SLUSS_PERIODIC_JOBS = [JOB]
    old_sub, old_session, live_session, closed, open_idea = _due_and_not_due(world)
    run_worker()  # the receipts and confirmations leave
    now = timezone.now()
    sent = list(OutboxEmail.objects.filter(status=OutboxEmail.Status.SENT))
    assert len(sent) >= 2
    OutboxEmail.objects.filter(pk=sent[0].pk).update(sent_at=now - timedelta(days=91))
    DBTaskResult.objects.all().delete()
    periodic.ensure_periodic_jobs()
    run_worker()

    assert not OutboxEmail.objects.filter(pk=sent[0].pk).exists()
    assert OutboxEmail.objects.filter(pk=sent[1].pk).exists()
    assert not Subscriber.objects.filter(pk=old_sub.pk).exists()
    assert Subscriber.objects.filter(email="ny@a.se").exists()
    assert not Session.objects.filter(session_key=old_session).exists()
    assert Session.objects.filter(session_key=live_session).exists()
    gone = closed.submitters.get()
    assert gone.email.endswith("@invalid") and gone.link_revoked_at is not None
    assert gone.name == "Ida Idébärare"  # the official document keeps the name
    assert open_idea.submitters.get().email == "oppen@skovde.se"
    event = AuditEvent.objects.get(kind="retention_run")
    counts = event.detail["counts"]
    assert counts["outbox"] == 1 and counts["subscriptions"] == 1 and counts["sessions"] == 1
    assert counts["closed_idea_contacts"] == 1


@pytest.mark.django_db
def test_an_ended_subscription_goes_30_days_after_leaving(world):
    now = timezone.now()
    left = newsletter_services.subscriber_subscribe(consortium=world.consortium, email="ut@a.se")
    newsletter_services.subscriber_confirm(subscriber=left)
    newsletter_services.subscriber_unsubscribe(subscriber=left)
    Subscriber.objects.filter(pk=left.pk).update(unsubscribed_at=now - timedelta(days=29))
    services.retention_run(now=now)
    assert Subscriber.objects.filter(pk=left.pk).exists()
    Subscriber.objects.filter(pk=left.pk).update(unsubscribed_at=now - timedelta(days=31))
    services.retention_run(now=now)
    assert not Subscriber.objects.filter(pk=left.pk).exists()


@pytest.mark.django_db
def test_a_second_run_finds_nothing_and_records_nothing(world):
    _due_and_not_due(world)
    now = timezone.now()
    assert services.retention_run(now=now) >= 3
    assert services.retention_run(now=now) == 0
    assert AuditEvent.objects.filter(kind="retention_run").count() == 1
    assert Submitter.objects.filter(email__endswith="@invalid").count() == 1


@pytest.mark.django_db
def test_the_retention_rules_page_and_the_notice_list_the_rules(world, client):
    from django.utils.translation import gettext as _

    notice = client.get("/privacy/")
    assert notice.status_code == 200
    client.force_login(world.administrator)
    page = client.get("/privacy/retention/")
    assert page.status_code == 200
    for response in (notice, page):
        assert _("Copies of outgoing email") in response.content.decode()
