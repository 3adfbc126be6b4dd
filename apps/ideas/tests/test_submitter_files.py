"""The submitter's private page shows their own files, not the team's working material."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.core.testing import submit_idea
from apps.ideas import services


@pytest.mark.django_db
def test_files_added_by_the_team_stay_off_the_submitters_page(world, client):
    idea = submit_idea(world.skovde)
    submitter = idea.submitters.get(is_primary=True)
    services.idea_submitter_reply(
        submitter=submitter,
        body="Här är min skiss.",
        files=[SimpleUploadedFile("min-skiss.txt", b"Skiss\n")],
    )
    services.idea_add_attachments(
        idea=idea,
        actor=world.coach,
        files=[SimpleUploadedFile("intern-kalkyl.txt", b"Kalkyl\n")],
    )
    internal = idea.attachments.get(original_name="intern-kalkyl.txt")
    page = client.get(f"/follow/{submitter.access_token}/").content.decode()
    assert "min-skiss.txt" in page
    assert "intern-kalkyl.txt" not in page
    response = client.get(f"/follow/{submitter.access_token}/files/{internal.pk}/")
    assert response.status_code == 404
