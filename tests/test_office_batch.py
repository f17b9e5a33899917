"""Batch registration and assignment: twenty proposals in one form each, with the same checks as one
by one, all or none; a failing row is named and nothing is saved."""

import time

import pytest
from django.urls import reverse

from proposals.models import Assignment, Department, Event, Proposal, ProposalProposer, Proposer
from tests.factories import make_proposal

pytestmark = pytest.mark.django_db

BATCH = 20


def make_batch(session, status, count=BATCH, first_number=None):
    proposer = Proposer.objects.get(name="蒋俏玲")
    proposals = []
    for n in range(count):
        proposal = make_proposal(
            session=session,
            number=str(first_number + n) if first_number else "",
            status=status,
            is_published=False,
            title=f"关于批量办理第{n + 1}件事项的建议",
        )
        ProposalProposer.objects.create(proposal=proposal, proposer=proposer, position=1)
        proposals.append(proposal)
    return proposals


@pytest.fixture
def submitted(personas, seed_letter):
    return make_batch(seed_letter.proposal.session, Proposal.Status.SUBMITTED)


@pytest.fixture
def registered(personas, seed_letter):
    return make_batch(seed_letter.proposal.session, Proposal.Status.REGISTERED, first_number=20200300)


@pytest.fixture
def units(personas):
    return {d.name[3:5]: d for d in Department.objects.exclude(kind=Department.Kind.OFFICE)}


def ids_query(proposals):
    return "?" + "&".join(f"ids={p.pk}" for p in proposals)


def register_data(proposals, numbers, registered_on="2020-03-01"):
    data = {"ids": [p.pk for p in proposals], "registered_on": registered_on, "note": ""}
    data.update({f"number_{p.pk}": number for p, number in zip(proposals, numbers, strict=True)})
    return data


def assign_data(proposals, lead, co=(), assigned_on="2020-07-16", lead_due="", co_due=""):
    return {
        "ids": [p.pk for p in proposals],
        "assigned_on": assigned_on,
        "lead": lead.pk,
        "lead_due_on": lead_due,
        "co": [d.pk for d in co],
        "co_due_on": co_due,
    }


# The list ---------------------------------------------------------------------------------------


def test_the_office_list_offers_a_checkbox_per_row_awaiting_a_step_and_both_batch_buttons(office, submitted):
    page = office.get(reverse("office:proposal_list")).content.decode()
    assert page.count('name="ids"') == BATCH  # the seed proposal (已答复) has no checkbox
    assert reverse("office:batch_register") in page
    assert reverse("office:batch_assign") in page


def test_nothing_ticked_goes_back_to_the_list_with_a_message(office):
    response = office.get(reverse("office:batch_register"), follow=True)
    assert "请先在提案列表中勾选要处理的提案。" in response.content.decode()


def test_more_than_the_limit_is_refused(office):
    query = "?" + "&".join(f"ids={n}" for n in range(1, 102))
    response = office.get(reverse("office:batch_register") + query, follow=True)
    assert "一次至多处理100件提案。" in response.content.decode()


def test_ids_that_are_not_numbers_are_ignored_not_a_server_error(office, submitted):
    response = office.get(
        reverse("office:batch_register") + f"?ids=abc&ids=99999999999999999999&ids={submitted[0].pk}"
    )
    assert response.status_code == 200
    assert len(response.context["proposals"]) == 1


# Registration -----------------------------------------------------------------------------------


def test_the_register_page_suggests_consecutive_free_numbers(office, submitted):
    response = office.get(reverse("office:batch_register") + ids_query(submitted))
    page = response.content.decode()
    # The seed proposal holds 20200287: the batch starts at the next one, in the order ticked.
    for n, proposal in enumerate(submitted):
        assert f'name="number_{proposal.pk}" value="{20200288 + n}"' in page


def test_the_register_page_runs_a_fixed_number_of_queries(office, submitted, django_assert_num_queries):
    url = reverse("office:batch_register")
    # session, user, profile, proposals with sessions, proposers, next number of the session
    with django_assert_num_queries(6):
        office.get(url + ids_query(submitted[:2]))
    with django_assert_num_queries(6):
        office.get(url + ids_query(submitted))


