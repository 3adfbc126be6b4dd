"""Who may do what with assessment rounds. Every rule about assessments lives here.

A rule that says no makes the view answer 404, the same as for a round that does not
exist, so nobody learns what they may not see.
"""

from collections.abc import Iterable

from apps.ideas import policies as idea_policies
from apps.organisations.selectors import Access


def leads_process(access: Access, consortium_id: int) -> bool:
    """Process leaders run the gates of their consortium."""
    return consortium_id in access.process_leader_consortia


def coach_may_leave_stage(transitions_out: Iterable) -> bool:
    """Where the process allows: the idea's current stage has a move that idea coaches may
    make, so the gate out of it is partly theirs."""
    return any(t.coach_may for t in transitions_out)


def may_open_round(access: Access, idea, *, transitions_out: Iterable) -> bool:
    """A process leader of the idea's consortium opens a round at any stage that is not an
    outcome; a coach of the idea's municipality only where the process lets coaches move
    the idea on from its current stage (see `coach_may_leave_stage`).

    `transitions_out` are the allowed moves out of the idea's current stage.
    """
    if idea.stage.is_outcome:
        return False
    if leads_process(access, idea.consortium_id):
        return True
    return idea.municipality_id in access.coach_municipalities and coach_may_leave_stage(
        transitions_out
    )


def works_idea(access: Access, idea) -> bool:
    """The people who work the idea (its municipality's coaches, the process leaders)."""
    return idea_policies.can_work(access, idea)


def can_see_round(access: Access, idea, assignment) -> bool:
    """A round is seen by its assessors and by the people who work the idea.

    `assignment` is the user's own assignment in the round, or None.
    """
    return assignment is not None or works_idea(access, idea)


def may_score(round_, assignment) -> bool:
    """An assessor scores while the round is open and until they hand in."""
    return assignment is not None and round_.is_open and not assignment.is_submitted


def may_see_results(access: Access, idea, assignment) -> bool:
    """An assessor sees the others' scores only after handing in their own; the people who
    work the idea (and are not waiting assessors of the round) see them all along."""
    if assignment is not None:
        return assignment.is_submitted
    return works_idea(access, idea)


def sees_submitters(access: Access, round_, idea) -> bool:
    """Blind rounds hide who handed the idea in from the assessors. Whoever may see the idea
    itself (never an assessor of a blind round, see `blind_conflict`) sees them anyway."""
    return not round_.blind or idea_policies.can_view(access, idea)


def may_decide(access: Access, round_, idea) -> bool:
    """The gate decision is the process leaders' (DESIGN.md §2), on an open round."""
    return round_.is_open and leads_process(access, idea.consortium_id)


def may_close(access: Access, round_, idea, *, user_id: int | None) -> bool:
    """An open round is closed without a decision by a process leader, or by the person
    who opened it while they still work the idea."""
    if not round_.is_open:
        return False
    if leads_process(access, idea.consortium_id):
        return True
    return round_.opened_by_id == user_id and works_idea(access, idea)


def blind_conflict(assessor_access: Access, idea) -> bool:
    """In a blind round nobody who can open the idea itself may assess: they would see its
    submitters there."""
    return idea_policies.can_view(assessor_access, idea)


def may_edit_criteria(access: Access, consortium_id: int) -> bool:
    """Process leaders edit their consortium's criteria."""
    return leads_process(access, consortium_id)
