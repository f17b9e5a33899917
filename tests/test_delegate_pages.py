"""The delegate workspace: my proposals, my proposal's page, and my reply letters."""

import datetime

import pytest
from django.urls import reverse
from factories import (
    make_assignment,
    make_commitment,
    make_department,
    make_item,
    make_proposal,
    make_proposer,
    make_response,
)

from proposals.models import Assignment, Department, Event, Proposal, Proposer
from responses import feedback as feedback_rules
from responses.models import CommitmentProgress, Feedback, Response
from responses.views import delegate as delegate_views

pytestmark = pytest.mark.django_db

PERSONAS = ["office", "lead", "co", "unrelated", "proposer", "other_delegate", "anonymous"]
TODAY = datetime.date(2025, 6, 10)


def only(allowed, status=200, others=403, anonymous="login", **exceptions):
    outcome = {persona: (status if persona in allowed else others) for persona in PERSONAS}
    outcome["anonymous"] = anonymous
    outcome.update(exceptions)
    return outcome


# name: (method, args from ids, outcome per persona), as in test_permissions.py. The seed proposal and
# its reply are published: another delegate may read them publicly, so the delegate pages give 403.
MATRIX = {
    "delegate:my_proposals": ("get", lambda ids: [], only({"proposer", "other_delegate"})),
    "delegate:proposal": ("get", lambda ids: [ids["proposal"]], only({"proposer"})),
    "delegate:reply": ("get", lambda ids: [ids["reply"]], only({"proposer"})),
}
# The same pages for the proposer's proposal that is not published, with a reply issued but not
# yet published: everyone but the proposer is an outsider there, except the office and the
# departments, which are refused by role first.
UNPUBLISHED_MATRIX = {
    "delegate:proposal": (
        "get",
        lambda ids: [ids["private_proposal"]],
        only({"proposer"}, other_delegate=404),
    ),
    "delegate:reply": ("get", lambda ids: [ids["private_reply"]], only({"proposer"}, other_delegate=404)),
}


@pytest.fixture
def clock(monkeypatch):
    monkeypatch.setattr(feedback_rules, "today", lambda: TODAY)
    return TODAY


@pytest.fixture
def jiang(personas):
    return Proposer.objects.get(name="蒋俏玲")


@pytest.fixture
def keji(personas):
    return Department.objects.get(name="自治区科技厅")


def issued_reply(proposer, department, *, issued_on=TODAY, published=False, proposers=None, **fields):
    proposal = make_proposal(
        proposers=proposers or [proposer], status=Proposal.Status.REPLIED, is_published=published
    )
    make_assignment(proposal, department, role=Assignment.Role.LEAD, due_on=datetime.date(2025, 8, 1))
    status = Response.Status.PUBLISHED if published else Response.Status.ISSUED
    return make_response(proposal, department, status=status, issued_on=issued_on, **fields)


@pytest.fixture
def ids(personas, seed_letter, jiang, keji):
    private = issued_reply(jiang, keji, salutation="蒋俏玲代表：")
    return {
        "proposal": seed_letter.proposal_id,
        "reply": seed_letter.pk,
        "private_proposal": private.proposal_id,
        "private_reply": private.pk,
    }


def outcome_of(response):
    if response.status_code == 302 and response["Location"].startswith(reverse("login")):
        return "login"
    return response.status_code


@pytest.mark.parametrize(
    ("name", "persona"),
    [(name, persona) for name in MATRIX for persona in PERSONAS],
)
def test_access_matrix(client_for, ids, name, persona):
    method, args, expected = MATRIX[name]
    response = getattr(client_for(persona), method)(reverse(name, args=args(ids)))
    assert outcome_of(response) == expected[persona]


@pytest.mark.parametrize(
    ("name", "persona"),
    [(name, persona) for name in UNPUBLISHED_MATRIX for persona in PERSONAS],
)
def test_access_matrix_for_unpublished_records(client_for, ids, name, persona):
    method, args, expected = UNPUBLISHED_MATRIX[name]
    response = getattr(client_for(persona), method)(reverse(name, args=args(ids)))
    assert outcome_of(response) == expected[persona]


