"""Erasure: after it, the database holds the person's name and address nowhere but as a
pseudonym in the records kept as official documents (issue 7, acceptance)."""

import json
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from apps.audit.models import AuditEvent, AuditIdentity
from apps.audit.services import audit_record
from apps.core import testing
from apps.core.testing import PASSWORD, run_worker
from apps.ideas import services as idea_services
from apps.ideas.models import Idea, Submitter, TimelineEntry
from apps.ideas.services import CoSubmitter
from apps.meetings import services as meeting_services
from apps.newsletters import services as newsletter_services
from apps.privacy import selectors, services
from apps.privacy.models import Erasure
from apps.privacy.registry import KEEP, records
from apps.trainings.testing import make_course, make_session, register

NAME = "Åsa Zetterqvist-Blom"
EMAIL = "asa.zetterqvist@skovde.se"
PHONE = "0700-123 456"
OTHER_NAME = "Bo Bengtsson"


def build_person(world, client):
    """A person with an account who handed in an idea (with a co-submitter), is the
    co-submitter of another, wrote and got messages, was invited to a meeting, signed up
    for a training and the newsletter, and left a trail in the audit log."""
    person = testing.make_user(NAME, email=EMAIL)
    person.phone = PHONE
    person.save(update_fields=["phone"])
    EmailAddress.objects.create(user=person, email=EMAIL, primary=True, verified=True)
    own = testing.submit_idea(
        world.skovde,
        submitter_name=NAME,
        submitter_email=EMAIL,
        submitter_phone=PHONE,
        user=person,
        need=f"Jag, {NAME}, ser att föräldrar saknar stöd.",
        co_submitters=[CoSubmitter(name=OTHER_NAME, email="bo@skovde.se")],
    )
    theirs = testing.submit_idea(
        world.skovde, co_submitters=[CoSubmitter(name=NAME, email=EMAIL.upper())]
    )
    mine = own.submitters.get(email=EMAIL)
    idea_services.idea_submitter_reply(
        submitter=mine, body=f"Hälsningar {NAME}, nås på {EMAIL} eller {PHONE}."
    )
    idea_services.idea_message_submitters(idea=own, actor=world.coach, body=f"Hej {NAME}! Vi hörs.")
    idea_services.idea_add_note(idea=theirs, actor=world.coach, body=f"Ring {NAME} först.")
    meeting_services.meeting_create(
        idea=own,
        actor=world.coach,
        title=f"Möte med {NAME}",
        duration_minutes=60,
        starts=[timezone.now().replace(microsecond=0) + timedelta(days=3)],
        submitters=[mine],
    )
    session = make_session(make_course(world), world.communicator)
    register(person, session, world.skovde)
    newsletter_services.subscriber_subscribe(consortium=world.consortium, email=EMAIL)
    audit_record(kind="idea_viewed", actor=person, object_repr=own.reference)
    # A real login, a failed one (rate-limit counters and a failed-login identity).
    assert client.login(email=EMAIL, password=PASSWORD)
    client.logout()
    client.post(reverse("account_login"), {"login": EMAIL, "password": "fel"})
    client.force_login(person)
    return person, own, theirs


def dump() -> dict[str, list[tuple]]:
    """Every row of every table, third-party ones included, as raw SQL returns it."""
    rows = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            rows[table] = cursor.fetchall()
    return rows


def _text(cell) -> str:
    if isinstance(cell, bytes | memoryview):
        return bytes(cell).decode("utf-8", "replace")
    if isinstance(cell, dict | list):
        return json.dumps(cell, ensure_ascii=False)
    return str(cell)


def occurrences(terms: list[str]) -> dict[str, list[str]]:
    """Table → the cells holding one of `terms` (any case, also JSON-escaped)."""
    needles = {t.lower() for t in terms} | {json.dumps(t)[1:-1].lower() for t in terms}
    found: dict[str, list[str]] = {}
    for table, table_rows in dump().items():
        for row in table_rows:
            for cell in row:
                text = _text(cell).lower()
                if any(needle in text for needle in needles):
                    found.setdefault(table, []).append(_text(cell)[:120])
    # The ORM's view as well (values() of every model), decoded as the application sees it.
    for model in apps.get_models():
        for values in model._default_manager.all().values():
            text = json.dumps(values, default=str, ensure_ascii=False).lower()
            if any(needle in text for needle in needles):
                found.setdefault(model._meta.db_table, []).append(text[:120])
    return found


def kept_tables() -> set[str]:
    return {r.model._meta.db_table for r in records() if r.rule == KEEP}


