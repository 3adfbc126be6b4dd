"""Moving from a page that has gone stale answers with a clear conflict, not a 404."""

import pytest

from apps.core.testing import submit_idea
from apps.ideas import services
from apps.workflow.models import Stage


@pytest.mark.django_db
def test_a_stale_move_after_someone_closed_the_idea_says_so(world, client):
    idea = submit_idea(world.skovde)
    stages = {s.key: s for s in Stage.objects.filter(consortium=world.consortium)}
    received = idea.stage_id
    # The process leader closes the idea while the coach still has the board open.
    services.idea_move(
        idea=idea,
        actor=world.process_leader,
        to_stage=stages["closed"],
        expected_stage_id=received,
        reason="Finns redan",
    )
    client.force_login(world.coach)
    response = client.post(
        f"/workspace/ideas/{idea.reference}/move/",
        {"to_stage": stages["capture"].pk, "expected_stage": received, "from": "board"},
        follow=True,
    )
    assert response.status_code == 200
    assert idea.reference in response.content.decode()
    idea.refresh_from_db()
    assert idea.stage == stages["closed"]
    assert next(str(m) for m in response.context["messages"]).startswith("Någon annan")
