"""A member's draft (草稿): writing it in its parts — 案由 (title), 情况分析 (body), 具体建议 (numbered
Suggestion rows), attachments — and inviting co-signers (联名). Submitting it is proposals/submission.py.

Who may write what is decided here once: a draft belongs to the account that started it (created_by)
and to its first proposer (the member, or a collective body the account files for); it can be edited
while it is a draft or returned for changes (Proposal.Status.member_editable()).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tracker import limits
from tracker.chinese import format_day

from .models import (
    CosignInvitation,
    Profile,
    Proposal,
    ProposalAttachment,
    ProposalProposer,
    Proposer,
    Session,
    Suggestion,
)
from .notifications import tell


def filing_identities(profile):
    """Whom this delegate may file for: themself first, then the collective bodies they are entitled
    to (Profile.files_for). One query."""
    return [profile.proposer, *profile.files_for.order_by("name")]


def open_sessions(today=None):
    """Sessions accepting online submissions today, latest deadline first. One query."""
    today = today or timezone.localdate()
    return Session.objects.select_related("committee").filter(submission_deadline__gte=today)


def invitable():
    """Whom a first proposer may invite to co-sign: members and deputies with an active account
    (they must be able to answer)."""
    return Proposer.objects.filter(
        kind__in=[Proposer.Kind.MEMBER, Proposer.Kind.DEPUTY],
        profile__role=Profile.Role.DELEGATE,
        profile__user__is_active=True,
    )


def members_matching(query, *, exclude=()):
    """Invitable members whose name contains the query. One query, at most 20 rows."""
    query = query.strip()[: limits.NAME_MAX]
    if not query:
        return Proposer.objects.none()
    return (
        invitable()
        .filter(name__contains=query)
        .exclude(pk__in=[p.pk for p in exclude])
        .order_by("name", "pk")[:20]
    )


def drafts_of(profile):
    """The proposals this delegate is writing or must revise (their own or for a collective body)."""
    return (
        Proposal.objects.filter(status__in=Proposal.Status.member_editable())
        .filter(
            Q(proposer_links__position=1, proposer_links__proposer_id=profile.proposer_id)
            | Q(proposer_links__position=1, proposer_links__proposer__filing_profiles=profile)
        )
        .distinct()
    )


def clean_suggestions(texts):
    """The suggestion texts as the member typed them, blank rows dropped; ValidationError when there
    are too many or one is too long (the form shows it next to the rows, keeping what was typed)."""
    texts = [text.strip() for text in texts if text and text.strip()]
    errors = []
    if len(texts) > limits.SUGGESTIONS_PER_PROPOSAL:
        errors.append(
            _("具体建议至多%(count)s条，现有%(given)s条。")
            % {"count": limits.SUGGESTIONS_PER_PROPOSAL, "given": len(texts)}
        )
    for position, text in enumerate(texts, 1):
        if len(text) > limits.SUGGESTION_MAX:
            errors.append(
                _("第%(position)s条建议有%(length)s字，超过上限%(max)s字。")
                % {"position": position, "length": len(text), "max": limits.SUGGESTION_MAX}
            )
    if errors:
        raise ValidationError(errors)
    return texts


@transaction.atomic
def start_draft(*, session, kind, proposer, actor):
    """A new, empty draft of `proposer` (the member, or a collective body they file for)."""
    proposal = Proposal.objects.create(
        session=session, kind=kind, title="", status=Proposal.Status.DRAFT, created_by=actor
    )
    ProposalProposer.objects.create(proposal=proposal, proposer=proposer, position=1)
    return proposal


@transaction.atomic
def save_draft(proposal, *, title, body, suggestions, cosign_deadline=None, attachments=(), remove=()):
    """Write the draft's parts: the suggestions replace the old rows in the order given."""
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status not in Proposal.Status.member_editable():
        raise ValidationError(_("提案已提交，不能再修改。"))
    proposal.title = title
    proposal.body = body
    proposal.cosign_deadline = cosign_deadline
    proposal.save(update_fields=["title", "body", "cosign_deadline", "updated_at"])
    proposal.suggestions.all().delete()
    Suggestion.objects.bulk_create(
        [Suggestion(proposal=proposal, position=n, text=text) for n, text in enumerate(suggestions, 1)]
    )
    kept = proposal.attachments.exclude(pk__in=remove).count()
    if kept + len(attachments) > limits.ATTACHMENT_MAX_COUNT:
        raise ValidationError(
            {
                "attachments": _("一件提案至多%(count)s个附件，已有%(kept)s个。")
                % {"count": limits.ATTACHMENT_MAX_COUNT, "kept": kept}
            }
        )
    if remove:
        proposal.attachments.filter(pk__in=remove).delete()
    for upload in attachments:
        ProposalAttachment.objects.create(proposal=proposal, file=upload, name=upload.name[:200])
    return proposal


@transaction.atomic
def invite(proposal, proposers, *, actor):
    """Invite these members to co-sign, after those already invited; each is told in-app and by email."""
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status not in Proposal.Status.member_editable():
        raise ValidationError(_("提案已提交，不能再邀请联名。"))
    if proposal.cosign_deadline is None or proposal.cosign_deadline < timezone.localdate():
        raise ValidationError({"cosign_deadline": _("请先设定今天或以后的联名截止日期。")})
    taken = set(proposal.invitations.values_list("proposer_id", flat=True))
    taken |= set(proposal.proposer_links.filter(position=1).values_list("proposer_id", flat=True))
    position = proposal.invitations.count()
    new = []
    for proposer in proposers:
        if proposer.pk in taken:
            continue
        taken.add(proposer.pk)
        position += 1
        new.append(CosignInvitation(proposal=proposal, proposer=proposer, position=position))
    CosignInvitation.objects.bulk_create(new)
    if new:
        first = proposal.proposer_links.select_related("proposer").get(position=1).proposer
        tell(
            proposers=[invitation.proposer for invitation in new],
            title=_("联名邀请：%(title)s") % {"title": proposal.title or _("（未命名提案）")},
            body=_("%(first)s邀请您联名提出提案《%(title)s》，请于%(deadline)s前答复。")
            % {
                "first": first.name,
                "title": proposal.title,
                "deadline": format_day(proposal.cosign_deadline),
            },
            link=reverse("delegate:my_proposals"),
        )
    return new


@transaction.atomic
def withdraw_invitation(proposal, invitation_id):
    """The first proposer takes an invitation back (pending or answered) while the draft is editable."""
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status not in Proposal.Status.member_editable():
        raise ValidationError(_("提案已提交，不能再修改联名。"))
    proposal.invitations.filter(pk=invitation_id).delete()
