"""Every write of the privacy work: the data export (it is audited), erasure and the
retention job. The registry (`registry.py`) says what each does per record type."""

from __future__ import annotations

import csv
import io
import json
import re
import tempfile
import zipfile
from datetime import datetime
from typing import IO

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.stats.exports import neutralise

from .models import Erasure
from .registry import (
    BLANK,
    DELETE,
    EMAIL,
    NAME,
    NULL,
    PSEUDONYMISE,
    RETENTION,
    Person,
    RecordType,
    records,
)


def _audit(**kwargs) -> None:
    from apps.audit.services import audit_record

    audit_record(**kwargs)


# --- Export ----------------------------------------------------------------------------


def _rows_for_export(record: RecordType, person: Person) -> list[dict]:
    return list(record.rows(person).order_by("pk").values(*record.export))


def _csv_text(columns: tuple[str, ...], rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: _csv_cell(value) for key, value in row.items()})
    return buffer.getvalue()


def _csv_cell(value):
    # Neutralise spreadsheet formulas (CSV injection): names and texts are typed by people.
    if value is None:
        return ""
    return neutralise(value) if isinstance(value, str) else value


def personal_data_export(*, actor, person: Person, request=None) -> IO[bytes]:
    """Build the ZIP of everything the sluice holds about `person` and audit who took it.

    One JSON and one CSV file per record type with rows, the files they uploaded, and a
    README in Swedish and English. Written to a spooled temporary file (memory for small
    sets, disk for large ones), returned rewound for streaming.
    """
    made_at = timezone.now()
    # Handed to the response, which closes it after streaming.
    spool = tempfile.SpooledTemporaryFile(max_size=10 * 1024 * 1024)  # noqa: SIM115
    listed: list[tuple[str, str, int]] = []
    with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for record in records():
            if record.rows is None or not record.export:
                continue
            rows = _rows_for_export(record, person)
            if not rows:
                continue
            stem = record.file_stem
            archive.writestr(
                f"{stem}.json",
                json.dumps(rows, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
            )
            archive.writestr(f"{stem}.csv", _csv_text(record.export, rows))
            listed.append((stem, str(record.verbose_name), len(rows)))
        from .registry import _attachments

        files = 0
        for attachment in _attachments(person, "ideas.Attachment").select_related("idea"):
            try:
                with attachment.file.open("rb") as handle:
                    content = handle.read()
            except (FileNotFoundError, ValueError):
                continue
            archive.writestr(
                f"attachments/{attachment.idea.reference}/{attachment.pk}-"
                f"{attachment.original_name}",
                content,
            )
            files += 1
        archive.writestr(
            "README.txt",
            render_to_string(
                "privacy/export_readme.txt",
                {
                    "made_at": made_at,
                    "person": person,
                    "listed": listed,
                    "files": files,
                    "contact": settings.DEFAULT_FROM_EMAIL,
                },
            ),
        )
    _audit(
        kind="personal_data_export",
        actor=actor,
        subject_user=person.user,
        subject_label="" if person.user is not None else person.label,
        detail={"record_types": len(listed), "files": files},
        request=request,
    )
    spool.seek(0)
    return spool


# --- Erasure ---------------------------------------------------------------------------


def pseudonym_for(number: int) -> tuple[str, str]:
    """The name and the (undeliverable) address that replace a person in kept records."""
    with translation.override(settings.LANGUAGE_CODE):
        name = gettext("Erased person #%(number)s") % {"number": number}
    return name, f"erased-{number}@invalid"


def _replacer(person: Person, name: str, email: str):
    """A function replacing every name and address of the person in a text (any case)."""

    def replacement(term: str) -> str:
        if "@" in term:
            return email
        return "–" if term in person.phones else name

    substitutions = [
        (re.compile(re.escape(term), re.IGNORECASE), replacement(term)) for term in person.terms
    ]

    def replace(value):
        if isinstance(value, str):
            for pattern, replacement in substitutions:
                value = pattern.sub(replacement, value)
            return value
        if isinstance(value, list):
            return [replace(item) for item in value]
        if isinstance(value, dict):
            return {replace(key): replace(item) for key, item in value.items()}
        return value

    return replace


def _mentions(record: RecordType, person: Person) -> Q:
    """Rows whose free text holds a name or address of the person. JSON columns are also
    searched for the escaped form, which is how SQLite stores non-ASCII letters."""
    q = Q(pk__in=[])
    model = record.model
    for field_name in record.text_fields:
        is_json = isinstance(model._meta.get_field(field_name), models.JSONField)
        for term in person.terms:
            variants = {term}
            if is_json:
                variants.add(json.dumps(term)[1:-1])
            for variant in variants:
                q |= Q(**{f"{field_name}__icontains": variant})
    return q


def _scrub(record: RecordType, person: Person, replace) -> int:
    if not record.text_fields or not person.terms:
        return 0
    rows = record.model.objects.filter(_mentions(record, person))
    if record.rule == DELETE:
        return rows.delete()[0]
    changed = 0
    for row in rows.iterator():
        for field_name in record.text_fields:
            setattr(row, field_name, replace(getattr(row, field_name)))
        # A plain UPDATE: some kept records refuse `save()` (the timeline is never
        # edited by the application); erasure is the one lawful exception.
        fields = {field_name: getattr(row, field_name) for field_name in record.text_fields}
        # Columns a model works out from its text (the timeline's reason key) follow it.
        if hasattr(row, "derived_from_text"):
            fields.update(row.derived_from_text())
        record.model.objects.filter(pk=row.pk).update(**fields)
        changed += 1
    return changed


def _replacement_values(record: RecordType, name: str, email: str, now: datetime) -> dict:
    values = {}
    for field_name, kind in record.replace.items():
        values[field_name] = {NAME: name, EMAIL: email, BLANK: "", NULL: None}[kind]
    if record.also_set is not None:
        values.update(record.also_set(now))
    return values


def _forget_cache_entries(person: Person) -> int:
    """Rate-limit counters keyed by the person's address (the database cache's table)."""
    cache = settings.CACHES.get("default", {})
    if cache.get("BACKEND") != "django.core.cache.backends.db.DatabaseCache":
        return 0
    table = connection.ops.quote_name(cache["LOCATION"])
    removed = 0
    with connection.cursor() as cursor:
        for email in person.emails:
            cursor.execute(
                f"DELETE FROM {table} WHERE LOWER(cache_key) LIKE %s",  # noqa: S608
                [f"%{email.lower()}%"],
            )
            removed += max(cursor.rowcount, 0)
    return removed


def _pseudonymise_audit(person: Person, name: str) -> None:
    from apps.audit.services import audit_pseudonymise_person

    if person.user is not None:
        audit_pseudonymise_person(user=person.user, label=name)
        return
    # Without an account, only identities typed with the person's address exist (failed
    # logins, exports by an administrator).
    from apps.audit.models import AuditIdentity

    q = Q(pk__in=[])
    for email in person.emails:
        q |= Q(label__icontains=email)
    AuditIdentity.objects.filter(q, user=None, pseudonymised_at__isnull=True).update(
        label=name, pseudonymised_at=timezone.now()
    )


def erasure_blockers(person: Person) -> str:
    """What the person still holds that someone must take over first ("" when nothing)."""
    if person.user is None:
        return ""
    try:
        from apps.handover.selectors import holdings_of
    except ImportError:  # pragma: no cover - the handover work is not installed
        from apps.organisations.selectors import open_ideas_owned_by

        count = open_ideas_owned_by(person.user).count()
        return f"{gettext('Open ideas')}: {count}" if count else ""
    holdings = holdings_of(person.user)
    return holdings.summary() if holdings.must_move else ""


@transaction.atomic
def person_erase(*, actor, person: Person, request=None) -> Erasure:
    """Erase a person: delete what need not be kept, pseudonymise them where the record is
    an official document, in one transaction, and audit it under the pseudonym.

    Refused (ValidationError) while they still hold open work: it must be handed over
    first, or ideas would be left without an owner.
    """
    blockers = erasure_blockers(person)
    if blockers:
        raise ValidationError(
            _("%(person)s still holds open work (%(what)s). Hand it over first."),
            code="holds_open_work",
            params={"person": person.label, "what": blockers},
        )
    now = timezone.now()
    erasure = Erasure.objects.create(erased_by=actor, erased_at=now)
    name, email = pseudonym_for(erasure.pk)
    replace = _replacer(person, name, email)
    _pseudonymise_audit(person, name)
    counts: dict[str, dict[str, int]] = {}
    # The person's own rows first, while every lookup still finds them.
    for record in records():
        if record.rows is None:
            continue
        rows = record.rows(person)
        if record.rule == DELETE:
            done = rows.delete()[1].get(record.label, 0)
        elif record.rule == PSEUDONYMISE and (record.replace or record.also_set):
            done = rows.update(**_replacement_values(record, name, email, now))
        else:
            done = rows.count()
        if done:
            counts[record.label] = {record.rule: done}
    if person.user is not None:
        # The account's password hash goes as well: the account can never be used again.
        type(person.user).objects.filter(pk=person.user.pk).update(password=make_password(None))
    for record in records():
        scrubbed = _scrub(record, person, replace)
        if scrubbed:
            counts.setdefault(record.label, {})["text"] = scrubbed
    _forget_cache_entries(person)
    erasure.counts = counts
    erasure.save(update_fields=["counts"])
    if person.user is not None:
        person.user.refresh_from_db()
    _audit(
        kind="erasure",
        actor=actor,
        subject_user=person.user,
        subject_label="" if person.user is not None else name,
        object_repr=name,
        detail={"erasure": erasure.pk, "counts": counts},
        request=request,
    )
    return erasure


# --- Retention -------------------------------------------------------------------------


@transaction.atomic
def retention_run(*, now: datetime) -> int:
    """The periodic retention job: delete or pseudonymise what has been kept long enough
    (`registry.RETENTION`), and record one audit event with the counts when anything was
    done. Idempotent: a second run at the same moment finds nothing due."""
    counts = {rule.key: rule.run(now) for rule in RETENTION if rule.run is not None}
    total = sum(counts.values())
    if total:
        _audit(kind="retention_run", detail={"counts": counts, "at": now.isoformat()})
    return total
