"""An XSS payload in every text field comes back escaped in pages, emails and exports.

The permission matrix's scene is built (every row's arguments are made, so one object of
every kind exists), then every free-text field of every row of every project model is
overwritten with a payload that carries its own number. Every GET route is then read as
every actor the matrix lets in, and no HTML (or XML) answer may hold a payload raw: an
unescaped tag, a `javascript:` address in a link, or template syntax that was evaluated.
The number in a hit names the model, field and row it came from.

Emails: the matrix's writes are sent again on the poisoned data and a newsletter full of
payloads goes out; every HTML part must be escaped and no text part may have evaluated
template syntax. Exports: CSV/XLSX cells that begin with = + - @ are neutralised, and the
privacy ZIP's JSON holds the payload verbatim (JSON is data, not HTML).
"""

import csv
import io
import json
import re
import zipfile
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import IntegrityError, models, transaction
from django.test import Client, RequestFactory
from django.urls import reverse

from apps.core.tests.matrix import LOGGED_IN, MATRIX, OK, WRITE, build_scene

# --- What is poisoned, and what is not --------------------------------------------------

#: Whole models left alone, with the reason.
SKIPPED_MODELS = {
    # Rendered output, not input: the subject and bodies are made by our templates from
    # the fields poisoned here (html_body is HTML by design); checked in the email test.
    "notifications.OutboxEmail": "rendered emails (checked after sending on poisoned data)",
    # Derived search indexes, rebuilt from the idea; never shown.
    "search.IdeaSearchText": "search index derived from the idea",
    "search.IdeaEmbedding": "model name and text hash of an embedding",
    # Append-only by database triggers; poisoned through audit_record instead (below).
    "audit.AuditEvent": "append-only (triggers); events with payloads are recorded instead",
    "audit.AuditIdentity": "append-only (triggers); labels with payloads are recorded instead",
}

#: Single fields left alone, with the reason. Choice fields are skipped generally
#: (a payload is not one of the choices the code branches on).
SKIPPED_FIELDS = {
    "accounts.User.password": "a password hash",
    "organisations.Organisation.reference_prefix": "makes idea references used in URLs",
    "ideas.ReferenceCounter.prefix": "the counter's key of the reference prefix",
    "ideas.Idea.reference": "the idea's identifier in URLs",
    "ideas.Idea.language": "a language code the code switches to",
    "ideas.Idea.stages_reached": "stage ids kept by the services for the statistics",
    "ideas.Attachment.content_type": "a MIME type sent as a response header",
    "resources.ResourceVersion.content_type": "a MIME type sent as a response header",
    "meetings.Meeting.uid": "the iCalendar UID, unique and made by us",
    "meetings.Participant.availability_ics": "fetched calendar data that is parsed",
    "imports.ImportJob.first_reference": "an idea reference (link target)",
    "imports.ImportJob.last_reference": "an idea reference (link target)",
    "api.ApiToken.prefix": "the token's generated prefix used to find it",
    "showcase.ShowcaseEntry.search_text": "search text derived from the story",
    "resources.Resource.search_text": "search text derived from the resource",
    "newsletters.Subscriber.language": "a language code the code switches to",
    "newsletters.Newsletter.body_text": "snapshot rendered at sending (checked by sending one)",
    "newsletters.Newsletter.body_html": "snapshot rendered at sending (checked by sending one)",
}
#: Names of fields that hold secrets or their hashes: made by us, never typed.
SECRET_NAMES = re.compile(r"(token|hash|salt|secret)")
#: Text fields that hold a web address someone typed: they get a `javascript:` payload,
#: the danger being a link that runs script, which escaping does not prevent.
URL_FIELDS = {"meetings.Participant.availability_url"}


def payload(number: int, max_length: int | None, *, url: bool = False) -> str:
    """The longest payload that fits, carrying `number` in every dangerous part."""
    if url:
        return f"javascript:alert({number})"
    candidates = [
        # A CSV formula first, then template syntax, attribute breakout, script and SVG.
        f'=HYPERLINK("https://x.test/{number}")XSS{number}:{{{{ 7*7 }}}}{{% debug %}}'
        f'"><img src=x onerror=alert({number})><script>alert({number})</script>'
        f"'><svg onload=alert({number})>",
        f'XSS{number}:{{{{ 7*7 }}}}"><img src=x onerror=alert({number})>',
        f"<script>alert({number})</script>",
        f"<svg onload=alert({number})>",
        f"<xss{number}>",
    ]
    for candidate in candidates:
        if max_length is None or len(candidate) <= max_length:
            return candidate
    raise AssertionError(f"no payload fits in {max_length} characters")


