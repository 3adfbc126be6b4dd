"""`python manage.py load_demo`: the Skaraborg demo that `make run` starts with.

Loads one consortium (Skaraborgs kommunalförbund) with the default process, its 15
municipalities and their units, a demo login for every role, and about 300 ideas spread
over every stage and outcome with consistent timelines, then prints the logins.

Ideas are written straight to the models with bulk_create rather than through the idea
services: the services would fill the email outbox with hundreds of receipts and
notifications, and they stamp everything with the current time, while the demo needs two
and a half years of history. What the services would keep consistent (references and
their counters, submitters' private-link hashes, the timeline, `stage_entered_at` and
`last_activity_at`) is kept consistent here by hand.

The command is idempotent: when the consortium exists it changes nothing and only prints
the logins. The texts and names live in `apps/core/demo_data.py`; the random choices come
from `random.Random(2026)`, so every run builds the same demo relative to the day it runs.
"""

import itertools
import random
import time
import unicodedata
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from datetime import time as clock

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.core import demo_data as data
from apps.ideas.models import (
    Idea,
    ReferenceCounter,
    Submitter,
    Tag,
    TimelineEntry,
    hash_token,
    new_link_salt,
    token_from_salt,
)
from apps.organisations.models import Membership, Organisation, Role
from apps.search.similarity import ideas_written
from apps.workflow.models import Stage, Transition
from apps.workflow.services import process_seed_default

SEED = 2026
SPAN_DAYS = 912  # about two and a half years of history

# How many ideas end in each stage (300 in all): most in the early stages, where ideas
# queue, and some in every outcome.
STAGE_QUOTAS = {
    "received": 42,
    "capture": 58,
    "assess": 44,
    "test": 30,
    "develop": 22,
    "spread": 14,
    "implemented": 22,
    "closed": 38,
    "parked": 18,
    "handed_over": 12,
}
MAIN_ROUTE = ["received", "capture", "assess", "test", "develop", "spread"]

# Days an idea spends in a stage before it moves on.
STEP_DAYS = {
    "received": (2, 20),
    "capture": (14, 100),
    "assess": (20, 110),
    "test": (40, 160),
    "develop": (60, 240),
    "spread": (90, 300),
    "parked": (60, 240),
}
# Days an idea has waited in its current stage today, and (second pair) how long the
# one in four that got stuck has waited: the process is slow (DESIGN.md §1), and the
# stage clocks and nudges need overdue ideas to show.
DWELL_DAYS = {
    "received": ((0.1, 12), (14, 45)),
    "capture": ((3, 110), (120, 420)),
    "assess": ((3, 90), (100, 400)),
    "test": ((7, 120), (130, 300)),
    "develop": ((10, 180), (190, 360)),
    "spread": ((10, 240), (250, 450)),
}

Kind = TimelineEntry.Kind


@dataclass
class Event:
    """One timeline entry before the idea (and its submitters) have primary keys."""

    at: datetime
    kind: str
    actor: User | None = None
    submitter: int | None = None  # index into the plan's submitters
    from_key: str | None = None
    to_key: str | None = None
    body: str = ""


@dataclass
class Person:
    name: str
    email: str
    user: User | None = None

    @property
    def first_name(self) -> str:
        return self.name.split(" ")[0]


@dataclass
class Plan:
    """Everything about one demo idea, decided before anything is written."""

    base: data.BaseIdea
    municipality: str  # slug
    title: str
    need: str
    solution: str
    stage_key: str = ""
    workplace: str = ""
    unit: Organisation | None = None
    submitters: list[Person] = field(default_factory=list)
    phone: str = ""
    owner: User | None = None
    tags: tuple[str, ...] = ()
    consent: bool = False
    events: list[Event] = field(default_factory=list)
    created_at: datetime | None = None
    stage_entered_at: datetime | None = None
    reference: str = ""


def route_to(rng: random.Random, stage_key: str) -> list[str]:
    """The stages an idea passed through to reach `stage_key`, along default moves."""
    if stage_key in MAIN_ROUTE:
        route = MAIN_ROUTE[: MAIN_ROUTE.index(stage_key) + 1]
        roll = rng.random()
        # A few ideas went back a step, or were woken from the shelf.
        if stage_key == "capture" and roll < 0.10:
            route = ["received", "capture", "assess", "capture"]
        elif stage_key == "capture" and roll < 0.16:
            route = ["received", "capture", "parked", "capture"]
        elif stage_key == "assess" and roll < 0.12:
            route = ["received", "capture", "assess", "test", "assess"]
        return route
    if stage_key == "implemented":
        spread = ["spread"] if rng.random() < 0.4 else []
        return [*MAIN_ROUTE[:5], *spread, "implemented"]
    left_from = {
        "closed": (["received", "capture", "assess", "test", "develop"], [25, 35, 28, 8, 4]),
        "parked": (["capture", "assess", "test", "develop"], [40, 35, 15, 10]),
        "handed_over": (["assess", "develop"], [60, 40]),
    }[stage_key]
    last = rng.choices(*left_from)[0]
    return [*MAIN_ROUTE[: MAIN_ROUTE.index(last) + 1], stage_key]


