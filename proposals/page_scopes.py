"""Which cached public pages a write to the proposals app changes (pagecache/scopes.py).

A proposal's pages are its own page and, through the responses app, its letters and commitments;
its departments' pages and the lists change with it. Committees, sessions, departments and
proposers are renamed rarely and show on every page: a write to them bumps `all` (the default).
"""

from django.db.models import Q

from pagecache import scopes
from pagecache.scopes import PROPOSAL, scope

from .models import (
    Assignment,
    Chase,
    CosignInvitation,
    DeadlineExtension,
    Event,
    IntakeBatch,
    Profile,
    Proposal,
    ProposalAttachment,
    ProposalLead,
    ProposalProposer,
    ProposalVersion,
    SentReminder,
    Subscription,
    Suggestion,
)


def proposal_refs(proposal):
    yield scope(PROPOSAL, proposal.pk)
    if proposal.merged_into_id:  # the page of the proposal it was merged into lists it
        yield scope(PROPOSAL, proposal.merged_into_id)


def of_proposal(row):
    return [scope(PROPOSAL, row.proposal_id)]


def assignment_refs(assignment):
    return [scope(PROPOSAL, assignment.proposal_id), scope("department", assignment.department_id)]


def of_assignment(row):
    return [scope("assignment", row.assignment_id)]


def event_refs(event):
    yield scope(PROPOSAL, event.proposal_id)
    if event.department_id:
        yield scope("department", event.department_id)


def proposals_of_assignments(ids):
    return Assignment.objects.filter(pk__in=ids).values_list("proposal_id", flat=True)


def proposal_pages(proposal_ids):
    """The pages that show these proposals: merged ones and their departments'."""
    if not proposal_ids:
        return set()
    merged = Proposal.objects.filter(Q(pk__in=proposal_ids) | Q(merged_into__in=proposal_ids))
    pages = set()
    for pk, merged_into in merged.values_list("pk", "merged_into_id"):
        pages.update(scope(PROPOSAL, related) for related in (pk, merged_into) if related)
    departments = Assignment.objects.filter(proposal__in=proposal_ids).values_list("department_id", flat=True)
    pages.update(scope("department", pk) for pk in set(departments))
    return pages


def register():
    scopes.register(Proposal, proposal_refs)
    for model in (Suggestion, ProposalProposer, ProposalAttachment):
        scopes.register(model, of_proposal)
    scopes.register(Assignment, assignment_refs)
    for model in (DeadlineExtension, Chase):
        scopes.register(model, of_assignment)
    scopes.register(Event, event_refs)
    # Rows no cached public page shows (a member's invitations and submitted versions, an Excel upload
    # awaiting its preview, proposal leads: /leads/ is not cached); history rows mirror a save that is
    # signalled itself. Left to the default, an anonymous lead would empty every cached page.
    history = [model.history.model for model in (Proposal, Assignment, Profile)]
    private = (CosignInvitation, ProposalVersion, IntakeBatch, ProposalLead)
    scopes.ignore(Profile, SentReminder, Subscription, *private, *history)
    scopes.register_resolver("assignment", proposals_of_assignments)
    scopes.register_expander(proposal_pages)
