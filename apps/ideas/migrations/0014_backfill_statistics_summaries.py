"""Fill the two statistics summaries on the rows written before they existed.

- `Idea.stages_reached`: the ids of every stage the idea's timeline shows it entering
  (handed in, imported or moved into it), ascending, joined by commas; what the services
  keep from now on (`Idea.stages_reached_text`).
- `TimelineEntry.stay_microseconds`: `created_at - stay_started_at` in whole
  microseconds on every move that records when its stay began (what the row works out
  itself when saved from now on).
- `TimelineEntry.reason_key`: on every move that gives a reason, the reason as a number
  (a 64-bit hash of its text ignoring case and runs of space), as the row works it out.

Both are worked out in Python (exact microseconds on SQLite too) and written with one
UPDATE per distinct value per chunk of rows, so the number of statements stays small.
"""

import hashlib
from collections import defaultdict
from datetime import UTC, timedelta

from django.db import migrations

ENTRY_KINDS = ("submitted", "imported", "stage_changed")
CHUNK = 2000


def _write(model, field: str, values: dict) -> None:
    by_value = defaultdict(list)
    for pk, value in values.items():
        by_value[value].append(pk)
    for value, pks in by_value.items():
        for start in range(0, len(pks), CHUNK):
            model.objects.filter(pk__in=pks[start : start + CHUNK]).update(**{field: value})


def backfill(apps, schema_editor):
    Idea = apps.get_model("ideas", "Idea")
    TimelineEntry = apps.get_model("ideas", "TimelineEntry")
    reached = defaultdict(set)
    for idea_id, stage_id in (
        TimelineEntry.objects.filter(kind__in=ENTRY_KINDS, to_stage__isnull=False)
        .order_by()
        .values_list("idea_id", "to_stage_id")
        .iterator(chunk_size=CHUNK)
    ):
        reached[idea_id].add(stage_id)
    _write(
        Idea,
        "stages_reached",
        {pk: ",".join(str(s) for s in sorted(stages)) for pk, stages in reached.items()},
    )
    microsecond = timedelta(microseconds=1)
    lengths = {
        # In UTC: two datetimes of one zone subtract by their wall clocks.
        pk: (ended.astimezone(UTC) - began.astimezone(UTC)) // microsecond
        for pk, ended, began in TimelineEntry.objects.filter(stay_started_at__isnull=False)
        .order_by()
        .values_list("pk", "created_at", "stay_started_at")
        .iterator(chunk_size=CHUNK)
    }
    _write(TimelineEntry, "stay_microseconds", lengths)
    keys = {
        pk: _reason_key(body)
        for pk, body in TimelineEntry.objects.filter(kind="stage_changed")
        .exclude(body="")
        .order_by()
        .values_list("pk", "body")
        .iterator(chunk_size=CHUNK)
    }
    _write(TimelineEntry, "reason_key", keys)


def _reason_key(body: str) -> int:
    # apps.ideas.models.reason_key_of as it is today (a migration keeps its own copy).
    text = " ".join(body.split()).casefold()
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), signed=True)


class Migration(migrations.Migration):
    dependencies = [
        ("ideas", "0013_statistics_summaries"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
