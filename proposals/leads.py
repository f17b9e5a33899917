"""提案线索: topics anyone may suggest for a proposal. The office screens them (publish, or reject
with a reason); members adopt published ones as the start of a draft (Proposal.lead).

The contact a suggester leaves is for the office only and is never shown on a public page.
"""

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tracker import limits

from .drafts import open_sessions, start_draft
from .models import Proposal, Session

LEAD_DESCRIPTION_MAX = 2_000  # "a short description": a few paragraphs


class LeadQuerySet(models.QuerySet):
    def published(self):
        """Leads the office published: listed at /leads/ and adoptable by members."""
        return self.filter(status=ProposalLead.Status.PUBLISHED)

    def pending(self):
        """Leads awaiting screening (/leads/screening/), oldest first."""
        return self.filter(status=ProposalLead.Status.PENDING).order_by("created_at", "pk")


class ProposalLead(models.Model):
    """One suggested topic (提案线索)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待筛选")
        PUBLISHED = "published", _("已发布")
        REJECTED = "rejected", _("未采用")

    title = models.CharField(_("线索主题"), max_length=limits.TITLE_MAX)
    description = models.TextField(_("情况简述"), max_length=LEAD_DESCRIPTION_MAX)
    contact = models.CharField(
        _("联系方式"),
        max_length=limits.NAME_MAX,
        blank=True,
        help_text=_("选填，仅供办公厅核实情况，不公开。"),
    )
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.PENDING)
    reason = models.TextField(_("未采用理由"), blank=True, max_length=limits.NOTE_MAX)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    screened_at = models.DateTimeField(_("筛选时间"), null=True, blank=True)
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("筛选人"),
    )

    objects = LeadQuerySet.as_manager()

    class Meta:
        verbose_name = _("提案线索")
        verbose_name_plural = _("提案线索")
        constraints = [
            limits.length_check("description", LEAD_DESCRIPTION_MAX, "proposals_lead_description_length"),
            limits.length_check("reason", limits.NOTE_MAX, "proposals_lead_reason_length"),
            models.CheckConstraint(
                condition=~models.Q(status="rejected") | ~models.Q(reason=""),
                name="proposals_lead_rejected_has_reason",
            ),
        ]
        indexes = [
            # The public list (published, newest first) and the screening queue (pending, oldest first).
            models.Index(fields=["status", "created_at"], name="proposals_lead_status_idx"),
        ]

    def __str__(self):
        return self.title

    class ScreeningRefused(Exception):
        def __init__(self, message):
            super().__init__(message)
            self.message = message

    @transaction.atomic
    def screen(self, *, publish, reason="", actor):
        """Publish the lead, or reject it with a reason. Only a pending lead is screened."""
        lead = ProposalLead.objects.select_for_update().get(pk=self.pk)
        if lead.status != self.Status.PENDING:
            raise self.ScreeningRefused(gettext("此线索已筛选过。"))
        reason = (reason or "").strip()
        if not publish and not reason:
            raise self.ScreeningRefused(gettext("请填写未采用理由。"))
        lead.status = self.Status.PUBLISHED if publish else self.Status.REJECTED
        lead.reason = "" if publish else reason
        lead.screened_at = timezone.now()
        lead.screened_by = actor
        lead.save(update_fields=["status", "reason", "screened_at", "screened_by"])
        return lead

    def filed_proposals(self):
        """The proposals started from this lead that have been submitted (not drafts), one query."""
        return (
            self.proposals.filed()
            .select_related("session__committee")
            .order_by("session__year", "number", "pk")
        )

    class AdoptionRefused(Exception):
        def __init__(self, message):
            super().__init__(message)
            self.message = message

    @transaction.atomic
    def adopt(self, proposer, *, actor):
        """A member's draft started from this published lead: status 草稿, the member first proposer,
        the lead's title, its description as the start of the body; in the latest session."""
        if self.status != self.Status.PUBLISHED:
            raise self.AdoptionRefused(gettext("只有已发布的线索可以采用。"))
        # A session open for online submission when there is one (the draft can then be submitted);
        # otherwise the latest, so that the member can still start writing.
        session = (
            open_sessions().order_by("-year", "-term", "-number").first()
            or Session.objects.order_by("-year", "-term", "-number").first()
        )
        if session is None:
            raise self.AdoptionRefused(gettext("尚未设置会议，暂不能起草提案，请联系政协办公厅。"))
        proposal = start_draft(session=session, kind=Proposal.Kind.PROPOSAL, proposer=proposer, actor=actor)
        proposal.title, proposal.body, proposal.lead = self.title, self.description, self
        proposal.save(update_fields=["title", "body", "lead", "updated_at"])
        return proposal
