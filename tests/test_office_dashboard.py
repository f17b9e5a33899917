"""The office dashboard (queues) and the list of all proposals."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from proposals.models import Assignment, Department, Proposal, ProposalProposer, Proposer
from responses.models import Response
from tests.factories import make_assignment, make_promise, make_proposal, make_response

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
    assert context["counts"]["awaiting_registration"] == 2
    assert context["counts"]["awaiting_assignment"] == 2
    assert context["counts"]["returned"] == 2
    assert context["key_count"] == 2
    assert (context["counts"]["sent_back"], context["counts"]["referred"]) == (0, 0)
    assert context["board"] == {"overdue": 2, "due_soon": 0}
    page = response.content.decode()
    for link in (
        "?status=submitted",
        "?status=registered",
        "?key=1",
        reverse("office:overdue"),
        reverse("office:queue", args=["returned"]),
    ):
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
    # session, user, profile; the eight figures; key count; board counts; submitted + its proposers;
    # registered + its proposers; returned list; key proposals.
    with django_assert_num_queries(12):
        office.get(url)
    fill_queues(session, 14)
    with django_assert_num_queries(12):
        response = office.get(url)
    assert response.context["counts"]["awaiting_registration"] == 15
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


# The eight figures: each count is exactly the rows its link lists -----------------------------


def fill_every_figure(session):
    fill_queues(session, 2)  # submitted, registered, returned co-handling, overdue lead
    opinion_late = make_proposal(session=session, status=Proposal.Status.IN_HANDLING)
    make_assignment(opinion_late, assigned_on=TODAY - 60 * DAY, due_on=TODAY + 30 * DAY)
    make_assignment(
        opinion_late, role=Assignment.Role.CO_HANDLING, assigned_on=TODAY - 60 * DAY, due_on=TODAY - 2 * DAY
    )
    make_proposal(session=session, status=Proposal.Status.REHANDLING)
    waiting = make_proposal(session=session, status=Proposal.Status.REPLIED)
    make_response(waiting, status=Response.Status.ISSUED)
    make_response(
        make_proposal(session=session),
        status=Response.Status.ISSUED,
        disclosure=Response.Disclosure.NOT_PUBLIC,
    )  # never published: not waiting
    make_promise(due_on=TODAY - DAY, reply=make_response(make_proposal(session=session)))
    make_promise(due_on=TODAY + DAY, reply=make_response(make_proposal(session=session)))  # not yet due


EXPECTED = {
    "awaiting_registration": 2,
    "awaiting_assignment": 2,
    "returned": 2,
    "overdue": 3,  # two late leads, one late co-handling opinion
    "opinions_missing": 1,
    "awaiting_publication": 1,
    "rehandling": 1,
    "commitments_overdue": 1,
}


def test_every_figure_counts_exactly_the_rows_its_link_lists(office, seed_letter):
    fill_every_figure(seed_letter.proposal.session)
    response = office.get(reverse("office:dashboard"))
    figures = {figure.key: count for figure, count in response.context["figures"]}
    assert figures == EXPECTED
    page = response.content.decode()
    for key, count in figures.items():
        url = reverse("office:queue", args=[key])
        assert f'href="{url}"' in page
        listed = office.get(url)
        assert listed.status_code == 200
        assert len(listed.context["page"]) == count, key
        assert listed.context["page"].paginator.count == count, key


def test_the_figures_name_what_they_count(office, seed_letter):
    page = office.get(reverse("office:dashboard")).content.decode()
    for label in (
        "待立案",
        "待交办",
        "交办被退回",
        "办理逾期",
        "会办意见未到",
        "已签发待公开",
        "不满意·重新办理",
        "承诺事项逾期",
    ):
        assert label in page


def test_an_unknown_figure_is_not_found(office):
    assert office.get(reverse("office:queue", args=["nonsense"])).status_code == 404


def test_a_figure_list_runs_a_fixed_number_of_queries(office, seed_letter, django_assert_num_queries):
    session = seed_letter.proposal.session
    url = reverse("office:queue", args=["overdue"])
    fill_queues(session, 1)
    # session, user, profile; count; page of proposals with sessions; their proposers.
    with django_assert_num_queries(6):
        office.get(url)
    fill_queues(session, 14)
    with django_assert_num_queries(6):
        assert len(office.get(url).context["page"]) == 15
