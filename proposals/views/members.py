"""The member's pages (委员网上提交): drafting a proposal in its parts, previewing it as the printed
form, inviting co-signers (联名) and answering invitations, submitting. Access comes from
proposals/access.py; the rules from proposals/drafts.py and proposals/submission.py."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tracker import limits
from tracker.filtering import in_range

from .. import drafts, submission
from ..access import delegate_required, get_draft_for_member, get_invitation_for_invitee, profile_of
from ..member_forms import DraftForm, InvitationAnswerForm, NewDraftForm
from ..models import CosignInvitation, Proposal, ProposalProposer
from .office.common import form_data, form_files


def _draft_queryset():
    """What the draft pages show, in a fixed number of queries: session, first proposer, the
    suggestions, invitations with their invitees, attachments and submitted versions."""
    return Proposal.objects.select_related("session__committee").prefetch_related(
        Prefetch(
            "proposer_links",
            queryset=ProposalProposer.objects.select_related("proposer").order_by("position"),
        ),
        Prefetch(
            "invitations", queryset=CosignInvitation.objects.select_related("proposer").order_by("position")
        ),
        "suggestions",
        "attachments",
        "versions",
    )


def posted_ids(request, name):
    """The record ids posted under `name`; anything else (tampered, out of range) is dropped."""
    return [number for number in map(in_range, request.POST.getlist(name)) if number is not None]


@delegate_required
def draft_new(request):
    profile = profile_of(request.user)
    sessions = list(drafts.open_sessions())
    if not sessions:
        messages.error(request, _("目前没有接受网上提交的会议。"))
        return redirect("delegate:my_proposals")
    form = NewDraftForm(form_data(request), sessions=sessions, identities=drafts.filing_identities(profile))
    if request.method == "POST" and form.is_valid():
        proposal = drafts.start_draft(
            session=form.cleaned_data["session"],
            kind=form.cleaned_data["kind"],
            proposer=form.cleaned_data["proposer"],
            actor=request.user,
        )
        return redirect("members:draft_edit", pk=proposal.pk)
    return render(request, "members/draft_new.html", {"form": form})


def _with_member_view(proposal):
    """Attach what the draft pages show, from the prefetched rows only (no query)."""
    proposal.links = list(proposal.proposer_links.all())
    proposal.invitation_list = list(proposal.invitations.all())
    proposal.version_list = list(proposal.versions.all())
    proposal.last_remarks = next(
        (v.return_remarks for v in reversed(proposal.version_list) if v.return_remarks), ""
    )
    proposal.editable_states = Proposal.Status.member_editable()
    return proposal


@delegate_required
def draft_edit(request, pk):
    proposal = _with_member_view(get_draft_for_member(request, pk, _draft_queryset()))
    if proposal.status not in Proposal.Status.member_editable():
        return redirect("members:draft_preview", pk=proposal.pk)
    form = DraftForm(form_data(request), form_files(request), instance=proposal)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            drafts.save_draft(
                proposal,
                title=data["title"],
                body=data["body"],
                suggestions=data["suggestions"],
                cosign_deadline=data["cosign_deadline"],
                attachments=data["attachments"],
                remove=posted_ids(request, "remove_attachment"),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("草稿已保存。"))
            if request.POST.get("next") == "preview":
                return redirect("members:draft_preview", pk=proposal.pk)
            return redirect("members:draft_edit", pk=proposal.pk)
    query = request.GET.get("q", "").strip()[:100]
    invited = [inv.proposer for inv in proposal.invitation_list] + [
        link.proposer for link in proposal.links[:1]
    ]
    matches = list(drafts.members_matching(query, exclude=invited)) if query else []
    context = {
        "proposal": proposal,
        "form": form,
        "query": query,
        "matches": matches,
        "suggestion_max": limits.SUGGESTION_MAX,
        "editable_states": proposal.editable_states,
        "problems": submission.submission_problems(proposal) if request.method == "GET" else [],
    }
    return render(request, "members/draft_edit.html", context)


@delegate_required
def draft_preview(request, pk):
    """The proposal as the printed form (提案纸), for the writer, before and after submitting."""
    proposal = _with_member_view(get_draft_for_member(request, pk, _draft_queryset()))
    context = {"proposal": proposal, "editable_states": proposal.editable_states}
    return render(request, "members/draft_preview.html", context)


@require_POST
@delegate_required
def draft_invite(request, pk):
    proposal = get_draft_for_member(request, pk, editable=True)
    ids = posted_ids(request, "proposer")
    # Only members the search could have offered: invitees must have an account to answer.
    proposers = list(drafts.invitable().filter(pk__in=ids).order_by("name", "pk"))
    try:
        new = drafts.invite(proposal, proposers, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        if new:
            messages.success(
                request, _("已邀请%(names)s联名。") % {"names": "、".join(i.proposer.name for i in new)}
            )
        else:
            messages.error(request, _("请勾选要邀请的委员。"))
    return redirect("members:draft_edit", pk=proposal.pk)


@require_POST
@delegate_required
def invitation_withdraw(request, pk, invitation):
    proposal = get_draft_for_member(request, pk, editable=True)
    drafts.withdraw_invitation(proposal, invitation)
    messages.success(request, _("已撤回联名邀请。"))
    return redirect("members:draft_edit", pk=proposal.pk)


@require_POST
@delegate_required
def draft_submit(request, pk):
    proposal = get_draft_for_member(request, pk)
    try:
        submission.submit(proposal, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("members:draft_edit", pk=proposal.pk)
    messages.success(request, _("提案已提交政协办公厅，等待审查。"))
    return redirect("delegate:my_proposals")


@delegate_required
def invitation(request, pk):
    """The invitee reads the draft and accepts or declines."""
    invitation = get_invitation_for_invitee(request, pk)
    form = InvitationAnswerForm(form_data(request))
    closed = submission.invitation_open(invitation)
    if request.method == "POST" and form.is_valid() and not closed:
        try:
            submission.answer_invitation(
                invitation, accept=form.cleaned_data["answer"] == "accept", actor=request.user
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("已答复联名邀请。"))
        return redirect("delegate:my_proposals")
    proposal = _with_member_view(_draft_queryset().get(pk=invitation.proposal_id))
    context = {
        "invitation": invitation,
        "proposal": proposal,
        "form": form,
        "closed": closed,
        "editable_states": proposal.editable_states,
    }
    return render(request, "members/invitation.html", context)
