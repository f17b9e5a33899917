"""Who may read and change replies and commitments. The same conventions as proposals/access.py
(outsiders 404, read-only 403), on the rules of proposals/access.py: a department's reply is decided
through that department's assignment."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from proposals.access import department_of, get_assignment_for_department, is_office, proposer_of
from proposals.models import Assignment

from .models import Commitment, Response


def get_reply_for_department(request, pk, queryset=None):
    """A reply of the user's own department, drafts included. Decided through that department's
    assignment on the proposal, so the assignment's rule stays the one rule: the office (which may
    know the reply exists) gets 403, other departments and delegates 404, and so does everyone for a
    reply that no assignment stands behind."""
    queryset = queryset if queryset is not None else Response.objects.all()
    reply = get_object_or_404(queryset, pk=pk)
    assignment_pk = (
        Assignment.objects.filter(proposal_id=reply.proposal_id, department_id=reply.department_id)
        .values_list("pk", flat=True)
        .first()
    )
    if assignment_pk is None:
        raise Http404
    get_assignment_for_department(request, assignment_pk, Assignment.objects.only("pk", "department_id"))
    return reply


def get_reply_for_proposer(request, pk, queryset=None):
    """An issued reply to one of the delegate's own proposals. Someone else's reply that the public
    may read gives 403; any other reply (drafts included, even on their own proposal) 404."""
    queryset = queryset if queryset is not None else Response.objects.all()
    reply = get_object_or_404(
        queryset.issued().with_rule_flags().select_related("proposal__session__committee", "department"),
        pk=pk,
    )
    proposer = proposer_of(request.user)
    if proposer is not None and reply.proposal.proposer_links.filter(proposer=proposer).exists():
        return reply
    if reply.is_public:
        raise PermissionDenied
    raise Http404


def get_reply_for_office(request, pk, queryset=None):
    """Any reply, for the office's own pages (paper feedback). Everyone else gets 403 whether or not
    the reply exists, as office_required answers on those pages."""
    if not is_office(request.user):
        raise PermissionDenied
    queryset = queryset if queryset is not None else Response.objects.all()
    return get_object_or_404(queryset, pk=pk)


def get_commitment_for_department(request, pk, queryset=None):
    """A current commitment (of a reply no issued correction replaced) that the user's department
    owns or made in its own reply. The office gets 403; other departments, delegates and replaced
    commitments 404. Reads `item.response` (select_related it)."""
    queryset = queryset if queryset is not None else Commitment.objects.select_related("item__response")
    commitment = get_object_or_404(queryset.current(), pk=pk)
    department = department_of(request.user)
    if department is not None and department.pk in (
        commitment.owner_id,
        commitment.item.response.department_id,
    ):
        return commitment
    if is_office(request.user):
        raise PermissionDenied
    raise Http404


def get_reply_for_reader(request, pk, queryset=None):
    """The reply `pk` if the user may read it; None when an anonymous visitor must log in first.

    The rule: a public reply (`Response.objects.public()`) is for everyone. Any
    other reply is for the office, for the answering department (the reply's own department, drafts
    included) and, once issued (已签发 or 已公开), for the proposal's proposers. Everyone else,
    co-handling departments included, gets 404. Anonymous visitors are asked to log in whether or
    not such a reply exists, so they cannot probe for private replies.
    """
    queryset = queryset if queryset is not None else Response.objects.select_related("proposal")
    reply = queryset.filter(pk=pk).with_rule_flags().first()
    if reply is not None and reply.is_public:
        return reply
    user = request.user
    if not user.is_authenticated:
        return None
    if reply is None:
        raise Http404
    if is_office(user):
        return reply
    department = department_of(user)
    if department is not None and department.pk == reply.department_id:
        return reply
    proposer = proposer_of(user)
    if (
        proposer is not None
        and reply.status in Response.Status.issued()
        and reply.proposal.proposer_links.filter(proposer=proposer).exists()
    ):
        return reply
    raise Http404
