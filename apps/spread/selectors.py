"""Every read of the solution catalogue, adoptions and benefits, scoped to the user."""

from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from django.db.models import (
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.http import Http404

from apps.accounts.models import User
from apps.ideas import policies as idea_policies
from apps.ideas.models import Attachment, Idea, Submitter
from apps.organisations.models import Organisation, Role
from apps.organisations.selectors import access_for

from . import policies
from .models import (
    Adoption,
    AdoptionStage,
    BenefitHypothesis,
    Category,
    Measurement,
    Solution,
)

# --- Publication ------------------------------------------------------------------------


def _published_q() -> Q:
    """A solution is public when its idea may be published, it was approved, and the idea
    is still in a stage offered to other municipalities."""
    return Q(
        idea__consent_to_publish=True,
        approved_at__isnull=False,
        idea__stage__is_spreadable=True,
    )


def published_ideas() -> QuerySet[Idea]:
    """Ideas anyone may see, also without logging in: published in the solution
    catalogue, which needs the submitter's consent and a communicator's (or process
    leader's) approval of the solution's text."""
    return Idea.objects.filter(
        consent_to_publish=True,
        offered_solution__approved_at__isnull=False,
        stage__is_spreadable=True,
    )


def published_solutions() -> QuerySet[Solution]:
    return Solution.objects.filter(_published_q())


def public_catalogue(*, search: str = "", category: str = "") -> QuerySet[Solution]:
    """The public catalogue: published solutions with only their edited text, the
    municipality, and where they are in use."""
    solutions = _search(published_solutions(), search)
    if category:
        solutions = solutions.filter(category=category)
    return solutions.select_related("idea__municipality").prefetch_related(_adoptions_prefetch())


def public_solution(solution_id: int) -> Solution:
    solution = (
        published_solutions()
        .select_related("idea__municipality", "contact")
        .prefetch_related(_adoptions_prefetch())
        .filter(pk=solution_id)
        .first()
    )
    if solution is None:
        raise Http404
    return solution


# --- Who belongs to which catalogue ----------------------------------------------------------


def catalogue_consortium_ids(user) -> frozenset[int]:
    """The consortia whose internal catalogue this user browses (see policies.py): where
    they hold any role, and where they handed in an idea while logged in. Computed once
    per request."""
    if user is None or not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_sluss_catalogue_consortia", None)
    if cached is not None:
        return cached
    access = access_for(user)
    ids = (
        set(access.process_leader_consortia)
        | set(access.communicator_consortia)
        | set(access.administrator_consortia)
    )
    local = set(access.coach_municipalities) | set(access.manager_units)
    through_roles = Q(pk__in=local) if local else Q(pk__in=[])
    submitted = Submitter.objects.filter(Q(user=user) | Q(email__iexact=user.email)).values(
        "idea__municipality_id"
    )
    ids |= set(
        Organisation.objects.filter(through_roles | Q(pk__in=submitted))
        .exclude(consortium_id=None)
        .values_list("consortium_id", flat=True)
    )
    consortia = frozenset(ids)
    user._sluss_catalogue_consortia = consortia
    return consortia


def _visible_solutions_q(user) -> Q:
    access = access_for(user)
    return Q(
        idea__consortium_id__in=catalogue_consortium_ids(user), idea__stage__is_spreadable=True
    ) | (
        Q(idea__municipality_id__in=access.coach_municipalities)
        | Q(idea__consortium_id__in=access.process_leader_consortia)
    )


def solutions_visible_to(user) -> QuerySet[Solution]:
    """The one scoping function for solutions (policies.can_see_solution as a query)."""
    if not user.is_authenticated:
        return Solution.objects.none()
    return Solution.objects.filter(_visible_solutions_q(user))


# --- The catalogue -------------------------------------------------------------------------


@dataclass(frozen=True)
class CatalogueFilters:
    search: str = ""
    municipality_id: int | None = None
    category: str = ""
    adoption_stage: str = ""


def _search(solutions: QuerySet[Solution], search: str) -> QuerySet[Solution]:
    """Every word must match the title, the text, the results or the municipality."""
    for word in search.split()[:8]:
        solutions = solutions.filter(
            Q(title__icontains=word)
            | Q(summary__icontains=word)
            | Q(results__icontains=word)
            | Q(idea__municipality__name__icontains=word)
        )
    return solutions


def _adoptions_prefetch() -> Prefetch:
    return Prefetch(
        "adoptions",
        queryset=Adoption.objects.select_related("municipality").order_by("municipality__name"),
    )


def catalogue(user, filters: CatalogueFilters | None = None) -> QuerySet[Solution]:
    """The internal catalogue: solutions of the user's consortia whose idea is in a stage
    offered to others, filtered, with where each is in use."""
    filters = filters or CatalogueFilters()
    solutions = Solution.objects.filter(
        idea__consortium_id__in=catalogue_consortium_ids(user), idea__stage__is_spreadable=True
    )
    solutions = _search(solutions, filters.search)
    if filters.municipality_id:
        solutions = solutions.filter(idea__municipality_id=filters.municipality_id)
    if filters.category:
        solutions = solutions.filter(category=filters.category)
    if filters.adoption_stage:
        solutions = solutions.filter(adoptions__stage=filters.adoption_stage).distinct()
    return (
        solutions.select_related("idea__municipality", "idea__stage")
        .prefetch_related(_adoptions_prefetch())
        .order_by("title", "pk")
    )


def catalogue_municipalities(user) -> QuerySet[Organisation]:
    """The municipalities of the user's consortia, for the catalogue's filter."""
    return Organisation.objects.filter(
        kind=Organisation.Kind.MUNICIPALITY,
        consortium_id__in=catalogue_consortium_ids(user),
        is_active=True,
    ).order_by("name")


CATEGORY_CHOICES = Category.choices
ADOPTION_STAGE_CHOICES = AdoptionStage.choices


def solution_for_user(user, solution_id: int) -> Solution:
    """One solution the user may see, or 404 whether it is missing or not theirs."""
    solution = (
        solutions_visible_to(user)
        .select_related(
            "idea__municipality",
            "idea__stage",
            "idea__consortium",
            "idea__owner",
            "contact",
            "approved_by",
        )
        .prefetch_related(_adoptions_prefetch(), "documents")
        .filter(pk=solution_id)
        .first()
    )
    if solution is None:
        raise Http404
    return solution


def solution_document(user, solution_id: int, attachment_id: int) -> Attachment:
    """A file chosen for the catalogue, to whoever may see the solution."""
    solution = solution_for_user(user, solution_id)
    attachment = solution.documents.filter(pk=attachment_id, idea_id=solution.idea_id).first()
    if attachment is None:
        raise Http404
    return attachment


def solution_of_idea(idea: Idea) -> Solution | None:
    return Solution.objects.filter(idea=idea).first()


def idea_documents(idea: Idea) -> QuerySet[Attachment]:
    """The idea's files, from which the catalogue's documents are chosen."""
    return idea.attachments.order_by("original_name", "pk")


def people_working_in(municipality: Organisation) -> QuerySet[User]:
    """Active people who can work in a municipality: its coaches and the process leaders
    of its consortium (owners of adoptions and benefits, contact persons)."""
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(memberships__role=Role.COACH, memberships__organisation_id=municipality.pk)
            | Q(
                memberships__role=Role.PROCESS_LEADER,
                memberships__organisation_id=municipality.consortium_id,
            )
        )
        .distinct()
        .order_by("full_name", "email")
    )


