"""The version of the public data: one row whose token changes whenever a proposal, reply or anything they
show changes. Cached public pages are keyed by it, so a write makes every earlier copy unreachable."""

import uuid

from django.db import connections, models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

ROW_ID = 1


class GenerationQuerySet(models.QuerySet):
    def current_token(self):
        """The current token, as text (one primary-key read); the row is created if a database lacks it.

        Plain SQL: every public page served from the cache runs this, and the ORM's query compilation
        cost three times the read itself (0.36 ms against 0.1 ms)."""
        with connections[self.db].cursor() as cursor:
            cursor.execute(f"SELECT token FROM {self.model._meta.db_table} WHERE id = %s", [ROW_ID])
            row = cursor.fetchone()
        if row is None:
            return str(self.get_or_create(pk=ROW_ID)[0].token.hex)
        return str(row[0].hex if isinstance(row[0], uuid.UUID) else row[0])

    def bump(self):
        """A fresh random token: unlike a counter, two concurrent bumps can never produce the same
        value, so no write is lost to a race."""
        updated = self.filter(pk=ROW_ID).update(token=uuid.uuid4(), changed_at=timezone.now())
        if not updated:
            self.get_or_create(pk=ROW_ID)


class Generation(models.Model):
    token = models.UUIDField(default=uuid.uuid4)
    changed_at = models.DateTimeField(default=timezone.now)

    objects = GenerationQuerySet.as_manager()

    class Meta:
        verbose_name = _("公开数据版本")
        verbose_name_plural = verbose_name

    def __str__(self):
        return f"{self.token} ({self.changed_at:%Y-%m-%d %H:%M:%S})"
