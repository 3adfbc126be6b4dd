"""A referral in a real Chromium, with axe-core (WCAG 2.1 A/AA) on every page and state.

A process leader finds an expert in the register and sends a referral from the idea
page; the expert opens the link from the email in the outbox, asks a question back, gets
the reply, and answers with a file; the idea's owner is told by email and finds the
answer on the timeline. The error states of every form on the way are checked too, and
the expert's page once its link has expired.

Elements are found by id and name, and assertions are on data, so the test holds in
both languages whatever the translation catalogue says.
"""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from apps.core.testing import run_worker
from apps.core.tests.browser import assert_accessible, chromium, log_in, new_page
from apps.ideas import services as idea_services
from apps.ideas.models import TimelineEntry
from apps.referrals.models import Referral
from apps.referrals.testing import idea_with_files, make_actor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EXPERT_EMAIL = "anna.expert@his.se"
QUESTION = "Går idén att patentera, och vad skulle det kosta?"
QUESTION_BACK = "Finns det en prototyp jag kan titta på?"
REPLY = "Inte än, men en skiss finns i planen."
ANSWER = "Ja, troligen. Se mitt utlåtande i filen."
PDF = b"%PDF-1.4\n% utlatande\n"


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


def visit(page, path: str, *, status: int = 200) -> None:
    response = page.goto(path)
    assert response is not None
    assert response.status == status, f"{path} answered {response.status}"


def submit(page, form_selector: str, *, status: int | None = None) -> None:
    """Press the form's submit button and wait for the answer page (and its status)."""
    with page.expect_navigation() as navigation:
        page.locator(form_selector).locator("[type=submit]").first.click()
    if status is not None:
        assert navigation.value is not None
        # A redirect's final page is what the browser shows; check that one.
        assert navigation.value.status == status, f"{page.url} answered {navigation.value.status}"


def assert_error_summary_focused(page) -> None:
    assert page.locator("#error-summary").is_visible()
    assert page.evaluate("document.activeElement.id") == "error-summary"


