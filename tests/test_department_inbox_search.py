"""The department inbox's search (number, title, proposer), filters (state, role, due), proposer
column and pagination."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from test_department_support import make_case

from proposals.models import Assignment, ProposalProposer, Proposer

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def numbers(client, **params):
    response = client.get(reverse("department:inbox"), params)
    assert response.status_code == 200
    return sorted(row.assignment.proposal.number for row in response.context["rows"])


@pytest.fixture
def cases(personas):
    first = make_case(number="20200901", title="关于加快发展氢能产业的建议")
    second = make_case(number="20200902", title="关于完善乡村道路养护机制的建议", received=False)
    third = make_case(number="20200903", title="关于支持中小企业数字化转型的建议")
    ProposalProposer.objects.create(
        proposal=third.proposal, proposer=Proposer.objects.get(name="李明"), position=2
    )
    return first, second, third


def test_search_finds_a_number_a_title_word_or_a_proposer(client_for, cases):
    lead = client_for("lead")
    assert numbers(lead, q="20200902") == ["20200902"]
    assert numbers(lead, q="乡村道路") == ["20200902"]
    assert numbers(lead, q="李明") == ["20200903"]
    assert numbers(lead, q="蒋俏玲") == ["20200287", "20200901", "20200902", "20200903"]


def test_the_state_filter(client_for, cases):
    assert numbers(client_for("lead"), state="awaiting_receipt") == ["20200902"]
    assert numbers(client_for("lead"), state="received") == ["20200901", "20200903"]


def test_the_role_filter_and_an_empty_result_says_so(client_for, cases):
    co = client_for("co")
    assert numbers(co, role=Assignment.Role.CO_HANDLING) == ["20200287", "20200901", "20200902", "20200903"]
    response = co.get(reverse("department:inbox"), {"role": Assignment.Role.LEAD})
    assert "没有符合条件的交办件。" in response.content.decode()


def test_the_due_filter_shows_overdue_or_due_within_a_week(client_for, cases):
    first, second, third = cases
    Assignment.objects.filter(pk=first.lead.pk).update(due_on=TODAY - datetime.timedelta(days=3))
    Assignment.objects.filter(pk=second.lead.pk).update(due_on=TODAY + datetime.timedelta(days=7))
    Assignment.objects.filter(pk=third.lead.pk).update(due_on=TODAY + datetime.timedelta(days=8))
    lead = client_for("lead")
    assert numbers(lead, due="overdue") == ["20200901"]
    assert numbers(lead, due="week") == ["20200902"]


def test_the_proposer_column(client_for, cases):
    page = client_for("lead").get(reverse("department:inbox")).content.decode()
    assert '<th scope="col">提案者</th>' in page
    line = page[page.index("20200903") : page.index("</tr>", page.index("20200903"))]
    assert "蒋俏玲、李明" in line


def test_the_inbox_is_paginated_and_keeps_the_filters(client_for, cases, settings):
    settings.PAGE_SIZE = 2
    lead = client_for("lead")
    page = lead.get(reverse("department:inbox"), {"q": "蒋俏玲"}).content.decode()
    assert "第 1 / 2 页" in page and "q=%E8%92%8B%E4%BF%8F%E7%8E%B2&amp;page=2" in page
    assert len(lead.get(reverse("department:inbox"), {"q": "蒋俏玲", "page": 2}).context["rows"]) == 2


def test_a_bad_filter_value_is_an_error_next_to_the_field_not_a_500(client_for, cases):
    response = client_for("lead").get(reverse("department:inbox"), {"state": "nonsense", "due": "1' OR 1=1"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "选择一个有效的选项" in page


@pytest.mark.parametrize("count", [1, 12])
def test_a_filtered_inbox_runs_a_fixed_number_of_queries(
    client_for, personas, django_assert_num_queries, count
):
    for n in range(count):
        case = make_case(number=f"2020{n:04d}", title=f"关于第{n}件氢能事项的建议")
        Assignment.objects.filter(pk=case.lead.pk).update(due_on=TODAY + datetime.timedelta(days=3))
    client = client_for("lead")
    # session; user; profile; the page with its total (one query); its proposals; their proposers
    with django_assert_num_queries(6):
        response = client.get(reverse("department:inbox"), {"q": "氢能", "state": "received", "due": "week"})
    assert len(response.context["rows"]) == count
