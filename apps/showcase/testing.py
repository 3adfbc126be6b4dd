"""Builders for showcase tests; they go through the services, as production does."""

from apps.core import testing
from apps.ideas.models import Idea

from . import services
from .models import ShowcaseEntry


def entry_for(
    world,
    *,
    idea: Idea | None = None,
    consent: bool = True,
    publish: bool = False,
    headline: str = "Föräldrar får stöd på nätet",
    lead: str = "En webbaserad utbildning för föräldrar.",
    story: str = "Skolkuratorerna såg att föräldrar saknade stöd.",
    results: str = "120 föräldrar gick utbildningen första året.",
    category: str = "school",
    credit_agreed: bool = False,
    credit: str = "",
) -> ShowcaseEntry:
    """A Skövde idea (consent given unless told) and its story, drafted by the
    communicator and published if asked."""
    if idea is None:
        idea = testing.submit_idea(world.skovde, consent_to_publish=consent)
    return services.entry_save(
        actor=world.communicator,
        idea=idea,
        headline=headline,
        lead=lead,
        story=story,
        results=results,
        category=category,
        credit_agreed=credit_agreed,
        credit=credit,
        publish=publish,
    )
