"""Constraints hold both ways: full_clean() explains, the database refuses."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from factories import (
    make_assignment,
    make_committee,
    make_department,
    make_item,
    make_proposal,
    make_proposer,
    make_response,
    make_session,
)

from proposals.models import Assignment, Proposal, Session
from responses.models import Commitment, Feedback, Response, ResponseItem

pytestmark = pytest.mark.django_db


def refuses(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_session_reads_like_the_letters():
    committee = make_committee(short_name="自治区政协")
    assert str(make_session(committee, term=12, number=3, year=2020)) == "自治区政协十二届三次会议"
    assert str(make_session(committee, term=10, number=1, year=2008)) == "自治区政协十届一次会议"


def test_session_closing_before_opening_is_refused():
    session = Session(committee=make_committee(), term=1, number=1, year=2020)
    session.opens_on, session.closes_on = "2020-01-10", "2020-01-09"
    with pytest.raises(ValidationError) as error:
        session.full_clean()
    assert "closes_on" in error.value.message_dict


class TestOneLeadPerProposal:
    def test_clean_explains(self):
        proposal = make_proposal()
        make_assignment(proposal, role=Assignment.Role.LEAD)
        second = Assignment(proposal=proposal, department=make_department(), role=Assignment.Role.LEAD)
        with pytest.raises(ValidationError) as error:
            second.full_clean()
        assert error.value.message_dict["role"] == ["一件提案只能有一个主办单位。"]

    def test_database_refuses(self):
        proposal = make_proposal()
        make_assignment(proposal, role=Assignment.Role.LEAD)
        refuses(lambda: make_assignment(proposal, role=Assignment.Role.LEAD))

    def test_co_handling_departments_are_not_limited(self):
        proposal = make_proposal()
        make_assignment(proposal, role=Assignment.Role.LEAD)
        for _ in range(3):
            make_assignment(proposal, role=Assignment.Role.CO_HANDLING)
        assert proposal.assignments.count() == 4


class TestDepartmentOncePerProposal:
    def test_clean_explains(self):
        proposal, department = make_proposal(), make_department()
        make_assignment(proposal, department, role=Assignment.Role.LEAD)
        again = Assignment(proposal=proposal, department=department, role=Assignment.Role.CO_HANDLING)
        with pytest.raises(ValidationError) as error:
            again.full_clean()
        assert "department" in error.value.message_dict

    def test_database_refuses(self):
        proposal, department = make_proposal(), make_department()
        make_assignment(proposal, department, role=Assignment.Role.LEAD)
        refuses(lambda: make_assignment(proposal, department, role=Assignment.Role.CO_HANDLING))


def test_lead_and_separate_handling_do_not_mix():
    proposal = make_proposal()
    make_assignment(proposal, role=Assignment.Role.SEPARATE)
    lead = Assignment(proposal=proposal, department=make_department(), role=Assignment.Role.LEAD)
    with pytest.raises(ValidationError) as error:
        lead.full_clean()
    assert "role" in error.value.message_dict


class TestDueDate:
    def test_clean_explains(self):
        assignment = Assignment(
            proposal=make_proposal(),
            department=make_department(),
            role=Assignment.Role.LEAD,
            assigned_on="2020-03-01",
            due_on="2020-02-28",
        )
        with pytest.raises(ValidationError) as error:
            assignment.full_clean()
        assert error.value.message_dict["due_on"] == ["办理期限不能早于交办日期。"]

    def test_database_refuses(self):
        refuses(lambda: make_assignment(make_proposal(), assigned_on="2020-03-01", due_on="2020-02-28"))


class TestReturnNeedsReason:
    def test_clean_explains(self):
        assignment = Assignment(
            proposal=make_proposal(), department=make_department(), role="lead", returned_on="2020-03-02"
        )
        with pytest.raises(ValidationError) as error:
            assignment.full_clean()
        assert "return_reason" in error.value.message_dict

    def test_database_refuses(self):
        refuses(lambda: make_assignment(make_proposal(), returned_on="2020-03-02"))


class TestNumberUniqueInSession:
    def test_clean_explains(self):
        first = make_proposal(number="20200287")
        clash = Proposal(
            session=first.session, number="20200287", title="另一件", status=Proposal.Status.REGISTERED
        )
        with pytest.raises(ValidationError) as error:
            clash.full_clean()
        assert error.value.message_dict["number"] == ["本次会议已有第20200287号提案。"]

    def test_database_refuses(self):
        first = make_proposal(number="20200287")
        refuses(lambda: make_proposal(session=first.session, number="20200287"))

    def test_same_number_in_another_session_is_fine(self):
        make_proposal(number="20200287")
        assert make_proposal(number="20200287").number == "20200287"

    def test_unnumbered_proposals_do_not_clash(self):
        first = make_proposal(number="", status=Proposal.Status.SUBMITTED)
        make_proposal(session=first.session, number="", status=Proposal.Status.SUBMITTED)
        assert Proposal.objects.filter(session=first.session, number="").count() == 2


class TestMerged:
    def test_clean_explains(self):
        proposal = Proposal(session=make_session(), title="并案的提案", status=Proposal.Status.MERGED)
        with pytest.raises(ValidationError) as error:
            proposal.full_clean()
        assert "merged_into" in error.value.message_dict

    def test_database_refuses(self):
        refuses(lambda: make_proposal(status=Proposal.Status.MERGED, number=""))


class TestNotRegisteredNeedsReason:
    def test_clean_explains(self):
        proposal = Proposal(session=make_session(), title="个人事务", status=Proposal.Status.NOT_REGISTERED)
        with pytest.raises(ValidationError) as error:
            proposal.full_clean()
        assert "not_registered_reason" in error.value.message_dict

    def test_database_refuses(self):
        refuses(lambda: make_proposal(status=Proposal.Status.NOT_REGISTERED, number=""))


class TestNumberOnlyOnceRegistered:
    def test_clean_explains(self):
        proposal = Proposal(session=make_session(), number="1", title="草稿", status=Proposal.Status.DRAFT)
        with pytest.raises(ValidationError) as error:
            proposal.full_clean()
        assert "number" in error.value.message_dict

    def test_database_refuses(self):
        refuses(lambda: make_proposal(status=Proposal.Status.DRAFT, number="1"))


class TestNotPublicNeverPublished:
    def test_clean_explains(self):
        response = make_response(status=Response.Status.ISSUED, disclosure=Response.Disclosure.NOT_PUBLIC)
        response.status = Response.Status.PUBLISHED
        with pytest.raises(ValidationError) as error:
            response.full_clean()
        assert "disclosure" in error.value.message_dict

    def test_database_refuses(self):
        refuses(lambda: make_response(disclosure=Response.Disclosure.NOT_PUBLIC))


def test_class_d_only_where_the_committee_uses_it():
    response = make_response(result_class="D")
    with pytest.raises(ValidationError) as error:
        response.full_clean()
    assert "result_class" in error.value.message_dict
    committee = response.proposal.session.committee
    committee.result_d_label = "留作参考"
    committee.save()
    response.full_clean()


def test_result_class_outside_a_to_d_is_refused_by_the_database():
    refuses(lambda: make_response(result_class="E"))


class TestItemPositions:
    def test_clean_explains(self):
        response = make_response()
        make_item(response, 1)
        with pytest.raises(ValidationError) as error:
            ResponseItem(response=response, position=1, heading="重复").full_clean()
        assert "position" in error.value.message_dict

    def test_database_refuses_top_level_clash(self):
        response = make_response()
        make_item(response, 1)
        refuses(lambda: make_item(response, 1))

    def test_database_refuses_sub_item_clash(self):
        response = make_response()
        parent = make_item(response, 1)
        make_item(response, 1, parent=parent)
        refuses(lambda: make_item(response, 1, parent=parent))

    def test_sub_items_number_from_one_under_each_parent(self):
        response = make_response()
        first, second = make_item(response, 1), make_item(response, 2)
        make_item(response, 1, parent=first)
        make_item(response, 1, parent=second)
        assert response.items.count() == 4


def test_items_nest_two_levels_at_most():
    response = make_response()
    child = make_item(response, 1, parent=make_item(response, 1))
    grandchild = ResponseItem(response=response, parent=child, position=1, heading="第三级")
    with pytest.raises(ValidationError) as error:
        grandchild.full_clean()
    assert "parent" in error.value.message_dict


def test_a_sub_item_stays_in_its_reply():
    parent = make_item(make_response(), 1)
    stray = ResponseItem(response=make_response(), parent=parent, position=1, heading="错位")
    with pytest.raises(ValidationError) as error:
        stray.full_clean()
    assert "parent" in error.value.message_dict


class TestCommitmentText:
    def test_must_be_quoted_from_the_item(self):
        item = make_item(make_response(), 1, paragraphs="下一步，我们将建设平台。")
        with pytest.raises(ValidationError) as error:
            Commitment(item=item, position=1, text="我们将修建道路。").full_clean()
        assert "text" in error.value.message_dict
        Commitment(item=item, position=1, text="我们将建设平台。").full_clean()

    def test_database_refuses_empty_text(self):
        item = make_item(make_response(), 1)
        refuses(lambda: Commitment.objects.create(item=item, position=1, text=""))


def test_overdue_is_derived_from_due_date_and_state():
    import datetime

    item = make_item(make_response(), 1)
    late = Commitment.objects.create(item=item, position=1, text="下一步", due_on=datetime.date(2021, 1, 1))
    kept = Commitment.objects.create(
        item=item, position=2, text="第1条", due_on=datetime.date(2021, 1, 1), status=Commitment.Status.DONE
    )
    today = datetime.date(2021, 6, 1)
    assert late.is_overdue(today) and not kept.is_overdue(today)
    assert list(Commitment.objects.overdue(today)) == [late]


class TestFeedbackContact:
    def make(self, **fields):
        response = make_response(status=Response.Status.ISSUED)
        return Feedback(
            response=response, proposer=make_proposer(), rating=Feedback.Rating.SATISFIED, **fields
        )

    def test_clean_explains(self):
        with pytest.raises(ValidationError) as error:
            self.make(contacted=True).full_clean()
        assert "contact_method" in error.value.message_dict

    def test_database_refuses(self):
        feedback = self.make(contacted=True)
        refuses(feedback.save)


def test_feedback_waits_for_an_issued_reply():
    feedback = Feedback(
        response=make_response(status=Response.Status.DRAFT),
        proposer=make_proposer(),
        rating=Feedback.Rating.UNSATISFIED,
    )
    with pytest.raises(ValidationError):
        feedback.full_clean()


def test_feedback_once_per_proposer_and_reply():
    response, proposer = make_response(), make_proposer()
    Feedback.objects.create(response=response, proposer=proposer, rating=Feedback.Rating.SATISFIED)
    refuses(lambda: Feedback.objects.create(response=response, proposer=proposer, rating="basically"))
