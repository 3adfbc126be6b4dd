"""Who may import ideas. Every rule about imports lives here.

Importing is the process leaders' work, for their own consortium's municipalities; for
everyone else the pages and jobs do not exist (404).
"""

from apps.organisations.selectors import Access


def may_import(access: Access) -> bool:
    """The upload page is for process leaders (of any consortium)."""
    return bool(access.process_leader_consortia)


def can_import_into(access: Access, consortium_id: int) -> bool:
    """Ideas are imported only into a consortium the user leads the process of."""
    return consortium_id in access.process_leader_consortia


def can_see_job(access: Access, job) -> bool:
    """Every process leader of the job's consortium follows its imports (a colleague can
    take over the confirm step); nobody else sees them."""
    return job.consortium_id in access.process_leader_consortia


def can_start(access: Access, job) -> bool:
    """A checked job is confirmed once, by a process leader of its consortium."""
    return can_see_job(access, job) and job.status == job.Status.CHECKED
