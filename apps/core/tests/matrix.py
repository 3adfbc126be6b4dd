"""The permission matrix: every URL pattern of the project × every kind of visitor.

Each row says how to call one named URL (its arguments, its method, the form it posts)
and what each actor must get back. The rule of the project (DESIGN.md §2) is that
whatever a role may not see answers 404, exactly like something that does not exist;
pages behind a login send anonymous visitors to the login page instead.

`test_permission_matrix.py` fails for any URL pattern that is neither a row here nor in
the commented exemptions below, so a new view cannot ship without someone deciding who
may reach it.
"""

import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.urls import URLResolver, get_resolver, reverse

from apps.core import testing
from apps.ideas import services as idea_services
from apps.ideas.models import Attachment, Idea
from apps.organisations.models import Organisation
from apps.workflow.models import Stage, Transition

# --- Actors ----------------------------------------------------------------------------

#: Who knocks. "submitter" is an anonymous browser that holds the private link of the
#: idea's main submitter; on every other URL it is simply anonymous.
ACTORS = (
    "anonymous",
    "submitter",
    "coach",  # coach of Skövde, the idea's municipality
    "other_coach",  # coach of Hjo
    "process_leader",
    "communicator",
    "administrator",
    "manager",  # manager of the idea's unit in Skövde
    "employee",  # an account without any role
)

#: Actors that log in; each is the attribute of the same name on the `world` fixture.
LOGGED_IN = ACTORS[2:]


# --- Outcomes --------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """What an actor may get back: the acceptable status codes, and whether a redirect
    must go to the login page (only for anonymous visitors) or must not."""

    label: str
    codes: frozenset[int]
    to_login: bool = False

    def check(self, response: HttpResponse, *, what: str) -> None:
        status = response.status_code
        assert status in self.codes, (
            f"{what}: expected {self.label} {sorted(self.codes)}, got {status}"
            + (f" → {response['Location']}" if status in (301, 302, 303) else "")
        )
        if status in (301, 302, 303):
            went_to_login = urlsplit(response["Location"]).path == reverse("account_login")
            # A "redirect" that is really a bounce to the login page would hide a
            # missing permission behind an acceptable status code, and the reverse.
            assert went_to_login == self.to_login, (
                f"{what}: redirect to {response['Location']} "
                f"{'should' if self.to_login else 'should not'} go to the login page"
            )


OK = Outcome("the page", frozenset({200}))
HIDDEN = Outcome("not found", frozenset({404}))
LOGIN = Outcome("the login page", frozenset({302}), to_login=True)
#: An allowed write: done and redirected, or the form shown again with its errors.
WRITE = Outcome("an accepted write", frozenset({200, 302, 303, 400}))
#: Sent on somewhere other than the login page.
AWAY = Outcome("a redirect", frozenset({302}))


def expect(
    *,
    anonymous: Outcome,
    submitter: Outcome,
    coach: Outcome,
    other_coach: Outcome,
    process_leader: Outcome,
    communicator: Outcome,
    administrator: Outcome,
    manager: Outcome,
    employee: Outcome,
) -> dict[str, Outcome]:
    """One row's answers. Keyword-only and without defaults, so no actor is forgotten."""
    return {
        "anonymous": anonymous,
        "submitter": submitter,
        "coach": coach,
        "other_coach": other_coach,
        "process_leader": process_leader,
        "communicator": communicator,
        "administrator": administrator,
        "manager": manager,
        "employee": employee,
    }


def everyone(outcome: Outcome) -> dict[str, Outcome]:
    return dict.fromkeys(ACTORS, outcome)


def signed_in(outcome: Outcome) -> dict[str, Outcome]:
    """Anonymous visitors (with or without a private link) go to the login page."""
    return {actor: LOGIN if actor not in LOGGED_IN else outcome for actor in ACTORS}


# --- The data every row is called against -----------------------------------------------


@dataclass(frozen=True)
class Scene:
    """An idea in Skövde from the manager's unit, with a file, a private link, and the
    process it runs in."""

    world: object
    idea: Idea
    attachment: Attachment
    token: str
    stage: Stage  # a stage of the consortium's process, to edit
    move_to: Stage  # a stage coaches and process leaders may move the idea to
    transition: Transition  # an allowed move, to delete


def submit_with_file(municipality: Organisation, *, unit: Organisation | None = None) -> Idea:
    """Hand in an idea with one file, the way the public form does: the file is held
    under the form's token, then taken over by the idea."""
    token = uuid.uuid4()
    idea_services.attachment_hold_for_form(
        upload_token=token,
        files=[SimpleUploadedFile("plan.txt", b"En plan.\n", content_type="text/plain")],
    )
    return testing.submit_idea(municipality, unit=unit, submission_token=token)


def build_scene(world, *, municipality: Organisation | None = None, unit=None) -> Scene:
    """The scene in Skövde's unit by default; another municipality for tenancy checks."""
    if municipality is None:
        municipality, unit = world.skovde, world.skovde_unit
    idea = submit_with_file(municipality, unit=unit)
    stages = {s.key: s for s in Stage.objects.filter(consortium=idea.consortium)}
    return Scene(
        world=world,
        idea=idea,
        attachment=idea.attachments.get(),
        token=idea.submitters.get(is_primary=True).access_token,
        stage=stages["capture"],
        move_to=stages["capture"],  # received → capture: coaches and process leaders
        transition=Transition.objects.get(from_stage=stages["parked"], to_stage=stages["capture"]),
    )


# --- Rows --------------------------------------------------------------------------------


def _no_kwargs(scene: Scene) -> dict:
    return {}


def _idea(scene: Scene) -> dict:
    return {"reference": scene.idea.reference}


def _idea_file(scene: Scene) -> dict:
    return {"reference": scene.idea.reference, "attachment_id": scene.attachment.pk}


def _link(scene: Scene) -> dict:
    return {"token": scene.token}


def _link_file(scene: Scene) -> dict:
    return {"token": scene.token, "attachment_id": scene.attachment.pk}


def _a_link(scene: Scene):
    """A link from the scene's idea to a new idea in Hjo, made by a process leader."""
    return idea_services.idea_link(
        actor=scene.world.process_leader,
        idea=scene.idea,
        other=testing.submit_idea(scene.world.hjo),
        kind="related",
    )


@dataclass(frozen=True)
class Route:
    """How to call one URL pattern, and what each actor gets.

    `method` is "get", "post" (POST-only endpoints) or "get+post" (a page whose form
    posts back to it: both are tried, and an actor who may see the page may also send
    its form, so OK for the page means WRITE for the post).
    """

    expect: Mapping[str, Outcome]
    method: str = "get"
    kwargs: Callable[[Scene], dict] = _no_kwargs
    data: Callable[[Scene], dict] = field(default=_no_kwargs)

    def probes(self, actor: str) -> Iterator[tuple[str, Outcome]]:
        outcome = self.expect[actor]
        if self.method in ("get", "get+post"):
            yield "get", outcome
        if self.method in ("post", "get+post"):
            yield "post", WRITE if outcome is OK and self.method == "get+post" else outcome


# Who works an idea (DESIGN.md §2, apps/ideas/policies.py): the coaches of its
# municipality and the process leaders. The manager of its unit reads it; nobody else
# sees it at all.
IDEA_WORK = expect(
    anonymous=LOGIN,
    submitter=LOGIN,
    coach=WRITE,
    other_coach=HIDDEN,
    process_leader=WRITE,
    communicator=HIDDEN,
    administrator=HIDDEN,
    manager=HIDDEN,
    employee=HIDDEN,
)
IDEA_READ = expect(
    anonymous=LOGIN,
    submitter=LOGIN,
    coach=OK,
    other_coach=HIDDEN,
    process_leader=OK,
    communicator=HIDDEN,
    administrator=HIDDEN,
    manager=OK,
    employee=HIDDEN,
)
# The board and the list show each person the ideas in their own scope, so the coach of
# Hjo has one too (with other ideas in it); roles without ideas have none.
WORKSPACE = expect(
    anonymous=LOGIN,
    submitter=LOGIN,
    coach=OK,
    other_coach=OK,
    process_leader=OK,
    communicator=HIDDEN,
    administrator=HIDDEN,
    manager=OK,
    employee=HIDDEN,
)
PROCESS_LEADERS_ONLY = expect(
    anonymous=LOGIN,
    submitter=LOGIN,
    coach=HIDDEN,
    other_coach=HIDDEN,
    process_leader=OK,
    communicator=HIDDEN,
    administrator=HIDDEN,
    manager=HIDDEN,
    employee=HIDDEN,
)
PROCESS_LEADERS_WRITE = {
    actor: WRITE if outcome is OK else outcome for actor, outcome in PROCESS_LEADERS_ONLY.items()
}

