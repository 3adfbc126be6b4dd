"""Reads of the privacy work: who a person is (every name and address the sluice knows
them by) and whether an administrator may act for them."""

from django.db.models import Q
from django.http import Http404

from apps.accounts.models import User
from apps.ideas.models import Submitter
from apps.organisations.selectors import Access

from . import policies
from .registry import Person, records


def email_q_for(emails, lookup: str = "email") -> Q:
    """Rows whose `lookup` is one of `emails`, in any case (no rows for no address)."""
    q = Q(pk__in=[])
    for address in emails:
        q |= Q(**{f"{lookup}__iexact": address})
    return q


def person_for(*, user: User | None = None, email: str = "") -> Person:
    """The person behind an account or an address: the account (found by its address too),
    every address of theirs, and every name they handed ideas in or took part under."""
    email = (email or "").strip().lower()
    if user is None and email:
        user = User.objects.filter(email__iexact=email).first()
    emails: set[str] = {email} if email else set()
    if user is not None:
        emails.add(user.email.lower())
        from allauth.account.models import EmailAddress

        emails.update(
            e.lower()
            for e in EmailAddress.objects.filter(user=user).values_list("email", flat=True)
        )
    submitter_q = Q(email__in=[])
    for address in emails:
        submitter_q |= Q(email__iexact=address)
    if user is not None:
        submitter_q |= Q(user=user)
    submitters = list(
        Submitter.objects.filter(submitter_q).values_list("pk", "name", "email", "phone")
    )
    names = {name.strip() for _pk, name, _email, _phone in submitters if name.strip()}
    emails.update(address.lower() for _pk, _name, address, _phone in submitters if address)
    phones = {phone.strip() for *_rest, phone in submitters if phone.strip()}
    if user is not None and user.full_name.strip():
        names.add(user.full_name.strip())
    if user is not None and user.phone.strip():
        phones.add(user.phone.strip())
    from apps.meetings.models import Participant
    from apps.referrals.models import ExternalActor

    for model in (Participant, ExternalActor):
        q = Q(pk__in=[])
        for address in emails:
            q |= Q(email__iexact=address)
        names.update(n.strip() for n in model.objects.filter(q).values_list("name", flat=True) if n)
    phones.update(
        phone.strip()
        for phone in ExternalActor.objects.filter(email_q_for(emails)).values_list(
            "phone", flat=True
        )
        if phone.strip()
    )
    return Person(
        user=user,
        emails=frozenset(e for e in emails if e),
        names=frozenset(n for n in names if n),
        submitter_ids=frozenset(row[0] for row in submitters),
        phones=frozenset(phones),
    )


def _consortia_of(person: Person) -> set[int]:
    """The consortia a person is known in: roles, ideas, subscriptions, meetings, referrals."""
    from apps.meetings.models import Participant
    from apps.newsletters.models import Subscriber
    from apps.organisations.models import Membership
    from apps.referrals.models import ExternalActor

    found: set[int] = set()
    if person.user is not None:
        for organisation_id, consortium_id in Membership.objects.filter(
            user=person.user
        ).values_list("organisation_id", "organisation__consortium_id"):
            found.add(consortium_id or organisation_id)
    found.update(
        Submitter.objects.filter(pk__in=person.submitter_ids).values_list(
            "idea__consortium_id", flat=True
        )
    )
    email_q = Q(pk__in=[])
    for address in person.emails:
        email_q |= Q(email__iexact=address)
    found.update(Subscriber.objects.filter(email_q).values_list("consortium_id", flat=True))
    found.update(ExternalActor.objects.filter(email_q).values_list("consortium_id", flat=True))
    found.update(
        Participant.objects.filter(email_q).values_list("meeting__idea__consortium_id", flat=True)
    )
    return found


def person_is_known(person: Person) -> bool:
    return person.user is not None or any(
        record.rows is not None and record.rows(person).exists()
        for record in records()
        if record.label
        in (
            "ideas.Submitter",
            "newsletters.Subscriber",
            "meetings.Participant",
            "referrals.ExternalActor",
            "notifications.OutboxEmail",
        )
    )


def person_for_admin(access: Access, *, email: str) -> Person:
    """The person an administrator asks about, found by address in their consortia; 404
    alike for an unknown address and one known only elsewhere."""
    if not policies.may_administer_privacy(access):
        raise Http404
    person = person_for(email=email)
    if not person_is_known(person):
        raise Http404
    if not access.is_superuser and not (
        _consortia_of(person) & set(access.administrator_consortia)
    ):
        raise Http404
    return person


def person_rows(person: Person) -> list[tuple]:
    """(record type, the person's rows) for every record type with rows of its own."""
    return [(record, record.rows(person)) for record in records() if record.rows is not None]


def erasure_overview(person: Person) -> list[dict]:
    """What erasure would do, per record type: how many of the person's rows, and the rule."""
    overview = []
    for record, rows in person_rows(person):
        count = rows.count()
        if count:
            overview.append({"record": record, "count": count})
    return overview