def test_a_referral_from_sending_to_the_answer_on_the_timeline(browser, live_server, world):
    idea = idea_with_files(world.skovde, title="Webbutbildning för föräldrar")
    idea_services.idea_assign_owner(idea=idea, actor=world.coach, owner=world.coach)
    actor = make_actor(world.consortium, name="Anna Expert", email=EXPERT_EMAIL)
    plan = idea.attachments.get(original_name="plan.txt")
    run_worker()
    mail.outbox.clear()

    with (
        new_page(browser, live_server.url) as leader,
        new_page(browser, live_server.url) as expert,
        new_page(browser, live_server.url) as owner,
    ):
        log_in(leader, live_server.url, world.process_leader)

        # --- The register: the list and the add form with its errors. ---------------------
        visit(leader, "/referrals/actors/")
        assert leader.locator("table").inner_text().count("Anna Expert") == 1
        assert_accessible(leader, "register of outside actors")
        visit(leader, "/referrals/actors/new/")
        assert_accessible(leader, "add an outside actor")
        leader.fill("#id_email", "inte-en-adress")
        submit(leader, "main form", status=400)
        assert_error_summary_focused(leader)
        assert leader.locator("#id_email").input_value() == "inte-en-adress"
        assert_accessible(leader, "add an outside actor, with errors")

        # --- From the idea page to the referral form. ------------------------------------
        visit(leader, f"/workspace/ideas/{idea.reference}/")
        assert_accessible(leader, "idea page without referrals")
        with leader.expect_navigation():
            leader.locator(f"a[href='/referrals/new/{idea.reference}/']").click()
        assert_accessible(leader, "referral form")

        # Sent with nothing chosen: the errors, with the focus on their summary.
        leader.fill("#id_due_date", "")
        submit(leader, "main form", status=400)
        assert_error_summary_focused(leader)
        for field in ("recipient", "question", "due_date"):
            assert leader.locator(f"#error-summary a[href='#id_{field}']").count() == 1
        assert_accessible(leader, "referral form, with errors")

        # Filled in and sent.
        leader.select_option("#id_recipient", f"actor-{actor.pk}")
        leader.fill("#id_question", QUESTION)
        leader.check("#id_share_expected_effects")
        leader.check(f"input[name=attachments][value='{plan.pk}']")
        due = timezone.localdate() + timedelta(days=10)
        leader.fill("#id_due_date", due.isoformat())
        submit(leader, "main form", status=200)
        assert leader.url.endswith(f"/workspace/ideas/{idea.reference}/")
        referral = Referral.objects.get()
        assert referral.external_actor == actor and referral.due_date == due
        assert list(referral.shared_attachments.all()) == [plan]
        assert leader.locator(f"#referral-{referral.pk}").count() == 1
        assert_accessible(leader, "idea page with a referral")

        # --- The expert gets the link by email (sent by the real worker). ---------------
        run_worker()
        [request] = [m for m in mail.outbox if m.to == [EXPERT_EMAIL]]
        link = re.search(r"https?://\S+(/referrals/r/[^/\s]+/)", request.body)
        assert link, request.body
        expert_path = link.group(1)

        visit(expert, expert_path)
        assert QUESTION in expert.locator("main").inner_text()
        assert expert.locator(f"a[href='{expert_path}files/{plan.pk}/']").count() == 1
        page_text = expert.locator("main").inner_text()
        assert idea.solution in page_text  # shared by default
        assert idea.submitters.get().name not in page_text  # personal data not shared
        assert_accessible(expert, "expert's page")

        # An empty answer: the errors, focused.
        submit(expert, "form:has(input[name=intent][value=answer])", status=400)
        assert_error_summary_focused(expert)
        assert expert.locator("#error-summary a[href='#id_answer-body']").count() == 1
        assert_accessible(expert, "expert's page, empty answer")

        # A question back, and the sluice's reply on the referral's page.
        expert.fill("#id_question-body", QUESTION_BACK)
        submit(expert, "form:has(input[name=intent][value=question])", status=200)
        assert QUESTION_BACK in expert.locator(".timeline").inner_text()
        assert_accessible(expert, "expert's page after the question")

        visit(leader, f"/referrals/{referral.pk}/")
        assert QUESTION_BACK in leader.locator(".timeline").inner_text()
        assert_accessible(leader, "referral page with a question")
        submit(leader, "form[action$='/reply/']", status=400)
        assert_error_summary_focused(leader)
        assert_accessible(leader, "referral page, empty reply")
        leader.fill("#id_reply-body", REPLY)
        submit(leader, "form[action$='/reply/']", status=200)

        run_worker()
        replies = [m for m in mail.outbox if m.to == [EXPERT_EMAIL]]
        assert len(replies) == 2 and REPLY in replies[1].body
        assert expert_path in replies[1].body

        # --- The answer, with a file. ----------------------------------------------------
        visit(expert, expert_path)
        assert REPLY in expert.locator(".timeline").inner_text()
        expert.fill("#id_answer-body", ANSWER)
        expert.set_input_files(
            "#id_answer-attachments",
            files=[{"name": "utlatande.pdf", "mimeType": "application/pdf", "buffer": PDF}],
        )
        submit(expert, "form:has(input[name=intent][value=answer])", status=200)
        assert ANSWER in expert.locator(".timeline").inner_text()
        assert_accessible(expert, "expert's page after answering")

        # --- The owner is told by email and finds the answer on the idea. ---------------
        run_worker()
        told = [m for m in mail.outbox if m.to == [world.coach.email]]
        assert len(told) == 2  # the question back, then the answer
        assert QUESTION_BACK in told[0].body
        assert idea.reference in told[1].subject and ANSWER in told[1].body
        assert "utlatande.pdf" in told[1].body
        entry = idea.timeline.get(kind=TimelineEntry.Kind.REFERRAL_ANSWERED)
        assert ANSWER in entry.body
        stored = idea.attachments.get(original_name="utlatande.pdf")
        assert stored.file.read() == PDF

        log_in(owner, live_server.url, world.coach)
        visit(owner, f"/workspace/ideas/{idea.reference}/")
        assert ANSWER in owner.locator(".timeline").inner_text()
        assert owner.locator(f"a[href$='/files/{stored.pk}/']").count() == 1
        assert_accessible(owner, "idea page with the answer")

        # --- The workspace's other referral pages. ---------------------------------------
        visit(leader, f"/referrals/{referral.pk}/")
        assert_accessible(leader, "referral page, answered")
        visit(leader, f"/referrals/{referral.pk}/revoke/")
        assert_accessible(leader, "withdraw, confirm")
        Referral.objects.filter(pk=referral.pk).update(
            due_date=timezone.localdate() - timedelta(days=3), answered_at=None
        )
        visit(leader, "/referrals/overdue/")
        assert leader.locator(f"a[href='/referrals/{referral.pk}/']").count() == 1
        assert_accessible(leader, "overdue referrals")
        visit(leader, "/referrals/mine/")
        assert_accessible(leader, "referrals to me, none")

        # --- Once the link has expired, the page is gone and shows nothing of the idea. --
        Referral.objects.filter(pk=referral.pk).update(expires_at=timezone.now())
        visit(expert, expert_path, status=410)
        text = expert.locator("main").inner_text()
        assert idea.title not in text and QUESTION not in text
        assert_accessible(expert, "expert's page, link expired")
