"""Administrators' writes: organisations, people and roles, and the rules that refuse them."""

import logging

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from apps.accounts.models import User
from apps.core import testing
from apps.ideas.services import idea_assign_owner, idea_move
from apps.organisations import services
from apps.organisations.models import Membership, Organisation, Role
from apps.organisations.selectors import access_for
from apps.workflow.models import Stage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The messages are checked in English (the msgids); Swedish is the default."""
    with translation.override("en"):
        yield


@pytest.fixture
def other(world):
    """A second consortium with a municipality, a unit and its own administrator."""
    consortium = testing.make_consortium("Fyrbodal", prefix="FYR")
    town = testing.make_municipality(consortium, "Uddevalla", 2000)
    unit = testing.make_unit(town, "Skola")
    admin = testing.make_user("Frida Fyr", (Role.ADMINISTRATOR, consortium), email="a@fyr.se")
    return consortium, town, unit, admin


def _owned_idea(world, owner=None):
    idea = testing.submit_idea(world.skovde)
    return idea_assign_owner(idea=idea, actor=world.coach, owner=owner or world.coach)


# --- Organisations ----------------------------------------------------------------------


def test_administrator_adds_a_municipality_and_units_under_it(world):
    town = services.organisation_create(
        actor=world.administrator, parent=world.consortium, name=" Tibro ", employee_count=900
    )
    assert (town.kind, town.name, town.employee_count) == ("municipality", "Tibro", 900)
    assert town.consortium == world.consortium and town.is_active
    unit = services.organisation_create(
        actor=world.administrator, parent=town, name="Skola", employee_count=5
    )
    sub = services.organisation_create(actor=world.administrator, parent=unit, name="Förskola")
    assert (unit.kind, unit.employee_count, unit.municipality) == ("unit", None, town)
    assert (sub.kind, sub.municipality, sub.consortium) == ("unit", town, world.consortium)


def test_two_parts_of_one_parent_cannot_share_a_name(world):
    with pytest.raises(ValidationError) as caught:
        services.organisation_create(
            actor=world.administrator, parent=world.consortium, name="skövde", employee_count=1
        )
    assert "name" in caught.value.error_dict
    # The same name under another parent is fine, and gets its own slug.
    first = services.organisation_create(actor=world.administrator, parent=world.hjo, name="IT")
    second = services.organisation_create(actor=world.administrator, parent=world.skovde, name="IT")
    assert first.slug == second.slug == "it"


@pytest.mark.parametrize("actor", ["coach", "process_leader", "manager", "employee"])
def test_only_administrators_add_organisations(world, actor):
    with pytest.raises(PermissionDenied):
        services.organisation_create(
            actor=getattr(world, actor), parent=world.consortium, name="X", employee_count=1
        )


def test_administrator_of_another_consortium_cannot_touch_this_one(world, other):
    _, town, _, admin = other
    with pytest.raises(PermissionDenied):
        services.organisation_create(actor=admin, parent=world.skovde, name="Smyg")
    with pytest.raises(PermissionDenied):
        services.organisation_update(actor=world.administrator, organisation=town, name="Mine")
    with pytest.raises(PermissionDenied):
        services.organisation_deactivate(actor=world.administrator, organisation=town)


def test_superuser_administers_every_consortium(world, other):
    root = User.objects.create_superuser(email="root@example.se", full_name="Root")
    _, town, _, _ = other
    services.organisation_update(actor=root, organisation=town, name="Uddevalla kommun")
    town.refresh_from_db()
    assert town.name == "Uddevalla kommun"


def test_editing_a_municipality_changes_name_and_employees(world):
    services.organisation_update(
        actor=world.administrator, organisation=world.hjo, name="Hjo kommun", employee_count=850
    )
    world.hjo.refresh_from_db()
    assert (world.hjo.name, world.hjo.employee_count) == ("Hjo kommun", 850)


def test_the_consortium_itself_is_not_edited_or_deactivated(world):
    with pytest.raises(PermissionDenied):
        services.organisation_update(
            actor=world.administrator, organisation=world.consortium, name="New"
        )
    with pytest.raises(PermissionDenied):
        services.organisation_deactivate(actor=world.administrator, organisation=world.consortium)


def test_deactivating_a_municipality_deactivates_its_units_and_ends_its_roles(world):
    sub = testing.make_unit(world.skovde_unit, "Hemtjänst")
    assert world.skovde.pk in access_for(world.coach).coach_municipalities
    count = services.organisation_deactivate(actor=world.administrator, organisation=world.skovde)
    assert count == 3
    assert not Organisation.objects.filter(
        pk__in=[world.skovde.pk, world.skovde_unit.pk, sub.pk], is_active=True
    ).exists()
    assert Organisation.objects.get(pk=world.hjo.pk).is_active
    coach = User.objects.get(pk=world.coach.pk)
    assert access_for(coach).coach_municipalities == frozenset()
    with pytest.raises(PermissionDenied):  # nothing is added under an inactive parent
        services.organisation_create(actor=world.administrator, parent=world.skovde, name="X")


def test_a_municipality_with_open_ideas_is_not_deactivated(world):
    idea = testing.submit_idea(world.skovde)
    with pytest.raises(ValidationError) as caught:
        services.organisation_deactivate(actor=world.administrator, organisation=world.skovde)
    assert idea.reference in caught.value.messages[0]
    assert Organisation.objects.get(pk=world.skovde.pk).is_active


# --- Roles ------------------------------------------------------------------------------


def test_granting_a_role_opens_access_and_is_logged(world, caplog):
    caplog.set_level(logging.INFO, logger="apps.organisations.services")
    membership = services.role_grant(
        actor=world.administrator, person=world.employee, role=Role.COACH, organisation=world.hjo
    )
    assert membership.pk
    assert world.hjo.pk in access_for(world.employee).coach_municipalities
    record = next(r for r in caplog.records if r.getMessage().startswith("role granted"))
    text = record.getMessage()
    assert record.levelno == logging.INFO
    for part in ("admin@skaraborg.se", "erik@skovde.se", "coach", "Hjo"):
        assert part in text


@pytest.mark.parametrize(
    ("role", "good", "bad"),
    [
        (Role.COACH, "skovde", ["consortium", "skovde_unit"]),
        (Role.MANAGER, "skovde_unit", ["consortium", "skovde"]),
        (Role.PROCESS_LEADER, "consortium", ["skovde", "skovde_unit"]),
        (Role.COMMUNICATOR, "consortium", ["skovde", "skovde_unit"]),
        (Role.ADMINISTRATOR, "consortium", ["skovde", "skovde_unit"]),
    ],
)
def test_each_role_is_held_in_its_kind_of_organisation(world, role, good, bad):
    for name in bad:
        with pytest.raises(ValidationError) as caught:
            services.role_grant(
                actor=world.administrator,
                person=world.employee,
                role=role,
                organisation=getattr(world, name),
            )
        assert "organisation" in caught.value.error_dict
    services.role_grant(
        actor=world.administrator,
        person=world.employee,
        role=role,
        organisation=getattr(world, good),
    )
    assert Membership.objects.filter(user=world.employee, role=role).count() == 1


def test_a_role_is_not_granted_twice(world):
    with pytest.raises(ValidationError, match="already holds"):
        services.role_grant(
            actor=world.administrator,
            person=world.coach,
            role=Role.COACH,
            organisation=world.skovde,
        )


def test_roles_are_granted_only_inside_the_administrators_consortium(world, other):
    _, town, _, admin = other
    with pytest.raises(PermissionDenied):
        services.role_grant(
            actor=world.administrator, person=world.employee, role=Role.COACH, organisation=town
        )
    with pytest.raises(PermissionDenied):
        services.role_grant(
            actor=admin, person=world.employee, role=Role.COACH, organisation=world.skovde
        )
    with pytest.raises(PermissionDenied):
        services.role_grant(
            actor=world.coach, person=world.employee, role=Role.COACH, organisation=world.hjo
        )


def test_revoking_a_role_closes_access_and_is_logged(world, caplog):
    caplog.set_level(logging.INFO, logger="apps.organisations.services")
    membership = world.coach.memberships.get()
    services.role_revoke(actor=world.administrator, membership=membership)
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert access_for(User.objects.get(pk=world.coach.pk)).coach_municipalities == frozenset()
    text = next(m for m in caplog.messages if m.startswith("role revoked"))
    assert "coach@skovde.se" in text and "Skövde" in text and "admin@skaraborg.se" in text


def test_a_coach_role_is_not_revoked_while_its_holder_owns_open_ideas_there(world):
    idea = _owned_idea(world)
    membership = world.coach.memberships.get(role=Role.COACH)
    with pytest.raises(ValidationError) as refused:
        services.role_revoke(actor=world.administrator, membership=membership)
    assert idea.reference not in str(refused.value)  # counted, not listed
    assert Membership.objects.filter(pk=membership.pk).exists()
    # Once the idea has another owner, the role goes.
    idea_assign_owner(idea=idea, actor=world.coach, owner=world.process_leader)
    services.role_revoke(actor=world.administrator, membership=membership)
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_a_process_leader_keeps_owning_ideas_after_giving_up_a_coach_role(world):
    services.role_grant(
        actor=world.administrator,
        person=world.process_leader,
        role=Role.COACH,
        organisation=world.skovde,
    )
    _owned_idea(world, owner=world.process_leader)
    membership = world.process_leader.memberships.get(role=Role.COACH)
    services.role_revoke(actor=world.administrator, membership=membership)
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_the_last_administrator_of_a_consortium_is_not_revoked(world):
    membership = world.administrator.memberships.get(role=Role.ADMINISTRATOR)
    with pytest.raises(ValidationError, match="last administrator"):
        services.role_revoke(actor=world.administrator, membership=membership)
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_an_administrator_may_step_down_when_another_remains(world):
    services.role_grant(
        actor=world.administrator,
        person=world.process_leader,
        role=Role.ADMINISTRATOR,
        organisation=world.consortium,
    )
    membership = world.administrator.memberships.get(role=Role.ADMINISTRATOR)
    services.role_revoke(actor=world.administrator, membership=membership)
    assert not access_for(world.administrator).administers


def test_a_deactivated_administrator_does_not_count_as_the_other_one(world):
    stand_in = testing.make_user("Ina Aktiv", (Role.ADMINISTRATOR, world.consortium))
    User.objects.filter(pk=stand_in.pk).update(is_active=False)
    membership = world.administrator.memberships.get(role=Role.ADMINISTRATOR)
    with pytest.raises(ValidationError, match="last administrator"):
        services.role_revoke(actor=world.administrator, membership=membership)


def test_roles_in_another_consortium_are_not_revoked(world, other):
    _, _, _, admin = other
    with pytest.raises(PermissionDenied):
        services.role_revoke(actor=admin, membership=world.coach.memberships.get())


# --- People -----------------------------------------------------------------------------


def test_adding_a_person_makes_an_account_without_password_and_grants_the_role(world):
    added = services.person_add(
        actor=world.administrator,
        full_name="Nina Ny",
        email=" Nina.Ny@Hjo.se ",
        role=Role.COACH,
        organisation=world.hjo,
    )
    person = User.objects.get(pk=added.person.pk)
    assert added.created
    assert (person.email, person.full_name, person.is_active) == ("nina.ny@hjo.se", "Nina Ny", True)
    assert not person.has_usable_password()
    assert world.hjo.pk in access_for(person).coach_municipalities


def test_adding_an_existing_address_gives_that_account_the_role(world):
    added = services.person_add(
        actor=world.administrator,
        full_name="Someone Else",
        email="ERIK@skovde.se",
        role=Role.MANAGER,
        organisation=world.skovde_unit,
    )
    assert not added.created and added.person == world.employee
    assert User.objects.get(pk=world.employee.pk).full_name == "Erik Anställd"
    assert User.objects.filter(email="erik@skovde.se").count() == 1


def test_a_refused_role_adds_no_person(world):
    with pytest.raises(ValidationError):
        services.person_add(
            actor=world.administrator,
            full_name="Nina Ny",
            email="nina@hjo.se",
            role=Role.MANAGER,
            organisation=world.hjo,
        )
    assert not User.objects.filter(email="nina@hjo.se").exists()


def test_a_deactivated_address_is_not_added_again(world):
    User.objects.filter(pk=world.employee.pk).update(is_active=False)
    with pytest.raises(ValidationError) as caught:
        services.person_add(
            actor=world.administrator,
            full_name="Erik",
            email="erik@skovde.se",
            role=Role.COACH,
            organisation=world.hjo,
        )
    assert "email" in caught.value.error_dict


def test_deactivating_a_person_ends_their_access(world):
    services.person_deactivate(actor=world.administrator, person=world.other_coach)
    person = User.objects.get(pk=world.other_coach.pk)
    assert not person.is_active
    assert access_for(person) == access_for(None)
    assert person.memberships.exists()  # kept for the record


def test_deactivating_a_person_who_owns_open_ideas_is_refused_and_names_them(world):
    idea = _owned_idea(world)
    with pytest.raises(ValidationError) as caught:
        services.person_deactivate(actor=world.administrator, person=world.coach)
    message = caught.value.messages[0]
    assert idea.reference in message and idea.title in message
    assert "without an owner" in message
    assert User.objects.get(pk=world.coach.pk).is_active


def test_ideas_at_an_outcome_do_not_block_deactivation(world):
    idea = _owned_idea(world)
    capture = Stage.objects.get(consortium=world.consortium, key="capture")
    closed = Stage.objects.get(consortium=world.consortium, key="closed")
    idea = idea_move(
        idea=idea, actor=world.coach, to_stage=capture, expected_stage_id=idea.stage_id
    )
    idea_move(
        idea=idea,
        actor=world.coach,
        to_stage=closed,
        expected_stage_id=capture.pk,
        reason="Finns redan.",
    )
    services.person_deactivate(actor=world.administrator, person=world.coach)
    assert not User.objects.get(pk=world.coach.pk).is_active


def test_nobody_deactivates_themselves(world):
    services.role_grant(
        actor=world.administrator,
        person=world.process_leader,
        role=Role.ADMINISTRATOR,
        organisation=world.consortium,
    )
    with pytest.raises(ValidationError, match="yourself"):
        services.person_deactivate(actor=world.administrator, person=world.administrator)


def test_the_last_administrator_is_not_deactivated(world):
    root = User.objects.create_superuser(email="root@example.se", full_name="Root")
    with pytest.raises(ValidationError, match="last administrator"):
        services.person_deactivate(actor=root, person=world.administrator)


def test_a_person_with_roles_in_another_consortium_is_left_to_its_administrators(world, other):
    _, town, _, admin = other
    Membership.objects.create(user=world.other_coach, organisation=town, role=Role.COACH)
    with pytest.raises(ValidationError, match="another consortium"):
        services.person_deactivate(actor=world.administrator, person=world.other_coach)
    with pytest.raises(ValidationError, match="another consortium"):
        services.person_deactivate(actor=admin, person=world.other_coach)
    root = User.objects.create_superuser(email="root@example.se", full_name="Root")
    services.person_deactivate(actor=root, person=world.other_coach)


def test_people_outside_the_consortium_are_not_deactivated(world, other):
    _, _, _, admin = other
    with pytest.raises(PermissionDenied):
        services.person_deactivate(actor=world.administrator, person=admin)
    with pytest.raises(PermissionDenied):
        services.person_deactivate(actor=world.coach, person=world.other_coach)
