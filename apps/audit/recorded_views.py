"""Which answers the audit middleware records, by view name.

A view is named here, not marked in its app, so that the list of what is watched is in
one place the administrators' auditors can read.
"""

from apps.assessments.models import AssessmentRound
from apps.ideas.models import Idea

from .models import AuditEvent


def _idea_by_reference(kwargs: dict) -> tuple[str, int | None]:
    reference = str(kwargs.get("reference", ""))
    consortium_id = (
        Idea.objects.filter(reference=reference).values_list("consortium_id", flat=True).first()
    )
    return reference, consortium_id


def _idea_of_round(kwargs: dict) -> tuple[str, int | None]:
    row = (
        AssessmentRound.objects.filter(pk=kwargs.get("round_id"))
        .values_list("idea__reference", "idea__consortium_id")
        .first()
    )
    return row if row else ("", None)


def _no_object(kwargs: dict) -> tuple[str, int | None]:
    return "", None


#: A successful GET of these views shows an idea together with its submitter's personal
#: data (name, email, phone, attachments they sent), so each such view is recorded.
PERSONAL_DATA_VIEWS = {
    # The idea page in the workspace: submitter and co-submitters with contact details.
    "ideas:detail": _idea_by_reference,
    # Files of an idea, mostly sent in by the submitter.
    "ideas:attachment": _idea_by_reference,
    # Files of an assessment round (assessors' material about the idea and its submitter).
    "assessments:attachment": _idea_of_round,
}
# Not recorded, on purpose: the submitter's own private-link pages (ideas:submitter_page,
# submitter_attachment) show people their own data; the API (api-v1:*) leaves submitters
# out of every answer (apps/api/schemas.py); idea lists show titles, not submitters.

#: A successful answer of these views hands data out of the system as a file.
EXPORT_VIEWS = {
    # Statistics exports from the internal dashboard (figures per municipality and unit).
    "stats:export": _no_object,
    # The audit log's own CSV export: reading the log is itself recorded.
    "audit:export": _no_object,
    # The workspace idea list as CSV (apps/ideas/exports.py): titles, stages and owners of
    # every idea the filters found, without the submitters; recorded as it leaves.
    "ideas:list_export": _no_object,
}
# Not recorded: stats:public_export and resources:download hand out public material;
# calendar feeds (meetings:feed, trainings:session_ics) carry no one else's personal data.

#: Status codes recorded as refusals.
REFUSAL_STATUSES = {403, 404, 429}

#: The kind recorded for a successful answer of each watched view.
SUCCESS_KINDS = {
    **{name: AuditEvent.Kind.IDEA_VIEWED for name in PERSONAL_DATA_VIEWS},
    **{name: AuditEvent.Kind.EXPORT for name in EXPORT_VIEWS},
}
OBJECT_OF = {**PERSONAL_DATA_VIEWS, **EXPORT_VIEWS}