ADMINISTRATORS_ONLY = expect(
    anonymous=LOGIN,
    submitter=LOGIN,
    coach=HIDDEN,
    other_coach=HIDDEN,
    process_leader=HIDDEN,
    communicator=HIDDEN,
    administrator=OK,
    manager=HIDDEN,
    employee=HIDDEN,
)
ADMINISTRATORS_WRITE = {
    actor: WRITE if outcome is OK else outcome for actor, outcome in ADMINISTRATORS_ONLY.items()
}

STAGE_FORM = {
    "name_sv": "Förankra",
    "name_en": "Anchor",
    "description_sv": "",
    "description_en": "",
    "position": "3",
    "target_days": "20",
    "is_active": "on",
}

MATRIX: dict[str, Route] = {
    # --- Public pages ---------------------------------------------------------------
    "core:home": Route(everyone(OK)),
    "core:accessibility": Route(everyone(OK)),
    "healthz": Route(everyone(OK)),
    "ideas:submit": Route(everyone(OK)),
    # Similar ideas while typing on the public form: published ideas only for the public.
    "ideas:similar_on_form": Route(
        everyone(OK),
        method="post",
        data=lambda s: {"title": "Föräldrautbildning", "need": "Stöd", "solution": "En kurs"},
    ),
    # Changing the language works for everyone and sends them back where they were.
    "set_language": Route(
        everyone(AWAY), method="post", data=lambda s: {"language": "en", "next": "/"}
    ),
    # allauth sends someone already signed in on to their start page.
    "account_login": Route(
        expect(
            anonymous=OK,
            submitter=OK,
            coach=AWAY,
            other_coach=AWAY,
            process_leader=AWAY,
            communicator=AWAY,
            administrator=AWAY,
            manager=AWAY,
            employee=AWAY,
        )
    ),
    # The receipt is shown only in the browser session that handed the idea in; that
    # case is its own test. For everyone else it does not exist.
    "ideas:receipt": Route(everyone(HIDDEN)),
    # --- The private link: a capability, so whoever holds it gets in ---------------------
    "ideas:submitter_page": Route(
        everyone(OK), method="get+post", kwargs=_link, data=lambda s: {"body": "Hej!"}
    ),
    "ideas:submitter_attachment": Route(everyone(OK), kwargs=_link_file),
    # --- Any account ---------------------------------------------------------------------
    "core:start": Route(signed_in(OK)),
    "ideas:mine": Route(signed_in(OK)),
    "accounts:preferences": Route(
        signed_in(OK),
        method="get+post",
        data=lambda s: {"full_name": "Nytt Namn", "phone": "", "preferred_language": "sv"},
    ),
    # --- The workspace -------------------------------------------------------------------
    "ideas:board": Route(WORKSPACE),
    "ideas:list": Route(WORKSPACE),
    "ideas:detail": Route(IDEA_READ, kwargs=_idea),
    # The idea page's similar ideas, loaded after the page: scoped like the page itself.
    "ideas:similar": Route(IDEA_READ, kwargs=_idea),
    "ideas:attachment": Route(IDEA_READ, kwargs=_idea_file),
    "ideas:move": Route(
        IDEA_WORK,
        method="post",
        kwargs=_idea,
        data=lambda s: {"to_stage": s.move_to.pk, "expected_stage": s.idea.stage_id},
    ),
    "ideas:add_note": Route(
        IDEA_WORK, method="post", kwargs=_idea, data=lambda s: {"note-body": "Ring henne."}
    ),
    "ideas:message": Route(
        IDEA_WORK, method="post", kwargs=_idea, data=lambda s: {"message-body": "Tack!"}
    ),
    "ideas:set_owner": Route(
        IDEA_WORK, method="post", kwargs=_idea, data=lambda s: {"owner": s.world.coach.pk}
    ),
    "ideas:set_tags": Route(
        IDEA_WORK, method="post", kwargs=_idea, data=lambda s: {"tags": "skola, hälsa"}
    ),
    "ideas:add_files": Route(
        IDEA_WORK,
        method="post",
        kwargs=_idea,
        data=lambda s: {
            "attachments": SimpleUploadedFile("mer.txt", b"Mer.\n", content_type="text/plain")
        },
    ),
    # Linking to a similar idea is work on the idea; the other idea may be in any
    # municipality (coaches see similar ideas everywhere), so the row links to Hjo's.
    "ideas:link": Route(
        IDEA_WORK,
        method="post",
        kwargs=_idea,
        data=lambda s: {
            "link-other": testing.submit_idea(s.world.hjo).reference,
            "link-kind": "related",
        },
    ),
    "ideas:unlink": Route(
        IDEA_WORK,
        method="post",
        kwargs=lambda s: {"reference": s.idea.reference, "link_id": _a_link(s).pk},
    ),
    # --- The process: process leaders only --------------------------------------------
    "workflow:process": Route(PROCESS_LEADERS_ONLY),
    "workflow:stage_new": Route(PROCESS_LEADERS_ONLY, method="get+post", data=lambda s: STAGE_FORM),
    "workflow:stage_edit": Route(
        PROCESS_LEADERS_ONLY,
        method="get+post",
        kwargs=lambda s: {"stage_id": s.stage.pk},
        data=lambda s: {**STAGE_FORM, "name_sv": "Fånga mer", "name_en": "Capture more"},
    ),
    "workflow:transition_add": Route(
        PROCESS_LEADERS_WRITE,
        method="post",
        data=lambda s: {
            "from_stage": s.stage.pk,
            "to_stage": s.transition.from_stage_id,
            "process_leader_may": "on",
        },
    ),
    "workflow:transition_delete": Route(
        PROCESS_LEADERS_WRITE,
        method="post",
        kwargs=lambda s: {"transition_id": s.transition.pk},
    ),
    # --- Administration: administrators of the consortium only ---------------------------
    "organisations:overview": Route(ADMINISTRATORS_ONLY),
    "organisations:organisation_new": Route(
        ADMINISTRATORS_ONLY,
        method="get+post",
        kwargs=lambda s: {"parent_id": s.world.skovde.pk},
        data=lambda s: {"name": "Fritidsförvaltningen"},
    ),
    "organisations:organisation_edit": Route(
        ADMINISTRATORS_ONLY,
        method="get+post",
        kwargs=lambda s: {"organisation_id": s.world.hjo.pk},
        data=lambda s: {"name": "Hjo kommun", "employee_count": "820"},
    ),
    "organisations:organisation_deactivate": Route(
        ADMINISTRATORS_ONLY,
        method="get+post",
        kwargs=lambda s: {"organisation_id": s.world.hjo.pk},
    ),
    "organisations:people": Route(ADMINISTRATORS_ONLY),
    "organisations:person_new": Route(
        ADMINISTRATORS_ONLY,
        method="get+post",
        data=lambda s: {
            "full_name": "Nina Ny",
            "email": "nina.ny@hjo.se",
            "role": "coach",
            "organisation": s.world.hjo.pk,
        },
    ),
    "organisations:person_detail": Route(
        ADMINISTRATORS_ONLY, kwargs=lambda s: {"person_id": s.world.other_coach.pk}
    ),
    "organisations:role_grant": Route(
        ADMINISTRATORS_WRITE,
        method="post",
        kwargs=lambda s: {"person_id": s.world.other_coach.pk},
        data=lambda s: {"role": "coach", "organisation": s.world.skovde.pk},
    ),
    "organisations:role_revoke": Route(
        ADMINISTRATORS_WRITE,
        method="post",
        kwargs=lambda s: {
            "person_id": s.world.other_coach.pk,
            "membership_id": s.world.other_coach.memberships.get().pk,
        },
    ),
    "organisations:person_deactivate": Route(
        ADMINISTRATORS_ONLY,
        method="get+post",
        kwargs=lambda s: {"person_id": s.world.other_coach.pk},
    ),
    # Django's admin is for staff accounts only, which no role gives: everyone is sent
    # to the admin's own login. One row stands for the whole (exempted) admin site.
    "admin:index": Route(everyone(AWAY)),
}


# --- Referrals (apps/referrals): begin of the block kept by the referrals work ----------


def _referral_actor(scene: Scene):
    """The outside actor in the scene's consortium that the referral rows use."""
    from apps.referrals.models import ExternalActor
    from apps.referrals.services import external_actor_create

    actor = ExternalActor.objects.filter(
        consortium_id=scene.idea.consortium_id, email="matrix@his.se"
    ).first()
    return actor or external_actor_create(
        actor=scene.world.process_leader,
        consortium=scene.idea.consortium,
        name="Anna Expert",
        organisation="Högskolan i Skövde",
        email="matrix@his.se",
    )


