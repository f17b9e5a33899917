"""Which cached public pages a write to the responses app changes (pagecache/scopes.py): replies,
their items, commitments, progress, feedback and co-handling opinions belong to a proposal, whose
pages (its page, letters, commitments, departments) and the lists change with them."""

from django.db.models import Q

from pagecache import scopes
from pagecache.scopes import PROPOSAL, scope

from .models import (
    CoHandlingOpinion,
    Commitment,
    CommitmentCitation,
    CommitmentProgress,
    Feedback,
    FollowUpAnswer,
    FollowUpTask,
    Response,
    ResponseItem,
)


def response_refs(reply):
    return [
        scope("reply", reply.pk),
        scope(PROPOSAL, reply.proposal_id),
        scope("department", reply.department_id),
    ]


def of_response(row):
    return [scope("reply", row.response_id)]


def commitment_refs(commitment):
    yield scope("commitment", commitment.pk)
    yield scope("item", commitment.item_id)
    if commitment.owner_id:
        yield scope("department", commitment.owner_id)
    if commitment.carried_from_id:
        yield scope("commitment", commitment.carried_from_id)


def of_commitment(row):
    return [scope("commitment", row.commitment_id)]


def citation_refs(citation):
    return [scope("commitment", citation.commitment_id), scope(PROPOSAL, citation.proposal_id)]


def of_assignment(row):
    return [scope("assignment", row.assignment_id)]


def of_department(row):
    return [scope("department", row.department_id)]


def proposals_of_replies(ids):
    return Response.objects.filter(pk__in=ids).values_list("proposal_id", flat=True)


def proposals_of_items(ids):
    return ResponseItem.objects.filter(pk__in=ids).values_list("response__proposal_id", flat=True)


def proposals_of_commitments(ids):
    return Commitment.objects.filter(pk__in=ids).values_list("item__response__proposal_id", flat=True)


def reply_pages(proposal_ids):
    """The letters and commitments of these proposals, the commitments they cite and the proposals
    citing theirs, and the departments that answered or own a commitment."""
    if not proposal_ids:
        return set()
    pages = set()
    replies = Response.objects.filter(proposal__in=proposal_ids)
    for pk, department in replies.values_list("pk", "department_id"):
        pages.update([scope("reply", pk), scope("department", department)])
    commitments = Commitment.objects.filter(item__response__proposal__in=proposal_ids)
    for pk, owner in commitments.values_list("pk", "owner_id"):
        pages.add(scope("commitment", pk))
        if owner:
            pages.add(scope("department", owner))
    citations = CommitmentCitation.objects.filter(
        Q(proposal__in=proposal_ids) | Q(commitment__item__response__proposal__in=proposal_ids)
    )
    for commitment, proposal in citations.values_list("commitment_id", "proposal_id"):
        pages.update([scope("commitment", commitment), scope(PROPOSAL, proposal)])
    return pages


def register():
    scopes.register(Response, response_refs)
    scopes.register(ResponseItem, of_response)
    scopes.register(Feedback, of_response)
    scopes.register(Commitment, commitment_refs)
    scopes.register(CommitmentProgress, of_commitment)
    scopes.register(FollowUpAnswer, of_commitment)
    scopes.register(CommitmentCitation, citation_refs)
    scopes.register(CoHandlingOpinion, of_assignment)
    scopes.register(FollowUpTask, of_department)
    scopes.ignore(*(model.history.model for model in (Response, ResponseItem, Commitment)))
    scopes.register_resolver("reply", proposals_of_replies)
    scopes.register_resolver("item", proposals_of_items)
    scopes.register_resolver("commitment", proposals_of_commitments)
    scopes.register_expander(reply_pages)
