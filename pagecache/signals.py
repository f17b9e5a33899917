"""Bump the public data version after every committed write to the apps public pages show.

Saves and deletes of any model of the proposals and responses apps (history rows included) schedule
one bump per transaction, run once the transaction commits: readers then see the new data and the new
token together, and a rolled-back write bumps nothing. QuerySet.update() and bulk_create() send no
signals: bulk writers call `Generation.objects.bump()` themselves (generate_synthetic does).
"""

from django.apps import apps
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from .models import Generation

WATCHED_APPS = ["proposals", "responses"]


def bump():
    Generation.objects.bump()


def schedule_bump(**kwargs):
    # One bump per transaction is enough: skip when this transaction has already scheduled one.
    if connection.in_atomic_block and any(func is bump for _ids, func, _robust in connection.run_on_commit):
        return
    transaction.on_commit(bump)


def connect():
    for label in WATCHED_APPS:
        for model in apps.get_app_config(label).get_models():
            uid = f"pagecache:{model._meta.label}"
            post_save.connect(schedule_bump, sender=model, dispatch_uid=f"{uid}:save")
            post_delete.connect(schedule_bump, sender=model, dispatch_uid=f"{uid}:delete")
            for field in model._meta.local_many_to_many:
                through = field.remote_field.through
                m2m_changed.connect(schedule_bump, sender=through, dispatch_uid=f"{uid}:{field.name}")
