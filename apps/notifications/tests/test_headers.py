"""Extra headers and an HTML part travel through the outbox into the message sent."""

import pytest
from django.core import mail
from django.db import transaction

from apps.core.testing import run_worker
from apps.notifications.models import OutboxEmail
from apps.notifications.services import email_enqueue


@pytest.mark.django_db(transaction=True)
def test_headers_and_html_are_sent_with_the_email():
    with transaction.atomic():
        email_enqueue(
            recipient="lisa@example.se",
            template="newsletter_issue",
            html_template="newsletter_issue",
            context={
                "subject": "Nyheter & mer",
                "body_text": "Text & mer",
                "body_html": "<p>Html &amp; mer</p>",
                "unsubscribe_url": "https://sluss.example/u/abc/",
                "language": "sv",
            },
            headers={"List-Unsubscribe": "<https://sluss.example/u/abc/>"},
        )
    run_worker()
    (sent,) = mail.outbox
    assert sent.subject == "Nyheter & mer"
    assert sent.message()["List-Unsubscribe"] == "<https://sluss.example/u/abc/>"
    ((html, mimetype),) = sent.alternatives
    assert mimetype == "text/html"
    assert "<p>Html &amp; mer</p>" in html
    assert "<title>Nyheter &amp; mer</title>" in html  # the HTML part is escaped
    assert "Text & mer" in sent.body  # the text part is not


@pytest.mark.django_db
def test_an_email_without_headers_or_html_stays_plain():
    email = email_enqueue(
        recipient="lisa@example.se",
        template="newsletter_confirm",
        context={"consortium": {"name": "Förbundet"}, "confirm_url": "https://x/"},
    )
    stored = OutboxEmail.objects.get(pk=email.pk)
    assert stored.headers == {}
    assert stored.html_body == ""
