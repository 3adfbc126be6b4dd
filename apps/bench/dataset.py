"""The benchmark data set behind `make bench`: `manage.py bench_build --scale …`.

Shape of the data (per scale; --ideas and --people override the last two columns):

    scale        consortia  municipalities  people   ideas
    tiny                 2               6    2,000    2,000   (CI smoke, both databases)
    consortium           1              15   22,500   25,000   (Skaraborg: one small server)
    national            20             290  850,000  500,000   (every Swedish municipality)

- Organisations: consortia named after Sweden's regions (apps/bench/names.py), slugs
  `bench-<scale>-<n>`, reference prefixes `B<T|C|N><n>` and the default process each;
  municipalities with their real names, slugs `bench-<scale>-<name>`, and as employee count
  the people made for them. Large employers get their known size, the rest a size drawn
  from their name (so it is the same on every build); the people are split in that proportion.
- People: one User per employee, with an unusable password (no hashing), a Swedish name and
  the address `first.last+<t|c|n><index>@bench.sluss.invalid`; the index says which
  municipality they work in (people are numbered municipality by municipality). Roles only
  where the sluice needs them: two to six idea coaches per municipality, two process
  leaders, a communicator and an administrator per consortium. Everyone with a role gets
  the manifest's one password (hashed once); the process leader of consortium 1 gets a
  fresh API token on every run.
- Ideas: handed in over three years up to today, by employees of the municipality (a
  Submitter row linked to the person, sometimes a co-submitter), municipalities weighted by
  size with a local enthusiasm factor. References `<prefix>-<year>-<n>` run in order of
  handing in per consortium and year, and the reference counters are left at the last
  number so the real form goes on from there. Texts are composed from the fragments of
  `bench_similar` (a few thousand titles, ten needs, ten solutions), so search finds them.
  Each idea follows a journey through the process (`bench_dashboard._journey`: moves along
  the main route with random stays, a third ending in an outcome, closed and parked ones
  with a reason); its timeline holds the hand-in, the owner being set (a coach of the
  municipality; a third of the newest ideas still have none), every move (by the owner
  where coaches may make it, else by a process leader, `stay_started_at` set as
  `idea_move` sets it), and notes, messages to the submitter, referrals sent and answered,
  meetings booked and action items. `stage_entered_at` is the last move's time and
  `last_activity_at` the last entry's.
- Around the ideas: referrals to the consortium's outside actors (most answered, with the
  answer as a message), meetings on the idea (booked ones with the owner and the submitter
  as participants, notes, decisions and action items once held; a few polls with proposed
  times), tags, solutions from ideas that reached Spread or Implemented with adoptions by
  other municipalities of the consortium, and benefits (the home municipality's and some
  adoptions') with measurements.
- Search: each idea's index row is `search_text_row` of its text (memoised on the text,
  since fragments repeat), and when the semantic layer is installed each idea's vector is
  the normalised weighted sum of its fragments' real vectors (as `bench_similar` does), so
  500,000 texts need not be embedded.

Everything is written in bulk, a chunk of ideas (and all that hangs on them) per
transaction, with a progress line on stderr: bulk_create where the ids are needed back,
and for the tables that get millions of rows (people, the timeline, the search index,
tags) plain executemany of prepared tuples (`Inserter`), three times faster here.

Building again without --grow reuses the data set as it is (an interrupted build is
resumed by asking for its size with --ideas); --grow adds as many ideas again. Every run
writes the manifest that `bench/run.py` reads (its keys are listed in `write_manifest`),
with a fresh password and API token.
"""

import hashlib
import json
import random
import re
import secrets
import sys
import time
import unicodedata
import uuid
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

import numpy as np
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import OutputWrapper
from django.db import connection, transaction
from django.test.utils import override_settings
from django.utils import timezone
from django.utils.text import slugify

from apps.accounts.models import User
from apps.api.models import ApiToken
from apps.api.services import VISIBLE_CHARACTERS, new_token_secret
from apps.core.links import hash_token, new_link_salt
from apps.ideas.models import (
    Idea,
    ReferenceCounter,
    Submitter,
    Tag,
    TimelineEntry,
    reason_key_of,
    stay_length_microseconds,
    token_from_salt,
)
from apps.meetings.models import (
    ActionItem,
    Meeting,
    Participant,
    TimeOption,
    participant_token_from_salt,
)
from apps.organisations.models import Membership, Organisation, Role
from apps.referrals.models import (
    ExternalActor,
    Referral,
    ReferralMessage,
    referral_token_from_salt,
)
from apps.search import semantic
from apps.search.management.commands.bench_similar import (
    ACTIONS,
    NEEDS,
    PLACES,
    SOLUTIONS,
    SUBJECTS,
)
from apps.search.models import IdeaEmbedding, IdeaSearchText
from apps.search.services import batched, search_text_row
from apps.spread.models import (
    Adoption,
    AdoptionStage,
    AdoptionStageChange,
    BenefitHypothesis,
    Category,
    Measurement,
    Solution,
)
from apps.stats.management.commands.bench_dashboard import REASONS, YEARS
from apps.stats.management.commands.bench_dashboard import Command as DashboardBench
from apps.workflow.models import Stage
from apps.workflow.services import DEFAULT_TRANSITIONS, process_seed_default

from . import names

EMAIL_DOMAIN = "bench.sluss.invalid"
DEFAULT_MANIFEST = Path(settings.BASE_DIR) / "var" / "bench" / "manifest.json"
#: Ideas (with everything on them) written per transaction.
CHUNK = 5000
#: People written per transaction.
PEOPLE_CHUNK = 20000
#: The text fragments are the same whatever --seed says, so search terms and similar
#: queries stay valid for a data set grown or reused with another seed.
FRAGMENT_SEED = 42


@dataclass(frozen=True)
class Scale:
    """How big a data set is."""

    name: str
    letter: str
    consortia: int
    municipalities: int
    people: int
    ideas: int


SCALES = {
    "tiny": Scale("tiny", "t", 2, 6, 2_000, 2_000),
    "consortium": Scale("consortium", "c", 1, 15, 22_500, 25_000),
    "national": Scale("national", "n", 20, 290, 850_000, 500_000),
}

# --- Texts -------------------------------------------------------------------------------

