"""Correcting a logged proposal before registration: title, body, kind, category, proposers and
submission date; refused once registered; every change lands on the timeline."""

import datetime

import pytest
from django.urls import reverse

from proposals.models import Event, Proposal, ProposalProposer, Proposer
from tests.factories import make_proposal

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(personas, seed_letter):
    proposal = make_proposal(
        session=seed_letter.proposal.session,
        number="",
        status=Proposal.Status.SUBMITTED,
        is_published=False,
        title="关于发展林下经挤的建议",
        body="正文。",
        category=Proposal.Category.ECONOMY,
        submitted_on=datetime.date(2020, 1, 10),
    )
    ProposalProposer.objects.create(
        proposal=proposal, proposer=Proposer.objects.get(name="蒋俏玲"), position=1
    )
    return proposal


def form_data(proposal, **changes):
    data = {
        "kind": proposal.kind,
        "title": proposal.title,
        "body": proposal.body,
        "category": proposal.category,
        "submitted_on": proposal.submitted_on.isoformat() if proposal.submitted_on else "",
        "proposers-TOTAL_FORMS": 2,
        "proposers-INITIAL_FORMS": 0,
        "proposers-0-proposer": Proposer.objects.get(name="蒋俏玲").pk,
        "proposers-0-new_kind": Proposer.Kind.MEMBER,
        "proposers-1-new_kind": Proposer.Kind.MEMBER,
    }
    data.update(changes)
    return data


def url(proposal):
    return reverse("office:proposal_edit", args=[proposal.pk])


def test_the_form_shows_what_was_logged(office, submitted):
    page = office.get(url(submitted)).content.decode()
    assert 'value="关于发展林下经挤的建议"' in page
    assert 'value="2020-01-10"' in page
    assert "修改登记信息" in page


def test_the_proposal_page_offers_the_edit_before_registration_only(office, submitted, seed_letter):
    assert (
        url(submitted) in office.get(reverse("office:proposal_detail", args=[submitted.pk])).content.decode()
    )
    seed = seed_letter.proposal
    assert url(seed) not in office.get(reverse("office:proposal_detail", args=[seed.pk])).content.decode()


def test_a_typo_in_the_title_and_a_second_proposer_are_corrected_and_recorded(office, submitted):
    data = form_data(
        submitted,
        title="关于发展林下经济的建议",
        submitted_on="2020-01-12",
        **{"proposers-1-new_name": "李明"},
    )
    response = office.post(url(submitted), data)
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.title == "关于发展林下经济的建议"
    assert submitted.submitted_on == datetime.date(2020, 1, 12)
    assert [link.proposer.name for link in submitted.proposer_links.order_by("position")] == [
        "蒋俏玲",
        "李明",
    ]
    event = Event.objects.get(proposal=submitted, kind=Event.Kind.EDITED)
    assert "案由：关于发展林下经挤的建议 → 关于发展林下经济的建议" in event.message
    assert "提交日期：2020年1月10日 → 2020年1月12日" in event.message
    assert "提案者：蒋俏玲 → 蒋俏玲、李明" in event.message
    page = office.get(reverse("office:proposal_detail", args=[submitted.pk])).content.decode()
    assert "修改登记信息" in page and "关于发展林下经挤的建议 → 关于发展林下经济的建议" in page


def test_saving_without_changes_records_nothing(office, submitted):
    response = office.post(url(submitted), form_data(submitted), follow=True)
    assert "没有改动。" in response.content.decode()
    assert not Event.objects.filter(proposal=submitted, kind=Event.Kind.EDITED).exists()


def test_bad_input_is_shown_next_to_the_field_and_kept(office, submitted):
    response = office.post(url(submitted), form_data(submitted, title="", body="改过的正文"))
    assert response.status_code == 200
    assert response.context["form"].errors["title"]
    assert "改过的正文" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.body == "正文。"


def test_a_registered_proposal_cannot_be_edited(office, seed_letter):
    seed = seed_letter.proposal
    response = office.post(url(seed), form_data(seed, title="改名", submitted_on="2020-01-01"), follow=True)
    assert "提案已立案（或已审查），不能再修改登记信息。" in response.content.decode()
    seed.refresh_from_db()
    assert seed.title != "改名"


def test_the_edit_page_runs_a_fixed_number_of_queries(office, submitted, django_assert_num_queries):
    # session, user, profile; proposal; all proposers (the select); this proposal's proposers.
    with django_assert_num_queries(6):
        office.get(url(submitted))
    for n in range(10):
        Proposer.objects.create(name=f"委员{n}")
    with django_assert_num_queries(6):
        office.get(url(submitted))
