"""What a user's roles open, as computed once per request."""

import pytest

from apps.core import testing
from apps.organisations.models import Role
from apps.organisations.selectors import access_for


@pytest.mark.django_db
def test_a_manager_manages_every_unit_below_their_unit(world):
    section = testing.make_unit(world.skovde_unit, "Hemtjänst")
    team = testing.make_unit(section, "Hemtjänst norr")
    other = testing.make_unit(world.skovde, "Kultur")
    access = access_for(world.manager)
    assert {world.skovde_unit.pk, section.pk, team.pk} <= access.manager_units
    assert other.pk not in access.manager_units


@pytest.mark.django_db
def test_roles_are_read_per_organisation(world):
    access = access_for(world.coach)
    assert access.coach_municipalities == frozenset({world.skovde.pk})
    assert not access.process_leader_consortia
    assert access_for(world.process_leader).process_leader_consortia == frozenset(
        {world.consortium.pk}
    )
    assert Role.COACH in access.roles
