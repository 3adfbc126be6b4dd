"""The list's owner filter offers the people who may own the ideas in view (the coaches
of the municipalities and the process leaders of the consortia), read from the roles
rather than from every idea in scope, and still the owner a link filters by."""

from apps.core import testing
from apps.core.testing import submit_idea
from apps.ideas import services
from apps.organisations.models import Membership, Role

LIST = "/workspace/ideas/"


def _offered(client, query=None) -> set[int]:
    response = client.get(LIST, query or {})
    assert response.status_code == 200
    return {value for value, _label in response.context["form"].fields["owner"].choices}


def test_the_owner_choices_are_the_people_who_may_own_the_ideas_in_view(world, client):
    elsewhere = testing.make_consortium("Fyrbodal", prefix="FYR")
    stranger = testing.make_user(
        "Sam Annan", (Role.COACH, testing.make_municipality(elsewhere, "Uddevalla"))
    )
    everyone_here = {world.coach.pk, world.other_coach.pk, world.process_leader.pk}

    client.force_login(world.process_leader)
    assert _offered(client) == {"", 0, *everyone_here}
    # A coach's and a manager's ideas may be owned by their municipality's coaches and
    # the consortium's process leaders.
    client.force_login(world.coach)
    assert _offered(client) == {"", 0, world.coach.pk, world.process_leader.pk}
    client.force_login(world.manager)
    assert _offered(client) == {"", 0, world.coach.pk, world.process_leader.pk}
    # Nobody from another consortium, not even by asking for them.
    client.force_login(world.process_leader)
    assert stranger.pk not in _offered(client, {"owner": stranger.pk})


def test_an_owner_without_the_role_any_more_is_offered_when_asked_for(world, client):
    idea = submit_idea(world.skovde)
    former = testing.make_user("Fia Förra", (Role.COACH, world.skovde))
    services.idea_assign_owner(idea=idea, actor=world.process_leader, owner=former)
    Membership.objects.filter(user=former).delete()
    client.force_login(world.coach)

    assert former.pk not in _offered(client)
    response = client.get(LIST, {"owner": former.pk})
    assert former.pk in {value for value, _ in response.context["form"].fields["owner"].choices}
    assert [row.pk for row in response.context["page"].object_list] == [idea.pk]
    # Someone who owns nothing the coach sees is not offered by asking for them.
    assert world.other_coach.pk not in _offered(client, {"owner": world.other_coach.pk})
