"""站内通知: what the bell in the header counts. A small app below proposals, so that the one path
that emails people about a step (proposals.notifications) can leave the same notice in-app; it knows
users only, nothing of proposals or replies."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NoticeQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notice(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices", verbose_name=_("用户")
    )
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    link = models.CharField(
        _("链接"), max_length=500, blank=True, help_text=_("站内路径，如 /my/proposals/1/。")
    )
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("站内通知")
        verbose_name_plural = _("站内通知")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The bell's unread count and the list, newest first.
            models.Index(fields=["user", "read_at", "created_at"], name="notices_user_unread_idx"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_read(self):
        return self.read_at is not None


def leave(users, *, title, body="", link=""):
    """One notice per user, in the caller's transaction (it commits or rolls back with the step)."""
    if not users:
        return
    title = title[:200]
    Notice.objects.bulk_create([Notice(user=user, title=title, body=body, link=link[:500]) for user in users])
