"""`manage.py create_api_token EMAIL [--name NAME] [--expires-in-days N]`."""

import io

import pytest
from django.core.management import CommandError, call_command

from apps.api.models import ApiToken
from apps.core import testing


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("create_api_token", *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue()


def test_the_command_prints_a_working_token(client, world):
    testing.submit_idea(world.skovde)
    secret, note = run("COACH@skovde.se", "--name", "Nattlig export")
    token = ApiToken.objects.get()
    assert token.user == world.coach
    assert token.name == "Nattlig export"
    assert token.expires_at is None
    assert secret.startswith(token.prefix)
    assert "cannot be shown again" in note
    response = client.get("/api/v1/ideas", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_the_command_can_make_a_token_that_expires(world):
    run(world.coach.email, "--expires-in-days", "7")
    token = ApiToken.objects.get()
    assert (token.expires_at - token.created_at).days == 7


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nobody@example.se"], "Nobody has the email address"),
        (["coach@skovde.se", "--expires-in-days", "0"], "must be 1 or more"),
        (["coach@skovde.se", "--name", "  "], "Ge nyckeln ett namn"),
    ],
)
def test_the_command_refuses_clearly(world, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)
    assert not ApiToken.objects.exists()


def test_the_command_refuses_a_closed_account(world):
    world.coach.is_active = False
    world.coach.save(update_fields=["is_active"])
    with pytest.raises(CommandError, match="closed"):
        run(world.coach.email)
