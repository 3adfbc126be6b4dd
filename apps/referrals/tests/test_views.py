"""Referral pages: forms that come back with errors, who reaches what across municipalities
and consortia, the register's search, the overdue list, and the idea page's section."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import capfirst

from apps.core import testing
from apps.ideas.models import TimelineEntry
from apps.organisations.models import Role
from apps.referrals import services
from apps.referrals.models import ExternalActor, Referral
from apps.referrals.testing import idea_with_files, make_actor, pdf, send

pytestmark = pytest.mark.django_db


def _page(response) -> str:
    return response.content.decode()


# --- Forms with errors: status 400, the error summary, the values kept --------------------


def test_the_referral_form_comes_back_with_errors_and_the_values_typed(client, world):
    idea = idea_with_files(world.skovde)
    actor = make_actor(world.consortium)
    client.force_login(world.coach)
    url = reverse("referrals:new", kwargs={"reference": idea.reference})

    empty = client.post(url, {})
    assert empty.status_code == 400
    page = _page(empty)
    assert 'id="error-summary"' in page
    for field in ("recipient", "question", "due_date"):
        assert f'href="#id_{field}"' in page

    typed = client.post(
        url,
        {
            "recipient": f"actor-{actor.pk}",
            "question": "Går det att patentera?",
            "share_beneficiaries": "on",
            "include_personal_data": "on",
            "attachments": [idea.attachments.first().pk],
            "due_date": timezone.localdate().isoformat(),  # today: too soon
        },
    )
    assert typed.status_code == 400
    page = _page(typed)
    assert 'href="#id_due_date"' in page
    assert "Går det att patentera?" in page
    assert f'value="actor-{actor.pk}" selected' in page
    form = typed.context["form"]
    assert form["share_beneficiaries"].value() and form["include_personal_data"].value()
    assert not Referral.objects.exists()

    sent = client.post(
        url,
        {
            "recipient": f"actor-{actor.pk}",
            "question": "Går det att patentera?",
            "share_need": "on",
            "due_date": (timezone.localdate() + timedelta(days=10)).isoformat(),
        },
    )
    assert sent.status_code == 302
    assert sent["Location"] == reverse("ideas:detail", kwargs={"reference": idea.reference})
    referral = Referral.objects.get()
    assert referral.share_need and not referral.share_solution
    assert not referral.include_personal_data


def test_the_recipient_s_forms_come_back_with_errors(client, world):
    referral = send(idea_with_files(world.skovde), world.coach)
    url = reverse("referrals:respond", kwargs={"token": referral.access_token})

    empty = client.post(url, {"intent": "answer", "answer-body": ""})
    assert empty.status_code == 400
    assert 'href="#id_answer-body"' in _page(empty)

    bad_file = client.post(
        url,
        {
            "intent": "answer",
            "answer-body": "Mitt svar, som ska finnas kvar.",
            "answer-attachments": pdf("program.exe"),
        },
    )
    assert bad_file.status_code == 400
    page = _page(bad_file)
    assert "Mitt svar, som ska finnas kvar." in page
    assert 'href="#id_answer-attachments"' in page

    question = client.post(url, {"intent": "question", "question-body": ""})
    assert question.status_code == 400
    page = _page(question)
    assert 'href="#id_question-body"' in page
    assert page.count('id="error-summary"') == 1
    assert not referral.messages.exists()


def test_the_actor_form_comes_back_with_errors(client, world):
    make_actor(world.consortium, email="anna@his.se")
    client.force_login(world.coach)
    url = reverse("referrals:actor_new")
    response = client.post(
        url, {"name": "Anna Andra", "organisation": "Högskolan", "email": "ANNA@his.se"}
    )
    assert response.status_code == 400
    page = _page(response)
    assert 'href="#id_email"' in page and "Anna Andra" in page
    response = client.post(url, {"name": "", "organisation": "", "email": "nej"})
    assert response.status_code == 400
    assert ExternalActor.objects.count() == 1


def test_the_reply_form_comes_back_with_errors(client, world):
    referral = send(idea_with_files(world.skovde), world.coach)
    client.force_login(world.coach)
    response = client.post(
        reverse("referrals:reply", kwargs={"referral_id": referral.pk}), {"reply-body": ""}
    )
    assert response.status_code == 400
    assert 'href="#id_reply-body"' in _page(response)


# --- Who reaches what --------------------------------------------------------------------


def test_a_coach_of_another_municipality_cannot_refer_or_withdraw_or_read(client, world):
    idea = idea_with_files(world.skovde)
    referral = send(idea, world.coach)
    client.force_login(world.other_coach)
    for method, name, kwargs in (
        ("get", "referrals:new", {"reference": idea.reference}),
        ("post", "referrals:new", {"reference": idea.reference}),
        ("get", "referrals:detail", {"referral_id": referral.pk}),
        ("get", "referrals:revoke", {"referral_id": referral.pk}),
        ("post", "referrals:revoke", {"referral_id": referral.pk}),
        ("post", "referrals:reply", {"referral_id": referral.pk}),
    ):
        response = getattr(client, method)(reverse(name, kwargs=kwargs), {"reply-body": "x"})
        assert response.status_code == 404, f"{method} {name}"
    referral.refresh_from_db()
    assert referral.revoked_at is None


def test_another_consortium_sees_nothing_of_this_one(client, world):
    idea = idea_with_files(world.skovde)
    referral = send(idea, world.coach)
    actor = referral.external_actor
    elsewhere = testing.make_consortium("Fyrbodal", prefix="FYR")
    uddevalla = testing.make_municipality(elsewhere, "Uddevalla")
    own_actor = make_actor(elsewhere, name="Fyrbodals expert")
    for person in (
        testing.make_user("Lena", (Role.PROCESS_LEADER, elsewhere)),
        testing.make_user("Ulf", (Role.COACH, uddevalla)),
    ):
        client.force_login(person)
        for method, name, kwargs in (
            ("get", "referrals:actor_edit", {"actor_id": actor.pk}),
            ("post", "referrals:actor_edit", {"actor_id": actor.pk}),
            ("get", "referrals:new", {"reference": idea.reference}),
            ("get", "referrals:detail", {"referral_id": referral.pk}),
            ("post", "referrals:revoke", {"referral_id": referral.pk}),
        ):
            response = getattr(client, method)(
                reverse(name, kwargs=kwargs),
                {"name": "Kapad", "organisation": "X", "email": "x@y.se"},
            )
            assert response.status_code == 404, f"{person} {method} {name}"
        register = _page(client.get(reverse("referrals:actors")))
        assert own_actor.name in register and actor.name not in register
        assert "0</span>" in register  # no referrals of this consortium in their figures
        assert not client.get(reverse("referrals:overdue")).context["page"].object_list
    actor.refresh_from_db()
    assert actor.name == "Anna Expert"
    assert Referral.objects.get().revoked_at is None


def test_a_process_leader_of_the_consortium_withdraws_after_confirming(client, world):
    idea = idea_with_files(world.skovde)
    referral = send(idea, world.coach)
    client.force_login(world.process_leader)
    url = reverse("referrals:revoke", kwargs={"referral_id": referral.pk})
    assert client.get(url).status_code == 200
    referral.refresh_from_db()
    assert referral.revoked_at is None
    assert client.post(url).status_code == 302
    referral.refresh_from_db()
    assert referral.revoked_by == world.process_leader
    # Asking again only says it is done.
    assert client.get(url).status_code == 302


def test_the_manager_reads_the_referral_but_cannot_act_on_it(client, world):
    idea = idea_with_files(world.skovde, unit=world.skovde_unit)
    referral = send(idea, world.coach)
    client.force_login(world.manager)
    page = _page(client.get(reverse("referrals:detail", kwargs={"referral_id": referral.pk})))
    assert referral.question in page
    assert reverse("referrals:revoke", kwargs={"referral_id": referral.pk}) not in page
    assert 'name="reply-body"' not in page
    idea_page = _page(client.get(reverse("ideas:detail", kwargs={"reference": idea.reference})))
    assert referral.external_actor.name in idea_page
    assert reverse("referrals:new", kwargs={"reference": idea.reference}) not in idea_page


# --- The register -------------------------------------------------------------------------


def test_the_register_is_searched_by_name_organisation_and_expertise(client, world):
    for name, organisation, expertise in (
        ("Anna Patent", "Högskolan", "IP"),
        ("Bo Bygg", "Almi", "Finansiering"),
        ("Cia Design", "RISE", "Tjänstedesign"),
    ):
        make_actor(
            world.consortium,
            name=name,
            organisation=organisation,
            expertise=expertise,
            email=f"{name.split()[0].lower()}@example.se",
        )
    client.force_login(world.coach)
    url = reverse("referrals:actors")

    def names(query: str) -> set[str]:
        page = client.get(url, {"q": query}).context["page"]
        return {a.name for a in page.object_list}

    assert names("") == {"Anna Patent", "Bo Bygg", "Cia Design"}
    assert names("almi") == {"Bo Bygg"}
    assert names("tjänstedesign") == {"Cia Design"}
    assert names("anna högskolan") == {"Anna Patent"}
    assert names("anna almi") == set()


def test_the_register_is_paginated(client, world):
    for number in range(30):
        make_actor(world.consortium, name=f"Expert {number:02d}")
    client.force_login(world.process_leader)
    first = client.get(reverse("referrals:actors"))
    assert len(first.context["page"].object_list) == 25
    assert 'rel="next"' in _page(first)
    second = client.get(reverse("referrals:actors"), {"page": 2})
    assert len(second.context["page"].object_list) == 5


def test_an_actor_is_edited_and_made_inactive(client, world):
    actor = make_actor(world.consortium, email="anna@his.se")
    client.force_login(world.other_coach)
    response = client.post(
        reverse("referrals:actor_edit", kwargs={"actor_id": actor.pk}),
        {"name": "Anna Expert", "organisation": "HiS", "email": "anna@his.se"},
    )
    assert response.status_code == 302
    actor.refresh_from_db()
    assert actor.organisation == "HiS" and not actor.is_active
    idea = idea_with_files(world.skovde)
    client.force_login(world.coach)
    form = client.get(reverse("referrals:new", kwargs={"reference": idea.reference}))
    assert f"actor-{actor.pk}" not in _page(form)


# --- The workspace ------------------------------------------------------------------------


def test_overdue_referrals_are_listed_for_those_who_work_the_ideas(client, world):
    idea = idea_with_files(world.skovde, title="Skövdes idé")
    hjo_idea = idea_with_files(world.hjo, title="Hjos idé")
    late = send(idea, world.coach)
    on_time = send(idea, world.coach)
    answered = send(idea, world.coach)
    hjo_late = send(hjo_idea, world.other_coach)
    yesterday = timezone.localdate() - timedelta(days=1)
    Referral.objects.filter(pk__in=[late.pk, answered.pk, hjo_late.pk]).update(due_date=yesterday)
    services.referral_answer(referral=answered, body="Klart.")

    client.force_login(world.coach)
    listed = list(client.get(reverse("referrals:overdue")).context["page"].object_list)
    assert listed == [late]
    client.force_login(world.process_leader)
    listed = set(client.get(reverse("referrals:overdue")).context["page"].object_list)
    assert listed == {late, hjo_late}
    assert on_time not in listed
    # On the idea page the overdue one says so, marked as a warning.
    page = _page(client.get(reverse("ideas:detail", kwargs={"reference": idea.reference})))
    with translation.override("sv"):
        label = capfirst(str(Referral.Status.OVERDUE.label))
    assert page.count(f'<strong class="warning-text">{label}</strong>') == 1


def test_the_idea_page_section_shows_status_and_waiting_questions(client, world):
    idea = idea_with_files(world.skovde)
    referral = send(idea, world.coach)
    services.referral_ask(referral=referral, body="Vad kostar det?")
    client.force_login(world.coach)
    response = client.get(reverse("ideas:detail", kwargs={"reference": idea.reference}))
    page = _page(response)
    assert reverse("referrals:detail", kwargs={"referral_id": referral.pk}) in page
    assert reverse("referrals:new", kwargs={"reference": idea.reference}) in page
    assert reverse("referrals:revoke", kwargs={"referral_id": referral.pk}) in page
    assert referral.messages.get().kind == "question"
    assert "Vad kostar det?" in page  # on the timeline
    assert idea.timeline.filter(kind=TimelineEntry.Kind.REFERRAL_QUESTION).exists()


def _idea_page_queries(client, reference: str) -> int:
    url = reverse("ideas:detail", kwargs={"reference": reference})
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_the_idea_page_runs_as_many_queries_for_many_referrals_as_for_one(client, world):
    one, many = idea_with_files(world.skovde), idea_with_files(world.skovde)
    send(one, world.coach)
    actor = make_actor(world.consortium)
    for number in range(8):
        referral = send(many, world.coach, to=actor if number % 2 else None)
        services.referral_ask(referral=referral, body=f"Fråga {number}")
        if number % 3 == 0:
            services.referral_answer(referral=referral, body="Svar", files=[pdf()])
        if number == 5:
            services.referral_revoke(referral=referral, actor=world.coach)
    send(many, world.coach, colleague=world.other_coach)
    for person in (world.coach, world.process_leader):
        client.force_login(person)
        assert _idea_page_queries(client, one.reference) == _idea_page_queries(
            client, many.reference
        )


def _queries(client, url: str) -> int:
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def _overdue(referral) -> None:
    Referral.objects.filter(pk=referral.pk).update(
        due_date=timezone.localdate() - timedelta(days=2)
    )


def test_the_list_and_conversation_pages_run_as_many_queries_for_many_rows(client, world):
    idea = idea_with_files(world.skovde)
    first = send(idea, world.coach, colleague=world.other_coach)
    _overdue(first)
    services.referral_ask(referral=first, body="Fråga")
    services.referral_answer(referral=first, body="Svar", files=[pdf()])
    services.referral_reply(referral=first, actor=world.coach, body="Tack")
    _overdue(send(idea, world.coach))  # one outside actor, one overdue referral
    pages = {
        world.process_leader: [
            reverse("referrals:actors"),
            reverse("referrals:overdue"),
            reverse("referrals:detail", kwargs={"referral_id": first.pk}),
        ],
        world.other_coach: [reverse("referrals:mine")],
        None: [reverse("referrals:respond", kwargs={"token": first.access_token})],
    }

    def measure() -> dict:
        counts = {}
        for person, urls in pages.items():
            client.logout()
            if person:
                client.force_login(person)
            for url in urls:
                counts[url] = _queries(client, url)
        return counts

    few = measure()
    for number in range(30):
        referral = send(
            idea_with_files(world.skovde if number % 2 else world.hjo),
            world.process_leader,
            colleague=world.other_coach if number % 3 == 0 else None,
        )
        _overdue(referral)
        if number % 4 == 0:
            services.referral_answer(referral=referral, body="Svar", files=[pdf()])
    for number in range(10):
        services.referral_ask(referral=first, body=f"Fråga {number}")
        services.referral_answer(referral=first, body=f"Svar {number}", files=[pdf(), pdf()])
        services.referral_reply(referral=first, actor=world.coach, body=f"Tack {number}")
    assert measure() == few
