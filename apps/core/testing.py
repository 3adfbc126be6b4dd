"""Builders for tests: a consortium with the default process, people with roles, ideas.

They go through the real services, so a test's data is made the way production makes it.
"""

import itertools
import uuid

from django.core.management import call_command

from apps.accounts.models import User
from apps.ideas import services as idea_services
from apps.ideas.models import Idea
from apps.organisations.models import Membership, Organisation, Role
from apps.workflow.services import process_seed_default

_counter = itertools.count(1)
PASSWORD = "correct-horse-battery-staple"  # noqa: S105 - test accounts only


def make_consortium(name: str = "Skaraborgs kommunalförbund", prefix: str = "SLU") -> Organisation:
    consortium = Organisation.objects.create(
        kind=Organisation.Kind.CONSORTIUM,
        name=name,
        slug=f"consortium-{next(_counter)}",
        reference_prefix=prefix,
    )
    process_seed_default(consortium=consortium)
    return consortium


def make_municipality(consortium: Organisation, name: str, employees: int = 1000) -> Organisation:
    return Organisation.objects.create(
        kind=Organisation.Kind.MUNICIPALITY,
        name=name,
        slug=f"m-{next(_counter)}",
        parent=consortium,
        employee_count=employees,
    )


def make_unit(parent: Organisation, name: str) -> Organisation:
    return Organisation.objects.create(
        kind=Organisation.Kind.UNIT, name=name, slug=f"u-{next(_counter)}", parent=parent
    )


def make_user(name: str = "", *roles: tuple[str, Organisation], email: str = "") -> User:
    number = next(_counter)
    user = User.objects.create_user(
        email=email or f"user{number}@example.se",
        password=PASSWORD,
        full_name=name or f"Person {number}",
    )
    for role, organisation in roles:
        Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


def submit_idea(municipality: Organisation, **overrides) -> Idea:
    number = next(_counter)
    fields = {
        "municipality": municipality,
        "unit": None,
        "workplace": "",
        "title": f"Idé nummer {number}",
        "need": "Föräldrar saknar stöd om barns psykiska ohälsa.",
        "solution": "En webbaserad föräldrautbildning.",
        "beneficiaries": "",
        "expected_effects": "",
        "consent_to_publish": False,
        "submitter_name": "Ida Idébärare",
        "submitter_email": f"ida{number}@example.se",
        "submitter_phone": "",
        "co_submitters": [],
        "submission_token": uuid.uuid4(),
        "language": "sv",
    }
    fields.update(overrides)
    return idea_services.idea_submit(**fields).idea


def run_worker() -> None:
    """Run the real task worker until the queue is empty.

    Needs a test with real commits (`transactional_db` or `live_server`): tasks are
    enqueued on commit, and the worker closes connections that sit inside a transaction.
    """
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


__all__ = [
    "PASSWORD",
    "Role",
    "make_consortium",
    "make_municipality",
    "make_unit",
    "make_user",
    "run_worker",
    "submit_idea",
]
