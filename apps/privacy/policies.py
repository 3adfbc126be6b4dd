"""Who may do what with personal data. A rule that says no makes the view answer 404."""

from apps.organisations.selectors import Access


def may_export_own_data(access: Access) -> bool:
    """Everyone with an account may download what the sluice holds about them."""
    return access.is_authenticated


def may_administer_privacy(access: Access) -> bool:
    """Administrators export and erase for the people of their consortium, and read the
    retention rules."""
    return access.administers
