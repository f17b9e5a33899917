"""The version of the public data: one row whose token changes whenever a proposal, reply or anything they
show changes. Cached public pages are keyed by it, so a write makes every earlier copy unreachable."""

import uuid

from django.db import models
from django.utils import timezone

ROW_ID = 1


class GenerationQuerySet(models.QuerySet):
    def current_token(self):
        """The current token (one indexed read); the row is created if a database lacks it."""
        token = self.filter(pk=ROW_ID).values_list("token", flat=True).first()
        if token is None:
            token = self.get_or_create(pk=ROW_ID)[0].token
        return token

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
        verbose_name = "公开数据版本"
        verbose_name_plural = verbose_name

    def __str__(self):
        return f"{self.token} ({self.changed_at:%Y-%m-%d %H:%M:%S})"