def _referral(scene: Scene):
    """A referral on the scene's idea, sharing its file; built when a row first needs it."""
    from datetime import timedelta

    from django.utils import timezone

    from apps.referrals.models import Referral
    from apps.referrals.services import referral_send

    return Referral.objects.filter(idea=scene.idea).first() or referral_send(
        idea=scene.idea,
        actor=scene.world.process_leader,
        external_actor=_referral_actor(scene),
        question="Går idén att patentera?",
        due_date=timezone.localdate() + timedelta(days=14),
        attachments=[scene.attachment],
    )


def _referral_form(scene: Scene) -> dict:
    from datetime import timedelta

    from django.utils import timezone

    return {
        "recipient": f"actor-{_referral_actor(scene).pk}",
        "question": "Går idén att patentera?",
        "share_need": "on",
        "due_date": (timezone.localdate() + timedelta(days=14)).isoformat(),
    }


# The register of outside actors and the overdue list: everyone who works ideas in the
# consortium (the coach of Hjo too: the register is the whole sluice's).
REFERRAL_REGISTER = expect(
    anonymous=LOGIN,
    submitter=LOGIN,
    coach=OK,
    other_coach=OK,
    process_leader=OK,
    communicator=HIDDEN,
    administrator=HIDDEN,
    manager=HIDDEN,
    employee=HIDDEN,
)
# Sending and withdrawing: those who work the idea (apps/referrals/policies.py).
REFERRAL_WORK = {actor: OK if outcome is WRITE else outcome for actor, outcome in IDEA_WORK.items()}

MATRIX.update(
    {
        "referrals:actors": Route(REFERRAL_REGISTER),
        "referrals:actor_new": Route(
            REFERRAL_REGISTER,
            method="get+post",
            data=lambda s: {"name": "Bo Rådgivare", "organisation": "Almi", "email": "bo@almi.se"},
        ),
        "referrals:actor_edit": Route(
            REFERRAL_REGISTER,
            method="get+post",
            kwargs=lambda s: {"actor_id": _referral_actor(s).pk},
            data=lambda s: {
                "name": "Anna Expert",
                "organisation": "Högskolan i Skövde",
                "email": "matrix@his.se",
                "is_active": "on",
            },
        ),
        "referrals:overdue": Route(REFERRAL_REGISTER),
        "referrals:mine": Route(signed_in(OK)),
        "referrals:new": Route(REFERRAL_WORK, method="get+post", kwargs=_idea, data=_referral_form),
        "referrals:detail": Route(IDEA_READ, kwargs=lambda s: {"referral_id": _referral(s).pk}),
        "referrals:reply": Route(
            IDEA_WORK,
            method="post",
            kwargs=lambda s: {"referral_id": _referral(s).pk},
            data=lambda s: {"reply-body": "Ja, det finns en budget."},
        ),
        "referrals:revoke": Route(
            REFERRAL_WORK, method="get+post", kwargs=lambda s: {"referral_id": _referral(s).pk}
        ),
        # The recipient's private link is a capability like the submitter's: whoever
        # holds it gets in, with or without an account.
        "referrals:respond": Route(
            everyone(OK),
            method="get+post",
            kwargs=lambda s: {"token": _referral(s).access_token},
            data=lambda s: {"intent": "question", "question-body": "Finns det en budget?"},
        ),
        "referrals:respond_file": Route(
            everyone(OK),
            kwargs=lambda s: {
                "token": _referral(s).access_token,
                "attachment_id": s.attachment.pk,
            },
        ),
    }
)

# --- Referrals: end of the block -------------------------------------------------------


# --- Assessments (apps/assessments): begin of the block kept by the assessments work ------


def _assessment_criteria(scene: Scene) -> list:
    from apps.assessments.services import criteria_seed_default

    return criteria_seed_default(consortium=scene.idea.consortium)


def _assessment_round(scene: Scene):
    """A blind round on the scene's idea, opened by the process leader, with the employee
    (an account without any role) as its one assessor; built when a row first needs it."""
    from datetime import timedelta

    from django.utils import timezone

    from apps.assessments.models import AssessmentRound
    from apps.assessments.services import round_open

    return AssessmentRound.objects.filter(idea=scene.idea).first() or round_open(
        idea=scene.idea,
        actor=scene.world.process_leader,
        assessors=[scene.world.employee],
        criteria=_assessment_criteria(scene),
        due_date=timezone.localdate() + timedelta(days=14),
        blind=True,
    )


def _assessment_round_form(scene: Scene) -> dict:
    from datetime import timedelta

    from django.utils import timezone

    return {
        "assessors": [scene.world.employee.pk],
        "criteria": [c.pk for c in _assessment_criteria(scene)],
        "due_date": (timezone.localdate() + timedelta(days=14)).isoformat(),
        "blind": "on",
    }


def _assessment_scores(scene: Scene) -> dict:
    criteria = _assessment_round(scene).criteria.all()
    return {"hand_in": "1", **{f"score_{c.pk}": "3" for c in criteria}}


def _round_kwargs(scene: Scene) -> dict:
    return {"round_id": _assessment_round(scene).pk}


ASSESSMENT_CRITERION_FORM = {
    "name_sv": "Klimatpåverkan",
    "name_en": "Climate impact",
    "guidance_sv": "",
    "guidance_en": "",
    "weight": "1.5",
    "scale_max": "5",
    "position": "9",
    "is_active": "on",
}

# Opening a round (apps/assessments/policies.py, may_open_round): process leaders, and
# the coach of the idea's municipality because the process lets coaches move an idea on
# from Received, the scene idea's stage.
ASSESSMENT_OPEN = expect(
    anonymous=LOGIN,
    submitter=LOGIN,
    coach=OK,
    other_coach=HIDDEN,
    process_leader=OK,
    communicator=HIDDEN,
    administrator=HIDDEN,
    manager=HIDDEN,
    employee=HIDDEN,
)
# A round's page and files: its assessor (the employee) and those who work the idea. The
# manager reads the idea but is no assessor, so the round does not exist for them.
ASSESSMENT_ROUND_READ = expect(
    anonymous=LOGIN,
    submitter=LOGIN,
    coach=OK,
    other_coach=HIDDEN,
    process_leader=OK,
    communicator=HIDDEN,
    administrator=HIDDEN,
    manager=HIDDEN,
    employee=OK,
)
# Scoring: the round's assessors only.
ASSESSMENT_SCORE = expect(
    anonymous=LOGIN,
    submitter=LOGIN,
    coach=HIDDEN,
    other_coach=HIDDEN,
    process_leader=HIDDEN,
    communicator=HIDDEN,
    administrator=HIDDEN,
    manager=HIDDEN,
    employee=WRITE,
)

MATRIX.update(
    {
        "assessments:mine": Route(signed_in(OK)),
        "assessments:round_new": Route(
            ASSESSMENT_OPEN, method="get+post", kwargs=_idea, data=_assessment_round_form
        ),
        "assessments:round": Route(ASSESSMENT_ROUND_READ, kwargs=_round_kwargs),
        "assessments:attachment": Route(
            ASSESSMENT_ROUND_READ,
            kwargs=lambda s: {**_round_kwargs(s), "attachment_id": s.attachment.pk},
        ),
        "assessments:score": Route(
            ASSESSMENT_SCORE, method="post", kwargs=_round_kwargs, data=_assessment_scores
        ),
        # The gate decision is the process leaders' (DESIGN.md §2); closing a round without
        # one is theirs and the opener's (here the process leader).
        "assessments:decide": Route(
            PROCESS_LEADERS_WRITE,
            method="post",
            kwargs=_round_kwargs,
            data=lambda s: {
                "decision-to_stage": s.move_to.pk,
                "decision-expected_stage": s.idea.stage_id,
            },
        ),
        "assessments:close": Route(
            PROCESS_LEADERS_WRITE,
            method="post",
            kwargs=_round_kwargs,
            data=lambda s: {"close-reason": "Behövs inte."},
        ),
        "assessments:criteria": Route(PROCESS_LEADERS_ONLY),
        "assessments:criterion_new": Route(
            PROCESS_LEADERS_ONLY, method="get+post", data=lambda s: ASSESSMENT_CRITERION_FORM
        ),
        "assessments:criterion_edit": Route(
            PROCESS_LEADERS_ONLY,
            method="get+post",
            kwargs=lambda s: {"criterion_id": _assessment_criteria(s)[0].pk},
            data=lambda s: {**ASSESSMENT_CRITERION_FORM, "name_sv": "Behov", "name_en": "Need"},
        ),
    }
)

# --- Assessments: end of the block ---------------------------------------------------------


# --- Meetings (apps/meetings): begin of the block kept by the meetings work --------------


def _meeting_day(days: int = 7) -> str:
    from datetime import timedelta

    from django.utils import timezone

    return (timezone.localdate() + timedelta(days=days)).isoformat()


