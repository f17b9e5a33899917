from django.db import models
from django.utils.translation import gettext_lazy as _

from proposals.models import Session


class SessionStatistics(models.Model):
    """One session's figures as of `computed_at` (opendata.stats): its row of the session table and
    its rows of the department tables, stored so that a read only assembles them.

    A write to anything counted clears `figures` (opendata.signals), and so does the first day on
    which a deadline makes something overdue without a write (`valid_until`): either way the next
    read recomputes that session alone.
    """

    session = models.OneToOneField(
        Session,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="statistics",
        verbose_name=_("会议"),
    )
    # {"session": {count: n}, "departments": [{"key": id, "name": …, count: n}]}; null until computed
    # and again once invalidated.
    figures = models.JSONField(_("统计数字"), null=True, blank=True)
    # When the counted data was read: figures read before a later invalidation are never stored.
    computed_at = models.DateTimeField(_("统计时间"), null=True, blank=True)
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)
    invalidated_at = models.DateTimeField(_("失效时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("会议统计")
        verbose_name_plural = _("会议统计")

    def __str__(self):
        return f"{self.session_id}: {self.computed_at or '—'}"

    def is_current(self, today):
        """Counted, not invalidated since, and no deadline passed since: valid_until is the first day
        on which an "overdue now" figure would change."""
        return self.figures is not None and (self.valid_until is None or today < self.valid_until)
