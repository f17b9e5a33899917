"""The office dashboard (queues) and the list of all proposals."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from proposals.models import Assignment, Department, Proposal, ProposalProposer, Proposer
from tests.factories import make_assignment, make_proposal

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def fill_queues(session, count):
    """`count` items in every queue: submitted, registered, returned, overdue, key."""
    proposer = Proposer.objects.get(name="蒋俏玲")
    department = Department.objects.get(name="自治区教育厅")
    for _ in range(count):
        submitted = make_proposal(
            session=session, number="", status=Proposal.Status.SUBMITTED, is_published=False
        )
        ProposalProposer.objects.create(proposal=submitted, proposer=proposer)
        registered = make_proposal(session=session, status=Proposal.Status.REGISTERED, is_published=False)
        ProposalProposer.objects.create(proposal=registered, proposer=proposer)
        assigned = make_proposal(
            session=session, status=Proposal.Status.ASSIGNED, is_key=True, supervising_leader="张副主席"
        )
        make_assignment(assigned, department, assigned_on=TODAY - 100 * DAY, due_on=TODAY - DAY)
        make_assignment(
            assigned,
            role=Assignment.Role.CO_HANDLING,
            returned_on=TODAY,
            return_reason="不属于本单位职责",
            due_on=TODAY + 3 * DAY,
        )


def test_the_dashboard_counts_and_links_every_queue(office, seed_letter):
    fill_queues(seed_letter.proposal.session, 2)
    response = office.get(reverse("office:dashboard"))
    assert response.status_code == 200
    context = response.context
    assert context["counts"] == {"submitted": 2, "registered": 2, "key": 2, "returned": 0, "referred": 0}
    assert context["returned_count"] == 2
    assert context["board"] == {"overdue": 2, "due_soon": 0}
    page = response.content.decode()
    for link in ("?status=submitted", "?status=registered", "?key=1", reverse("office:overdue")):
        assert link in page
    returned = Assignment.objects.filter(returned_on__isnull=False).first()
    assert reverse("office:objection", args=[returned.pk]) in page
    submitted = Proposal.objects.filter(status=Proposal.Status.SUBMITTED).first()
    assert reverse("office:proposal_detail", args=[submitted.pk]) in page
    assert "蒋俏玲" in page and "张副主席" in page


def test_the_dashboard_is_empty_but_friendly_without_work(office, seed_letter):
    page = office.get(reverse("office:dashboard")).content.decode()
    assert "没有待审查的提案。" in page and "没有待处理的退回。" in page


def test_the_dashboard_runs_a_fixed_number_of_queries(office, seed_letter, django_assert_num_queries):
    session = seed_letter.proposal.session
    url = reverse("office:dashboard")
    fill_queues(session, 1)
    # session, user, profile; proposal counts; board counts; submitted + its proposers; registered +
    # its proposers; returned count; returned list; key proposals.
    with django_assert_num_queries(12):
        office.get(url)
    fill_queues(session, 14)
    with django_assert_num_queries(12):
        response = office.get(url)
    assert response.context["counts"]["submitted"] == 15
    assert len(response.context["submitted"]) == 10  # the queue shows the oldest ten and links to all


def test_the_list_filters_by_status_key_and_query(office, seed_letter):
    fill_queues(seed_letter.proposal.session, 2)
    url = reverse("office:proposal_list")
    assert len(office.get(url, {"status": "submitted"}).context["page"]) == 2
    assert len(office.get(url, {"key": "1"}).context["page"]) == 2
    assert [p.number for p in office.get(url, {"q": "20200287"}).context["page"]] == ["20200287"]
    assert len(office.get(url, {"status": "nonsense"}).context["page"]) == 7


def test_the_list_pages_keep_the_filters(office, seed_letter, settings):
    settings.PAGE_SIZE = 2
    fill_queues(seed_letter.proposal.session, 5)
    url = reverse("office:proposal_list")
    page = office.get(url, {"status": "submitted"}).content.decode()
    assert "第 1 / 3 页" in page
    following = re.search(r'rel="next" href="([^"]+)"', page).group(1).replace("&amp;", "&")
    second = office.get(url + following)
    assert "第 2 / 3 页" in second.content.decode()
    assert [p.status for p in second.context["page"]] == [Proposal.Status.SUBMITTED] * 2


def test_the_list_shows_unpublished_proposals(office, seed_letter):
    fill_queues(seed_letter.proposal.session, 1)
    page = office.get(reverse("office:proposal_list")).content.decode()
    submitted = Proposal.objects.get(status=Proposal.Status.SUBMITTED)
    assert submitted.title in page


def test_the_list_runs_a_fixed_number_of_queries(office, seed_letter, django_assert_num_queries):
    session = seed_letter.proposal.session
    url = reverse("office:proposal_list")
    fill_queues(session, 1)
    # session, user, profile; count; page of proposals with sessions; their proposers.
    with django_assert_num_queries(6):
        office.get(url)
    fill_queues(session, 14)
    with django_assert_num_queries(6):
        assert len(office.get(url).context["page"]) == 46
