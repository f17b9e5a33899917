"""The delegate workspace: a member's (or deputy's) own proposals, their replies and their feedback."""

from django.db.models import Prefetch, Q
from django.shortcuts import render

from proposals.access import delegate_required, get_proposal_for_proposer, profile_of, proposer_of
from proposals.drafts import drafts_of
from proposals.models import Assignment, CosignInvitation, Event, Proposal, ProposalProposer
from tracker.pagination import WindowPaginator

from .. import feedback as feedback_rules
from ..access import get_reply_for_proposer
from ..letter import build_letter
from ..models import Commitment, CommitmentProgress, Feedback, Response, ResponseItem
from ..point_by_point import suggestions_with_answers

# What a proposer sees of their own proposal's timeline besides the public events: the decisions
# about it and the steps that ask something of them. Returns, chases and drafts stay internal.
DELEGATE_EVENT_KINDS = [
    Event.Kind.REGISTERED,
    Event.Kind.NOT_REGISTERED,
    Event.Kind.MERGED,
    Event.Kind.REFERRED,
    Event.Kind.RETURNED_FOR_CHANGES,
    Event.Kind.SUBMITTED,
    Event.Kind.ASSIGNED,
    Event.Kind.REPLY_ISSUED,
    Event.Kind.REHANDLING,
    Event.Kind.FEEDBACK_RECEIVED,
    Event.Kind.FOLLOWUP,
]
# Proposals per page of /my/: each comes as a card with its units, replies, commitments and their
# reports, so a member with a hundred proposals gets them ten at a time (one query for the page and
# its total, the prefetches for these ten only).
MY_PAGE_SIZE = 10


def with_delegate_details(proposals, proposer):
    """What the delegate pages show of each proposal, in a fixed number of queries whatever the
    number of proposals: proposer links, standing assignments, issued replies with their items,
    commitments (with owner) and progress reports, and this proposer's own feedback."""
    replies = (
        Response.objects.issued()
        .with_rule_flags()
        .select_related("department")
        .order_by("department__name", "version")
        .prefetch_related(
            Prefetch(
                "items",
                queryset=ResponseItem.objects.order_by("parent_id", "position").prefetch_related(
                    Prefetch(
                        "commitments",
                        queryset=Commitment.objects.select_related("owner")
                        .order_by("position")
                        .prefetch_related(
                            Prefetch(
                                "progress_updates",
                                queryset=CommitmentProgress.objects.order_by("-reported_on", "-pk"),
                            )
                        ),
                    )
                ),
            ),
            Prefetch("feedback", queryset=Feedback.objects.filter(proposer=proposer), to_attr="my_feedback"),
        )
    )
    return (
        proposals.select_related("session__committee", "merged_into", "referred_to")
        .with_proposers()
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.active().select_related("department").in_role_order(),
                to_attr="assignments_in_order",
            ),
            Prefetch("responses", queryset=replies, to_attr="issued_replies"),
        )
    )


def delegate_proposals(proposer):
    """The delegate's filed proposals; their drafts and those returned for changes are listed apart
    (drafts_for_workspace)."""
    return with_delegate_details(
        Proposal.objects.filter(proposer_links__proposer=proposer)
        .exclude(status__in=Proposal.Status.member_editable())
        .order_by("-session__year", "number", "-created_at", "-pk"),
        proposer,
    )


def with_delegate_view(proposal, proposer, today):
    """Attach what the templates show, from the prefetched rows only (no query)."""
    links = proposal.proposer_links.all()
    proposal.my_position = next((link.position for link in links if link.proposer_id == proposer.pk), None)
    for reply in proposal.issued_replies:
        reply.given_feedback = reply.my_feedback[0] if reply.my_feedback else None
        reply.window = feedback_rules.feedback_window(reply)
        reply.feedback_refusal = feedback_rules.refusal_reason(
            reply,
            proposer,
            is_proposer=proposal.my_position is not None,
            given=reply.given_feedback,
            is_current=reply.is_current,
            on=today,
        )
        reply.commitment_list = []
        for item in reply.item_tree():
            for entry in [item, *item.children]:
                for commitment in entry.commitments.all():
                    updates = list(commitment.progress_updates.all())
                    commitment.latest_progress = updates[0] if updates else None
                    reply.commitment_list.append(commitment)
    return proposal