def _meeting(scene: Scene, *, booked: bool = False):
    """A poll on the scene's idea organised by the coach, with two times and three
    participants (the process leader, the submitter, an outside expert); with `booked`,
    another one booked at its first time. Built when a row first needs it."""
    from apps.meetings.models import Meeting
    from apps.meetings.services import Guest, meeting_book
    from apps.meetings.testing import days_ahead, make_meeting

    title = "Bokat möte" if booked else "Hitta en tid"
    meeting = Meeting.objects.filter(idea=scene.idea, title=title).first()
    if meeting is None:
        meeting = make_meeting(
            scene.idea,
            scene.world.coach,
            title=title,
            starts=[days_ahead(7, 9), days_ahead(8, 13)],
            users=[scene.world.process_leader],
            submitters=[scene.idea.submitters.get(is_primary=True)],
            guests=[Guest("Anna Expert", "matrix.meeting@his.se")],
        )
        if booked:
            meeting_book(meeting=meeting, actor=scene.world.coach, option=meeting.options.first())
    return meeting


def _meeting_kwargs(scene: Scene) -> dict:
    return {"meeting_id": _meeting(scene).pk}


def _meeting_option(scene: Scene) -> dict:
    return {"meeting_id": _meeting(scene).pk, "option_id": _meeting(scene).options.first().pk}


def _meeting_guest(scene: Scene) -> dict:
    meeting = _meeting(scene)
    guest = meeting.participants.get(email="matrix.meeting@his.se")
    return {"meeting_id": meeting.pk, "participant_id": guest.pk}


def _meeting_link(scene: Scene) -> dict:
    """The outside expert's private link to the booked meeting."""
    guest = _meeting(scene, booked=True).participants.get(email="matrix.meeting@his.se")
    return {"token": guest.access_token}


def _meeting_poll_link(scene: Scene) -> dict:
    guest = _meeting(scene).participants.get(email="matrix.meeting@his.se")
    return {"token": guest.access_token}


def _meeting_answers(scene: Scene) -> dict:
    return {f"option_{o.pk}": "yes" for o in _meeting(scene).options.all()}


def _action_item(scene: Scene) -> dict:
    """An action item from the poll's meeting, owned by the coach."""
    from datetime import timedelta

    from django.utils import timezone

    from apps.meetings.models import ActionItem
    from apps.meetings.services import action_item_add

    meeting = _meeting(scene)
    item = ActionItem.objects.filter(meeting=meeting).first() or action_item_add(
        idea=scene.idea,
        meeting=meeting,
        actor=scene.world.process_leader,
        title="Ring förskolan",
        owner=scene.world.coach,
        due_date=timezone.localdate() + timedelta(days=5),
    )
    return {"item_id": item.pk}


def _calendar_feed(scene: Scene) -> dict:
    from apps.meetings.services import calendar_feed_reset

    _meeting(scene, booked=True)
    return {"token": calendar_feed_reset(user=scene.world.coach).access_token}


# Starting a meeting and running it: those who work the idea (apps/meetings/policies.py).
MEETING_WORK = {actor: OK if outcome is WRITE else outcome for actor, outcome in IDEA_WORK.items()}

MATRIX.update(
    {
        "meetings:new": Route(
            MEETING_WORK,
            method="get+post",
            kwargs=_idea,
            data=lambda s: {
                "title": "Planera testet",
                "duration_minutes": "60",
                "option_1_date": _meeting_day(),
                "option_1_time": "10:00",
                "guest_1_name": "Bo Rådgivare",
                "guest_1_email": "bo@almi.se",
            },
        ),
        # Whoever reads the idea reads its meetings (the manager too).
        "meetings:detail": Route(IDEA_READ, kwargs=_meeting_kwargs),
        "meetings:edit": Route(
            MEETING_WORK,
            method="get+post",
            kwargs=_meeting_kwargs,
            data=lambda s: {"title": "Hitta en ny tid", "location": "Rum 4"},
        ),
        "meetings:add_options": Route(
            IDEA_WORK,
            method="post",
            kwargs=_meeting_kwargs,
            data=lambda s: {"add-option_1_date": _meeting_day(10), "add-option_1_time": "14:00"},
        ),
        "meetings:remove_option": Route(IDEA_WORK, method="post", kwargs=_meeting_option),
        "meetings:propose": Route(
            IDEA_WORK,
            method="post",
            kwargs=_meeting_kwargs,
            data=lambda s: {
                "propose-start": _meeting_day(1),
                "propose-days": "14",
                "propose-count": "3",
            },
        ),
        "meetings:invite": Route(
            IDEA_WORK,
            method="post",
            kwargs=_meeting_kwargs,
            data=lambda s: {"invite-guest_1_name": "Bo", "invite-guest_1_email": "bo@almi.se"},
        ),
        "meetings:remove_participant": Route(IDEA_WORK, method="post", kwargs=_meeting_guest),
        "meetings:book": Route(
            IDEA_WORK,
            method="post",
            kwargs=_meeting_kwargs,
            data=lambda s: {"option": _meeting(s).options.first().pk},
        ),
        "meetings:cancel": Route(
            MEETING_WORK,
            method="get+post",
            kwargs=_meeting_kwargs,
            data=lambda s: {"message": "Vi ses en annan gång."},
        ),
        "meetings:notes": Route(
            IDEA_WORK,
            method="post",
            kwargs=_meeting_kwargs,
            data=lambda s: {"notes-notes": "Vi sågs.", "notes-decisions": "Testa i vår."},
        ),
        "meetings:add_action_item": Route(
            IDEA_WORK,
            method="post",
            kwargs=_meeting_kwargs,
            data=lambda s: {
                "item-title": "Boka lokal",
                "item-owner": s.world.coach.pk,
                "item-due_date": _meeting_day(5),
            },
        ),
        # The owner (the coach) and whoever works the idea mark an action item done.
        "meetings:action_item_done": Route(IDEA_WORK, method="post", kwargs=_action_item),
        "meetings:tasks": Route(signed_in(OK)),
        "meetings:feed_reset": Route(signed_in(WRITE), method="post"),
        "meetings:feed_stop": Route(signed_in(WRITE), method="post"),
        # The private calendar feed and a participant's link are capabilities: whoever
        # holds the secret address gets in (calendar programs cannot log in).
        "meetings:feed": Route(everyone(OK), kwargs=_calendar_feed),
        "meetings:answer": Route(
            everyone(OK), method="get+post", kwargs=_meeting_poll_link, data=_meeting_answers
        ),
        "meetings:answer_ics": Route(everyone(OK), kwargs=_meeting_link),
        "meetings:answer_availability": Route(
            everyone(WRITE),
            method="post",
            kwargs=_meeting_poll_link,
            data=lambda s: {"availability-remove": "on"},
        ),
    }
)

# --- Meetings: end of the block --------------------------------------------------------------


# --- Follow-up (apps/followup): begin of the block kept by the follow-up work -----------

# "Needs attention" (Behöver uppmärksamhet): coaches (their own ideas, and the unowned
# new ideas of their municipality) and process leaders (their consortium). The coach
# of Hjo has one too, with Hjo's ideas in it; nobody else has the page.
FOLLOW_UP = expect(
    anonymous=LOGIN,
    submitter=LOGIN,
    coach=OK,
    other_coach=OK,
    process_leader=OK,
    communicator=HIDDEN,
    administrator=HIDDEN,
    manager=HIDDEN,
    employee=HIDDEN,
)

MATRIX.update({"followup:attention": Route(FOLLOW_UP)})

# --- Follow-up: end of the block ------------------------------------------------------------


# --- API (apps/api): begin of the block kept by the API work -----------------------------

#: The JSON API never sends anyone to a login page a program cannot use: without a token
#: (or a signed-in session) it answers 401 with a JSON sentence saying what to send.
UNAUTHORIZED = Outcome("401, authentication required", frozenset({401}))
#: The matrix posts form data, which the JSON API refuses with 400 once the caller is past
#: authentication (the answers with JSON bodies are in apps/api/tests/test_access.py).
API_ANSWERED = Outcome("an answer past authentication", frozenset({200, 400}))


def _api(outcomes: Mapping[str, Outcome]) -> dict[str, Outcome]:
    """A page's answers as the API gives them: 401 where the page sends to the login."""
    return {
        actor: UNAUTHORIZED if outcome is LOGIN else outcome for actor, outcome in outcomes.items()
    }


def _api_token(scene: Scene) -> dict:
    """A token of the coach's: only the coach may revoke it; for everyone else it does
    not exist."""
    from apps.api.models import ApiToken
    from apps.api.services import api_token_create

    token = ApiToken.objects.filter(user=scene.world.coach, name="Matrix").first()
    if token is None:
        token, _secret = api_token_create(user=scene.world.coach, name="Matrix")
    return {"token_id": token.pk}