def ascii_slug(text: str) -> str:
    """'Åsa Kovačević' → 'asa.kovacevic', for fictional email addresses."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return plain.lower().replace(" ", ".")


class DemoBuilder:
    """Builds the whole demo inside the caller's transaction."""

    def __init__(self, *, rng: random.Random, now: datetime):
        self.rng = rng
        self.now = now
        self.zone = timezone.get_current_timezone()

    # --- organisations, people, tags ---------------------------------------------------

    def build(self) -> dict[str, int]:
        self._organisations()
        self._people()
        self.tags = {
            tag.name: tag
            for tag in Tag.objects.bulk_create(
                Tag(consortium=self.consortium, name=name) for name in data.TAGS
            )
        }
        plans = self._plan_ideas()
        for plan in plans:
            self._tell_story(plan)
        self._number(plans)
        counts = self._write(plans)
        counts.update(self._spread())
        return counts

    def _spread(self) -> dict[str, int]:
        """The solution catalogue: ideas in Spread or Implemented written up as solutions
        (those with consent published), adopted by other municipalities at every stage, and
        benefit plans with measurements over the last months (apps/spread)."""
        from decimal import Decimal

        from apps.spread.models import (
            Adoption,
            AdoptionStage,
            AdoptionStageChange,
            BenefitHypothesis,
            Category,
            Measurement,
            Solution,
        )

        rng = self.rng
        today = timezone.localdate(self.now)
        communicator = User.objects.get(email=f"kommunikator@{data.EMAIL_DOMAIN}")
        slug_of = {m.pk: slug for slug, m in self.municipalities.items()}
        ideas = list(
            Idea.objects.filter(consortium=self.consortium, stage__is_spreadable=True)
            .select_related("municipality", "owner")
            .order_by("reference")[:6]
        )
        # Indicator, unit, baseline, target, SEK and hours per unit of change, measured values.
        plans = [
            (
                "Restid per hembesök",
                "minuter",
                30,
                22,
                Decimal("9.50"),
                Decimal("0.02"),
                [28, 25, 24],
            ),
            ("Sjukfrånvaro i arbetslaget", "%", 8, 6, Decimal("15000"), None, [7.6, 7.1]),
            (
                "Ärenden lösta vid första kontakt",
                "st per vecka",
                40,
                60,
                Decimal("120"),
                Decimal("0.5"),
                [46, 51, 55],
            ),
            (
                "Pappersutskrifter",
                "sidor per månad",
                5000,
                2000,
                Decimal("0.40"),
                None,
                [4200, 3100],
            ),
        ]
        stages = [
            AdoptionStage.IN_USE,
            AdoptionStage.TESTING,
            AdoptionStage.PLANNED,
            AdoptionStage.STOPPED,
        ]
        entries, counts = [], {"solutions": 0, "adoptions": 0, "benefits": 0, "measurements": 0}

        def benefit(idea, adoption, municipality, owner, plan_index: int) -> None:
            indicator, unit, baseline, target, sek, hours, values = plans[plan_index % len(plans)]
            item = BenefitHypothesis.objects.create(
                idea=idea,
                adoption=adoption,
                municipality=municipality,
                owner=owner,
                description=f"{indicator}: från {baseline} till {target} {unit}.",
                indicator=indicator,
                unit=unit,
                baseline=Decimal(baseline),
                target=Decimal(target),
                how_measured="Verksamhetssystemet, första veckan varje månad.",
                phase="follow_up",
                value_per_unit_sek=sek,
                hours_per_unit=hours,
                follow_up_every_days=30,
                next_measurement_due=today + timedelta(days=rng.randint(-5, 25)),
            )
            Measurement.objects.bulk_create(
                Measurement(
                    benefit=item,
                    value=Decimal(str(value)),
                    recorded_by=owner,
                    measured_on=today - timedelta(days=30 * (len(values) - n)),
                )
                for n, value in enumerate(values)
            )
            counts["benefits"] += 1
            counts["measurements"] += len(values)
            entries.append(
                TimelineEntry(
                    idea=idea,
                    kind=TimelineEntry.Kind.BENEFIT_MEASURED,
                    actor=owner,
                    body=f"{indicator} ({municipality.name}): {values[-1]} {unit}.",
                )
            )

        for number, idea in enumerate(ideas):
            contact = idea.owner or self.coaches[slug_of[idea.municipality_id]]
            approved = idea.consent_to_publish and number % 3 != 2
            solution = Solution.objects.create(
                idea=idea,
                title=idea.title,
                summary=idea.solution,
                results="Testat i en verksamhet i ett halvår; se nyttorna nedan.",
                category=list(Category.values)[number % len(Category.values)],
                contact=contact,
                created_by=contact,
                created_at=self.now - timedelta(days=90),
                approved_by=communicator if approved else None,
                approved_at=self.now - timedelta(days=60) if approved else None,
            )
            counts["solutions"] += 1
            entries.append(
                TimelineEntry(
                    idea=idea,
                    kind=TimelineEntry.Kind.SOLUTION_PUBLISHED,
                    actor=contact,
                    body="Erbjuden de andra kommunerna i lösningskatalogen.",
                )
            )
            benefit(idea, None, idea.municipality, contact, number)
            others = [
                slug
                for slug in sorted(self.coaches)
                if self.municipalities[slug].pk != idea.municipality_id
            ]
            for k, slug in enumerate(rng.sample(others, 2)):
                stage = stages[(number + k) % len(stages)]
                coach = self.coaches[slug]
                adoption = Adoption.objects.create(
                    solution=solution,
                    municipality=self.municipalities[slug],
                    owner=coach,
                    stage=stage,
                    stage_since=today - timedelta(days=20),
                    stop_reason="Ingen budget i år." if stage == AdoptionStage.STOPPED else "",
                    created_by=coach,
                    created_at=self.now - timedelta(days=50),
                )
                AdoptionStageChange.objects.create(
                    adoption=adoption,
                    to_stage=stage,
                    on_date=adoption.stage_since,
                    actor=coach,
                    reason=adoption.stop_reason,
                )
                counts["adoptions"] += 1
                entries.append(
                    TimelineEntry(
                        idea=idea,
                        kind=TimelineEntry.Kind.ADOPTED,
                        actor=coach,
                        body=f"{adoption.municipality.name} inför lösningen.",
                    )
                )
                if stage in (AdoptionStage.IN_USE, AdoptionStage.TESTING):
                    benefit(idea, adoption, adoption.municipality, coach, number + k + 1)
        # Each idea's spreading happened after it reached its stage, in the order recorded.
        ideas_by_pk = {idea.pk: idea for idea in ideas}
        seen: dict[int, int] = defaultdict(int)
        for entry in entries:
            idea = ideas_by_pk[entry.idea_id]
            seen[idea.pk] += 1
            entry.created_at = idea.stage_entered_at + (self.now - idea.stage_entered_at) * (
                0.3 + 0.05 * seen[idea.pk]
            )
        TimelineEntry.objects.bulk_create(entries)
        for idea in ideas:
            latest = max(e.created_at for e in entries if e.idea_id == idea.pk)
            if latest > idea.last_activity_at:
                Idea.objects.filter(pk=idea.pk).update(last_activity_at=latest)
        return counts

    def _organisations(self) -> None:
        # Individual saves: Organisation.save() fills in the denormalised ancestors, and
        # ninety rows cost nothing.
        self.consortium = Organisation.objects.create(
            kind=Organisation.Kind.CONSORTIUM,
            name=data.CONSORTIUM_NAME,
            slug=data.CONSORTIUM_SLUG,
            reference_prefix=data.REFERENCE_PREFIX,
        )
        process_seed_default(consortium=self.consortium)
        self.stages = {s.key: s for s in Stage.objects.filter(consortium=self.consortium)}
        self.transitions = {
            (t.from_stage.key, t.to_stage.key): t
            for t in Transition.objects.filter(
                from_stage__consortium=self.consortium
            ).select_related("from_stage", "to_stage")
        }
        self.municipalities: dict[str, Organisation] = {}
        self.units: dict[str, dict[str, Organisation]] = {}
        for name, slug, employees, unit_count in data.MUNICIPALITIES:
            municipality = Organisation.objects.create(
                kind=Organisation.Kind.MUNICIPALITY,
                name=name,
                slug=slug,
                parent=self.consortium,
                employee_count=employees,
            )
            self.municipalities[slug] = municipality
            self.units[slug] = {}
            for area in data.UNIT_ORDER[:unit_count]:
                unit_name, unit_slug = data.UNITS[area]
                self.units[slug][area] = Organisation.objects.create(
                    kind=Organisation.Kind.UNIT, name=unit_name, slug=unit_slug, parent=municipality
                )

    def _people(self) -> None:
        # One hash for every demo account: the password is the same published one, and
        # Argon2 is deliberately slow, so hashing it twenty-odd times would only cost time.
        password = make_password(data.PASSWORD)
        wanted = [
            (f"coach.{slug}@{data.EMAIL_DOMAIN}", name) for slug, name in data.COACHES.items()
        ] + [(f"{p.local_part}@{data.EMAIL_DOMAIN}", p.full_name) for p in data.CENTRAL_PEOPLE]
        existing = {u.email: u for u in User.objects.filter(email__in=[e for e, _ in wanted])}
        User.objects.bulk_create(
            User(
                email=email,
                full_name=name,
                password=password,
                is_active=True,
                preferred_language="sv",
            )
            for email, name in wanted
            if email not in existing
        )
        users = {u.email: u for u in User.objects.filter(email__in=[e for e, _ in wanted])}
        self.coaches = {slug: users[f"coach.{slug}@{data.EMAIL_DOMAIN}"] for slug in data.COACHES}
        memberships = [
            Membership(user=user, organisation=self.municipalities[slug], role=Role.COACH)
            for slug, user in self.coaches.items()
        ]
        self.process_leaders = []
        for person in data.CENTRAL_PEOPLE:
            user = users[f"{person.local_part}@{data.EMAIL_DOMAIN}"]
            if person.role == Role.PROCESS_LEADER:
                self.process_leaders.append(user)
            if person.role == Role.MANAGER:
                organisation = self.units[person.municipality][person.where]
            elif person.role:
                organisation = self.consortium
            else:
                self.employee = Person(person.full_name, user.email, user)
                self.employee_municipality = person.municipality
                continue
            memberships.append(Membership(user=user, organisation=organisation, role=person.role))
        Membership.objects.bulk_create(memberships)

    # --- planning the ideas ------------------------------------------------------------

    def _plan_ideas(self) -> list[Plan]:
        rng = self.rng
        total = sum(STAGE_QUOTAS.values())
        bases = data.BASE_IDEAS
        near_duplicates = [d for d in data.NEAR_DUPLICATES if d.key != "foraldraresan"]
        foraldraresan = Plan(
            base=data.FORALDRARESAN,
            municipality="skovde",
            title=data.FORALDRARESAN.titles[0],
            need=data.FORALDRARESAN.need,
            solution=data.FORALDRARESAN.solution,
            stage_key="develop",
            workplace="familjecentralen",
        )
        duplicate = next(d for d in data.NEAR_DUPLICATES if d.key == "foraldraresan")
        foraldraresan_again = Plan(
            base=duplicate,
            municipality="lidkoping",
            title=duplicate.titles[0],
            need=duplicate.need,
            solution=duplicate.solution,
            stage_key="capture",
            workplace="elevhälsan",
        )
        fixed = [foraldraresan, foraldraresan_again]

        # Every base idea at least once, popular ones in up to nine municipalities.
        copies = {b.key: 1 for b in bases}
        popularity = [rng.choice((1, 2, 3, 4)) for _ in bases]
        remaining = total - len(fixed) - len(near_duplicates) - len(bases)
        while remaining:
            base = rng.choices(bases, popularity)[0]
            if copies[base.key] < 9:
                copies[base.key] += 1
                remaining -= 1

        # Larger municipalities hand in more ideas, but less than in proportion: small ones
        # have active coaches too.
        weights = {slug: emp**0.8 for _, slug, emp, _ in data.MUNICIPALITIES}
        self.quota = {s: total * w / sum(weights.values()) for s, w in weights.items()}
        self.quota["skovde"] -= 1
        self.quota["lidkoping"] -= 1
        used: dict[str, set[str]] = defaultdict(set)
        plans: list[Plan] = []
        for base in bases:
            for index in range(copies[base.key]):
                slug = self._pick_municipality(exclude=used[base.key])
                used[base.key].add(slug)
                plans.append(self._variant(base, index, slug))
        for duplicate in near_duplicates:
            slug = self._pick_municipality(exclude=used[duplicate.key])
            plans.append(
                Plan(
                    base=duplicate,
                    municipality=slug,
                    title=duplicate.titles[0],
                    need=duplicate.need,
                    solution=duplicate.solution,
                )
            )

        pool = [key for key, count in STAGE_QUOTAS.items() for _ in range(count)]
        for plan in fixed:
            pool.remove(plan.stage_key)
        rng.shuffle(pool)
        for plan, stage_key in zip(plans, pool, strict=True):
            plan.stage_key = stage_key
        plans = fixed + plans

        # The demo employee handed in two of the Skövde ideas, so "my ideas" has content.
        for wanted in ("capture", "received"):
            plan = next(
                p
                for p in plans[len(fixed) :]
                if p.municipality == self.employee_municipality
                and p.stage_key == wanted
                and not p.submitters
            )
            plan.submitters = [self.employee]

        people = self._submitter_pool()
        for plan in plans:
            self._fill_in(plan, people[plan.municipality])
        foraldraresan.owner = self.process_leaders[0]
        return plans

    def _pick_municipality(self, *, exclude: set[str]) -> str:
        """A municipality that has not handed in this idea yet, drawn by how far each is
        from its share, so the totals end close to the shares."""
        pool = [s for s in self.quota if s not in exclude] or list(self.quota)
        slug = self.rng.choices(pool, [max(self.quota[s], 0.2) for s in pool])[0]
        self.quota[slug] -= 1
        return slug

    def _variant(self, base: data.BaseIdea, index: int, slug: str) -> Plan:
        """The base idea as handed in by someone else: another title, another workplace,
        a sentence of their own."""
        rng = self.rng
        workplace = rng.choice(data.WORKPLACES[base.area]) if rng.random() < 0.75 else ""
        need, solution = base.need, base.solution
        if index > 0:
            if workplace and rng.random() < 0.6:
                need += " " + rng.choice(data.NEED_ADDITIONS).format(workplace=workplace)
            if rng.random() < 0.5:
                addition = rng.choice(data.SOLUTION_ADDITIONS)
                if "{workplace}" not in addition or workplace:
                    solution += " " + addition.format(workplace=workplace)
        return Plan(
            base=base,
            municipality=slug,
            title=base.titles[index % len(base.titles)],
            need=need,
            solution=solution,
            workplace=workplace,
        )

    def _submitter_pool(self) -> dict[str, list[Person]]:
        """Fourteen fictional employees per municipality; some hand in several ideas."""
        rng = self.rng
        taken: set[str] = set()
        pool: dict[str, list[Person]] = {}
        for _, slug, _, _ in data.MUNICIPALITIES:
            people = []
            while len(people) < 14:
                name = f"{rng.choice(data.FIRST_NAMES)} {rng.choice(data.LAST_NAMES)}"
                email = f"{ascii_slug(name)}@{data.SUBMITTER_DOMAIN}"
                if email not in taken:
                    taken.add(email)
                    people.append(Person(name, email))
            pool[slug] = people
        return pool

    def _fill_in(self, plan: Plan, people: list[Person]) -> None:
        rng = self.rng
        area = plan.base.area
        units = self.units[plan.municipality]
        unit = units.get(area) or units.get(data.AREA_FALLBACK.get(area, ""))
        # Most ideas name their unit; one with a workplace always does.
        plan.unit = unit if unit and (plan.workplace or rng.random() < 0.85) else None
        if not plan.submitters:
            plan.submitters = [rng.choice(people)]
        roll = rng.random()
        co_count = 2 if roll < 0.06 else 1 if roll < 0.28 else 0
        if plan.base is data.FORALDRARESAN:
            co_count = 1
        others = [p for p in people if p.email != plan.submitters[0].email]
        plan.submitters += rng.sample(others, co_count)
        if rng.random() < 0.4:
            plan.phone = data.FICTIONAL_PHONE.format(rng.randint(5, 99))
        plan.consent = rng.random() < 0.65
        tags = list(plan.base.tags)
        if len(tags) > 1 and rng.random() < 0.2:
            tags.pop(rng.randrange(len(tags)))
        plan.tags = tuple(tags)

    # --- the timeline ------------------------------------------------------------------

    def _office(self, moment: datetime, after: datetime, before: datetime) -> datetime:
        """The same moment moved into office hours on a weekday, if that keeps it between
        `after` and `before`; otherwise the moment as it was."""
        day = timezone.localtime(moment, self.zone).date()
        if day.weekday() >= 5:
            # A nearby weekday on either side, so that Mondays do not collect the weekends.
            day = self.rng.choice(
                [day + timedelta(days=d) for d in (-2, -1, 1, 2, 3) if (day.weekday() + d) % 7 < 5]
            )
        at = clock(self.rng.randint(8, 16), self.rng.randrange(60), self.rng.randrange(60))
        candidate = datetime.combine(day, at, tzinfo=self.zone)
        return candidate if after < candidate < before else moment

    def _between(self, start: datetime, end: datetime, low: float, high: float) -> datetime:
        moment = start + (end - start) * self.rng.uniform(low, high)
        return self._office(moment, start, end)

    def _tell_story(self, plan: Plan) -> None:
        """Decide the idea's route, when each move happened, who owned it, and what was
        said on the way, as timeline events in time order."""
        rng, now = self.rng, self.now
        # The showcase idea sits in Utveckla, having passed every gate on the way.
        showcase = plan.base is data.FORALDRARESAN
        route = MAIN_ROUTE[:5] if showcase else route_to(rng, plan.stage_key)
        for step in itertools.pairwise(route):
            if step not in self.transitions:
                raise CommandError(f"The default process has no move {step[0]} → {step[1]}.")

        steps = [rng.uniform(*STEP_DAYS[key]) for key in route[:-1]]
        travelled = sum(steps)
        if self.stages[plan.stage_key].is_outcome:
            if travelled > SPAN_DAYS - 2:
                steps = [s * (SPAN_DAYS - 2) / travelled for s in steps]
                travelled = sum(steps)
            age = rng.uniform(travelled + 0.5, SPAN_DAYS)
        else:
            usual, stuck = DWELL_DAYS[plan.stage_key]
            dwell = rng.uniform(*(stuck if rng.random() < 0.25 and not showcase else usual))
            if travelled + dwell > SPAN_DAYS:
                steps = [s * (SPAN_DAYS - dwell) / travelled for s in steps]
                travelled = sum(steps)
            age = travelled + dwell
        raw = [now - timedelta(days=age)]
        for days in steps:
            raw.append(raw[-1] + timedelta(days=days))
        # Moves happen in office hours where possible; each stays before the next.
        times: list[datetime] = []
        for i, moment in enumerate(raw):
            after = times[-1] if times else moment - timedelta(days=1)
            before = raw[i + 1] if i + 1 < len(raw) else now
            times.append(self._office(moment, after, before))
        plan.created_at = times[0]
        plan.stage_entered_at = times[-1]
        # Interval i runs from entering route[i] to leaving it (or until now).
        spans = [(times[i], times[i + 1] if i + 1 < len(times) else now) for i in range(len(route))]

        coach = self.coaches[plan.municipality]
        if plan.owner is None:
            plan.owner = self._choose_owner(route, coach)
        owner = plan.owner
        worker = owner or coach  # who does the coach's part of the work
        first = plan.submitters[0].first_name
        said: set[str] = set()

        def fresh(texts: list[str]) -> str:
            # No idea repeats a message or note, which would read like a bug.
            choice = rng.choice([t for t in texts if t not in said] or texts)
            said.add(choice)
            return choice

        municipality = self.municipalities[plan.municipality].name
        events = [Event(times[0], Kind.SUBMITTED, submitter=0, to_key="received")]

        start, end = spans[0]
        if owner is not None:
            events.append(
                Event(
                    self._between(start, end, 0.15, 0.35),
                    Kind.OWNER_CHANGED,
                    owner,
                    body=str(owner),
                )
            )
        # First contact is the local coach's job, even on ideas a process leader owns.
        local = coach if owner in self.process_leaders else worker
        moved_on = len(route) > 1
        contacted = showcase or rng.random() < (0.8 if moved_on else 0.25)
        if contacted:
            contact_at = self._between(start, end, 0.45, 0.9)
            body = fresh(data.FIRST_CONTACT_MESSAGES).format(
                first=first, coach=local.full_name, municipality=municipality
            )
            events.append(Event(contact_at, Kind.MESSAGE_TO_SUBMITTER, local, body=body))
            reply = fresh(data.SUBMITTER_REPLIES)
            if not moved_on and rng.random() < 0.5:
                at = self._between(contact_at, now, 0.2, 0.8)
                events.append(Event(at, Kind.MESSAGE_FROM_SUBMITTER, submitter=0, body=reply))
            elif moved_on and not self.stages[route[1]].is_outcome and rng.random() < 0.6:
                at = self._between(*spans[1], 0.05, 0.3)
                events.append(Event(at, Kind.MESSAGE_FROM_SUBMITTER, submitter=0, body=reply))
        elif moved_on:
            at = self._between(start, end, 0.45, 0.9)
            events.append(Event(at, Kind.NOTE, local, body=data.PHONE_CONTACT_NOTE))

        if "capture" in route and plan.tags:
            at = self._between(*spans[route.index("capture")], 0.1, 0.4)
            events.append(Event(at, Kind.TAGS_CHANGED, worker, body=", ".join(sorted(plan.tags))))
        else:
            plan.tags = ()  # nobody has looked at the idea yet, so nobody tagged it

        for i, key in enumerate(route):
            if i > 0:
                events.append(self._move(plan, route[i - 1], key, times[i], owner, coach))
            if i == 0 or self.stages[key].is_outcome:
                continue
            start, end = spans[i]
            writer = (
                worker
                if key in ("capture", "assess") or owner
                else rng.choice(self.process_leaders)
            )
            if showcase or rng.random() < 0.45:
                note = fresh(data.NOTES[key])
                events.append(
                    Event(self._between(start, end, 0.3, 0.7), Kind.NOTE, writer, body=note)
                )
            if key in data.PROGRESS_MESSAGES and (showcase or rng.random() < 0.25):
                body = fresh(data.PROGRESS_MESSAGES[key]).format(first=first)
                at = self._between(start, end, 0.5, 0.9)
                events.append(Event(at, Kind.MESSAGE_TO_SUBMITTER, writer, body=body))
            waited = (now - start).days
            if i == len(route) - 1 and waited > 60 and rng.random() < 0.35:
                body = fresh(data.SUBMITTER_FOLLOW_UPS)
                at = self._between(start, end, 0.6, 0.95)
                events.append(Event(at, Kind.MESSAGE_FROM_SUBMITTER, submitter=0, body=body))

        events.sort(key=lambda e: e.at)
        plan.events = events

    def _choose_owner(self, route: list[str], coach: User) -> User | None:
        rng = self.rng
        if len(route) == 1:
            return coach if rng.random() < 0.12 else None
        later = any(key in route for key in ("test", "develop", "spread"))
        roll = rng.random()
        if roll < 0.10:
            return None
        if roll < (0.45 if later else 0.22):
            return rng.choice(self.process_leaders)
        return coach

    def _move(
        self, plan: Plan, source: str, target: str, at: datetime, owner: User | None, coach: User
    ) -> Event:
        """A recorded decision, made by someone the move's rule allows."""
        rng = self.rng
        transition = self.transitions[(source, target)]
        owner_leads = owner is not None and owner in self.process_leaders
        if transition.coach_may and not owner_leads:
            actor = owner or coach
        else:
            actor = owner if owner_leads else rng.choice(self.process_leaders)
        body = ""
        if target == "closed":
            early = source in ("received", "capture")
            body = rng.choice(data.CLOSE_REASONS_EARLY if early else data.CLOSE_REASONS_LATE)
        elif target == "parked":
            body = rng.choice(data.PARK_REASONS)
        elif target == "handed_over":
            body = rng.choice(data.HANDOVER_NOTES)
        elif source == "parked":
            body = rng.choice(data.WAKE_NOTES)
        elif (source, target) == ("assess", "capture"):
            body = rng.choice(data.BACK_TO_CAPTURE_NOTES)
        elif (source, target) == ("test", "assess"):
            body = rng.choice(data.BACK_TO_ASSESS_NOTES)
        if self.stages[target].requires_reason and not body:
            raise CommandError(f"The move to {target} needs a reason and the demo has none.")
        return Event(at, Kind.STAGE_CHANGED, actor, from_key=source, to_key=target, body=body)

    # --- writing -----------------------------------------------------------------------

    def _number(self, plans: list[Plan]) -> None:
        """References per year of hand-in, in hand-in order, continuing after any number
        already given out, with the counters left where new submissions continue."""
        prefix = self.consortium.reference_prefix
        last = defaultdict(
            int,
            ReferenceCounter.objects.filter(prefix=prefix).values_list("year", "last_number"),
        )
        for plan in sorted(plans, key=lambda p: p.created_at):
            year = timezone.localtime(plan.created_at, self.zone).year
            last[year] += 1
            plan.reference = f"{prefix}-{year}-{last[year]:04d}"
        for year, number in last.items():
            ReferenceCounter.objects.update_or_create(
                prefix=prefix, year=year, defaults={"last_number": number}
            )

    def _write(self, plans: list[Plan]) -> dict[str, int]:
        ideas = Idea.objects.bulk_create(
            [
                Idea(
                    reference=plan.reference,
                    consortium=self.consortium,
                    municipality=self.municipalities[plan.municipality],
                    unit=plan.unit,
                    workplace=plan.workplace,
                    title=plan.title,
                    need=plan.need,
                    solution=plan.solution,
                    beneficiaries=plan.base.beneficiaries,
                    expected_effects=plan.base.effects,
                    consent_to_publish=plan.consent,
                    language="sv",
                    stage=self.stages[plan.stage_key],
                    stage_entered_at=plan.stage_entered_at,
                    owner=plan.owner,
                    submission_token=uuid.uuid4(),
                    created_at=plan.created_at,
                    last_activity_at=max(e.at for e in plan.events),
                )
                for plan in plans
            ],
            batch_size=500,
        )
        if any(idea.pk is None for idea in ideas):
            # Backends that cannot return keys from a bulk insert: look them up.
            by_reference = dict(
                Idea.objects.filter(consortium=self.consortium).values_list("reference", "pk")
            )
            for idea in ideas:
                idea.pk = idea.id = by_reference[idea.reference]
        # bulk_create skips the idea services: index the texts for search and similar
        # ideas here (the worker computes their vectors once this transaction commits).
        ideas_written(idea_ids=[idea.pk for idea in ideas])

        submitters = []
        for plan, idea in zip(plans, ideas, strict=True):
            for index, person in enumerate(plan.submitters):
                # bulk_create skips Submitter.save(), which derives the private link's hash
                # from its salt; do the same here so every link works.
                salt = new_link_salt()
                submitters.append(
                    Submitter(
                        idea=idea,
                        name=person.name,
                        email=person.email,
                        phone=plan.phone if index == 0 else "",
                        is_primary=index == 0,
                        user=person.user,
                        link_salt=salt,
                        access_token_hash=hash_token(token_from_salt(salt)),
                    )
                )
        submitters = Submitter.objects.bulk_create(submitters, batch_size=500)
        if any(s.pk is None for s in submitters):
            by_hash = dict(
                Submitter.objects.filter(idea__consortium=self.consortium).values_list(
                    "access_token_hash", "pk"
                )
            )
            for submitter in submitters:
                submitter.pk = submitter.id = by_hash[submitter.access_token_hash]

        entries, idea_tags = [], []
        position = 0
        for plan, idea in zip(plans, ideas, strict=True):
            own = submitters[position : position + len(plan.submitters)]
            position += len(plan.submitters)
            idea_tags += [
                Idea.tags.through(idea_id=idea.pk, tag_id=self.tags[name].pk) for name in plan.tags
            ]
            entries += [
                TimelineEntry(
                    idea=idea,
                    kind=event.kind,
                    actor=event.actor,
                    actor_submitter=own[event.submitter] if event.submitter is not None else None,
                    from_stage=self.stages[event.from_key] if event.from_key else None,
                    to_stage=self.stages[event.to_key] if event.to_key else None,
                    body=event.body,
                    created_at=event.at,
                )
                for event in plan.events
            ]
        Idea.tags.through.objects.bulk_create(idea_tags, batch_size=500)
        TimelineEntry.objects.bulk_create(entries, batch_size=500)
        return {
            "municipalities": len(self.municipalities),
            "units": sum(len(u) for u in self.units.values()),
            "ideas": len(ideas),
            "submitters": len(submitters),
            "timeline entries": len(entries),
        }


