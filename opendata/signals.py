"""Clear the statistics snapshots a committed write makes wrong (opendata.stats).

A save or delete of anything counted names what it touched: a session, a proposal, a reply or a reply
item. Nothing is looked up while the write runs; once the transaction commits, one UPDATE clears the
snapshots of the sessions those lead to (a rolled-back write clears nothing). What a write deleted
can no longer lead anywhere by then, but the deletion of its parent names the session in its place:
a commitment goes with its item (named by its reply), an item with its reply (named by its proposal),
a proposal names its session itself. A change to a session, committee or department (their names
are part of the tables) clears every snapshot; a new one, which nothing counts yet, clears none.

QuerySet.update() and bulk_create() send no signals: bulk writers call `stats.invalidate()`.
"""

from django.core.signals import request_finished
from django.db import connection, transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_init, post_save

from proposals.models import Assignment, Committee, Department, Proposal, Session, Suggestion
from responses.models import Commitment, Feedback, FollowUpRound, Response, ResponseItem

from . import stats

UNKNOWN = object()


class Pending:
    """What one transaction's writes touched, cleared in one go when it commits."""

    def __init__(self):
        self.everything = False
        self.ids = {"sessions": set(), "proposals": set(), "responses": set(), "items": set()}

    def __call__(self):
        if self.everything:
            stats.invalidate()
            return
        sessions = Q(pk__in=self.ids["sessions"])
        leads = [
            (Proposal, "proposals", "session_id"),
            (Response, "responses", "proposal__session_id"),
            (ResponseItem, "items", "response__proposal__session_id"),
        ]
        for model, kind, path in leads:
            if self.ids[kind]:
                sessions |= Q(pk__in=model.objects.filter(pk__in=self.ids[kind]).values(path))
        stats.invalidate(Session.objects.filter(sessions).values("pk"))


def touch(kind, ids=()):
    """Note what a write touched ("everything", or a kind of Pending.ids): cleared once this
    transaction commits, or at once outside a transaction."""
    registered = None
    if connection.in_atomic_block:
        registered = next(
            (func for _ids, func, _robust in connection.run_on_commit if isinstance(func, Pending)), None
        )
    target = registered or Pending()
    if kind == "everything":
        target.everything = True
    else:
        target.ids[kind].update(ids)
    if registered is None:  # none yet in this transaction, or a rollback discarded it
        transaction.on_commit(target)


def everything_changed(sender, created=False, **kwargs):
    if not created:  # a new session, committee or department has nothing counted yet
        touch("everything")


def remember_session(sender, instance, **kwargs):
    # The session the proposal was loaded with, to clear it too if the proposal moves. Deferred: unknown.
    instance._stats_session_id = instance.__dict__.get("session_id", UNKNOWN)


def proposal_saved(sender, instance, created, **kwargs):
    before = getattr(instance, "_stats_session_id", UNKNOWN)
    now = instance.__dict__.get("session_id", UNKNOWN)  # deferred and not set: neither moved nor saved
    if now is UNKNOWN:
        touch("proposals", [instance.pk])
    elif before is UNKNOWN and not created:
        touch("everything")  # loaded without its session and given one: it may have moved
    else:
        touch("sessions", {now, before} - {UNKNOWN, None})
    if now is not UNKNOWN:
        instance._stats_session_id = now


def proposal_deleted(sender, instance, **kwargs):
    session_id = instance.__dict__.get("session_id", UNKNOWN)
    if session_id is UNKNOWN:
        touch("everything")
    else:
        touch("sessions", [session_id])


def proposal_part_changed(sender, instance, **kwargs):
    touch("proposals", [instance.proposal_id])


def reply_part_changed(sender, instance, **kwargs):
    touch("responses", [instance.response_id])


def commitment_changed(sender, instance, **kwargs):
    touch("items", [instance.item_id])


def round_changed(sender, instance, **kwargs):
    # A round's answers are created in bulk with it and reported with their commitments (which clear
    # the session themselves): the round's own save names its session.
    touch("sessions", [instance.session_id])


def connect():
    receivers = [
        (Proposal, proposal_saved, proposal_deleted),
        (Assignment, proposal_part_changed, proposal_part_changed),
        (Suggestion, proposal_part_changed, proposal_part_changed),
        (Response, proposal_part_changed, proposal_part_changed),
        (Feedback, reply_part_changed, reply_part_changed),
        (Commitment, commitment_changed, commitment_changed),
        # An item's own fields count for nothing, but its deletion takes its commitments along.
        (ResponseItem, None, reply_part_changed),
        (FollowUpRound, round_changed, round_changed),
        (Session, everything_changed, everything_changed),
        (Committee, everything_changed, everything_changed),
        (Department, everything_changed, everything_changed),
    ]
    for model, on_save, on_delete in receivers:
        uid = f"opendata.stats:{model._meta.label}"
        if on_save:
            post_save.connect(on_save, sender=model, dispatch_uid=f"{uid}:save")
        post_delete.connect(on_delete, sender=model, dispatch_uid=f"{uid}:delete")
    post_init.connect(remember_session, sender=Proposal, dispatch_uid="opendata.stats:proposal:init")
    request_finished.connect(stats.recount_after_request, dispatch_uid="opendata.stats:recount")
