"""Objections (交办异议): a returned assignment is reassigned to another department, or kept with a
reason; either way the departments are told and the record of the return is kept."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from proposals.deadlines import add_months
from proposals.models import Assignment, Department, Event, Proposal

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposal(personas, seed_letter):
    proposal = seed_letter.proposal
    proposal.status = Proposal.Status.ASSIGNED
    proposal.save()
    return proposal


def returned(proposal, name):
    assignment = proposal.assignments.get(department__name=name)
    assignment.assigned_on = datetime.date(2020, 7, 16)
    assignment.returned_on = datetime.date(2020, 7, 20)
    assignment.return_reason = "不属于本单位职责"
    assignment.save()
    return assignment


@pytest.fixture
def education(personas):
    return Department.objects.get(name="自治区教育厅")


def decide(office, assignment, capture, **data):
    with capture(execute=True):
        return office.post(reverse("office:objection", args=[assignment.pk]), data)


def test_reassigning_a_co_handler_creates_a_new_assignment_and_keeps_the_old_one(
    office, proposal, education, django_capture_on_commit_callbacks, mailoutbox
):
    old = returned(proposal, "自治区发展改革委")
    response = decide(
        office,
        old,
        django_capture_on_commit_callbacks,
        decision="reassigned",
        department=education.pk,
        note="职能调整",
    )
    assert response.status_code == 302
    old.refresh_from_db()
    assert old.objection_decision == Assignment.ObjectionDecision.REASSIGNED
    assert old.returned_on == datetime.date(2020, 7, 20) and old.objection_note == "职能调整"
    new = proposal.assignments.get(department=education)
    today = timezone.localdate()
    assert (new.role, new.position, new.assigned_on) == (Assignment.Role.CO_HANDLING, old.position, today)
    assert new.due_on == add_months(today, 1)
    event = proposal.events.get(kind=Event.Kind.REASSIGNED)
    assert event.message == "自治区发展改革委退回后，改由自治区教育厅会办"
    assert sorted(m.to[0] for m in mailoutbox) == ["fagai@example.org", "jiaoyu@example.org"]


def test_reassigning_the_lead_gives_the_new_department_a_lead_row_and_keeps_the_returned_one(
    office, proposal, education, django_capture_on_commit_callbacks, mailoutbox
):
    old = returned(proposal, "自治区科技厅")
    response = decide(
        office,
        old,
        django_capture_on_commit_callbacks,
        decision="reassigned",
        department=education.pk,
        due_on="2030-01-31",
    )
    assert response.status_code == 302
    lead = proposal.assignments.active().get(role=Assignment.Role.LEAD)
    assert lead.department == education
    assert lead.returned_on is None and lead.due_on == datetime.date(2030, 1, 31)
    old.refresh_from_db()
    assert old.objection_decision == Assignment.ObjectionDecision.REASSIGNED
    assert old.department.name == "自治区科技厅" and old.returned_on is not None
    assert (
        "自治区科技厅退回后，改由自治区教育厅主办" in proposal.events.get(kind=Event.Kind.REASSIGNED).message
    )
    assert sorted(m.to[0] for m in mailoutbox) == ["jiaoyu@example.org", "keji@example.org"]


def test_keeping_the_assignment_needs_a_reason(
    office, proposal, django_capture_on_commit_callbacks, mailoutbox
):
    old = returned(proposal, "自治区发展改革委")
    response = decide(office, old, django_capture_on_commit_callbacks, decision="kept", note="  ")
    assert response.context["form"].errors["note"] == ["维持交办须说明理由。"]
    old.refresh_from_db()
    assert old.objection_decision == ""
    assert mailoutbox == []


def test_keeping_the_assignment_keeps_the_return_on_record_and_tells_the_department(
    office, proposal, django_capture_on_commit_callbacks, mailoutbox
):
    old = returned(proposal, "自治区发展改革委")
    response = decide(
        office, old, django_capture_on_commit_callbacks, decision="kept", note="涉及产业规划，属贵单位职责"
    )
    assert response.status_code == 302
    old.refresh_from_db()
    assert old.objection_decision == Assignment.ObjectionDecision.KEPT
    assert old.returned_on == datetime.date(2020, 7, 20)
    assert old.objection_note == "涉及产业规划，属贵单位职责"
    event = proposal.events.get(kind=Event.Kind.OBJECTION_KEPT)
    assert not event.is_public and "属贵单位职责" in event.message
    assert [m.to for m in mailoutbox] == [["fagai@example.org"]]
    assert "未予采纳" in mailoutbox[0].body


def test_reassigning_needs_a_department(office, proposal, django_capture_on_commit_callbacks):
    old = returned(proposal, "自治区发展改革委")
    response = decide(office, old, django_capture_on_commit_callbacks, decision="reassigned")
    assert response.context["form"].errors["department"] == ["改办须选择新的承办单位。"]
    assert proposal.assignments.count() == 4


def test_reassigning_to_a_department_already_on_the_proposal_is_refused(
    office, proposal, django_capture_on_commit_callbacks
):
    old = returned(proposal, "自治区发展改革委")
    finance = Department.objects.get(name="自治区财政厅")
    response = decide(
        office, old, django_capture_on_commit_callbacks, decision="reassigned", department=finance.pk
    )
    assert response.context["form"].errors["department"] == ["该单位已承办此提案。"]
    old.refresh_from_db()
    assert old.objection_decision == ""


def test_an_assignment_that_was_not_returned_has_no_objection_to_handle(office, proposal):
    standing = proposal.assignments.get(department__name="自治区科技厅")
    response = office.get(reverse("office:objection", args=[standing.pk]), follow=True)
    assert "该交办未被退回或异议已处理。" in response.content.decode()


def test_a_decided_objection_cannot_be_decided_again(
    office, proposal, education, django_capture_on_commit_callbacks
):
    old = returned(proposal, "自治区发展改革委")
    decide(office, old, django_capture_on_commit_callbacks, decision="kept", note="属贵单位职责")
    response = decide(
        office, old, django_capture_on_commit_callbacks, decision="reassigned", department=education.pk
    )
    assert response.status_code == 302
    assert not proposal.assignments.filter(department=education).exists()


def test_the_page_shows_the_departments_reason(office, proposal):
    old = returned(proposal, "自治区发展改革委")
    response = office.get(reverse("office:objection", args=[old.pk]))
    assert "不属于本单位职责" in response.content.decode()
