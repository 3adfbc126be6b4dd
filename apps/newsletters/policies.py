"""Who may do what with newsletters. Every rule of the app is here.

Subscribing, confirming, unsubscribing and the archive are public. Composing, previewing
and sending an issue belong to the consortium's communicators and process leaders; for
everyone else a draft does not exist (404).
"""

from apps.organisations.selectors import Access


def composer_consortium_ids(access: Access) -> frozenset[int]:
    """The consortia whose newsletter the user writes."""
    return access.communicator_consortia | access.process_leader_consortia


def may_compose_anywhere(access: Access) -> bool:
    return bool(composer_consortium_ids(access))


def can_compose(access: Access, newsletter) -> bool:
    return newsletter.consortium_id in composer_consortium_ids(access)


def can_edit(access: Access, newsletter) -> bool:
    """Only a draft changes; what was sent stays as it was sent."""
    return can_compose(access, newsletter) and newsletter.is_draft
