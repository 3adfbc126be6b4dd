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

Then the work is made visible (issue 6) through the apps' own services, with their
timestamps moved back afterwards: showcase stories, trainings with attendance and a
waiting list, the resource library (small files generated here), newsletter subscribers
and two sent issues. Loading emails nobody: each email those services queue is recorded
as sent at its moment in the demo's past, or deleted where it describes a date that never
was (see `_make_the_work_visible`).

The command is idempotent: when the consortium exists it changes nothing and only prints
the logins. The texts and names live in `apps/core/demo_data.py`; the random choices come
from `random.Random(2026)`, so every run builds the same demo relative to the day it runs.
"""

import io
import itertools
import random
import time
import unicodedata
import uuid
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from datetime import time as clock

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Max
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
from apps.notifications.models import OutboxEmail
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


def _stay_starts(events: list[Event]) -> list[datetime | None]:
    """Per event (in time order): for a move, when the idea entered the stage it leaves,
    as `idea_move` records it; None for every other kind."""
    starts: list[datetime | None] = []
    entered = None
    for event in events:
        starts.append(entered if event.kind == Kind.STAGE_CHANGED else None)
        if event.kind in (Kind.SUBMITTED, Kind.IMPORTED, Kind.STAGE_CHANGED):
            entered = event.at
    return starts


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


# --- small, valid files for the resource library ------------------------------------------


def _pdf_literal(text: str) -> bytes:
    raw = text.encode("cp1252", "replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def pdf_document(lines: tuple[str, ...]) -> bytes:
    """A one-page PDF: the first line as a heading, the rest as text, in Helvetica with
    WinAnsi encoding (so å, ä and ö show), with a correct cross-reference table."""
    operations = [b"BT", b"/F1 18 Tf", b"56 780 Td", _pdf_literal(lines[0]) + b" Tj"]
    operations += [b"/F1 11 Tf", b"0 -32 Td"]
    for line in lines[1:]:
        operations += [_pdf_literal(line) + b" Tj", b"0 -18 Td"]
    operations.append(b"ET")
    stream = b"\n".join(operations)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


DOCX_PARTS = {
    "[Content_Types].xml": (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
    ),
}


def docx_document(lines: tuple[str, ...]) -> bytes:
    """The smallest Word document that word processors open: the first line as a bold
    heading, one paragraph per other line."""
    from xml.sax.saxutils import escape

    def paragraph(text: str, heading: bool = False) -> str:
        style = '<w:rPr><w:b/><w:sz w:val="32"/></w:rPr>' if heading else ""
        return f'<w:p><w:r>{style}<w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'

    body = paragraph(lines[0], heading=True) + "".join(paragraph(line) for line in lines[1:])
    parts = {
        **DOCX_PARTS,
        "word/document.xml": (
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/'
            f'main"><w:body>{body}</w:body></w:document>'
        ),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, xml in parts.items():
            header = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            archive.writestr(zipfile.ZipInfo(name, (2026, 1, 1, 0, 0, 0)), header + xml)
    return buffer.getvalue()


def text_document(lines: tuple[str, ...]) -> bytes:
    """Plain UTF-8 text, one line each."""
    return ("\n".join(lines) + "\n").encode()


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
        self.base_key_of = {plan.reference: plan.base.key for plan in plans}
        counts.update(self._make_the_work_visible())
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

    # --- making the work visible (issue 6) ----------------------------------------------

    def _make_the_work_visible(self) -> dict[str, int]:
        """The showcase, trainings, the resource library and newsletters, written through
        their apps' services (which keep the invariants) and then moved back in time.

        Some of these services put emails in the outbox: registration confirmations,
        newsletter confirmations and issues. The demo's history must send nobody
        anything when it loads, so each such email is settled right after the call that
        made it (`_settle_outbox`): recorded as sent at the moment it belongs to when its
        content is true, deleted when it describes something that never happened. The
        send tasks the outbox queues for them when the load commits then find nothing to
        send."""
        self.communicator = User.objects.get(email=f"kommunikator@{data.EMAIL_DOMAIN}")
        self.outbox_before = OutboxEmail.objects.aggregate(last=Max("pk"))["last"] or 0
        counts = self._showcase()
        counts.update(self._trainings())
        counts.update(self._resources())
        counts.update(self._newsletters())
        return counts

    def _settle_outbox(self, *, sent_at: datetime | None) -> None:
        """Settle the emails the last service call put in the outbox (see above): sent at
        `sent_at`, or deleted when None."""
        emails = OutboxEmail.objects.filter(
            pk__gt=self.outbox_before, status=OutboxEmail.Status.PENDING
        )
        if sent_at is None:
            emails.delete()
        else:
            emails.update(
                status=OutboxEmail.Status.SENT,
                attempts=1,
                created_at=sent_at,
                next_attempt_at=sent_at,
                sent_at=sent_at,
            )

    def _days_ago(self, days: float) -> datetime:
        """About `days` ago, in office hours on a weekday where one is near."""
        moment = self.now - timedelta(days=days)
        return self._office(
            moment, moment - timedelta(days=3), min(moment + timedelta(days=3), self.now)
        )

    def _showcase(self) -> dict[str, int]:
        """Stories of consented ideas in later stages: drafted by the idea's coach,
        approved by the communicator on dates spread over the last months; one draft
        waits for approval."""
        from apps.showcase import services as showcase
        from apps.showcase.models import ShowcaseEntry

        rng = self.rng
        coach_of = {m.pk: self.coaches[slug] for slug, m in self.municipalities.items()}
        candidates = Idea.objects.filter(
            consortium=self.consortium,
            consent_to_publish=True,
            stage__key__in=("test", "develop", "spread", "implemented"),
        ).order_by("reference")
        idea_of: dict[str, Idea] = {}
        for idea in candidates:
            idea_of.setdefault(self.base_key_of[idea.reference], idea)
        found = [(s, idea_of[s.key]) for s in data.SHOWCASE_STORIES if s.key in idea_of]
        published = found[: data.SHOWCASE_PUBLISHED]
        # The draft's own idea if the demo has it in a later stage, else the next story.
        spare = [data.SHOWCASE_DRAFT] if data.SHOWCASE_DRAFT.key in idea_of else []
        spare += [story for story, _ in found[data.SHOWCASE_PUBLISHED :]]
        used = {idea.pk for _, idea in published}
        spare = [story for story in spare if idea_of[story.key].pk not in used]
        # The ideas that have waited longest in their stage get the oldest stories.
        published.sort(key=lambda pair: pair[1].stage_entered_at)
        spacing = 155 / max(len(published) - 1, 1)
        touched = []

        def draft(story: data.ShowcaseStory, idea: Idea) -> ShowcaseEntry:
            return showcase.entry_save(
                actor=coach_of[idea.municipality_id],
                idea=idea,
                headline=story.headline,
                lead=story.lead,
                story=story.story,
                results=story.results,
                category=story.category,
                credit_agreed=bool(story.credit),
                credit=story.credit,
            )

        for number, (story, idea) in enumerate(published):
            target = self._days_ago(165 - number * spacing)
            # Never before the idea reached its stage, and never in the future.
            earliest = idea.stage_entered_at + timedelta(days=1)
            approved_at = target if target > earliest else earliest
            if approved_at >= self.now:
                approved_at = idea.stage_entered_at + (self.now - idea.stage_entered_at) / 2
            drafted_at = max(
                approved_at - timedelta(days=rng.uniform(3, 12)),
                idea.stage_entered_at + (approved_at - idea.stage_entered_at) / 2,
            )
            entry = draft(story, idea)
            showcase.entry_publish(actor=self.communicator, entry=entry)
            ShowcaseEntry.objects.filter(pk=entry.pk).update(
                created_at=drafted_at, updated_at=drafted_at, approved_at=approved_at
            )
            TimelineEntry.objects.filter(idea=idea, kind=Kind.SHOWCASE_PUBLISHED).update(
                created_at=approved_at
            )
            touched.append(idea.pk)
        if spare:
            entry = draft(spare[0], idea_of[spare[0].key])
            drafted_at = self._days_ago(3)
            ShowcaseEntry.objects.filter(pk=entry.pk).update(
                created_at=drafted_at, updated_at=drafted_at
            )
        # The services stamped the ideas' last activity with the present.
        for row in (
            TimelineEntry.objects.filter(idea_id__in=touched)
            .values("idea_id")
            .annotate(latest=Max("created_at"))
        ):
            Idea.objects.filter(pk=row["idea_id"]).update(last_activity_at=row["latest"])
        return {"showcase entries": len(published) + bool(spare)}

    def _trainings(self) -> dict[str, int]:
        """The courses with past sessions (registrations and attendance) and upcoming ones
        (one full, with a waiting list). Managers of several municipalities and the idea
        coaches take part; the demo manager of Skövde took one course and waits for a
        seat on the full session."""
        from apps.trainings import services as trainings
        from apps.trainings.models import Course, Registration, Session

        rng = self.rng
        today = timezone.localdate(self.now)
        # Managers who are not demo logins: an unusable password, and a manager's role.
        User.objects.bulk_create(
            User(
                email=f"{ascii_slug(name)}@{slug}.example.se",
                full_name=name,
                password=make_password(None),
                is_active=True,
                preferred_language="sv",
            )
            for name, slug, _ in data.TRAINING_MANAGERS
        )
        emails = [
            f"{ascii_slug(name)}@{slug}.example.se" for name, slug, _ in data.TRAINING_MANAGERS
        ]
        by_email = {u.email: u for u in User.objects.filter(email__in=emails)}
        managers = [
            (by_email[email], self.municipalities[slug], self.units[slug][area])
            for email, (_, slug, area) in zip(emails, data.TRAINING_MANAGERS, strict=True)
        ]
        Membership.objects.bulk_create(
            Membership(user=user, organisation=unit, role=Role.MANAGER)
            for user, _, unit in managers
        )
        chef = Membership.objects.select_related("user", "organisation").get(
            user__email=f"chef.skovde@{data.EMAIL_DOMAIN}"
        )
        chef_taking_part = (chef.user, self.municipalities["skovde"], chef.organisation)
        coaches = [(user, self.municipalities[slug], None) for slug, user in self.coaches.items()]
        # Where the demo manager of Skövde takes part: (topic, days from today).
        chef_sessions = {("innovation_leadership", -152), ("innovation_leadership", 21),
                         ("benefits_realisation", 14)}  # fmt: skip
        counts = {"courses": 0, "sessions": 0, "registrations": 0}
        for spec in data.COURSES:
            course = trainings.course_create(
                actor=self.communicator,
                consortium=self.consortium,
                title=spec.title,
                description=spec.description,
                topic=spec.topic,
                audience=spec.audience,
            )
            Course.objects.filter(pk=course.pk).update(created_at=self.now - timedelta(days=260))
            counts["courses"] += 1
            for days, hour, hours, seats, wanted in spec.sessions:
                day = today + timedelta(days=days)
                while day.weekday() >= 5:
                    day += timedelta(days=1)
                starts = datetime.combine(day, clock(hour), tzinfo=self.zone)
                ends = starts + timedelta(hours=hours)
                past = starts < self.now
                # The services take sessions and registrations only for the future, so a
                # past session is first made ahead of today and then moved to its date.
                shift = (self.now - starts) + timedelta(days=60) if past else timedelta(0)
                session = trainings.session_create(
                    actor=self.communicator,
                    course=course,
                    starts_at=starts + shift,
                    ends_at=ends + shift,
                    place=spec.place,
                    online_link=spec.online_link,
                    seats=seats,
                )
                counts["sessions"] += 1
                created_at = (
                    starts - timedelta(days=rng.uniform(45, 70))
                    if past
                    else self.now - timedelta(days=rng.uniform(25, 40))
                )
                pool = coaches if spec.topic == "other" else managers + rng.sample(coaches, 5)
                with_chef = (spec.topic, days) in chef_sessions
                people = rng.sample(pool, min(wanted - with_chef, len(pool)))
                if with_chef:
                    # Second in the waiting line on a full session, else somewhere early.
                    at = seats + 1 if wanted > seats else rng.randrange(min(4, len(people) + 1))
                    people.insert(at, chef_taking_part)
                last = min(starts - timedelta(days=2), self.now - timedelta(hours=2))
                moments = sorted(
                    created_at + (last - created_at) * rng.uniform(0.05, 1) for _ in people
                )
                for (user, municipality, unit), moment in zip(people, moments, strict=True):
                    registration = trainings.registration_create(
                        actor=user, session=session, municipality=municipality, unit=unit
                    )
                    # A past session's confirmation names the temporary date: never sent.
                    self._settle_outbox(sent_at=None if past else moment)
                    Registration.objects.filter(pk=registration.pk).update(created_at=moment)
                    counts["registrations"] += 1
                Session.objects.filter(pk=session.pk).update(
                    starts_at=starts, ends_at=ends, created_at=created_at
                )
                if past:
                    session.refresh_from_db()
                    seated = session.registrations.filter(status=Registration.Status.REGISTERED)
                    # About one in eight stays away; the demo manager of Skövde came (her
                    # page shows a course attended), whatever the dice say.
                    trainings.attendance_mark(
                        actor=self.communicator,
                        session=session,
                        attendance={
                            pk: rng.random() < 0.88 or user_id == chef.user_id
                            for pk, user_id in seated.values_list("pk", "user_id")
                        },
                    )
                    seated.update(marked_at=ends + timedelta(hours=rng.uniform(1, 30)))
        return counts

    def _resources(self) -> dict[str, int]:
        """Handbooks, templates, leaflets and a presentation, public and internal; the
        method handbook in two versions. The files are made here (small, valid)."""
        from django.core.files.uploadedfile import SimpleUploadedFile

        from apps.resources import services as library
        from apps.resources.models import Resource, ResourceVersion

        makers = {"pdf": pdf_document, "docx": docx_document, "txt": text_document}
        counts = {"resources": 0, "resource versions": 0}
        for spec in data.RESOURCES:
            resource = None
            for number, (days, name, note, lines) in enumerate(spec.versions, start=1):
                upload = SimpleUploadedFile(name, makers[spec.kind](lines))
                # The communicator keeps the library; a process leader revised the handbook.
                actor = self.communicator if number == 1 else self.process_leaders[0]
                if resource is None:
                    resource = library.resource_create(
                        actor=actor,
                        consortium=self.consortium,
                        title=spec.title,
                        description=spec.description,
                        category=spec.category,
                        visibility=spec.visibility,
                        upload=upload,
                        change_note=note,
                    )
                else:
                    library.resource_add_version(
                        actor=actor, resource=resource, upload=upload, change_note=note
                    )
                uploaded_at = self._days_ago(days)
                ResourceVersion.objects.filter(resource=resource, number=number).update(
                    uploaded_at=uploaded_at
                )
                if number == 1:
                    Resource.objects.filter(pk=resource.pk).update(created_at=uploaded_at)
                Resource.objects.filter(pk=resource.pk).update(updated_at=uploaded_at)
                counts["resource versions"] += 1
            counts["resources"] += 1
        return counts

    def _newsletters(self) -> dict[str, int]:
        """Subscribers who confirmed over the last months, two issues sent to those
        confirmed at the time (frozen and delivered as the real send does, in the past),
        and a draft."""
        from apps.newsletters import services as letters
        from apps.newsletters.models import Delivery, Newsletter, Subscriber
        from apps.showcase.models import ShowcaseEntry

        addresses = data.NEWSLETTER_SUBSCRIBERS
        confirmed = data.NEWSLETTER_CONFIRMED
        leaving = None
        for number, address in enumerate(addresses):
            subscriber = letters.subscriber_subscribe(consortium=self.consortium, email=address)
            if number < confirmed:
                subscribed_at = self._days_ago(220 - number * 10)
            elif number == confirmed:
                subscribed_at = self._days_ago(2)  # has not followed the link yet
            else:
                subscribed_at = self._days_ago(205)
            self._settle_outbox(sent_at=subscribed_at)
            changes = {"created_at": subscribed_at}
            if number != confirmed:
                letters.subscriber_confirm(subscriber=subscriber)
                changes["confirmed_at"] = subscribed_at + timedelta(minutes=self.rng.uniform(2, 90))
            if number > confirmed:
                leaving = subscriber  # unsubscribes between the two issues
            Subscriber.objects.filter(pk=subscriber.pk).update(**changes)

        entries = list(
            ShowcaseEntry.objects.published()
            .filter(idea__consortium=self.consortium)
            .order_by("approved_at")
        )
        previous = self.now - timedelta(days=400)
        counts = {"subscribers": len(addresses), "newsletters": 0, "deliveries": 0}
        for spec in data.NEWSLETTERS:
            sent_at = self._days_ago(spec.days_ago) if spec.days_ago is not None else None
            until = sent_at or self.now
            newsletter = letters.newsletter_create(
                actor=self.communicator,
                consortium=self.consortium,
                subject=spec.subject,
                intro=spec.intro,
            )
            for kind, heading, text in spec.blocks:
                # The stories published since the issue before (at least the latest one).
                chosen = [e.pk for e in entries if previous < e.approved_at < until]
                chosen = chosen or [e.pk for e in entries if e.approved_at < until][-1:]
                letters.block_add(
                    actor=self.communicator,
                    newsletter=newsletter,
                    kind=kind,
                    heading=heading,
                    text=text,
                    entry_ids=chosen[-3:],
                )
            counts["newsletters"] += 1
            Newsletter.objects.filter(pk=newsletter.pk).update(
                created_at=until - timedelta(days=self.rng.uniform(2, 6))
            )
            if sent_at is None:
                continue
            letters.newsletter_send(actor=self.communicator, newsletter=newsletter)
            # Sending began on the date: only those confirmed by then receive it.
            Newsletter.objects.filter(pk=newsletter.pk).update(sent_at=sent_at)
            counts["deliveries"] += letters.newsletter_send_batch(
                newsletter_id=newsletter.pk, size=len(addresses)
            )
            Newsletter.objects.filter(pk=newsletter.pk).update(
                finished_at=sent_at + timedelta(seconds=40)
            )
            Delivery.objects.filter(newsletter=newsletter).update(created_at=sent_at)
            self._settle_outbox(sent_at=sent_at + timedelta(seconds=20))
            previous = sent_at
            if leaving is not None:
                letters.subscriber_unsubscribe(subscriber=leaving)
                Subscriber.objects.filter(pk=leaving.pk).update(
                    unsubscribed_at=sent_at + timedelta(days=9)
                )
                leaving = None
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
                    stages_reached=Idea.stages_reached_text(
                        self.stages[e.to_key].pk
                        for e in plan.events
                        if e.to_key and e.kind in TimelineEntry.ENTERS_STAGE
                    ),
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
                    stay_started_at=stay_started_at,
                )
                for event, stay_started_at in zip(
                    plan.events, _stay_starts(plan.events), strict=True
                )
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
        "Load demo data: Skaraborg's 15 municipalities, a login per role, about 300 ideas "
        "with their history, the showcase, trainings, resources and newsletters. Does "
        "nothing but print the logins if already loaded."
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
