"""One place decides who may see and change what.

Outsiders get 404 (they must not learn that a record exists); users who may read a record but not
change it get 403. Views call these helpers instead of checking roles themselves.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import Assignment, CosignInvitation, Profile, Proposal


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


def get_draft_for_member(request, pk, queryset=None, *, editable=False):
    """A proposal whose first proposer is this delegate (or a body they file for). Others get 404 —
    an unsubmitted draft is nobody else's business. With `editable`, one no longer editable gets 403."""
    profile = Profile.of(request.user)
    if profile is None or profile.role != Profile.Role.DELEGATE:
        raise Http404
    queryset = queryset if queryset is not None else Proposal.objects.all()
    mine = Q(proposer_links__position=1) & (
        Q(proposer_links__proposer_id=profile.proposer_id)
        | Q(proposer_links__proposer__filing_profiles=profile)
    )
    proposal = get_object_or_404(queryset.filter(pk__in=Proposal.objects.filter(mine).values("pk")), pk=pk)
    if editable and proposal.status not in Proposal.Status.member_editable():
        raise PermissionDenied
    return proposal


def get_invitation_for_invitee(request, pk):
    """An invitation addressed to this delegate, with its proposal; anyone else gets 404."""
    profile = Profile.of(request.user)
    if profile is None or profile.role != Profile.Role.DELEGATE:
        raise Http404
    return get_object_or_404(
        CosignInvitation.objects.select_related("proposal__session__committee", "proposer"),
        pk=pk,
        proposer_id=profile.proposer_id,
    )
