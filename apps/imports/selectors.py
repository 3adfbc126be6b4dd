"""Every read of import jobs, scoped to the acting user."""

from django.db.models import QuerySet
from django.http import Http404

from apps.organisations.models import Organisation
from apps.organisations.selectors import access_for
from apps.workflow.models import Stage

from . import policies
from .models import ImportJob
from .progress import Progress, progress_read


def import_consortia(user) -> QuerySet[Organisation]:
    """The consortia the user may import ideas into."""
    access = access_for(user)
    return Organisation.objects.filter(
        pk__in=access.process_leader_consortia, kind=Organisation.Kind.CONSORTIUM
    ).order_by("name")


def jobs_visible_to(user) -> QuerySet[ImportJob]:
    """The one scoping function for import jobs: those of the consortia the user leads."""
    access = access_for(user)
    if not policies.may_import(access):
        return ImportJob.objects.none()
    return ImportJob.objects.filter(consortium_id__in=access.process_leader_consortia)


def job_for_user(user, job_id: int) -> ImportJob:
    """One import job, or 404 whether it is missing or another consortium's."""
    job = jobs_visible_to(user).select_related("consortium", "created_by").filter(pk=job_id).first()
    if job is None:
        raise Http404
    return job


def recent_jobs(user, *, limit: int = 20) -> list[ImportJob]:
    """The latest imports of the user's consortia, newest first."""
    return list(jobs_visible_to(user).select_related("created_by").order_by("-created_at")[:limit])


def job_progress(job: ImportJob) -> Progress | None:
    """How far a queued or running job has come (None when it has not begun)."""
    return progress_read(job.pk) if job.is_working else None


def stage_counts(job: ImportJob) -> list[tuple[Stage, int]]:
    """The dry run's ideas per stage, in the process's order."""
    counts = {int(pk): count for pk, count in (job.summary.get("per_stage") or {}).items()}
    stages = Stage.objects.filter(consortium_id=job.consortium_id, pk__in=counts)
    return [(stage, counts[stage.pk]) for stage in stages]