def municipalities_to_adopt_for(user, solution: Solution) -> QuerySet[Organisation]:
    """Municipalities the user may adopt the solution for, that have not adopted it yet."""
    access = access_for(user)
    idea = solution.idea
    return (
        Organisation.objects.filter(
            kind=Organisation.Kind.MUNICIPALITY,
            is_active=True,
            consortium_id=idea.consortium_id,
        )
        .filter(
            Q(pk__in=access.coach_municipalities)
            | Q(consortium_id__in=access.process_leader_consortia)
        )
        .exclude(pk=idea.municipality_id)
        .exclude(pk__in=solution.adoptions.values("municipality_id"))
        .order_by("name")
    )


def may_adopt(user, solution: Solution) -> bool:
    """Whether the user may adopt the solution for some municipality other than its own
    (whether or not that municipality has adopted it already)."""
    access = access_for(user)
    idea = solution.idea
    if idea.consortium_id in access.process_leader_consortia:
        return True
    others = set(access.coach_municipalities) - {idea.municipality_id}
    return (
        bool(others)
        and Organisation.objects.filter(pk__in=others, consortium_id=idea.consortium_id).exists()
    )


def adoption_owner_candidates(user, solution: Solution) -> QuerySet[User]:
    """People who may own an adoption of this solution, in any municipality the user may
    adopt for (the service checks the owner against the chosen municipality)."""
    municipalities = municipalities_to_adopt_for(user, solution)
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(memberships__role=Role.COACH, memberships__organisation__in=municipalities)
            | Q(
                memberships__role=Role.PROCESS_LEADER,
                memberships__organisation_id=solution.idea.consortium_id,
            )
        )
        .distinct()
        .order_by("full_name", "email")
    )


