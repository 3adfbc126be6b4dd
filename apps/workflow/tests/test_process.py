"""Editing the process through its pages (/process/…), and what the edits change.

Stages and allowed moves are data that process leaders edit; nobody else may (they get
404, as for a page that does not exist), a nonsensical move is refused with an error on
the page, and a newly allowed move is offered on the board at once.
"""

import html
import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from apps.core.testing import make_consortium, make_municipality, make_user, submit_idea
from apps.ideas.models import Idea, TimelineEntry
from apps.organisations.models import Role
from apps.workflow.models import Stage, Transition

PROCESS = "/process/"


def _stage(world, key: str) -> Stage:
    return Stage.objects.get(consortium=world.consortium, key=key)


def _swedish(message: str) -> str:
    with translation.override("sv"):
        return html.escape(gettext(message))


def _new_stage(**changes) -> dict:
    data = {
        "name_sv": "Förankra",
        "name_en": "Anchor",
        "description_sv": "Idén förankras hos ledningen.",
        "description_en": "The idea is anchored with management.",
        "position": "3",
        "target_days": "20",
        "is_active": "on",
    }
    data.update(changes)
    return data


def _card_options(page: str, reference: str) -> set[int]:
    """The stage ids offered in the "Move to" list of one card on the board."""
    card = re.search(rf'<li class="card" id="card-{re.escape(reference)}">.*?</li>', page, re.S)
    assert card, f"no card for {reference}"
    return {int(v) for v in re.findall(r'<option value="(\d+)"', card.group(0))}


def test_the_urls_are_where_the_pages_say():
    assert reverse("workflow:process") == PROCESS
    assert reverse("workflow:stage_new") == "/process/stages/new/"
    assert reverse("workflow:transition_add") == "/process/moves/"


def test_a_process_leader_adds_a_stage_through_the_page(world, client):
    client.force_login(world.process_leader)
    assert client.get(reverse("workflow:stage_new")).status_code == 200

    response = client.post(reverse("workflow:stage_new"), _new_stage())

    assert response.status_code == 302
    assert response["Location"] == PROCESS
    stage = Stage.objects.get(consortium=world.consortium, name_sv="Förankra")
    assert stage.key == "anchor"
    assert (stage.target_days, stage.position, stage.is_active) == (20, 3, True)
    assert not stage.is_initial and not stage.is_outcome
    assert "Förankra" in client.get(PROCESS).content.decode()


def test_two_stages_with_the_same_name_get_different_keys(world, client):
    client.force_login(world.process_leader)
    client.post(reverse("workflow:stage_new"), _new_stage())
    client.post(reverse("workflow:stage_new"), _new_stage(name_sv="Förankra igen"))
    keys = set(
        Stage.objects.filter(consortium=world.consortium, name_en="Anchor").values_list(
            "key", flat=True
        )
    )
    assert keys == {"anchor", "anchor-2"}


def test_a_stage_without_a_name_is_refused_on_the_page(world, client):
    client.force_login(world.process_leader)
    count = Stage.objects.count()
    response = client.post(reverse("workflow:stage_new"), _new_stage(name_sv=""))
    assert response.status_code == 400
    page = response.content.decode()
    assert 'class="error-summary"' in page
    assert 'href="#id_name_sv"' in page
    assert 'value="Anchor"' in page  # what was typed stays
    assert Stage.objects.count() == count


def test_a_process_leader_edits_a_stage(world, client):
    client.force_login(world.process_leader)
    capture = _stage(world, "capture")
    url = reverse("workflow:stage_edit", args=[capture.pk])
    response = client.post(
        url, _new_stage(name_sv="Fånga och forma", name_en="Capture", position="1")
    )
    assert response.status_code == 302
    capture.refresh_from_db()
    assert capture.name_sv == "Fånga och forma"
    assert capture.key == "capture"  # the key stays, so nothing that refers to it breaks


