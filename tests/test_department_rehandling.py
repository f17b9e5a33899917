"""Re-handling after 不满意 carries the work over: the new version starts as a copy of the last
issued one, its commitments linked to their progress history, and the proposer's rating and reason
are in front of the department on the assignment page, the reply page, the editor and the inbox."""

import datetime

import pytest
from django.urls import reverse
from test_department_support import complete, make_case, make_draft

from proposals.models import Proposal
from responses import drafting, feedback
from responses.models import Commitment, Feedback, Response, ResponseItem

pytestmark = pytest.mark.django_db

REASON = "答复没有回应加氢站选址问题，请重新研究。"


@pytest.fixture
def case(personas):
    return make_case()


@pytest.fixture
def rated(case, personas, monkeypatch):
    """Version 1 issued with a document number, contact and a sub-item, a progress report on its
    commitment, then rated 不满意 with a reason: the proposal is being re-handled."""
    lead = personas["lead"]
    reply = make_draft(case, lead)
    first = reply.items.get(position=1)
    ResponseItem.objects.create(
        response=reply,
        parent=first,
        position=1,
        number_label="（一）",
        heading="关于加氢站",
        paragraphs="已建两座。",
    )
    Response.objects.filter(pk=reply.pk).update(
        document_number="桂科函〔2026〕12号", contact_person="王工", contact_phone="0771-1234567"
    )
    drafting.submit_reply(complete(reply), user=lead)
    reply = drafting.issue_reply(reply, user=lead, today=datetime.date(2026, 4, 1))
    promise = Commitment.objects.get(item__response=reply)
    drafting.report_progress(
        promise,
        reported_on=datetime.date(2026, 4, 2),
        status=Commitment.Status.IN_PROGRESS,
        text="已立项。",
        user=lead,
    )
    monkeypatch.setattr(feedback, "today", lambda: datetime.date(2026, 4, 8))
    feedback.record_feedback(
        reply,
        case.proposer,
        rating=Feedback.Rating.UNSATISFIED,
        contacted=False,
        contact_method=Feedback.ContactMethod.NONE,
        comments=REASON,
        actor=personas["proposer"],
    )
    case.proposal.refresh_from_db()
    assert case.proposal.status == Proposal.Status.REHANDLING
    return reply


def test_the_new_version_starts_as_a_copy_of_the_last_issued_one(case, rated, personas):
    second, created = drafting.start_reply(case.lead, user=personas["lead"])
    assert created and second.version == 2 and second.status == Response.Status.DRAFT
    assert (second.document_number, second.contact_person, second.contact_phone, second.salutation) == (
        "桂科函〔2026〕12号",
        "王工",
        "0771-1234567",
        rated.salutation,
    )
    assert second.supersedes is None and second.issued_on is None
    outline = drafting.items_outline(second)
    assert outline == drafting.items_outline(rated)
    assert [item["label"] for item in outline] == ["一、", "二、"]
    assert outline[0]["children"][0]["label"] == "（一）"
    rated.refresh_from_db()
    assert rated.status == Response.Status.ISSUED  # version 1 stays as issued


def test_a_carried_commitment_keeps_its_progress_history_and_is_tracked_once(case, rated, personas):
    second, _created = drafting.start_reply(case.lead, user=personas["lead"])
    old = Commitment.objects.get(item__response=rated)
    new = Commitment.objects.get(item__response=second)
    assert (new.carried_from, new.status) == (old, Commitment.Status.IN_PROGRESS)
    assert new.lineage_ids() == [new.pk, old.pk]

    assert list(Commitment.objects.current().filter(item__response__proposal=case.proposal)) == [
        old
    ]  # v2 not issued yet: v1's promise stands
    drafting.submit_reply(second, user=personas["lead"])
    drafting.issue_reply(second, user=personas["lead"])
    assert list(Commitment.objects.current().filter(item__response__proposal=case.proposal)) == [
        new
    ]  # carried over, not counted twice

    lead = _client(personas, "lead")
    page = lead.get(reverse("department:commitment_progress", args=[new.pk])).content.decode()
    assert "已立项。" in page  # the report made on version 1


def _client(personas, name):
    from django.test import Client

    client = Client()
    client.force_login(personas[name])
    return client


def test_the_reason_is_on_the_assignment_page_the_reply_page_the_editor_and_the_inbox(case, rated, personas):
    lead = _client(personas, "lead")
    assignment_page = lead.get(reverse("department:assignment", args=[case.lead.pk])).content.decode()
    assert "提案者对上一版答复不满意" in assignment_page and REASON in assignment_page
    inbox = lead.get(reverse("department:inbox")).content.decode()
    assert "提案者评价：不满意" in inbox and REASON in inbox

    second, _created = drafting.start_reply(case.lead, user=personas["lead"])
    for name, below in (("reply", '<article class="letter"'), ("reply_edit", 'id="reply-form"')):
        page = lead.get(reverse(f"department:{name}", args=[second.pk])).content.decode()
        top = page[page.index("<main") : page.index(below)]  # at the top, before the letter or the form
        assert REASON in top and "蒋俏玲" in top, name
    # version 1's own page does not claim it re-handles anything
    assert REASON not in lead.get(reverse("department:reply", args=[rated.pk])).content.decode()


def test_no_reason_is_shown_where_nobody_was_dissatisfied(case, personas):
    lead = _client(personas, "lead")
    reply = make_draft(case, personas["lead"])
    assert "不满意" not in lead.get(reverse("department:assignment", args=[case.lead.pk])).content.decode()
    assert "不满意" not in lead.get(reverse("department:reply_edit", args=[reply.pk])).content.decode()
    assert "提案者评价" not in lead.get(reverse("department:inbox")).content.decode()
