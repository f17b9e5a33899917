"""What members write online: co-signing invitations (联名) on a draft, and the versions a proposal
was submitted in. Imported by proposals/models.py (the models are this app's); the rules that change
them are proposals/drafts.py and proposals/submission.py."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tracker import limits

from .models import Proposal, Proposer


class CosignInvitationQuerySet(models.QuerySet):
    def accepted(self):
        return self.filter(status=CosignInvitation.Status.ACCEPTED)

    def pending(self):
        return self.filter(status=CosignInvitation.Status.PENDING)


class CosignInvitation(models.Model):
    """The first proposer asks another member to co-sign (联名) a draft; the invitee accepts or
    declines until the proposal's cosign_deadline. Accepted invitees sign in invitation order."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待答复")
        ACCEPTED = "accepted", _("已同意")
        DECLINED = "declined", _("已谢绝")

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("提案")
    )
    proposer = models.ForeignKey(
        Proposer, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("受邀委员")
    )
    position = models.PositiveSmallIntegerField(_("邀请顺序"))
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.PENDING)
    invited_at = models.DateTimeField(_("邀请时间"), auto_now_add=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)

    objects = CosignInvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("联名邀请")
        verbose_name_plural = _("联名邀请")
        ordering = ["proposal", "position"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "proposer"], name="proposals_invitation_once"),
        ]
        indexes = [
            # An invitee's workspace: their invitations.
            models.Index(fields=["proposer", "status"], name="proposals_invitation_inbox_idx"),
        ]

    def __str__(self):
        return f"{self.proposer} · {self.get_status_display()}"


class ProposalVersion(models.Model):
    """A proposal as it was submitted: each submission (and resubmission after 退回修改) keeps one, so
    what the office reviewed stays readable after the member edits it again."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="versions", verbose_name=_("提案")
    )
    number = models.PositiveSmallIntegerField(_("版本"))
    title = models.CharField(_("案由"), max_length=limits.TITLE_MAX)
    body = models.TextField(_("情况分析"), blank=True, max_length=limits.BODY_MAX)
    suggestions = models.JSONField(_("具体建议"), default=list)  # [text, …] in order
    cosigners = models.JSONField(_("提案者"), default=list)  # [{"id": proposer id, "name": …}, …] in order
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("提交人"),
    )
    return_remarks = models.TextField(_("退回修改意见"), blank=True, max_length=limits.NOTE_MAX)

    class Meta:
        verbose_name = _("提案版本")
        verbose_name_plural = _("提案版本")
        ordering = ["proposal", "number"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "number"], name="proposals_version_unique"),
        ]

    def __str__(self):
        return f"{self.title} · v{self.number}"
