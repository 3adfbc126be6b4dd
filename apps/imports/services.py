"""Every write of imports: ideas from a checked file, and the import jobs of the upload
page. The `import_ideas` command and the worker write through the same `ideas_import`.

An import writes ALL rows or NONE: every row is checked first (apps.imports.checking),
then every idea is written in one transaction. Imported ideas get an `imported` timeline
entry naming the file; submitters get their private links but no email, and coaches are
not told either (these ideas are not new to anyone).
"""

import itertools
import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext

from apps.accounts.models import User
from apps.core.links import hash_token, new_link_salt
from apps.ideas.models import Idea, ReferenceCounter, Submitter, Tag, TimelineEntry, token_from_salt
from apps.organisations.models import Organisation
from apps.organisations.selectors import access_for
from apps.search.similarity import ideas_written

from . import policies
from .checking import CheckedFile, IdeaRow, Progress, check_file
from .models import ImportJob
from .problems import FileProblem
from .progress import progress_clear, progress_write

logger = logging.getLogger(__name__)

#: Rows written per INSERT (and per progress report).
BATCH_SIZE = 500


@dataclass
class ImportResult:
    """The ideas an import created, in the file's order."""

    idea_ids: list[int]
    first_reference: str
    last_reference: str


def _batched(items: list, size: int) -> Iterable[list]:
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def _reserve_references(consortium: Organisation, year: int, count: int) -> list[str]:
    """`count` consecutive references from the consortium's counter for `year`, taken in
    one atomic UPDATE (the same counter and format as a handed-in idea's)."""
    prefix = consortium.reference_prefix or "SLU"
    counter, _created = ReferenceCounter.objects.get_or_create(prefix=prefix, year=year)
    ReferenceCounter.objects.filter(pk=counter.pk).update(last_number=F("last_number") + count)
    counter.refresh_from_db(fields=["last_number"])
    first = counter.last_number - count + 1
    return [f"{prefix}-{year}-{number:04d}" for number in range(first, counter.last_number + 1)]


def _tags_by_name(consortium: Organisation, rows: list[IdeaRow]) -> dict[str, Tag]:
    """Every tag the rows name, by case-folded name: the consortium's existing tag when
    one matches in any case, else a new one (spelled as first written)."""
    tags = {tag.name.casefold(): tag for tag in Tag.objects.filter(consortium=consortium)}
    new: dict[str, Tag] = {}
    for row in rows:
        for name in row.tags:
            key = name.casefold()
            if key not in tags and key not in new:
                new[key] = Tag(consortium=consortium, name=name)
    for created in Tag.objects.bulk_create(list(new.values()), batch_size=BATCH_SIZE):
        tags[created.name.casefold()] = created
    return tags


def _timeline_body(source_name: str, old_reference: str) -> str:
    # Written once in the site's language, like every other entry's text.
    with translation.override(settings.LANGUAGE_CODE):
        if old_reference:
            return gettext("File: %(file)s. Reference in the earlier system: %(reference)s") % {
                "file": source_name,
                "reference": old_reference,
            }
        return gettext("File: %(file)s") % {"file": source_name}


