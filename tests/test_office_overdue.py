"""Deadlines: extending a due date, the overdue board (过期与临期), and chasing (催办)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from proposals.models import Assignment, Chase, DeadlineExtension, Department, Event, Proposal
from responses.models import CoHandlingOpinion, Response
from tests.factories import make_assignment, make_department, make_proposal

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


@pytest.fixture
def proposal(personas, seed_letter):
    """The seed proposal, assigned 100 days ago, its reply still a draft: the lead 自治区科技厅 is 10
    days overdue."""
    Response.objects.filter(pk=seed_letter.pk).update(status=Response.Status.DRAFT)
    proposal = seed_letter.proposal
    proposal.status = Proposal.Status.IN_HANDLING
    proposal.save()
    proposal.assignments.update(assigned_on=TODAY - 100 * DAY, due_on=TODAY + 60 * DAY)
    proposal.assignments.filter(role=Assignment.Role.LEAD).update(due_on=TODAY - 10 * DAY)
    return proposal


@pytest.fixture
def lead(proposal):
    return proposal.assignments.get(role=Assignment.Role.LEAD)


# Extending ------------------------------------------------------------------------------------


def test_extending_keeps_the_previous_date_and_tells_the_department(
    office, lead, django_capture_on_commit_callbacks, mailoutbox, personas
):
    new_due = TODAY + 30 * DAY
    with django_capture_on_commit_callbacks(execute=True):
        response = office.post(
            reverse("office:extend", args=[lead.pk]),
            {"new_due_on": f"{new_due:%Y-%m-%d}", "reason": "需省级统筹"},
        )
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.due_on == new_due
    extension = DeadlineExtension.objects.get(assignment=lead)
    assert (extension.previous_due_on, extension.new_due_on) == (TODAY - 10 * DAY, new_due)
    assert extension.reason == "需省级统筹" and extension.granted_by == personas["office"]
    assert "需省级统筹" in lead.proposal.events.get(kind=Event.Kind.DEADLINE_EXTENDED).message
    assert [m.to for m in mailoutbox] == [["keji@example.org"]]


def test_an_extension_needs_a_reason(office, lead):
    response = office.post(
        reverse("office:extend", args=[lead.pk]), {"new_due_on": f"{TODAY + 30 * DAY:%Y-%m-%d}"}
    )
    assert response.context["form"].errors["reason"] == ["延期须说明理由。"]
    assert not DeadlineExtension.objects.exists()


def test_an_extension_must_move_the_date_later(office, lead):
    earlier = TODAY - 20 * DAY
    response = office.post(
        reverse("office:extend", args=[lead.pk]), {"new_due_on": f"{earlier:%Y-%m-%d}", "reason": "x"}
    )
    assert response.context["form"].errors["new_due_on"] == ["新期限须晚于原期限。"]
    lead.refresh_from_db()
    assert lead.due_on == TODAY - 10 * DAY


# The board ------------------------------------------------------------------------------------


def board(office, **params):
    response = office.get(reverse("office:overdue"), params)
    assert response.status_code == 200
    return response


def test_the_board_lists_overdue_and_soon_due_work_by_department(office, proposal, lead):
    proposal.assignments.filter(department__name="自治区财政厅").update(due_on=TODAY + 3 * DAY)
    response = board(office)
    rows = {row.department.name: row for row in response.context["rows"]}
    assert set(rows) == {"自治区科技厅", "自治区财政厅"}
    assert rows["自治区科技厅"].days_overdue == 10
    page = response.content.decode()
    assert "逾期10天" in page and "还剩3天" in page
    assert page.count('class="mb-4 overdue-department"') == 2


def test_within_widens_the_window(office, proposal):
    assert len(board(office).context["rows"]) == 1
    assert len(board(office, within=60).context["rows"]) == 4


def test_returned_work_leaves_the_board_unless_the_objection_was_kept(office, lead):
    lead.returned_on, lead.return_reason = TODAY - 95 * DAY, "不属于本单位职责"
    lead.save()
    assert board(office).context["rows"] == []
    lead.objection_decision, lead.objection_note = Assignment.ObjectionDecision.KEPT, "属贵单位职责"
    lead.save()
    assert [row.pk for row in board(office).context["rows"]] == [lead.pk]


def test_a_co_handler_leaves_the_board_once_its_opinion_is_submitted(office, proposal):
    co = proposal.assignments.get(department__name="自治区发展改革委")
    co.due_on = TODAY - DAY
    co.save()
    assert co.pk in [row.pk for row in board(office).context["rows"]]
    CoHandlingOpinion.objects.create(
        assignment=co, text="意见", status=CoHandlingOpinion.Status.SUBMITTED, submitted_on=TODAY
    )
    assert co.pk not in [row.pk for row in board(office).context["rows"]]


def test_an_answered_proposal_leaves_the_board(office, proposal, seed_letter):
    Response.objects.filter(pk=seed_letter.pk).update(status=Response.Status.ISSUED)
    proposal.status = Proposal.Status.REPLIED
    proposal.save()
    assert board(office, within=60).context["rows"] == []


def test_the_board_shows_the_last_chase(office, lead, personas):
    Chase.objects.create(assignment=lead, chased_by=personas["office"], note="第一次")
    response = board(office)
    assert response.context["rows"][0].last_chased_by == "office"
    assert response.context["rows"][0].last_chased_at is not None


def test_the_board_runs_a_fixed_number_of_queries(office, personas, django_assert_num_queries):
    department = Department.objects.get(name="自治区教育厅")

    def add_rows(count):
        for _ in range(count):
            proposal = make_proposal(status=Proposal.Status.ASSIGNED, is_published=False)
            assignment = make_assignment(
                proposal, department, assigned_on=TODAY - 90 * DAY, due_on=TODAY - DAY
            )
            Chase.objects.create(assignment=assignment, chased_by=personas["office"])
            make_assignment(proposal, make_department(), role=Assignment.Role.CO_HANDLING, due_on=TODAY)

    url = reverse("office:overdue")
    add_rows(1)
    # session, user, profile, the board (assignments + proposal + department + last chase subqueries),
    # late 回头看 tasks (+ round and unit)
    with django_assert_num_queries(5):
        assert len(office.get(url).context["rows"]) == 2
    add_rows(14)
    with django_assert_num_queries(5):
        assert len(office.get(url).context["rows"]) == 30


# Chasing --------------------------------------------------------------------------------------


def test_chasing_records_who_chased_whom_and_emails_the_department(
    office, lead, personas, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        response = office.post(
            reverse("office:chase", args=[lead.pk]),
            {"note": "请本周内答复", "next": "/office/overdue/?within=30"},
        )
    assert response.status_code == 302 and response["Location"] == "/office/overdue/?within=30"
    chase = Chase.objects.get(assignment=lead)
    assert chase.chased_by == personas["office"] and chase.note == "请本周内答复"
    event = lead.proposal.events.get(kind=Event.Kind.CHASED)
    assert event.department == lead.department and "请本周内答复" in event.message
    assert [m.to for m in mailoutbox] == [["keji@example.org"]]
    assert "催办" in mailoutbox[0].subject and "请本周内答复" in mailoutbox[0].body


def test_chasing_ignores_an_unsafe_next(office, lead, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = office.post(reverse("office:chase", args=[lead.pk]), {"next": "https://example.com/"})
    assert response["Location"] == reverse("office:overdue")


def test_chasing_is_post_only(office, lead):
    assert office.get(reverse("office:chase", args=[lead.pk])).status_code == 405
    assert not Chase.objects.exists()


def test_a_returned_assignment_is_not_chased(office, lead, django_capture_on_commit_callbacks, mailoutbox):
    lead.returned_on, lead.return_reason = TODAY, "不属于本单位职责"
    lead.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = office.post(reverse("office:chase", args=[lead.pk]), follow=True)
    assert "该单位已退回交办，请先处理交办异议。" in response.content.decode()
    assert not Chase.objects.exists() and mailoutbox == []