MATRIX.update(
    {
        # Everyone with an account manages their own tokens (a token opens no more than
        # its owner's roles do).
        "api_tokens:list": Route(
            signed_in(OK),
            method="get+post",
            data=lambda s: {"name": "Rapportskript", "expires_in": "30"},
        ),
        "api_tokens:revoke": Route(
            expect(
                anonymous=LOGIN,
                submitter=LOGIN,
                coach=AWAY,
                other_coach=HIDDEN,
                process_leader=HIDDEN,
                communicator=HIDDEN,
                administrator=HIDDEN,
                manager=HIDDEN,
                employee=HIDDEN,
            ),
            method="post",
            kwargs=_api_token,
        ),
        # The API with the pages' rules (here through the signed-in session; with tokens
        # in apps/api/tests/test_access.py): the list as the list page, one idea as its page.
        "api-v1:ideas": Route(_api(WORKSPACE)),
        "api-v1:idea": Route(_api(IDEA_READ), kwargs=_idea),
        # Similar ideas answer every account, each from their own similarity scope.
        "api-v1:similar": Route(
            {actor: UNAUTHORIZED if actor not in LOGGED_IN else API_ANSWERED for actor in ACTORS},
            method="post",
        ),
        # Moving: 404 for whoever may not see the idea, whatever the body; for the others
        # the matrix's form data is no JSON (400). Who may move what, with JSON bodies, is
        # in apps/api/tests/test_move.py.
        "api-v1:idea-move": Route(
            {
                actor: API_ANSWERED if outcome is OK else outcome
                for actor, outcome in _api(IDEA_READ).items()
            },
            method="post",
            kwargs=_idea,
        ),
        # An idea's timeline for whoever may read the idea.
        "api-v1:idea-timeline": Route(_api(IDEA_READ), kwargs=_idea),
        # The process and the municipalities (an idea can go to any) for every account.
        "api-v1:stages": Route(_api(signed_in(OK))),
        "api-v1:municipalities": Route(_api(signed_in(OK))),
        # The dashboard's statistics for anyone with a role, as the dashboard page.
        "api-v1:statistics": Route(
            _api(
                expect(
                    anonymous=LOGIN,
                    submitter=LOGIN,
                    coach=OK,
                    other_coach=OK,
                    process_leader=OK,
                    communicator=OK,
                    administrator=OK,
                    manager=OK,
                    employee=HIDDEN,
                )
            )
        ),
        # Public, as their pages: the public statistics and the showcase need no token.
        "api-v1:statistics-public": Route(everyone(OK)),
        "api-v1:showcase": Route(everyone(OK)),
        # The description of the API is public: it holds no data.
        "api-v1:openapi-json": Route(everyone(OK)),
        # Ninja's root pattern only lets it work out its own address; it answers 404.
        "api-v1:api-root": Route(everyone(HIDDEN)),
    }
)

# --- API: end of the block -------------------------------------------------------------------


# --- Imports (apps/imports): begin of the block kept by the imports work ------------------


def _import_csv() -> bytes:
    return "Titel;Beskrivning;Kommun\nLånecyklar;Cyklar att låna på jobbet;Skövde\n".encode()


def _import_job(scene: Scene) -> dict:
    """A job that passed the dry run, uploaded by the process leader into the scene's
    consortium; built when a row first needs it."""
    from apps.imports.checking import check_file
    from apps.imports.models import ImportJob
    from apps.imports.services import import_job_create

    job = ImportJob.objects.filter(consortium_id=scene.idea.consortium_id).first()
    if job is None:
        upload = SimpleUploadedFile("ideer.csv", _import_csv(), content_type="text/csv")
        job = import_job_create(
            actor=scene.world.process_leader,
            consortium=scene.idea.consortium,
            upload=upload,
            checked=check_file(
                data=_import_csv(), filename="ideer.csv", consortium=scene.idea.consortium
            ),
        )
    return {"job_id": job.pk}


# Importing ideas is the process leaders' (for their own consortium); the job pages too.
MATRIX.update(
    {
        "imports:upload": Route(
            PROCESS_LEADERS_ONLY,
            method="get+post",
            data=lambda s: {
                "file": SimpleUploadedFile("ideer.csv", _import_csv(), content_type="text/csv")
            },
        ),
        "imports:job": Route(PROCESS_LEADERS_ONLY, kwargs=_import_job),
        "imports:start": Route(PROCESS_LEADERS_WRITE, method="post", kwargs=_import_job),
    }
)

# --- Imports: end of the block ----------------------------------------------------------------


# --- Spread (apps/spread): begin of the block kept by the spread work ----------------------


def _spread_idea(scene: Scene) -> Idea:
    """The scene's idea carried to Spread by the real moves (once per scene)."""
    from apps.spread.testing import move_to_spread

    idea = Idea.objects.select_related("stage").get(pk=scene.idea.pk)
    return move_to_spread(idea, scene.world.process_leader)


def _spread_solution(scene: Scene):
    """The scene's idea as an internal (not published) solution, its file a document."""
    from apps.spread.models import Solution
    from apps.spread.testing import make_solution

    existing = Solution.objects.filter(idea_id=scene.idea.pk).first()
    return existing or make_solution(
        _spread_idea(scene),
        scene.world.process_leader,
        contact=scene.world.process_leader,
        documents=[scene.attachment],
    )


def _spread_published(scene: Scene):
    """Another Skövde idea, published with consent and a communicator's approval."""
    from apps.spread.testing import solution_in

    return solution_in(scene.world, consent=True, approved=True)


def _spread_adoption(scene: Scene):
    """Hjo's adoption of the scene's solution, owned by Hjo's coach."""
    from apps.spread.testing import adopt

    solution = _spread_solution(scene)
    existing = solution.adoptions.filter(municipality=scene.world.hjo).first()
    return existing or adopt(solution, scene.world.other_coach, scene.world.hjo)


def _spread_benefit(scene: Scene):
    """A benefit of the scene's idea in its own municipality, owned by Skövde's coach."""
    from apps.spread.models import BenefitHypothesis
    from apps.spread.testing import make_benefit

    existing = BenefitHypothesis.objects.filter(idea_id=scene.idea.pk, adoption=None).first()
    return existing or make_benefit(scene.idea, scene.world.coach)


def _benefit_form(owner) -> dict:
    return {
        "description": "Kortare restid.",
        "indicator": "Restid per besök",
        "unit": "minuter",
        "baseline": "30",
        "target": "20",
        "how_measured": "Tidrapporten.",
        "owner": owner.pk,
        "phase": "plan",
        "value_per_unit_sek": "12,5",
    }


# Everyone in the consortium's catalogue: every role. An account without a role belongs to
# no known consortium (apps/spread/policies.py) and sees only the public catalogue.
CATALOGUE = {**signed_in(OK), "employee": HIDDEN}
# Writing a solution, planning the idea's benefits: those who work the idea.
SPREAD_WORK = {actor: OK if outcome is WRITE else outcome for actor, outcome in IDEA_WORK.items()}
APPROVERS = {
    **SPREAD_WORK,
    "coach": HIDDEN,
    "communicator": OK,
}
# Adopting for Hjo and working on Hjo's adoption: Hjo's coach and the process leaders.
ADOPTERS = {**SPREAD_WORK, "coach": HIDDEN, "other_coach": OK}
# The originating municipality's coach follows the adoption, read-only.
ADOPTION_READ = {**ADOPTERS, "coach": OK}

