from django.core import mail

from apps.core.testing import run_worker, submit_idea
from apps.ideas.models import Idea
from apps.notifications.models import OutboxEmail


def test_submitting_sends_a_receipt_with_the_private_link(transactional_db, world, client):
    idea = submit_idea(world.skovde, submitter_email="ida@skovde.se")
    assert idea.reference.startswith("SLU-")
    assert OutboxEmail.objects.filter(recipient="ida@skovde.se").exists()
    run_worker()
    receipt = next(m for m in mail.outbox if m.to == ["ida@skovde.se"])
    link = next(line for line in receipt.body.splitlines() if "/follow/" in line)
    path = link[link.index("/follow/") :]
    response = client.get(path)
    assert response.status_code == 200
    assert idea.title in response.content.decode()
    assert Idea.objects.count() == 1
    assert any(m.to == ["coach@skovde.se"] for m in mail.outbox)
    assert not any(m.to == ["coach@hjo.se"] for m in mail.outbox)