def test_a_process_leader_allows_a_move_through_the_page(world, client):
    client.force_login(world.process_leader)
    received, assess = _stage(world, "received"), _stage(world, "assess")
    assert not Transition.objects.filter(from_stage=received, to_stage=assess).exists()

    response = client.post(
        reverse("workflow:transition_add"),
        {"from_stage": received.pk, "to_stage": assess.pk, "coach_may": "on"},
    )

    assert response.status_code == 302
    assert response["Location"] == PROCESS
    move = Transition.objects.get(from_stage=received, to_stage=assess)
    assert (move.coach_may, move.process_leader_may) == (True, False)


def test_saving_an_existing_move_again_changes_who_may_make_it(world, client):
    client.force_login(world.process_leader)
    assess, test = _stage(world, "assess"), _stage(world, "test")
    client.post(
        reverse("workflow:transition_add"),
        {
            "from_stage": assess.pk,
            "to_stage": test.pk,
            "coach_may": "on",
            "process_leader_may": "on",
        },
    )
    move = Transition.objects.get(from_stage=assess, to_stage=test)
    assert (move.coach_may, move.process_leader_may) == (True, True)


def test_a_move_to_the_same_stage_is_refused_with_an_error(world, client):
    client.force_login(world.process_leader)
    capture = _stage(world, "capture")
    count = Transition.objects.count()

    response = client.post(
        reverse("workflow:transition_add"),
        {"from_stage": capture.pk, "to_stage": capture.pk, "process_leader_may": "on"},
    )

    assert response.status_code == 400
    page = response.content.decode()
    summary = re.search(r'<div class="error-summary".*?</div>', page, re.S)
    assert summary
    assert _swedish("A move must go to another stage.") in summary.group(0)
    assert Transition.objects.count() == count
    # The page is still the whole process page, with the form as it was filled in.
    assert re.search(rf'<option value="{capture.pk}" selected>', page)


def test_a_move_that_nobody_may_make_is_refused(world, client):
    client.force_login(world.process_leader)
    count = Transition.objects.count()
    response = client.post(
        reverse("workflow:transition_add"),
        {"from_stage": _stage(world, "received").pk, "to_stage": _stage(world, "assess").pk},
    )
    assert response.status_code == 400
    assert _swedish("Choose at least one role that may make the move.") in (
        response.content.decode()
    )
    assert Transition.objects.count() == count


def test_a_stage_of_another_consortium_cannot_be_used(world, client):
    other = make_consortium("Sjuhärads kommunalförbund", prefix="SJU")
    foreign = Stage.objects.get(consortium=other, key="assess")
    client.force_login(world.process_leader)
    count = Transition.objects.count()
    response = client.post(
        reverse("workflow:transition_add"),
        {"from_stage": _stage(world, "received").pk, "to_stage": foreign.pk, "coach_may": "on"},
    )
    assert response.status_code == 400
    assert 'href="#id_to_stage"' in response.content.decode()
    assert Transition.objects.count() == count
    # Nor may its stages be edited or its moves removed from here.
    assert client.get(reverse("workflow:stage_edit", args=[foreign.pk])).status_code == 404
    foreign_move = Transition.objects.filter(from_stage__consortium=other).first()
    url = reverse("workflow:transition_delete", args=[foreign_move.pk])
    assert client.post(url).status_code == 404
    assert Transition.objects.filter(pk=foreign_move.pk).exists()


