"""Long workspace lists come a page at a time, each page in one query (tracker.pagination.WindowPaginator):
the overdue board and a department's commitments. The query counts stay the same for 5 rows or 60."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from proposals.models import Chase, Department, Proposal
from responses.models import Commitment, ResponseItem
from tests.factories import make_assignment, make_proposal
from tracker.pagination import WindowPaginator

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


class TestWindowPaginator:
    def test_a_page_and_the_total_come_in_one_query(self, seed_letter):
        for _ in range(4):
            make_proposal()
        ordered = list(Proposal.objects.order_by("pk").values_list("pk", flat=True))
        with CaptureQueriesContext(connection) as queries:
            page = WindowPaginator(Proposal.objects.order_by("pk"), 2).get_page(2)
            assert page.paginator.count == len(ordered)
            assert page.paginator.num_pages == (len(ordered) + 1) // 2
            assert [p.pk for p in page] == ordered[2:4]
        assert len(queries) == 1

    def test_a_page_past_the_end_or_not_a_number_falls_back_as_get_page_does(self, seed_letter):
        for _ in range(4):
            make_proposal()
        ordered = list(Proposal.objects.order_by("pk").values_list("pk", flat=True))
        last = WindowPaginator(Proposal.objects.order_by("pk"), 2).get_page(99)
        assert last.number == last.paginator.num_pages
        assert [p.pk for p in last] == ordered[(last.number - 1) * 2 :]
        assert WindowPaginator(Proposal.objects.order_by("pk"), 2).get_page("二").number == 1
        assert WindowPaginator(Proposal.objects.order_by("pk"), 2).get_page("-3").number == 1

    def test_an_empty_list_is_one_empty_page(self, db):
        with CaptureQueriesContext(connection) as queries:
            page = WindowPaginator(Proposal.objects.order_by("pk"), 2).get_page(1)
        assert page.paginator.count == 0 and list(page) == [] and page.paginator.num_pages == 1
        assert len(queries) == 1


def add_overdue_rows(department, count, chaser):
    for _ in range(count):
        proposal = make_proposal(status=Proposal.Status.ASSIGNED, is_published=False)
        assignment = make_assignment(proposal, department, assigned_on=TODAY - 90 * DAY, due_on=TODAY - DAY)
        Chase.objects.create(assignment=assignment, chased_by=chaser)


class TestOverdueBoard:
    @pytest.mark.parametrize("count", [5, 60])
    def test_one_page_costs_the_same_queries_for_5_rows_or_60(
        self, office, personas, settings, django_assert_num_queries, count
    ):
        settings.PAGE_SIZE = 4
        add_overdue_rows(Department.objects.get(name="自治区教育厅"), count, personas["office"])
        # session, user, profile, the board's page with its counts, late 回头看 tasks
        with django_assert_num_queries(5):
            response = office.get(reverse("office:overdue"))
        assert len(response.context["rows"]) == 4
        assert response.context["page"].paginator.count == count

    def test_the_pages_keep_the_window_and_the_heading_counts_the_whole_department(
        self, office, personas, settings
    ):
        settings.PAGE_SIZE = 4
        education = Department.objects.get(name="自治区教育厅")
        add_overdue_rows(education, 6, personas["office"])
        first = office.get(reverse("office:overdue"), {"within": 3})
        text = first.content.decode()
        assert "共 6 件交办" in text
        assert "第 1 / 2 页" in text
        assert "within=3&amp;page=2" in text
        second = office.get(reverse("office:overdue"), {"within": 3, "page": 2})
        assert len(second.context["rows"]) == 2
        # The department's badge counts all six rows, on the page that shows only two of them.
        assert '自治区教育厅 <span class="badge text-bg-secondary">6</span>' in second.content.decode()
        first_pks = {row.pk for row in first.context["rows"]}
        assert first_pks.isdisjoint(row.pk for row in second.context["rows"])

    def test_a_stale_page_number_shows_the_last_page(self, office, personas, settings):
        settings.PAGE_SIZE = 4
        add_overdue_rows(Department.objects.get(name="自治区教育厅"), 5, personas["office"])
        response = office.get(reverse("office:overdue"), {"page": 7})
        assert response.status_code == 200
        assert response.context["page"].number == 2
        assert len(response.context["rows"]) == 1


def add_open_commitments(reply, count):
    """`count` more open commitments on the first item of an issued reply."""
    item = ResponseItem.objects.filter(response=reply).order_by("position").first()
    Commitment.objects.bulk_create(
        Commitment(item=item, position=100 + n, text=f"承诺{n}", due_on=TODAY + n * DAY) for n in range(count)
    )


class TestDepartmentCommitments:
    @pytest.mark.parametrize("count", [5, 60])
    def test_one_page_costs_the_same_queries_for_5_rows_or_60(
        self, client_for, seed_letter, settings, django_assert_num_queries, count
    ):
        settings.PAGE_SIZE = 4
        Commitment.objects.filter(item__response=seed_letter).delete()
        add_open_commitments(seed_letter, count)
        client = client_for("lead")
        # session; user; profile with department; the unit's open commitment ids; the page with its count
        with django_assert_num_queries(5):
            response = client.get(reverse("department:commitments"))
        assert len(response.context["commitments"]) == 4
        assert f"共 {count} 项待落实" in response.content.decode()

    def test_the_second_page_continues_where_the_first_ended(self, client_for, seed_letter, settings):
        settings.PAGE_SIZE = 4
        Commitment.objects.filter(item__response=seed_letter).delete()
        add_open_commitments(seed_letter, 6)
        client = client_for("lead")
        first = client.get(reverse("department:commitments"))
        second = client.get(reverse("department:commitments"), {"page": 2})
        assert [c.text for c in first.context["commitments"]] == ["承诺0", "承诺1", "承诺2", "承诺3"]
        assert [c.text for c in second.context["commitments"]] == ["承诺4", "承诺5"]
        assert "第 2 / 2 页" in second.content.decode()


def test_the_open_proposals_index_covers_exactly_the_open_states():
    from proposals.workflow import OPEN_STATES

    index = next(i for i in Proposal._meta.indexes if i.name == "proposals_open_idx")
    assert set(dict(index.condition.children)["status__in"]) == set(OPEN_STATES)
