"""Who may read the audit log."""

from apps.organisations.selectors import Access


def may_read_audit_log(access: Access) -> bool:
    """Administrators of a consortium (its events and its people's) and superusers (all)."""
    return access.is_superuser or bool(access.administrator_consortia)
