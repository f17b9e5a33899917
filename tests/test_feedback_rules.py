"""The feedback rules (responses/feedback.py): window, once per proposer, re-handling and closing."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from factories import make_assignment, make_department, make_proposal, make_proposer, make_response

from proposals.models import Assignment, DeadlineExtension, Event, Proposal
from responses import feedback as rules
from responses.models import Feedback, Response

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 6, 10)


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    monkeypatch.setattr(rules, "today", lambda: TODAY)


def replied_proposal(proposers, *departments, role=Assignment.Role.LEAD):
    proposal = make_proposal(proposers=proposers, status=Proposal.Status.REPLIED, is_published=False)
    for department in departments:
        make_assignment(proposal, department, role=role, due_on=datetime.date(2025, 6, 30))
    return proposal


def issue(proposal, department, *, version=1, issued_on=datetime.date(2025, 6, 3)):
    return make_response(
        proposal, department, version=version, status=Response.Status.ISSUED, issued_on=issued_on
    )


def rate(reply, proposer, rating="satisfied", **fields):
    answers = {"contacted": False, "contact_method": "none", "comments": "理由", **fields}
    return rules.record_feedback(reply, proposer, rating=rating, **answers)


class TestWindow:
    def test_it_ends_fifteen_working_days_after_the_reply(self):
        reply = Response(issued_on=datetime.date(2025, 6, 3), status=Response.Status.ISSUED)
        window = rules.feedback_window(reply)
        assert window.deadline == datetime.date(2025, 6, 24)
        assert window.is_open(datetime.date(2025, 6, 24)) and not window.is_open(datetime.date(2025, 6, 25))

    def test_it_says_why_when_the_calendar_does_not_reach_the_deadline(self):
        window = rules.feedback_window(Response(issued_on=datetime.date(2026, 12, 25)))
        assert window.deadline is None
        assert "节假日日历未覆盖" in window.problem
        assert window.is_open(datetime.date(2027, 6, 1))  # the proposer is not shut out by our calendar

    def test_a_reply_without_an_issue_date_has_no_known_deadline(self):
        window = rules.feedback_window(Response(issued_on=None))
        assert window.deadline is None and "未记录签发日期" in window.problem


class TestRecordFeedback:
    def test_a_draft_reply_cannot_be_rated(self):
        proposer = make_proposer()
        department = make_department()
        proposal = replied_proposal([proposer], department)
        draft = make_response(proposal, department, status=Response.Status.DRAFT)
        with pytest.raises(ValidationError, match="答复函签发后才能反馈"):
            rate(draft, proposer)
        assert not Feedback.objects.exists()

    def test_someone_who_is_not_a_proposer_cannot_rate(self):
        department = make_department()
        proposal = replied_proposal([make_proposer("甲")], department)
        with pytest.raises(ValidationError, match="不是本提案的提案者"):
            rate(issue(proposal, department), make_proposer("乙"))

    def test_inconsistent_contact_answers_are_refused_by_field(self):
        proposer = make_proposer()
        department = make_department()
        reply = issue(replied_proposal([proposer], department), department)
        with pytest.raises(ValidationError) as refused:
            rate(reply, proposer, contacted=True, contact_method="none")
        assert "contact_method" in refused.value.message_dict
        assert not Feedback.objects.exists()

    def test_each_proposer_is_counted_before_closing(self):
        first, second = make_proposer("甲"), make_proposer("乙")
        department = make_department()
        proposal = replied_proposal([first, second], department)
        reply = issue(proposal, department)
        assert rate(reply, first).status == Proposal.Status.FEEDBACK_RECEIVED
        outcome = rate(reply, second, "basically")
        assert outcome.status == Proposal.Status.CLOSED
        proposal.refresh_from_db()
        assert proposal.status == Proposal.Status.CLOSED
        assert proposal.events.filter(kind=Event.Kind.CLOSED, is_public=True).count() == 1

    def test_separate_handling_closes_once_every_department_has_been_rated(self):
        proposer = make_proposer()
        one, two = make_department(), make_department()
        proposal = replied_proposal([proposer], one, two, role=Assignment.Role.SEPARATE)
        assert rate(issue(proposal, one), proposer).status == Proposal.Status.FEEDBACK_RECEIVED
        proposal.refresh_from_db()
        proposal.status = Proposal.Status.REPLIED  # the second department's reply is issued
        proposal.save()
        assert rate(issue(proposal, two), proposer).status == Proposal.Status.CLOSED

    def test_a_second_unsatisfied_rating_does_not_move_the_due_date_again(self):
        first, second = make_proposer("甲"), make_proposer("乙")
        department = make_department()
        proposal = replied_proposal([first, second], department)
        reply = issue(proposal, department)
        assert rate(reply, first, "unsatisfied").new_due_on == datetime.date(2025, 7, 10)
        assert rate(reply, second, "unsatisfied").new_due_on is None
        assert DeadlineExtension.objects.count() == 1
        assert proposal.events.filter(kind=Event.Kind.REHANDLING).count() == 1

    def test_a_satisfied_co_signer_does_not_end_rehandling(self):
        first, second = make_proposer("甲"), make_proposer("乙")
        department = make_department()
        proposal = replied_proposal([first, second], department)
        reply = issue(proposal, department)
        rate(reply, first, "unsatisfied")
        assert rate(reply, second, "satisfied").status == Proposal.Status.REHANDLING

    def test_rehandling_length_is_a_keyword(self):
        proposer = make_proposer()
        department = make_department()
        proposal = replied_proposal([proposer], department)
        outcome = rate(issue(proposal, department), proposer, "unsatisfied", rehandling_months=2)
        assert outcome.new_due_on == datetime.date(2025, 8, 10)
        assert Assignment.objects.get(proposal=proposal).due_on == datetime.date(2025, 8, 10)

    def test_rehandling_never_shortens_the_time_already_given(self):
        proposer = make_proposer()
        department = make_department()
        proposal = replied_proposal([proposer], department)
        Assignment.objects.filter(proposal=proposal).update(due_on=datetime.date(2025, 9, 1))
        outcome = rate(issue(proposal, department), proposer, "unsatisfied")
        assert outcome.new_due_on == datetime.date(2025, 9, 1)
        assert Assignment.objects.get(proposal=proposal).due_on == datetime.date(2025, 9, 1)
        assert not DeadlineExtension.objects.exists()
        assert proposal.events.get(kind=Event.Kind.REHANDLING).message.endswith("2025年9月1日。")

    def test_the_new_reply_is_rated_and_the_old_one_is_kept(self):
        proposer = make_proposer()
        department = make_department()
        proposal = replied_proposal([proposer], department)
        first = issue(proposal, department)
        rate(first, proposer, "unsatisfied")
        # The department issues a second reply; its workspace moves the proposal back to REPLIED.
        second = issue(proposal, department, version=2, issued_on=TODAY)
        Proposal.objects.filter(pk=proposal.pk).update(status=Proposal.Status.REPLIED)
        assert rules.refusal(first, proposer) != ""
        assert rate(second, proposer, "satisfied").status == Proposal.Status.CLOSED
        assert list(
            Response.objects.filter(proposal=proposal).order_by("version").values_list("version", flat=True)
        ) == [
            1,
            2,
        ]
        assert list(Feedback.objects.order_by("pk").values_list("rating", flat=True)) == [
            "unsatisfied",
            "satisfied",
        ]

    def test_without_an_assignment_rehandling_still_starts(self):
        proposer = make_proposer()
        department = make_department()
        proposal = replied_proposal([proposer])
        outcome = rate(issue(proposal, department), proposer, "unsatisfied")
        assert outcome.status == Proposal.Status.REHANDLING
        assert not DeadlineExtension.objects.exists()