def test_twenty_proposals_are_registered_with_one_form(
    office, submitted, django_capture_on_commit_callbacks, mailoutbox
):
    numbers = [str(20200288 + n) for n in range(BATCH)]
    with django_capture_on_commit_callbacks(execute=True):
        response = office.post(reverse("office:batch_register"), register_data(submitted, numbers))
    assert response.status_code == 302
    for proposal, number in zip(submitted, numbers, strict=True):
        proposal.refresh_from_db()
        assert (proposal.status, proposal.number) == (Proposal.Status.REGISTERED, number)
    assert Event.objects.filter(kind=Event.Kind.REGISTERED, proposal__in=submitted).count() == BATCH
    page = office.get(response["Location"]).content.decode()
    assert "已立案20件提案" in page


def test_a_taken_number_names_its_row_and_saves_nothing(office, submitted):
    numbers = [str(20200288 + n) for n in range(BATCH)]
    numbers[2] = "20200287"  # the seed proposal's number
    response = office.post(reverse("office:batch_register"), register_data(submitted, numbers))
    assert response.status_code == 200
    page = response.content.decode()
    assert "第3行（《关于批量办理第3件事项的建议》）：本次会议已有第20200287号提案。" in page
    assert not Proposal.objects.filter(pk__in=[p.pk for p in submitted], status=Proposal.Status.REGISTERED)
    # Nothing typed is lost.
    assert f'name="number_{submitted[19].pk}" value="20200307"' in page


def test_the_same_number_twice_in_the_batch_names_the_second_row(office, submitted):
    numbers = [str(20200288 + n) for n in range(BATCH)]
    numbers[5] = numbers[4]
    response = office.post(reverse("office:batch_register"), register_data(submitted, numbers))
    assert "第6行（《关于批量办理第6件事项的建议》）：与第5行的编号重复。" in response.content.decode()
    assert not Proposal.objects.filter(pk__in=[p.pk for p in submitted], status=Proposal.Status.REGISTERED)


def test_the_one_by_one_checks_apply_to_each_row(office, submitted):
    numbers = [str(20200288 + n) for n in range(BATCH)]
    numbers[7] = "第八号"
    response = office.post(
        reverse("office:batch_register"), register_data(submitted, numbers, registered_on="2030-01-01")
    )
    page = response.content.decode()
    assert "第8行（《关于批量办理第8件事项的建议》）：编号须是正整数，如 20200287。" in page
    assert page.count("立案日期应在会议年度（2020年）前后一年内。") == 1  # once, by the date field
    assert not Proposal.objects.filter(pk__in=[p.pk for p in submitted], status=Proposal.Status.REGISTERED)


def test_a_row_the_step_refuses_rolls_back_the_rows_before_it(office, submitted, monkeypatch):
    """A refusal only the workflow can see (here: another clerk registered row 10 meanwhile)."""
    from proposals import batch

    numbers = [str(20200288 + n) for n in range(BATCH)]
    real = batch.workflow.register

    def register(proposal, **kwargs):
        if proposal.pk == submitted[9].pk:
            Proposal.objects.filter(pk=proposal.pk).update(
                status=Proposal.Status.NOT_REGISTERED, not_registered_reason="other"
            )
        return real(proposal, **kwargs)

    monkeypatch.setattr(batch.workflow, "register", register)
    response = office.post(reverse("office:batch_register"), register_data(submitted, numbers))
    page = response.content.decode()
    assert "第10行（《关于批量办理第10件事项的建议》）：提案当前状态为“不予立案”，不能进行此操作。" in page
    assert "本批提案均未保存。" in page
    assert not Proposal.objects.filter(pk__in=[p.pk for p in submitted], status=Proposal.Status.REGISTERED)
    assert not Event.objects.filter(kind=Event.Kind.REGISTERED, proposal__in=submitted).exists()


def test_registering_twenty_in_one_request_query_count_and_time(
    office, submitted, django_assert_max_num_queries
):
    numbers = [str(20200288 + n) for n in range(BATCH)]
    started = time.perf_counter()
    # Per row (11, the one-by-one step's cost): the review form's number check; the step's lock, number
    # check, save, history, event, proposers, the proposer's user. Plus the request's own and the
    # search index, written once for the batch at its end (proposals/bulk.py): 3 a row before.
    with django_assert_max_num_queries(11 * BATCH + 12) as queries:
        response = office.post(reverse("office:batch_register"), register_data(submitted, numbers))
    elapsed = time.perf_counter() - started
    assert response.status_code == 302
    print(f"\nbatch register of {BATCH}: {len(queries)} queries, {elapsed * 1000:.0f} ms")
    assert elapsed < 10


# Assignment -------------------------------------------------------------------------------------


