"""Publication (公开) and key proposals (重点提案)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from proposals.models import Department, Event, Proposal
from responses.models import Response
from tests.factories import make_response

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposal(personas, seed_letter):
    proposal = seed_letter.proposal
    proposal.is_published = False
    proposal.save()
    return proposal


def issued(proposal, disclosure=Response.Disclosure.PUBLIC):
    return make_response(
        proposal=proposal,
        department=Department.objects.get(name="自治区科技厅"),
        version=2,
        status=Response.Status.ISSUED,
        disclosure=disclosure,
    )


def save(office, proposal, capture, **data):
    with capture(execute=True):
        return office.post(reverse("office:publication", args=[proposal.pk]), data)


def test_publishing_and_marking_a_key_proposal(office, proposal, django_capture_on_commit_callbacks):
    response = save(
        office,
        proposal,
        django_capture_on_commit_callbacks,
        is_published="on",
        is_key="on",
        supervising_leader="张副主席",
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.is_published and proposal.is_key and proposal.supervising_leader == "张副主席"
    assert proposal.events.get(kind=Event.Kind.PUBLISHED).is_public
    assert proposal.events.get(kind=Event.Kind.KEY_PROPOSAL).message == "列为重点提案，由张副主席督办"


def test_a_key_proposal_needs_a_supervising_leader(office, proposal, django_capture_on_commit_callbacks):
    response = save(office, proposal, django_capture_on_commit_callbacks, is_key="on", supervising_leader=" ")
    assert response.context["form"].errors["supervising_leader"] == ["重点提案须填写领办（督办）领导。"]
    proposal.refresh_from_db()
    assert not proposal.is_key and not proposal.events.exists()


def test_saving_without_changes_records_nothing(office, proposal, django_capture_on_commit_callbacks):
    save(office, proposal, django_capture_on_commit_callbacks)
    assert not proposal.events.exists()


def test_an_issued_public_reply_is_published_today_and_the_proposer_is_told(
    office, proposal, django_capture_on_commit_callbacks, mailoutbox
):
    reply = issued(proposal)
    response = save(
        office, proposal, django_capture_on_commit_callbacks, is_published="on", publish_replies=[reply.pk]
    )
    assert response.status_code == 302
    reply.refresh_from_db()
    assert reply.status == Response.Status.PUBLISHED and reply.published_on == timezone.localdate()
    event = proposal.events.get(kind=Event.Kind.REPLY_PUBLISHED)
    assert event.is_public and event.department.name == "自治区科技厅"
    assert [m.to for m in mailoutbox] == [["jiangqiaoling@example.org"]]
    assert f"/replies/{reply.pk}/" in mailoutbox[0].body
    page = office.get(reverse("office:proposal_detail", args=[proposal.pk])).content.decode()
    assert f'href="/replies/{reply.pk}/"' in page


def test_each_issued_version_of_a_reply_has_its_own_checkbox_label(office, proposal):
    # After re-handling the department has issued two replies: the clerk must tell them apart.
    first = issued(proposal)
    second = make_response(
        proposal=proposal,
        department=first.department,
        version=3,
        status=Response.Status.ISSUED,
        disclosure=Response.Disclosure.PUBLIC,
    )
    form = office.get(reverse("office:publication", args=[proposal.pk])).context["form"]
    assert list(form.fields["publish_replies"].choices) == [
        (str(first.pk), "自治区科技厅（第2版，主动公开）"),
        (str(second.pk), "自治区科技厅（第3版，主动公开）"),
    ]


@pytest.mark.parametrize(
    ("disclosure", "label"),
    [(Response.Disclosure.ON_REQUEST, "依申请公开"), (Response.Disclosure.NOT_PUBLIC, "不予公开")],
)
def test_a_reply_not_disclosed_proactively_stays_unpublished(
    office, proposal, django_capture_on_commit_callbacks, mailoutbox, disclosure, label
):
    reply = issued(proposal, disclosure)
    page = office.get(reverse("office:publication", args=[proposal.pk])).content.decode()
    assert "公开属性不是“主动公开”，不在此公开。" in page
    response = save(
        office, proposal, django_capture_on_commit_callbacks, is_published="on", publish_replies=[reply.pk]
    )
    assert response.context["form"].errors["publish_replies"] == [
        f"自治区科技厅的答复公开属性为“{label}”，不主动公开。"
    ]
    reply.refresh_from_db()
    proposal.refresh_from_db()
    assert reply.status == Response.Status.ISSUED and reply.published_on is None
    assert not proposal.is_published and mailoutbox == []


def test_a_reply_is_published_only_with_its_proposal(office, proposal, django_capture_on_commit_callbacks):
    reply = issued(proposal)
    response = save(office, proposal, django_capture_on_commit_callbacks, publish_replies=[reply.pk])
    assert response.context["form"].errors["publish_replies"] == ["公开答复须同时公开提案。"]
    reply.refresh_from_db()
    assert reply.status == Response.Status.ISSUED


def test_unpublishing_and_dropping_the_key_mark(office, proposal, django_capture_on_commit_callbacks):
    Proposal.objects.filter(pk=proposal.pk).update(
        is_published=True, is_key=True, supervising_leader="张副主席"
    )
    save(office, proposal, django_capture_on_commit_callbacks)
    proposal.refresh_from_db()
    assert not proposal.is_published and not proposal.is_key and proposal.supervising_leader == ""
    assert {e.message for e in proposal.events.all()} == {"取消公开", "取消重点提案"}
    assert not proposal.events.filter(is_public=True).exists()
