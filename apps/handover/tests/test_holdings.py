"""What a person holds, and the decision for every foreign key to the user model."""

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model

from apps.handover.selectors import MAY_STAY, MUST_MOVE, holdings_of, successor_candidates

from .scenario import make_leaver

pytestmark = pytest.mark.django_db


def _user_foreign_keys() -> set[str]:
    user_model = get_user_model()
    found = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if field.concrete and field.is_relation and field.related_model is user_model:
                found.add(f"{model._meta.label}.{field.name}")
    return found


def test_every_foreign_key_to_the_user_is_decided_once():
    decided = set(MUST_MOVE.values()) | set(MAY_STAY)
    undecided = _user_foreign_keys() - decided
    assert not undecided, f"Decide in handover/selectors.py: move or stay? {undecided}"
    assert not set(MUST_MOVE.values()) & set(MAY_STAY)
    gone = decided - _user_foreign_keys()
    assert not gone, f"No longer a foreign key to the user: {gone}"


def test_holdings_of_a_person_with_one_of_everything(world):
    leaver = make_leaver(world)
    holdings = holdings_of(leaver.person)

    assert {idea.pk for idea in holdings.items["ideas"]} == {idea.pk for idea in leaver.ideas}
    for kind, item in leaver.objects.items():
        assert [held.pk for held in holdings.items[kind]] == [item.pk], kind
    assert {m.role for m in holdings.memberships} == {"coach", "process_leader"}
    assert holdings.must_move
    assert leaver.ideas[0].reference in holdings.summary()


def test_closed_and_finished_things_are_not_held(world):
    from django.utils import timezone

    leaver = make_leaver(world)
    item = leaver.objects["action_items"]
    item.done_at = timezone.now()
    item.save(update_fields=["done_at"])
    referral = leaver.objects["referrals"]
    referral.revoked_at = timezone.now()
    referral.save(update_fields=["revoked_at"])

    holdings = holdings_of(leaver.person)
    assert holdings.items["action_items"] == []
    assert holdings.items["referrals"] == []


def test_a_person_without_anything_holds_nothing(world):
    holdings = holdings_of(world.other_coach)
    assert not holdings.must_move
    assert holdings.summary() == ""


def test_successor_candidates_are_active_working_roles_of_the_consortium(world):
    leaver = make_leaver(world)
    candidates = set(successor_candidates(leaver.person))
    assert {world.coach, world.other_coach, world.process_leader, world.communicator} <= candidates
    assert leaver.person not in candidates
    assert world.employee not in candidates and world.manager not in candidates
