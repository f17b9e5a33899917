"""One place decides who may see and change what.

Outsiders get 404 (they must not learn that a record exists); users who may read a record but not
change it get 403. Views call these helpers instead of checking roles themselves.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from responses.models import Commitment, Response

from .models import Assignment, Profile, Proposal


def profile_of(user):
    return Profile.of(user)


def is_office(user):
    profile = Profile.of(user)
    return profile is not None and profile.is_office


def department_of(user):
    """The department a department user works for, or None."""
    profile = Profile.of(user)
    return profile.department if profile and profile.role == Profile.Role.DEPARTMENT else None


def proposer_of(user):
    """The proposer record of a delegate user, or None."""
    profile = Profile.of(user)
    return profile.proposer if profile and profile.role == Profile.Role.DELEGATE else None


def _role_required(check):
    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not check(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


office_required = _role_required(is_office)
department_required = _role_required(lambda user: department_of(user) is not None)
delegate_required = _role_required(lambda user: proposer_of(user) is not None)


def get_proposal_for_user(request, pk, queryset=None):
    """A proposal the user may read, else 404."""
    queryset = queryset if queryset is not None else Proposal.objects.all()
    return get_object_or_404(queryset.visible_to(request.user), pk=pk)


def get_proposal_for_office(request, pk, queryset=None):
    """A proposal the office may change: others who can read it get 403, the rest 404."""
    proposal = get_proposal_for_user(request, pk, queryset)
    if not is_office(request.user):
        raise PermissionDenied
    return proposal


def get_proposal_for_proposer(request, pk, queryset=None):
    """One of the delegate's own proposals. Others' proposals the user may read anyway (published)
    give 403, the rest 404. Reads `proposer_links` from the queryset's prefetch when it has one."""
    proposal = get_proposal_for_user(request, pk, queryset)
    proposer = proposer_of(request.user)
    if proposer is None or not any(link.proposer_id == proposer.pk for link in proposal.proposer_links.all()):
        raise PermissionDenied
    return proposal


def get_assignment_for_department(request, pk, queryset=None):
    """An assignment of the user's own department. The office may read any (403 on change);
    other departments and delegates get 404."""
    queryset = (
        queryset if queryset is not None else Assignment.objects.select_related("proposal", "department")
    )
    assignment = get_object_or_404(queryset, pk=pk)
    department = department_of(request.user)
    if department is not None and assignment.department_id == department.pk:
        return assignment
    if is_office(request.user):
        raise PermissionDenied
    raise Http404


def get_assignment_for_office(request, pk, queryset=None):
    queryset = (
        queryset if queryset is not None else Assignment.objects.select_related("proposal", "department")
    )
    assignment = get_object_or_404(queryset, pk=pk)
    if is_office(request.user):
        return assignment
    if department_of(request.user) and assignment.department_id == department_of(request.user).pk:
        raise PermissionDenied
    raise Http404


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
        queryset.filter(status__in=Response.Status.issued()).select_related(
            "proposal__session__committee", "department"
        ),
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

    The rule: a published reply disclosed proactively (`Response.is_public`) is for everyone. Any
    other reply is for the office, for the answering department (the reply's own department, drafts
    included) and, once issued (已签发 or 已公开), for the proposal's proposers. Everyone else,
    co-handling departments included, gets 404. Anonymous visitors are asked to log in whether or
    not such a reply exists, so they cannot probe for private replies.
    """
    queryset = queryset if queryset is not None else Response.objects.select_related("proposal")
    reply = queryset.filter(pk=pk).first()
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
