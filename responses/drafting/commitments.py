"""Current commitments, a department's open ones, and progress reports on them."""

import datetime

from django.db import transaction
from django.db.models import Max, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from proposals.models import Event, Profile
from tracker.chinese import format_day

from ..models import Commitment, CommitmentProgress
from .rules import Refused, day_or_today

# --- Commitments ---------------------------------------------------------------------------------


def _ids_of(department, commitments):
    """Ids of `commitments` this department owns or made in its own replies: a union of two index
    lookups, where an OR across the joined reply read every commitment of the site first."""
    owned = commitments.filter(owner=department).order_by().values("pk")
    made = commitments.filter(item__response__department=department).order_by().values("pk")
    return owned.union(made)


def department_commitments(department):
    """Current commitments this department owns or made in its own replies."""
    return Commitment.objects.current().filter(pk__in=_ids_of(department, Commitment.objects.all()))


def open_commitments(department):
    """The department's open commitments for its list, in TWO queries whatever their number: their
    ids first, then the rows with reply, proposal and owner by join and the date of the latest
    progress report as a subquery. Asked in one query, PostgreSQL joined all the site's open
    commitments with their items and replies before keeping the unit's (at 100,000 proposals, the
    busiest unit: 2.7 s); from the ids it reads only the unit's rows."""
    ids = list(_ids_of(department, Commitment.objects.open()).values_list("pk", flat=True))
    latest_report = CommitmentProgress.objects.filter(commitment_id=OuterRef("pk")).order_by("-reported_on")
    return (
        Commitment.objects.current()
        .open()
        .filter(pk__in=ids)
        .select_related("item__response__proposal", "item__response__department", "owner", "item__parent")
        .annotate(last_reported_on=Subquery(latest_report.values("reported_on")[:1]))
        # Undated last, as a value rather than NULLS LAST: an order an index can give made PostgreSQL
        # walk the tracker's (due_on, id) index through all the site's commitments to find the unit's.
        .order_by(
            Coalesce("due_on", Value(datetime.date.max)),
            "item__response__proposal__number",
            "item_id",
            "position",
        )
    )


def report_progress(commitment, *, reported_on, status, text, user, due_on=None, record=True, today=None):
    """A dated progress report on a commitment. The commitment takes the report's status unless a
    later report already exists, and `due_on` as its new due date when given. The event is public
    when the reply is; `record=False` leaves it to a caller that records one event for many reports."""
    today = day_or_today(today)
    text = (text or "").strip()
    if not text:
        raise Refused(_("请填写进展情况。"), field="text")
    if reported_on > today:
        raise Refused(_("报告日期不能晚于今天。"), field="reported_on")
    with transaction.atomic():
        commitment = (
            Commitment.objects.select_for_update(of=("self",))
            .select_related("item__response__proposal", "item__response__department")
            .get(pk=commitment.pk)
        )
        latest = commitment.progress_updates.aggregate(latest=Max("reported_on"))["latest"]
        progress = CommitmentProgress.objects.create(
            commitment=commitment, reported_on=reported_on, status=status, text=text, reported_by=user
        )
        changed = []
        if latest is None or reported_on >= latest:
            commitment.status = status
            changed.append("status")
        if due_on is not None and due_on != commitment.due_on:
            commitment.due_on = due_on
            changed.append("due_on")
        if changed:
            commitment.save(update_fields=changed)
        if not record:
            return progress
        reply = commitment.item.response
        profile = Profile.of(user)
        reply.proposal.record(
            Event.Kind.COMMITMENT_PROGRESS,
            actor=user,
            department=profile.department if profile else None,
            message=_("承诺“%(commitment)s”：%(status)s（%(date)s）。%(text)s")
            % {
                "commitment": commitment,
                "status": progress.get_status_display(),
                "date": format_day(reported_on),
                "text": text,
            },
            public=reply.is_public,
        )
    return progress
