"""A coach sees the board's columns before the first idea of their municipality arrives."""

import pytest

from apps.core.testing import submit_idea


@pytest.mark.django_db
def test_a_coach_without_ideas_still_sees_every_stage_as_a_column(world, client):
    submit_idea(world.skovde)  # an idea elsewhere; Hjo has none
    client.force_login(world.other_coach)
    page = client.get("/workspace/board/").content.decode()
    for name in ("Inkommen", "Fånga", "Pröva", "Testa", "Utveckla", "Sprida"):
        assert name in page
    assert 'class="card"' not in page