@pytest.mark.django_db(transaction=True)
def test_after_erasure_the_dump_holds_the_person_only_as_a_pseudonym(world, client):
    person, own, theirs = build_person(world, client)
    run_worker()  # the emails leave, the task results stay in the database
    before = occurrences([NAME, EMAIL])
    # The scene really spreads the person over the database.
    for table in (
        "accounts_user",
        "ideas_submitter",
        "ideas_timelineentry",
        "ideas_idea",
        "notifications_outboxemail",
        "newsletters_subscriber",
        "account_emailaddress",
        "audit_auditidentity",
    ):
        assert table in before, table

    erasure = services.person_erase(
        actor=world.administrator, person=selectors.person_for(email=EMAIL)
    )

    after = occurrences([NAME, EMAIL, PHONE])
    # Nothing names the person, not even in the records flagged keep (their free text is
    # scrubbed too): the acceptance allows kept records only, and there only pseudonymised.
    assert not {t: c for t, c in after.items() if t not in kept_tables()}, after
    assert not after, after
    name, address = services.pseudonym_for(erasure.pk)
    person.refresh_from_db()
    assert (person.full_name, person.email, person.phone) == (name, address, "")
    assert not person.is_active and not person.has_usable_password()
    # Official documents are kept, with the pseudonym where the person was.
    assert Idea.objects.filter(pk__in=[own.pk, theirs.pk]).count() == 2
    assert set(Submitter.objects.filter(name=name).values_list("email", flat=True)) == {address}
    assert Submitter.objects.filter(name=name).count() == 2
    assert Submitter.objects.filter(name=OTHER_NAME).exists()  # nobody else is touched
    reply = TimelineEntry.objects.get(idea=own, kind=TimelineEntry.Kind.MESSAGE_FROM_SUBMITTER)
    assert name in reply.body and address in reply.body
    assert all(s.link_revoked_at for s in Submitter.objects.filter(name=name))
    # The audit log keeps its events; the erasure is recorded under the pseudonym.
    event = AuditEvent.objects.get(kind="erasure")
    assert event.subject.label.startswith(name)
    assert AuditIdentity.objects.filter(label=name).exists()
    assert Erasure.objects.get().erased_by == world.administrator


@pytest.mark.django_db
def test_a_submitter_without_an_account_is_erased_by_address(world):
    idea = testing.submit_idea(world.hjo, submitter_name=NAME, submitter_email=EMAIL)
    services.person_erase(actor=world.administrator, person=selectors.person_for(email=EMAIL))
    assert not occurrences([NAME, EMAIL])
    assert idea.submitters.get().email.endswith("@invalid")


@pytest.mark.django_db
def test_erasure_is_refused_while_the_person_owns_open_ideas(world):
    idea = testing.submit_idea(world.skovde)
    idea_services.idea_assign_owner(idea=idea, actor=world.coach, owner=world.coach)
    with pytest.raises(ValidationError) as refused:
        services.person_erase(
            actor=world.administrator, person=selectors.person_for(user=world.coach)
        )
    assert refused.value.code == "holds_open_work"
    world.coach.refresh_from_db()
    assert world.coach.full_name == "Cecilia Coach" and world.coach.is_active
    assert not Erasure.objects.exists()


@pytest.mark.django_db
def test_the_erasure_pages(world, client):
    testing.submit_idea(world.skovde, submitter_name=NAME, submitter_email=EMAIL)
    client.force_login(world.administrator)
    overview = client.post(reverse("privacy:people"), {"email": EMAIL})
    assert overview.status_code == 200
    assert b'data-record="ideas.Submitter" data-rule="pseudonymise"' in overview.content
    unconfirmed = client.post(reverse("privacy:person_erase"), {"email": EMAIL})
    assert unconfirmed.status_code == 400
    assert Submitter.objects.filter(email=EMAIL).exists()
    done = client.post(reverse("privacy:person_erase"), {"email": EMAIL, "confirm": "on"})
    assert done.status_code == 302
    assert not Submitter.objects.filter(email=EMAIL).exists()
    # The address is no longer known: the lookup says so on the form.
    again = client.post(reverse("privacy:people"), {"email": EMAIL})
    assert again.status_code == 400


@pytest.mark.django_db
def test_the_refusal_state_names_the_open_work(world, client):
    idea = testing.submit_idea(world.skovde)
    idea_services.idea_assign_owner(idea=idea, actor=world.coach, owner=world.coach)
    client.force_login(world.administrator)
    page = client.post(reverse("privacy:people"), {"email": world.coach.email})
    assert b'id="erasure-refused"' in page.content and b'id="erase-person"' not in page.content
    refused = client.post(
        reverse("privacy:person_erase"), {"email": world.coach.email, "confirm": "on"}
    )
    assert refused.status_code == 400


@pytest.mark.django_db
def test_an_administrator_of_another_consortium_does_not_find_the_person(world, client):
    testing.submit_idea(world.skovde, submitter_name=NAME, submitter_email=EMAIL)
    other = testing.make_consortium("Annat förbund", prefix="ANN")
    stranger = testing.make_user("Sara Annan", (testing.Role.ADMINISTRATOR, other))
    client.force_login(stranger)
    assert client.post(reverse("privacy:people"), {"email": EMAIL}).status_code == 400
    assert client.post(reverse("privacy:person_export"), {"email": EMAIL}).status_code == 404
    erase = client.post(reverse("privacy:person_erase"), {"email": EMAIL, "confirm": "on"})
    assert erase.status_code == 404
    assert Submitter.objects.filter(email=EMAIL).exists()
