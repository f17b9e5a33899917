"""Feedback on a reply (反馈) and what it sets off: re-handling (重新办理) or closing (办结).

A proposer rates each department's latest issued reply once, within the feedback window (15
working days after the reply is issued, DOMAIN.md step 7). 不满意 sends the proposal back to the
answering department with a new due date; when every proposer has rated every current reply and
none is 不满意, the proposal is closed. Views call `refusal()` to decide whether to show the form
and `record_feedback()` to save it; both the proposer's own form and the office's record of a
paper form go through `record_feedback()`.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from proposals.deadlines import CalendarNotCovered, DeadlineRules
from proposals.models import Assignment, DeadlineExtension, Event, Proposal, ProposalProposer
from proposals.notifications import notify
from tracker.chinese import format_day

from .models import Feedback, Response

REHANDLING_REASON = "重新办理"


def today():
    """Today in China. Every rule here asks this function, so tests can move the clock."""
    return timezone.localdate()


@dataclass(frozen=True)
class FeedbackWindow:
    """The last day of the feedback window; None when it cannot be computed (`problem` says why)."""

    deadline: datetime.date | None
    problem: str = ""

    def is_open(self, on):
        # An unknown deadline does not shut the proposer out: the reply's date is missing or the
        # holiday calendar does not reach that far, and the page says so instead of guessing.
        return self.deadline is None or on <= self.deadline


def feedback_window(reply):
    """The feedback window of an issued reply. No query."""
    if reply.issued_on is None:
        return FeedbackWindow(None, _("答复函未记录签发日期，反馈期限无法计算。"))
    try:
        return FeedbackWindow(DeadlineRules().feedback_deadline(reply.issued_on))
    except CalendarNotCovered as exc:
        return FeedbackWindow(None, str(exc))


def refusal_reason(reply, proposer, *, is_proposer, given, is_current, on):
    """Why `proposer` may not rate `reply` on day `on`, or "" when they may. No query: the caller
    says whether they are a proposer of it, passes their earlier feedback on it (or None), and
    whether the reply is its department's latest issued version."""
    if reply.status not in Response.Status.issued():
        return _("答复函签发后才能反馈。")
    if not is_proposer:
        return _("%(proposer)s不是本提案的提案者。") % {"proposer": proposer}
    if given is not None:
        return _("%(proposer)s已于%(date)s对本答复作出评价（%(rating)s），每份答复只能评价一次。") % {
            "proposer": proposer,
            "date": format_day(given.submitted_on),
            "rating": given.get_rating_display(),
        }
    if not is_current:
        return _("该单位已有更新的答复，请对最新的答复作出评价。")
    window = feedback_window(reply)
    if not window.is_open(on):
        return _("反馈期限已于%(deadline)s届满，不能再提交评价。如有意见，请与政协办公厅联系。") % {
            "deadline": format_day(window.deadline)
        }
    return ""


def refusal(reply, proposer, *, on=None):
    """Why `proposer` may not rate `reply` (on day `on`, default today), or "" (three queries)."""
    is_proposer = ProposalProposer.objects.filter(proposal_id=reply.proposal_id, proposer=proposer).exists()
    given = Feedback.objects.filter(response=reply, proposer=proposer).first()
    return refusal_reason(
        reply,
        proposer,
        is_proposer=is_proposer,
        given=given,
        is_current=reply.is_current,
        on=on or today(),
    )


def current_replies(proposal_id):
    """Each department's latest issued reply to the proposal: {department id: reply} (one query)."""
    return {
        reply.department_id: reply for reply in Response.objects.current().filter(proposal_id=proposal_id)
    }


@dataclass
class Outcome:
    feedback: Feedback
    status: str  # the proposal's status afterwards
    new_due_on: datetime.date | None = None  # set when re-handling started


