"""Who may do what with solutions, adoptions and benefits. Every rule of the app is here.

A rule that says no makes the view answer 404, the same as for something that does not
exist.

Who belongs to a consortium's catalogue (`selectors.catalogue_consortium_ids`): everyone
holding a role in it (coach, manager, process leader, communicator, administrator), and
role-less employees who have handed in an idea there while logged in. Accounts carry no
municipality of their own, so a role-less account with no idea is not known to belong to
any consortium: it sees what the public sees (the published solutions) and nothing more.
"""

from apps.ideas import policies as idea_policies
from apps.organisations.selectors import Access


def may_browse_catalogue(catalogue_consortia: frozenset[int]) -> bool:
    return bool(catalogue_consortia)


def can_see_solution(access: Access, catalogue_consortia: frozenset[int], solution) -> bool:
    """The consortium sees its solutions while their idea is in a spreadable stage; those
    who work the idea see its write-up in every stage."""
    idea = solution.idea
    return (
        idea.consortium_id in catalogue_consortia and idea.stage.is_spreadable
    ) or idea_policies.can_work(access, idea)


def can_write_solution(access: Access, idea) -> bool:
    """The idea's coaches and the process leaders write the solution's text."""
    return idea_policies.can_work(access, idea)


def idea_offerable(idea) -> bool:
    """Only an idea in a stage offered to other municipalities becomes a solution."""
    return idea.stage.is_spreadable


def can_approve_publication(access: Access, idea) -> bool:
    """A communicator or a process leader of the consortium approves public text."""
    return (
        idea.consortium_id in access.communicator_consortia
        or idea.consortium_id in access.process_leader_consortia
    )


def can_adopt_for(access: Access, solution, municipality) -> bool:
    """A coach of the adopting municipality, or a process leader of its consortium, adopts
    on its behalf; never for the solution's own municipality."""
    if municipality.pk == solution.idea.municipality_id:
        return False
    if municipality.consortium_id != solution.idea.consortium_id:
        return False
    return (
        municipality.pk in access.coach_municipalities
        or municipality.consortium_id in access.process_leader_consortia
    )


def may_adopt_anywhere(access: Access) -> bool:
    return bool(access.coach_municipalities or access.process_leader_consortia)


def can_work_adoption(access: Access, adoption) -> bool:
    """The adopting municipality's coaches and the process leaders work on an adoption."""
    return (
        adoption.municipality_id in access.coach_municipalities
        or adoption.solution.idea.consortium_id in access.process_leader_consortia
    )


def can_see_adoption(access: Access, adoption) -> bool:
    """The originating municipality's coaches follow the adoption, read-only."""
    return (
        can_work_adoption(access, adoption)
        or adoption.solution.idea.municipality_id in access.coach_municipalities
    )


def can_see_benefit(access: Access, benefit) -> bool:
    if benefit.adoption_id:
        return can_see_adoption(access, benefit.adoption)
    return idea_policies.can_view(access, benefit.idea)


def can_work_benefit(access: Access, benefit) -> bool:
    """Planning and measuring: whoever works the idea or the adoption it belongs to."""
    if benefit.adoption_id:
        return can_work_adoption(access, benefit.adoption)
    return idea_policies.can_work(access, benefit.idea)


def may_see_totals(catalogue_consortia: frozenset[int]) -> bool:
    """Summed benefits are the consortium's to show: everyone in its catalogue."""
    return bool(catalogue_consortia)
