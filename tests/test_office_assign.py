"""Assignment (交办): one lead with co-handlers, or several separate handlers, with due dates from
the committee's rules; every inconsistent plan is refused field by field and nothing is saved."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from proposals.deadlines import add_months
from proposals.models import Assignment, Department, Event, Proposal, ProposalProposer, Proposer
from tests.factories import make_proposal

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered(personas, seed_letter):
    proposal = make_proposal(
        session=seed_letter.proposal.session,
        number="20200288",
        status=Proposal.Status.REGISTERED,
        is_published=False,
    )
    ProposalProposer.objects.create(
        proposal=proposal, proposer=Proposer.objects.get(name="蒋俏玲"), position=1
    )
    return proposal


@pytest.fixture
def units(personas):
    return {d.name[3:5]: d for d in Department.objects.exclude(kind=Department.Kind.OFFICE)}


def plan(assigned_on="2020-07-16", lead=None, lead_due="", co=(), separate=()):
    data = {"assigned_on": assigned_on, "lead": lead.pk if lead else "", "lead_due_on": lead_due}
    for prefix, rows in (("co", co), ("separate", separate)):
        data.update({f"{prefix}-TOTAL_FORMS": len(rows), f"{prefix}-INITIAL_FORMS": 0})
        for i, row in enumerate(rows):
            department, due = row if isinstance(row, tuple) else (row, "")
            data[f"{prefix}-{i}-department"] = department.pk
            data[f"{prefix}-{i}-due_on"] = due
    return data


def post(office, proposal, data, capture):
    with capture(execute=True):
        return office.post(reverse("office:assign", args=[proposal.pk]), data)


def test_the_form_is_prefilled_with_today_and_the_committees_due_dates(office, registered):
    response = office.get(reverse("office:assign", args=[registered.pk]))
    today = timezone.localdate()
    form = response.context["form"]
    assert form["assigned_on"].value() == today
    assert form["lead_due_on"].value() == add_months(today, 3)
    assert form.co_rows.forms[0]["due_on"].value() == add_months(today, 1)
    assert form.separate_rows.forms[0]["due_on"].value() == add_months(today, 3)
    assert f'value="{add_months(today, 1):%Y-%m-%d}"' in response.content.decode()


def test_assigning_a_lead_and_co_handlers(
    office, registered, units, personas, django_capture_on_commit_callbacks, mailoutbox
):
    data = plan(lead=units["科技"], co=[units["发展"], (units["财政"], "2020-09-01")])
    response = post(office, registered, data, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    registered.refresh_from_db()
    assert registered.status == Proposal.Status.ASSIGNED
    rows = {a.department.name: a for a in registered.assignments.select_related("department", "assigned_by")}
    lead, first_co, second_co = rows["自治区科技厅"], rows["自治区发展改革委"], rows["自治区财政厅"]
    assert lead.role == Assignment.Role.LEAD and lead.due_on == datetime.date(2020, 10, 16)
    assert (first_co.role, first_co.position, first_co.due_on) == ("co", 1, datetime.date(2020, 8, 16))
    assert (second_co.position, second_co.due_on) == (2, datetime.date(2020, 9, 1))
    assert {a.assigned_on for a in rows.values()} == {datetime.date(2020, 7, 16)}
    assert {a.assigned_by.name for a in rows.values()} == {"自治区政协办公厅"}
    assert {a.assigned_by_user for a in rows.values()} == {personas["office"]}
    event = registered.events.get(kind=Event.Kind.ASSIGNED)
    assert event.is_public
    assert event.message == "交由自治区科技厅主办，自治区发展改革委、自治区财政厅会办"
    assert sorted(m.to[0] for m in mailoutbox) == ["fagai@example.org", "keji@example.org"]
    keji_mail = next(m for m in mailoutbox if m.to == ["keji@example.org"])
    assert "交由贵单位主办" in keji_mail.body and "2020年10月16日" in keji_mail.body
    # 5 working days after Thursday 2020-07-16: Thursday 2020-07-23.
    assert "2020年7月23日前提出异议" in keji_mail.body


def test_assigning_several_separate_handlers(office, registered, units, django_capture_on_commit_callbacks):
    response = post(
        office, registered, plan(separate=[units["科技"], units["教育"]]), django_capture_on_commit_callbacks
    )
    assert response.status_code == 302
    assert set(registered.assignments.values_list("role", flat=True)) == {Assignment.Role.SEPARATE}
    assert registered.events.get(kind=Event.Kind.ASSIGNED).message == "交由自治区科技厅、自治区教育厅分办"


def refused(response, registered):
    assert response.status_code == 200
    registered.refresh_from_db()
    assert registered.status == Proposal.Status.REGISTERED
    assert not registered.assignments.exists()
    assert not registered.events.exists()
    return response.context["form"]


def test_a_due_date_before_the_assignment_is_refused(
    office, registered, units, django_capture_on_commit_callbacks
):
    data = plan(lead=units["科技"], lead_due="2020-07-01")
    form = refused(post(office, registered, data, django_capture_on_commit_callbacks), registered)
    assert form.errors["lead_due_on"] == ["办理期限不能早于交办日期。"]


def test_a_co_handlers_due_date_before_the_assignment_is_refused(
    office, registered, units, django_capture_on_commit_callbacks
):
    data = plan(lead=units["科技"], co=[(units["发展"], "2020-07-15")])
    form = refused(post(office, registered, data, django_capture_on_commit_callbacks), registered)
    assert form.co_rows.forms[0].errors["due_on"] == ["办理期限不能早于交办日期。"]


def test_the_lead_cannot_also_co_handle(office, registered, units, django_capture_on_commit_callbacks):
    data = plan(lead=units["科技"], co=[units["发展"], units["科技"]])
    form = refused(post(office, registered, data, django_capture_on_commit_callbacks), registered)
    assert form.co_rows.forms[1].errors["department"] == ["主办单位不能同时作为会办或分办单位。"]


def test_a_department_cannot_be_named_twice(office, registered, units, django_capture_on_commit_callbacks):
    data = plan(lead=units["科技"], co=[units["发展"], units["发展"]])
    form = refused(post(office, registered, data, django_capture_on_commit_callbacks), registered)
    assert form.co_rows.forms[1].errors["department"] == ["同一单位不能重复交办。"]


def test_a_plan_without_a_lead_is_refused(office, registered, units, django_capture_on_commit_callbacks):
    form = refused(
        post(office, registered, plan(co=[units["发展"]]), django_capture_on_commit_callbacks), registered
    )
    assert form.errors["lead"] == ["请选择主办单位，或填写分办单位。"]


def test_lead_and_separate_handling_cannot_be_mixed(
    office, registered, units, django_capture_on_commit_callbacks
):
    data = plan(lead=units["科技"], separate=[units["发展"], units["财政"]])
    form = refused(post(office, registered, data, django_capture_on_commit_callbacks), registered)
    assert form.errors["lead"] == ["不能同时采用主办和分办：选了主办单位就不要填写分办单位。"]


def test_separate_handling_needs_two_departments(
    office, registered, units, django_capture_on_commit_callbacks
):
    form = refused(
        post(office, registered, plan(separate=[units["发展"]]), django_capture_on_commit_callbacks),
        registered,
    )
    assert form.separate_rows.forms[0].errors["department"] == [
        "分办须有两个以上单位；只有一个单位时请选为主办单位。"
    ]


def test_separate_handling_has_no_co_handlers(office, registered, units, django_capture_on_commit_callbacks):
    data = plan(separate=[units["发展"], units["财政"]], co=[units["科技"]])
    form = refused(post(office, registered, data, django_capture_on_commit_callbacks), registered)
    assert form.co_rows.forms[0].errors["department"] == ["分办时不设会办单位。"]


def test_a_date_beyond_the_holiday_calendar_is_a_form_error(
    office, registered, units, django_capture_on_commit_callbacks
):
    form = refused(
        post(
            office,
            registered,
            plan(assigned_on="2031-03-02", lead=units["科技"]),
            django_capture_on_commit_callbacks,
        ),
        registered,
    )
    assert "节假日日历未覆盖" in form.errors["assigned_on"][0]


def test_only_registered_proposals_can_be_assigned(office, seed_letter, units):
    response = office.post(
        reverse("office:assign", args=[seed_letter.proposal.pk]), plan(lead=units["教育"]), follow=True
    )
    assert "只有已立案、尚未交办的提案可以交办。" in response.content.decode()
    assert not seed_letter.proposal.assignments.filter(department=units["教育"]).exists()


def test_the_office_department_is_not_offered(office, registered):
    response = office.get(reverse("office:assign", args=[registered.pk]))
    choices = [label for _value, label in response.context["form"].fields["lead"].choices]
    assert "自治区政协办公厅" not in choices and "自治区科技厅" in choices


def test_assigned_by_user_is_kept_when_no_office_department_exists(
    office, registered, units, django_capture_on_commit_callbacks
):
    Department.objects.filter(kind=Department.Kind.OFFICE).update(kind=Department.Kind.OTHER, is_active=False)
    post(office, registered, plan(lead=units["科技"]), django_capture_on_commit_callbacks)
    lead = registered.assignments.get()
    assert lead.assigned_by is None
    assert lead.assigned_by_user == get_user_model().objects.get(username="office")