def record_feedback(
    reply,
    proposer,
    *,
    rating,
    contacted,
    contact_method,
    comments="",
    actor=None,
    recorded_by=None,
    submitted_on=None,
    rehandling_months=1,
):
    """Save a proposer's feedback on a reply and move the proposal on, all or nothing.

    `actor` is the user who acts (the delegate, or the office clerk); `recorded_by` is set when the
    office types in a paper form, and `submitted_on` is then the date on the form (the window is
    checked against it). 不满意 starts re-handling: the answering department's assignment gets a
    new due date `rehandling_months` months from today, kept as a DeadlineExtension. Raises
    ValidationError (field errors keyed by the form's field names) and saves nothing when refused.
    Emails the department and the office once the transaction commits.
    """
    now = today()
    submitted_on = submitted_on or now
    if submitted_on > now:
        raise ValidationError({"submitted_on": _("反馈日期不能晚于今天。")})
    if reply.issued_on and submitted_on < reply.issued_on:
        raise ValidationError({"submitted_on": _("反馈日期不能早于答复签发日期。")})
    with transaction.atomic():
        # Lock the proposal: two proposers answering at once must not both miss the closing.
        proposal = Proposal.objects.select_for_update().get(pk=reply.proposal_id)
        reason = refusal(reply, proposer, on=submitted_on)
        if reason:
            raise ValidationError(reason)
        feedback = Feedback(
            response=reply,
            proposer=proposer,
            rating=rating,
            contacted=contacted,
            contact_method=contact_method,
            comments=comments.strip(),
            submitted_on=submitted_on,
            recorded_by=recorded_by,
        )
        # The constraints are checked above (once per proposer) and by the form (contact method).
        feedback.full_clean(validate_constraints=False)
        try:
            with transaction.atomic():
                feedback.save()
        except IntegrityError as exc:  # the same proposer in another tab, a moment earlier
            raise ValidationError(_("%(proposer)s已对本答复作出评价。") % {"proposer": proposer}) from exc

        department = reply.department
        received = proposal.record(
            Event.Kind.FEEDBACK_RECEIVED,
            actor=actor,
            department=department,
            # Public: the rating and comments stay out of the message (they are not published).
            message=_("%(proposer)s对%(department)s的答复作出评价。")
            % {
                "proposer": proposer,
                "department": department,
            },
            public=True,
        )
        body = _feedback_summary(feedback, reply)
        outcome = Outcome(feedback=feedback, status=proposal.status)
        already_rehandling = (
            Feedback.objects.filter(response=reply, rating=Feedback.Rating.UNSATISFIED)
            .exclude(pk=feedback.pk)
            .exists()
        )
        if rating == Feedback.Rating.UNSATISFIED and not already_rehandling:
            outcome.new_due_on, rehandling = _start_rehandling(
                proposal, reply, actor=actor, granted_by=recorded_by, months=rehandling_months, today=now
            )
            body += "\n\n" + _("提案转为重新办理，新的办理期限为%(date)s。") % {
                "date": format_day(outcome.new_due_on)
            }
            notify(
                rehandling,
                departments=[rehandling.department],
                office=True,
                body=body,
                link=reverse("workspace"),
            )
        else:
            if proposal.status in (Proposal.Status.REPLIED, Proposal.Status.FEEDBACK_RECEIVED):
                if _all_rated_without_unsatisfied(proposal):
                    proposal.move_to(
                        Proposal.Status.CLOSED,
                        actor=actor,
                        event=Event.Kind.CLOSED,
                        message=_("全部提案者均已反馈，没有不满意的评价，提案办结。"),
                        public=True,
                    )
                    body += "\n\n" + _("全部提案者均已反馈，提案办结。")
                else:
                    proposal.move_to(Proposal.Status.FEEDBACK_RECEIVED, actor=actor)
            notify(received, departments=[department], office=True, body=body, link=reverse("workspace"))
        outcome.status = proposal.status
    return outcome


def _feedback_summary(feedback, reply):
    lines = [
        _("%(proposer)s对%(department)s答复（第%(version)s次）的评价：%(rating)s。")
        % {
            "proposer": feedback.proposer,
            "department": reply.department,
            "version": reply.version,
            "rating": feedback.get_rating_display(),
        },
        _("办理前是否联系：%(answer)s（%(method)s）")
        % {
            "answer": _("是") if feedback.contacted else _("否"),
            "method": feedback.get_contact_method_display(),
        },
    ]
    if feedback.comments:
        lines.append(_("意见：%(comments)s") % {"comments": feedback.comments})
    if feedback.recorded_by_id:
        lines.append(_("（纸质反馈，由政协办公厅代为录入）"))
    return "\n".join(lines)


def _start_rehandling(proposal, reply, *, actor, granted_by, months, today):
    """Move the proposal to REHANDLING and give the answering department a new due date:
    `months` from today, or the standing due date when that is later (re-handling never shortens
    the time a department was given). Returns (due date, the REHANDLING event)."""
    new_due_on = DeadlineRules(reply_months=months).reply_due(today)
    assignments = Assignment.objects.active().filter(proposal=proposal)
    assignment = (
        assignments.filter(department_id=reply.department_id, role__in=Assignment.Role.answering()).first()
        or assignments.lead().first()
    )
    if assignment is not None and assignment.due_on and assignment.due_on >= new_due_on:
        new_due_on = assignment.due_on
    elif assignment is not None:
        DeadlineExtension.objects.create(
            assignment=assignment,
            previous_due_on=assignment.due_on,
            new_due_on=new_due_on,
            reason=REHANDLING_REASON,
            granted_by=granted_by,
        )
        assignment.due_on = new_due_on
        assignment.save(update_fields=["due_on"])
    department = assignment.department if assignment is not None else reply.department
    event = proposal.move_to(
        Proposal.Status.REHANDLING,
        actor=actor,
        event=Event.Kind.REHANDLING,
        department=department,
        message=_("提案者对答复不满意，由%(department)s重新办理，办理期限为%(date)s。")
        % {"department": department, "date": format_day(new_due_on)},
        public=True,
    )
    return new_due_on, event


def _all_rated_without_unsatisfied(proposal):
    """Every proposer has rated every answering department's latest reply, and none 不满意."""
    latest = current_replies(proposal.pk)
    answering = set(
        Assignment.objects.active()
        .filter(proposal=proposal, role__in=Assignment.Role.answering())
        .values_list("department_id", flat=True)
    ) or set(latest)
    if not answering or not answering <= set(latest):
        return False
    replies = [latest[department_id] for department_id in answering]
    proposer_ids = set(proposal.proposer_links.values_list("proposer_id", flat=True))
    rated = Feedback.objects.filter(response__in=replies).values_list("response_id", "proposer_id", "rating")
    if any(rating == Feedback.Rating.UNSATISFIED for _reply, _proposer, rating in rated):
        return False
    pairs = {(reply_id, proposer_id) for reply_id, proposer_id, _rating in rated}
    return all((reply.pk, proposer_id) in pairs for reply in replies for proposer_id in proposer_ids)
