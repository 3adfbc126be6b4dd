"""Blind rounds: nothing the assessor can reach tells who handed the idea in.

Every page, download and email an assessor of a blind round meets is rendered, and the
output is searched for the submitter's name (whole and in parts), email address, phone
number, unit and workplace, the co-submitter, and what the submitter wrote in a message.
The same idea's page for its process leader shows them, so the search would find them.
"""

import re
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.assessments.redaction import MARKER, Redactor, identifiers
from apps.core.testing import make_user, submit_idea
from apps.ideas import services as idea_services
from apps.notifications.models import OutboxEmail

from .helpers import CO_SUBMITTER, SUBMITTER, form_data, move, open_round

MESSAGE = "Hej, det är jag igen. Ring mig på kvällen!"
FORBIDDEN = [
    SUBMITTER["name"],
    "Ingrid",
    "Idébärarsson",
    SUBMITTER["email"],
    "ingrid.idebararsson",
    SUBMITTER["phone"],
    "0701234567",
    "70 123 45 67",
    SUBMITTER["workplace"],
    "Vård och omsorg",  # the unit
    CO_SUBMITTER["name"],
    "Bertil",
    CO_SUBMITTER["email"],
    "Ring mig på kvällen",
]


def _leaks(text: str) -> list[str]:
    lowered = text.lower()
    return [word for word in FORBIDDEN if word.lower() in lowered]


def _file(name: str, body: bytes = b"Planen i korthet.\n") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, body, content_type="text/plain")


@pytest.fixture
def blind(world):
    """A blind round on an idea whose submitter wrote themselves into its texts, sent a
    message and files named after themselves; two assessors without access to the idea."""
    token = uuid.uuid4()
    idea_services.attachment_hold_for_form(
        upload_token=token, files=[_file(f"{SUBMITTER['name']} plan.txt")]
    )
    idea = submit_idea(
        world.skovde,
        unit=world.skovde_unit,
        submission_token=token,
        submitter_name=SUBMITTER["name"],
        submitter_email=SUBMITTER["email"],
        submitter_phone=SUBMITTER["phone"],
        workplace=SUBMITTER["workplace"],
        co_submitters=[idea_services.CoSubmitter(**CO_SUBMITTER)],
        title="Ingrids digitala läxhjälp",
        need="Elever på Vård och omsorg saknar stöd. Det har Ingrid sett länge.",
        solution=(
            f"Jag heter {SUBMITTER['name']} och jobbar på {SUBMITTER['workplace']}. Ring "
            f"+46 70 123 45 67 eller skriv till {SUBMITTER['email']}. Bertil hjälper till."
        ),
        beneficiaries="Elever och lärare.",
        expected_effects="Färre elever som ger upp.",
    )
    main = idea.submitters.get(is_primary=True)
    idea_services.idea_submitter_reply(
        submitter=main, body=MESSAGE, files=[_file("kontakt-ingrid.txt", b"Kontakt.\n")]
    )
    idea = move(world, move(world, idea, "capture"), "assess")
    guest = make_user("Gustav Gäst", email="gustav@hjo.se")
    round_ = open_round(world, idea, [world.employee, guest], blind=True)
    return round_, idea


def _check(what: str, text: str) -> None:
    leaks = _leaks(text)
    assert not leaks, f"{what} shows {leaks}"


