"""The department's inbox: where each assignment stands, in one query."""

from dataclasses import dataclass

from django.db.models import Case, CharField, Exists, F, OuterRef, Prefetch, Subquery, Value, When
from django.utils.translation import gettext_lazy

from proposals.models import INBOX_COLUMNS, Assignment, Proposal, ProposalProposer

from ..models import CoHandlingOpinion, Feedback, Response
from .rules import REPLIED_STATES, day_or_today

# --- The inbox ---------------------------------------------------------------------------------


class InboxState:
    """Where an assignment stands from the department's point of view (one word in the inbox)."""

    AWAITING_RECEIPT = "awaiting_receipt"
    RECEIVED = "received"
    RETURNED = "returned"
    OPINION_SUBMITTED = "opinion_submitted"
    REPLY_DRAFT = "reply_draft"
    REPLY_SUBMITTED = "reply_submitted"
    REPLY_ISSUED = "reply_issued"
    REHANDLING = "rehandling"

    LABELS = {
        AWAITING_RECEIPT: gettext_lazy("待签收"),
        RECEIVED: gettext_lazy("已签收"),
        RETURNED: gettext_lazy("已退回"),
        OPINION_SUBMITTED: gettext_lazy("已送会办意见"),
        REPLY_DRAFT: gettext_lazy("答复起草中"),
        REPLY_SUBMITTED: gettext_lazy("答复待签发"),
        REPLY_ISSUED: gettext_lazy("已答复"),
        REHANDLING: gettext_lazy("重新办理"),
    }
    # States in which nothing more is expected of the department: no countdown, no overdue flag.
    DONE = {RETURNED, OPINION_SUBMITTED, REPLY_ISSUED}


def inbox_assignments(department):
    """The department's assignments for the inbox, in two queries whatever their number.

    The proposal with its session and committee comes by prefetch (the second query); whether a
    co-handling opinion was sent, the state of the department's latest reply and the resulting inbox
    state (`inbox_state`, the one definition of InboxState, so the inbox can filter on it) come as
    subqueries and a CASE, so no row needs a further query.
    """
    latest_reply = Response.objects.filter(
        proposal_id=OuterRef("proposal_id"), department_id=OuterRef("department_id")
    ).order_by("-version")
    # The reason given with the latest 不满意 on the department's replies (shown while re-handling).
    unsatisfied = Feedback.objects.filter(
        response__proposal_id=OuterRef("proposal_id"),
        response__department_id=OuterRef("department_id"),
        rating=Feedback.Rating.UNSATISFIED,
    ).order_by("-response__version", "-submitted_on", "-pk")
    sent_opinion = CoHandlingOpinion.objects.filter(
        assignment_id=OuterRef("pk"), status=CoHandlingOpinion.Status.SUBMITTED
    )
    # The proposal comes as a subquery and a prefetch rather than a join, so that a page of the inbox
    # (a window count over the unit's assignments, then LIMIT) joins nothing for the rows it skips:
    # at 7,428 assignments the join alone took most of the page.
    proposal_status = Proposal.objects.filter(pk=OuterRef("proposal_id")).order_by().values("status")
    return (
        Assignment.objects.filter(department=department)
        .only("department", "due_on", *INBOX_COLUMNS)
        .prefetch_related(
            Prefetch("proposal", queryset=Proposal.objects.select_related("session__committee"))
        )
        .annotate(
            proposal_status=Subquery(proposal_status),
            opinion_sent=Exists(sent_opinion),
            reply_status=Subquery(latest_reply.values("status")[:1]),
            reply_pk=Subquery(latest_reply.values("pk")[:1]),
            unsatisfied_reason=Subquery(unsatisfied.values("comments")[:1]),
        )
        .annotate(
            withdrawn=Case(
                When(~Assignment.standing(), then=1),
                default=0,
            ),
            inbox_state=Case(
                When(~Assignment.standing(), then=Value(InboxState.RETURNED)),
                When(
                    role=Assignment.Role.CO_HANDLING,
                    opinion_sent=True,
                    then=Value(InboxState.OPINION_SUBMITTED),
                ),
                # The proposer was not satisfied: a further reply is due.
                When(
                    reply_status__in=REPLIED_STATES,
                    proposal_status=Proposal.Status.REHANDLING,
                    then=Value(InboxState.REHANDLING),
                ),
                When(reply_status__in=REPLIED_STATES, then=Value(InboxState.REPLY_ISSUED)),
                When(reply_status=Response.Status.SUBMITTED, then=Value(InboxState.REPLY_SUBMITTED)),
                When(reply_status=Response.Status.DRAFT, then=Value(InboxState.REPLY_DRAFT)),
                When(received_on__isnull=False, then=Value(InboxState.RECEIVED)),
                default=Value(InboxState.AWAITING_RECEIPT),
                output_field=CharField(),
            ),
        )
        .order_by("withdrawn", F("due_on").asc(nulls_last=True), "pk")
    )


def with_proposers(assignments):
    """The proposal's proposers in signing order, for the inbox's proposer column (one query per page)."""
    return assignments.prefetch_related(
        Prefetch(
            "proposal__proposer_links",
            queryset=ProposalProposer.objects.select_related("proposer").order_by("position"),
        )
    )


def assignment_state(assignment):
    """The inbox state of an assignment annotated by `inbox_assignments`."""
    return assignment.inbox_state


@dataclass
class InboxRow:
    assignment: Assignment
    state: str
    days_left: int | None  # calendar days to the due date; negative when overdue; None when done

    @property
    def state_label(self):
        return InboxState.LABELS[self.state]

    @property
    def rehandling_reason(self):
        """The proposer's reason for 不满意 while the proposal is re-handled ("" if none given),
        None otherwise."""
        assignment = self.assignment
        if assignment.proposal.status != Proposal.Status.REHANDLING or assignment.unsatisfied_reason is None:
            return None
        return assignment.unsatisfied_reason

    @property
    def is_overdue(self):
        return self.days_left is not None and self.days_left < 0

    @property
    def days_overdue(self):
        return -self.days_left if self.is_overdue else 0


def inbox(department, today=None, assignments=None):
    """The inbox rows of a department (one query, see inbox_assignments), or of `assignments` (a
    filtered page of them)."""
    today = day_or_today(today)
    rows = []
    for assignment in inbox_assignments(department) if assignments is None else assignments:
        state = assignment_state(assignment)
        days_left = None
        if assignment.due_on and state not in InboxState.DONE:
            days_left = (assignment.due_on - today).days
        rows.append(InboxRow(assignment, state, days_left))
    return rows
