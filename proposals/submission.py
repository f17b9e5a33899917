"""Co-signing answers and submitting a member's proposal to the office (网上提交).

Submitting freezes the proposal for the member: it moves DRAFT (or RETURNED) → SUBMITTED through
Proposal.move_to, its accepted co-signers become its proposers in invitation order, and a
ProposalVersion keeps what was submitted. From then on the office reviews it as a logged one.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tracker.chinese import format_day

from .models import CosignInvitation, Event, Proposal, ProposalProposer, ProposalVersion
from .notifications import notify, tell


def invitation_open(invitation, today=None):
    """Why the invitee can no longer answer, or "" while they can."""
    today = today or timezone.localdate()
    proposal = invitation.proposal
    if proposal.status not in Proposal.Status.member_editable():
        return _("提案已提交，联名邀请已截止。")
    if proposal.cosign_deadline is None:
        return _("联名邀请已截止。")
    if today > proposal.cosign_deadline:
        return _("联名邀请已于%(day)s截止。") % {"day": format_day(proposal.cosign_deadline)}
    return ""


@transaction.atomic
def answer_invitation(invitation, *, accept, actor):
    """The invitee accepts or declines (and may change their mind until the invitation closes)."""
    invitation = (
        CosignInvitation.objects.select_for_update()
        .select_related("proposal", "proposer")
        .get(pk=invitation.pk)
    )
    closed = invitation_open(invitation)
    if closed:
        raise ValidationError(closed)
    invitation.status = CosignInvitation.Status.ACCEPTED if accept else CosignInvitation.Status.DECLINED
    invitation.answered_at = timezone.now()
    invitation.save(update_fields=["status", "answered_at"])
    proposal = invitation.proposal
    first = proposal.proposer_links.select_related("proposer").get(position=1).proposer
    verb = _("同意") if accept else _("谢绝")
    tell(
        proposers=[first],
        title=_("%(name)s%(verb)s联名") % {"name": invitation.proposer.name, "verb": verb},
        body=_("%(name)s%(verb)s联名提出《%(title)s》。")
        % {"name": invitation.proposer.name, "verb": verb, "title": proposal.title},
        link=reverse("members:draft_edit", args=[proposal.pk]),
    )
    return invitation


def submission_problems(proposal, today=None):
    """What stops the proposal from being submitted now (a list of messages; empty: it may go).
    A proposal returned for changes may be resubmitted after the session's deadline: it first
    arrived in time."""
    today = today or timezone.localdate()
    problems = []
    if proposal.status not in Proposal.Status.member_editable():
        problems.append(_("提案已提交，不能重复提交。"))
        return problems
    if proposal.status == Proposal.Status.DRAFT and not proposal.session.accepts_submissions(today):
        if proposal.session.submission_deadline is None:
            problems.append(_("本次会议暂不接受网上提交。"))
        else:
            problems.append(
                _("本次会议提案已于%(day)s截止提交。")
                % {"day": format_day(proposal.session.submission_deadline)}
            )
    if not proposal.title.strip():
        problems.append(_("请填写案由。"))
    if not proposal.body.strip():
        problems.append(_("请填写情况分析。"))
    if not proposal.suggestions.exists():
        problems.append(_("请至少写一条具体建议。"))
    return problems


@transaction.atomic
def submit(proposal, *, actor, today=None):
    """Send the proposal to the committee's office: accepted co-signers sign in invitation order,
    pending invitations close unanswered, a ProposalVersion is kept, and the office is told."""
    today = today or timezone.localdate()
    proposal = Proposal.objects.select_for_update().select_related("session__committee").get(pk=proposal.pk)
    problems = submission_problems(proposal, today)
    if problems:
        raise ValidationError(problems)
    accepted = list(proposal.invitations.accepted().select_related("proposer").order_by("position"))
    proposal.proposer_links.exclude(position=1).delete()
    ProposalProposer.objects.bulk_create(
        [
            ProposalProposer(proposal=proposal, proposer=invitation.proposer, position=position)
            for position, invitation in enumerate(accepted, 2)
        ]
    )
    links = list(proposal.proposer_links.select_related("proposer").order_by("position"))
    number = proposal.versions.count() + 1
    ProposalVersion.objects.create(
        proposal=proposal,
        number=number,
        title=proposal.title,
        body=proposal.body,
        suggestions=list(proposal.suggestions.order_by("position").values_list("text", flat=True)),
        cosigners=[{"id": link.proposer_id, "name": link.proposer.name} for link in links],
        submitted_by=actor,
    )
    proposal.submitted_on = today
    if number == 1:
        message = _("委员网上提交")
    else:
        message = _("退回修改后重新提交（第%(number)s稿）") % {"number": number}
    event = proposal.move_to(
        Proposal.Status.SUBMITTED,
        actor=actor,
        event=Event.Kind.SUBMITTED,
        message=message,
        # As the office's own logging is: the first submission shows on the public timeline once the
        # proposal is published; a resubmission would tell of the return, which stays internal.
        public=number == 1,
        fields=("submitted_on",),
    )
    notify(
        event,
        office=True,
        body=_("%(name)s提交了提案《%(title)s》，待审查。")
        % {"name": links[0].proposer.name, "title": proposal.title},
        link=reverse("office:proposal_detail", args=[proposal.pk]),
    )
    return proposal
