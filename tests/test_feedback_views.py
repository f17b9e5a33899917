"""Feedback on a reply: the proposer's own form and the office's record of a paper form."""

import datetime

import pytest
from django.urls import reverse
from factories import make_assignment, make_proposal, make_proposer, make_response

from proposals.models import Assignment, DeadlineExtension, Department, Event, Proposal, Proposer
from responses import feedback as feedback_rules
from responses.models import Feedback, Response

pytestmark = pytest.mark.django_db

PERSONAS = ["office", "lead", "co", "unrelated", "proposer", "other_delegate", "anonymous"]
TODAY = datetime.date(2025, 6, 10)
ISSUED = datetime.date(2025, 6, 3)  # 15 working days later (after the Dragon Boat holiday): 24 June


def only(allowed, status=200, others=403, anonymous="login", **exceptions):
    outcome = {persona: (status if persona in allowed else others) for persona in PERSONAS}
    outcome["anonymous"] = anonymous
    outcome.update(exceptions)
    return outcome


# name: (method, args from ids, outcome per persona), as in test_permissions.py. The seed reply is
# public, so another delegate may read it but not rate it (403).
MATRIX = {
    "feedback:give": ("get", lambda ids: [ids["reply"]], only({"proposer"})),
    "feedback:record": ("get", lambda ids: [ids["reply"]], only({"office"})),
}
# A reply issued but not published, on a proposal that is not published: outsiders get 404.
UNPUBLISHED_MATRIX = {
    "feedback:give": ("get", lambda ids: [ids["private_reply"]], only({"proposer"}, other_delegate=404)),
    "feedback:record": ("get", lambda ids: [ids["private_reply"]], only({"office"})),
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


def issued_reply(proposers, department, *, issued_on=ISSUED, due_on=datetime.date(2025, 6, 30), **fields):
    proposal = make_proposal(proposers=proposers, status=Proposal.Status.REPLIED, is_published=False)
    make_assignment(
        proposal, department, role=Assignment.Role.LEAD, assigned_on=datetime.date(2025, 3, 30), due_on=due_on
    )
    fields.setdefault("status", Response.Status.ISSUED)
    return make_response(proposal, department, issued_on=issued_on, **fields)


@pytest.fixture
def reply(clock, jiang, keji):
    return issued_reply([jiang], keji)


@pytest.fixture
def ids(seed_letter, reply):
    return {"reply": seed_letter.pk, "private_reply": reply.pk}


def outcome_of(response):
    if response.status_code == 302 and response["Location"].startswith(reverse("login")):
        return "login"
    return response.status_code


@pytest.mark.parametrize(("name", "persona"), [(name, persona) for name in MATRIX for persona in PERSONAS])
def test_access_matrix(client_for, ids, name, persona):
    method, args, expected = MATRIX[name]
    response = getattr(client_for(persona), method)(reverse(name, args=args(ids)))
    assert outcome_of(response) == expected[persona]


@pytest.mark.parametrize(
    ("name", "persona"), [(name, persona) for name in UNPUBLISHED_MATRIX for persona in PERSONAS]
)
def test_access_matrix_for_unpublished_records(client_for, ids, name, persona):
    method, args, expected = UNPUBLISHED_MATRIX[name]
    response = getattr(client_for(persona), method)(reverse(name, args=args(ids)))
    assert outcome_of(response) == expected[persona]


def answers(**overrides):
    return {"rating": "satisfied", "contacted": "1", "contact_method": "phone", "comments": "", **overrides}


def post(client, reply, django_capture_on_commit_callbacks, **overrides):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("feedback:give", args=[reply.pk]), answers(**overrides))


