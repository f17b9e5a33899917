"""Bump the versions of what each committed write changes (scopes.py), once per transaction.

Saves and deletes of any model of the proposals and responses apps (history rows included) add the
references of the row (`scopes.refs_of`) to the transaction's one pending bump, run once the
transaction commits: readers then see the new data and the new versions together, and a rolled-back
write bumps nothing. QuerySet.update() and bulk_create() send no signals: bulk writers call
`scopes.touch()` or `scopes.bump_all()` themselves (generate_synthetic does).
"""

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save

from . import scopes

WATCHED_APPS = ["proposals", "responses"]


def row_written(sender, instance, using=None, **kwargs):
    scopes.touch(scopes.refs_of(instance), using=using)


def m2m_written(sender, instance, using=None, **kwargs):
    # The through row's owner: refs of the instance whose set changed (a proposal's proposers).
    scopes.touch(scopes.refs_of(instance), using=using)


def connect():
    for label in WATCHED_APPS:
        for model in apps.get_app_config(label).get_models():
            uid = f"pagecache:{model._meta.label}"
            post_save.connect(row_written, sender=model, dispatch_uid=f"{uid}:save")
            post_delete.connect(row_written, sender=model, dispatch_uid=f"{uid}:delete")
            for field in model._meta.local_many_to_many:
                through = field.remote_field.through
                m2m_changed.connect(m2m_written, sender=through, dispatch_uid=f"{uid}:{field.name}")
