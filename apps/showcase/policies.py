"""Who may do what in the showcase. Every rule of the app is here; a rule that says no makes
the view answer 404, the same as for something that does not exist.

- The public reads published entries only.
- The idea's coaches, the process leaders and the communicators of its consortium draft
  an entry (`can_draft`).
- Only a communicator of the idea's consortium approves (publishes) and withdraws: the
  communicator is the one who makes the work visible (DESIGN.md §2).
- The workspace list is for the communicators and process leaders of a consortium; coaches
  reach the form of their own ideas from the idea page.
"""

from apps.ideas import policies as idea_policies
from apps.organisations.selectors import Access


def workspace_consortia(access: Access) -> frozenset[int]:
    return access.communicator_consortia | access.process_leader_consortia


def may_use_workspace(access: Access) -> bool:
    return bool(workspace_consortia(access))


def can_draft(access: Access, idea) -> bool:
    return idea.consortium_id in access.communicator_consortia or idea_policies.can_work(
        access, idea
    )


def can_publish(access: Access, idea) -> bool:
    """Approve the public text, and withdraw it again."""
    return idea.consortium_id in access.communicator_consortia