WORKPLACES = [
    "Hemtjänsten", "Kostenheten", "Biblioteket", "Gata och park", "Grundskolan",
    "Förskolan", "Socialtjänsten", "Kontaktcenter", "IT-enheten", "HR-avdelningen",
    "Fritidsgården", "Äldreboendet", "Räddningstjänsten", "Fastighetsavdelningen",
]  # fmt: skip
EFFECTS = [
    "Kortare väntetider och nöjdare invånare.",
    "Mindre dubbelarbete och mer tid för kärnuppdraget.",
    "Lägre kostnader redan första året.",
    "Färre olyckor och ökad trygghet.",
    "",
]
TAGS = [
    "Digitalisering", "Hållbarhet", "Äldreomsorg", "Skola", "Trygghet", "Arbetsmiljö",
    "Effektivisering", "Invånarservice", "Folkhälsa", "Samverkan", "Miljö", "Integration",
]  # fmt: skip
#: Words of the needs and solutions above that find ideas in every municipality.
EXTRA_SEARCH_TERMS = [
    "BankID", "avtal", "arbetspass", "volontärer", "sensorer", "mentor", "återbruk",
    "pilotförsök", "självbetjäning", "lättläst",
]  # fmt: skip
NOTES = [
    "Pratade med idébäraren i telefon, hen återkommer med underlag.",
    "Liknande idé finns i grannkommunen; vi bör samordna.",
    "Verksamhetschefen är positiv men vill se en kostnadskalkyl.",
    "Behöver stämmas av med IT innan nästa steg.",
]
MESSAGES = [
    "Hej! Tack för din idé. Vi har läst den och hör av oss om ett första möte.",
    "Hej! Din idé har gått vidare till nästa steg. Vi berättar mer när vi ses.",
]
ACTORS = [
    ("Eva Ek", "Högskolan", "Forskning om välfärdsteknik och digitalisering."),
    ("Jonas Almqvist", "Almi Företagspartner", "Affärsutveckling och finansiering."),
    ("Maria Patentsson", "IP-rådgivning", "Immaterialrätt och skydd av idéer."),
    ("Per Regionsson", "Regionen", "Hälso- och sjukvård, kollektivtrafik."),
    ("Lina Rise", "RISE", "Test och demonstration."),
]
QUESTIONS = [
    "Vad tror ni om genomförbarheten?",
    "Finns det liknande lösningar på marknaden?",
    "Kan idén skyddas, och bör den det?",
    "Vilka regler gäller för en sådan lösning?",
]
ANSWERS = [
    "Lovande. Vi föreslår ett litet test först, med tydliga mätpunkter.",
    "Liknande finns i två kommuner i Norge; vi skickar rapporten.",
    "Svår att skydda men värd att sprida fritt till fler kommuner.",
    "Reglerna hindrar inte, men personuppgifterna behöver ses över.",
]
MEETINGS = [
    "Uppstartsmöte",
    "Avstämning med idébäraren",
    "Workshop om lösningen",
    "Genomgång inför grinden",
    "Planering av test",
]
LOCATIONS = ["Stadshuset, rum 2", "Kommunhuset, Ekan", "Biblioteket, studierummet", ""]
ACTION_ITEMS = [
    "Ta fram en kostnadskalkyl",
    "Boka test i verksamheten",
    "Kontakta IT om integrationen",
    "Skriva nyttohypoteser",
    "Stämma av med facket",
    "Sammanställa erfarenheterna",
]
BENEFITS = [
    ("Minskad tid för handläggning", "Timmar per månad", "h", 100, 60, 450, 1),
    ("Färre fallolyckor", "Fallolyckor per år", "st", 40, 25, 20000, 0),
    ("Minskat matsvinn", "Kilo per vecka", "kg", 120, 80, 30, 0),
    ("Färre samtal till växeln", "Samtal per vecka", "st", 300, 200, 60, 0),
]
RESULTS = "Kortare väntetider och nöjdare medarbetare."
STOP_REASON = "Passade inte vår verksamhet."
OUTCOME_REASONS = [reason for reason in REASONS if reason]

Kind = TimelineEntry.Kind


