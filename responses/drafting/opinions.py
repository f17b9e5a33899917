"""Co-handling opinions (会办意见): written by a co-handling department, sent to the lead."""

from django.db import transaction
from django.utils.translation import gettext as _

from proposals.models import Assignment, Event
from proposals.notifications import notify

from ..models import CoHandlingOpinion
from .receipt import locked_assignment, require_handling
from .rules import Refused, day_or_today

# --- Co-handling opinions ----------------------------------------------------------------------


def current_opinion(assignment):
    """The opinion draft being written, or None (one query)."""
    return (
        assignment.opinions.filter(status=CoHandlingOpinion.Status.DRAFT)
        .order_by("-created_at", "-pk")
        .first()
    )


def save_opinion(assignment, *, text, user, submit=False, today=None):
    """Save the co-handling department's opinion draft; with submit=True send it to the lead
    department (status submitted, dated today) and tell the lead."""
    today = day_or_today(today)
    text = (text or "").strip()
    if not text:
        raise Refused(_("请填写会办意见。"), field="text")
    with transaction.atomic():
        assignment = locked_assignment(assignment)
        if assignment.role != Assignment.Role.CO_HANDLING:
            raise Refused(_("只有会办单位提交会办意见。"))
        require_handling(assignment)
        opinion = current_opinion(assignment) or CoHandlingOpinion(assignment=assignment)
        opinion.text = text
        opinion.author = user
        if submit:
            opinion.status = CoHandlingOpinion.Status.SUBMITTED
            opinion.submitted_on = today
        opinion.save()
        if submit:
            lead = [
                a.department
                for a in assignment.proposal.assignments.active().lead().select_related("department")
            ]
            event = assignment.proposal.record(
                Event.Kind.OPINION_SUBMITTED,
                actor=user,
                department=assignment.department,
                message=_("%(department)s送来会办意见。") % {"department": assignment.department},
            )
            notify(event, departments=lead, body=f"{event.message}\n\n{text}")
    return opinion


def submitted_opinions(proposal):
    """Co-handling opinions sent on this proposal, with their departments (one query)."""
    return (
        CoHandlingOpinion.objects.filter(
            assignment__proposal=proposal, status=CoHandlingOpinion.Status.SUBMITTED
        )
        .select_related("assignment__department")
        .order_by("assignment__position", "submitted_on", "pk")
    )