def events_for_delegate(proposal):
    """The public events plus the ones about the proposal that concern its proposer."""
    return proposal.events.filter(Q(is_public=True) | Q(kind__in=DELEGATE_EVENT_KINDS)).select_related(
        "department"
    )


def drafts_for_workspace(profile):
    """The delegate's drafts and proposals returned for changes (their own or a collective body's),
    newest first, with their invitations. Two queries."""
    return (
        drafts_of(profile)
        .select_related("session__committee")
        .prefetch_related(
            Prefetch(
                "invitations",
                queryset=CosignInvitation.objects.select_related("proposer").order_by("position"),
            )
        )
        .order_by("-updated_at", "-pk")
    )


def invitations_for_workspace(proposer):
    """Invitations to co-sign that the delegate may still read: on proposals not yet submitted.
    Two queries (the invitations with their proposal, the first proposers)."""
    firsts = ProposalProposer.objects.filter(position=1).select_related("proposer")
    return (
        CosignInvitation.objects.filter(
            proposer=proposer, proposal__status__in=Proposal.Status.member_editable()
        )
        .select_related("proposal")
        .prefetch_related(Prefetch("proposal__proposer_links", queryset=firsts, to_attr="first_links"))
        .order_by("-invited_at", "-pk")
    )


@delegate_required
def my_proposals(request):
    proposer = proposer_of(request.user)
    today = feedback_rules.today()
    page = WindowPaginator(delegate_proposals(proposer), MY_PAGE_SIZE).get_page(request.GET.get("page"))
    proposals = [with_delegate_view(proposal, proposer, today) for proposal in page]
    context = {
        "proposals": proposals,
        "page": page,
        "proposer": proposer,
        "drafts": list(drafts_for_workspace(profile_of(request.user))),
        "invitations": list(invitations_for_workspace(proposer)),
    }
    return render(request, "delegate/my_proposals.html", context)


@delegate_required
def proposal_detail(request, pk):
    proposer = proposer_of(request.user)
    queryset = with_delegate_details(Proposal.objects, proposer).prefetch_related(
        suggestions_with_answers(Response.objects.current())
    )
    proposal = get_proposal_for_proposer(request, pk, queryset=queryset)
    with_delegate_view(proposal, proposer, feedback_rules.today())
    return render(
        request,
        "delegate/proposal_detail.html",
        {"proposal": proposal, "proposer": proposer, "events": events_for_delegate(proposal)},
    )


@delegate_required
def reply_letter(request, pk):
    """The letter as the proposer received it, published or not yet, with commitments' progress."""
    queryset = Response.objects.for_letter_page().prefetch_related(
        Prefetch(
            "items__commitments__progress_updates",
            queryset=CommitmentProgress.objects.order_by("-reported_on", "-pk"),
        )
    )
    reply = get_reply_for_proposer(request, pk, queryset=queryset)
    proposer = proposer_of(request.user)
    letter = build_letter(reply)
    for commitment in letter.commitments:
        updates = list(commitment.progress_updates.all())
        commitment.latest_progress = updates[0] if updates else None
    given = Feedback.objects.filter(response=reply, proposer=proposer).first()
    refusal = feedback_rules.refusal_reason(
        reply,
        proposer,
        is_proposer=True,
        given=given,
        is_current=reply.is_current,
        on=feedback_rules.today(),
    )
    return render(
        request,
        "delegate/reply_letter.html",
        {
            "reply": reply,
            "proposal": reply.proposal,
            "letter": letter,
            "given_feedback": given,
            "feedback_refusal": refusal,
            "window": feedback_rules.feedback_window(reply),
        },
    )