class TestProposerForm:
    def test_it_shows_the_form_and_the_deadline(self, client_for, reply):
        page = client_for("proposer").get(reverse("feedback:give", args=[reply.pk])).content.decode()
        assert "承办单位办理前是否联系您" in page
        for rating in ["满意", "基本满意", "不满意"]:
            assert rating in page
        assert "2025年6月24日" in page
        assert f'href="{reverse("delegate:reply", args=[reply.pk])}"' in page

    def test_satisfied_from_the_only_proposer_closes_the_proposal(
        self, client_for, reply, jiang, mailoutbox, django_capture_on_commit_callbacks
    ):
        response = post(client_for("proposer"), reply, django_capture_on_commit_callbacks, comments="办得好")
        assert response.status_code == 302
        assert response["Location"] == reverse("delegate:proposal", args=[reply.proposal_id])
        feedback = Feedback.objects.get(response=reply)
        assert (feedback.proposer, feedback.rating, feedback.contacted, feedback.contact_method) == (
            jiang,
            "satisfied",
            True,
            "phone",
        )
        assert feedback.submitted_on == TODAY and feedback.recorded_by is None
        reply.proposal.refresh_from_db()
        assert reply.proposal.status == Proposal.Status.CLOSED
        kinds = list(reply.proposal.events.public().values_list("kind", flat=True))
        assert kinds == [Event.Kind.FEEDBACK_RECEIVED, Event.Kind.CLOSED]
        assert sorted(address for mail in mailoutbox for address in mail.to) == [
            "keji@example.org",
            "office@example.org",
        ]
        assert "满意" in mailoutbox[0].body and "办得好" in mailoutbox[0].body
        assert "已办结" in client_for("proposer").get(response["Location"]).content.decode()

    def test_unsatisfied_starts_rehandling_with_a_new_due_date(
        self, client_for, reply, keji, mailoutbox, django_capture_on_commit_callbacks
    ):
        client = client_for("proposer")
        response = post(
            client,
            reply,
            django_capture_on_commit_callbacks,
            rating="unsatisfied",
            contacted="0",
            contact_method="none",
            comments="没有回应第三条建议",
        )
        assert response.status_code == 302
        reply.proposal.refresh_from_db()
        assert reply.proposal.status == Proposal.Status.REHANDLING
        lead = Assignment.objects.get(proposal=reply.proposal, department=keji)
        assert lead.due_on == datetime.date(2025, 7, 10)  # one month from today
        extension = DeadlineExtension.objects.get(assignment=lead)
        assert (extension.previous_due_on, extension.new_due_on, extension.reason) == (
            datetime.date(2025, 6, 30),
            datetime.date(2025, 7, 10),
            "重新办理",
        )
        events = list(reply.proposal.events.values_list("kind", "is_public"))
        assert events == [(Event.Kind.FEEDBACK_RECEIVED, True), (Event.Kind.REHANDLING, True)]
        to_lead = [mail for mail in mailoutbox if mail.to == ["keji@example.org"]]
        assert len(to_lead) == 1
        assert "重新办理" in to_lead[0].subject
        assert "不满意" in to_lead[0].body and "没有回应第三条建议" in to_lead[0].body
        assert "2025年7月10日" in to_lead[0].body
        assert any(mail.to == ["office@example.org"] for mail in mailoutbox)
        page = client.get(response["Location"]).content.decode()
        assert "提案已转承办单位重新办理，新的办理期限为2025年7月10日" in page
        assert "重新办理" in page

    def test_unsatisfied_needs_a_reason(self, client_for, reply, django_capture_on_commit_callbacks):
        response = post(
            client_for("proposer"), reply, django_capture_on_commit_callbacks, rating="unsatisfied"
        )
        assert response.status_code == 200
        assert response.context["form"].errors == {"comments": ["选择“不满意”时请写明理由。"]}
        assert not Feedback.objects.exists()
        reply.proposal.refresh_from_db()
        assert reply.proposal.status == Proposal.Status.REPLIED

    @pytest.mark.parametrize(
        ("contacted", "method", "error"),
        [
            ("1", "none", "承办单位联系过您，请选择联系方式。"),
            ("0", "in_person", "承办单位未联系您，联系方式请选“未联系”。"),
        ],
    )
    def test_contact_answers_must_agree(
        self, client_for, reply, django_capture_on_commit_callbacks, contacted, method, error
    ):
        response = post(
            client_for("proposer"),
            reply,
            django_capture_on_commit_callbacks,
            contacted=contacted,
            contact_method=method,
        )
        assert response.status_code == 200
        assert response.context["form"].errors == {"contact_method": [error]}
        assert error in response.content.decode()
        assert not Feedback.objects.exists()

    def test_a_second_attempt_is_refused_with_a_message(
        self, client_for, reply, mailoutbox, django_capture_on_commit_callbacks
    ):
        client = client_for("proposer")
        post(client, reply, django_capture_on_commit_callbacks, rating="basically")
        mailoutbox.clear()
        response = post(
            client, reply, django_capture_on_commit_callbacks, rating="unsatisfied", comments="改主意"
        )
        assert response.status_code == 200
        assert response.context["form"] is None
        assert "蒋俏玲代表已于2025年6月10日对本答复作出评价（基本满意），每份答复只能评价一次。" in (
            response.content.decode()
        )
        assert list(Feedback.objects.values_list("rating", flat=True)) == ["basically"]
        assert mailoutbox == []

    def test_after_the_window_the_form_is_refused(
        self, client_for, jiang, keji, clock, django_capture_on_commit_callbacks
    ):
        late = issued_reply([jiang], keji, issued_on=datetime.date(2025, 5, 6))
        page = client_for("proposer").get(reverse("feedback:give", args=[late.pk])).content.decode()
        assert "反馈期限已于2025年5月27日届满，不能再提交评价。" in page
        assert "<form" not in page.split('id="content"')[1]
        response = post(client_for("proposer"), late, django_capture_on_commit_callbacks)
        assert response.status_code == 200
        assert not Feedback.objects.exists()

    def test_the_last_day_of_the_window_is_still_on_time(self, client_for, monkeypatch, reply):
        monkeypatch.setattr(feedback_rules, "today", lambda: datetime.date(2025, 6, 24))
        response = client_for("proposer").get(reverse("feedback:give", args=[reply.pk]))
        assert response.context["refusal"] == "" and response.context["form"] is not None

    def test_a_reply_not_yet_issued_cannot_be_rated(self, client_for, jiang, keji, clock):
        draft = issued_reply([jiang], keji, status=Response.Status.SUBMITTED, issued_on=None)
        response = client_for("proposer").post(reverse("feedback:give", args=[draft.pk]), answers())
        assert response.status_code == 404
        assert not Feedback.objects.exists()

    def test_an_older_version_cannot_be_rated_once_a_new_reply_is_issued(self, client_for, reply, keji):
        make_response(reply.proposal, keji, version=2, status=Response.Status.ISSUED, issued_on=TODAY)
        page = client_for("proposer").get(reverse("feedback:give", args=[reply.pk])).content.decode()
        assert "该单位已有更新的答复，请对最新的答复作出评价。" in page

    def test_nothing_is_half_saved_when_a_step_fails(
        self, client_for, reply, monkeypatch, django_capture_on_commit_callbacks
    ):
        def broken(*args, **kwargs):
            raise RuntimeError("mail queue down")

        monkeypatch.setattr(feedback_rules, "notify", broken)
        with pytest.raises(RuntimeError):
            post(
                client_for("proposer"),
                reply,
                django_capture_on_commit_callbacks,
                rating="unsatisfied",
                comments="否",
            )
        assert not Feedback.objects.exists()
        assert not DeadlineExtension.objects.exists()
        assert not Event.objects.filter(proposal=reply.proposal).exists()
        reply.proposal.refresh_from_db()
        assert reply.proposal.status == Proposal.Status.REPLIED


