"""会办意见: the co-handling department writes its opinion and sends it to the lead, who reads it
next to its draft."""

import pytest
from django.urls import reverse
from django.utils import timezone
from test_department_support import make_case, make_draft

from proposals.models import Event
from responses import drafting
from responses.models import CoHandlingOpinion

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(personas):
    return make_case()


def opinion_url(case):
    return reverse("department:opinion", args=[case.co.pk])


def test_a_saved_draft_stays_with_the_co_handler(client_for, case, personas):
    co = client_for("co")
    response = co.post(opinion_url(case), {"text": "建议增加氢能产业基金。", "save": "1"})
    assert response["Location"] == opinion_url(case)
    opinion = CoHandlingOpinion.objects.get(assignment=case.co)
    assert (opinion.status, opinion.submitted_on, opinion.author) == (
        CoHandlingOpinion.Status.DRAFT,
        None,
        personas["co"],
    )
    assert "建议增加氢能产业基金。" in co.get(opinion_url(case)).content.decode()
    draft = make_draft(case, personas["lead"])
    lead_page = client_for("lead").get(reverse("department:reply_edit", args=[draft.pk])).content.decode()
    assert "建议增加氢能产业基金。" not in lead_page


def test_saving_again_edits_the_same_draft(client_for, case):
    co = client_for("co")
    co.post(opinion_url(case), {"text": "初稿。", "save": "1"})
    co.post(opinion_url(case), {"text": "二稿。", "save": "1"})
    assert list(CoHandlingOpinion.objects.filter(assignment=case.co).values_list("text", flat=True)) == [
        "二稿。"
    ]


def test_submitting_sends_it_to_the_lead_who_sees_it_next_to_the_draft(
    client_for, case, personas, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("co").post(opinion_url(case), {"text": "建议增加氢能产业基金。", "submit": "1"})
    assert response["Location"] == reverse("department:assignment", args=[case.co.pk])
    opinion = CoHandlingOpinion.objects.get(assignment=case.co)
    assert (opinion.status, opinion.submitted_on) == (
        CoHandlingOpinion.Status.SUBMITTED,
        timezone.localdate(),
    )
    event = case.proposal.events.get(kind=Event.Kind.OPINION_SUBMITTED)
    assert event.department == case.co.department and not event.is_public
    assert [mail.to for mail in mailoutbox] == [["keji@example.org"]]
    assert "建议增加氢能产业基金。" in mailoutbox[0].body

    lead = client_for("lead")
    draft = make_draft(case, personas["lead"])
    edit_page = lead.get(reverse("department:reply_edit", args=[draft.pk])).content.decode()
    aside = edit_page[edit_page.index("会办单位意见") :]
    assert "自治区发展改革委" in aside and "建议增加氢能产业基金。" in aside
    assert (
        "建议增加氢能产业基金。"
        in lead.get(reverse("department:assignment", args=[case.lead.pk])).content.decode()
    )


def test_an_empty_opinion_is_a_field_error(client_for, case):
    page = client_for("co").post(opinion_url(case), {"text": "", "submit": "1"}).content.decode()
    assert "请填写会办意见。" in page
    assert not CoHandlingOpinion.objects.exists()


def test_the_opinion_waits_for_receipt(client_for, personas):
    case = make_case(received=False)
    page = client_for("co").post(opinion_url(case), {"text": "意见。", "submit": "1"}).content.decode()
    assert "请先签收此交办。" in page
    assert not CoHandlingOpinion.objects.exists()


def test_the_lead_writes_no_opinion(client_for, case):
    response = client_for("lead").post(
        reverse("department:opinion", args=[case.lead.pk]), {"text": "意见。", "submit": "1"}
    )
    assert response.status_code == 403
    assert "只有会办单位撰写会办意见。" in response.content.decode()
    with pytest.raises(drafting.Refused):
        drafting.save_opinion(case.lead, text="意见。", user=None)
    assert not CoHandlingOpinion.objects.exists()


def test_the_co_handler_may_not_draft_the_reply(client_for, case):
    response = client_for("co").post(reverse("department:start_reply", args=[case.co.pk]))
    assert response.status_code == 403
    assert "会办单位不直接答复提案者" in response.content.decode()
