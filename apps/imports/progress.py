"""How far a running import has come, for its job page.

The import writes every idea in ONE transaction, so nothing it writes to the database is
visible to the job page before it commits (and on SQLite a second writer would wait for
it). Progress is therefore kept beside the uploaded file, in the same file storage the
worker reads the upload from: one small JSON document per job, replaced as the import
goes and removed when it ends (the job row then holds the final counts).
"""

import json
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage


@dataclass(frozen=True)
class Progress:
    """Phase ("checking" or "writing"), rows done in it, and rows in all."""

    phase: str
    done: int
    total: int

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0


def _name(job_id: int) -> str:
    return f"imports/progress/{job_id}.json"


def progress_write(job_id: int, *, phase: str, done: int, total: int) -> None:
    """Record how far the job has come (replacing what was recorded before)."""
    name = _name(job_id)
    payload = json.dumps({"phase": phase, "done": done, "total": total}).encode()
    if default_storage.exists(name):
        default_storage.delete(name)
    default_storage.save(name, ContentFile(payload))


def progress_read(job_id: int) -> Progress | None:
    """How far the job has come, or None before it has started or after it has ended."""
    name = _name(job_id)
    try:
        with default_storage.open(name, "rb") as handle:
            data = json.loads(handle.read() or b"{}")
    except (FileNotFoundError, ValueError):
        # Not started, ended, or read in the instant it is being replaced.
        return None
    try:
        return Progress(phase=str(data["phase"]), done=int(data["done"]), total=int(data["total"]))
    except (KeyError, TypeError, ValueError):
        return None


def progress_clear(job_id: int) -> None:
    name = _name(job_id)
    if default_storage.exists(name):
        default_storage.delete(name)