def test_the_assign_page_runs_a_fixed_number_of_queries(office, registered, django_assert_num_queries):
    url = reverse("office:batch_assign")
    # session, user, profile, proposals with sessions, proposers, departments
    with django_assert_num_queries(6):
        office.get(url + ids_query(registered[:2]))
    with django_assert_num_queries(6):
        office.get(url + ids_query(registered))


def test_twenty_proposals_are_assigned_with_one_form(
    office, registered, units, django_capture_on_commit_callbacks, mailoutbox
):
    data = assign_data(registered, units["科技"], co=[units["发展"], units["财政"]], co_due="2020-09-01")
    with django_capture_on_commit_callbacks(execute=True):
        response = office.post(reverse("office:batch_assign"), data)
    assert response.status_code == 302
    for proposal in registered:
        proposal.refresh_from_db()
        assert proposal.status == Proposal.Status.ASSIGNED
        roles = sorted(
            (a.department.name, a.role, str(a.due_on))
            for a in proposal.assignments.select_related("department")
        )
        assert roles == [
            ("自治区发展改革委", Assignment.Role.CO_HANDLING, "2020-09-01"),
            ("自治区科技厅", Assignment.Role.LEAD, "2020-10-16"),  # three months by the committee's rules
            ("自治区财政厅", Assignment.Role.CO_HANDLING, "2020-09-01"),
        ]
    assert "已交办20件提案" in office.get(response["Location"]).content.decode()


def test_a_unit_already_on_a_proposal_names_the_row_and_saves_nothing(office, registered, units):
    Assignment.objects.create(
        proposal=registered[4], department=units["科技"], role=Assignment.Role.CO_HANDLING
    )
    Proposal.objects.filter(pk=registered[4].pk).update(status=Proposal.Status.REGISTERED)
    response = office.post(reverse("office:batch_assign"), assign_data(registered, units["科技"]))
    page = response.content.decode()
    assert "第5行（《关于批量办理第5件事项的建议》）：该单位已承办此提案。" in page
    assert not Assignment.objects.filter(proposal__in=registered, role=Assignment.Role.LEAD).exists()


def test_a_proposal_not_awaiting_assignment_names_its_row(office, registered, units):
    Proposal.objects.filter(pk=registered[0].pk).update(status=Proposal.Status.ASSIGNED)
    response = office.post(reverse("office:batch_assign"), assign_data(registered, units["科技"]))
    assert "第1行（《关于批量办理第1件事项的建议》）：提案当前状态为“已交办”" in response.content.decode()
    assert not Assignment.objects.filter(proposal__in=registered).exists()


def test_shared_field_errors_sit_next_to_their_field_once(office, registered, units):
    data = assign_data(registered, units["科技"], lead_due="2020-07-01", co=[units["科技"]])
    response = office.post(reverse("office:batch_assign"), data)
    form = response.context["form"]
    assert form.errors["co"] == ["主办单位不能同时作为会办单位。"]
    data = assign_data(registered, units["科技"], lead_due="2020-07-01")
    form = office.post(reverse("office:batch_assign"), data).context["form"]
    assert form.errors["lead_due_on"] == ["办理期限不能早于交办日期。"]
    assert not Assignment.objects.filter(proposal__in=registered).exists()


def test_a_row_the_step_refuses_rolls_back_the_assignments_before_it(office, registered, units, monkeypatch):
    from proposals import batch

    real = batch.workflow.assign

    def assign(proposal, **kwargs):
        if proposal.pk == registered[14].pk:
            Proposal.objects.filter(pk=proposal.pk).update(status=Proposal.Status.ASSIGNED)
        return real(proposal, **kwargs)

    monkeypatch.setattr(batch.workflow, "assign", assign)
    response = office.post(reverse("office:batch_assign"), assign_data(registered, units["科技"]))
    assert "第15行（《关于批量办理第15件事项的建议》）" in response.content.decode()
    assert not Assignment.objects.filter(proposal__in=registered).exists()
    assert (
        Proposal.objects.filter(
            pk__in=[p.pk for p in registered[:14]], status=Proposal.Status.REGISTERED
        ).count()
        == 14
    )


def test_assigning_twenty_in_one_request_query_count_and_time(
    office, registered, units, django_assert_max_num_queries
):
    data = assign_data(registered, units["科技"], co=[units["发展"]])
    started = time.perf_counter()
    with django_assert_max_num_queries(20 * BATCH + 12) as queries:
        response = office.post(reverse("office:batch_assign"), data)
    elapsed = time.perf_counter() - started
    assert response.status_code == 302
    print(f"\nbatch assign of {BATCH}: {len(queries)} queries, {elapsed * 1000:.0f} ms")
    assert elapsed < 15