class TestMyProposals:
    def test_workspace_sends_the_delegate_here(self, client_for):
        response = client_for("proposer").get(reverse("workspace"))
        assert response["Location"] == reverse("delegate:my_proposals") == "/my/"

    def test_it_lists_the_proposal_with_departments_roles_and_due_dates(self, client_for, seed_letter, keji):
        lead = Assignment.objects.get(proposal=seed_letter.proposal, department=keji)
        lead.due_on = datetime.date(2020, 9, 30)
        lead.save()
        page = client_for("proposer").get("/my/").content.decode()
        assert "20200287" in page and seed_letter.proposal.title in page
        assert "已答复" in page and "第一提案人" in page
        for department, role in [
            ("自治区科技厅", "主办"),
            ("自治区发展改革委", "会办"),
            ("自治区财政厅", "会办"),
        ]:
            assert f"<td>{department}</td>\n      <td>{role}</td>" in page
        assert "2020年9月30日" in page

    def test_it_links_the_reply_and_lists_commitments_with_latest_progress(self, client_for, seed_letter):
        commitment = seed_letter.items.get(position=1, parent=None).commitments.order_by("position").first()
        CommitmentProgress.objects.create(
            commitment=commitment,
            reported_on=datetime.date(2021, 1, 5),
            status="in_progress",
            text="早的进展",
        )
        CommitmentProgress.objects.create(
            commitment=commitment,
            reported_on=datetime.date(2021, 6, 1),
            status="in_progress",
            text="最新进展说明",
        )
        page = client_for("proposer").get("/my/").content.decode()
        assert f'href="{reverse("delegate:reply", args=[seed_letter.pk])}"' in page
        assert commitment.text in page
        assert "最新进展说明" in page and "2021年6月1日" in page
        assert "早的进展" not in page

    def test_a_co_signer_is_not_the_first_proposer(self, client_for, personas, jiang, keji):
        issued_reply(jiang, keji, proposers=[make_proposer("王五"), jiang])
        page = client_for("proposer").get("/my/").content.decode()
        assert "联名提案人（第2位）" in page

    def test_it_shows_only_my_proposals_and_not_drafts_of_replies(self, client_for, personas, jiang, keji):
        mine = make_proposal(proposers=[jiang], status=Proposal.Status.ASSIGNED, is_published=False)
        make_response(mine, keji, status=Response.Status.DRAFT, title="草稿答复不应出现")
        someone_else = make_proposal(proposers=[make_proposer("赵六")], title="别人的提案")
        page = client_for("proposer").get("/my/").content.decode()
        assert mine.title in page
        assert "草稿答复不应出现" not in page
        assert someone_else.title not in page

    def test_the_other_delegate_sees_an_empty_list(self, client_for, seed_letter):
        page = client_for("other_delegate").get("/my/").content.decode()
        assert "您还没有提案" in page
        assert seed_letter.proposal.title not in page

    def test_it_offers_feedback_within_the_window_and_says_when_given(self, client_for, clock, jiang, keji):
        open_reply = issued_reply(jiang, keji, issued_on=datetime.date(2025, 6, 3))
        rated = issued_reply(jiang, keji, issued_on=datetime.date(2025, 6, 3))
        Feedback.objects.create(
            response=rated,
            proposer=jiang,
            rating=Feedback.Rating.SATISFIED,
            submitted_on=datetime.date(2025, 6, 5),
        )
        late = issued_reply(jiang, keji, issued_on=datetime.date(2025, 3, 3))
        page = client_for("proposer").get("/my/").content.decode()
        assert f'href="{reverse("feedback:give", args=[open_reply.pk])}"' in page
        assert "请于2025年6月24日前评价" in page
        assert "您已于2025年6月5日评价：满意" in page
        assert f'href="{reverse("feedback:give", args=[rated.pk])}"' not in page
        assert f'href="{reverse("feedback:give", args=[late.pk])}"' not in page
        assert "反馈期限已于2025年3月24日届满" in page

    @pytest.mark.parametrize("rows", [1, 12])
    def test_query_count_is_constant(
        self, client_for, django_assert_num_queries, clock, jiang, keji, rows, monkeypatch
    ):
        monkeypatch.setattr(delegate_views, "MY_PAGE_SIZE", 4)
        co = make_department()
        for _ in range(rows):
            reply = issued_reply(jiang, keji, proposers=[jiang, make_proposer("联名者")])
            make_assignment(reply.proposal, co, role=Assignment.Role.CO_HANDLING)
            for position in (1, 2):
                commitment = make_commitment(make_item(reply, position), owner=co)
                CommitmentProgress.objects.create(commitment=commitment, status="in_progress", text="进展")
            Feedback.objects.create(response=reply, proposer=jiang, rating=Feedback.Rating.SATISFIED)
        client = client_for("proposer")
        # session, user, profile; proposals with session and committee; proposer links; standing
        # assignments; issued replies; their items; commitments with owners; progress reports;
        # my feedback; my drafts; invitations to co-sign (none here: their prefetches do not run).
        # The proposals' page carries their total (a window count): no query of its own.
        with django_assert_num_queries(13):
            response = client.get("/my/")
        assert len(response.context["proposals"]) == min(rows + 1, 4)  # and the seed proposal
        assert response.context["page"].paginator.count == rows + 1

    def test_a_hundred_proposals_come_ten_at_a_time(self, client_for, clock, jiang, keji):
        for _ in range(11):
            issued_reply(jiang, keji)
        client = client_for("proposer")
        first = client.get("/my/")
        text = first.content.decode()
        assert len(first.context["proposals"]) == 10
        assert "共12件" in text and "第 1 / 2 页" in text and 'href="?page=2"' in text
        second = client.get("/my/", {"page": 2})
        assert len(second.context["proposals"]) == 2
        shown = {p.pk for p in first.context["proposals"]} | {p.pk for p in second.context["proposals"]}
        mine = Proposal.objects.filter(proposer_links__proposer=jiang).values_list("pk", flat=True)
        assert shown == set(mine)
        # A stale link past the end shows the last page, not an error.
        assert client.get("/my/", {"page": 9}).context["page"].number == 2


