"""Reads of newsletters: the public archive, the composer's drafts, private links."""

from django.db.models import QuerySet
from django.http import Http404

from apps.core.links import hash_token
from apps.organisations.models import Organisation
from apps.organisations.selectors import access_for

from . import policies
from .models import Newsletter, NewsletterBlock, Subscriber


def consortia_for_subscription() -> QuerySet[Organisation]:
    """Every active consortium: the newsletters one may subscribe to."""
    return Organisation.objects.filter(kind=Organisation.Kind.CONSORTIUM, is_active=True).order_by(
        "name"
    )


def archive_issues() -> QuerySet[Newsletter]:
    """Every issue whose sending has begun, newest first: public."""
    return (
        Newsletter.objects.exclude(status=Newsletter.Status.DRAFT)
        .select_related("consortium")
        .only("pk", "subject", "sent_at", "consortium__name")
        .order_by("-sent_at", "-pk")
    )


def archive_issue(*, newsletter_id: int) -> Newsletter:
    """One issue of the archive; a draft does not exist for the public."""
    issue = archive_issues().only(
        "pk", "subject", "sent_at", "consortium__name", "body_html", "intro"
    )
    try:
        return issue.get(pk=newsletter_id)
    except Newsletter.DoesNotExist:
        raise Http404 from None


def newsletters_for_composer(user) -> QuerySet[Newsletter]:
    """The issues of the consortia the user writes for: drafts first, then the sent."""
    access = access_for(user)
    return (
        Newsletter.objects.filter(consortium_id__in=policies.composer_consortium_ids(access))
        .select_related("consortium", "created_by")
        .order_by("-created_at", "-pk")
    )


def newsletter_for_composer(user, *, newsletter_id: int) -> Newsletter:
    """One issue for its composers; 404 alike for missing and not theirs."""
    try:
        return newsletters_for_composer(user).get(pk=newsletter_id)
    except Newsletter.DoesNotExist:
        raise Http404 from None


def block_of(newsletter: Newsletter, *, block_id: int) -> NewsletterBlock:
    try:
        return newsletter.blocks.get(pk=block_id)
    except NewsletterBlock.DoesNotExist:
        raise Http404 from None


def composer_consortia(user) -> QuerySet[Organisation]:
    """The consortia the user may start an issue for."""
    access = access_for(user)
    return Organisation.objects.filter(
        pk__in=policies.composer_consortium_ids(access), kind=Organisation.Kind.CONSORTIUM
    ).order_by("name")


def subscriber_by_confirm_token(token: str) -> Subscriber:
    try:
        return Subscriber.objects.select_related("consortium").get(
            confirm_token_hash=hash_token(token)
        )
    except Subscriber.DoesNotExist:
        raise Http404 from None


def subscriber_by_unsubscribe_token(token: str) -> Subscriber:
    try:
        return Subscriber.objects.select_related("consortium").get(
            unsubscribe_token_hash=hash_token(token)
        )
    except Subscriber.DoesNotExist:
        raise Http404 from None


def choosable_entries(newsletter: Newsletter) -> list:
    """The published showcase entries of the issue's consortium, newest first."""
    from . import rendering

    return rendering.published_entries(consortium_id=newsletter.consortium_id)


def confirmed_subscriber_count(newsletter: Newsletter) -> int:
    """How many would get the issue if it were sent now."""
    return Subscriber.objects.filter(
        consortium_id=newsletter.consortium_id, status=Subscriber.Status.CONFIRMED
    ).count()
