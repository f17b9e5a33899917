"""Submitting a reply for sign-off, issuing it (签发), the frozen issued reply, and corrections."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from test_department_support import complete, department, form_data, make_case, make_draft, make_user

from proposals.models import Assignment, Event, Proposal
from responses import drafting
from responses.models import Commitment, Response, ResponseItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(personas):
    return make_case()


@pytest.fixture
def draft(case, personas):
    return make_draft(case, personas["lead"])


@pytest.fixture
def submitted(draft, personas):
    return drafting.submit_reply(complete(draft), user=personas["lead"])


def url(name, reply):
    return reverse(f"department:{name}", args=[reply.pk])


class TestSubmit:
    def test_an_incomplete_draft_is_not_submitted_and_the_page_says_what_is_missing(self, client_for, draft):
        lead = client_for("lead")
        page = lead.post(url("reply_submit", draft), follow=True).content.decode()
        assert "请选择办复类别。" in page
        draft.refresh_from_db()
        assert draft.status == Response.Status.DRAFT

    def test_a_draft_without_items_is_not_submitted(self, client_for, draft):
        complete(draft)
        ResponseItem.objects.filter(response=draft).delete()
        page = client_for("lead").post(url("reply_submit", draft), follow=True).content.decode()
        assert "答复至少要有一个条目。" in page
        draft.refresh_from_db()
        assert draft.status == Response.Status.DRAFT

    def test_a_complete_draft_goes_to_sign_off(self, client_for, draft, case):
        complete(draft)
        response = client_for("lead").post(url("reply_submit", draft))
        assert response["Location"] == url("reply", draft)
        draft.refresh_from_db()
        assert draft.status == Response.Status.SUBMITTED
        event = case.proposal.events.get(kind=Event.Kind.REPLY_SUBMITTED)
        assert event.department == case.lead.department and not event.is_public

    def test_the_reply_page_lists_what_is_missing(self, client_for, draft):
        page = client_for("lead").get(url("reply", draft)).content.decode()
        assert "送审前还需" in page and "请选择办复类别。" in page


class TestIssue:
    def test_a_drafter_who_may_not_sign_off_is_refused(self, submitted, personas):
        drafter = Client()
        drafter.force_login(make_user("keji2", "自治区科技厅"))
        response = drafter.post(url("reply_issue", submitted))
        assert response.status_code == 403
        assert "只有本单位有签发权限的人员可以签发答复。" in response.content.decode()
        submitted.refresh_from_db()
        assert submitted.status == Response.Status.SUBMITTED

    def test_a_signer_of_another_department_cannot_even_see_it(self, submitted):
        other = Client()
        other.force_login(make_user("fagai-head", "自治区发展改革委", can_sign_off=True))
        assert other.post(url("reply_issue", submitted)).status_code == 404
        submitted.refresh_from_db()
        assert submitted.status == Response.Status.SUBMITTED

    def test_a_draft_must_be_submitted_before_it_is_issued(self, client_for, draft):
        complete(draft)
        page = client_for("lead").post(url("reply_issue", draft), follow=True).content.decode()
        assert "只有送审的答复可以签发" in page
        draft.refresh_from_db()
        assert draft.status == Response.Status.DRAFT

    def test_the_signer_issues_the_proposal_is_replied_and_people_are_told(
        self, client_for, submitted, case, personas, mailoutbox, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            response = client_for("lead").post(url("reply_issue", submitted))
        assert response.status_code == 302
        submitted.refresh_from_db()
        assert submitted.status == Response.Status.ISSUED
        assert submitted.issued_on == timezone.localdate()
        assert submitted.issued_by == personas["lead"]
        case.proposal.refresh_from_db()
        assert case.proposal.status == Proposal.Status.REPLIED
        event = case.proposal.events.get(kind=Event.Kind.REPLY_ISSUED)
        assert event.is_public
        recipients = sorted(address for mail in mailoutbox for address in mail.to)
        assert recipients == ["fagai@example.org", "jiangqiaoling@example.org"]
        assert "答复签发" in mailoutbox[0].subject

    def test_nothing_is_mailed_when_the_issue_is_refused(
        self, draft, personas, mailoutbox, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(drafting.Refused):
            drafting.issue_reply(complete(draft), user=personas["lead"])
        assert mailoutbox == []

    def test_with_separate_handling_the_proposal_is_replied_once_every_department_has(self, personas):
        case = make_case()
        Assignment.objects.filter(pk=case.co.pk).delete()
        Assignment.objects.filter(pk=case.lead.pk).update(role=Assignment.Role.SEPARATE)
        other = Assignment.objects.create(
            proposal=case.proposal,
            department=department("自治区财政厅"),
            role=Assignment.Role.SEPARATE,
            received_on=datetime.date(2026, 3, 2),
        )
        case.lead.refresh_from_db()
        first = drafting.submit_reply(complete(make_draft(case, personas["lead"])), user=personas["lead"])
        drafting.issue_reply(first, user=personas["lead"])
        case.proposal.refresh_from_db()
        assert case.proposal.status == Proposal.Status.IN_HANDLING

        signer = make_user("caizheng", "自治区财政厅", can_sign_off=True)
        second, _ = drafting.start_reply(other, user=signer)
        ResponseItem.objects.create(response=second, position=1, heading="关于资金的建议")
        drafting.submit_reply(complete(second), user=signer)
        drafting.issue_reply(second, user=signer)
        case.proposal.refresh_from_db()
        assert case.proposal.status == Proposal.Status.REPLIED


class TestFrozen:
    @pytest.fixture
    def issued(self, submitted, personas):
        return drafting.issue_reply(submitted, user=personas["lead"])

    def test_the_edit_page_refuses_with_a_message(self, client_for, issued):
        response = client_for("lead").get(url("reply_edit", issued))
        assert response.status_code == 403
        assert "此答复已于" in response.content.decode() and "不能再修改" in response.content.decode()

    def test_a_save_posted_from_an_old_page_changes_nothing(self, client_for, draft, personas):
        lead = client_for("lead")
        data = form_data(lead.get(url("reply_edit", draft)).content)
        drafting.issue_reply(
            drafting.submit_reply(complete(draft), user=personas["lead"]), user=personas["lead"]
        )
        data["title"] = "签发后偷偷改的标题"
        assert lead.post(url("reply_edit", draft), data).status_code == 403
        draft.refresh_from_db()
        assert draft.title != "签发后偷偷改的标题"

    def test_it_cannot_be_submitted_again(self, client_for, issued):
        assert client_for("lead").post(url("reply_submit", issued)).status_code == 403

    def test_the_claim_itself_refuses_an_issued_reply(self, issued):
        with pytest.raises(drafting.StaleEdit):
            drafting.claim_edit(issued, issued.lock_version)


class TestCorrection:
    @pytest.fixture
    def issued(self, submitted, personas):
        return drafting.issue_reply(submitted, user=personas["lead"])

    def test_a_correction_is_a_new_draft_version_and_the_original_stays(self, client_for, issued, case):
        items_before = list(ResponseItem.objects.filter(response=issued).values_list("heading", "paragraphs"))
        response = client_for("lead").post(url("reply_correct", issued), {"reason": "第二条数据有误"})

        correction = Response.objects.get(proposal=case.proposal, version=2)
        assert response["Location"] == url("reply_edit", correction)
        assert (correction.status, correction.supersedes, correction.correction_reason) == (
            Response.Status.DRAFT,
            issued,
            "第二条数据有误",
        )
        assert correction.title == issued.title and correction.issued_on is None
        copied = list(ResponseItem.objects.filter(response=correction).values_list("heading", "paragraphs"))
        assert sorted(copied) == sorted(items_before)
        assert Commitment.objects.get(item__response=correction).text == "下一步，我们将落实第1条。"
        issued.refresh_from_db()
        assert issued.status == Response.Status.ISSUED
        assert ResponseItem.objects.filter(response=issued).count() == len(items_before)
        assert case.proposal.events.filter(kind=Event.Kind.REPLY_CORRECTED).count() == 1

    def test_sub_items_keep_their_parent_in_the_copy(self, issued, personas):
        parent = ResponseItem.objects.get(response=issued, position=1)
        ResponseItem.objects.create(
            response=issued, parent=parent, position=1, number_label="（一）", heading="子"
        )
        correction = drafting.start_correction(issued, reason="补充", user=personas["lead"])
        child = ResponseItem.objects.get(response=correction, heading="子")
        assert child.parent.response_id == correction.pk and child.parent.heading == parent.heading

    def test_a_reason_is_required(self, client_for, issued):
        page = client_for("lead").post(url("reply_correct", issued), {"reason": " "})
        assert "请说明更正理由。" in page.content.decode()
        assert Response.objects.filter(supersedes=issued).count() == 0

    def test_a_reply_is_corrected_once_and_drafts_are_not_corrected(
        self, client_for, issued, draft, personas
    ):
        drafting.start_correction(issued, reason="一", user=personas["lead"])
        page = client_for("lead").get(url("reply_correct", issued)).content.decode()
        assert "此答复已有更正版本。" in page
        with pytest.raises(drafting.Refused, match="此答复已有更正版本"):
            drafting.start_correction(issued, reason="二", user=personas["lead"])
        correction = Response.objects.get(supersedes=issued)
        with pytest.raises(drafting.Refused, match="只有已签发的答复可以更正"):
            drafting.start_correction(correction, reason="三", user=personas["lead"])

    def test_issuing_a_correction_leaves_the_proposal_state_alone(self, issued, case, personas):
        Proposal.objects.filter(pk=case.proposal.pk).update(status=Proposal.Status.FEEDBACK_RECEIVED)
        correction = drafting.start_correction(issued, reason="更正错字", user=personas["lead"])
        drafting.issue_reply(drafting.submit_reply(correction, user=personas["lead"]), user=personas["lead"])
        case.proposal.refresh_from_db()
        assert case.proposal.status == Proposal.Status.FEEDBACK_RECEIVED
        issued.refresh_from_db()
        assert issued.status == Response.Status.ISSUED

    def test_progress_is_reported_on_the_original_until_its_correction_is_issued(
        self, client_for, issued, personas
    ):
        lead = client_for("lead")
        assert "报告进展" in lead.get(url("reply", issued)).content.decode()
        correction = drafting.start_correction(issued, reason="更正错字", user=personas["lead"])
        assert "报告进展" in lead.get(url("reply", issued)).content.decode()
        drafting.issue_reply(drafting.submit_reply(correction, user=personas["lead"]), user=personas["lead"])
        assert "报告进展" not in lead.get(url("reply", issued)).content.decode()
        assert "报告进展" in lead.get(url("reply", correction)).content.decode()


def test_the_department_prints_and_downloads_its_issued_letter_before_it_is_published(
    client_for, submitted, personas
):
    reply = drafting.issue_reply(submitted, user=personas["lead"])
    lead = client_for("lead")
    page = lead.get(url("reply", reply)).content.decode()
    print_url = reverse("letters:print", args=[reply.pk])
    docx_url = reverse("letters:docx", args=[reply.pk])
    assert f'href="{print_url}"' in page and f'href="{docx_url}"' in page
    assert lead.get(print_url).status_code == 200
    download = lead.get(docx_url)
    assert download.status_code == 200
    assert download["Content-Type"].endswith("wordprocessingml.document")
    assert "20200999" in download["Content-Disposition"] or "filename" in download["Content-Disposition"]


def test_a_draft_offers_no_print_or_download(client_for, draft):
    page = client_for("lead").get(url("reply", draft)).content.decode()
    assert "下载 Word" not in page
