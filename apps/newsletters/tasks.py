"""Background work: sending an issue in batches (see services.newsletter_send_batch)."""

from django_tasks import task

from . import services


@task()
def send_newsletter_batch(newsletter_id: int) -> int:
    """Hand one batch of an issue to the outbox; the batch queues the next one itself."""
    return services.newsletter_send_batch(newsletter_id=newsletter_id)