class Command(BaseCommand):
    """Load the Skaraborg demo (idempotent) and print the demo logins."""

    help = (
        "Load demo data: Skaraborg's 15 municipalities, a login per role and about 300 "
        "ideas with their history. Does nothing but print the logins if already loaded."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Load even with DEBUG off (a public demo server). The demo accounts share "
            "a published password, so never use this on a real installation.",
        )

    def handle(self, *args, allow_production: bool = False, **options):
        consortium = Organisation.objects.filter(
            kind=Organisation.Kind.CONSORTIUM, slug=data.CONSORTIUM_SLUG, parent__isnull=True
        ).first()
        if consortium is not None:
            self.stdout.write(
                f"Demo data is already loaded ({consortium.name}); nothing was changed."
            )
        else:
            if not settings.DEBUG and not allow_production:
                raise CommandError(
                    "load_demo creates accounts with a published password, so it runs only "
                    "with DJANGO_DEBUG on. Use --allow-production for a public demo server."
                )
            started = time.monotonic()
            with transaction.atomic():
                counts = DemoBuilder(rng=random.Random(SEED), now=timezone.now()).build()
            summary = ", ".join(f"{n} {what}" for what, n in counts.items())
            self.stdout.write(
                self.style.SUCCESS(
                    f"Loaded the demo: {summary} in {time.monotonic() - started:.1f} s."
                )
            )
        self._print_logins()

    def _print_logins(self) -> None:
        central = [p for p in data.CENTRAL_PEOPLE if p.municipality == ""]
        local = [p for p in data.CENTRAL_PEOPLE if p.municipality != ""]
        rows = [(f"{p.local_part}@{data.EMAIL_DOMAIN}", p.label) for p in central]
        names = {slug: name for name, slug, _, _ in data.MUNICIPALITIES}
        rows += [
            (f"coach.{slug}@{data.EMAIL_DOMAIN}", f"idea coach, {names[slug]}")
            for slug in sorted(data.COACHES, key=lambda s: names[s])
        ]
        rows += [(f"{p.local_part}@{data.EMAIL_DOMAIN}", p.label) for p in local]
        # Only accounts that exist: a consortium made by hand under the same slug has none.
        existing = set(
            User.objects.filter(email__in=[email for email, _ in rows]).values_list(
                "email", flat=True
            )
        )
        rows = [row for row in rows if row[0] in existing]
        if not rows:
            self.stdout.write("No demo logins exist.")
            return
        header = ("Email", "Role", "Password")
        width_email = max(len(header[0]), *(len(r[0]) for r in rows))
        width_role = max(len(header[1]), *(len(r[1]) for r in rows))

        def line(email: str, role: str, password: str) -> str:
            return f"  {email:<{width_email}}  {role:<{width_role}}  {password}"

        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING("Demo logins"))
        self.stdout.write(line(*header))
        self.stdout.write(line("-" * width_email, "-" * width_role, "-" * len(data.PASSWORD)))
        for email, role in rows:
            self.stdout.write(line(email, role, data.PASSWORD))
        self.stdout.write("")
