"""Background work for imports: the worker imports a confirmed file."""

from django_tasks import task

from . import services


@task()
def run_import_job(job_id: int) -> str:
    """Check the job's file again and import every idea in it, or none; the job records
    the outcome (its page shows it), so this never raises for a bad file."""
    return services.import_job_run(job_id=job_id).status
