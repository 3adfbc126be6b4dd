"""Composing an issue from blocks, previewing it, testing it, sending it, and the public
archive that shows it as it was sent."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.newsletters import rendering, services
from apps.newsletters.models import Newsletter, NewsletterBlock
from apps.notifications.models import OutboxEmail
from apps.showcase.models import ShowcaseEntry
from apps.showcase.testing import entry_for
from apps.stats.figures import key_figures
from apps.trainings.testing import make_course, make_session

from .factories import draft

pytestmark = pytest.mark.django_db


def _edit(newsletter) -> str:
    return reverse("newsletters:edit", kwargs={"newsletter_id": newsletter.pk})


def _add(newsletter, kind: str) -> str:
    return reverse("newsletters:block_add", kwargs={"newsletter_id": newsletter.pk, "kind": kind})


def test_a_communicator_composes_an_issue_from_every_kind_of_block(client, world):
    entry = entry_for(world, publish=True, headline="Digitala nycklar i hemtjänsten")
    session = make_session(make_course(world, title="Tjänstedesign"), world.communicator)
    client.force_login(world.communicator)
    response = client.post(
        reverse("newsletters:new"),
        {"consortium": world.consortium.pk, "subject": "Nyheter i maj", "intro": "Hej alla!"},
    )
    newsletter = Newsletter.objects.get()
    assert response["Location"] == _edit(newsletter)
    assert newsletter.created_by == world.communicator and newsletter.is_draft
    client.post(_add(newsletter, "text"), {"text-text": "Vi har öppnat slussen."})
    client.post(_add(newsletter, "showcase"), {"showcase-entries": [entry.pk]})
    client.post(_add(newsletter, "trainings"), {"trainings-heading": "Kurser"})
    client.post(_add(newsletter, "figures"), {})
    kinds = list(newsletter.blocks.values_list("kind", "position"))
    assert kinds == [("text", 1), ("showcase", 2), ("trainings", 3), ("figures", 4)]
    assert newsletter.blocks.get(kind="showcase").entry_ids == [entry.pk]

    preview = client.get(reverse("newsletters:preview", kwargs={"newsletter_id": newsletter.pk}))
    assert preview.status_code == 200
    html = preview.context["body_html"]
    text = preview.context["body_text"]
    for part in (html, text):
        assert "Vi har öppnat slussen." in part
        assert "Digitala nycklar i hemtjänsten" in part
        assert "Tjänstedesign" in part
        assert "Kurser" in part
        for label, value in key_figures(consortium_id=world.consortium.pk):
            assert str(label) in part and str(value) in part
    assert entry.get_absolute_url() in html and session.get_absolute_url() in html
    assert preview.content.decode().count("Digitala nycklar i hemtjänsten") >= 2  # html + text


def test_blocks_move_and_go(client, world):
    newsletter = draft(world, text="Första")
    second = services.block_add(
        actor=world.communicator, newsletter=newsletter, kind="text", text="Andra"
    )
    client.force_login(world.process_leader)
    url = reverse(
        "newsletters:block_move", kwargs={"newsletter_id": newsletter.pk, "block_id": second.pk}
    )
    assert client.post(url, {"direction": "up"}).status_code == 302
    assert list(newsletter.blocks.values_list("text", flat=True)) == ["Andra", "Första"]
    assert client.post(url, {"direction": "up"}).status_code == 302  # already first
    assert list(newsletter.blocks.values_list("text", "position")) == [
        ("Andra", 1),
        ("Första", 2),
    ]
    assert client.post(url, {"direction": "sideways"}).status_code == 400
    client.post(
        reverse(
            "newsletters:block_remove",
            kwargs={"newsletter_id": newsletter.pk, "block_id": second.pk},
        )
    )
    assert list(newsletter.blocks.values_list("text", flat=True)) == ["Första"]


def test_a_block_with_errors_comes_back_with_what_was_typed(client, world):
    newsletter = draft(world)
    client.force_login(world.communicator)
    response = client.post(_add(newsletter, "text"), {"text-heading": "Rubrik", "text-text": " "})
    assert response.status_code == 400
    assert response.context["bound_block_form"].errors["text"]
    assert 'value="Rubrik"' in response.content.decode()
    response = client.post(_add(newsletter, "showcase"), {})
    assert response.status_code == 400
    assert newsletter.blocks.count() == 1
    assert client.post(_add(newsletter, "poem"), {}).status_code == 404


def test_only_published_entries_of_the_consortium_can_be_chosen(world):
    unpublished = entry_for(world, publish=False)
    newsletter = draft(world)
    with pytest.raises(ValidationError):
        services.block_add(
            actor=world.communicator,
            newsletter=newsletter,
            kind=NewsletterBlock.Kind.SHOWCASE,
            entry_ids=[unpublished.pk],
        )


def test_an_entry_withdrawn_after_it_was_chosen_drops_out_of_the_draft(world):
    entry = entry_for(world, publish=True)
    newsletter = draft(world)
    services.block_add(
        actor=world.communicator, newsletter=newsletter, kind="showcase", entry_ids=[entry.pk]
    )
    assert entry.headline in rendering.render_content(newsletter)[1]
    ShowcaseEntry.objects.filter(pk=entry.pk).update(withdrawn_at=entry.approved_at)
    assert entry.headline not in rendering.render_content(newsletter)[1]


def test_the_sent_issue_is_frozen_as_previewed(client, world):
    entry = entry_for(world, publish=True, headline="Före")
    newsletter = draft(world)
    services.block_add(
        actor=world.communicator, newsletter=newsletter, kind="showcase", entry_ids=[entry.pk]
    )
    previewed = rendering.preview_content(newsletter)
    services.newsletter_send(actor=world.communicator, newsletter=newsletter)
    newsletter.refresh_from_db()
    assert (newsletter.body_text, newsletter.body_html) == previewed
    # The entry changes afterwards; the archive still shows what was sent.
    ShowcaseEntry.objects.filter(pk=entry.pk).update(headline="Efter")
    page = client.get(newsletter.get_absolute_url()).content.decode()
    assert "Före" in page and "Efter" not in page


def test_sending_twice_sends_once_and_a_sent_issue_no_longer_changes(client, world):
    newsletter = draft(world)
    services.newsletter_send(actor=world.communicator, newsletter=newsletter)
    with pytest.raises(ValidationError):
        services.newsletter_send(actor=world.communicator, newsletter=newsletter)
    with pytest.raises(ValidationError):
        services.block_add(actor=world.communicator, newsletter=newsletter, kind="figures")
    client.force_login(world.communicator)
    send_url = reverse("newsletters:send", kwargs={"newsletter_id": newsletter.pk})
    preview_url = reverse("newsletters:preview", kwargs={"newsletter_id": newsletter.pk})
    assert client.post(send_url)["Location"] == preview_url
    assert client.get(_edit(newsletter))["Location"] == preview_url
    assert client.post(_add(newsletter, "text"), {"text-text": "Mer"}).status_code == 404


def test_an_empty_issue_is_not_sent(client, world):
    newsletter = services.newsletter_create(
        actor=world.communicator, consortium=world.consortium, subject="Tomt"
    )
    client.force_login(world.communicator)
    response = client.post(reverse("newsletters:send", kwargs={"newsletter_id": newsletter.pk}))
    assert response.status_code == 400
    newsletter.refresh_from_db()
    assert newsletter.is_draft


def test_the_send_page_posts_and_the_issue_goes_out_through_the_worker_queue(client, world):
    newsletter = draft(world)
    client.force_login(world.communicator)
    response = client.post(reverse("newsletters:send", kwargs={"newsletter_id": newsletter.pk}))
    assert response.status_code == 302
    newsletter.refresh_from_db()
    assert newsletter.status == Newsletter.Status.SENDING
    assert newsletter.sent_by == world.communicator and newsletter.sent_at


def test_a_test_email_goes_to_the_composer_only(client, world):
    newsletter = draft(world, text="Provtext")
    client.force_login(world.process_leader)
    response = client.post(
        reverse("newsletters:send_test", kwargs={"newsletter_id": newsletter.pk})
    )
    assert response.status_code == 302
    (email,) = OutboxEmail.objects.filter(kind="newsletter_test")
    assert email.recipient == world.process_leader.email
    assert "Provtext" in email.body and "Provtext" in email.html_body
    assert email.headers == {}
    newsletter.refresh_from_db()
    assert newsletter.is_draft
    assert not mail.outbox  # nothing leaves before the worker runs


def test_only_the_consortium_s_composers_may_write(world):
    newsletter = draft(world)
    for outsider in (world.coach, world.administrator, world.manager, world.employee):
        with pytest.raises(PermissionDenied):
            services.newsletter_create(
                actor=outsider, consortium=world.consortium, subject="Inte min"
            )
        with pytest.raises(PermissionDenied):
            services.newsletter_send(actor=outsider, newsletter=newsletter)


def test_the_archive_lists_sent_issues_only_and_a_draft_does_not_exist(client, world):
    sent = draft(world, subject="Skickat nummer")
    services.newsletter_send(actor=world.communicator, newsletter=sent)
    unsent = draft(world, subject="Utkastet")
    response = client.get(reverse("newsletters:archive"))
    assert list(response.context["page"].object_list) == [sent]
    assert reverse("newsletters:subscribe") in response.content.decode()
    assert client.get(unsent.get_absolute_url()).status_code == 404
    assert client.get(sent.get_absolute_url()).status_code == 200


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_archive_and_the_composer_list_take_as_many_queries_for_few_and_many(client, world):
    def add_issues(count: int):
        for n in range(count):
            issue = draft(world, subject=f"Nummer {n}")
            services.newsletter_send(actor=world.communicator, newsletter=issue)

    client.force_login(world.communicator)
    add_issues(2)
    few = (
        _queries(client, reverse("newsletters:archive")),
        _queries(client, reverse("newsletters:manage")),
    )
    add_issues(10)
    many = (
        _queries(client, reverse("newsletters:archive")),
        _queries(client, reverse("newsletters:manage")),
    )
    assert few == many
