"""Fill `TimelineEntry.stay_started_at` on the moves recorded before the field existed.

A move ends the stay in its `from_stage`; that stay began with the idea's latest entry
into the same stage before the move (handed in, imported or moved into it; at the same
moment, the entry written first). An import into the process's first stage starts the
idea's clock at its hand-in date, as the importer sets `stage_entered_at`; every other
entry at its own moment. This is what `idea_move` keeps from `stage_entered_at`, so old
and new rows agree. One UPDATE with a correlated subquery over the (idea, created_at)
index, on SQLite and PostgreSQL alike.
"""

from django.db import migrations
from django.db.models import Case, F, OuterRef, Q, Subquery, When

ENTRY_KINDS = ("submitted", "imported", "stage_changed")


def backfill(apps, schema_editor):
    TimelineEntry = apps.get_model("ideas", "TimelineEntry")
    earlier_entry_into_stage = (
        TimelineEntry.objects.filter(
            idea_id=OuterRef("idea_id"),
            kind__in=ENTRY_KINDS,
            to_stage_id=OuterRef("from_stage_id"),
        )
        .filter(
            Q(created_at__lt=OuterRef("created_at"))
            | Q(created_at=OuterRef("created_at"), pk__lt=OuterRef("pk"))
        )
        .order_by("-created_at", "-pk")
        .annotate(
            began=Case(
                When(
                    kind="imported", to_stage__is_initial=True, then=F("idea__created_at")
                ),
                default=F("created_at"),
            )
        )
        .values("began")[:1]
    )
    TimelineEntry.objects.filter(
        kind="stage_changed", stay_started_at__isnull=True, from_stage__isnull=False
    ).update(stay_started_at=Subquery(earlier_entry_into_stage))


class Migration(migrations.Migration):
    dependencies = [
        ("ideas", "0008_timelineentry_stay_started_at"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