# --- Adoptions -------------------------------------------------------------------------------


def adoptions_visible_to(user) -> QuerySet[Adoption]:
    """The one scoping function for adoptions (policies.can_see_adoption as a query)."""
    access = access_for(user)
    return Adoption.objects.filter(
        Q(municipality_id__in=access.coach_municipalities)
        | Q(solution__idea__consortium_id__in=access.process_leader_consortia)
        | Q(solution__idea__municipality_id__in=access.coach_municipalities)
    )


def adoption_for_user(user, adoption_id: int) -> Adoption:
    adoption = (
        adoptions_visible_to(user)
        .select_related(
            "solution__idea__municipality", "solution__idea__stage", "municipality", "owner"
        )
        .filter(pk=adoption_id)
        .first()
    )
    if adoption is None:
        raise Http404
    return adoption


def adoption_changes(adoption: Adoption):
    return adoption.changes.select_related("actor").order_by("on_date", "pk")


# --- Benefits --------------------------------------------------------------------------------

_MONEY = DecimalField(max_digits=20, decimal_places=2)


def _latest_value() -> Subquery:
    return Subquery(
        Measurement.objects.filter(benefit=OuterRef("pk"))
        .order_by("-measured_on", "-pk")
        .values("value")[:1],
        output_field=_MONEY,
    )


def _realised_change():
    """Latest value − baseline, counted in the direction of the target."""
    latest = _latest_value()
    return Case(
        When(target__gte=F("baseline"), then=ExpressionWrapper(latest - F("baseline"), _MONEY)),
        default=ExpressionWrapper(F("baseline") - latest, _MONEY),
        output_field=_MONEY,
    )


def _value_sek():
    return ExpressionWrapper(_realised_change() * F("value_per_unit_sek"), output_field=_MONEY)


def _value_hours():
    return ExpressionWrapper(_realised_change() * F("hours_per_unit"), output_field=_MONEY)


@cache
def _realisation() -> dict:
    """The annotations of `with_realisation`, built once per process: a query resolves
    copies of the expressions it is given, never the expressions themselves, so one set
    serves every query. Building them (eleven subqueries and cases) cost an idea page
    more than reading its benefits."""
    return {
        "latest_value": _latest_value(),
        "latest_on": Subquery(
            Measurement.objects.filter(benefit=OuterRef("pk"))
            .order_by("-measured_on", "-pk")
            .values("measured_on")[:1]
        ),
        "realised_change": _realised_change(),
        "realised_sek": _value_sek(),
        "realised_hours": _value_hours(),
        "progress_percent": Case(
            When(target=F("baseline"), then=Value(None, output_field=_MONEY)),
            When(
                target__gt=F("baseline"),
                then=ExpressionWrapper(
                    _realised_change() * Value(Decimal(100)) / (F("target") - F("baseline")),
                    _MONEY,
                ),
            ),
            default=ExpressionWrapper(
                _realised_change() * Value(Decimal(100)) / (F("baseline") - F("target")), _MONEY
            ),
            output_field=_MONEY,
        ),
    }


