"""Who may do what with trainings. Every rule of the app is here; a rule that says no
makes the view answer 404.

The course list and course pages are public (the trainings are how the sluice builds an
innovation culture, and an invitation to them should be shareable); registering needs
an account. Communicators and process leaders of a consortium run its trainings.
"""

from apps.organisations.selectors import Access


def managed_consortia(access: Access) -> frozenset[int]:
    """The consortia whose trainings this person runs."""
    return access.communicator_consortia | access.process_leader_consortia


def may_manage_trainings(access: Access) -> bool:
    return bool(managed_consortia(access)) or access.is_superuser


def can_manage_course(access: Access, course) -> bool:
    return access.is_superuser or course.consortium_id in managed_consortia(access)


def can_register(access: Access) -> bool:
    """Any logged-in person may sign up; the form asks for whom they take part."""
    return access.is_authenticated