MATRIX.update(
    {
        "spread:catalogue": Route(CATALOGUE),
        "spread:totals": Route(CATALOGUE),
        "spread:public_catalogue": Route(everyone(OK)),
        "spread:public_detail": Route(
            everyone(OK), kwargs=lambda s: {"solution_id": _spread_published(s).pk}
        ),
        "spread:solution": Route(
            CATALOGUE, kwargs=lambda s: {"solution_id": _spread_solution(s).pk}
        ),
        "spread:document": Route(
            CATALOGUE,
            kwargs=lambda s: {
                "solution_id": _spread_solution(s).pk,
                "attachment_id": s.attachment.pk,
            },
        ),
        "spread:solution_new": Route(
            SPREAD_WORK,
            method="get+post",
            kwargs=lambda s: {"reference": _spread_idea(s).reference},
            data=lambda s: {
                "title": "Digitala nycklar",
                "summary": "Hemtjänsten öppnar med mobilen.",
                "category": "care",
                "contact": s.world.coach.pk,
                "documents": [s.attachment.pk],
            },
        ),
        "spread:solution_edit": Route(
            SPREAD_WORK,
            method="get+post",
            kwargs=lambda s: {"solution_id": _spread_solution(s).pk},
            data=lambda s: {
                "title": "Digitala nycklar",
                "summary": "Hemtjänsten öppnar med mobilen.",
                "category": "care",
                "contact": s.world.coach.pk,
            },
        ),
        "spread:publication": Route(
            APPROVERS,
            method="get+post",
            kwargs=lambda s: {"solution_id": _spread_solution(s).pk},
            data=lambda s: {"action": "approve"},
        ),
        "spread:adopt": Route(
            ADOPTERS,
            method="get+post",
            kwargs=lambda s: {"solution_id": _spread_solution(s).pk},
            data=lambda s: {"municipality": s.world.hjo.pk, "owner": s.world.other_coach.pk},
        ),
        "spread:adoption": Route(
            ADOPTION_READ, kwargs=lambda s: {"adoption_id": _spread_adoption(s).pk}
        ),
        "spread:adoption_stage": Route(
            {actor: WRITE if outcome is OK else outcome for actor, outcome in ADOPTERS.items()},
            method="post",
            kwargs=lambda s: {"adoption_id": _spread_adoption(s).pk},
            data=lambda s: {
                "stage-stage": "testing",
                "stage-on_date": str(s.idea.created_at.date()),
            },
        ),
        "spread:adoption_benefit_new": Route(
            ADOPTERS,
            method="get+post",
            kwargs=lambda s: {"adoption_id": _spread_adoption(s).pk},
            data=lambda s: _benefit_form(s.world.other_coach),
        ),
        "spread:benefit_new": Route(
            SPREAD_WORK,
            method="get+post",
            kwargs=_idea,
            data=lambda s: _benefit_form(s.world.coach),
        ),
        "spread:benefit": Route(IDEA_READ, kwargs=lambda s: {"benefit_id": _spread_benefit(s).pk}),
        "spread:benefit_edit": Route(
            SPREAD_WORK,
            method="get+post",
            kwargs=lambda s: {"benefit_id": _spread_benefit(s).pk},
            data=lambda s: _benefit_form(s.world.coach),
        ),
        "spread:measure": Route(
            SPREAD_WORK,
            method="get+post",
            kwargs=lambda s: {"benefit_id": _spread_benefit(s).pk},
            data=lambda s: {"measured_on": str(s.idea.created_at.date()), "value": "25"},
        ),
    }
)

# --- Spread: end of the block ------------------------------------------------------------------


# --- Stats (apps/stats): begin of the block kept by the stats work ------------------------

# Statistics are aggregates of the consortia a person holds a role in: every role opens the
# dashboard and its exports; an account without a role gets 404. The public page and its
# exports are for everyone.
STATS_DASHBOARD = expect(
    anonymous=LOGIN,
    submitter=LOGIN,
    coach=OK,
    other_coach=OK,
    process_leader=OK,
    communicator=OK,
    administrator=OK,
    manager=OK,
    employee=HIDDEN,
)


def _stats_slug(public: bool):
    """The first statistic's slug, read from the figures so a renamed table needs no edit."""

    def kwargs(scene: Scene) -> dict:
        from apps.stats import figures, selectors
        from apps.stats.tables import Filters

        start, end = selectors.default_period()
        filters = Filters(
            start=start, end=end, consortium_ids=frozenset({scene.idea.consortium_id})
        )
        tables = (figures.public_tables if public else figures.dashboard_tables)(filters=filters)
        return {"slug": tables[0].slug, "fmt": "xlsx"}

    return kwargs


MATRIX.update(
    {
        "stats:dashboard": Route(STATS_DASHBOARD),
        "stats:export": Route(STATS_DASHBOARD, kwargs=_stats_slug(public=False)),
        "stats:public": Route(everyone(OK)),
        "stats:public_export": Route(everyone(OK), kwargs=_stats_slug(public=True)),
    }
)

# --- Stats: end of the block ----------------------------------------------------------------


# --- Showcase (apps/showcase): begin of the block kept by the showcase work -------------


def _showcase_entry(scene: Scene, *, publish: bool):
    """A Skövde idea whose submitter consented, with a story by the communicator;
    published or a draft (one of each per scene)."""
    from apps.showcase.models import ShowcaseEntry
    from apps.showcase.testing import entry_for

    headline = "Publicerad berättelse" if publish else "Utkast till berättelse"
    existing = ShowcaseEntry.objects.filter(
        idea__municipality=scene.world.skovde, headline=headline
    ).first()
    return existing or entry_for(scene.world, publish=publish, headline=headline)


def _showcase_form(scene: Scene) -> dict:
    return {
        "headline": "Rubrik",
        "lead": "Ingress.",
        "story": "Berättelsen.",
        "results": "",
        "category": "care",
        "action": "save",
    }


# Drafting a story: the idea's coaches, the process leaders and the communicators of
# its consortium (apps/showcase/policies.py).
SHOWCASE_DRAFT = expect(
    anonymous=LOGIN,
    submitter=LOGIN,
    coach=OK,
    other_coach=HIDDEN,
    process_leader=OK,
    communicator=OK,
    administrator=HIDDEN,
    manager=HIDDEN,
    employee=HIDDEN,
)

MATRIX.update(
    {
        "showcase:list": Route(everyone(OK)),
        "showcase:feed": Route(everyone(OK)),
        "showcase:entry": Route(
            everyone(OK), kwargs=lambda s: {"entry_id": _showcase_entry(s, publish=True).pk}
        ),
        "showcase:workspace": Route(
            expect(
                anonymous=LOGIN,
                submitter=LOGIN,
                coach=HIDDEN,
                other_coach=HIDDEN,
                process_leader=OK,
                communicator=OK,
                administrator=HIDDEN,
                manager=HIDDEN,
                employee=HIDDEN,
            )
        ),
        "showcase:edit": Route(
            SHOWCASE_DRAFT,
            method="get+post",
            kwargs=lambda s: {"idea_id": _showcase_entry(s, publish=False).idea_id},
            data=_showcase_form,
        ),
        "showcase:preview": Route(
            SHOWCASE_DRAFT,
            kwargs=lambda s: {"idea_id": _showcase_entry(s, publish=False).idea_id},
        ),
        "showcase:publication": Route(
            expect(
                anonymous=LOGIN,
                submitter=LOGIN,
                coach=HIDDEN,
                other_coach=HIDDEN,
                process_leader=HIDDEN,
                communicator=WRITE,
                administrator=HIDDEN,
                manager=HIDDEN,
                employee=HIDDEN,
            ),
            method="post",
            kwargs=lambda s: {"idea_id": _showcase_entry(s, publish=False).idea_id},
            data=lambda s: {"action": "publish"},
        ),
    }
)

# --- Showcase: end of the block ----------------------------------------------------------------


# --- Resources (apps/resources): begin of the block kept by the resources work -----------


def _resource(scene: Scene, *, visibility: str = "internal"):
    """A resource of the scene's consortium with one PDF, made by its communicator (once
    per scene and visibility)."""
    from apps.resources.models import Resource
    from apps.resources.testing import make_resource

    existing = Resource.objects.filter(
        consortium=scene.world.consortium, visibility=visibility
    ).first()
    return existing or make_resource(
        scene.world.consortium, scene.world.communicator, visibility=visibility
    )


def _resource_pdf():
    from apps.resources.testing import pdf

    return pdf("handbok-ny.pdf")


# Internal resources (and their files): everyone who belongs to the consortium; nobody
# else, not even with the URL. An account without a role belongs to no known consortium
# (apps/spread/policies.py). Public resources are for everyone (tests in apps/resources).
RESOURCE_INSIDERS = {**everyone(OK), "anonymous": HIDDEN, "submitter": HIDDEN, "employee": HIDDEN}
# The library's keepers: communicators and process leaders of the consortium.
RESOURCE_KEEPERS = expect(
    anonymous=LOGIN,
    submitter=LOGIN,
    coach=HIDDEN,
    other_coach=HIDDEN,
    process_leader=OK,
    communicator=OK,
    administrator=HIDDEN,
    manager=HIDDEN,
    employee=HIDDEN,
)
_RESOURCE_FIELDS = {
    "title": "Mall för nyttoplan",
    "description": "Fyll i före testet.",
    "category": "template",
    "visibility": "internal",
}

MATRIX.update(
    {
        "resources:library": Route(everyone(OK)),
        "resources:detail": Route(
            RESOURCE_INSIDERS, kwargs=lambda s: {"resource_id": _resource(s).pk}
        ),
        "resources:download": Route(
            RESOURCE_INSIDERS, kwargs=lambda s: {"resource_id": _resource(s).pk, "number": 1}
        ),
        "resources:new": Route(
            RESOURCE_KEEPERS,
            method="get+post",
            data=lambda s: {**_RESOURCE_FIELDS, "file": _resource_pdf()},
        ),
        "resources:edit": Route(
            RESOURCE_KEEPERS,
            method="get+post",
            kwargs=lambda s: {"resource_id": _resource(s).pk},
            data=lambda s: _RESOURCE_FIELDS,
        ),
        "resources:new_version": Route(
            RESOURCE_KEEPERS,
            method="get+post",
            kwargs=lambda s: {"resource_id": _resource(s).pk},
            data=lambda s: {"file": _resource_pdf(), "change_note": "Nya exempel."},
        ),
        "resources:archive": Route(
            RESOURCE_KEEPERS,
            method="get+post",
            kwargs=lambda s: {"resource_id": _resource(s).pk},
        ),
    }
)

