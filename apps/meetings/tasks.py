"""Background work for meetings: reading the calendar address a participant gave."""

import logging

from django.conf import settings
from django_tasks import task

from . import freebusy, services
from .models import Participant

logger = logging.getLogger(__name__)


@task()
def fetch_participant_calendar(participant_id: int) -> str:
    """Fetch a participant's calendar address (with the time and size limits of
    `freebusy.fetch_ics`), check it and store it; on failure store a short reason that
    their page shows. Never raises and never retries: the participant tries again by
    giving the address again."""
    participant = Participant.objects.filter(pk=participant_id, revoked_at__isnull=True).first()
    if participant is None or not participant.availability_url:
        return "nothing to fetch"
    url = participant.availability_url
    try:
        text = freebusy.check_ics(
            freebusy.fetch_ics(url, allow_private=settings.SLUSS_CALENDAR_FETCH_ALLOW_PRIVATE)
        )
    except (freebusy.CalendarFetchError, freebusy.InvalidCalendar) as error:
        services.participant_store_fetched_calendar(
            participant_id=participant_id, url=url, error=str(error)
        )
        return "failed"
    except Exception:
        logger.exception("Reading the calendar of participant %s failed", participant_id)
        services.participant_store_fetched_calendar(
            participant_id=participant_id, url=url, error="The calendar could not be read."
        )
        return "failed"
    services.participant_store_fetched_calendar(
        participant_id=participant_id, url=url, ics_text=text
    )
    return "stored"
