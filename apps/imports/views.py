"""Import pages: upload and dry run, the confirm step, and the job's progress.

Thin views: a selector finds (or 404s), the form and the shared check validate, a
service writes; a refused file comes back with status 400, its error summary and the
report of every bad row.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from apps.organisations.selectors import access_for

from . import policies, selectors, services
from .checking import check_file
from .columns import COLUMNS
from .forms import UploadForm
from .models import ImportJob
from .problems import FileProblem


def _require_importer(request: HttpRequest) -> None:
    if not policies.may_import(access_for(request.user)):
        raise Http404


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    """Choose a file; posting it runs the dry run. A file without errors becomes a job
    waiting for the confirm step; a file with errors is reported row by row."""
    _require_importer(request)
    consortia = list(selectors.import_consortia(request.user))
    posted = request.method == "POST"
    form = UploadForm(
        request.POST if posted else None, request.FILES if posted else None, consortia=consortia
    )
    checked = None
    if posted and form.is_valid():
        upload_file = form.cleaned_data["file"]
        consortium = form.chosen_consortium()
        try:
            checked = check_file(
                data=upload_file.read(), filename=upload_file.name, consortium=consortium
            )
        except FileProblem as problem:
            form.add_error("file", problem.message)
        else:
            if checked.ok:
                try:
                    job = services.import_job_create(
                        actor=request.user,
                        consortium=consortium,
                        upload=upload_file,
                        checked=checked,
                    )
                except PermissionDenied:
                    raise Http404 from None
                return redirect("imports:job", job_id=job.pk)
            rows = len({error.line for error in checked.errors})
            form.add_error(
                "file",
                ngettext(
                    "%(count)s row has errors (listed below), so nothing was imported. "
                    "Correct the file and choose it again.",
                    "%(count)s rows have errors (listed below), so nothing was imported. "
                    "Correct the file and choose it again.",
                    rows,
                )
                % {"count": rows},
            )
    return render(
        request,
        "imports/upload.html",
        {
            "form": form,
            "checked": checked,
            "columns": COLUMNS,
            "jobs": selectors.recent_jobs(request.user),
        },
        status=400 if form.errors else 200,
    )


@never_cache
@login_required
def job(request: HttpRequest, job_id: int) -> HttpResponse:
    """A job: its dry-run report and confirm button, its progress while the worker
    imports (htmx polls this page; without JavaScript, a refresh link), its outcome."""
    found = selectors.job_for_user(request.user, job_id)
    context = {
        "job": found,
        "progress": selectors.job_progress(found),
        "stages": selectors.stage_counts(found),
        "can_start": policies.can_start(access_for(request.user), found),
    }
    if request.htmx:
        seen = request.GET.get("seen", "")
        if seen != found.status:
            # Announced once, politely, when the job moves on; not on every poll.
            context["announce"] = _status_sentence(found)
        return render(request, "imports/job.html#state", context)
    return render(request, "imports/job.html", context)


def _status_sentence(job: ImportJob) -> str:
    if job.status == ImportJob.Status.DONE:
        return ngettext(
            "%(count)s idea was imported.", "%(count)s ideas were imported.", job.imported_count
        ) % {"count": job.imported_count}
    if job.status == ImportJob.Status.FAILED:
        return _("The import failed and nothing was imported.")
    if job.status == ImportJob.Status.RUNNING:
        return _("The import has started.")
    return str(job.get_status_display())


@require_POST
@login_required
def start(request: HttpRequest, job_id: int) -> HttpResponse:
    """The confirm step: "Import N ideas" queues the job for the worker."""
    found = selectors.job_for_user(request.user, job_id)
    if policies.can_start(access_for(request.user), found):
        services.import_job_start(job=found, actor=request.user)
        messages.success(request, _("The import has begun. This page shows how far it has come."))
    return redirect("imports:job", job_id=found.pk)