# --- Resources: end of the block ---------------------------------------------------------------


# --- Trainings (apps/trainings): begin of the block kept by the trainings work -------------


def _training_course(scene: Scene):
    """An offered course of the scene's consortium, made by its communicator."""
    from apps.trainings.models import Course
    from apps.trainings.testing import make_course

    existing = Course.objects.filter(consortium=scene.world.consortium).first()
    return existing or make_course(scene.world)


def _training_session(scene: Scene):
    """A coming session of that course, with seats free."""
    from apps.trainings.testing import make_session

    course = _training_course(scene)
    existing = course.sessions.filter(cancelled_at=None, place="Matrix").first()
    return existing or make_session(course, scene.world.communicator, place="Matrix")


def _training_held(scene: Scene):
    """A session that has already taken place, with the manager in a seat."""
    from apps.trainings.testing import make_session, move_to_past, register

    course = _training_course(scene)
    existing = course.sessions.filter(place="Held").first()
    if existing:
        return existing
    session = make_session(course, scene.world.communicator, place="Held")
    register(scene.world.manager, session, scene.world.skovde, scene.world.skovde_unit)
    return move_to_past(session)


def _training_registration(scene: Scene):
    """The manager's seat on the coming session."""
    from apps.trainings.models import Registration
    from apps.trainings.testing import register

    session = _training_session(scene)
    existing = Registration.objects.filter(session=session, user=scene.world.manager).first()
    return existing or register(
        scene.world.manager, session, scene.world.skovde, scene.world.skovde_unit
    )


def _training_course_form(scene: Scene) -> dict:
    return {
        "consortium": scene.world.consortium.pk,
        "title": "Tjänstedesign",
        "topic": "service_design",
        "description": "",
        "audience": "",
        "is_active": "on",
    }


def _training_session_form(scene: Scene) -> dict:
    from datetime import timedelta

    from django.utils import timezone

    day = timezone.localdate() + timedelta(days=30)
    return {
        "day": day.isoformat(),
        "start_time": "09:00",
        "end_time": "12:00",
        "place": "Hjo",
        "online_link": "",
        "seats": "12",
        "closes_on": "",
    }


#: Communicators and process leaders of the consortium run its trainings.
TRAININGS_RUN = expect(
    anonymous=LOGIN,
    submitter=LOGIN,
    coach=HIDDEN,
    other_coach=HIDDEN,
    process_leader=OK,
    communicator=OK,
    administrator=HIDDEN,
    manager=HIDDEN,
    employee=HIDDEN,
)

MATRIX.update(
    {
        # The course list, course and session pages are public; registering needs a login.
        "trainings:courses": Route(everyone(OK)),
        "trainings:course": Route(
            everyone(OK), kwargs=lambda s: {"course_id": _training_course(s).pk}
        ),
        "trainings:session": Route(
            everyone(OK), kwargs=lambda s: {"session_id": _training_session(s).pk}
        ),
        "trainings:session_ics": Route(
            everyone(OK), kwargs=lambda s: {"session_id": _training_session(s).pk}
        ),
        "trainings:register": Route(
            signed_in(OK),
            method="get+post",
            kwargs=lambda s: {"session_id": _training_session(s).pk},
            data=lambda s: {"municipality": s.world.hjo.pk, "unit": ""},
        ),
        "trainings:mine": Route(signed_in(OK)),
        # Only the person who registered cancels (their own page); to anyone else the
        # registration does not exist.
        "trainings:registration_cancel": Route(
            expect(
                anonymous=LOGIN,
                submitter=LOGIN,
                coach=HIDDEN,
                other_coach=HIDDEN,
                process_leader=HIDDEN,
                communicator=HIDDEN,
                administrator=HIDDEN,
                manager=AWAY,
                employee=HIDDEN,
            ),
            method="post",
            kwargs=lambda s: {"registration_id": _training_registration(s).pk},
        ),
        "trainings:participation": Route(TRAININGS_RUN),
        "trainings:course_create": Route(
            TRAININGS_RUN, method="get+post", data=_training_course_form
        ),
        "trainings:course_edit": Route(
            TRAININGS_RUN,
            method="get+post",
            kwargs=lambda s: {"course_id": _training_course(s).pk},
            data=_training_course_form,
        ),
        "trainings:session_create": Route(
            TRAININGS_RUN,
            method="get+post",
            kwargs=lambda s: {"course_id": _training_course(s).pk},
            data=_training_session_form,
        ),
        "trainings:session_edit": Route(
            TRAININGS_RUN,
            method="get+post",
            kwargs=lambda s: {"session_id": _training_session(s).pk},
            data=_training_session_form,
        ),
        "trainings:session_cancel": Route(
            TRAININGS_RUN,
            method="get+post",
            kwargs=lambda s: {"session_id": _training_session(s).pk},
            data=lambda s: {"message": "Kursledaren är sjuk."},
        ),
        "trainings:participants": Route(
            TRAININGS_RUN,
            method="get+post",
            kwargs=lambda s: {"session_id": _training_held(s).pk},
            data=lambda s: {
                f"attended_{r.pk}": "yes" for r in _training_held(s).registrations.all()
            },
        ),
    }
)

# --- Trainings: end of the block ---------------------------------------------------------------


# --- Newsletters (apps/newsletters): begin of the block kept by the newsletters work -----


def _newsletter_draft(scene: Scene):
    """A draft issue of the scene's consortium with one text block (once per scene)."""
    from apps.newsletters import services as newsletter_services
    from apps.newsletters.models import Newsletter

    existing = Newsletter.objects.filter(
        consortium=scene.world.consortium, status=Newsletter.Status.DRAFT
    ).first()
    if existing:
        return existing
    draft = newsletter_services.newsletter_create(
        actor=scene.world.communicator, consortium=scene.world.consortium, subject="Nyheter"
    )
    newsletter_services.block_add(
        actor=scene.world.communicator, newsletter=draft, kind="text", text="Hej!"
    )
    return draft


def _newsletter_block(scene: Scene):
    return _newsletter_draft(scene).blocks.get()


def _newsletter_sent(scene: Scene):
    """Another issue of the consortium, sent."""
    from apps.newsletters import services as newsletter_services

    issue = newsletter_services.newsletter_create(
        actor=scene.world.communicator,
        consortium=scene.world.consortium,
        subject="Förra numret",
        intro="Det här hände.",
    )
    return newsletter_services.newsletter_send(actor=scene.world.communicator, newsletter=issue)


def _newsletter_subscriber(scene: Scene):
    from apps.newsletters import services as newsletter_services

    return newsletter_services.subscriber_subscribe(
        consortium=scene.world.consortium, email="lasare@example.se"
    )


# The consortium's communicators and process leaders write its newsletter.
COMPOSERS = expect(
    anonymous=LOGIN,
    submitter=LOGIN,
    coach=HIDDEN,
    other_coach=HIDDEN,
    process_leader=OK,
    communicator=OK,
    administrator=HIDDEN,
    manager=HIDDEN,
    employee=HIDDEN,
)
COMPOSERS_WRITE = {
    actor: WRITE if outcome is OK else outcome for actor, outcome in COMPOSERS.items()
}


def _draft_kwargs(scene: Scene) -> dict:
    return {"newsletter_id": _newsletter_draft(scene).pk}


def _block_kwargs(scene: Scene) -> dict:
    block = _newsletter_block(scene)
    return {"newsletter_id": block.newsletter_id, "block_id": block.pk}


