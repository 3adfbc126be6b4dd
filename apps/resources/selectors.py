"""Every read of the resource library, scoped to the user (policies.py as queries).

Lookups answer 404 alike for "missing" and "not yours".
"""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from apps.organisations.models import Organisation
from apps.organisations.selectors import access_for
from apps.search.normalise import fold
from apps.spread.selectors import catalogue_consortium_ids

from . import policies
from .models import Category, Resource, ResourceVersion, Visibility

CATEGORY_CHOICES = Category.choices
VISIBILITY_CHOICES = Visibility.choices


def member_of(user) -> frozenset[int]:
    """The consortia whose internal resources the user sees."""
    return catalogue_consortium_ids(user)


def _visible_q(user) -> Q:
    access = access_for(user)
    seen = Q(archived_at__isnull=True) & (
        Q(visibility=Visibility.PUBLIC) | Q(consortium_id__in=member_of(user))
    )
    managed = policies.managed_consortia(access)
    return seen | Q(consortium_id__in=managed) if managed else seen


def resources_visible_to(user) -> QuerySet[Resource]:
    """The one scoping function for resources (policies.can_see as a query). Anonymous
    visitors and accounts outside every consortium see the public resources."""
    # A resource without a file yet is never shown: it only exists inside its creation.
    return Resource.objects.filter(_visible_q(user), current_version__isnull=False)


@dataclass(frozen=True)
class LibraryFilters:
    search: str = ""
    category: str = ""
    visibility: str = ""
    archived: bool = False


def _search(resources: QuerySet[Resource], search: str) -> QuerySet[Resource]:
    """Every word must be found in the title or the description, ignoring case and
    accents (both sides folded the same way)."""
    for word in search.split()[:8]:
        resources = resources.filter(search_text__contains=fold(word))
    return resources


def library(user, filters: LibraryFilters | None = None) -> QuerySet[Resource]:
    """The library as the user may see it, filtered: in use, or (for its keepers) the
    archived ones, with each resource's current version, in a fixed number of queries."""
    filters = filters or LibraryFilters()
    resources = resources_visible_to(user).filter(archived_at__isnull=not filters.archived)
    resources = _search(resources, filters.search)
    if filters.category:
        resources = resources.filter(category=filters.category)
    if filters.visibility:
        resources = resources.filter(visibility=filters.visibility)
    return resources.select_related("consortium", "current_version").order_by("title", "pk")


def resource_for_user(user, resource_id: int) -> Resource:
    """One resource the user may see, or 404 whether it is missing or not theirs."""
    resource = (
        resources_visible_to(user)
        .select_related("consortium", "current_version", "archived_by")
        .filter(pk=resource_id)
        .first()
    )
    if resource is None:
        raise Http404
    return resource


def versions_of(resource: Resource) -> QuerySet[ResourceVersion]:
    """Every version of a resource, the newest first."""
    return resource.versions.select_related("uploaded_by").order_by("-number")


def version_for_download(user, resource_id: int, number: int) -> ResourceVersion:
    """One version's file, to whoever may see its resource; 404 otherwise."""
    resource = resource_for_user(user, resource_id)
    version = resource.versions.filter(number=number).first()
    if version is None:
        raise Http404
    return version


def manageable_consortia(user) -> QuerySet[Organisation]:
    """The consortia whose library the user keeps, for the form's choice."""
    return Organisation.objects.filter(
        pk__in=policies.managed_consortia(access_for(user)),
        kind=Organisation.Kind.CONSORTIUM,
        is_active=True,
    ).order_by("name")
