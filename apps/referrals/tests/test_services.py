"""Referral services: sending, answering, asking back, replying and withdrawing, each
with its timeline entry and its emails in the outbox; and the register's rules."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from apps.core import testing
from apps.ideas import services as idea_services
from apps.ideas.models import TimelineEntry
from apps.notifications.models import OutboxEmail
from apps.organisations.models import Role
from apps.referrals import services
from apps.referrals.models import Referral, ReferralMessage
from apps.referrals.testing import idea_with_files, make_actor, pdf, send

pytestmark = pytest.mark.django_db


def _outbox(recipient: str, kind: str = "") -> list[OutboxEmail]:
    emails = OutboxEmail.objects.filter(recipient=recipient).order_by("pk")
    return list(emails.filter(kind=kind) if kind else emails)


def test_sending_records_the_referral_puts_it_on_the_timeline_and_emails_the_link(world):
    idea = idea_with_files(world.skovde)
    actor = make_actor(world.consortium, email="anna@his.se")
    plan = idea.attachments.get(original_name="plan.txt")
    referral = send(idea, world.process_leader, to=actor, attachments=[plan])

    assert referral.external_actor == actor
    assert list(referral.shared_attachments.all()) == [plan]
    assert not referral.include_personal_data
    assert referral.expires_at > timezone.now() + timedelta(days=40)
    entry = idea.timeline.get(kind=TimelineEntry.Kind.REFERRAL_SENT)
    assert entry.actor == world.process_leader
    assert "Anna Expert" in entry.body and "patentera" in entry.body
    [email] = _outbox("anna@his.se", "referral_request")
    assert f"/referrals/r/{referral.access_token}/" in email.body
    assert idea.title in email.subject


def test_the_token_is_random_stored_only_as_a_hash_and_differs_from_the_submitter_link(world):
    idea = idea_with_files(world.skovde)
    first, second = send(idea, world.coach), send(idea, world.coach)
    assert len(first.link_salt) == 32  # 128 bits of randomness, hex
    assert first.access_token != second.access_token
    assert first.access_token not in first.token_hash
    assert len(first.access_token) >= 43  # HMAC-SHA256, base64
    submitter = idea.submitters.get()
    # The same salt under the submitter's purpose gives another token.
    from apps.ideas.models import token_from_salt

    assert token_from_salt(first.link_salt) != first.access_token
    assert submitter.access_token != first.access_token


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("coach", True),
        ("process_leader", True),
        ("other_coach", False),
        ("manager", False),
        ("communicator", False),
        ("employee", False),
    ],
)
def test_who_may_send(world, who, allowed):
    idea = idea_with_files(world.skovde)
    actor = make_actor(world.consortium)
    if allowed:
        assert send(idea, getattr(world, who), to=actor).pk
    else:
        with pytest.raises(PermissionDenied):
            send(idea, getattr(world, who), to=actor)


def test_sending_refuses_bad_input_with_errors_per_field(world):
    idea = idea_with_files(world.skovde)
    other_idea = idea_with_files(world.skovde)
    elsewhere = testing.make_consortium("Fyrbodal", prefix="FYR")
    foreign_actor = make_actor(elsewhere)
    with pytest.raises(ValidationError) as caught:
        send(
            idea,
            world.coach,
            to=foreign_actor,
            question="  ",
            due_date=timezone.localdate(),
            attachments=[other_idea.attachments.first()],
        )
    assert set(caught.value.error_dict) == {"recipient", "question", "due_date", "attachments"}
    assert not Referral.objects.exists()


def test_an_inactive_actor_or_an_outsider_colleague_cannot_be_sent_a_referral(world):
    idea = idea_with_files(world.skovde)
    actor = make_actor(world.consortium)
    services.external_actor_update(
        actor=world.process_leader,
        external_actor=actor,
        name=actor.name,
        organisation=actor.organisation,
        email=actor.email,
        is_active=False,
    )
    with pytest.raises(ValidationError):
        send(idea, world.coach, to=actor)
    with pytest.raises(ValidationError):
        send(idea, world.coach, colleague=world.employee)  # holds no role in the sluice


def test_a_colleague_gets_the_link_in_their_language_and_answers_under_their_name(world):
    idea = idea_with_files(world.skovde)
    world.other_coach.preferred_language = "en"
    world.other_coach.save()
    referral = send(idea, world.coach, colleague=world.other_coach)
    [email] = _outbox(world.other_coach.email, "referral_request")
    assert "A question for you" in email.subject

    services.referral_answer(referral=referral, body="Vi gjorde så i Hjo.")
    entry = idea.timeline.get(kind=TimelineEntry.Kind.REFERRAL_ANSWERED)
    assert entry.actor == world.other_coach
    assert entry.body == "Vi gjorde så i Hjo."


def test_an_answer_lands_on_the_timeline_with_its_files_and_tells_owner_and_sender(world):
    idea = idea_with_files(world.skovde)
    idea_services.idea_assign_owner(idea=idea, actor=world.coach, owner=world.coach)
    referral = send(idea, world.process_leader)
    before = idea.attachments.count()

    message = services.referral_answer(
        referral=referral, body="Ja, troligen.", files=[pdf("utlatande.pdf")]
    )

    referral.refresh_from_db()
    assert referral.answered_at is not None
    assert message.kind == ReferralMessage.Kind.ANSWER and message.author is None
    assert idea.attachments.count() == before + 1
    stored = idea.attachments.get(original_name="utlatande.pdf")
    assert list(message.attachments.all()) == [stored]
    answered = idea.timeline.get(kind=TimelineEntry.Kind.REFERRAL_ANSWERED)
    assert answered.body.startswith("Anna Expert, Högskolan i Skövde: Ja, troligen.")
    assert "utlatande.pdf" in answered.body
    assert idea.timeline.filter(
        kind=TimelineEntry.Kind.ATTACHMENT_ADDED, body="utlatande.pdf"
    ).exists()
    assert len(_outbox(world.coach.email, "referral_answered")) == 1
    assert len(_outbox(world.process_leader.email, "referral_answered")) == 1


def test_without_an_owner_the_municipality_s_coaches_are_told(world):
    idea = idea_with_files(world.skovde)
    second_coach = testing.make_user("Sara Coach", (Role.COACH, world.skovde))
    referral = send(idea, world.process_leader)
    services.referral_answer(referral=referral, body="Svar.")
    assert len(_outbox(world.coach.email, "referral_answered")) == 1
    assert len(_outbox(second_coach.email, "referral_answered")) == 1
    assert not _outbox(world.other_coach.email, "referral_answered")


def test_the_first_answer_sets_the_response_time_and_later_ones_do_not_move_it(world):
    idea = idea_with_files(world.skovde)
    referral = send(idea, world.coach)
    services.referral_answer(referral=referral, body="Första svaret.")
    referral.refresh_from_db()
    first = referral.answered_at
    services.referral_answer(referral=referral, body="Ett tillägg.")
    referral.refresh_from_db()
    assert referral.answered_at == first
    assert idea.timeline.filter(kind=TimelineEntry.Kind.REFERRAL_ANSWERED).count() == 2


def test_an_empty_answer_is_refused(world):
    referral = send(idea_with_files(world.skovde), world.coach)
    with pytest.raises(ValidationError):
        services.referral_answer(referral=referral, body="  ", files=[])


def test_a_question_back_and_the_sluice_s_reply(world):
    idea = idea_with_files(world.skovde)
    idea_services.idea_assign_owner(idea=idea, actor=world.coach, owner=world.coach)
    actor = make_actor(world.consortium, email="anna@his.se")
    referral = send(idea, world.coach, to=actor)

    services.referral_ask(referral=referral, body="Finns det en budget?")
    question = idea.timeline.get(kind=TimelineEntry.Kind.REFERRAL_QUESTION)
    assert question.body.endswith("Finns det en budget?")
    assert len(_outbox(world.coach.email, "referral_question")) == 1

    services.referral_reply(referral=referral, actor=world.coach, body="Ja, 50 000 kr.")
    [reply] = _outbox("anna@his.se", "referral_reply")
    assert "50 000 kr" in reply.body
    assert referral.access_token in reply.body
    assert list(referral.messages.values_list("kind", flat=True)) == ["question", "reply"]
    with pytest.raises(PermissionDenied):
        services.referral_reply(referral=referral, actor=world.manager, body="Hej")


def test_withdrawing_closes_the_link_tells_the_recipient_and_notes_it(world):
    idea = idea_with_files(world.skovde)
    actor = make_actor(world.consortium, email="anna@his.se")
    referral = send(idea, world.coach, to=actor)
    with pytest.raises(PermissionDenied):
        services.referral_revoke(referral=referral, actor=world.other_coach)

    services.referral_revoke(referral=referral, actor=world.process_leader)
    referral.refresh_from_db()
    assert referral.revoked_at is not None and referral.revoked_by == world.process_leader
    assert len(_outbox("anna@his.se", "referral_revoked")) == 1
    assert idea.timeline.filter(kind=TimelineEntry.Kind.NOTE, body__contains="Anna").exists()
    with pytest.raises(PermissionDenied):
        services.referral_answer(referral=referral, body="För sent?")
    with pytest.raises(PermissionDenied):
        services.referral_ask(referral=referral, body="Hallå?")
    # Withdrawing twice changes nothing and tells nobody again.
    services.referral_revoke(referral=referral, actor=world.coach)
    assert len(_outbox("anna@his.se", "referral_revoked")) == 1


def test_an_expired_link_takes_no_answer(world):
    referral = send(idea_with_files(world.skovde), world.coach)
    Referral.objects.filter(pk=referral.pk).update(expires_at=timezone.now())
    with pytest.raises(PermissionDenied):
        services.referral_answer(referral=referral, body="Svar.")


# --- The register ---------------------------------------------------------------------------


def test_the_register_keeps_one_entry_per_email_address(world):
    make_actor(world.consortium, email="Anna@HIS.se")
    with pytest.raises(ValidationError) as caught:
        make_actor(world.consortium, email="anna@his.se")
    assert "email" in caught.value.error_dict
    # Another consortium has its own register.
    assert make_actor(testing.make_consortium("Fyrbodal", "FYR"), email="anna@his.se").pk


def test_coaches_and_process_leaders_of_the_consortium_keep_the_register(world):
    actor = services.external_actor_create(
        actor=world.other_coach,
        consortium=world.consortium,
        name="Bo Rådgivare",
        organisation="Almi",
        email="bo@almi.se",
    )
    services.external_actor_update(
        actor=world.coach,
        external_actor=actor,
        name="Bo Rådgivare",
        organisation="Almi Väst",
        email="bo@almi.se",
    )
    for outsider in (world.manager, world.communicator, world.administrator, world.employee):
        with pytest.raises(PermissionDenied):
            services.external_actor_create(
                actor=outsider,
                consortium=world.consortium,
                name="X",
                organisation="Y",
                email="x@y.se",
            )
    elsewhere = testing.make_consortium("Fyrbodal", "FYR")
    leader = testing.make_user("Lena", (Role.PROCESS_LEADER, elsewhere))
    with pytest.raises(PermissionDenied):
        services.external_actor_update(
            actor=leader,
            external_actor=actor,
            name="Bo",
            organisation="Almi",
            email="bo@almi.se",
        )
