"""The assignment page, receipt (签收) and return (退回) within the objection window."""

import datetime
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone
from test_department_support import ASSIGNED_ON, make_case

from proposals.models import Assignment, Event, Proposal
from responses import drafting

pytestmark = pytest.mark.django_db

# Five working days after Monday 2 March 2026: Monday 9 March is the last day to return.
LAST_DAY = datetime.date(2026, 3, 9)


def on(day):
    """Freeze "today" for the views."""
    return mock.patch("django.utils.timezone.localdate", return_value=day)


def page_of(client, assignment):
    return client.get(reverse("department:assignment", args=[assignment.pk])).content.decode()


class TestAssignmentPage:
    def test_the_assigned_department_sees_the_proposal_its_role_and_the_other_departments(
        self, personas, client_for
    ):
        case = make_case()
        page = page_of(client_for("lead"), case.lead)
        assert case.proposal.title in page and "建议加快氢能产业布局。" in page
        assert "<strong>主办</strong>" in page
        assert "自治区发展改革委" in page and "会办" in page
        assert case.lead.due_on.strftime("%Y年%-m月%-d日") in page

    def test_the_assigned_department_gets_the_proposers_contact_details(self, personas, client_for):
        case = make_case()
        for persona, assignment in (("lead", case.lead), ("co", case.co)):
            page = page_of(client_for(persona), assignment)
            assert "13800001234" in page and "jql@example.org" in page

    def test_a_department_that_returned_the_assignment_no_longer_sees_them(self, personas, client_for):
        case = make_case()
        Assignment.objects.filter(pk=case.lead.pk).update(
            returned_on=ASSIGNED_ON, return_reason="不属于本单位职责"
        )
        page = page_of(client_for("lead"), case.lead)
        assert "13800001234" not in page and "jql@example.org" not in page
        assert "不属于本单位职责" in page

    def test_the_lead_is_offered_the_draft_the_co_handler_the_opinion(self, personas, client_for):
        case = make_case()
        assert "起草答复" in page_of(client_for("lead"), case.lead)
        co_page = page_of(client_for("co"), case.co)
        assert "撰写会办意见" in co_page and "起草答复" not in co_page


class TestReceipt:
    def test_first_receipt_moves_the_proposal_into_handling_and_tells_the_office(
        self, personas, client_for, mailoutbox, django_capture_on_commit_callbacks
    ):
        case = make_case(received=False)
        with django_capture_on_commit_callbacks(execute=True):
            response = client_for("lead").post(reverse("department:receive", args=[case.lead.pk]))
        assert response["Location"] == reverse("department:assignment", args=[case.lead.pk])
        case.lead.refresh_from_db()
        case.proposal.refresh_from_db()
        assert case.lead.received_on == timezone.localdate()
        assert case.proposal.status == Proposal.Status.IN_HANDLING
        event = case.proposal.events.get(kind=Event.Kind.RECEIVED)
        assert event.department == case.lead.department
        assert [mail.to for mail in mailoutbox] == [["office@example.org"]]

    def test_receipt_is_dated_today(self, personas):
        case = make_case(received=False)
        drafting.receive(case.co, user=personas["co"], today=datetime.date(2026, 3, 3))
        case.co.refresh_from_db()
        assert case.co.received_on == datetime.date(2026, 3, 3)

    def test_a_second_receipt_is_refused_and_records_nothing(self, personas, client_for):
        case = make_case(received=False)
        client = client_for("lead")
        client.post(reverse("department:receive", args=[case.lead.pk]))
        page = client.post(reverse("department:receive", args=[case.lead.pk]), follow=True).content.decode()
        assert "无需重复签收" in page
        assert case.proposal.events.filter(kind=Event.Kind.RECEIVED).count() == 1

    def test_the_second_department_receiving_leaves_the_state_alone(self, personas):
        case = make_case(received=False)
        drafting.receive(case.lead, user=personas["lead"])
        Proposal.objects.filter(pk=case.proposal.pk).update(status=Proposal.Status.REPLIED)
        drafting.receive(case.co, user=personas["co"])
        case.proposal.refresh_from_db()
        assert case.proposal.status == Proposal.Status.REPLIED