@transaction.atomic
def ideas_import(
    *,
    consortium: Organisation,
    rows: list[IdeaRow],
    source_name: str,
    actor: User | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Write checked rows as ideas of the consortium, all in this one transaction.

    Each idea gets a new reference from the consortium's counter (for the year it was
    handed in), its stage (the first one by default), its submitter with a private link
    (no email is sent), its tags and owner, and an `imported` timeline entry naming the
    file and the earlier reference. Written in batches; `progress` is told after each.
    """
    if not rows:
        raise ValidationError(gettext("There are no ideas to import."))
    if any(row.municipality.consortium_id != consortium.pk for row in rows):
        raise ValidationError(gettext("Every idea must belong to the consortium imported into."))
    now = timezone.now()
    references: list[str] = [""] * len(rows)
    by_year: dict[int, list[int]] = {}
    for index, row in enumerate(rows):
        year = timezone.localdate(row.created_at or now).year
        by_year.setdefault(year, []).append(index)
    for year, indexes in sorted(by_year.items()):
        for index, reference in zip(
            indexes, _reserve_references(consortium, year, len(indexes)), strict=True
        ):
            references[index] = reference
    tags = _tags_by_name(consortium, rows)
    tag_link = Idea.tags.through
    idea_ids: list[int] = []
    done = 0
    for batch_start, batch in zip(
        range(0, len(rows), BATCH_SIZE), _batched(rows, BATCH_SIZE), strict=True
    ):
        ideas = []
        for offset, row in enumerate(batch):
            created_at = row.created_at or now
            ideas.append(
                Idea(
                    reference=references[batch_start + offset],
                    consortium=consortium,
                    municipality=row.municipality,
                    unit=row.unit,
                    title=row.title,
                    need=row.need,
                    solution=row.text,
                    stage=row.stage,
                    # In its first stage since it was handed in; for a later stage the
                    # day it got there is unknown, so its clock starts at the import.
                    stage_entered_at=created_at if row.stage.is_initial else now,
                    stages_reached=Idea.stages_reached_text([row.stage.pk]),
                    owner=row.owner,
                    submission_token=uuid.uuid4(),
                    created_at=created_at,
                    last_activity_at=now,
                )
            )
        Idea.objects.bulk_create(ideas)
        submitters = []
        for idea, row in zip(ideas, batch, strict=True):
            if row.submitter_email:
                salt = new_link_salt()
                submitters.append(
                    Submitter(
                        idea=idea,
                        name=row.submitter_name,
                        email=row.submitter_email,
                        is_primary=True,
                        link_salt=salt,
                        # bulk_create skips save(), which computes the hash otherwise.
                        access_token_hash=hash_token(token_from_salt(salt)),
                    )
                )
        Submitter.objects.bulk_create(submitters)
        TimelineEntry.objects.bulk_create(
            TimelineEntry(
                idea=idea,
                kind=TimelineEntry.Kind.IMPORTED,
                actor=actor,
                to_stage=row.stage,
                body=_timeline_body(source_name, row.old_reference),
                created_at=now,
            )
            for idea, row in zip(ideas, batch, strict=True)
        )
        tag_link.objects.bulk_create(
            tag_link(idea_id=idea.pk, tag_id=tags[name.casefold()].pk)
            for idea, row in zip(ideas, batch, strict=True)
            for name in row.tags
        )
        idea_ids.extend(idea.pk for idea in ideas)
        done += len(batch)
        if progress:
            progress("writing", done, len(rows))
    ideas_written(idea_ids=idea_ids)
    return ImportResult(
        idea_ids=idea_ids, first_reference=references[0], last_reference=references[-1]
    )


# --- Import jobs: the upload page and the worker -------------------------------------------


@transaction.atomic
def import_job_create(
    *,
    actor: User,
    consortium: Organisation,
    upload: UploadedFile,
    checked: CheckedFile,
) -> ImportJob:
    """Keep a file that passed the dry run as a job waiting for the process leader to
    confirm it. The file is stored privately under a generated name."""
    if not policies.can_import_into(access_for(actor), consortium.pk):
        raise PermissionDenied
    if not checked.ok or not checked.rows:
        raise ValidationError(gettext("Only a file without errors can be imported."))
    job = ImportJob(
        consortium=consortium,
        created_by=actor,
        original_name=upload.name[-200:],
        status=ImportJob.Status.CHECKED,
        total_rows=len(checked.rows),
        summary=checked.summary,
    )
    upload.seek(0)
    job.file.save("upload", upload, save=False)
    job.save()
    return job


@transaction.atomic
def import_job_start(*, job: ImportJob, actor: User) -> ImportJob:
    """Confirm a checked job: the worker imports it once this transaction commits.

    A second confirm (a double click, a colleague at the same moment) changes nothing:
    only the request that moves the job from `checked` to `queued` queues it.
    """
    if not policies.can_see_job(access_for(actor), job):
        raise PermissionDenied
    queued = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.CHECKED).update(
        status=ImportJob.Status.QUEUED
    )
    if queued:
        from .tasks import run_import_job

        transaction.on_commit(lambda: run_import_job.enqueue(job_id=job.pk))
    job.refresh_from_db()
    return job


def _finish(job_id: int, **fields) -> None:
    ImportJob.objects.filter(pk=job_id).update(finished_at=timezone.now(), **fields)


def import_job_run(*, job_id: int) -> ImportJob:
    """The worker's import of a confirmed job: claim it, check its file again (the
    municipalities or people may have changed since the dry run), then write every idea
    in one transaction together with the job's outcome. A job whose check fails records
    every error and imports nothing. Progress is recorded as it goes (see progress.py).

    Each step is its own transaction on purpose: the claim and a failure must be seen
    by the job page, which the long import transaction would hide until it ends.
    """
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.RUNNING, started_at=timezone.now()
    )
    job = ImportJob.objects.select_related("consortium", "created_by").get(pk=job_id)
    if not claimed:
        return job  # run already, or never confirmed

    def report(phase: str, done: int, total: int) -> None:
        progress_write(job_id, phase=phase, done=done, total=total)

    try:
        with job.file.open("rb") as handle:
            data = handle.read()
        try:
            checked = check_file(
                data=data, filename=job.original_name, consortium=job.consortium, progress=report
            )
        except FileProblem as problem:
            _finish(
                job_id,
                status=ImportJob.Status.FAILED,
                errors=[{"code": problem.code, "params": problem.params}],
            )
            return ImportJob.objects.get(pk=job_id)
        if not checked.ok:
            _finish(
                job_id,
                status=ImportJob.Status.FAILED,
                errors=[error.as_json() for error in checked.errors],
                total_rows=max(checked.total_rows, job.total_rows),
            )
            return ImportJob.objects.get(pk=job_id)
        with transaction.atomic():
            result = ideas_import(
                consortium=job.consortium,
                rows=checked.rows,
                source_name=job.original_name,
                actor=job.created_by,
                progress=report,
            )
            _finish(
                job_id,
                status=ImportJob.Status.DONE,
                total_rows=len(checked.rows),
                imported_count=len(result.idea_ids),
                first_reference=result.first_reference,
                last_reference=result.last_reference,
                summary=checked.summary,
                errors=[],
            )
    except Exception:
        logger.exception("Import job %s failed", job_id)
        _finish(job_id, status=ImportJob.Status.FAILED, errors=[{"code": "unexpected"}])
    finally:
        progress_clear(job_id)
    return ImportJob.objects.get(pk=job_id)