def ascii_slug(text: str) -> str:
    """'Åsa Kovačević' → 'asa.kovacevic', for the fictional addresses."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", ".", plain.lower()).strip(".")


_FIRST_SLUGS = [ascii_slug(n) for n in names.FIRST_NAMES]
_LAST_SLUGS = [ascii_slug(n) for n in names.SURNAMES]


def person(letter: str, index: int) -> tuple[str, str]:
    """The name and address of the index-th person of a scale (a cheap hash picks the name,
    so a person can be named again from their index without storing anything)."""
    h = (index * 2654435761 + 12345) & 0xFFFFFFFF
    first, last = h % len(names.FIRST_NAMES), (h >> 11) % len(names.SURNAMES)
    return (
        f"{names.FIRST_NAMES[first]} {names.SURNAMES[last]}",
        f"{_FIRST_SLUGS[first]}.{_LAST_SLUGS[last]}+{letter}{index}@{EMAIL_DOMAIN}",
    )


def fragment_titles(count: int) -> list[str]:
    """`count` distinct titles from bench_similar's parts, every subject in turn, so that
    each subject (a search term) is in every data set."""
    rng = random.Random(FRAGMENT_SEED)
    titles: dict[str, None] = {}
    limit = len(ACTIONS) * len(SUBJECTS) * len(PLACES)
    k = 0
    while len(titles) < min(count, limit):
        subject = SUBJECTS[k % len(SUBJECTS)]
        titles[f"{rng.choice(ACTIONS)} {subject} {rng.choice(PLACES)}"[:150]] = None
        k += 1
    return list(titles)


def need_text(title: str, n: int) -> str:
    return f"{NEEDS[n]} Gäller {title.lower()}."


# --- Progress ----------------------------------------------------------------------------


class Progress:
    """One line on stderr, rewritten in place: counts, rate and time left."""

    def __init__(self, stream, label: str, total: int):
        self.label, self.total = label, max(total, 1)
        # A management command's stderr ends every write with a newline unless told not to.
        if isinstance(stream, OutputWrapper):
            self.write = lambda text: stream.write(text, ending="")
        else:
            self.write = stream.write
        self.stream = stream
        self.started = time.monotonic()
        self.shown = 0.0

    def update(self, done: int, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.shown < 0.5:
            return
        self.shown = now
        elapsed = now - self.started
        rate = done / elapsed if elapsed > 0 else 0.0
        left = (self.total - done) / rate if rate > 0 else 0.0
        self.write(
            f"\r{self.label}: {done:,}/{self.total:,} ({100 * done / self.total:.0f} %), "
            f"{rate:,.0f}/s, {elapsed:.0f} s, ETA {left:.0f} s   "
        )
        self.stream.flush()

    def finish(self, done: int) -> None:
        self.update(done, force=True)
        self.write("\n")
        self.stream.flush()


# --- Fast inserts ---------------------------------------------------------------------------


class Inserter:
    """bulk_create without model instances, for the few tables that get millions of rows
    and whose ids nobody needs back (people, the timeline, the search index).

    Measured here, bulk_create spent three quarters of its time in Python (making the
    instances, preparing each value through its field); this prepares the constant
    columns once, adapts only the datetimes per row, and hands plain tuples to the
    driver's executemany. Columns not named take the field's default (evaluated once, so
    only for defaults that may be shared, never a unique one).
    """

    def __init__(self, model, columns: list[str], **fixed):
        fields = [f for f in model._meta.concrete_fields if not f.primary_key or f.name in columns]
        by_name = {f.name: f for f in fields}
        self.varying = [by_name[name] for name in columns]
        constant = [f for f in fields if f.name not in columns]
        for f in constant:
            if f.unique:
                raise ValueError(f"{model.__name__}.{f.name} is unique: give it per row.")
        self.constants = tuple(
            f.get_db_prep_save(fixed[f.name] if f.name in fixed else f.get_default(), connection)
            for f in constant
        )
        self.adapters = [_adapter(f) for f in self.varying]
        names = [connection.ops.quote_name(f.column) for f in self.varying + constant]
        # Only the model's own table and column names, quoted; every value is a parameter.
        self.sql = (
            f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} "  # noqa: S608
            f"({', '.join(names)}) VALUES ({', '.join(['%s'] * len(names))})"
        )

    def insert(self, rows) -> int:
        adapters, constants = self.adapters, self.constants
        adapted = [
            tuple(a(v) if a and v is not None else v for a, v in zip(adapters, row, strict=True))
            + constants
            for row in rows
        ]
        if adapted:
            with connection.cursor() as cursor:
                for part in batched(adapted, 5000):
                    cursor.executemany(self.sql, part)
        return len(adapted)


def _adapter(field):
    """How a value of this field is handed to the driver (None: as it is)."""
    kind = field.get_internal_type()
    if kind == "DateTimeField":
        return _datetime_adapter()
    if kind == "UUIDField":  # text on SQLite, a uuid on PostgreSQL
        return lambda value: field.get_db_prep_save(value, connection)
    return None


def _datetime_adapter():
    """What the backend makes of an aware datetime: Django's own adapter, except on SQLite
    where the same text (naive, in the connection's time zone) is made without the checks
    that cost a third of the insert there."""
    adapt = connection.ops.adapt_datetimefield_value
    if connection.vendor != "sqlite" or not settings.USE_TZ:
        return adapt
    zone = connection.timezone

    def adapter(value):
        if value.tzinfo is None:
            return adapt(value)
        return str(value.astimezone(zone).replace(tzinfo=None))

    return adapter


# --- The organisation --------------------------------------------------------------------


@dataclass
class Town:
    """One municipality of the data set and the people who work there."""

    org: Organisation
    consortium: Organisation
    first: int  # index of its first person
    count: int
    weight: float  # share of the ideas
    coaches: list[int] = field(default_factory=list)  # user ids
    people: np.ndarray | None = None  # user ids, by index


@dataclass
class World:
    """Everything about the data set the idea chunks need."""

    scale: Scale
    consortia: list[Organisation]
    towns: list[Town]
    stages: dict[int, dict[str, Stage]]  # consortium id → key → stage
    leaders: dict[int, list[int]]  # consortium id → process leaders' user ids
    actors: dict[int, list[ExternalActor]]
    tags: dict[int, list[int]]
    prefixes: dict[int, str]
    role_user_ids: set[int]


def _town_sizes(scale: Scale, people: int) -> list[tuple[int, str, int, float]]:
    """(consortium number, municipality name, people, idea weight) of every municipality."""
    chosen = [(name, towns) for name, towns in names.consortia()[: scale.consortia]]
    picked: list[tuple[int, str]] = []
    # Round-robin over the chosen consortia (each list begins with its largest towns)
    # until the scale's number of municipalities is reached.
    cursor = [0] * len(chosen)
    while len(picked) < scale.municipalities:
        progressed = False
        for c, (_name, towns) in enumerate(chosen):
            if len(picked) < scale.municipalities and cursor[c] < len(towns):
                picked.append((c, towns[cursor[c]]))
                cursor[c] += 1
                progressed = True
        if not progressed:
            raise ValueError("More municipalities asked for than the consortia have.")
    weights = []
    for _c, town in picked:
        # The hash of the name, not the run's seed: the same town has the same size
        # whenever the data set is built, grown or reused.
        h = zlib.crc32(town.encode())
        weights.append(names.EMPLOYEES.get(town, 500 + (h % 2400)))
    total = sum(weights)
    sizes = [int(people * w / total) for w in weights]
    for k in range(people - sum(sizes)):  # hand out the remainder
        sizes[k % len(sizes)] += 1
    result = []
    for (c, town), size, weight in zip(picked, sizes, weights, strict=True):
        enthusiasm = 0.5 + (zlib.crc32(f"ideas {town}".encode()) % 1000) / 1000
        result.append((c, town, size, weight * enthusiasm))
    return result


def _org_setup(scale: Scale, people: int, out) -> tuple[list[Organisation], list[Town]]:
    """The consortia and municipalities (made when missing; idempotent)."""
    sizes = _town_sizes(scale, people)
    consortium_names = names.consortia()
    consortia = []
    with transaction.atomic():
        for c in range(scale.consortia):
            slug = f"bench-{scale.name}-{c + 1}"
            consortium = Organisation.objects.filter(slug=slug, parent__isnull=True).first()
            if consortium is None:
                consortium = Organisation.objects.create(
                    kind=Organisation.Kind.CONSORTIUM,
                    name=f"{consortium_names[c][0]} (bench)",
                    slug=slug,
                    reference_prefix=f"B{scale.letter.upper()}{c + 1}",
                )
            process_seed_default(consortium=consortium)
            consortia.append(consortium)
        towns = []
        first = 0
        for c, name, size, weight in sizes:
            slug = f"bench-{scale.name}-{slugify(ascii_slug(name))}"
            org = Organisation.objects.filter(slug=slug, parent=consortia[c]).first()
            if org is None:
                org = Organisation.objects.create(
                    kind=Organisation.Kind.MUNICIPALITY,
                    name=name,
                    slug=slug,
                    parent=consortia[c],
                    employee_count=size,
                )
            towns.append(
                Town(org=org, consortium=consortia[c], first=first, count=size, weight=weight)
            )
            first += size
    return consortia, towns


def _people_setup(scale: Scale, people: int, out) -> np.ndarray:
    """Make the people that are missing (in index order, so an interrupted build resumes
    where it stopped) and return every person's user id by index."""
    ids = _people_ids(scale, people)
    missing = [i for i in range(people) if ids[i] == 0]
    if missing:
        progress = Progress(out, "People", len(missing))
        # "!" marks an unusable password (as set_unusable_password does) without hashing
        # anything: these people never log in.
        inserter = Inserter(User, ["email", "full_name"], password="!")  # noqa: S106
        done = 0
        for chunk in batched(missing, PEOPLE_CHUNK):
            rows = []
            for index in chunk:
                full_name, email = person(scale.letter, index)
                rows.append((email, full_name))
            with transaction.atomic():
                inserter.insert(rows)
            done += len(chunk)
            progress.update(done)
        progress.finish(done)
        ids = _people_ids(scale, people)
    return ids


def _people_ids(scale: Scale, people: int) -> np.ndarray:
    """User id of each person of the scale by index (0 where not made yet)."""
    ids = np.zeros(people, dtype=np.int64)
    marker = f"+{scale.letter}"
    rows = User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}", email__contains=marker)
    for pk, email in rows.values_list("pk", "email").iterator(chunk_size=20000):
        local = email.split("@", 1)[0]
        tail = local.rsplit("+", 1)[-1]
        if tail[:1] == scale.letter and tail[1:].isdigit():
            index = int(tail[1:])
            if index < people:
                ids[index] = pk
    return ids