@pytest.mark.parametrize(
    "who", ["coach", "other_coach", "manager", "communicator", "administrator", "employee"]
)
def test_only_process_leaders_reach_the_process_pages(world, client, who):
    client.force_login(getattr(world, who))
    stage = _stage(world, "capture")
    move = Transition.objects.filter(from_stage__consortium=world.consortium).first()
    stages, moves = Stage.objects.count(), Transition.objects.count()
    assert client.get(PROCESS).status_code == 404
    assert client.get(reverse("workflow:stage_new")).status_code == 404
    assert client.post(reverse("workflow:stage_new"), _new_stage()).status_code == 404
    assert client.get(reverse("workflow:stage_edit", args=[stage.pk])).status_code == 404
    edit = client.post(reverse("workflow:stage_edit", args=[stage.pk]), _new_stage())
    assert edit.status_code == 404
    add = client.post(
        reverse("workflow:transition_add"),
        {"from_stage": stage.pk, "to_stage": _stage(world, "test").pk, "coach_may": "on"},
    )
    assert add.status_code == 404
    assert client.post(reverse("workflow:transition_delete", args=[move.pk])).status_code == 404
    assert (Stage.objects.count(), Transition.objects.count()) == (stages, moves)
    stage.refresh_from_db()
    assert stage.name_sv == "Fånga"


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(PROCESS)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_a_newly_allowed_move_is_offered_on_the_board_and_works(world, client):
    idea = submit_idea(world.skovde)
    received, assess = _stage(world, "received"), _stage(world, "assess")
    client.force_login(world.coach)
    board = client.get(reverse("ideas:board")).content.decode()
    assert assess.pk not in _card_options(board, idea.reference)
    assert _stage(world, "capture").pk in _card_options(board, idea.reference)

    client.force_login(world.process_leader)
    client.post(
        reverse("workflow:transition_add"),
        {"from_stage": received.pk, "to_stage": assess.pk, "coach_may": "on"},
    )

    client.force_login(world.coach)
    board = client.get(reverse("ideas:board")).content.decode()
    assert assess.pk in _card_options(board, idea.reference)
    # And the coach can make it from the board.
    response = client.post(
        reverse("ideas:move", args=[idea.reference]),
        {"from": "board", "expected_stage": received.pk, "to_stage": assess.pk},
    )
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.stage == assess
    entry = idea.timeline.get(kind=TimelineEntry.Kind.STAGE_CHANGED)
    assert (entry.from_stage, entry.to_stage, entry.actor) == (received, assess, world.coach)


def test_a_removed_move_is_no_longer_offered_or_allowed(world, client):
    idea = submit_idea(world.skovde)
    received, capture = _stage(world, "received"), _stage(world, "capture")
    move = Transition.objects.get(from_stage=received, to_stage=capture)
    client.force_login(world.process_leader)
    response = client.post(reverse("workflow:transition_delete", args=[move.pk]))
    assert response.status_code == 302
    assert not Transition.objects.filter(pk=move.pk).exists()

    client.force_login(world.coach)
    board = client.get(reverse("ideas:board")).content.decode()
    assert capture.pk not in _card_options(board, idea.reference)
    client.post(
        reverse("ideas:move", args=[idea.reference]),
        {"from": "board", "expected_stage": received.pk, "to_stage": capture.pk},
    )
    assert Idea.objects.get(pk=idea.pk).stage == received


def test_a_new_stage_with_moves_becomes_a_column_on_the_board(world, client):
    client.force_login(world.process_leader)
    client.post(reverse("workflow:stage_new"), _new_stage())
    anchor = Stage.objects.get(consortium=world.consortium, key="anchor")
    client.post(
        reverse("workflow:transition_add"),
        {
            "from_stage": _stage(world, "assess").pk,
            "to_stage": anchor.pk,
            "process_leader_may": "on",
        },
    )
    columns = client.get(reverse("ideas:board")).context["columns"]
    assert anchor in [column.stage for column in columns]


def test_a_process_leader_of_another_consortium_does_not_edit_ours(world, client):
    other = make_consortium("Sjuhärads kommunalförbund", prefix="SJU")
    make_municipality(other, "Borås")
    leader = make_user("Sven Sjuhärad", (Role.PROCESS_LEADER, other))
    client.force_login(leader)
    ours = _stage(world, "capture")
    page = client.get(PROCESS).content.decode()
    assert "Sjuhärads kommunalförbund" in page
    assert client.get(reverse("workflow:stage_edit", args=[ours.pk])).status_code == 404
    response = client.post(
        reverse("workflow:transition_add"),
        {"from_stage": ours.pk, "to_stage": _stage(world, "test").pk, "coach_may": "on"},
    )
    assert response.status_code == 400
    assert not Transition.objects.filter(from_stage=ours, to_stage__key="test").exists()