def with_realisation(benefits: QuerySet[BenefitHypothesis]) -> QuerySet[BenefitHypothesis]:
    """Each benefit with its latest value, realised change, % of the way from baseline to
    target, and value realised in SEK and hours, all computed by the database."""
    return benefits.annotate(**_realisation())


def benefits_of_idea(idea: Idea) -> QuerySet[BenefitHypothesis]:
    """The idea's own benefits (in its municipality), not those of adoptions."""
    return with_realisation(
        BenefitHypothesis.objects.filter(idea=idea, adoption__isnull=True).select_related("owner")
    ).order_by("created_at", "pk")


def benefits_of_adoption(adoption: Adoption) -> QuerySet[BenefitHypothesis]:
    return with_realisation(
        BenefitHypothesis.objects.filter(adoption=adoption).select_related("owner")
    ).order_by("created_at", "pk")


def benefit_for_user(user, benefit_id: int) -> BenefitHypothesis:
    """One benefit the user may see (through its idea or its adoption), or 404."""
    benefit = (
        with_realisation(BenefitHypothesis.objects.filter(pk=benefit_id))
        .select_related(
            "idea__municipality",
            "idea__stage",
            "adoption__municipality",
            "adoption__solution__idea",
            "municipality",
            "owner",
        )
        .first()
    )
    if benefit is None or not policies.can_see_benefit(access_for(user), benefit):
        raise Http404
    return benefit


def measurements_of(benefit: BenefitHypothesis) -> QuerySet[Measurement]:
    return benefit.measurements.select_related("recorded_by").order_by("-measured_on", "-pk")


def benefit_owner_candidates(*, idea: Idea, adoption: Adoption | None = None) -> QuerySet[User]:
    """Who may own a benefit: those who can work in the municipality where it is realised."""
    return people_working_in(adoption.municipality if adoption else idea.municipality)


# --- Totals ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TotalsRow:
    """Summed benefits of one municipality or one consortium."""

    name: str
    benefits: int
    measured: int
    sek: Decimal
    hours: Decimal


def _totals(rows) -> list[TotalsRow]:
    return [
        TotalsRow(
            name=row["name"],
            benefits=row["benefits"],
            measured=row["measured"],
            sek=row["sek"] if row["sek"] is not None else Decimal(0),
            hours=row["hours"] if row["hours"] is not None else Decimal(0),
        )
        for row in rows
    ]


def benefit_totals(user) -> dict:
    """Value realised per municipality and per consortium, summed by the database in a
    fixed number of queries however many benefits and measurements there are."""
    benefits = BenefitHypothesis.objects.filter(
        idea__consortium_id__in=catalogue_consortium_ids(user)
    )
    sums = {
        "sek": Sum(_value_sek()),
        "hours": Sum(_value_hours()),
    }
    counts = {
        "benefits": Count("pk"),
        "measured": Count("pk", filter=Q(pk__in=Measurement.objects.values("benefit_id"))),
    }
    municipalities = (
        benefits.values("municipality_id")
        .annotate(name=F("municipality__name"), **counts, **sums)
        .order_by("name")
    )
    consortia = (
        benefits.values("idea__consortium_id")
        .annotate(name=F("idea__consortium__name"), **counts, **sums)
        .order_by("name")
    )
    return {
        "municipalities": _totals(municipalities),
        "consortia": _totals(consortia),
    }


# --- The idea page's section ---------------------------------------------------------------


def idea_section(user, idea: Idea) -> dict:
    """What the idea page shows about spreading: the solution, its adoptions, and the
    idea's own benefits, in a fixed number of queries."""
    access = access_for(user)
    solution = (
        Solution.objects.filter(idea=idea)
        .select_related("approved_by")
        .prefetch_related(_adoptions_prefetch())
        .first()
    )
    return {
        "solution": solution,
        "adoptions": list(solution.adoptions.all()) if solution else [],
        "benefits": list(benefits_of_idea(idea)),
        "can_write": policies.can_write_solution(access, idea),
        "offerable": policies.idea_offerable(idea),
        "can_work": idea_policies.can_work(access, idea),
    }
