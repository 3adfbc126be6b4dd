"""The recipient's private link: it opens its own referral only, shows only what was
shared, and an expired, revoked, mistyped or borrowed token never shows the idea."""

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.core.testing import submit_idea
from apps.ideas.models import Attachment
from apps.referrals.models import Referral, ReferralMessage
from apps.referrals.testing import idea_with_files, make_actor, send

pytestmark = pytest.mark.django_db

NEED = "Behovet-XYZ: föräldrar saknar stöd."
SOLUTION = "Lösningen-XYZ: en webbutbildning."
BENEFICIARIES = "Nyttan-XYZ: alla vårdnadshavare."
EFFECTS = "Effekten-XYZ: färre orosanmälningar."
NAME, EMAIL, PHONE = "Ida Idébärare-XYZ", "ida.xyz@skovde.se", "0500-123456"
WORKPLACE = "Arbetsplatsen-XYZ"


def _idea(world):
    return idea_with_files(
        world.skovde,
        unit=world.skovde_unit,
        workplace=WORKPLACE,
        title="Webbutbildning för föräldrar",
        need=NEED,
        solution=SOLUTION,
        beneficiaries=BENEFICIARIES,
        expected_effects=EFFECTS,
        submitter_name=NAME,
        submitter_email=EMAIL,
        submitter_phone=PHONE,
    )


def _urls(token: str, attachment_id: int) -> list[tuple[str, str]]:
    page = reverse("referrals:respond", kwargs={"token": token})
    file = reverse(
        "referrals:respond_file", kwargs={"token": token, "attachment_id": attachment_id}
    )
    return [("get", page), ("post", page), ("get", file)]


def _call(client, method: str, url: str):
    if method == "post":
        return client.post(url, {"intent": "question", "question-body": "Hallå?"})
    return client.get(url)


def _assert_no_idea(response, idea, referral) -> None:
    page = response.content.decode() if hasattr(response, "content") else ""
    for secret in (idea.title, idea.reference, referral.question, NEED, SOLUTION, NAME):
        assert secret not in page


def test_the_link_opens_the_referral(client, world):
    idea = _idea(world)
    referral = send(idea, world.coach, attachments=list(idea.attachments.all()))
    response = client.get(reverse("referrals:respond", kwargs={"token": referral.access_token}))
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    page = response.content.decode()
    assert idea.title in page and referral.question in page


@pytest.mark.parametrize("logged_in", [False, True])
def test_a_mistyped_or_made_up_token_does_not_exist(client, world, logged_in):
    idea = _idea(world)
    referral = send(idea, world.coach, attachments=list(idea.attachments.all()))
    if logged_in:
        client.force_login(world.process_leader)
    token = referral.access_token
    attachment = idea.attachments.first()
    for wrong in (
        token[:-2] + ("xx" if not token.endswith("xx") else "yy"),
        token.upper(),
        token[:-1],
        "not-a-token",
        idea.submitters.get().access_token,  # the submitter's link is no referral link
    ):
        for method, url in _urls(wrong, attachment.pk):
            response = _call(client, method, url)
            assert response.status_code == 404, f"{method} {url}"
            _assert_no_idea(response, idea, referral)
    assert not ReferralMessage.objects.exists()


@pytest.mark.parametrize("logged_in", [False, True])
def test_a_revoked_link_does_not_exist_even_for_someone_who_sees_the_idea(client, world, logged_in):
    idea = _idea(world)
    referral = send(idea, world.coach, attachments=list(idea.attachments.all()))
    Referral.objects.filter(pk=referral.pk).update(revoked_at=timezone.now())
    if logged_in:
        client.force_login(world.coach)
    for method, url in _urls(referral.access_token, idea.attachments.first().pk):
        response = _call(client, method, url)
        assert response.status_code == 404, f"{method} {url}"
        _assert_no_idea(response, idea, referral)
    assert not ReferralMessage.objects.exists()


def test_an_expired_link_is_gone_and_shows_nothing_of_the_idea(client, world):
    idea = _idea(world)
    referral = send(idea, world.coach, attachments=list(idea.attachments.all()))
    Referral.objects.filter(pk=referral.pk).update(expires_at=timezone.now())
    for method, url in _urls(referral.access_token, idea.attachments.first().pk):
        response = _call(client, method, url)
        assert response.status_code == 410, f"{method} {url}"
        _assert_no_idea(response, idea, referral)
        assert "plan.txt" not in response.content.decode()
    assert not ReferralMessage.objects.exists()


def test_a_link_expires_30_days_after_the_due_date(client, world):
    idea = _idea(world)
    referral = send(idea, world.coach)
    today = timezone.localdate()
    assert (timezone.localtime(referral.expires_at).date() - referral.due_date).days == 31
    assert not referral.is_expired(timezone.now())
    assert referral.is_expired(referral.expires_at)
    assert referral.due_date > today


