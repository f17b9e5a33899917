"""Members write, co-sign (联名) and submit proposals online; the office reviews them, may return them
for changes (退回修改) or refer them to a unit as an opinion (转意见); drafts stay private."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from notices.models import Notice
from opendata.stats import compute_sessions
from proposals import drafts, submission, workflow
from proposals.models import CosignInvitation, Profile, Proposal, Proposer, Suggestion
from search.models import SearchDocument
from tests.factories import make_department
from tracker import limits

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def session(personas, seed_letter):
    session = seed_letter.proposal.session
    session.submission_deadline = TODAY + datetime.timedelta(days=10)
    session.save()
    return session


@pytest.fixture
def wang(personas):
    """A third member, 王芳, with an account."""
    user = get_user_model().objects.create_user("wangfang", "wangfang@example.org", "x")
    proposer = Proposer.objects.create(name="王芳", kind=Proposer.Kind.MEMBER)
    Profile.objects.create(user=user, role=Profile.Role.DELEGATE, proposer=proposer)
    return user


def jiang(personas):
    return personas["proposer"].profile.proposer


def liming(personas):
    return personas["other_delegate"].profile.proposer


def new_draft(personas, session, **fields):
    draft = drafts.start_draft(
        session=session, kind="proposal", proposer=jiang(personas), actor=personas["proposer"]
    )
    drafts.save_draft(
        draft,
        title=fields.get("title", "关于发展林下经济的建议"),
        body=fields.get("body", "林下经济发展不平衡。"),
        suggestions=fields.get("suggestions", ["加大扶持", "培育龙头企业", "完善标准"]),
        cosign_deadline=fields.get("cosign_deadline", TODAY + datetime.timedelta(days=5)),
    )
    draft.refresh_from_db()
    return draft


def post_draft(client, pk, **data):
    defaults = {
        "title": "关于发展林下经济的建议",
        "body": "林下经济发展不平衡。",
        "cosign_deadline": (TODAY + datetime.timedelta(days=5)).isoformat(),
        "suggestion": ["加大扶持", "培育龙头企业", "完善标准"],
        "next": "edit",
    }
    return client.post(reverse("members:draft_edit", args=[pk]), {**defaults, **data})


class TestDrafting:
    def test_a_member_starts_a_draft_in_an_open_session(self, client_for, session):
        client = client_for("proposer")
        response = client.post(reverse("members:draft_new"), {"session": session.pk, "kind": "proposal"})
        draft = Proposal.objects.get(status=Proposal.Status.DRAFT)
        assert response["Location"] == reverse("members:draft_edit", args=[draft.pk])
        assert draft.first_proposer.name == "蒋俏玲"

    def test_without_an_open_session_the_member_is_told(self, client_for, seed_letter):
        response = client_for("proposer").get(reverse("members:draft_new"), follow=True)
        assert "目前没有接受网上提交的会议" in response.content.decode()

    def test_saving_keeps_the_suggestions_in_page_order_and_drops_blank_rows(
        self, client_for, personas, session
    ):
        draft = new_draft(personas, session, suggestions=[])
        response = post_draft(
            client_for("proposer"), draft.pk, suggestion=["第二条先写", "", "第一条后写", " "]
        )
        assert response.status_code == 302
        assert list(draft.suggestions.values_list("position", "text")) == [
            (1, "第二条先写"),
            (2, "第一条后写"),
        ]

    def test_a_suggestion_too_long_is_shown_next_to_the_rows_and_nothing_typed_is_lost(
        self, client_for, personas, session
    ):
        draft = new_draft(personas, session)
        long = "长" * (limits.SUGGESTION_MAX + 1)
        response = post_draft(client_for("proposer"), draft.pk, title="新标题", suggestion=["短的", long])
        page = response.content.decode()
        assert response.status_code == 200
        assert "第2条建议有5001字，超过上限5000字" in page
        assert long in page and "新标题" in page
        draft.refresh_from_db()
        assert draft.title == "关于发展林下经济的建议"  # nothing saved

    def test_too_many_suggestions_are_refused(self, client_for, personas, session):
        draft = new_draft(personas, session)
        rows = [f"建议{n}" for n in range(limits.SUGGESTIONS_PER_PROPOSAL + 1)]
        page = post_draft(client_for("proposer"), draft.pk, suggestion=rows).content.decode()
        assert "具体建议至多30条" in page

    def test_the_preview_reads_as_the_printed_form(self, client_for, personas, session):
        draft = new_draft(personas, session)
        page = client_for("proposer").get(reverse("members:draft_preview", args=[draft.pk])).content.decode()
        assert "案由" in page and "情况分析" in page and "具体建议" in page
        assert page.index("加大扶持") < page.index("培育龙头企业") < page.index("完善标准")

    def test_without_javascript_the_page_offers_blank_rows(self, client_for, personas, session):
        draft = new_draft(personas, session)
        page = client_for("proposer").get(reverse("members:draft_edit", args=[draft.pk])).content.decode()
        assert page.count('name="suggestion"') == 3 + 2 + 1  # three written, two blank, the template


class TestPrivacy:
    def test_a_draft_is_nowhere_outside_its_writers_pages(self, client_for, personas, session):
        draft = new_draft(personas, session, title="保密草稿标题")
        office = client_for("office")
        assert "保密草稿标题" not in office.get(reverse("office:proposal_list")).content.decode()
        assert "保密草稿标题" not in office.get(reverse("office:dashboard")).content.decode()
        assert "保密草稿标题" not in client_for("anonymous").get("/search/?q=保密草稿").content.decode()
        assert not SearchDocument.objects.filter(proposal=draft).exists()
        assert Proposal.objects.visible_to(personas["office"]).filter(pk=draft.pk).count() == 0
        assert Proposal.objects.visible_to(personas["other_delegate"]).filter(pk=draft.pk).count() == 0

    def test_a_draft_is_not_counted_in_the_statistics(self, personas, session):
        before = compute_sessions([session.pk])[session.pk].figures["session"]["received"]
        new_draft(personas, session)
        assert compute_sessions([session.pk])[session.pk].figures["session"]["received"] == before


class TestCosigning:
    def test_invitees_are_told_in_app_and_by_email(
        self, client_for, personas, session, wang, django_capture_on_commit_callbacks
    ):
        draft = new_draft(personas, session)
        client = client_for("proposer")
        found = client.get(reverse("members:draft_edit", args=[draft.pk]), {"q": "李"}).content.decode()
        assert "李明" in found and "蒋俏玲" not in found.split("member-matches")[1]
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("members:draft_invite", args=[draft.pk]), {"proposer": [liming(personas).pk]})
        assert Notice.objects.filter(user=personas["other_delegate"], title__contains="联名邀请").exists()
        assert [m.to for m in mail.outbox] == [["liming@example.org"]]
        page = client_for("other_delegate").get("/my/").content.decode()
        assert "关于发展林下经济的建议" in page and "待答复" in page

    def test_accepted_cosigners_sign_in_invitation_order_and_declined_ones_do_not(
        self, client_for, personas, session, wang
    ):
        draft = new_draft(personas, session)
        wang_proposer = wang.profile.proposer
        drafts.invite(draft, [wang_proposer, liming(personas)], actor=personas["proposer"])
        for invitation in draft.invitations.all():
            submission.answer_invitation(invitation, accept=True, actor=None)
        submission.submit(draft, actor=personas["proposer"])
        names = [link.proposer.name for link in draft.proposer_links.order_by("position")]
        assert names == ["蒋俏玲", "王芳", "李明"]
        version = draft.versions.get()
        assert [c["name"] for c in version.cosigners] == names
        assert version.suggestions == ["加大扶持", "培育龙头企业", "完善标准"]

    def test_an_invitation_closes_at_its_deadline(self, client_for, personas, session):
        draft = new_draft(personas, session)
        (invitation,) = drafts.invite(draft, [liming(personas)], actor=personas["proposer"])
        Proposal.objects.filter(pk=draft.pk).update(cosign_deadline=TODAY - datetime.timedelta(days=1))
        client = client_for("other_delegate")
        page = client.get(reverse("members:invitation", args=[invitation.pk])).content.decode()
        assert "联名邀请已于" in page and 'value="accept"' not in page
        client.post(reverse("members:invitation", args=[invitation.pk]), {"answer": "accept"})
        invitation.refresh_from_db()
        assert invitation.status == CosignInvitation.Status.PENDING

    def test_inviting_needs_a_cosign_deadline(self, personas, session):
        draft = new_draft(personas, session, cosign_deadline=None)
        with pytest.raises(Exception, match="联名截止日期"):
            drafts.invite(draft, [liming(personas)], actor=personas["proposer"])


class TestSubmitting:
    def test_a_submitted_proposal_is_frozen_and_reaches_the_office_queue(self, client_for, personas, session):
        draft = new_draft(personas, session)
        client = client_for("proposer")
        client.post(reverse("members:draft_submit", args=[draft.pk]))
        draft.refresh_from_db()
        assert draft.status == Proposal.Status.SUBMITTED and draft.submitted_on == TODAY
        assert post_draft(client, draft.pk, title="改了").status_code == 302  # sent to the preview
        draft.refresh_from_db()
        assert draft.title == "关于发展林下经济的建议"
        queue = client_for("office").get(reverse("office:dashboard")).content.decode()
        assert "关于发展林下经济的建议" in queue

    def test_after_the_deadline_a_draft_cannot_be_submitted(self, client_for, personas, session):
        draft = new_draft(personas, session)
        session.submission_deadline = TODAY - datetime.timedelta(days=1)
        session.save()
        page = client_for("proposer").post(reverse("members:draft_submit", args=[draft.pk]), follow=True)
        assert "截止提交" in page.content.decode()
        draft.refresh_from_db()
        assert draft.status == Proposal.Status.DRAFT

    def test_an_incomplete_draft_says_what_is_missing(self, client_for, personas, session):
        draft = new_draft(personas, session, suggestions=[], body="")
        page = client_for("proposer").post(reverse("members:draft_submit", args=[draft.pk]), follow=True)
        text = page.content.decode()
        assert "请填写情况分析" in text and "请至少写一条具体建议" in text


class TestReviewOutcomes:
    def submitted(self, personas, session):
        draft = new_draft(personas, session)
        return submission.submit(draft, actor=personas["proposer"])

    def test_returned_for_changes_then_resubmitted_keeps_both_versions(self, client_for, personas, session):
        proposal = self.submitted(personas, session)
        office = client_for("office")
        response = office.post(
            reverse("office:review", args=[proposal.pk]), {"action": "return", "note": "请补充数据"}
        )
        assert response.status_code == 302
        proposal.refresh_from_db()
        assert proposal.status == Proposal.Status.RETURNED and proposal.times_returned == 1
        page = client_for("proposer").get("/my/").content.decode()
        assert "退回修改" in page and "请补充数据" in page
        post_draft(client_for("proposer"), proposal.pk, body="补充了数据。")
        submission.submit(proposal, actor=personas["proposer"])
        versions = list(proposal.versions.order_by("number"))
        assert [(v.number, v.body, v.return_remarks) for v in versions] == [
            (1, "林下经济发展不平衡。", "请补充数据"),
            (2, "补充了数据。", ""),
        ]

    def test_returning_without_remarks_is_refused_next_to_the_field(self, client_for, personas, session):
        proposal = self.submitted(personas, session)
        response = client_for("office").post(
            reverse("office:review", args=[proposal.pk]), {"action": "return"}
        )
        assert "退回修改须写明修改意见" in response.content.decode()

    def test_referred_to_a_unit_as_an_opinion(self, client_for, personas, session):
        proposal = self.submitted(personas, session)
        unit = make_department("自治区林业局")
        client_for("office").post(
            reverse("office:review", args=[proposal.pk]), {"action": "refer", "referred_to": unit.pk}
        )
        proposal.refresh_from_db()
        assert proposal.status == Proposal.Status.REFERRED and proposal.referred_to == unit
        page = client_for("proposer").get("/my/").content.decode()
        assert "已转自治区林业局作为意见参考" in page

    def test_referring_needs_a_unit(self, client_for, personas, session):
        proposal = self.submitted(personas, session)
        page = client_for("office").post(reverse("office:review", args=[proposal.pk]), {"action": "refer"})
        assert "转意见须选择转送单位" in page.content.decode()

    def test_the_statistics_count_referred_and_once_returned(self, personas, session):
        before = compute_sessions([session.pk])[session.pk].figures["session"]
        referred = self.submitted(personas, session)
        workflow.refer(referred, to=make_department(), actor=personas["office"])
        returned = self.submitted(personas, session)
        workflow.return_for_changes(returned, remarks="改", actor=personas["office"])
        submission.submit(returned, actor=personas["proposer"])
        workflow.register(returned, number="20209001", registered_on=TODAY, actor=personas["office"])
        after = compute_sessions([session.pk])[session.pk].figures["session"]
        assert after["referred"] - before.get("referred", 0) == 1
        assert after["returned_once"] - before.get("returned_once", 0) == 1
        assert after["received"] - before["received"] == 2

    def test_the_stats_page_shows_both_columns(self, client):
        page = client.get("/stats/").content.decode()
        assert "转意见" in page and "曾退回修改" in page


class TestOfficeSessions:
    def test_the_office_sets_a_submission_deadline(self, client_for, session):
        day = TODAY + datetime.timedelta(days=30)
        client = client_for("office")
        response = client.post(
            reverse("office:sessions"), {"session": session.pk, f"s{session.pk}-submission_deadline": day}
        )
        assert response.status_code == 302
        session.refresh_from_db()
        assert session.submission_deadline == day

    def test_a_bad_date_is_shown_next_to_the_field(self, client_for, session):
        response = client_for("office").post(
            reverse("office:sessions"),
            {"session": session.pk, f"s{session.pk}-submission_deadline": "2025-13-40"},
        )
        assert response.status_code == 200
        assert "invalid-feedback" in response.content.decode()


class TestQueryCounts:
    @pytest.mark.parametrize("rows", [1, 8])
    def test_the_draft_pages_run_a_fixed_number_of_queries(
        self, client_for, personas, session, django_assert_num_queries, rows
    ):
        draft = new_draft(personas, session, suggestions=[f"建议{n}" for n in range(rows)])
        for n in range(rows):
            proposer = Proposer.objects.create(name=f"委员{n}")
            CosignInvitation.objects.create(proposal=draft, proposer=proposer, position=n + 1)
        client = client_for("proposer")
        client.get("/")  # the session and user are read once per request either way
        # session, user, profile; the draft; proposer links; invitations; suggestions; attachments;
        # versions; the submission check (suggestions exist)
        with django_assert_num_queries(10):
            client.get(reverse("members:draft_edit", args=[draft.pk]))
        # the same without the submission check
        with django_assert_num_queries(9):
            client.get(reverse("members:draft_preview", args=[draft.pk]))

    @pytest.mark.parametrize("rows", [1, 8])
    def test_the_invitation_page_runs_a_fixed_number_of_queries(
        self, client_for, personas, session, django_assert_num_queries, rows
    ):
        draft = new_draft(personas, session, suggestions=[f"建议{n}" for n in range(rows)])
        (invitation,) = drafts.invite(draft, [liming(personas)], actor=personas["proposer"])
        client = client_for("other_delegate")
        # session, user, profile; the invitation; the draft; proposer links; invitations; suggestions;
        # attachments; versions
        with django_assert_num_queries(10):
            client.get(reverse("members:invitation", args=[invitation.pk]))

    def test_the_new_draft_and_sessions_pages_run_a_fixed_number_of_queries(
        self, client_for, session, django_assert_num_queries
    ):
        member, office = client_for("proposer"), client_for("office")
        # session, user, profile; open sessions; the bodies the member files for
        with django_assert_num_queries(5):
            member.get(reverse("members:draft_new"))
        # session, user, profile; sessions with committees
        with django_assert_num_queries(4):
            office.get(reverse("office:sessions"))

    def test_suggestions_are_rows(self, personas, session):
        draft = new_draft(personas, session)
        assert Suggestion.objects.filter(proposal=draft).count() == 3


class TestCollective:
    def test_an_account_entitled_to_a_body_files_for_it_and_no_one_else_can(
        self, client_for, personas, session
    ):
        group = Proposer.objects.create(name="民盟自治区委员会", kind=Proposer.Kind.COLLECTIVE)
        personas["proposer"].profile.files_for.add(group)
        client = client_for("proposer")
        assert "民盟自治区委员会" in client.get(reverse("members:draft_new")).content.decode()
        client.post(
            reverse("members:draft_new"), {"session": session.pk, "kind": "proposal", "proposer": group.pk}
        )
        draft = Proposal.objects.get(status=Proposal.Status.DRAFT)
        assert draft.first_proposer == group
        assert client.get(reverse("members:draft_edit", args=[draft.pk])).status_code == 200
        assert (
            client_for("other_delegate").get(reverse("members:draft_edit", args=[draft.pk])).status_code
            == 404
        )

    def test_a_body_the_account_does_not_file_for_is_refused(self, client_for, personas, session):
        group = Proposer.objects.create(name="农工党自治区委员会", kind=Proposer.Kind.COLLECTIVE)
        response = client_for("proposer").post(
            reverse("members:draft_new"), {"session": session.pk, "kind": "proposal", "proposer": group.pk}
        )
        assert (
            response.status_code == 200 and not Proposal.objects.filter(status=Proposal.Status.DRAFT).exists()
        )


def test_the_office_dashboard_counts_returned_and_referred(client_for, personas, session):
    returned = submission.submit(new_draft(personas, session), actor=personas["proposer"])
    workflow.return_for_changes(returned, remarks="请修改", actor=personas["office"])
    page = client_for("office").get(reverse("office:dashboard")).content.decode()
    assert "退回修改待委员重新提交：1件" in page and "已转意见：0件" in page


class TestBadInput:
    def test_tampered_ids_are_dropped_or_not_found_never_a_server_error(self, client_for, personas, session):
        draft = new_draft(personas, session)
        member = client_for("proposer")
        for value in ("abc", "９", "99999999999999999999", "-1"):
            response = member.post(reverse("members:draft_invite", args=[draft.pk]), {"proposer": value})
            assert response.status_code == 302
            assert post_draft(member, draft.pk, remove_attachment=value).status_code == 302
            office = client_for("office").post(reverse("office:sessions"), {"session": value})
            assert office.status_code == 404
        assert not draft.invitations.exists()

    def test_attachments_are_kept_and_their_number_is_bounded(
        self, client_for, personas, session, settings, tmp_path
    ):
        from django.core.files.uploadedfile import SimpleUploadedFile

        settings.MEDIA_ROOT = tmp_path
        draft = new_draft(personas, session)
        member = client_for("proposer")
        upload = SimpleUploadedFile("调研报告.txt", "数据".encode())
        assert post_draft(member, draft.pk, attachments=upload).status_code == 302
        assert draft.attachments.count() == 1
        too_many = [SimpleUploadedFile(f"附件{n}.txt", b"x") for n in range(limits.ATTACHMENT_MAX_COUNT)]
        response = post_draft(member, draft.pk, title="改过的标题", attachments=too_many)
        page = response.content.decode()
        assert (
            response.status_code == 200 and "一件提案至多10个附件，已有1个" in page and "改过的标题" in page
        )
        assert draft.attachments.count() == 1


def test_the_first_submission_is_on_the_public_timeline_and_a_resubmission_is_not(personas, session):
    proposal = submission.submit(new_draft(personas, session), actor=personas["proposer"])
    workflow.return_for_changes(proposal, remarks="请修改", actor=personas["office"])
    submission.submit(proposal, actor=personas["proposer"])
    public = list(proposal.events.public().values_list("message", flat=True))
    assert public == ["委员网上提交"]
