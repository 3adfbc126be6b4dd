"""Every read of the solution catalogue, adoptions and benefits, scoped to the user."""

from django.db.models import QuerySet

from apps.ideas.models import Idea


def published_ideas() -> QuerySet[Idea]:
    """Ideas anyone may see, also without logging in: published in the solution
    catalogue, with the submitter's consent. PLACEHOLDER until the catalogue exists."""
    return Idea.objects.none()
