"""The department's inbox: its own assignments, role, due date, days left, state."""

import datetime

import pytest
from django.urls import reverse
from test_department_support import ASSIGNED_ON, complete, make_case, make_draft

from proposals.models import Assignment, Proposal
from responses import drafting
from responses.drafting import InboxState
from responses.models import CoHandlingOpinion

pytestmark = pytest.mark.django_db


def rows_by_number(department, today=ASSIGNED_ON):
    return {row.assignment.proposal.number: row for row in drafting.inbox(department, today=today)}


def test_it_lists_this_departments_assignments_only(client_for, personas):
    case = make_case()
    page = client_for("lead").get(reverse("department:inbox")).content.decode()
    assert case.proposal.title in page and "20200999" in page
    assert reverse("department:assignment", args=[case.lead.pk]) in page
    assert reverse("department:assignment", args=[case.co.pk]) not in page
    unrelated = client_for("unrelated").get(reverse("department:inbox")).content.decode()
    assert case.proposal.title not in unrelated and "本单位暂无交办件。" in unrelated


def test_it_shows_role_dates_days_left_and_state(client_for, personas):
    case = make_case(received=False)
    Assignment.objects.filter(pk=case.lead.pk).update(due_on=ASSIGNED_ON + datetime.timedelta(days=10))
    row = rows_by_number(case.lead.department)["20200999"]
    assert (row.days_left, row.state, row.is_overdue) == (10, InboxState.AWAITING_RECEIPT, False)

    page = client_for("lead").get(reverse("department:inbox")).content.decode()
    line = page[page.index("20200999") : page.index("</tr>", page.index("20200999"))]
    assert "主办" in line and "2026年3月2日" in line and "待签收" in line


def test_overdue_assignments_count_negative_days_and_are_highlighted(client_for, personas):
    case = make_case(assigned_on=datetime.date(2019, 12, 2))
    Assignment.objects.filter(pk=case.lead.pk).update(due_on=datetime.date(2020, 1, 1))
    row = rows_by_number(case.lead.department, today=datetime.date(2020, 1, 4))["20200999"]
    assert (row.days_left, row.is_overdue, row.days_overdue) == (-3, True, 3)

    page = client_for("lead").get(reverse("department:inbox")).content.decode()
    row_html = page[
        page.rindex("<tr", 0, page.index("20200999")) : page.index("</tr>", page.index("20200999"))
    ]
    assert "table-danger" in row_html and "逾期" in row_html


def test_the_state_follows_the_work(personas):
    case = make_case(received=False)
    lead_department, co_department = case.lead.department, case.co.department

    assert rows_by_number(lead_department)["20200999"].state == InboxState.AWAITING_RECEIPT
    drafting.receive(case.lead, user=personas["lead"])
    assert rows_by_number(lead_department)["20200999"].state == InboxState.RECEIVED
    draft = make_draft(case, personas["lead"])
    assert rows_by_number(lead_department)["20200999"].state == InboxState.REPLY_DRAFT
    drafting.submit_reply(complete(draft), user=personas["lead"])
    assert rows_by_number(lead_department)["20200999"].state == InboxState.REPLY_SUBMITTED
    drafting.issue_reply(draft, user=personas["lead"])
    done = rows_by_number(lead_department)["20200999"]
    assert (done.state, done.days_left) == (InboxState.REPLY_ISSUED, None)

    Proposal.objects.filter(pk=case.proposal.pk).update(status=Proposal.Status.REHANDLING)
    again = rows_by_number(lead_department)["20200999"]
    assert (again.state, again.state_label) == (InboxState.REHANDLING, "重新办理")
    assert again.days_left is not None

    drafting.receive(case.co, user=personas["co"])
    drafting.save_opinion(case.co, text="意见。", user=personas["co"])
    assert rows_by_number(co_department)["20200999"].state == InboxState.RECEIVED
    drafting.save_opinion(case.co, text="意见。", user=personas["co"], submit=True)
    assert rows_by_number(co_department)["20200999"].state == InboxState.OPINION_SUBMITTED
    assert CoHandlingOpinion.objects.count() == 1


def test_a_returned_assignment_shows_as_returned_at_the_end(personas):
    first = make_case(number="20200901")
    make_case(number="20200902", title="关于另一件事的建议")
    drafting.return_assignment(first.lead, reason="不属于本单位", user=personas["lead"], today=ASSIGNED_ON)
    rows = drafting.inbox(first.lead.department, today=ASSIGNED_ON)
    numbers = [row.assignment.proposal.number for row in rows]
    assert numbers.index("20200901") > numbers.index("20200902")
    assert rows[-1].state == InboxState.RETURNED and rows[-1].days_left is None


@pytest.mark.parametrize("count", [1, 15])
def test_the_query_count_does_not_grow_with_the_rows(client_for, personas, django_assert_num_queries, count):
    for n in range(count):
        case = make_case(number=f"2020{n:04d}", title=f"关于第{n}件事的建议")
        if n % 2:
            make_draft(case, personas["lead"])
        CoHandlingOpinion.objects.create(assignment=case.co, text="意见。")
    client = client_for("lead")
    # session; user; profile with department; the page of assignments with its total (a window
    # count) and the opinion, latest-reply and proposal-status subqueries; the page's proposals with
    # session and committee; their proposers
    with django_assert_num_queries(6):
        response = client.get(reverse("department:inbox"))
    assert len(response.context["rows"]) == count + 1  # and the seed proposal


def test_a_long_inbox_comes_a_page_at_a_time_with_the_whole_count(client_for, personas, settings):
    settings.PAGE_SIZE = 4
    for n in range(6):
        make_case(number=f"2020{n:04d}", title=f"关于第{n}件事的建议")
    client = client_for("lead")
    first = client.get(reverse("department:inbox"), {"role": Assignment.Role.LEAD})
    text = first.content.decode()
    total = first.context["page"].paginator.count
    assert (
        total
        == Assignment.objects.filter(department=personas["lead"].profile.department, role="lead").count()
    )
    assert len(first.context["rows"]) == 4 and f"共{total}件" in text
    assert "role=lead&amp;page=2" in text  # the filter stays on the next page's link
    last = client.get(reverse("department:inbox"), {"role": Assignment.Role.LEAD, "page": 99})
    assert last.context["page"].number == last.context["page"].paginator.num_pages
    shown = [row.assignment.pk for row in first.context["rows"]] + [
        row.assignment.pk for row in last.context["rows"]
    ]
    assert len(set(shown)) == len(shown)