def test_nothing_an_assessor_of_a_blind_round_meets_names_the_submitter(client, world, blind):
    round_, idea = blind
    assessor = world.employee
    client.force_login(assessor)
    round_url = reverse("assessments:round", kwargs={"round_id": round_.pk})
    score_url = reverse("assessments:score", kwargs={"round_id": round_.pk})

    # The invitation email.
    invitation = OutboxEmail.objects.get(kind="assessment_invited", recipient=assessor.email)
    _check("the invitation email", invitation.subject + "\n" + invitation.body)
    assert round_url in invitation.body

    # The round page: fresh, with a form error, with a draft, and after handing in.
    fresh = client.get(round_url)
    assert fresh.status_code == 200
    _check("the round page", fresh.content.decode())
    assert "läxhjälp" in fresh.content.decode()  # the idea itself is there
    assert MARKER in fresh.content.decode()  # with the names taken out of its texts
    error = client.post(score_url, form_data(round_, [3]))
    assert error.status_code == 400
    _check("the round page with errors", error.content.decode())
    draft = client.post(score_url, form_data(round_, [3], action="draft"), follow=True)
    _check("the round page with a draft", draft.content.decode())
    done = client.post(score_url, form_data(round_, [4] * 8), follow=True)
    assert done.status_code == 200
    _check("the round page after handing in", done.content.decode())

    # The list of the assessor's rounds.
    mine = client.get(reverse("assessments:mine"))
    assert mine.status_code == 200
    _check("my assessments", mine.content.decode())

    # Every file: its name on the page, the download's headers and its body.
    files = list(idea.attachments.all())
    assert len(files) == 2
    for attachment in files:
        response = client.get(
            reverse(
                "assessments:attachment",
                kwargs={"round_id": round_.pk, "attachment_id": attachment.pk},
            )
        )
        assert response.status_code == 200
        headers = "\n".join(f"{k}: {v}" for k, v in response.headers.items())
        _check(f"the headers of {attachment.pk}", headers)
        assert re.search(r'filename="[^"]+\.txt"', response["Content-Disposition"])
        _check(f"the body of {attachment.pk}", b"".join(response.streaming_content).decode())

    # The idea page and its files do not exist for the assessor.
    detail = client.get(reverse("ideas:detail", kwargs={"reference": idea.reference}))
    assert detail.status_code == 404
    _check("the idea page's 404", detail.content.decode())

    # Every email the assessor was ever sent.
    for email in OutboxEmail.objects.filter(recipient=assessor.email):
        _check(f"the email {email.kind}", email.subject + "\n" + email.body)


def test_the_search_would_find_the_submitter_where_it_may_be_shown(client, world, blind):
    """The control: the same words are on the idea page for the people who work it, and
    the round page shows them the texts unredacted."""
    round_, idea = blind
    client.force_login(world.process_leader)
    page = client.get(reverse("ideas:detail", kwargs={"reference": idea.reference}))
    found = set(FORBIDDEN) - set(_leaks(page.content.decode()))
    assert {SUBMITTER["name"], SUBMITTER["email"], "Vård och omsorg"}.isdisjoint(found)
    round_page = client.get(reverse("assessments:round", kwargs={"round_id": round_.pk}))
    assert SUBMITTER["name"] in round_page.content.decode()
    assert MARKER not in round_page.content.decode()


def test_in_an_open_round_the_assessor_sees_the_submitters_names_only(client, world):
    token = uuid.uuid4()
    idea_services.attachment_hold_for_form(upload_token=token, files=[_file("budget.txt")])
    idea = submit_idea(
        world.skovde,
        unit=world.skovde_unit,
        submission_token=token,
        submitter_name=SUBMITTER["name"],
        submitter_email=SUBMITTER["email"],
        submitter_phone=SUBMITTER["phone"],
    )
    idea = move(world, move(world, idea, "capture"), "assess")
    round_ = open_round(world, idea, [world.employee], blind=False)
    client.force_login(world.employee)
    page = client.get(reverse("assessments:round", kwargs={"round_id": round_.pk}))
    text = page.content.decode()
    assert SUBMITTER["name"] in text
    assert "budget.txt" in text
    assert SUBMITTER["email"] not in text and SUBMITTER["phone"] not in text


def test_the_redactor_takes_out_names_emails_phones_and_genitives():
    redact = Redactor(
        identifiers(
            names=["Ingrid Idébärarsson"],
            emails=["ingrid.i@skovde.se"],
            unit_name="Vård och omsorg",
            workplace="Solgården",
        ),
        phones=["070-123 45 67"],
    )
    text = (
        "Ingrids idé från Solgården (Vård och omsorg): ring 0701234567 eller +46 70-123 45 67, "
        "mejla INGRID.I@skovde.se. Idébärarssons kollega Ingridsson ringer."
    )
    assert redact(text) == (
        "[…] idé från […] ([…]): ring […] eller […], mejla […]. […] kollega Ingridsson ringer."
    )
    # Short name parts are too often ordinary words, so only the whole name goes.
    assert Redactor(identifiers(names=["Bo Ek"], emails=[]))("Bo Ek bor i en ek.") == (
        "[…] bor i en ek."
    )