def _roles_setup(scale: Scale, consortia, towns: list[Town]) -> tuple[dict, set[int]]:
    """Coaches per municipality, process leaders, a communicator and an administrator per
    consortium, chosen among the people by index (idempotent)."""
    memberships = []
    leaders: dict[int, list[int]] = {}
    for town in towns:
        coaches = min(6, 2 + town.count // 8000)
        town.coaches = [int(town.people[k]) for k in range(coaches)]
        memberships += [
            Membership(user_id=u, organisation=town.org, role=Role.COACH) for u in town.coaches
        ]
    for consortium in consortia:
        largest = max((t for t in towns if t.consortium == consortium), key=lambda t: t.count)
        staff = [int(largest.people[10 + k]) for k in range(4)]
        leaders[consortium.pk] = staff[:2]
        memberships += [
            Membership(user_id=staff[0], organisation=consortium, role=Role.PROCESS_LEADER),
            Membership(user_id=staff[1], organisation=consortium, role=Role.PROCESS_LEADER),
            Membership(user_id=staff[2], organisation=consortium, role=Role.COMMUNICATOR),
            Membership(user_id=staff[3], organisation=consortium, role=Role.ADMINISTRATOR),
        ]
    with transaction.atomic():
        Membership.objects.bulk_create(memberships, ignore_conflicts=True)
    return leaders, {m.user_id for m in memberships}


def _world(scale: Scale, people: int, out) -> World:
    if people < 20 * scale.municipalities:
        raise ValueError(f"At least {20 * scale.municipalities} people are needed at this scale.")
    consortia, towns = _org_setup(scale, people, out)
    ids = _people_setup(scale, people, out)
    for town in towns:
        town.people = ids[town.first : town.first + town.count]
    leaders, role_user_ids = _roles_setup(scale, consortia, towns)
    stages, actors, tags, prefixes = {}, {}, {}, {}
    with transaction.atomic():
        for consortium in consortia:
            stages[consortium.pk] = {s.key: s for s in Stage.objects.filter(consortium=consortium)}
            prefixes[consortium.pk] = consortium.reference_prefix
            number = consortium.slug.rsplit("-", 1)[-1]
            for k, (name, organisation, expertise) in enumerate(ACTORS):
                ExternalActor.objects.get_or_create(
                    consortium=consortium,
                    email=f"expert{k + 1}.c{number}.{scale.letter}@{EMAIL_DOMAIN}",
                    defaults={"name": name, "organisation": organisation, "expertise": expertise},
                )
            actors[consortium.pk] = list(ExternalActor.objects.filter(consortium=consortium))
            for tag in TAGS:
                Tag.objects.get_or_create(consortium=consortium, name=tag)
            tags[consortium.pk] = list(
                Tag.objects.filter(consortium=consortium).values_list("pk", flat=True)
            )
    return World(
        scale=scale,
        consortia=consortia,
        towns=towns,
        stages=stages,
        leaders=leaders,
        actors=actors,
        tags=tags,
        prefixes=prefixes,
        role_user_ids=role_user_ids,
    )


# --- Ideas ---------------------------------------------------------------------------------


COACH_MAY = {(a, b): coach for a, b, coach, _leader in DEFAULT_TRANSITIONS}


@dataclass
class Event:
    """A timeline entry before the idea and its submitter have ids."""

    at: datetime
    kind: str
    actor: int | None = None
    from_key: str | None = None
    to_key: str | None = None
    body: str = ""
    stay_started_at: datetime | None = None
    by_submitter: bool = False


@dataclass
class Plan:
    """One idea, decided before anything is written."""

    town: Town
    handed_in: datetime
    reference: str
    title_index: int
    need_index: int
    solution_index: int
    journey: list
    owner: int | None
    submitter_people: list[int]
    events: list[Event] = field(default_factory=list)
    tags: list[int] = field(default_factory=list)
    referral: dict | None = None
    meeting: dict | None = None
    solution: dict | None = None


@dataclass
class Written:
    """What the rest of a chunk needs of an idea once it is written."""

    pk: int
    reference: str
    title: str
    need: str
    solution: str
    beneficiaries: str = ""


class Builder:
    """Writes ideas (and everything on them) chunk by chunk for one World."""

    def __init__(self, world: World, rng: random.Random, now: datetime, fragments: int, out):
        self.world, self.rng, self.now, self.out = world, rng, now, out
        self.titles = fragment_titles(fragments)
        self.vectors = self._fragment_vectors() if semantic.enabled() else None
        self._rows: dict[tuple, tuple] = {}
        self.timeline = Inserter(
            TimelineEntry,
            ["idea", "kind", "actor", "actor_submitter", "from_stage", "to_stage", "body",
             "created_at", "stay_started_at", "stay_microseconds", "reason_key"],
        )  # fmt: skip
        self.tagged = Inserter(Idea.tags.through, ["idea", "tag"])
        self.idea_rows = Inserter(
            Idea,
            ["reference", "consortium", "municipality", "workplace", "title", "need",
             "solution", "expected_effects", "consent_to_publish", "stage",
             "stage_entered_at", "owner", "submission_token", "created_at", "last_activity_at",
             "stages_reached"],
        )  # fmt: skip
        self.submitter_rows = Inserter(
            Submitter,
            ["idea", "name", "email", "is_primary", "user", "link_salt", "access_token_hash"],
        )
        self.search_text = Inserter(
            IdeaSearchText,
            ["idea", "title_terms", "body_terms", "grams", "title_folded", "indexed_at"],
        )
        self.embeddings = Inserter(
            IdeaEmbedding,
            ["idea", "vector", "created_at"],
            model_name=f"{semantic.MODEL_NAME} (derived from fragments)",
            text_hash="",
        )
        self.counters: dict[tuple[str, int], int] = {}
        prefixes = list(world.prefixes.values())
        for prefix, year, last in ReferenceCounter.objects.filter(prefix__in=prefixes).values_list(
            "prefix", "year", "last_number"
        ):
            self.counters[(prefix, year)] = last

    def _fragment_vectors(self):
        """The real vectors of every fragment, embedded once and kept in a file under
        var/bench/ named by the model and the texts (a rebuild reads them back)."""
        texts = self.titles + NEEDS + SOLUTIONS
        key = hashlib.sha256("\n".join([semantic.MODEL_NAME, *texts]).encode()).hexdigest()
        cache = Path(settings.VAR_DIR) / "bench" / f"fragments-{key[:20]}.npy"
        try:
            vectors = np.load(cache)
        except (OSError, ValueError):
            vectors = None
        if vectors is None or vectors.shape != (len(texts), semantic.DIMENSIONS):
            progress = Progress(self.out, "Embedding fragments", len(texts))
            done, parts = 0, []
            for chunk in batched(texts, 64):
                parts.append(semantic.embed_passages(list(chunk)))
                done += len(chunk)
                progress.update(done)
            progress.finish(done)
            vectors = np.concatenate(parts)
            cache.parent.mkdir(parents=True, exist_ok=True)
            np.save(cache, vectors)
        t = len(self.titles)
        return vectors[:t], vectors[t : t + len(NEEDS)], vectors[t + len(NEEDS) :]

    # --- planning ---------------------------------------------------------------------

    def build(self, count: int) -> None:
        rng, now = self.rng, self.now
        began = now - timedelta(days=365 * YEARS)
        span = (now - began).total_seconds()
        moments = sorted(rng.uniform(0, span) for _ in range(count))
        towns = self.world.towns
        cumulative = np.cumsum([t.weight for t in towns])
        picks = np.searchsorted(
            cumulative, np.array([rng.random() for _ in range(count)]) * cumulative[-1]
        )
        progress = Progress(self.out, "Ideas", count)
        done = 0
        for chunk in batched(range(count), CHUNK):
            plans = [
                self._plan(
                    towns[min(int(picks[i]), len(towns) - 1)], began + timedelta(seconds=moments[i])
                )
                for i in chunk
            ]
            with transaction.atomic():
                self._write(plans)
            done += len(chunk)
            progress.update(done)
        progress.finish(done)

    def _reference(self, consortium_id: int, handed_in: datetime) -> str:
        prefix = self.world.prefixes[consortium_id]
        year = timezone.localtime(handed_in).year
        number = self.counters.get((prefix, year), 0) + 1
        self.counters[(prefix, year)] = number
        return f"{prefix}-{year}-{number:04d}"

    def _plan(self, town: Town, handed_in: datetime) -> Plan:
        rng, now = self.rng, self.now
        consortium_id = town.consortium.pk
        journey = DashboardBench._journey(handed_in, now, rng)
        final_key, final_at, _reason = journey[-1]
        stages = self.world.stages[consortium_id]
        is_outcome = stages[final_key].is_outcome
        end = final_at if is_outcome else now
        # A third of the ideas still waiting in Received have nobody on them yet.
        owner = (
            None if final_key == "received" and rng.random() < 0.33 else rng.choice(town.coaches)
        )
        submitters = [int(town.people[rng.randrange(town.count)])]
        if rng.random() < 0.12:
            submitters.append(int(town.people[rng.randrange(town.count)]))
        plan = Plan(
            town=town,
            handed_in=handed_in,
            reference=self._reference(consortium_id, handed_in),
            title_index=rng.randrange(len(self.titles)),
            need_index=rng.randrange(len(NEEDS)),
            solution_index=rng.randrange(len(SOLUTIONS)),
            journey=journey,
            owner=owner,
            submitter_people=list(dict.fromkeys(submitters)),
        )
        leaders = self.world.leaders[consortium_id]
        events = plan.events
        events.append(Event(handed_in, Kind.SUBMITTED, to_key="received", by_submitter=True))
        first_move = journey[1][1] if len(journey) > 1 else end
        if owner is not None:
            window = max((first_move - handed_in).total_seconds(), 60.0)
            assigned = handed_in + timedelta(seconds=rng.uniform(0.02, 0.5) * window)
            events.append(Event(assigned, Kind.OWNER_CHANGED, actor=owner, body=""))
        previous_key, entered = "received", handed_in
        for key, when, reason in journey[1:]:
            coach_may = COACH_MAY.get((previous_key, key), False)
            actor = owner if coach_may and owner else rng.choice(leaders)
            if stages[key].requires_reason and not reason:
                reason = rng.choice(OUTCOME_REASONS)
            events.append(
                Event(
                    when,
                    Kind.STAGE_CHANGED,
                    actor=actor,
                    from_key=previous_key,
                    to_key=key,
                    body=reason,
                    stay_started_at=entered,
                )
            )
            if previous_key == "received" and rng.random() < 0.4:
                events.append(
                    Event(when, Kind.MESSAGE_TO_SUBMITTER, actor=actor, body=rng.choice(MESSAGES))
                )
            previous_key, entered = key, when
        life = (end - handed_in).total_seconds()
        worker = owner or rng.choice(leaders)
        if rng.random() < 0.3 and life > 3600:
            at = handed_in + timedelta(seconds=rng.uniform(0.1, 0.95) * life)
            events.append(Event(at, Kind.NOTE, actor=worker, body=rng.choice(NOTES)))
        plan.tags = rng.sample(self.world.tags[consortium_id], rng.choice((0, 1, 1, 2)))
        if rng.random() < 0.15 and life > 5 * 86400:
            plan.referral = self._plan_referral(plan, worker, end)
        if rng.random() < 0.12 and life > 7 * 86400:
            plan.meeting = self._plan_meeting(plan, worker, end, is_outcome)
        if final_key in ("spread", "implemented") and rng.random() < 0.5 and owner:
            at = min(final_at + timedelta(days=rng.uniform(1, 20)), now - timedelta(minutes=5))
            plan.solution = {"at": at, "owner": owner}
            events.append(
                Event(
                    at,
                    Kind.SOLUTION_PUBLISHED,
                    actor=owner,
                    body="Erbjuden de andra kommunerna i lösningskatalogen.",
                )
            )
        events.sort(key=lambda e: e.at)
        return plan

    def _plan_referral(self, plan: Plan, worker: int, end: datetime) -> dict:
        rng = self.rng
        life = (end - plan.handed_in).total_seconds()
        sent = plan.handed_in + timedelta(seconds=rng.uniform(0.1, 0.7) * life)
        actor = rng.choice(self.world.actors[plan.town.consortium.pk])
        question = rng.choice(QUESTIONS)
        answered = sent + timedelta(days=rng.uniform(1, 40))
        if answered >= self.now or rng.random() >= 0.8:
            answered = None
        plan.events.append(
            Event(sent, Kind.REFERRAL_SENT, actor=worker, body=f"{actor}: {question}")
        )
        answer = rng.choice(ANSWERS)
        if answered:
            plan.events.append(
                Event(answered, Kind.REFERRAL_ANSWERED, body=f"{actor.name}: {answer}")
            )
        return {
            "sent": sent,
            "answered": answered,
            "actor": actor,
            "question": question,
            "answer": answer,
            "by": worker,
        }

    def _plan_meeting(self, plan: Plan, worker: int, end: datetime, is_outcome: bool) -> dict:
        rng, now = self.rng, self.now
        life = (end - plan.handed_in).total_seconds()
        booked_at = plan.handed_in + timedelta(seconds=rng.uniform(0.05, 0.8) * life)
        day = timezone.localtime(booked_at + timedelta(days=rng.randint(3, 21))).replace(
            hour=rng.choice((9, 10, 13, 14)), minute=0, second=0, microsecond=0
        )
        title = rng.choice(MEETINGS)
        if not is_outcome and rng.random() < 0.25:
            # Still finding a time: a poll with three proposed times ahead.
            start = timezone.localtime(now + timedelta(days=rng.randint(3, 14))).replace(
                hour=10, minute=0, second=0, microsecond=0
            )
            return {
                "poll": True,
                "title": title,
                "created": now - timedelta(hours=rng.randint(1, 48)),
                "options": [start + timedelta(days=d) for d in (0, 1, 2)],
                "by": worker,
            }
        # Held once it is over, with its action items written down.
        held = day + timedelta(hours=2) < now
        where = rng.choice(LOCATIONS)
        plan.events.append(
            Event(
                booked_at,
                Kind.MEETING_BOOKED,
                actor=worker,
                body=f"{title}, {day:%Y-%m-%d %H:%M}" + (f"\n{where}" if where else ""),
            )
        )
        items = []
        if held:
            for _ in range(rng.randint(1, 2)):
                what = rng.choice(ACTION_ITEMS)
                due = (day + timedelta(days=rng.randint(7, 30))).date()
                added = day + timedelta(hours=1, minutes=5)
                plan.events.append(
                    Event(added, Kind.ACTION_ITEM, actor=worker, body=f"{what}, senast {due}")
                )
                done = added + timedelta(days=rng.uniform(2, 40))
                if done < now and rng.random() < 0.7:
                    plan.events.append(
                        Event(done, Kind.ACTION_ITEM, actor=worker, body=f"Klart: {what}")
                    )
                else:
                    done = None
                items.append({"title": what, "due": due, "added": added, "done": done})
        return {
            "poll": False,
            "title": title,
            "booked_at": booked_at,
            "start": day,
            "where": where,
            "held": held,
            "items": items,
            "by": worker,
        }

    # --- writing ----------------------------------------------------------------------

    def _write(self, plans: list[Plan]) -> None:
        stages_of = self.world.stages
        rows, ideas = [], []
        for plan in plans:
            consortium_id = plan.town.consortium.pk
            final_key, final_at, _ = plan.journey[-1]
            title = self.titles[plan.title_index]
            need = need_text(title, plan.need_index)
            solution = SOLUTIONS[plan.solution_index]
            rows.append(
                (
                    plan.reference,
                    consortium_id,
                    plan.town.org.pk,
                    WORKPLACES[plan.title_index % len(WORKPLACES)],
                    title,
                    need,
                    solution,
                    EFFECTS[plan.need_index % len(EFFECTS)],
                    plan.solution_index % 3 == 0,
                    stages_of[consortium_id][final_key].pk,
                    final_at,
                    plan.owner,
                    uuid.uuid4(),
                    plan.handed_in,
                    plan.events[-1].at,
                    # What idea_move keeps (the Inserter writes no model instance).
                    Idea.stages_reached_text(
                        stages_of[consortium_id][event.to_key].pk
                        for event in plan.events
                        if event.to_key and event.kind in TimelineEntry.ENTERS_STAGE
                    ),
                )
            )
            ideas.append(Written(0, plan.reference, title, need, solution))
        self.idea_rows.insert(rows)
        ids = dict(
            Idea.objects.filter(reference__in=[i.reference for i in ideas]).values_list(
                "reference", "pk"
            )
        )
        for idea in ideas:
            idea.pk = ids[idea.reference]
        people = self._people_names(plans)
        submitters = []
        for idea, plan in zip(ideas, plans, strict=True):
            for k, user_id in enumerate(plan.submitter_people):
                salt = new_link_salt()
                name, email = people[user_id]
                submitters.append(
                    (
                        idea.pk,
                        name,
                        email,
                        k == 0,
                        user_id,
                        salt,
                        hash_token(token_from_salt(salt)),
                    )
                )
        self.submitter_rows.insert(submitters)
        primary = dict(
            Submitter.objects.filter(idea_id__in=list(ids.values()), is_primary=True).values_list(
                "idea_id", "pk"
            )
        )
        self.tagged.insert(
            (idea.pk, tag) for idea, plan in zip(ideas, plans, strict=True) for tag in plan.tags
        )
        self._write_timeline(ideas, plans, primary)
        self._write_referrals(ideas, plans)
        self._write_meetings(ideas, plans, primary)
        self._write_spread(ideas, plans)
        self._write_search(ideas, plans)
        self._write_counters(plans)

    def _people_names(self, plans: list[Plan]) -> dict[int, tuple[str, str]]:
        wanted = {u for plan in plans for u in plan.submitter_people}
        return {
            pk: (full_name, email)
            for pk, full_name, email in User.objects.filter(pk__in=wanted).values_list(
                "pk", "full_name", "email"
            )
        }

    def _write_timeline(self, ideas, plans, primary) -> None:
        rows = []
        for idea, plan in zip(ideas, plans, strict=True):
            stages = self.world.stages[plan.town.consortium.pk]
            for event in plan.events:
                rows.append(
                    (
                        idea.pk,
                        event.kind,
                        event.actor,
                        primary[idea.pk] if event.by_submitter else None,
                        stages[event.from_key].pk if event.from_key else None,
                        stages[event.to_key].pk if event.to_key else None,
                        event.body,
                        event.at,
                        event.stay_started_at,
                        # What StayLengthField works out when a row is saved.
                        None
                        if event.stay_started_at is None
                        else stay_length_microseconds(event.stay_started_at, event.at),
                        # What ReasonKeyField works out when a row is saved.
                        reason_key_of(event.body)
                        if event.kind == Kind.STAGE_CHANGED and event.body
                        else None,
                    )
                )
        self.timeline.insert(rows)

    def _write_referrals(self, ideas, plans) -> None:
        referrals, answers = [], []
        for idea, plan in zip(ideas, plans, strict=True):
            if not plan.referral:
                continue
            r = plan.referral
            salt = new_link_salt()
            due = timezone.localtime(r["sent"] + timedelta(days=21)).date()
            referrals.append(
                Referral(
                    idea_id=idea.pk,
                    created_by_id=r["by"],
                    external_actor=r["actor"],
                    question=r["question"],
                    due_date=due,
                    expires_at=Referral.expiry_for(due),
                    sent_at=r["sent"],
                    answered_at=r["answered"],
                    link_salt=salt,
                    token_hash=hash_token(referral_token_from_salt(salt)),
                )
            )
            answers.append(r)
        Referral.objects.bulk_create(referrals, batch_size=2000)
        _require_ids(referrals)
        ReferralMessage.objects.bulk_create(
            [
                ReferralMessage(
                    referral_id=referral.pk,
                    kind=ReferralMessage.Kind.ANSWER,
                    body=r["answer"],
                    created_at=r["answered"],
                )
                for referral, r in zip(referrals, answers, strict=True)
                if r["answered"]
            ],
            batch_size=2000,
        )

    def _write_meetings(self, ideas, plans, primary) -> None:
        meetings, planned = [], []
        for idea, plan in zip(ideas, plans, strict=True):
            m = plan.meeting
            if not m:
                continue
            if m["poll"]:
                meeting = Meeting(
                    idea_id=idea.pk,
                    organiser_id=m["by"],
                    title=m["title"],
                    description=f"Agenda: {idea.title}",
                    status=Meeting.Status.POLL,
                    created_at=m["created"],
                )
            else:
                meeting = Meeting(
                    idea_id=idea.pk,
                    organiser_id=m["by"],
                    title=m["title"],
                    description=f"Agenda: {idea.title}. Läget, nästa steg, vem gör vad.",
                    location=m["where"],
                    status=Meeting.Status.BOOKED,
                    booked_start=m["start"],
                    booked_end=m["start"] + timedelta(hours=1),
                    sequence=1,
                    notes="Vi gick igenom idén och läget." if m["held"] else "",
                    decisions="Idén går vidare enligt plan." if m["held"] else "",
                    created_at=m["booked_at"] - timedelta(days=2),
                    booked_at=m["booked_at"],
                )
            meetings.append(meeting)
            planned.append((idea, m))
        Meeting.objects.bulk_create(meetings, batch_size=1000)
        _require_ids(meetings)
        options, participants, items = [], [], []
        for meeting, (idea, m) in zip(meetings, planned, strict=True):
            starts = m["options"] if m["poll"] else [m["start"]]
            options += [
                TimeOption(meeting_id=meeting.pk, start=s, end=s + timedelta(hours=1))
                for s in starts
            ]
            invited = meeting.created_at
            for user_id, submitter_id in ((m["by"], None), (None, primary[idea.pk])):
                salt = new_link_salt()
                participants.append(
                    Participant(
                        meeting_id=meeting.pk,
                        user_id=user_id,
                        submitter_id=submitter_id,
                        invited_at=invited,
                        poll_sent_at=invited,
                        link_salt=salt,
                        token_hash=hash_token(participant_token_from_salt(salt)),
                    )
                )
            for item in [] if m["poll"] else m["items"]:
                items.append(
                    ActionItem(
                        meeting_id=meeting.pk,
                        idea_id=idea.pk,
                        title=item["title"],
                        owner_id=m["by"],
                        due_date=item["due"],
                        created_by_id=m["by"],
                        created_at=item["added"],
                        done_at=item["done"],
                        done_by_id=m["by"] if item["done"] else None,
                    )
                )
        TimeOption.objects.bulk_create(options, batch_size=2000)
        Participant.objects.bulk_create(participants, batch_size=2000)
        ActionItem.objects.bulk_create(items, batch_size=2000)

    def _write_spread(self, ideas, plans) -> None:
        rng = self.rng
        solutions, homes = [], []
        for idea, plan in zip(ideas, plans, strict=True):
            if not plan.solution:
                continue
            at = plan.solution["at"]
            solutions.append(
                Solution(
                    idea_id=idea.pk,
                    title=idea.title,
                    summary=f"{idea.need}\n\n{idea.solution}",
                    results="Kortare väntetider och nöjdare medarbetare."
                    if rng.random() < 0.5
                    else "",
                    category=rng.choice(Category.values),
                    contact_id=plan.owner,
                    created_by_id=plan.owner,
                    created_at=at,
                    updated_at=at,
                )
            )
            homes.append(plan)
        if not solutions:
            return
        Solution.objects.bulk_create(solutions, batch_size=1000)
        _require_ids(solutions)
        adoptions, adoption_plans = [], []
        for solution, plan in zip(solutions, homes, strict=True):
            neighbours = [
                t for t in self.world.towns
                if t.consortium == plan.town.consortium and t is not plan.town
            ]  # fmt: skip
            for town in rng.sample(neighbours, min(len(neighbours), rng.randrange(0, 4))):
                stage = rng.choice(AdoptionStage.values)
                since = solution.created_at + timedelta(days=rng.uniform(1, 200))
                since = min(since, self.now - timedelta(minutes=1))
                owner = rng.choice(town.coaches)
                adoptions.append(
                    Adoption(
                        solution_id=solution.pk,
                        municipality=town.org,
                        owner_id=owner,
                        stage=stage,
                        stage_since=timezone.localtime(since).date(),
                        stop_reason="Passade inte vår verksamhet."
                        if stage == AdoptionStage.STOPPED
                        else "",
                        created_by_id=owner,
                        created_at=since,
                    )
                )
                adoption_plans.append(town)
        Adoption.objects.bulk_create(adoptions, batch_size=1000)
        _require_ids(adoptions)
        AdoptionStageChange.objects.bulk_create(
            [
                AdoptionStageChange(
                    adoption_id=a.pk,
                    from_stage="",
                    to_stage=a.stage,
                    on_date=a.stage_since,
                    reason=a.stop_reason,
                    actor_id=a.owner_id,
                    created_at=a.created_at,
                )
                for a in adoptions
            ],
            batch_size=2000,
        )
        idea_of = {solution.pk: solution.idea_id for solution in solutions}
        benefits = []
        for solution, plan in zip(solutions, homes, strict=True):
            benefits.append(
                self._benefit(
                    solution.idea_id, None, plan.town.org, plan.owner, solution.created_at
                )
            )
        for adoption in adoptions:
            if adoption.stage == AdoptionStage.IN_USE and rng.random() < 0.6:
                benefits.append(
                    self._benefit(
                        idea_of[adoption.solution_id],
                        adoption.pk,
                        adoption.municipality,
                        adoption.owner_id,
                        adoption.created_at,
                    )
                )
        BenefitHypothesis.objects.bulk_create(benefits, batch_size=1000)
        _require_ids(benefits)
        measurements = []
        for benefit in benefits:
            days = max(1, (self.now - benefit.created_at).days)
            for _ in range(rng.randrange(0, 4) if days > 30 else 0):
                on = benefit.created_at + timedelta(days=rng.uniform(7, days))
                low, high = sorted((float(benefit.target), float(benefit.baseline)))
                measurements.append(
                    Measurement(
                        benefit_id=benefit.pk,
                        measured_on=timezone.localtime(min(on, self.now)).date(),
                        value=Decimal(round(rng.uniform(low, high))),
                        recorded_by_id=benefit.owner_id,
                        created_at=min(on, self.now),
                    )
                )
        Measurement.objects.bulk_create(measurements, batch_size=2000)

    def _benefit(self, idea_id, adoption_id, municipality, owner, created_at) -> BenefitHypothesis:
        rng = self.rng
        description, indicator, unit, baseline, target, sek, hours = rng.choice(BENEFITS)
        return BenefitHypothesis(
            idea_id=idea_id,
            adoption_id=adoption_id,
            municipality=municipality,
            description=description,
            indicator=indicator,
            unit=unit,
            baseline=Decimal(baseline),
            target=Decimal(target),
            how_measured="Räknas i verksamhetssystemet varje månad.",
            owner_id=owner,
            value_per_unit_sek=Decimal(sek),
            hours_per_unit=Decimal(hours) if hours else None,
            phase=rng.choice(("plan", "realise", "follow_up")),
            follow_up_every_days=90,
            next_measurement_due=timezone.localtime(
                self.now + timedelta(days=rng.randint(-20, 90))
            ).date(),
            created_at=created_at,
        )

    def _write_search(self, ideas, plans) -> None:
        rows = []
        for idea in ideas:
            key = (idea.title, idea.need, idea.solution)
            cached = self._rows.get(key)
            if cached is None:
                # search_text_row is the index's own reduction of a text; ideas made of
                # the same fragments share it, which saves most of the work at scale.
                row = search_text_row(
                    idea_id=0, title=idea.title, need=idea.need, solution=idea.solution,
                    beneficiaries=idea.beneficiaries,
                )  # fmt: skip
                cached = (row.title_terms, row.body_terms, row.grams, row.title_folded)
                self._rows[key] = cached
            rows.append((idea.pk, *cached, self.now))
        self.search_text.insert(rows)
        if self.vectors is None:
            return
        titles, needs, solutions = self.vectors
        t = np.array([p.title_index for p in plans])
        n = np.array([p.need_index for p in plans])
        s = np.array([p.solution_index for p in plans])
        combined = 2.0 * titles[t] + needs[n] + solutions[s]
        combined /= np.linalg.norm(combined, axis=1, keepdims=True)
        packed = combined.astype(np.float16)
        self.embeddings.insert(
            (idea.pk, packed[k].tobytes(), self.now) for k, idea in enumerate(ideas)
        )

    def _write_counters(self, plans) -> None:
        touched = {
            (self.world.prefixes[p.town.consortium.pk], timezone.localtime(p.handed_in).year)
            for p in plans
        }
        for prefix, year in touched:
            counter, _ = ReferenceCounter.objects.get_or_create(prefix=prefix, year=year)
            ReferenceCounter.objects.filter(pk=counter.pk).update(
                last_number=self.counters[(prefix, year)]
            )


def _require_ids(rows) -> None:
    # Both supported databases return ids from bulk inserts (SQLite 3.35+, PostgreSQL).
    if rows and not all(row.pk for row in rows):
        raise RuntimeError("The database returned no ids from a bulk insert.")


# --- The whole build and its manifest ----------------------------------------------------

#: The name of the API token the manifest carries (earlier ones are revoked on each run).
TOKEN_NAME = "bench"  # noqa: S105 - a name, not a secret
#: The dashboard table the runner exports as CSV.
STATS_TABLE_SLUG = "funnel"


def scale_consortia(spec: Scale):
    return Organisation.objects.filter(
        kind=Organisation.Kind.CONSORTIUM,
        parent__isnull=True,
        slug__startswith=f"bench-{spec.name}-",
    )


def dataset_counts(spec: Scale) -> dict[str, int]:
    """What the data set of a scale holds, counted in the database."""
    consortia = scale_consortia(spec)
    of_ideas = {"idea__consortium__in": consortia}
    return {
        "consortia": consortia.count(),
        "municipalities": Organisation.objects.filter(
            kind=Organisation.Kind.MUNICIPALITY, parent__in=consortia
        ).count(),
        "people": User.objects.filter(
            email__endswith=f"@{EMAIL_DOMAIN}", email__contains=f"+{spec.letter}"
        ).count(),
        "ideas": Idea.objects.filter(consortium__in=consortia).count(),
        "timeline_entries": TimelineEntry.objects.filter(**of_ideas).count(),
        "referrals": Referral.objects.filter(**of_ideas).count(),
        "meetings": Meeting.objects.filter(**of_ideas).count(),
        "benefits": BenefitHypothesis.objects.filter(**of_ideas).count(),
        "measurements": Measurement.objects.filter(benefit__idea__consortium__in=consortia).count(),
        "solutions": Solution.objects.filter(**of_ideas).count(),
        "adoptions": Adoption.objects.filter(solution__idea__consortium__in=consortia).count(),
    }


def build(
    *,
    scale: str,
    ideas: int | None = None,
    people: int | None = None,
    seed: int = 7,
    manifest: Path | str | None = None,
    grow: bool = False,
    err=sys.stderr,
    say=print,
) -> dict:
    """Build (or reuse, resume or grow) the data set of a scale and write its manifest.

    Without --grow an existing data set is reused as it is, unless `ideas` asks for more
    than it holds (an interrupted build is resumed that way); with --grow as many ideas as
    `ideas` (default: the scale's) are added. Returns the manifest."""
    # With DEBUG on, Django keeps and formats every statement it runs: at this size that
    # is gigabytes of SQL text and a tenth of the time.
    with override_settings(DEBUG=False):
        return _build(
            scale=scale, ideas=ideas, people=people, seed=seed, manifest=manifest, grow=grow,
            err=err, say=say,
        )  # fmt: skip


def _build(*, scale, ideas, people, seed, manifest, grow, err, say) -> dict:
    started = time.monotonic()
    spec = SCALES[scale]
    target = ideas or spec.ideas
    existing_people = sum(
        Organisation.objects.filter(
            kind=Organisation.Kind.MUNICIPALITY, parent__in=scale_consortia(spec)
        ).values_list("employee_count", flat=True)
    )
    if existing_people:
        if people and people != existing_people:
            say(f"The {scale} data set has {existing_people} people; keeping them.")
        people = existing_people
    people = people or spec.people
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            # A larger page cache (256 MB) keeps the indexes being filled in memory.
            cursor.execute("PRAGMA cache_size = -262144")
    world = _world(spec, people, err)
    existing = Idea.objects.filter(consortium__in=world.consortia).count()
    if grow:
        if not existing:
            raise ValueError(f"There is no {scale} data set to grow; build it first.")
        todo = target
        say(f"Growing the {scale} data set: {existing} ideas, adding {todo}.")
    elif existing and (ideas is None or existing >= ideas):
        todo = 0
        say(f"reusing the {scale} data set on {connection.vendor}: {existing} ideas.")
    else:
        todo = target - existing
        verb = "Resuming" if existing else "Building"
        say(f"{verb} the {scale} data set on {connection.vendor}: {todo} ideas to write.")
    if todo:
        rng = random.Random(seed * 1_000_003 + existing)
        fragments = min(2500, max(100, target // 20))
        Builder(world, rng, timezone.now(), fragments, err).build(todo)
    say(f"Periodic jobs caught up: {catch_up_periodic_jobs()} reminders counted as sent.")
    if connection.vendor == "postgresql":
        # The tables as autovacuum keeps them on a running server: a data set written in
        # one go has no planner statistics until its analyze comes, and no visibility map
        # until its vacuum comes (never where autovacuum is off, as on this project's
        # test server). Without statistics the pages were measured on plans made blind;
        # without the map every index-only scan (the list's count, a stage's count)
        # read the table's rows as well.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")
        say("Tables vacuumed and planner statistics gathered (VACUUM ANALYZE).")
    return write_manifest(
        world,
        seed=seed,
        path=Path(manifest) if manifest else DEFAULT_MANIFEST,
        started=started,
    )


def catch_up_periodic_jobs() -> int:
    """Run the worker's periodic jobs once now and count what they sent as sent before.

    The data set is a sluice that has been running for years: the reminders due so far
    (benefit measurements, referrals, action items, digests) went out when they were
    due. Built in one go, they would all be due at once, and the benchmark's worker would
    spend its whole run sending tens of thousands of them (35,000 at national scale)
    beside the load it measures. The jobs record what they sent, so each later run (the
    worker's first, at start) sends only what falls due after this. Returns how many
    emails were marked sent."""
    from django_tasks_db.models import DBTaskResult

    from apps.core.periodic import run_jobs_once
    from apps.notifications.models import OutboxEmail
    from apps.notifications.tasks import send_outbox_email

    now = timezone.now()
    run_jobs_once(now=now)
    with transaction.atomic():
        DBTaskResult.objects.filter(
            task_path=send_outbox_email.module_path, status="READY"
        ).delete()
        return OutboxEmail.objects.filter(status=OutboxEmail.Status.PENDING).update(
            status=OutboxEmail.Status.SENT, sent_at=now
        )


def write_manifest(world: World, *, seed: int, path: Path, started: float) -> dict:
    """Write the manifest bench/run.py reads (JSON, the keys below, agreed with it): the
    logins (a fresh password for everyone with a role, hashed once; a fresh API token for
    the process leader of consortium 1), what the runner asks for, drawn from the data
    with `seed`, and the counts of the data set."""
    rng = random.Random(seed)
    spec = world.scale
    first = world.consortia[0]
    home = max((t for t in world.towns if t.consortium == first), key=lambda t: t.count)
    coach = User.objects.get(pk=home.coaches[0])
    leader = User.objects.get(pk=world.leaders[first.pk][0])
    password = secrets.token_urlsafe(15)
    with transaction.atomic():
        User.objects.filter(pk__in=world.role_user_ids).update(password=make_password(password))
        now = timezone.now()
        ApiToken.objects.filter(user=leader, name=TOKEN_NAME, revoked_at__isnull=True).update(
            revoked_at=now
        )
        # Made here rather than by api_token_create, which would email the owner (an
        # address that does not exist) on every run.
        secret = new_token_secret()
        ApiToken.objects.create(
            user=leader,
            name=TOKEN_NAME,
            token_hash=hash_token(secret),
            prefix=secret[:VISIBLE_CHARACTERS],
            created_at=now,
        )
    references = list(
        Idea.objects.filter(municipality=home.org)
        .order_by("pk")
        .values_list("reference", flat=True)
    )
    first_ids = list(
        Idea.objects.filter(consortium=first).order_by("pk").values_list("pk", flat=True)
    )
    chosen = rng.sample(first_ids, min(50, len(first_ids)))
    similar = []
    for title, need, solution in (
        Idea.objects.filter(pk__in=chosen).order_by("pk").values_list("title", "need", "solution")
    ):
        # A rewording: the same words in another order, a third left out.
        words = f"{need} {solution}".split()
        rng.shuffle(words)
        title_words = title.split()
        rng.shuffle(title_words)
        similar.append(
            {"title": " ".join(title_words), "text": " ".join(words[: max(4, len(words) * 2 // 3)])}
        )
    terms = [*SUBJECTS, *EXTRA_SEARCH_TERMS]
    stages = sorted(world.stages[first.pk].values(), key=lambda s: (s.is_outcome, s.position))
    open_stages = [s.pk for s in stages if not s.is_outcome]
    tags = world.tags[first.pk]
    # The search-and-stage filter asks for a pair the coach's own municipality has, so
    # that it lists rows before and after `--grow`: an input that matches nothing skips
    # the reading of rows, and its count would seem to grow once data matches it.
    matching_pairs = [
        (term, stage)
        for term in terms
        for stage in Idea.objects.filter(
            municipality=home.org, stage_id__in=open_stages, title__icontains=term
        )
        .order_by("pk")
        .values_list("stage_id", flat=True)[:1]
    ] or [(terms[0], open_stages[0])]
    list_filters = []
    for k in range(20):
        term, stage = terms[(k * 7) % len(terms)], open_stages[k % len(open_stages)]
        pair_term, pair_stage = matching_pairs[k % len(matching_pairs)]
        list_filters.append(
            [
                {"stage": str(stage)},
                {"q": term},
                {"stage": str(pair_stage), "q": pair_term},
                {"owner": str(coach.pk), "stage": str(stage)},
                {"tag": str(tags[k % len(tags)]), "age": rng.choice(("30", "90", "365"))},
            ][k % 5]
        )
    counts = dataset_counts(spec)
    manifest = {
        "scale": spec.name,
        "vendor": connection.vendor,
        "seed": seed,
        "build_seconds": round(time.monotonic() - started, 1),
        "counts": counts,
        "password": password,
        "coach": {"email": coach.email, "municipality_slug": home.org.slug},
        "leader": {"email": leader.email, "consortium_id": first.pk},
        "api_token": secret,
        "idea_references": rng.sample(references, min(200, len(references))),
        "search_terms": terms,
        "similar_queries": similar,
        "list_filters": list_filters,
        "stats_table_slug": STATS_TABLE_SLUG,
        "submit": {"municipality_slug": home.org.slug},
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return manifest
