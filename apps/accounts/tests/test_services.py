"""Accounts that administrators create and end."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from apps.accounts import services
from apps.accounts.models import User
from apps.core import testing
from apps.ideas.services import idea_assign_owner

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_a_created_account_has_no_usable_password_and_a_lower_case_address():
    user = services.user_create(email="  Nina.Ny@Hjo.SE ", full_name=" Nina Ny ")
    user.refresh_from_db()
    assert (user.email, user.full_name, user.is_active) == ("nina.ny@hjo.se", "Nina Ny", True)
    assert not user.has_usable_password()
    assert not user.is_staff and not user.is_superuser


def test_an_address_is_used_once_whatever_its_case():
    services.user_create(email="nina@hjo.se", full_name="Nina")
    with pytest.raises(ValidationError) as caught:
        services.user_create(email="NINA@hjo.se", full_name="Nina igen")
    assert "email" in caught.value.error_dict
    assert User.objects.count() == 1


@pytest.mark.parametrize(("email", "name"), [("not-an-address", "Nina"), ("n@hjo.se", "")])
def test_an_account_needs_an_address_and_a_name(email, name):
    with pytest.raises(ValidationError):
        services.user_create(email=email, full_name=name)
    assert not User.objects.exists()


def test_deactivating_ends_the_account(world):
    user = services.user_deactivate(user=world.employee)
    assert not user.is_active
    assert not User.objects.get(pk=world.employee.pk).is_active


def test_an_owner_of_open_ideas_is_not_deactivated(world):
    idea = idea_assign_owner(
        idea=testing.submit_idea(world.skovde), actor=world.coach, owner=world.coach
    )
    with pytest.raises(ValidationError, match=idea.reference):
        services.user_deactivate(user=world.coach)
    assert User.objects.get(pk=world.coach.pk).is_active


def test_an_idea_without_owner_or_with_another_owner_does_not_block(world):
    testing.submit_idea(world.skovde)
    idea_assign_owner(
        idea=testing.submit_idea(world.skovde), actor=world.coach, owner=world.process_leader
    )
    services.user_deactivate(user=world.coach)
    assert not User.objects.get(pk=world.coach.pk).is_active