class TestProposalPage:
    def test_it_shows_facts_replies_and_the_timeline_that_concerns_me(self, client_for, seed_letter, keji):
        proposal = seed_letter.proposal
        proposal.record(Event.Kind.ASSIGNED, department=keji, message="交办给自治区科技厅主办")
        proposal.record(Event.Kind.PUBLISHED, message="提案公开", public=True)
        proposal.record(Event.Kind.RETURNED, department=keji, message="内部退回理由")
        proposal.record(Event.Kind.CHASED, department=keji, message="内部催办记录")
        page = client_for("proposer").get(reverse("delegate:proposal", args=[proposal.pk])).content.decode()
        # a sole proposer is not labelled 第一提案人 (includes/proposer_role.html: joint proposals only)
        assert proposal.title in page and "蒋俏玲代表" in page and "（第一提案人）" not in page
        assert f'href="{reverse("delegate:reply", args=[seed_letter.pk])}"' in page
        assert "交办给自治区科技厅主办" in page and "提案公开" in page
        assert "内部退回理由" not in page and "内部催办记录" not in page

    def test_it_links_the_feedback_form_while_allowed(self, client_for, seed_letter):
        url = reverse("delegate:proposal", args=[seed_letter.proposal_id])
        link = f'href="{reverse("feedback:give", args=[seed_letter.pk])}"'
        assert link in client_for("proposer").get(url).content.decode()
        Feedback.objects.create(
            response=seed_letter, proposer=seed_letter.proposal.first_proposer, rating="satisfied"
        )
        assert link not in client_for("proposer").get(url).content.decode()

    def test_an_unregistered_proposal_shows_the_reason(self, client_for, jiang):
        proposal = make_proposal(
            proposers=[jiang],
            number="",
            status=Proposal.Status.NOT_REGISTERED,
            not_registered_reason=Proposal.NotRegisteredReason.TOO_VAGUE,
            registration_note="建议转为社情民意信息",
            is_published=False,
        )
        proposal.record(Event.Kind.NOT_REGISTERED, message="不予立案，转社情民意")
        page = client_for("proposer").get(reverse("delegate:proposal", args=[proposal.pk])).content.decode()
        assert "内容空泛，无具体建议：建议转为社情民意信息" in page
        assert "不予立案，转社情民意" in page


class TestReplyLetter:
    def test_the_proposer_reads_an_issued_reply_before_it_is_published(self, client_for, jiang, keji, clock):
        reply = issued_reply(jiang, keji, salutation="蒋俏玲代表：", opening="您的提案收悉。")
        item = make_item(reply, 1)
        commitment = make_commitment(item, due_on=datetime.date(2025, 12, 31))
        CommitmentProgress.objects.create(
            commitment=commitment,
            reported_on=datetime.date(2025, 7, 1),
            status="in_progress",
            text="已启动试点",
        )
        page = client_for("proposer").get(reverse("delegate:reply", args=[reply.pk])).content.decode()
        assert "蒋俏玲代表：" in page and "您的提案收悉。" in page
        assert f'<mark class="commitment" id="{commitment.anchor}"' in page
        assert "已启动试点" in page
        assert "本答复函尚未公开" in page
        assert f'href="{reverse("feedback:give", args=[reply.pk])}"' in page
        # and the public cannot read it yet
        assert client_for("anonymous").get(reply.get_absolute_url()).status_code == 404

    def test_a_draft_of_my_own_reply_is_not_found(self, client_for, jiang, keji):
        reply = issued_reply(jiang, keji)
        reply.status = Response.Status.DRAFT
        reply.save()
        assert client_for("proposer").get(reverse("delegate:reply", args=[reply.pk])).status_code == 404

    def test_a_reply_kept_from_the_public_is_readable_by_its_proposer(self, client_for, jiang, keji):
        reply = issued_reply(jiang, keji, disclosure=Response.Disclosure.NOT_PUBLIC)
        assert client_for("proposer").get(reverse("delegate:reply", args=[reply.pk])).status_code == 200
        assert client_for("other_delegate").get(reverse("delegate:reply", args=[reply.pk])).status_code == 404
