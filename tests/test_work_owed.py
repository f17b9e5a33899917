""" "Work still owed by an assignment" is one rule (responses.overdue.owes_work): the office's overdue
board, the dashboard's counts and the reminder emails name the same assignments, case by case."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from proposals.models import Assignment, DeadlineExtension, Proposal
from responses import reminders
from responses.models import CoHandlingOpinion, Feedback, Response
from tests.factories import make_assignment, make_proposal, make_proposer, make_response

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)
LATE = TODAY - 5 * DAY  # past due, so every case is on the board and reminded when owed


def assigned(
    role=Assignment.Role.LEAD, status=Proposal.Status.IN_HANDLING, proposal=None, due_on=LATE, **fields
):
    proposal = proposal or make_proposal(status=status, is_published=False)
    return make_assignment(proposal, role=role, assigned_on=TODAY - 100 * DAY, due_on=due_on, **fields)


def reply(assignment, version=1, rating=None):
    response = make_response(
        assignment.proposal,
        assignment.department,
        version=version,
        status=Response.Status.ISSUED,
        issued_on=TODAY - 10 * DAY,
    )
    if rating:
        Feedback.objects.create(response=response, proposer=make_proposer(), rating=rating, comments="意见")
    return response


def opinion(assignment):
    CoHandlingOpinion.objects.create(
        assignment=assignment, text="会办意见", status=CoHandlingOpinion.Status.SUBMITTED, submitted_on=TODAY
    )


@pytest.fixture
def cases(personas):
    """{case: (assignment, owes work?)}"""
    cases = {}

    lead = assigned(status=Proposal.Status.REPLIED)
    reply(lead)
    cases["lead replied"] = (lead, False)

    lead = assigned(status=Proposal.Status.REHANDLING)
    reply(lead, rating=Feedback.Rating.UNSATISFIED)
    cases["lead re-handling after 不满意"] = (lead, True)

    lead = assigned(status=Proposal.Status.REPLIED)
    reply(lead, rating=Feedback.Rating.UNSATISFIED)
    reply(lead, version=2)
    cases["lead re-handled and replied again"] = (lead, False)

    lead = assigned()
    cases["lead not yet replied"] = (lead, True)

    # Two separate handlers; the second's reply was refused, so the proposal is re-handled.
    proposal = make_proposal(status=Proposal.Status.REHANDLING, is_published=False)
    done = assigned(Assignment.Role.SEPARATE, proposal=proposal)
    reply(done, rating=Feedback.Rating.SATISFIED)
    refused = assigned(Assignment.Role.SEPARATE, proposal=proposal)
    reply(refused, rating=Feedback.Rating.UNSATISFIED)
    cases["separate handler replied, another re-handles"] = (done, False)
    cases["separate handler re-handling"] = (refused, True)

    proposal = make_proposal(status=Proposal.Status.IN_HANDLING, is_published=False)
    separate = assigned(Assignment.Role.SEPARATE, proposal=proposal)
    reply(separate)
    cases["separate handler replied, another has not"] = (separate, False)
    cases["separate handler not yet replied"] = (assigned(Assignment.Role.SEPARATE, proposal=proposal), True)

    proposal = make_proposal(status=Proposal.Status.IN_HANDLING, is_published=False)
    assigned(proposal=proposal, due_on=TODAY + 60 * DAY)
    with_opinion = assigned(Assignment.Role.CO_HANDLING, proposal=proposal)
    opinion(with_opinion)
    cases["co-handler with its opinion sent"] = (with_opinion, False)
    cases["co-handler without opinion"] = (assigned(Assignment.Role.CO_HANDLING, proposal=proposal), True)

    proposal = make_proposal(status=Proposal.Status.REHANDLING, is_published=False)
    lead = assigned(proposal=proposal, due_on=TODAY + 60 * DAY)
    reply(lead, rating=Feedback.Rating.UNSATISFIED)
    cases["co-handler without opinion once the lead replied"] = (
        assigned(Assignment.Role.CO_HANDLING, proposal=proposal),
        False,
    )

    returned = assigned(returned_on=TODAY - 90 * DAY, return_reason="不属于本单位职责")
    cases["returned, awaiting the office"] = (returned, False)
    kept = assigned(
        returned_on=TODAY - 90 * DAY,
        return_reason="不属于本单位职责",
        objection_decision=Assignment.ObjectionDecision.KEPT,
        objection_note="属贵单位职责",
    )
    cases["returned and kept"] = (kept, True)

    extended = assigned(due_on=TODAY + 30 * DAY)
    DeadlineExtension.objects.create(
        assignment=extended, previous_due_on=LATE, new_due_on=TODAY + 30 * DAY, reason="需统筹"
    )
    cases["extended beyond the board's window"] = (extended, False)

    cases["closed proposal"] = (assigned(status=Proposal.Status.CLOSED), False)
    return cases


def test_the_board_the_dashboard_and_the_reminders_agree(cases, office):
    owed = {assignment.pk for assignment, owes in cases.values() if owes}

    board = {row.pk for row in office.get(reverse("office:overdue")).context["rows"]}
    dashboard = office.get(reverse("office:dashboard")).context["board"]
    reminded = {assignment.pk for assignment in reminders.waiting_assignments(TODAY)}

    names = {assignment.pk: name for name, (assignment, _owes) in cases.items()}
    assert sorted(names[pk] for pk in board) == sorted(names[pk] for pk in owed)
    assert reminded == board
    assert dashboard == {"overdue": len(owed), "due_soon": 0}


def test_an_extension_brings_the_work_back_when_its_new_date_nears(cases, office):
    extended, _owes = cases["extended beyond the board's window"]
    board = {row.pk for row in office.get(reverse("office:overdue"), {"within": 30}).context["rows"]}
    assert extended.pk in board
    # The reminders look DUE_SOON_DAYS ahead: seven days before the new date it is due soon.
    soon = extended.due_on - datetime.timedelta(days=reminders.DUE_SOON_DAYS)
    assert extended.pk in {a.pk for a in reminders.waiting_assignments(soon)}
    assert extended.pk not in {a.pk for a in reminders.waiting_assignments(soon - DAY)}


def test_a_department_is_not_chased_for_a_reply_it_has_issued(cases, office):
    assignment, _owes = cases["lead replied"]
    page = office.get(reverse("office:overdue"), {"within": 366}).content.decode()
    assert f'id="board-{assignment.pk}"' not in page
