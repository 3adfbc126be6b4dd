"""The result of a round equals a fixture computed by hand.

Three criteria with different weights, one of them on a 1–10 scale; three assessors hand
in, a fourth only saves a draft (which must not count). The spread is the population
standard deviation; the weighted total stretches each mean onto the round's largest scale.

    Behov        weight 2    scale 1–5    scores 5, 4, 3    mean 4   variance 2/3
    Kostnad      weight 1    scale 1–5    scores 2, 2, 5    mean 3   variance 2
    Nyhetsvärde  weight 1.5  scale 1–10   scores 10, 7, 4   mean 7   variance 6

    stretched onto 1–10: Behov 1 + 3·9/4 = 7.75, Kostnad 1 + 2·9/4 = 5.5, Nyhetsvärde 7
    weighted total = (2·7.75 + 1·5.5 + 1.5·7) / (2 + 1 + 1.5) = 31.5 / 4.5 = 7
"""

import math
import re
from decimal import Decimal
from fractions import Fraction

import pytest
from django.urls import reverse

from apps.assessments import selectors, services
from apps.assessments.models import AssessmentRound, Criterion
from apps.assessments.summary import summarise
from apps.core.testing import make_user

from .helpers import idea_in_assess, open_round, score_all


def _criterion(world, name_sv, name_en, weight, scale_max, position) -> Criterion:
    return services.criterion_save(
        actor=world.process_leader,
        criterion=Criterion(
            consortium=world.consortium,
            name_sv=name_sv,
            name_en=name_en,
            weight=Decimal(weight),
            scale_max=scale_max,
            position=position,
        ),
    )


@pytest.fixture
def scored(world):
    services.criteria_seed_default(consortium=world.consortium)
    chosen = [
        _criterion(world, "Behov", "Need", "2", 5, 1),
        _criterion(world, "Kostnad", "Cost", "1", 5, 2),
        _criterion(world, "Nyhetsvärde", "Novelty", "1.5", 10, 3),
    ]
    people = [make_user(f"Bedömare {n}") for n in "XYZW"]
    idea = idea_in_assess(world)
    round_ = open_round(world, idea, people, criteria_list=chosen)
    score_all(round_, people[0], [5, 2, 10], notes={0: "Tydligt behov.", 2: "Helt nytt."})
    score_all(round_, people[1], [4, 2, 7])
    score_all(round_, people[2], [3, 5, 4], notes={1: "Dyr drift."})
    score_all(round_, people[3], [1, 1, 1], notes={0: "Utkast"}, hand_in=False)
    return round_, people


def test_the_summary_equals_the_hand_computed_fixture(scored):
    round_, people = scored
    loaded = AssessmentRound.objects.prefetch_related(
        "criteria", "assignments__scores", "assignments__assessor"
    ).get(pk=round_.pk)
    summary = selectors.round_summary(loaded)

    by_name = {r.criterion.name_sv: r for r in summary.criteria}
    assert [r.criterion.name_sv for r in summary.criteria] == ["Behov", "Kostnad", "Nyhetsvärde"]
    expected = {
        "Behov": (Fraction(4), Fraction(2, 3), 3, 5),
        "Kostnad": (Fraction(3), Fraction(2), 2, 5),
        "Nyhetsvärde": (Fraction(7), Fraction(6), 4, 10),
    }
    for name, (mean, variance, lowest, highest) in expected.items():
        result = by_name[name]
        assert result.count == 3, name
        assert result.mean == mean, name
        assert result.variance == variance, name
        assert result.spread == pytest.approx(math.sqrt(variance)), name
        assert (result.lowest, result.highest) == (lowest, highest), name
    assert summary.scale_max == 10
    assert summary.weighted_total == Fraction(7)
    # The draft counts nowhere: not in the values, not in the notes, not among the answers.
    assert [a.assessor for a in summary.answered] == people[:3]
    assert [a.assessor for a in summary.waiting] == [people[3]]
    assert [(n.assessor, n.text) for n in by_name["Behov"].notes] == [(people[0], "Tydligt behov.")]
    assert [(n.assessor, n.text) for n in by_name["Kostnad"].notes] == [(people[2], "Dyr drift.")]
    assert [n.text for n in by_name["Nyhetsvärde"].notes] == ["Helt nytt."]


def test_on_one_scale_the_weighted_total_is_the_weighted_mean_of_the_means(scored):
    round_, _people = scored
    criteria = list(round_.criteria.order_by("position"))[:2]  # Behov (2) and Kostnad (1)
    summary = summarise(criteria, list(round_.assignments.prefetch_related("scores")))
    assert summary.scale_max == 5
    assert summary.weighted_total == Fraction(2 * 4 + 1 * 3, 3)


def test_a_round_without_answers_has_no_total():
    assert summarise([], []).weighted_total is None


def test_the_idea_page_and_the_round_page_show_the_fixture(scored, client, world):
    round_, _people = scored
    client.cookies["sluss_language"] = "en"
    client.force_login(world.process_leader)
    for url in (
        reverse("ideas:detail", kwargs={"reference": round_.idea.reference}),
        reverse("assessments:round", kwargs={"round_id": round_.pk}),
    ):
        page = client.get(url).content.decode()
        rows = {
            name: re.search(rf"<th scope=\"row\">{name} .*?</tr>", page, re.S).group(0)
            for name in ("Need", "Cost", "Novelty")
        }
        for name, cells in {
            "Need": ["<td>2</td>", "<td>3</td>", "<td>4.00</td>", "<td>0.82</td>", "<td>3–5</td>"],
            "Cost": ["<td>1</td>", "<td>3</td>", "<td>3.00</td>", "<td>1.41</td>", "<td>2–5</td>"],
            "Novelty": ["<td>1.5</td>", "<td>3</td>", "<td>7.00</td>", "<td>2.45</td>"],
        }.items():
            for cell in cells:
                assert cell in rows[name], (url, name, cell)
        assert "<strong>7.00</strong> of 10" in page
        assert "Tydligt behov." in page and "Dyr drift." in page
        assert "Utkast" not in page
        # Who has not answered is named.
        assert "Bedömare W" in page
