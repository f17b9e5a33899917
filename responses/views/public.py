"""Public pages that show replies: the proposal page and the letter page. Published data only."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from proposals.models import Event, Proposal

from ..filters import citations_by, commitments_of
from ..letter import build_letter
from ..models import Response
from ..point_by_point import suggestions_with_answers


def proposal_detail(request, pk):
    public_replies = Response.objects.public().select_related("department").order_by("department", "version")
    events = Event.objects.public().select_related("department").order_by("created_at", "pk")
    proposal = get_object_or_404(
        Proposal.objects.for_public_page().prefetch_related(
            Prefetch("responses", queryset=public_replies, to_attr="public_replies"),
            Prefetch("events", queryset=events, to_attr="public_events"),
            suggestions_with_answers(Response.objects.public()),
        ),
        pk=pk,
    )
    return render(
        request,
        "proposals/proposal_detail.html",
        {
            "proposal": proposal,
            "commitments": commitments_of(proposal),
            "citations": citations_by(proposal),
            "events": proposal.public_events,
        },
    )


def letter(request, pk):
    reply = get_object_or_404(Response.objects.public().for_letter_page(), pk=pk)
    return render(
        request,
        "responses/letter.html",
        {"reply": reply, "proposal": reply.proposal, "letter": build_letter(reply)},
    )