class TestReturn:
    def test_within_the_window_the_department_returns_with_its_reason(
        self, personas, mailoutbox, django_capture_on_commit_callbacks
    ):
        case = make_case()
        with django_capture_on_commit_callbacks(execute=True):
            drafting.return_assignment(case.co, reason="应由工信厅会办", user=personas["co"], today=LAST_DAY)
        case.co.refresh_from_db()
        assert (case.co.returned_on, case.co.return_reason) == (LAST_DAY, "应由工信厅会办")
        event = case.proposal.events.get(kind=Event.Kind.RETURNED)
        assert "应由工信厅会办" in event.message and not event.is_public
        assert [mail.to for mail in mailoutbox] == [["office@example.org"]]

    def test_after_the_window_it_is_refused_with_the_date_it_closed(self, personas):
        case = make_case()
        with pytest.raises(drafting.Refused) as refused:
            drafting.return_assignment(
                case.co,
                reason="应由工信厅会办",
                user=personas["co"],
                today=LAST_DAY + datetime.timedelta(days=1),
            )
        assert "交办异议期已于2026年3月9日届满" in refused.value.message
        case.co.refresh_from_db()
        assert case.co.returned_on is None

    def test_the_return_page_within_the_window(self, personas, client_for):
        case = make_case()
        client = client_for("lead")
        with on(datetime.date(2026, 3, 4)):
            page = client.get(reverse("department:return", args=[case.lead.pk])).content.decode()
            assert "交办异议期至2026年3月9日" in page
            response = client.post(reverse("department:return", args=[case.lead.pk]), {"reason": "职责不符"})
        assert response.status_code == 302
        case.lead.refresh_from_db()
        assert case.lead.returned_on == datetime.date(2026, 3, 4)

    def test_the_return_page_after_the_window_says_so_and_saves_nothing(self, personas, client_for):
        case = make_case()
        with on(datetime.date(2026, 3, 10)):
            response = client_for("lead").post(
                reverse("department:return", args=[case.lead.pk]), {"reason": "职责不符"}
            )
        assert response.status_code == 200
        assert "不能再退回" in response.content.decode()
        case.lead.refresh_from_db()
        assert case.lead.returned_on is None

    def test_a_reason_is_required(self, personas, client_for):
        case = make_case()
        with on(datetime.date(2026, 3, 4)):
            page = client_for("lead").post(
                reverse("department:return", args=[case.lead.pk]), {"reason": "  "}
            )
        assert "退回须说明理由。" in page.content.decode()
        case.lead.refresh_from_db()
        assert case.lead.returned_on is None

    def test_an_assignment_without_a_date_cannot_be_returned_here(self, personas):
        case = make_case()
        Assignment.objects.filter(pk=case.lead.pk).update(assigned_on=None, due_on=None)
        case.lead.refresh_from_db()
        assert "交办日期未登记" in drafting.return_refusal(case.lead, ASSIGNED_ON)

    def test_a_department_that_has_replied_cannot_return(self, personas):
        from test_department_support import complete, make_draft

        case = make_case()
        reply = drafting.submit_reply(complete(make_draft(case, personas["lead"])), user=personas["lead"])
        drafting.issue_reply(reply, user=personas["lead"], today=ASSIGNED_ON)
        assert drafting.return_refusal(case.lead, ASSIGNED_ON) == "本单位已答复此提案，不能退回。"

    def test_a_returned_assignment_is_neither_returned_nor_received_again(self, personas):
        case = make_case(received=False)
        drafting.return_assignment(case.co, reason="不属于本单位", user=personas["co"], today=ASSIGNED_ON)
        with pytest.raises(drafting.Refused, match="已于2026年3月2日退回"):
            drafting.return_assignment(case.co, reason="再退", user=personas["co"], today=ASSIGNED_ON)
        with pytest.raises(drafting.Refused, match="不能再签收"):
            drafting.receive(case.co, user=personas["co"], today=ASSIGNED_ON)

    def test_when_the_office_keeps_a_returned_assignment_the_department_handles_it(
        self, personas, client_for
    ):
        case = make_case(received=False)
        drafting.return_assignment(case.lead, reason="职责不符", user=personas["lead"], today=ASSIGNED_ON)
        Assignment.objects.filter(pk=case.lead.pk).update(
            objection_decision=Assignment.ObjectionDecision.KEPT, objection_note="属于科技厅职责"
        )
        case.lead.refresh_from_db()
        drafting.receive(case.lead, user=personas["lead"], today=ASSIGNED_ON)
        page = page_of(client_for("lead"), case.lead)
        assert "属于科技厅职责" in page and "13800001234" in page and "起草答复" in page
        (row,) = [
            r for r in drafting.inbox(case.lead.department, ASSIGNED_ON) if r.assignment.pk == case.lead.pk
        ]
        assert row.state == drafting.InboxState.RECEIVED