#: What a payload looks like when it came back raw; group 1 is its number.
RAW = {
    "script tag": re.compile(r"<script>alert\((\d+)\)"),
    "img onerror": re.compile(r"<img src=x onerror=alert\((\d+)\)"),
    "svg onload": re.compile(r"<svg onload=alert\((\d+)\)"),
    "unknown tag": re.compile(r"<xss(\d+)>"),
    "javascript: link": re.compile(
        r"""(?:href|src|action|formaction)\s*=\s*["']?\s*javascript:alert\((\d+)\)""", re.I
    ),
    "evaluated template": re.compile(r"XSS(\d+):49"),
}


def raw_hits(text: str) -> list[tuple[str, int]]:
    return [(what, int(m.group(1))) for what, rx in RAW.items() for m in rx.finditer(text)]


def text_fields(model) -> list[models.Field]:
    label = model._meta.label
    fields = []
    for field in model._meta.concrete_fields:
        if not isinstance(field, models.CharField | models.TextField):
            continue
        name = f"{label}.{field.name}"
        if (
            field.choices
            or isinstance(field, models.SlugField | models.EmailField)
            or SECRET_NAMES.search(field.name)
            or name in SKIPPED_FIELDS
        ):
            continue
        fields.append(field)
    return fields


def project_models():
    return [
        m
        for m in apps.get_models()
        if m.__module__.startswith("apps.") and m._meta.label not in SKIPPED_MODELS
    ]


@dataclass
class Poisoned:
    """Which number stands for which model, field and row."""

    where: dict[int, str]
    fields: int

    def name(self, number: int) -> str:
        return self.where.get(number, f"#{number} (not one of ours)")


def poison_everything() -> Poisoned:
    """Write a numbered payload into every free-text field of every row."""
    where: dict[int, str] = {}
    number = 100
    for model in project_models():
        fields = text_fields(model)
        if not fields:
            continue
        for pk in model._base_manager.values_list("pk", flat=True):
            for field in fields:
                number += 1
                label = f"{model._meta.label}.{field.name}"
                url = isinstance(field, models.URLField) or label in URL_FIELDS
                try:
                    with transaction.atomic():
                        model._base_manager.filter(pk=pk).update(
                            **{field.name: payload(number, field.max_length, url=url)}
                        )
                except IntegrityError:
                    # A check constraint keeps this field empty in this row's state
                    # (a credit only with consent, ...): leave it as it is.
                    continue
                where[number] = f"{label} (pk {pk})"
    # Cached statistics would still show the clean names.
    cache.clear()
    return Poisoned(where=where, fields=len(where))


def record_audit_payloads(scene) -> list[int]:
    """The audit log is append-only: poison it the way an attacker could, through a failed
    login's typed address, a user agent and an object's name."""
    from apps.audit.models import AuditEvent
    from apps.audit.services import audit_record

    request = RequestFactory().get("/", HTTP_USER_AGENT=payload(91, 200))
    audit_record(
        kind=AuditEvent.Kind.values[0],
        subject_label=payload(92, 320),
        object_repr=payload(93, 300),
        organisation=scene.world.consortium,
        request=request,
    )
    return [91, 92, 93]


# --- The scene ----------------------------------------------------------------------------


def get_routes():
    return {name: route for name, route in MATRIX.items() if route.method in ("get", "get+post")}


def build_everything(world):
    """The scene with every row's objects made; each GET row's arguments kept."""
    scene = build_scene(world)
    arguments = {name: route.kwargs(scene) for name, route in get_routes().items()}
    # The POST-only rows make their objects too (links, tokens, action items).
    for route in MATRIX.values():
        if route.method == "post":
            route.kwargs(scene)
    return scene, arguments


def client_for(scene, actor: str) -> Client:
    client = Client()
    if actor in LOGGED_IN:
        client.force_login(getattr(scene.world, actor))
    return client


