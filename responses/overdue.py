"""What is overdue or due soon: the office's overdue board and its dashboard counts."""

import datetime

from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone

from proposals.models import Assignment, Chase, Proposal
from proposals.workflow import OPEN_STATES

from .models import CoHandlingOpinion, Response


def open_assignments(today, within):
    """Standing assignments past due or due within `within` days whose work is not done: lead and
    separate handling until the proposal is answered (a separate handler also drops off once it has
    issued its own reply, unless the proposal is being handled again), co-handling until an opinion
    is submitted."""
    issued = Response.objects.filter(
        proposal_id=OuterRef("proposal_id"),
        department_id=OuterRef("department_id"),
        status__in=Response.Status.issued(),
    )
    opinion = CoHandlingOpinion.objects.filter(
        assignment_id=OuterRef("pk"), status=CoHandlingOpinion.Status.SUBMITTED
    )
    work_left = (
        Q(role=Assignment.Role.LEAD)
        | Q(role=Assignment.Role.SEPARATE, proposal__status=Proposal.Status.REHANDLING)
        | (Q(role=Assignment.Role.SEPARATE) & ~Exists(issued))
        | (Q(role=Assignment.Role.CO_HANDLING) & ~Exists(opinion))
    )
    return Assignment.objects.active().filter(
        work_left,
        proposal__status__in=OPEN_STATES,
        due_on__isnull=False,
        due_on__lte=today + datetime.timedelta(days=within),
    )


def due_board(today, within):
    """The overdue board's rows (see open_assignments) with proposal, department and the last chase
    (when, by whom), ordered for grouping by department. One query."""
    last_chase = Chase.objects.filter(assignment_id=OuterRef("pk")).order_by("-chased_at", "-pk")
    return (
        open_assignments(today, within)
        .select_related("proposal", "department")
        .annotate(
            last_chased_at=Subquery(last_chase.values("chased_at")[:1]),
            last_chased_by=Subquery(last_chase.values("chased_by__username")[:1]),
        )
        .order_by("department__name", "due_on", "proposal__number")
    )


def overdue_assignments(today=None):
    """Standing lead or separate assignments past their due date whose department has issued no reply."""
    today = today or timezone.localdate()
    replied = Response.objects.filter(
        proposal=OuterRef("proposal"), department=OuterRef("department"), status__in=Response.Status.issued()
    )
    return (
        Assignment.objects.active()
        .filter(role__in=Assignment.Role.answering(), due_on__lt=today)
        .exclude(Exists(replied))
    )
