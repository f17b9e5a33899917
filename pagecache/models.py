"""Versions of the public data, one per scope: `all`, `lists`, `proposal:<id>`, `reply:<id>`,
`commitment:<id>`, `department:<id>` (pagecache/scopes.py). A cached public page is keyed by the
versions of the scopes it reads, so a write makes unreachable the copies of exactly the pages it
changes; every other page stays cached."""

import uuid

from django.db import connections, models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The version of a scope no write has bumped yet (no row).
UNTOUCHED = "0"


class PageVersionQuerySet(models.QuerySet):
    def tokens(self, scopes):
        """{scope: token} for `scopes`, in one read; a scope without a row has the version UNTOUCHED.

        Plain SQL: every page served from the cache runs this, and the ORM's query compilation cost
        three times the read itself (0.36 ms against 0.1 ms)."""
        scopes = sorted(set(scopes))
        table = self.model._meta.db_table
        placeholders = ", ".join(["%s"] * len(scopes))
        with connections[self.db].cursor() as cursor:
            cursor.execute(f"SELECT scope, token FROM {table} WHERE scope IN ({placeholders})", scopes)
            found = dict(cursor.fetchall())
        return {scope: str(found.get(scope, UNTOUCHED)).replace("-", "") for scope in scopes}

    def bump(self, scopes):
        """A fresh random token for each of `scopes`, in one upsert: unlike a counter, two concurrent
        bumps can never produce the same value, so no write is lost to a race."""
        now = timezone.now()
        rows = [self.model(scope=scope, token=uuid.uuid4(), changed_at=now) for scope in sorted(set(scopes))]
        if rows:
            self.bulk_create(
                rows, update_conflicts=True, unique_fields=["scope"], update_fields=["token", "changed_at"]
            )


class PageVersion(models.Model):
    scope = models.CharField(_("范围"), max_length=64, primary_key=True)
    token = models.UUIDField(default=uuid.uuid4)
    changed_at = models.DateTimeField(default=timezone.now)

    objects = PageVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("公开数据版本")
        verbose_name_plural = verbose_name

    def __str__(self):
        return f"{self.scope}: {self.token} ({self.changed_at:%Y-%m-%d %H:%M:%S})"