def is_markup(response) -> bool:
    content_type = response.get("Content-Type", "")
    return "html" in content_type or "xml" in content_type


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# --- Pages --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_text_field_comes_back_escaped_on_every_page(world):
    from apps.newsletters import services as newsletter_services

    scene, arguments = build_everything(world)
    poisoned = poison_everything()
    audit_numbers = record_audit_payloads(scene)
    # A newsletter issue is a snapshot rendered at sending: send one full of payloads.
    issue = newsletter_services.newsletter_create(
        actor=world.communicator,
        consortium=world.consortium,
        subject=payload(81, 200),
        intro=payload(82, None),
    )
    newsletter_services.block_add(
        actor=world.communicator,
        newsletter=issue,
        kind="text",
        heading=payload(83, 200),
        text=payload(84, None),
    )
    newsletter_services.newsletter_send(actor=world.communicator, newsletter=issue)
    extra = {"newsletters:issue": {"newsletter_id": issue.pk}}

    clients = {}
    failures, shown, pages = [], set(), 0
    for name, route in get_routes().items():
        for kwargs in (arguments[name], extra.get(name)):
            if kwargs is None:
                continue
            url = reverse(name, kwargs=kwargs)
            for actor in route.expect:
                if route.expect[actor] not in (OK, WRITE):
                    continue
                client = clients.get(actor) or clients.setdefault(actor, client_for(scene, actor))
                response = client.get(url)
                # With every row's objects at once some pages send on (a solution that
                # exists already, a seat taken); a server error raises in the client.
                if response.status_code != 200:
                    assert response.status_code in (302, 303), f"GET {name} as {actor}"
                    continue
                if not is_markup(response) or getattr(response, "streaming", False):
                    continue
                pages += 1
                text = response.content.decode(errors="replace")
                shown.update(int(n) for n in re.findall(r"alert\((\d+)\)", text))
                for what, number in raw_hits(text):
                    failures.append(f"GET {name} as {actor}: {what} from {poisoned.name(number)}")

    assert not failures, f"{len(failures)} raw payloads:\n" + "\n".join(sorted(set(failures)))
    # The check must have seen payloads: most poisoned fields are shown somewhere.
    assert pages > 100
    assert len(shown & set(poisoned.where)) > poisoned.fields // 2, (
        f"only {len(shown & set(poisoned.where))} of {poisoned.fields} payloads were shown"
    )
    # The newsletter's text, and the audit log's typed address and object (the page does
    # not show the user agent; the CSV export does).
    assert {84, *audit_numbers[1:]} <= shown


def test_the_check_sees_raw_payloads():
    assert raw_hits("<p><script>alert(7)</script></p>") == [("script tag", 7)]
    assert raw_hits('<a href="javascript:alert(8)">') == [("javascript: link", 8)]
    assert raw_hits("<h1>XSS349:{{ 7*7 }}</h1>") == []
    assert raw_hits("<h1>XSS349:49</h1>") == [("evaluated template", 349)]
    escaped = "&lt;script&gt;alert(7)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(7)&gt;"
    assert raw_hits(escaped) == []
    assert len(payload(12, 27)) <= 27
    assert payload(12, None).startswith("=HYPERLINK")


# --- Emails and exports -------------------------------------------------------------------

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_cells(cells) -> list[str]:
    """Text cells a spreadsheet would run as a formula (numbers like -3 are fine)."""
    bad = []
    for cell in cells:
        text = str(cell)
        if text.startswith(FORMULA_STARTS) and not re.fullmatch(r"-[\d.,]+", text):
            bad.append(text[:60])
    return bad


def csv_cells(content: bytes, delimiter: str) -> list[str]:
    text = content.decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text), delimiter=delimiter) for cell in row]


def xlsx_cells(content: bytes) -> list[str]:
    from openpyxl import load_workbook

    cells = []
    for sheet in load_workbook(io.BytesIO(content)).worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"a formula in {sheet.title}!{cell.coordinate}"
                if isinstance(cell.value, str):
                    cells.append(cell.value)
    return cells


def send_the_matrix_writes(scene) -> list[str]:
    """Every POST of the matrix, once, by an actor it lets write: the emails they cause
    are made from the poisoned rows."""
    answered, skipped = [], []
    for name, route in MATRIX.items():
        if route.method not in ("post", "get+post"):
            continue
        actor = next(
            (a for a in route.expect if dict(route.probes(a)).get("post") in (OK, WRITE)), None
        )
        if actor is None:
            continue
        try:
            url, data = reverse(name, kwargs=route.kwargs(scene)), route.data(scene)
        except Exception as error:
            # With every row's objects at once a few rows cannot make their arguments
            # (a second membership after the grant row): those rows are not needed here.
            skipped.append(f"{name}: {error}")
            continue
        response = client_for(scene, actor).post(url, data)
        assert response.status_code < 500, f"POST {name} as {actor}"
        answered.append(name)
    assert len(skipped) < 5, skipped
    return answered