MATRIX.update(
    {
        "newsletters:archive": Route(everyone(OK)),
        "newsletters:issue": Route(
            everyone(OK), kwargs=lambda s: {"newsletter_id": _newsletter_sent(s).pk}
        ),
        "newsletters:subscribe": Route(
            everyone(OK),
            method="get+post",
            data=lambda s: {"email": "ny@example.se", "consortium": s.world.consortium.pk},
        ),
        "newsletters:subscribe_sent": Route(everyone(OK)),
        # Private links: whoever holds one gets in.
        "newsletters:confirm": Route(
            everyone(OK),
            method="get+post",
            kwargs=lambda s: {"token": _newsletter_subscriber(s).confirm_token},
        ),
        "newsletters:unsubscribe": Route(
            everyone(OK),
            method="get+post",
            kwargs=lambda s: {"token": _newsletter_subscriber(s).unsubscribe_token},
        ),
        "newsletters:manage": Route(COMPOSERS),
        "newsletters:new": Route(
            COMPOSERS,
            method="get+post",
            data=lambda s: {"consortium": s.world.consortium.pk, "subject": "Nytt nummer"},
        ),
        "newsletters:edit": Route(
            COMPOSERS,
            method="get+post",
            kwargs=_draft_kwargs,
            data=lambda s: {"subject": "Nyheter i maj", "intro": "Välkommen!"},
        ),
        "newsletters:block_add": Route(
            COMPOSERS_WRITE,
            method="post",
            kwargs=lambda s: {**_draft_kwargs(s), "kind": "text"},
            data=lambda s: {"text-text": "Mer nytt."},
        ),
        "newsletters:block_remove": Route(COMPOSERS_WRITE, method="post", kwargs=_block_kwargs),
        "newsletters:block_move": Route(
            COMPOSERS_WRITE,
            method="post",
            kwargs=_block_kwargs,
            data=lambda s: {"direction": "up"},
        ),
        "newsletters:preview": Route(COMPOSERS, kwargs=_draft_kwargs),
        "newsletters:send_test": Route(COMPOSERS_WRITE, method="post", kwargs=_draft_kwargs),
        "newsletters:send": Route(COMPOSERS, method="get+post", kwargs=_draft_kwargs),
    }
)

# --- Newsletters: end of the block -------------------------------------------------------


# --- Security (apps/core): begin of the block kept by the security work --------------------

MATRIX.update(
    {
        # Anyone may report an accessibility problem from the statement (the law's
        # feedback function); the report goes to the consortium administrators by email.
        "core:accessibility_report": Route(
            everyone(WRITE),
            method="post",
            data=lambda s: {"problem": "Knappen Skicka går inte att nå med tangentbordet."},
        ),
    }
)

# --- Security: end of the block ------------------------------------------------------------


# --- Handover (apps/handover): begin of the block kept by the handover work ---------------

# The gap report is for the people who keep ideas owned: administrators and process leaders.
HANDOVER_REPORT = {
    **ADMINISTRATORS_ONLY,
    "process_leader": OK,
}

MATRIX.update(
    {
        # The handover page of a person: administrators of the person's consortium.
        "handover:person": Route(
            ADMINISTRATORS_ONLY,
            method="get+post",
            kwargs=lambda s: {"person_id": s.world.other_coach.pk},
        ),
        "handover:orphans": Route(HANDOVER_REPORT),
        # Kept by the handover work although the URL is in apps/organisations: the leave date.
        "organisations:person_leave_date": Route(
            ADMINISTRATORS_WRITE,
            method="post",
            kwargs=lambda s: {"person_id": s.world.other_coach.pk},
            data=lambda s: {"leaves_on": "2030-01-31"},
        ),
    }
)

# --- Handover: end of the block ------------------------------------------------------------


# --- Audit (apps/audit): begin of the block kept by the audit work ----------------------

# The audit log and its CSV export: administrators only (superusers too); everyone else 404.
MATRIX.update(
    {
        "audit:log": Route(ADMINISTRATORS_ONLY),
        "audit:export": Route(ADMINISTRATORS_ONLY),
    }
)

# --- Audit: end of the block ---------------------------------------------------------------


# --- Privacy (apps/privacy): begin of the block kept by the privacy work ----------------

# Administrators export and erase people of their consortium and read the retention rules;
# nobody else sees those pages (404), anonymous visitors go to the login page.
PRIVACY_ADMIN = expect(
    anonymous=LOGIN,
    submitter=LOGIN,
    coach=HIDDEN,
    other_coach=HIDDEN,
    process_leader=HIDDEN,
    communicator=HIDDEN,
    administrator=OK,
    manager=HIDDEN,
    employee=HIDDEN,
)


def _privacy_submitter_email(scene: Scene) -> dict:
    return {"email": scene.idea.submitters.get(is_primary=True).email}


MATRIX.update(
    {
        "privacy:notice": Route(everyone(OK)),
        # Everyone with an account downloads their own data (the POST answers the ZIP).
        "privacy:my_data": Route(signed_in(OK), method="get+post"),
        "privacy:people": Route(PRIVACY_ADMIN, method="get+post", data=_privacy_submitter_email),
        "privacy:person_export": Route(
            {**PRIVACY_ADMIN, "administrator": WRITE}, method="post", data=_privacy_submitter_email
        ),
        # Without the confirmation box: the overview again (400), nobody is erased.
        "privacy:person_erase": Route(
            {**PRIVACY_ADMIN, "administrator": WRITE}, method="post", data=_privacy_submitter_email
        ),
        "privacy:retention": Route(PRIVACY_ADMIN),
    }
)

# --- Privacy: end of the block ------------------------------------------------------------


# --- Operations (apps/core/health.py): begin of the block kept by the ops work -------------

#: Readiness answers 200 or 503 by the state of the database and the task worker (no worker
#: runs in this test, so 503), never by who asks: no login, no 404, nothing personal in it.
READINESS = Outcome("the readiness answer", frozenset({200, 503}))

MATRIX.update({"readyz": Route(everyone(READINESS))})

# --- Operations: end of the block ----------------------------------------------------------


# --- Idea list export (apps/ideas/exports.py): begin of the block kept by the export work --

# The CSV of the workspace list is the list itself as a file: whoever has the list gets it
# (each with the ideas of their own scope, the coach of Hjo too), everyone else the list's
# 404, anonymous visitors the login page.
MATRIX.update({"ideas:list_export": Route(WORKSPACE)})

# --- Idea list export: end of the block ----------------------------------------------------


# --- Exemptions: third-party patterns --------------------------------------------------

#: allauth's account pages. They are public by nature (sign in, sign up, reset a
#: password) or guard themselves with allauth's own login checks, and they expose no
#: municipal data; `account_login` above stands for them in the matrix. Listed one by
#: one so that an allauth upgrade adding an endpoint is noticed here.
THIRD_PARTY_NAMES = frozenset(
    {
        "account_logout",
        "account_inactive",
        "account_signup",
        "account_reauthenticate",
        "account_request_reauthentication_code",
        "account_confirm_reauthentication_code",
        "account_email",
        "account_email_verification_sent",
        "account_change_password",
        "account_set_password",
        "account_reset_password",
        "account_confirm_login_code",
        "account_confirm_email",
        "account_reset_password_from_key_done",
        "account_reset_password_from_key",
        "account_reset_password_done",
        "account_request_login_code",
        # allauth's single sign-on with the municipalities' identity provider.
        "socialaccount_login_cancelled",
        "socialaccount_login_error",
        "socialaccount_signup",
        "socialaccount_connections",
        "openid_connect_login",
        "openid_connect_callback",
    }
)

#: allauth's unnamed redirects from its old "social/" paths to the new ones.
THIRD_PARTY_UNNAMED = frozenset(
    {
        "<unnamed> /accounts/social/login/cancelled/",
        "<unnamed> /accounts/social/login/error/",
        "<unnamed> /accounts/social/signup/",
        "<unnamed> /accounts/social/connections/",
    }
)

#: Django's admin site: every page in it requires a staff account (checked by the admin
#: itself, see `admin:index` above), and its URL list grows with each registered model,
#: so it is exempted as a whole rather than name by name.
THIRD_PARTY_NAMESPACES = frozenset({"admin"})


# --- Enumerating the project's URL patterns ------------------------------------------


@dataclass(frozen=True)
class Pattern:
    """One URL pattern as the resolver knows it."""

    key: str  # "ideas:detail", or "<unnamed> /the/route/" for a pattern without a name
    route: str
    namespace: str
    params: frozenset[str]


def project_patterns() -> list[Pattern]:
    """Every URL pattern of the project, walking included URLconfs recursively."""

    def walk(entries, namespace: str, prefix: str, params: frozenset[str]):
        for entry in entries:
            route = prefix + str(entry.pattern)
            here = params | frozenset(entry.pattern.regex.groupindex)
            if isinstance(entry, URLResolver):
                inner = namespace
                if entry.namespace:
                    inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                yield from walk(entry.url_patterns, inner, route, here)
            else:
                if entry.name:
                    key = f"{namespace}:{entry.name}" if namespace else entry.name
                else:
                    key = f"<unnamed> /{route}"
                yield Pattern(key=key, route=route, namespace=namespace, params=here)

    return list(walk(get_resolver().url_patterns, "", "", frozenset()))


def is_exempt(pattern: Pattern) -> bool:
    root_namespace = pattern.namespace.split(":")[0]
    return (
        pattern.key in THIRD_PARTY_NAMES
        or pattern.key in THIRD_PARTY_UNNAMED
        or root_namespace in THIRD_PARTY_NAMESPACES
    )
