"""Double opt-in, the same answer for every address, and unsubscribing (also one-click)."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.newsletters import services
from apps.newsletters.models import Subscriber
from apps.notifications.models import OutboxEmail

from .factories import confirmed_subscriber

pytestmark = pytest.mark.django_db


def _confirmations(email: str) -> list[OutboxEmail]:
    return list(OutboxEmail.objects.filter(recipient=email, kind="newsletter_confirm"))


def test_subscribing_makes_a_pending_subscriber_and_sends_a_confirmation_link(world):
    subscriber = services.subscriber_subscribe(
        consortium=world.consortium, email=" Lisa@Example.SE "
    )
    assert subscriber.status == Subscriber.Status.PENDING
    assert subscriber.email == "lisa@example.se"
    (email,) = _confirmations("lisa@example.se")
    assert subscriber.confirm_url() in email.body
    # Only hashes of the tokens are kept.
    assert subscriber.confirm_token not in {
        subscriber.confirm_token_hash,
        subscriber.unsubscribe_token_hash,
    }


def test_subscribing_again_while_pending_resends_and_while_confirmed_sends_nothing(world):
    services.subscriber_subscribe(consortium=world.consortium, email="lisa@example.se")
    services.subscriber_subscribe(consortium=world.consortium, email="lisa@example.se")
    assert len(_confirmations("lisa@example.se")) == 2
    subscriber = services.subscriber_confirm(subscriber=Subscriber.objects.get())
    services.subscriber_subscribe(consortium=world.consortium, email="lisa@example.se")
    assert len(_confirmations("lisa@example.se")) == 2
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED
    assert Subscriber.objects.count() == 1


def test_resubscribing_after_unsubscribing_needs_a_new_confirmation(world):
    subscriber = confirmed_subscriber(world.consortium, "lisa@example.se")
    old_unsubscribe = subscriber.unsubscribe_url()
    services.subscriber_unsubscribe(subscriber=subscriber)
    again = services.subscriber_subscribe(consortium=world.consortium, email="lisa@example.se")
    assert again.status == Subscriber.Status.PENDING
    assert len(_confirmations("lisa@example.se")) == 2
    # The links never change: an old issue's unsubscribe link still works.
    assert again.unsubscribe_url() == old_unsubscribe


def test_the_answer_page_is_the_same_for_new_pending_and_confirmed_addresses(client, world):
    confirmed_subscriber(world.consortium, "known@example.se")
    services.subscriber_subscribe(consortium=world.consortium, email="pending@example.se")
    answers = set()
    for address in ("new@example.se", "pending@example.se", "known@example.se"):
        response = client.post(
            reverse("newsletters:subscribe"),
            {"email": address, "consortium": world.consortium.pk},
        )
        assert response.status_code == 302
        answers.add(response["Location"])
    assert answers == {reverse("newsletters:subscribe_sent")}
    # The confirmed address got no new email, the others one each (pending: a second).
    assert len(_confirmations("known@example.se")) == 1
    assert len(_confirmations("new@example.se")) == 1
    assert len(_confirmations("pending@example.se")) == 2


def test_a_bad_address_is_shown_again_with_its_error(client, world):
    response = client.post(
        reverse("newsletters:subscribe"),
        {"email": "inte-en-adress", "consortium": world.consortium.pk},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["email"]
    assert 'value="inte-en-adress"' in response.content.decode()
    assert not Subscriber.objects.exists()


def test_with_one_consortium_there_is_nothing_to_choose(client, world):
    page = client.get(reverse("newsletters:subscribe")).content.decode()
    assert f'type="hidden" name="consortium" value="{world.consortium.pk}"' in page
    privacy = (
        "We use your email address only to send you the newsletter. Every issue has a link"
        " to unsubscribe, and when you do, we stop at once."
    )
    assert _(privacy) in page


def test_the_confirmation_link_shows_a_button_and_the_button_confirms(client, world):
    subscriber = services.subscriber_subscribe(consortium=world.consortium, email="a@example.se")
    url = reverse("newsletters:confirm", kwargs={"token": subscriber.confirm_token})
    assert client.get(url).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.PENDING  # a link scanner confirms nothing
    assert client.post(url).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED
    assert subscriber.confirmed_at is not None


def test_links_are_not_interchangeable_and_unknown_tokens_do_not_exist(client, world):
    subscriber = services.subscriber_subscribe(consortium=world.consortium, email="a@example.se")
    assert (
        client.get(
            reverse("newsletters:confirm", kwargs={"token": subscriber.unsubscribe_token})
        ).status_code
        == 404
    )
    assert (
        client.get(
            reverse("newsletters:unsubscribe", kwargs={"token": subscriber.confirm_token})
        ).status_code
        == 404
    )
    assert (
        client.get(reverse("newsletters:unsubscribe", kwargs={"token": "x" * 43})).status_code
        == 404
    )


def test_one_click_unsubscribe_works_without_a_csrf_token(world):
    subscriber = confirmed_subscriber(world.consortium, "a@example.se")
    strict = Client(enforce_csrf_checks=True)
    url = reverse("newsletters:unsubscribe", kwargs={"token": subscriber.unsubscribe_token})
    assert strict.get(url).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED
    response = strict.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
    assert subscriber.unsubscribed_at is not None


def test_other_public_forms_still_need_their_csrf_token(world):
    strict = Client(enforce_csrf_checks=True)
    subscriber = services.subscriber_subscribe(consortium=world.consortium, email="a@example.se")
    url = reverse("newsletters:confirm", kwargs={"token": subscriber.confirm_token})
    assert strict.post(url).status_code == 403
    assert (
        strict.post(reverse("newsletters:subscribe"), {"email": "b@example.se"}).status_code == 403
    )
