"""An XSS payload list in the text fields comes back escaped in pages and emails.

The idea form (every free-text field), the coach's internal note and message to the
submitter, and the submitter's answer, each shown on every page that shows them: the
receipt, the submitter's private page, the coach's idea page, board and list. Emails: a
plain-text body needs no escaping (it is never rendered as HTML), so the check is on every
HTML alternative the outbox holds.
"""

import uuid

import pytest
from django.urls import reverse
from django.utils.html import escape

from apps.ideas.models import Idea
from apps.notifications.models import OutboxEmail

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    "</textarea><script>alert(1)</script>",
    '<a href="javascript:alert(1)">klicka</a>',
    "<iframe srcdoc='<script>alert(1)</script>'></iframe>",
]

TEXT_FIELDS = ("title", "need", "solution", "beneficiaries", "expected_effects", "workplace")


def assert_escaped(html: str, payload: str, *, where: str, shown: bool = True) -> None:
    assert payload not in html, f"{where}: the payload came back unescaped"
    if shown:
        # Some pages shorten long texts; the escaped start must be there all the same.
        assert escape(payload)[:20] in html, f"{where}: the payload is not shown at all"


@pytest.mark.django_db
@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_payload_in_the_idea_form_notes_and_messages_comes_back_escaped(client, world, payload):
    data = {field: f"{field} {payload}" for field in TEXT_FIELDS}
    data.update(
        title=payload,
        municipality=world.skovde.pk,
        submitter_name=f"Ida {payload}",
        submitter_email="ida@example.se",
        submission_token=str(uuid.uuid4()),
    )
    response = client.post(reverse("ideas:submit"), data, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("ideas:receipt")
    # The receipt shows the reference, not the texts; nothing may leak through raw.
    assert_escaped(response.content.decode(), payload, where="receipt", shown=False)
    idea = Idea.objects.get()
    assert idea.title == payload  # stored as typed; escaping is the output's job
    token = idea.submitters.get(is_primary=True).access_token
    private_page = reverse("ideas:submitter_page", kwargs={"token": token})
    assert_escaped(client.get(private_page).content.decode(), payload, where="private page")

    coach = client.__class__()
    coach.force_login(world.coach)
    detail = reverse("ideas:detail", kwargs={"reference": idea.reference})
    for url in (detail, reverse("ideas:board"), reverse("ideas:list")):
        assert_escaped(coach.get(url).content.decode(), payload, where=url)

    note = f"Anteckning {payload}"
    message = f"Meddelande {payload}"
    coach.post(reverse("ideas:add_note", kwargs={"reference": idea.reference}), {"note-body": note})
    coach.post(
        reverse("ideas:message", kwargs={"reference": idea.reference}), {"message-body": message}
    )
    page = coach.get(detail).content.decode()
    assert_escaped(page, note, where="note on the idea page")
    assert_escaped(page, message, where="message on the idea page")
    assert_escaped(client.get(private_page).content.decode(), message, where="message, private")

    reply = f"Svar {payload}"
    client.post(private_page, {"body": reply})
    assert_escaped(coach.get(detail).content.decode(), reply, where="the submitter's answer")

    emails = list(OutboxEmail.objects.all())
    assert emails, "handing in, messaging and answering send emails"
    for email in emails:
        if email.html_body:
            assert payload not in email.html_body, f"HTML email {email.kind}"
        # A subject is a header, never HTML; it must not carry a line break either.
        assert "\n" not in email.subject


@pytest.mark.django_db
def test_the_check_sees_an_unescaped_payload():
    with pytest.raises(AssertionError):
        assert_escaped("<p><script>alert(1)</script></p>", PAYLOADS[0], where="probe")