def test_a_token_opens_only_its_own_referral_and_only_its_shared_files(client, world):
    first_idea, second_idea = _idea(world), idea_with_files(world.skovde, title="En annan idé")
    plan = first_idea.attachments.get(original_name="plan.txt")
    budget = first_idea.attachments.get(original_name="budget.txt")
    first = send(first_idea, world.coach, attachments=[plan])
    second = send(second_idea, world.coach, attachments=list(second_idea.attachments.all()))

    page = client.get(reverse("referrals:respond", kwargs={"token": first.access_token}))
    assert "En annan idé" not in page.content.decode()
    # This referral's shared file through its own link: fine.
    ok = client.get(
        reverse(
            "referrals:respond_file", kwargs={"token": first.access_token, "attachment_id": plan.pk}
        )
    )
    assert ok.status_code == 200
    assert b"".join(ok.streaming_content) == b"En plan.\n"
    for token, attachment in (
        (first.access_token, budget),  # the same idea's file, not shared
        (second.access_token, plan),  # another referral's token with this file
        (first.access_token, second_idea.attachments.first()),  # a file of another idea
    ):
        url = reverse(
            "referrals:respond_file", kwargs={"token": token, "attachment_id": attachment.pk}
        )
        assert client.get(url).status_code == 404, url
    # A file that does not exist at all answers the same.
    missing = reverse(
        "referrals:respond_file",
        kwargs={"token": first.access_token, "attachment_id": Attachment.objects.count() + 99},
    )
    assert client.get(missing).status_code == 404


def test_only_the_ticked_parts_are_shown_and_no_personal_data_unless_ticked(client, world):
    idea = _idea(world)
    plan = idea.attachments.get(original_name="plan.txt")
    referral = send(
        idea,
        world.coach,
        attachments=[plan],
        share_need=True,
        share_solution=False,
        share_beneficiaries=False,
        share_expected_effects=True,
    )
    page = client.get(
        reverse("referrals:respond", kwargs={"token": referral.access_token})
    ).content.decode()
    assert NEED in page and EFFECTS in page and "plan.txt" in page
    for hidden in (SOLUTION, BENEFICIARIES, NAME, EMAIL, PHONE, WORKPLACE, "budget.txt"):
        assert hidden not in page, hidden
    assert world.skovde_unit.name not in page
    # Nor is any of it in the email with the link.
    from apps.notifications.models import OutboxEmail

    email = OutboxEmail.objects.get(kind="referral_request")
    for hidden in (NEED, SOLUTION, NAME, EMAIL, PHONE, WORKPLACE):
        assert hidden not in email.body


def test_personal_data_is_shown_when_ticked(client, world):
    idea = _idea(world)
    referral = send(idea, world.coach, include_personal_data=True)
    page = client.get(
        reverse("referrals:respond", kwargs={"token": referral.access_token})
    ).content.decode()
    for shown in (NAME, EMAIL, PHONE, WORKPLACE):
        assert shown in page


def test_nothing_is_shared_but_the_title_when_nothing_is_ticked(client, world):
    idea = _idea(world)
    referral = send(idea, world.coach, share_need=False, share_solution=False)
    page = client.get(
        reverse("referrals:respond", kwargs={"token": referral.access_token})
    ).content.decode()
    assert idea.title in page
    for hidden in (NEED, SOLUTION, BENEFICIARIES, EFFECTS, NAME, "plan.txt"):
        assert hidden not in page


def test_the_recipient_answers_asks_and_reads_the_conversation(client, world):
    idea = _idea(world)
    actor = make_actor(world.consortium, name="Anna Expert")
    referral = send(idea, world.coach, to=actor)
    url = reverse("referrals:respond", kwargs={"token": referral.access_token})

    asked = client.post(url, {"intent": "question", "question-body": "Vilken budget finns?"})
    assert asked.status_code == 302 and asked["Location"] == url
    answered = client.post(url, {"intent": "answer", "answer-body": "Det går att patentera."})
    assert answered.status_code == 302
    page = client.get(url).content.decode()
    assert "Vilken budget finns?" in page and "Det går att patentera." in page
    referral.refresh_from_db()
    assert referral.answered_at is not None


def test_the_link_works_for_a_colleague_and_for_anyone_holding_it(client, world):
    idea = submit_idea(world.skovde)
    referral = send(idea, world.coach, colleague=world.other_coach)
    url = reverse("referrals:respond", kwargs={"token": referral.access_token})
    assert client.get(url).status_code == 200
    client.force_login(world.other_coach)
    assert client.get(url).status_code == 200
    mine = client.get(reverse("referrals:mine")).content.decode()
    assert url in mine
    client.force_login(world.coach)
    assert url not in client.get(reverse("referrals:mine")).content.decode()
