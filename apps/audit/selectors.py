"""Reads of the audit log, scoped to the administrator reading it."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.http import Http404

from apps.organisations.models import Membership
from apps.organisations.selectors import access_for

from . import policies
from .models import AuditEvent


@dataclass(frozen=True)
class AuditFilters:
    kind: str = ""
    person: str = ""
    start: date | None = None
    end: date | None = None


def audit_events_visible_to(user, filters: AuditFilters | None = None) -> QuerySet[AuditEvent]:
    """The events `user` may read, newest first, narrowed by `filters`.

    A consortium administrator reads the events of their consortia and every event naming
    a person who holds a role in one of them (their logins, refusals...); a superuser reads
    everything. Anyone else: 404.
    """
    access = access_for(user)
    if not policies.may_read_audit_log(access):
        raise Http404
    events = AuditEvent.objects.select_related("actor", "subject", "organisation")
    if not access.is_superuser:
        consortium_ids = access.administrator_consortia
        people = Membership.objects.filter(
            Q(organisation_id__in=consortium_ids)
            | Q(organisation__consortium_id__in=consortium_ids)
        ).values("user_id")
        events = events.filter(
            Q(organisation_id__in=consortium_ids)
            | Q(actor__user_id__in=people)
            | Q(subject__user_id__in=people)
        )
    filters = filters or AuditFilters()
    if filters.kind:
        events = events.filter(kind=filters.kind)
    if filters.person:
        events = events.filter(
            Q(actor__label__icontains=filters.person) | Q(subject__label__icontains=filters.person)
        )
    if filters.start:
        events = events.filter(at__date__gte=filters.start)
    if filters.end:
        events = events.filter(at__date__lte=filters.end)
    return events.order_by("-at", "-id")
