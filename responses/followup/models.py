"""回头看: a round in which the office asks every unit, a year or so on, what became of the promises
its replies made. Imported by responses/models.py, so the models belong to the `responses` app."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from proposals.models import Department, Session

from ..models import Commitment


class FollowUpRoundQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=FollowUpRound.Status.OPEN)


class FollowUpRound(models.Model):
    """One 回头看 round: the open commitments of one session's replies (optionally of some result
    classes only), each unit asked to report on its own by a deadline."""

    class Status(models.TextChoices):
        OPEN = "open", _("进行中")
        CLOSED = "closed", _("已结束")

    session = models.ForeignKey(
        Session, on_delete=models.PROTECT, related_name="followup_rounds", verbose_name=_("届次")
    )
    title = models.CharField(_("名称"), max_length=200)
    result_classes = models.CharField(
        _("办复类别"), max_length=4, blank=True, help_text=_("如“B”；留空为全部类别。")
    )
    instructions = models.TextField(_("工作要求"), blank=True)
    deadline = models.DateField(_("报告截止日期"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("启动人"),
    )
    opened_at = models.DateTimeField(_("启动时间"), default=timezone.now)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("结束人"),
    )
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    objects = FollowUpRoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("回头看")
        verbose_name_plural = _("回头看")
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", closed_at__isnull=True)
                | Q(status="closed", closed_at__isnull=False),
                name="responses_followup_closed_has_time",
            ),
        ]
        indexes = [
            # The overdue board: open rounds past their deadline.
            models.Index(fields=["status", "deadline"], name="responses_followup_due_idx"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_open(self):
        return self.status == self.Status.OPEN

    @property
    def class_list(self):
        return list(self.result_classes)

    def commitments(self):
        """The open, current commitments this round asks about (a queryset; nothing runs yet)."""
        commitments = (
            Commitment.objects.current().open().filter(item__response__proposal__session=self.session)
        )
        if self.result_classes:
            commitments = commitments.filter(item__response__result_class__in=self.class_list)
        return commitments


class FollowUpTaskQuerySet(models.QuerySet):
    def pending(self):
        """Tasks of open rounds that their unit has not answered yet."""
        return self.filter(round__status=FollowUpRound.Status.OPEN, answered_at__isnull=True)

    def due_by(self, day):
        """Pending tasks whose deadline is `day` or earlier (the overdue board's window)."""
        return self.pending().filter(round__deadline__lte=day)


class FollowUpTask(models.Model):
    """What one unit owes a round: a report on each of its listed commitments."""

    round = models.ForeignKey(
        FollowUpRound, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("回头看")
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="followup_tasks", verbose_name=_("责任单位")
    )
    answered_at = models.DateTimeField(_("报告时间"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("报告人"),
    )
    chase_count = models.PositiveSmallIntegerField(_("催办次数"), default=0)
    last_chased_at = models.DateTimeField(_("最近催办"), null=True, blank=True)

    objects = FollowUpTaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("回头看任务")
        verbose_name_plural = _("回头看任务")
        ordering = ["round", "department__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "department"], name="responses_followup_one_task_per_unit"
            ),
        ]
        indexes = [
            # A department's own tasks, unanswered first.
            models.Index(fields=["department", "answered_at"], name="responses_followup_task_idx"),
        ]

    def __str__(self):
        return f"{self.round} · {self.department}"

    @property
    def is_answered(self):
        return self.answered_at is not None

    def is_overdue(self, today=None):
        today = today or timezone.localdate()
        return not self.is_answered and self.round.is_open and self.round.deadline < today


class FollowUpAnswer(models.Model):
    """One commitment in a task, and (once the unit has reported) what became of it."""

    class Outcome(models.TextChoices):
        KEPT = "kept", _("已落实")
        MOVED = "moved", _("推进中（调整期限）")
        DROPPED = "dropped", _("无法落实")

        @property
        def commitment_status(self):
            """The commitment's status after this answer."""
            return {
                "kept": Commitment.Status.DONE,
                "moved": Commitment.Status.IN_PROGRESS,
                "dropped": Commitment.Status.DROPPED,
            }[self.value]

    task = models.ForeignKey(
        FollowUpTask, on_delete=models.CASCADE, related_name="answers", verbose_name=_("任务")
    )
    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, related_name="followup_answers", verbose_name=_("承诺事项")
    )
    due_on_before = models.DateField(_("原完成期限"), null=True, blank=True)
    outcome = models.CharField(_("落实情况"), max_length=10, choices=Outcome.choices, blank=True)
    new_due_on = models.DateField(_("新完成期限"), null=True, blank=True)
    explanation = models.TextField(_("情况说明"), blank=True)

    class Meta:
        verbose_name = _("回头看报告")
        verbose_name_plural = _("回头看报告")
        ordering = ["task", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["task", "commitment"], name="responses_followup_answer_once"),
            models.CheckConstraint(
                condition=~Q(outcome="moved") | Q(new_due_on__isnull=False),
                name="responses_followup_moved_has_date",
                violation_error_message=_("推进中的承诺须填写新的完成期限。"),
            ),
            models.CheckConstraint(
                condition=~Q(outcome="dropped") | ~Q(explanation=""),
                name="responses_followup_dropped_has_reason",
                violation_error_message=_("无法落实的承诺须说明理由。"),
            ),
        ]

    def __str__(self):
        return f"{self.commitment} · {self.get_outcome_display() or '—'}"

    def problem(self, today=None):
        """What is wrong with this answer, as (field, message), or None. The form (through clean())
        and the step that saves answers both ask here."""
        today = today or timezone.localdate()
        if self.outcome == self.Outcome.MOVED:
            if self.new_due_on is None:
                return "new_due_on", _("推进中的承诺须填写新的完成期限。")
            if self.new_due_on <= today:
                return "new_due_on", _("新的完成期限须晚于今天。")
        if self.outcome == self.Outcome.DROPPED and not self.explanation.strip():
            return "explanation", _("无法落实的承诺须说明理由。")
        return None

    def clean(self):
        if problem := self.problem():
            raise ValidationError(dict([problem]))
