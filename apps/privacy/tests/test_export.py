"""A person's data export: a ZIP of JSON and CSV per record type, their files, a README."""

import csv
import io
import json
import uuid
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.audit.models import AuditEvent
from apps.core import testing
from apps.ideas import services as idea_services
from apps.trainings.testing import make_course, make_session, register

EMAIL = "karin.export@skovde.se"


def _person_with_data(world):
    person = testing.make_user("Karin Export", email=EMAIL)
    token = uuid.uuid4()
    idea_services.attachment_hold_for_form(
        upload_token=token,
        files=[SimpleUploadedFile("skiss.txt", b"Min skiss.\n", content_type="text/plain")],
    )
    idea = testing.submit_idea(
        world.skovde,
        submitter_name="Karin Export",
        submitter_email=EMAIL,
        user=person,
        submission_token=token,
        title="Karins idé om cykelpooler",
    )
    idea_services.idea_submitter_reply(submitter=idea.submitters.get(), body="Mitt svar.")
    register(person, make_session(make_course(world), world.communicator), world.skovde)
    # Someone else's idea, which must not be in the export.
    testing.submit_idea(world.skovde, title="Någon annans idé", submitter_email="annan@hjo.se")
    return person, idea


def _zip(response) -> zipfile.ZipFile:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


@pytest.mark.django_db
def test_the_person_downloads_their_own_data(world, client):
    person, idea = _person_with_data(world)
    client.force_login(person)
    assert client.get(reverse("privacy:my_data")).status_code == 200
    archive = _zip(client.post(reverse("privacy:my_data")))
    names = set(archive.namelist())
    assert "README.txt" in names
    readme = archive.read("README.txt").decode()
    assert "ideas_idea.json" in readme and EMAIL in readme
    ideas = json.loads(archive.read("ideas_idea.json"))
    assert [row["reference"] for row in ideas] == [idea.reference]
    with archive.open("ideas_idea.csv") as handle:
        rows = list(csv.DictReader(io.TextIOWrapper(handle, "utf-8")))
    assert [row["title"] for row in rows] == ["Karins idé om cykelpooler"]
    assert json.loads(archive.read("accounts_user.json"))[0]["email"] == EMAIL
    messages = json.loads(archive.read("ideas_timelineentry.json"))
    assert "Mitt svar." in [row["body"] for row in messages]
    assert len(json.loads(archive.read("trainings_registration.json"))) == 1
    attachment = idea.attachments.get()
    path = f"attachments/{idea.reference}/{attachment.pk}-skiss.txt"
    assert archive.read(path) == b"Min skiss.\n"
    everything = b"".join(archive.read(name) for name in names)
    assert "Någon annans idé".encode() not in everything
    assert b"annan@hjo.se" not in everything
    assert b"Cecilia Coach" not in everything  # a coach's account is not theirs
    event = AuditEvent.objects.get(kind="personal_data_export")
    assert event.actor.user == person and event.subject.user == person


@pytest.mark.django_db
def test_each_person_gets_only_their_own_data(world, client):
    _person_with_data(world)
    client.force_login(world.employee)
    archive = _zip(client.post(reverse("privacy:my_data")))
    everything = b"".join(archive.read(name) for name in archive.namelist())
    assert EMAIL.encode() not in everything
    assert json.loads(archive.read("accounts_user.json"))[0]["email"] == world.employee.email


@pytest.mark.django_db
def test_an_administrator_exports_a_submitter_without_an_account(world, client):
    idea = testing.submit_idea(world.hjo, submitter_name="Nils Utan", submitter_email="nils@hjo.se")
    client.force_login(world.administrator)
    archive = _zip(client.post(reverse("privacy:person_export"), {"email": "NILS@hjo.se"}))
    submitters = json.loads(archive.read("ideas_submitter.json"))
    assert [(s["name"], s["idea__reference"]) for s in submitters] == [
        ("Nils Utan", idea.reference)
    ]
    assert "accounts_user.json" not in archive.namelist()
    event = AuditEvent.objects.get(kind="personal_data_export")
    assert event.actor.user == world.administrator


@pytest.mark.django_db
def test_an_unknown_address_is_not_exported(world, client):
    client.force_login(world.administrator)
    response = client.post(reverse("privacy:person_export"), {"email": "ingen@example.se"})
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(kind="personal_data_export").exists()
