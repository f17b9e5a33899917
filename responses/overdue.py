"""Work still owed (owes_work) and what of it is overdue or due soon: the office's overdue board, its
dashboard counts and the reminder emails (responses/reminders.py)."""

import datetime

from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone

from proposals.models import Assignment, Chase, Proposal

from .models import CoHandlingOpinion, Feedback, Response

# Proposals whose units may still owe work: registered and not yet closed (drafts, proposals under
# review, merged or not registered have no work to chase).
OWING_STATES = [
    Proposal.Status.REGISTERED,
    Proposal.Status.ASSIGNED,
    Proposal.Status.IN_HANDLING,
    Proposal.Status.REPLIED,
    Proposal.Status.FEEDBACK_RECEIVED,
    Proposal.Status.REHANDLING,
]
# A co-handling opinion feeds the lead's first reply: once the reply is out it is no longer chased.
OPINION_STATES = [Proposal.Status.REGISTERED, Proposal.Status.ASSIGNED, Proposal.Status.IN_HANDLING]


def owes_work():
    """The condition on Assignment for "work still owed", the one rule behind the overdue board, the
    dashboard's counts and the reminder emails.

    A standing assignment (not returned, or returned and kept) on a proposal not yet closed owes:

    * as lead (主办) or separate handler (分办): a reply, until the unit's current issued reply exists
      and no proposer has rated it 不满意. The rule looks at the unit's own reply, not at the
      proposal's status: a separate handler whose reply stands owes nothing while another unit's
      reply is re-handled, and a lead whose reply was rated 不满意 owes a new one at once;
    * as co-handling unit (会办): its 会办意见, until one is submitted, and only until the lead's first
      reply goes out (the opinion has nothing left to feed; re-handling is the lead's).

    The reminders' rule (per unit) replaced the board's (per proposal status): a careful office does
    not chase a unit that has done its part, nor stop chasing one whose reply was refused.
    """
    answered = Response.objects.current().filter(
        proposal_id=OuterRef("proposal_id"), department_id=OuterRef("department_id")
    )
    refused = Feedback.objects.filter(response_id=OuterRef("pk"), rating=Feedback.Rating.UNSATISFIED)
    opinion = CoHandlingOpinion.objects.filter(
        assignment_id=OuterRef("pk"), status=CoHandlingOpinion.Status.SUBMITTED
    )
    reply_owed = Q(role__in=Assignment.Role.answering()) & ~Exists(answered.exclude(Exists(refused)))
    opinion_owed = Q(role=Assignment.Role.CO_HANDLING, proposal__status__in=OPINION_STATES) & ~Exists(opinion)
    return Assignment.standing() & Q(proposal__status__in=OWING_STATES) & (reply_owed | opinion_owed)


def owing_work():
    """Assignments that still owe work (owes_work)."""
    return Assignment.objects.filter(owes_work())


def open_assignments(today, within):
    """Assignments owing work (owes_work) past due or due within `within` days of `today`."""
    return owing_work().filter(due_on__isnull=False, due_on__lte=today + datetime.timedelta(days=within))


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