class TestPaperFeedback:
    def record(self, client, reply, django_capture_on_commit_callbacks, **fields):
        data = {**answers(), "submitted_on": "2025-06-09", **fields}
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("feedback:record", args=[reply.pk]), data)

    def test_the_office_records_feedback_for_a_chosen_proposer(
        self, client_for, personas, jiang, keji, clock, mailoutbox, django_capture_on_commit_callbacks
    ):
        wang = make_proposer("王五")
        reply = issued_reply([jiang, wang], keji)
        page = client_for("office").get(reverse("feedback:record", args=[reply.pk])).content.decode()
        assert "蒋俏玲代表" in page and "王五委员" in page and "尚未收到反馈" in page

        response = self.record(
            client_for("office"),
            reply,
            django_capture_on_commit_callbacks,
            proposer=wang.pk,
            rating="basically",
        )
        assert response.status_code == 302 and response["Location"] == reverse(
            "feedback:record", args=[reply.pk]
        )
        feedback = Feedback.objects.get()
        assert (feedback.proposer, feedback.recorded_by, feedback.submitted_on) == (
            wang,
            personas["office"],
            datetime.date(2025, 6, 9),
        )
        reply.proposal.refresh_from_db()
        assert reply.proposal.status == Proposal.Status.FEEDBACK_RECEIVED  # 蒋俏玲 has not answered yet
        assert any("纸质反馈" in mail.body for mail in mailoutbox if mail.to == ["keji@example.org"])

        page = client_for("office").get(reverse("feedback:record", args=[reply.pk])).content.decode()
        assert "王五委员" in page and "office代录" in page
        assert f'<option value="{wang.pk}"' not in page  # only proposers who have not answered

        self.record(client_for("office"), reply, django_capture_on_commit_callbacks, proposer=jiang.pk)
        reply.proposal.refresh_from_db()
        assert reply.proposal.status == Proposal.Status.CLOSED
        page = client_for("office").get(reverse("feedback:record", args=[reply.pk])).content.decode()
        assert "全部提案者均已对本答复作出评价。" in page

    def test_paper_unsatisfied_starts_rehandling(
        self, client_for, personas, reply, jiang, keji, django_capture_on_commit_callbacks
    ):
        self.record(
            client_for("office"),
            reply,
            django_capture_on_commit_callbacks,
            proposer=jiang.pk,
            rating="unsatisfied",
            comments="纸质表：不满意",
        )
        reply.proposal.refresh_from_db()
        assert reply.proposal.status == Proposal.Status.REHANDLING
        extension = DeadlineExtension.objects.get()
        assert extension.granted_by == personas["office"] and extension.new_due_on == datetime.date(
            2025, 7, 10
        )

    def test_the_window_counts_from_the_date_on_the_paper(
        self, client_for, jiang, keji, clock, django_capture_on_commit_callbacks
    ):
        reply = issued_reply([jiang], keji, issued_on=datetime.date(2025, 5, 6))  # window ended 27 May
        on_time = self.record(
            client_for("office"),
            reply,
            django_capture_on_commit_callbacks,
            proposer=jiang.pk,
            submitted_on="2025-05-27",
        )
        assert on_time.status_code == 302
        assert Feedback.objects.get().submitted_on == datetime.date(2025, 5, 27)

    def test_a_paper_form_dated_after_the_window_is_refused(
        self, client_for, jiang, keji, clock, django_capture_on_commit_callbacks
    ):
        reply = issued_reply([jiang], keji, issued_on=datetime.date(2025, 5, 6))
        response = self.record(
            client_for("office"),
            reply,
            django_capture_on_commit_callbacks,
            proposer=jiang.pk,
            submitted_on="2025-05-28",
        )
        assert response.status_code == 200
        assert "反馈期限已于2025年5月27日届满" in response.content.decode()
        assert not Feedback.objects.exists()

    @pytest.mark.parametrize(
        ("day", "error"),
        [("2025-06-11", "反馈日期不能晚于今天。"), ("2025-06-02", "反馈日期不能早于答复签发日期。")],
    )
    def test_the_date_on_the_paper_must_make_sense(
        self, client_for, reply, jiang, django_capture_on_commit_callbacks, day, error
    ):
        response = self.record(
            client_for("office"),
            reply,
            django_capture_on_commit_callbacks,
            proposer=jiang.pk,
            submitted_on=day,
        )
        assert response.context["form"].errors == {"submitted_on": [error]}
        assert not Feedback.objects.exists()

    def test_feedback_before_the_reply_is_issued_is_refused(
        self, client_for, jiang, keji, clock, django_capture_on_commit_callbacks
    ):
        draft = issued_reply([jiang], keji, status=Response.Status.DRAFT, issued_on=None)
        page = client_for("office").get(reverse("feedback:record", args=[draft.pk])).content.decode()
        assert "答复函签发后才能反馈。" in page
        response = self.record(
            client_for("office"), draft, django_capture_on_commit_callbacks, proposer=jiang.pk
        )
        assert response.status_code == 200
        assert not Feedback.objects.exists()

    def test_comments_are_shown_to_the_office_only(self, client_for, seed_letter, jiang):
        Feedback.objects.create(
            response=seed_letter, proposer=jiang, rating="satisfied", comments="内部意见不公开"
        )
        assert (
            "内部意见不公开"
            in client_for("office").get(reverse("feedback:record", args=[seed_letter.pk])).content.decode()
        )
        for persona in ["anonymous", "other_delegate", "unrelated"]:
            for url in [seed_letter.get_absolute_url(), seed_letter.proposal.get_absolute_url()]:
                assert "内部意见不公开" not in client_for(persona).get(url).content.decode()
