"""Builders for the newsletter tests, through the services."""

from apps.newsletters import services
from apps.newsletters.models import Newsletter, Subscriber


def confirmed_subscriber(consortium, email: str) -> Subscriber:
    subscriber = services.subscriber_subscribe(consortium=consortium, email=email)
    return services.subscriber_confirm(subscriber=subscriber)


def draft(world, *, subject: str = "Nyheter i maj", text: str = "Vi har startat.") -> Newsletter:
    newsletter = services.newsletter_create(
        actor=world.communicator, consortium=world.consortium, subject=subject, intro="Hej!"
    )
    services.block_add(actor=world.communicator, newsletter=newsletter, kind="text", text=text)
    return newsletter
