"""Review (审查): register with the next number, merge, or not register; the proposer is told."""

import pytest
from django.urls import reverse
from django.utils import timezone

from proposals.models import Event, Proposal, ProposalProposer, Proposer
from proposals.workflow import suggest_number
from tests.factories import make_proposal, make_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(personas, seed_letter):
    proposal = make_proposal(
        session=seed_letter.proposal.session,
        number="",
        status=Proposal.Status.SUBMITTED,
        is_published=False,
        title="关于发展林下经济的建议",
    )
    ProposalProposer.objects.create(
        proposal=proposal, proposer=Proposer.objects.get(name="蒋俏玲"), position=1
    )
    return proposal


def review(office, proposal, capture, **data):
    with capture(execute=True):
        return office.post(reverse("office:review", args=[proposal.pk]), data)


# The next number ------------------------------------------------------------------------------


def test_the_first_number_of_a_session_is_its_year_and_0001():
    assert suggest_number(make_session(year=2024)) == "20240001"


def test_the_next_number_follows_the_largest_numeric_one():
    session = make_session(year=2024)
    for number in ("20240005", "20240012", "临1", "２０"):
        make_proposal(session=session, number=number)
    assert suggest_number(session) == "20240013"


def test_the_next_number_keeps_leading_zeros():
    session = make_session(year=2024)
    make_proposal(session=session, number="0009")
    assert suggest_number(session) == "0010"


def test_the_review_page_offers_the_next_number_of_the_session(office, submitted):
    response = office.get(reverse("office:review", args=[submitted.pk]))
    assert response.status_code == 200
    assert 'value="20200288"' in response.content.decode()


# Register -------------------------------------------------------------------------------------


def test_registering_numbers_the_proposal_and_tells_the_proposer(
    office, submitted, django_capture_on_commit_callbacks, mailoutbox
):
    response = review(
        office,
        submitted,
        django_capture_on_commit_callbacks,
        action="register",
        number="20200288",
        registered_on="2020-02-10",
        note="符合立案标准",
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("office:proposal_detail", args=[submitted.pk])
    submitted.refresh_from_db()
    assert submitted.status == Proposal.Status.REGISTERED
    assert submitted.number == "20200288"
    assert str(submitted.registered_on) == "2020-02-10"
    assert submitted.registration_note == "符合立案标准"
    event = submitted.events.get(kind=Event.Kind.REGISTERED)
    assert event.is_public and "20200288" in event.message
    assert [m.to for m in mailoutbox] == [["jiangqiaoling@example.org"]]
    assert "已立案" in mailoutbox[0].body and "20200288" in mailoutbox[0].subject


def test_a_number_already_used_in_the_session_is_refused(
    office, submitted, django_capture_on_commit_callbacks
):
    response = review(
        office,
        submitted,
        django_capture_on_commit_callbacks,
        action="register",
        number="20200287",
        registered_on="2020-02-10",
    )
    assert response.status_code == 200
    assert response.context["form"].errors["number"] == ["本次会议已有第20200287号提案。"]
    submitted.refresh_from_db()
    assert submitted.status == Proposal.Status.SUBMITTED and submitted.number == ""
    assert not submitted.events.exists()


def test_registering_needs_a_number(office, submitted, django_capture_on_commit_callbacks):
    response = review(
        office,
        submitted,
        django_capture_on_commit_callbacks,
        action="register",
        number=" ",
        registered_on="2020-02-10",
    )
    assert response.context["form"].errors["number"] == ["立案须填写编号。"]
    submitted.refresh_from_db()
    assert submitted.status == Proposal.Status.SUBMITTED


# Merge ----------------------------------------------------------------------------------------


def test_merging_points_at_the_other_proposal(
    office, submitted, seed_letter, django_capture_on_commit_callbacks, mailoutbox
):
    response = review(
        office, submitted, django_capture_on_commit_callbacks, action="merge", merge_into="20200287"
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Proposal.Status.MERGED
    assert submitted.merged_into == seed_letter.proposal
    assert submitted.number == ""
    assert "20200287" in submitted.events.get(kind=Event.Kind.MERGED).message
    assert [m.to for m in mailoutbox] == [["jiangqiaoling@example.org"]]
    assert "并入第20200287号提案" in mailoutbox[0].body


def test_merging_into_an_unknown_number_is_refused(office, submitted, django_capture_on_commit_callbacks):
    response = review(
        office, submitted, django_capture_on_commit_callbacks, action="merge", merge_into="99999999"
    )
    assert response.context["form"].errors["merge_into"] == ["本次会议没有第99999999号提案。"]
    submitted.refresh_from_db()
    assert submitted.status == Proposal.Status.SUBMITTED


def test_merging_into_a_proposal_of_another_session_is_refused(
    office, submitted, django_capture_on_commit_callbacks
):
    other = make_proposal(number="20240001")
    response = review(
        office, submitted, django_capture_on_commit_callbacks, action="merge", merge_into=other.number
    )
    assert "本次会议没有第20240001号提案。" in response.context["form"].errors["merge_into"]
    submitted.refresh_from_db()
    assert submitted.merged_into is None


# Not registered -------------------------------------------------------------------------------


def test_not_registering_records_the_reason_and_tells_the_proposer(
    office, submitted, django_capture_on_commit_callbacks, mailoutbox
):
    response = review(
        office,
        submitted,
        django_capture_on_commit_callbacks,
        action="not_register",
        not_registered_reason=Proposal.NotRegisteredReason.TOO_VAGUE,
        note="转为社情民意信息",
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Proposal.Status.NOT_REGISTERED
    assert submitted.not_registered_reason == Proposal.NotRegisteredReason.TOO_VAGUE
    assert submitted.registration_note == "转为社情民意信息"
    assert submitted.number == ""
    event = submitted.events.get(kind=Event.Kind.NOT_REGISTERED)
    assert not event.is_public
    assert event.message == "内容空泛，无具体建议：转为社情民意信息"
    assert "不予立案" in mailoutbox[0].body and "内容空泛" in mailoutbox[0].body


def test_not_registering_needs_a_reason(office, submitted, django_capture_on_commit_callbacks, mailoutbox):
    response = review(office, submitted, django_capture_on_commit_callbacks, action="not_register")
    assert response.context["form"].errors["not_registered_reason"] == ["不予立案须选择理由。"]
    submitted.refresh_from_db()
    assert submitted.status == Proposal.Status.SUBMITTED
    assert mailoutbox == []


def test_the_other_reason_needs_an_explanation(office, submitted, django_capture_on_commit_callbacks):
    response = review(
        office,
        submitted,
        django_capture_on_commit_callbacks,
        action="not_register",
        not_registered_reason=Proposal.NotRegisteredReason.OTHER,
    )
    assert response.context["form"].errors["note"] == ["理由为“其他原因”时请说明。"]


def test_a_proposal_already_reviewed_cannot_be_reviewed_again(office, seed_letter):
    proposal = seed_letter.proposal
    response = office.post(
        reverse("office:review", args=[proposal.pk]), {"action": "register", "number": "1"}, follow=True
    )
    assert "只有已提交、待审查的提案可以审查。" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.number == "20200287" and proposal.status == Proposal.Status.REPLIED


def test_registered_on_defaults_to_today(office, submitted):
    response = office.get(reverse("office:review", args=[submitted.pk]))
    assert response.context["form"]["registered_on"].value() == timezone.localdate()
