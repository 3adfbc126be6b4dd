"""Every write to the audit log.

`audit_record` is the contract other apps call (handover, privacy, ...): it runs inside the
caller's transaction, so an event is kept exactly when the change it records is kept,
and it works with or without a request.
"""

from __future__ import annotations

import ipaddress

from django.db import transaction
from django.utils import timezone

from .context import current_request
from .models import AuditEvent, AuditIdentity

USER_AGENT_LENGTH = 200


def _label_of(user) -> str:
    name = (getattr(user, "full_name", "") or "").strip()
    email = getattr(user, "email", "") or ""
    return f"{name} <{email}>" if name else email


def audit_identity_for(*, user=None, label: str = "") -> AuditIdentity | None:
    """The identity row naming `user` (or, without a user, the typed `label`) in the log.

    One row per account and label, reused; a new one when the person's name or address
    has changed, so older events keep the name they had at the time.
    """
    if user is not None and getattr(user, "pk", None) is not None:
        label = _label_of(user)[:320]
        identity = (
            AuditIdentity.objects.filter(user=user, label=label, pseudonymised_at__isnull=True)
            .order_by("pk")
            .first()
        )
        return identity or AuditIdentity.objects.create(user=user, label=label)
    label = (label or "").strip()[:320]
    if not label:
        return None
    identity = (
        AuditIdentity.objects.filter(user=None, label=label, pseudonymised_at__isnull=True)
        .order_by("pk")
        .first()
    )
    return identity or AuditIdentity.objects.create(label=label)


def _client_address(request) -> str | None:
    """The visitor's address as the rate limits count it; None when it is not an address
    (PostgreSQL's inet column would refuse the event, and the event matters more)."""
    from apps.core.security import client_address

    address = client_address(request)
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def _consortium_id(organisation) -> int | None:
    if organisation is None:
        return None
    return organisation.consortium_id_or_self


@transaction.atomic
def audit_record(
    *,
    kind: str,
    actor=None,
    subject_user=None,
    organisation=None,
    object_repr: str = "",
    detail: dict | None = None,
    request=None,
    subject_label: str = "",
    organisation_id: int | None = None,
) -> AuditEvent:
    """Append one event to the audit log and return it.

    `actor` is the person who acted (None: the system, or the request's user when a
    request is given or being answered); `subject_user` the person the event concerns;
    `organisation` any organisation of the consortium the event belongs to (stored as
    the consortium). `object_repr` and `detail` name the object ("idea SKA-2026-0012"),
    never a person: people go in `actor`/`subject_user`, so that erasure can pseudonymise
    them. `subject_label` names a person without an account (a failed login's address);
    `organisation_id` gives the consortium by id when only the id is at hand.
    """
    if kind not in AuditEvent.Kind.values:
        raise ValueError(f"Unknown audit event kind: {kind!r}")
    request = request if request is not None else current_request.get()
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            actor = user
    event = AuditEvent(
        kind=kind,
        actor=audit_identity_for(user=actor),
        subject=audit_identity_for(user=subject_user, label=subject_label),
        organisation_id=_consortium_id(organisation) or organisation_id,
        object_repr=(object_repr or "")[:300],
        detail=detail or {},
    )
    if request is not None:
        event.ip_address = _client_address(request)
        event.user_agent = (request.META.get("HTTP_USER_AGENT") or "")[:USER_AGENT_LENGTH]
    event.save()
    return event


@transaction.atomic
def audit_pseudonymise_person(*, user, label: str) -> int:
    """Replace every name the audit log holds for `user` with `label` (a pseudonym).

    For erasure: the events stay, only the identities naming the person change — those
    linked to the account and those made by failed logins typed with the person's address.
    Returns how many identities were rewritten.
    """
    email = (getattr(user, "email", "") or "").strip()
    identities = AuditIdentity.objects.filter(user=user, pseudonymised_at__isnull=True)
    if email:
        identities = identities | AuditIdentity.objects.filter(
            user=None, label__iexact=email, pseudonymised_at__isnull=True
        )
    return identities.update(label=label[:320], pseudonymised_at=timezone.now())