@pytest.mark.django_db
def test_emails_and_exports_made_from_poisoned_rows_are_escaped_and_neutralised(world):
    from apps.newsletters import services as newsletter_services
    from apps.newsletters.models import Newsletter, Subscriber
    from apps.notifications.models import OutboxEmail
    from apps.stats import figures, selectors
    from apps.stats.tables import Filters

    scene, _arguments = build_everything(world)
    newsletter_services.subscriber_confirm(
        subscriber=Subscriber.objects.get(email="lasare@example.se")
    )
    before = set(OutboxEmail.objects.values_list("pk", flat=True))
    poisoned = poison_everything()
    record_audit_payloads(scene)

    # --- Emails: the matrix's writes, and a newsletter issue, on poisoned rows.
    assert len(send_the_matrix_writes(scene)) > 30
    draft = Newsletter.objects.filter(status=Newsletter.Status.DRAFT).first()
    newsletter_services.newsletter_send_test(actor=world.communicator, newsletter=draft)
    newsletter_services.newsletter_send(actor=world.communicator, newsletter=draft)
    newsletter_services.newsletter_send_batch(newsletter_id=draft.pk)
    emails = OutboxEmail.objects.exclude(pk__in=before)
    failures, carried = [], set()
    for email in emails:
        carried.update(int(n) for n in re.findall(r"alert\((\d+)\)", email.body))
        for what, number in raw_hits(email.html_body):
            failures.append(f"HTML email {email.kind}: {what} from {poisoned.name(number)}")
        for what, number in raw_hits(email.body + email.subject):
            if what == "evaluated template":
                failures.append(f"email {email.kind}: {what} from {poisoned.name(number)}")
        # A subject is a header, never HTML; it must not carry a line break either.
        assert "\n" not in email.subject, email.kind
    assert not failures, "\n".join(sorted(set(failures)))
    assert emails.exclude(html_body="").exists(), "the newsletter has an HTML part"
    # Plain text keeps the payload as typed: the checks above have seen payloads.
    assert len(carried & set(poisoned.where)) > 5

    # --- The audit log's CSV: the typed address and the object, neutralised.
    admin = client_for(scene, "administrator")
    cells = csv_cells(admin.get(reverse("audit:export")).content, ";")
    assert not formula_cells(cells)
    for number in (92, 93):  # the typed address and the object (the CSV has no user agent)
        assert any(f"alert({number})" in cell and cell.startswith("'=") for cell in cells)

    # --- Every statistic, CSV and XLSX, dashboard and public.
    start, end = selectors.default_period()
    filters = Filters(start=start, end=end, consortium_ids=frozenset({world.consortium.pk}))
    coach = client_for(scene, "coach")
    names = 0
    for route, tables in (
        ("stats:export", figures.dashboard_tables(filters=filters)),
        ("stats:public_export", figures.public_tables(filters=filters)),
    ):
        for table in tables:
            for fmt in ("csv", "xlsx"):
                response = coach.get(reverse(route, kwargs={"slug": table.slug, "fmt": fmt}))
                assert response.status_code == 200, f"{route} {table.slug}.{fmt}"
                cells = (
                    csv_cells(response.content, ";")
                    if fmt == "csv"
                    else xlsx_cells(response.content)
                )
                assert not formula_cells(cells), f"{route} {table.slug}.{fmt}"
                names += sum("HYPERLINK" in cell for cell in cells)
    assert names, "the statistics name poisoned organisations or solutions somewhere"

    # --- The privacy export: JSON is data and holds the payload verbatim; CSV neutralised.
    submitter = scene.idea.submitters.get(is_primary=True)
    for client, url, data in (
        (admin, reverse("privacy:person_export"), {"email": submitter.email}),
        (coach, reverse("privacy:my_data"), {}),
    ):
        response = client.post(url, data)
        assert response.status_code == 200, url
        archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
        verbatim = 0
        for member in archive.namelist():
            content = archive.read(member)
            if member.endswith(".json"):
                verbatim += "<script>alert(" in json.dumps(json.loads(content), ensure_ascii=False)
            elif member.endswith(".csv"):
                assert not formula_cells(csv_cells(content, ",")), f"{url} {member}"
        assert verbatim, f"{url}: the JSON holds the payloads as typed"
