"""Receiving (签收) and returning (退回) an assignment."""

from django.db import transaction
from django.utils.translation import gettext as _

from proposals.deadlines import CalendarNotCovered, DeadlineRules
from proposals.models import Assignment, Event, Proposal
from proposals.notifications import notify
from tracker.chinese import format_day

from ..models import Response
from .rules import REPLIED_STATES, Refused, day_or_today

# --- Receipt and return ------------------------------------------------------------------------


def locked_assignment(assignment):
    return (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("proposal__session__committee", "department", "assigned_by")
        .get(pk=assignment.pk)
    )


def receive(assignment, *, user, today=None):
    """签收: the department acknowledges the assignment. The first receipt on a proposal moves it
    from assigned to in handling. Tells the office."""
    today = day_or_today(today)
    with transaction.atomic():
        assignment = locked_assignment(assignment)
        if not assignment.is_standing:
            raise Refused(_("本单位已退回此交办，不能再签收。"))
        if assignment.received_on:
            raise Refused(
                _("已于%(date)s签收，无需重复签收。") % {"date": format_day(assignment.received_on)}
            )
        assignment.received_on = today
        assignment.save(update_fields=["received_on"])
        proposal = Proposal.objects.select_for_update(of=("self",)).get(pk=assignment.proposal_id)
        if proposal.status == Proposal.Status.ASSIGNED:
            proposal.move_to(Proposal.Status.IN_HANDLING, actor=user)
        event = proposal.record(
            Event.Kind.RECEIVED,
            actor=user,
            department=assignment.department,
            message=_("%(department)s已签收（%(role)s）。")
            % {"department": assignment.department, "role": assignment.get_role_display()},
        )
        notify(event, office=True)
    return assignment


def objection_deadline(assignment):
    """The last day the department may return the assignment, or None when the assignment date is
    not recorded. Raises CalendarNotCovered outside the holiday calendar. Uses the proposal's
    committee (select_related proposal__session__committee)."""
    if assignment.assigned_on is None:
        return None
    committee = assignment.proposal.session.committee
    rules = DeadlineRules(objection_working_days=committee.objection_working_days)
    return rules.objection_deadline(assignment.assigned_on)


def return_refusal(assignment, today=None):
    """Why the assignment cannot be returned today, or None when it can. Runs a query for replies."""
    today = day_or_today(today)
    if assignment.returned_on:
        return _("已于%(date)s退回。") % {"date": format_day(assignment.returned_on)}
    if Response.objects.filter(
        proposal_id=assignment.proposal_id, department_id=assignment.department_id, status__in=REPLIED_STATES
    ).exists():
        return _("本单位已答复此提案，不能退回。")
    try:
        deadline = objection_deadline(assignment)
    except CalendarNotCovered as error:
        return str(error)
    if deadline is None:
        return _("交办日期未登记，无法确定交办异议期，请与政协办公厅联系。")
    if today > deadline:
        return _(
            "交办异议期已于%(date)s届满（交办后%(days)s个工作日内），不能再退回。"
            "如确有异议，请与政协办公厅联系。"
        ) % {
            "date": format_day(deadline),
            "days": assignment.proposal.session.committee.objection_working_days,
        }
    return None


def return_assignment(assignment, *, reason, user, today=None):
    """退回: within the objection window, the department hands the assignment back with its reasons.
    The office is told and decides (reassign or keep)."""
    today = day_or_today(today)
    reason = (reason or "").strip()
    if not reason:
        raise Refused(_("退回须说明理由。"), field="reason")
    with transaction.atomic():
        assignment = locked_assignment(assignment)
        refusal = return_refusal(assignment, today)
        if refusal:
            raise Refused(refusal)
        assignment.returned_on = today
        assignment.return_reason = reason
        assignment.save(update_fields=["returned_on", "return_reason"])
        event = assignment.proposal.record(
            Event.Kind.RETURNED,
            actor=user,
            department=assignment.department,
            message=_("%(department)s退回交办（%(role)s），理由：%(reason)s")
            % {"department": assignment.department, "role": assignment.get_role_display(), "reason": reason},
        )
        notify(event, office=True)
    return assignment


def require_handling(assignment):
    if not assignment.is_standing:
        raise Refused(_("本单位已退回此交办。"))
    if not assignment.received_on:
        raise Refused(_("请先签收此交办。"))
