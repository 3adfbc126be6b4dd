"""Files sent with an email (calendar invitations) travel through the outbox intact."""

import pytest
from django.core import mail
from django.db import transaction

from apps.core.testing import run_worker, submit_idea
from apps.notifications.services import email_enqueue

INVITE = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n"


@pytest.mark.django_db(transaction=True)
def test_an_attachment_is_sent_with_the_email(world):
    idea = submit_idea(world.skovde)
    mail.outbox.clear()
    run_worker()
    mail.outbox.clear()
    with transaction.atomic():
        email_enqueue(
            recipient="ida@example.se",
            template="idea_owner_assigned",
            context={"idea": idea, "owner": world.coach, "actor": world.process_leader},
            attachments=[
                {
                    "filename": "invite.ics",
                    "content": INVITE,
                    "mimetype": "text/calendar; method=REQUEST",
                }
            ],
        )
    run_worker()
    (sent,) = mail.outbox
    assert sent.attachments == [("invite.ics", INVITE, "text/calendar; method=REQUEST")]


@pytest.mark.django_db
def test_plain_text_email_is_not_html_escaped(world):
    from apps.notifications.models import OutboxEmail

    submit_idea(world.skovde, title='Kött & fisk i "skolköket"', submitter_email="ida@example.se")
    receipt = OutboxEmail.objects.get(recipient="ida@example.se")
    assert 'Kött & fisk i "skolköket"' in receipt.body
    assert "&amp;" not in receipt.body and "&quot;" not in receipt.body
