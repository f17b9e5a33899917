"""An Excel upload kept between its preview and the clerk's decision (importing.py checks and creates)."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Pending or cancelled uploads older than this are deleted at the next upload (the preview is a
# step of minutes, not a store); confirmed ones stay, so a file imported once is recognised later.
STALE_AFTER = datetime.timedelta(days=7)


class IntakeBatchQuerySet(models.QuerySet):
    def stale(self, now=None):
        now = now or timezone.now()
        return self.exclude(status=IntakeBatch.Status.CONFIRMED).filter(created_at__lt=now - STALE_AFTER)

    def earlier_imports_of(self, batch):
        """Confirmed uploads of the same bytes (SHA-256), newest first."""
        return (
            self.filter(sha256=batch.sha256, status=IntakeBatch.Status.CONFIRMED)
            .exclude(pk=batch.pk)
            .select_related("created_by")
            .order_by("-decided_at")
        )


class IntakeBatch(models.Model):
    """One uploaded sheet of proposals: its checked rows, waiting for confirm or cancel."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待确认")
        CONFIRMED = "confirmed", _("已导入")
        CANCELLED = "cancelled", _("已取消")

    committee = models.ForeignKey(
        "proposals.Committee", verbose_name=_("政协（人大）"), on_delete=models.CASCADE
    )
    file_name = models.CharField(_("文件名"), max_length=200)
    sha256 = models.CharField(_("文件摘要（SHA-256）"), max_length=64)
    # [{line, session, kind, title, …, proposers: [{name, kind, match…}], duplicate…, problems}]
    # as importing.Row.as_json writes it; checked again against the database on confirm.
    rows = models.JSONField(_("检查结果"), default=list)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.PENDING)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("上传时间"), default=timezone.now)
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    created_count = models.PositiveIntegerField(_("新建提案数"), default=0)

    objects = IntakeBatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("提案导入批次")
        verbose_name_plural = _("提案导入批次")
        indexes = [
            # earlier_imports_of: the same file confirmed before
            models.Index(fields=["sha256", "status"], name="proposals_intake_sha_idx"),
        ]

    def __str__(self):
        return f"{self.file_name}（{self.get_status_display()}）"

    @property
    def is_pending(self):
        return self.status == self.Status.PENDING
