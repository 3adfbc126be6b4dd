"""The result of a round, computed from its handed-in scores (no database access here).

Per criterion: the number of answers, the mean, the spread as the *population* standard
deviation (the assessors of a round are the whole panel, not a sample of one), the lowest
and highest score, and the notes. The weighted total is the weighted mean of the criterion
means; when criteria of one round use different scales, each mean is first stretched
linearly onto the largest scale of the round (1 stays 1, the top stays the top). Means,
variances and the total are exact fractions; only the spread needs a square root.
"""

import math
from dataclasses import dataclass, field
from fractions import Fraction


@dataclass
class Note:
    assessor: object
    text: str


@dataclass
class CriterionResult:
    criterion: object  # RoundCriterion
    values: list[int] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.values)

    @property
    def mean(self) -> Fraction | None:
        return Fraction(sum(self.values), len(self.values)) if self.values else None

    @property
    def variance(self) -> Fraction | None:
        mean = self.mean
        if mean is None:
            return None
        return sum(((v - mean) ** 2 for v in self.values), Fraction(0)) / len(self.values)

    @property
    def spread(self) -> float | None:
        variance = self.variance
        return None if variance is None else math.sqrt(variance)

    @property
    def lowest(self) -> int | None:
        return min(self.values) if self.values else None

    @property
    def highest(self) -> int | None:
        return max(self.values) if self.values else None

    @property
    def mean_float(self) -> float | None:
        return None if self.mean is None else float(self.mean)


@dataclass
class AssessorRow:
    """One handed-in assessor's scores, in the order of the round's criteria."""

    assignment: object
    scores: list  # Score or None per criterion


@dataclass
class RoundSummary:
    criteria: list[CriterionResult]
    rows: list[AssessorRow]
    answered: list  # assignments handed in
    waiting: list  # assignments not handed in
    scale_max: int

    @property
    def weighted_total(self) -> Fraction | None:
        top = self.scale_max
        weighted, weights = Fraction(0), Fraction(0)
        for result in self.criteria:
            mean = result.mean
            if mean is None:
                continue
            own_top = result.criterion.scale_max
            stretched = 1 + (mean - 1) * Fraction(top - 1, own_top - 1)
            weight = Fraction(result.criterion.weight)
            weighted += weight * stretched
            weights += weight
        return weighted / weights if weights else None

    @property
    def weighted_total_float(self) -> float | None:
        total = self.weighted_total
        return None if total is None else float(total)


def summarise(criteria: list, assignments: list) -> RoundSummary:
    """The summary of a round from its criteria and its assignments, each assignment with
    its scores and assessor already loaded. Only handed-in assignments count."""
    results = {c.pk: CriterionResult(criterion=c) for c in criteria}
    answered = [a for a in assignments if a.submitted_at is not None]
    waiting = [a for a in assignments if a.submitted_at is None]
    rows = []
    for assignment in answered:
        by_criterion = {s.criterion_id: s for s in assignment.scores.all()}
        for score in by_criterion.values():
            result = results.get(score.criterion_id)
            if result is None:
                continue
            if score.value is not None:
                result.values.append(score.value)
            if score.note.strip():
                result.notes.append(Note(assessor=assignment.assessor, text=score.note))
        rows.append(
            AssessorRow(assignment=assignment, scores=[by_criterion.get(c.pk) for c in criteria])
        )
    return RoundSummary(
        criteria=[results[c.pk] for c in criteria],
        rows=rows,
        answered=answered,
        waiting=waiting,
        scale_max=max((c.scale_max for c in criteria), default=5),
    )
