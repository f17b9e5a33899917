"""The office's page of one proposal: everything, published or not, with timeline and audit history."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from proposals.models import (
    Assignment,
    Chase,
    DeadlineExtension,
    Department,
    Event,
    Proposal,
    ProposalProposer,
    Proposer,
)
from responses.models import CoHandlingOpinion, Feedback, Response
from tests.factories import make_assignment, make_department, make_proposal, make_response

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def proposal(personas, seed_letter):
    """The seed proposal with a chase, an extension, an opinion, feedback and an unpublished draft."""
    proposal = seed_letter.proposal
    Proposer.objects.filter(name="蒋俏玲").update(
        phone="0771-1234567", email="jql@example.org", address="南宁市民族大道"
    )
    lead = proposal.assignments.get(role=Assignment.Role.LEAD)
    Chase.objects.create(assignment=lead, chased_by=personas["office"], note="请加快办理")
    DeadlineExtension.objects.create(
        assignment=lead,
        previous_due_on=datetime.date(2020, 10, 16),
        new_due_on=datetime.date(2020, 11, 16),
        reason="需调研",
    )
    co = proposal.assignments.get(department__name="自治区发展改革委")
    CoHandlingOpinion.objects.create(
        assignment=co, text="意见", status=CoHandlingOpinion.Status.SUBMITTED, submitted_on=TODAY
    )
    Feedback.objects.create(
        response=seed_letter,
        proposer=Proposer.objects.get(name="蒋俏玲"),
        rating="satisfied",
        comments="很好",
    )
    make_response(
        proposal=proposal,
        department=Department.objects.get(name="自治区科技厅"),
        version=2,
        status=Response.Status.DRAFT,
        title="草稿答复",
    )
    proposal.record(Event.Kind.ASSIGNED, message="交由自治区科技厅主办", public=True)
    proposal.record(Event.Kind.CHASED, message="催办自治区科技厅")
    # The fixture is loaded raw, without history rows: one save each starts the audit trail.
    proposal.save()
    for assignment in proposal.assignments.all():
        assignment.assigned_by_user = personas["office"]
        assignment.save()
    return proposal


def page_of(office, proposal):
    response = office.get(reverse("office:proposal_detail", args=[proposal.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_shows_the_proposers_contact_details(office, proposal):
    page = page_of(office, proposal)
    assert "0771-1234567" in page and "jql@example.org" in page and "南宁市民族大道" in page


def test_the_page_shows_assignments_with_chases_extensions_and_opinions(office, proposal):
    page = page_of(office, proposal)
    assert "请加快办理" in page
    assert "2020年10月16日 → 2020年11月16日：需调研" in page
    assert "会办意见：已送主办单位" in page
    for name in ("自治区科技厅", "自治区发展改革委", "自治区工业和信息化厅", "自治区财政厅"):
        assert name in page


def test_replies_of_every_status_are_listed_and_only_public_ones_linked(office, proposal, seed_letter):
    page = page_of(office, proposal)
    draft = Response.objects.get(title="草稿答复")
    assert page.count(">草稿<") >= 1
    assert f'href="/replies/{seed_letter.pk}/"' in page
    assert f'href="/replies/{draft.pk}/"' not in page
    assert "蒋俏玲：满意（很好）" in page


def test_the_timeline_lists_every_event_oldest_first(office, proposal):
    page = page_of(office, proposal)
    assert page.index("交由自治区科技厅主办") < page.index("催办自治区科技厅")


def test_the_audit_history_shows_who_changed_which_field(
    office, personas, seed_letter, django_capture_on_commit_callbacks
):
    submitted = make_proposal(
        session=seed_letter.proposal.session, number="", status=Proposal.Status.SUBMITTED, is_published=False
    )
    ProposalProposer.objects.create(proposal=submitted, proposer=Proposer.objects.get(name="蒋俏玲"))
    with django_capture_on_commit_callbacks(execute=True):
        office.post(
            reverse("office:review", args=[submitted.pk]),
            {"action": "register", "number": "20200288", "registered_on": "2020-02-10"},
        )
    response = office.get(reverse("office:proposal_detail", args=[submitted.pk]))
    changes = [row for row in response.context["audit"] if row["changes"]]
    assert changes[-1]["who"] == personas["office"]
    assert ("状态", "已提交", "已立案") in changes[-1]["changes"]
    assert ("编号", "—", "20200288") in changes[-1]["changes"]
    page = response.content.decode()
    assert "已提交 → 已立案" in page and "2020年2月10日" in page


def test_assignment_changes_are_in_the_audit_history_with_department_names(office, proposal, personas):
    lead = proposal.assignments.get(role=Assignment.Role.LEAD)
    lead.department = Department.objects.get(name="自治区教育厅")
    lead.save()
    response = office.get(reverse("office:proposal_detail", args=[proposal.pk]))
    rows = [
        row
        for row in response.context["audit"]
        if ("承办单位", "自治区科技厅", "自治区教育厅") in row["changes"]
    ]
    assert len(rows) == 1


def test_the_page_offers_the_actions_of_the_state(office, seed_letter, personas):
    submitted = make_proposal(
        session=seed_letter.proposal.session, number="", status=Proposal.Status.SUBMITTED, is_published=False
    )
    page = page_of(office, submitted)
    assert reverse("office:review", args=[submitted.pk]) in page
    assert reverse("office:assign", args=[submitted.pk]) not in page
    registered = make_proposal(
        session=seed_letter.proposal.session, status=Proposal.Status.REGISTERED, is_published=False
    )
    page = page_of(office, registered)
    assert reverse("office:assign", args=[registered.pk]) in page
    assert reverse("office:review", args=[registered.pk]) not in page


def test_a_returned_assignment_offers_the_objection_page(office, proposal):
    co = proposal.assignments.get(department__name="自治区财政厅")
    co.returned_on, co.return_reason = TODAY, "不属于本单位职责"
    co.save()
    page = page_of(office, proposal)
    assert reverse("office:objection", args=[co.pk]) in page
    assert reverse("office:extend", args=[co.pk]) not in page


def test_the_page_runs_a_fixed_number_of_queries(office, proposal, personas, django_assert_num_queries):
    url = reverse("office:proposal_detail", args=[proposal.pk])
    # session, user, profile; proposal with session, merge target and creator; proposers;
    # attachments; submitted versions; merged proposals; assignments; their chases, extensions and
    # opinions; replies; feedback; feedback proposers; events; proposal history; assignment history;
    # names of the sessions, departments and users the history points at (one query per related model).
    with django_assert_num_queries(21):
        office.get(url)
    for _ in range(5):
        assignment = make_assignment(
            proposal, make_department(), role=Assignment.Role.CO_HANDLING, assigned_by_user=personas["office"]
        )
        Chase.objects.create(assignment=assignment, chased_by=personas["office"])
        DeadlineExtension.objects.create(
            assignment=assignment, new_due_on=TODAY, reason="x", granted_by=personas["office"]
        )
        proposal.record(Event.Kind.CHASED, actor=personas["office"], department=assignment.department)
    with django_assert_num_queries(21):
        assert len(office.get(url).context["proposal"].assignments.all()) == 9
