"""The public statistics page: for everyone, one consortium at a time, aggregates only.

The leak test builds ideas whose every personal or identifying detail is distinctive (the
submitters' names, emails and phones, co-submitters, the coach who owns the idea, the
outside expert, idea titles, references, free-text reasons, solution titles, benefit
texts) and checks that none of them appears on the public page or in any of its exports.
As a control, the same details do reach the logged-in dashboard, so the search for them
is known to work.
"""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from apps.core import testing
from apps.ideas.services import CoSubmitter, idea_assign_owner, idea_move
from apps.organisations.models import Role
from apps.referrals import services as referrals
from apps.spread.testing import adopt, make_benefit, make_solution, measure, move_to_spread
from apps.stats import figures, selectors
from apps.stats.tables import Filters
from apps.workflow.models import Stage

pytestmark = pytest.mark.django_db


def _stage(idea, key):
    return Stage.objects.get(consortium_id=idea.consortium_id, key=key)


@pytest.fixture
def secrets(world) -> list[str]:
    """Ideas full of distinctive personal details; returns every detail to look for."""
    owner = testing.make_user(
        "Quirinus Coachberg", (Role.COACH, world.skovde), email="quirinus.c@skovde.se"
    )
    leader = world.process_leader
    found: list[str] = ["Quirinus Coachberg", "quirinus.c@skovde.se"]
    ideas = []
    for number, municipality in enumerate((world.skovde, world.hjo, world.skovde), start=1):
        idea = testing.submit_idea(
            municipality,
            title=f"Xylofonidé nummer {number} av Zebulon",
            need=f"Behovet Vattenkrokus {number}.",
            submitter_name=f"Zebulon Hemligsson{number}",
            submitter_email=f"zebulon{number}@hemlig.example",
            submitter_phone=f"070-99988{number}",
            co_submitters=[
                CoSubmitter(name=f"Ottilia Medförslag{number}", email=f"ottilia{number}@x.se")
            ],
            consent_to_publish=True,
        )
        found += [
            idea.title,
            idea.reference,
            f"Zebulon Hemligsson{number}",
            f"zebulon{number}@hemlig.example",
            f"070-99988{number}",
            f"Ottilia Medförslag{number}",
            f"ottilia{number}@x.se",
        ]
        ideas.append(idea)
    first, second, third = ideas
    first = idea_assign_owner(idea=first, actor=leader, owner=owner)
    second = idea_move(
        idea=second,
        actor=leader,
        to_stage=_stage(second, "capture"),
        expected_stage_id=second.stage_id,
    )
    second = idea_move(
        idea=second,
        actor=leader,
        to_stage=_stage(second, "closed"),
        expected_stage_id=second.stage_id,
        reason="Skälet Paprikaspöke gäller Zebulon",
    )
    found.append("Paprikaspöke")
    expert = referrals.external_actor_create(
        actor=leader,
        consortium=world.consortium,
        name="Yrsa Expertsdotter",
        organisation="Ödesbyrån Fjällräv",
        email="yrsa@odesbyran.example",
    )
    referrals.referral_send(
        idea=first,
        actor=leader,
        question="Frågan Tulpanbåt?",
        due_date=timezone.localdate() + timedelta(days=14),
        external_actor=expert,
    )
    found += ["Yrsa Expertsdotter", "Ödesbyrån Fjällräv", "yrsa@odesbyran.example", "Tulpanbåt"]
    spread_idea = move_to_spread(third, leader)
    solution = make_solution(spread_idea, world.coach, title="Lösningen Kardemummatåg")
    adoption = adopt(solution, world.other_coach, world.hjo)
    benefit = make_benefit(
        spread_idea,
        world.other_coach,
        adoption=adoption,
        owner=world.other_coach,
        description="Nyttan Hallonkrokodil",
        indicator="Indikatorn Blåbärsräv",
    )
    measure(benefit, world.other_coach, 25, timezone.localdate())
    found += ["Kardemummatåg", "Hallonkrokodil", "Blåbärsräv", world.coach.full_name]
    return found


def _xlsx_text(content: bytes) -> str:
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    return "\n".join(
        str(value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )


def _public_texts(client) -> dict[str, str]:
    """The public page and every export it links to, as text."""
    page = client.get(reverse("stats:public"))
    assert page.status_code == 200
    texts = {"page": page.content.decode()}
    for table in page.context["tables"]:
        for fmt in ("csv", "xlsx"):
            url = reverse("stats:public_export", kwargs={"slug": table.slug, "fmt": fmt})
            response = client.get(url, {"start": page.context["filters"].start.isoformat()})
            assert response.status_code == 200, url
            assert f'href="{url}?' in texts["page"]
            texts[f"{table.slug}.{fmt}"] = (
                response.content.decode("utf-8-sig")
                if fmt == "csv"
                else _xlsx_text(response.content)
            )
    return texts


def test_the_public_page_and_its_exports_leak_no_personal_details(client, world, secrets):
    texts = _public_texts(client)
    assert len(texts) == 1 + 2 * len(figures.public_tables(filters=_filters(world)))
    leaks = [
        (secret, where) for secret in secrets for where, text in texts.items() if secret in text
    ]
    assert not leaks


def test_control_the_dashboard_does_show_the_internal_details(client, world, secrets):
    # The search above is only worth something if it finds what is there to find.
    client.force_login(world.process_leader)
    page = client.get(reverse("stats:dashboard")).content.decode()
    assert "Kardemummatåg" in page
    assert "Paprikaspöke" in page


def test_logged_in_people_see_the_same_public_page(client, world, secrets):
    anonymous = client.get(reverse("stats:public"))
    client.force_login(world.process_leader)
    logged_in = client.get(reverse("stats:public"))
    assert [t.slug for t in logged_in.context["tables"]] == [
        t.slug for t in anonymous.context["tables"]
    ]
    assert "Kardemummatåg" not in logged_in.content.decode()


def _filters(world) -> Filters:
    start, end = selectors.default_period()
    return Filters(start=start, end=end, consortium_ids=frozenset({world.consortium.pk}))


def test_a_dashboard_only_statistic_is_not_exported_publicly(client, world):
    public = {t.slug for t in figures.public_tables(filters=_filters(world))}
    internal = {t.slug for t in figures.dashboard_tables(filters=_filters(world))} - public
    assert internal  # e.g. the outcome reasons and the adoptions per solution
    for slug in internal:
        url = reverse("stats:public_export", kwargs={"slug": slug, "fmt": "csv"})
        assert client.get(url).status_code == 404


def test_one_consortium_at_a_time_and_a_choice_when_there_are_several(client, world):
    single = client.get(reverse("stats:public"))
    assert "consortium" not in single.context["form"].fields
    assert single.context["filters"].consortium_ids == {world.consortium.pk}
    fyrbodal = testing.make_consortium("Fyrbodal", prefix="FYR")
    uddevalla = testing.make_municipality(fyrbodal, "Uddevalla", 3000)
    testing.submit_idea(uddevalla)
    several = client.get(reverse("stats:public"))
    assert "consortium" in several.context["form"].fields
    # The first by name unless one is chosen.
    assert several.context["filters"].consortium_ids == {fyrbodal.pk}
    chosen = client.get(reverse("stats:public"), {"consortium": world.consortium.pk})
    assert chosen.context["filters"].consortium_ids == {world.consortium.pk}
    assert "Uddevalla" not in chosen.content.decode()
    assert "Uddevalla" in several.content.decode()
