"""Telling people: in-app notices (the bell) next to every email, following a public proposal by
email, and a mail server that fails never failing the step."""

import logging

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from test_department_support import complete, make_case, make_draft

from notices.models import Notice
from proposals.models import Department, Event
from proposals.subscriptions import Subscription
from responses import drafting
from responses.models import Commitment, Response
from tests.factories import make_response

pytestmark = pytest.mark.django_db


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("the mail server is down")

    def __enter__(self):
        return self

    def __exit__(self, *args):
        return False


# In-app notices ---------------------------------------------------------------------------------


class TestNotices:
    def test_the_proposer_gets_a_notice_when_a_reply_is_issued_and_when_it_is_published(
        self, personas, office, django_capture_on_commit_callbacks
    ):
        case = make_case()
        submitted = drafting.submit_reply(complete(make_draft(case, personas["lead"])), user=personas["lead"])
        drafting.issue_reply(submitted, user=personas["lead"])
        notice = Notice.objects.get(user=personas["proposer"])
        assert notice.title.startswith("答复签发：第20200999号") and not notice.is_read
        # the co-handling unit hears of it too, as by email
        assert Notice.objects.filter(user=personas["co"]).count() == 1

        office.post(
            reverse("office:publication", args=[case.proposal.pk]),
            {"is_published": "on", "publish_replies": [submitted.pk]},
        )
        latest = Notice.objects.filter(user=personas["proposer"]).first()
        assert latest.title.startswith("答复公开") and latest.link == f"/replies/{submitted.pk}/"

    def test_a_user_without_an_email_address_still_gets_the_notice(self, personas):
        personas["proposer"].email = ""
        personas["proposer"].save()
        case = make_case()
        submitted = drafting.submit_reply(complete(make_draft(case, personas["lead"])), user=personas["lead"])
        drafting.issue_reply(submitted, user=personas["lead"])
        assert Notice.objects.filter(user=personas["proposer"]).exists()

    def test_the_bell_counts_unread_notices_and_the_list_marks_them_read(self, client_for, personas):
        user = personas["unrelated"]
        first = Notice.objects.create(user=user, title="催办：第1号", link="/department/")
        Notice.objects.create(user=user, title="交办：第2号")
        Notice.objects.create(user=personas["lead"], title="别人的")
        client = client_for("unrelated")
        assert client.get(reverse("notices:unread")).json() == {"unread": 2}
        page = client.get(reverse("notices:list"))
        assert [n.title for n in page.context["page"].object_list] == ["交办：第2号", "催办：第1号"]
        assert client.get(reverse("notices:open", args=[first.pk]))["Location"] == "/department/"
        assert client.get(reverse("notices:unread")).json() == {"unread": 1}
        client.post(reverse("notices:mark_read"))
        assert client.get(reverse("notices:unread")).json() == {"unread": 0}
        assert Notice.objects.get(user=personas["lead"]).read_at is None

    def test_someone_elses_notice_is_neither_opened_nor_marked(self, client_for, personas):
        notice = Notice.objects.create(user=personas["lead"], title="别人的", link="/department/")
        response = client_for("unrelated").get(reverse("notices:open", args=[notice.pk]))
        assert response["Location"] == reverse("notices:list")
        notice.refresh_from_db()
        assert notice.read_at is None

    def test_a_notice_never_sends_anyone_off_the_site(self, client_for, personas):
        notice = Notice.objects.create(user=personas["lead"], title="x", link="//evil.example/")
        assert client_for("lead").get(reverse("notices:open", args=[notice.pk]))["Location"] == reverse(
            "notices:list"
        )

    def test_the_bell_is_in_the_header_for_signed_in_users_only(self, client_for):
        page = client_for("proposer").get(reverse("delegate:my_proposals")).content.decode()
        assert 'id="notice-bell"' in page and "notices/bell.js" in page
        page = client_for("anonymous").get(reverse("proposals:list")).content.decode()
        assert "notice-bell" not in page and "bell.js" not in page
        assert client_for("anonymous").get(reverse("notices:unread")).json() == {"unread": 0}

    def test_the_list_runs_a_fixed_number_of_queries(self, client_for, personas, django_assert_num_queries):
        for n in range(30):
            Notice.objects.create(user=personas["office"], title=f"第{n}条")
        client = client_for("office")
        # session, user, count for the paginator, the page of notices, the profile (the header names
        # the person's unit)
        with django_assert_num_queries(5):
            client.get(reverse("notices:list"))


def test_a_failed_send_never_fails_the_step(
    personas, client_for, settings, django_capture_on_commit_callbacks, caplog
):
    settings.EMAIL_BACKEND = "test_notices.BrokenBackend"
    case = make_case()
    submitted = drafting.submit_reply(complete(make_draft(case, personas["lead"])), user=personas["lead"])
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        response = client_for("lead").post(reverse("department:reply_issue", args=[submitted.pk]))
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Response.Status.ISSUED
    assert "Could not send" in caplog.text
    assert Notice.objects.filter(user=personas["proposer"]).exists()  # the bell still tells


# Following a public proposal ---------------------------------------------------------------------


@pytest.fixture
def proposal(seed_letter, personas):
    return seed_letter.proposal


def follow(client, proposal, email="reader@example.org"):
    return client.post(reverse("proposals:follow", args=[proposal.pk]), {"email": email})


class TestFollowing:
    def test_following_takes_a_confirmed_address(self, client, proposal, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            page = follow(client, proposal, "Reader@Example.org")
        assert "确认邮件已发送" in page.content.decode()
        subscription = Subscription.objects.get()
        assert (subscription.email, subscription.is_confirmed) == ("reader@example.org", False)
        (message,) = mail.outbox
        assert message.to == ["reader@example.org"]
        confirm_url = reverse("proposals:confirm_follow", args=[subscription.token])
        assert confirm_url in message.body
        assert reverse("proposals:unfollow", args=[subscription.token]) in message.body

        assert "确认用reader@example.org关注" in client.get(confirm_url).content.decode()
        subscription.refresh_from_db()
        assert not subscription.is_confirmed  # a link scanner opening the page confirms nothing
        assert "已关注本提案" in client.post(confirm_url).content.decode()
        subscription.refresh_from_db()
        assert subscription.is_confirmed

    def test_a_second_request_within_ten_minutes_sends_no_second_email(
        self, client, proposal, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            follow(client, proposal)
            follow(client, proposal)
        assert len(mail.outbox) == 1 and Subscription.objects.count() == 1

    @pytest.mark.parametrize(
        "email, error", [("", "请填写电子邮箱。"), ("not-an-address", "请填写有效的电子邮箱。")]
    )
    def test_a_bad_address_is_refused_clearly(self, client, proposal, email, error):
        assert error in follow(client, proposal, email).content.decode()
        assert not Subscription.objects.exists()

    def test_an_unpublished_proposal_cannot_be_followed(self, client, proposal):
        proposal.is_published = False
        proposal.save()
        assert client.get(reverse("proposals:follow", args=[proposal.pk])).status_code == 404
        assert follow(client, proposal).status_code == 404

    def test_the_public_page_links_to_following(self, client, proposal):
        page = client.get(reverse("proposals:detail", args=[proposal.pk])).content.decode()
        assert reverse("proposals:follow", args=[proposal.pk]) in page

    def test_followers_hear_once_per_change_and_unconfirmed_ones_not_at_all(
        self, personas, proposal, seed_letter, django_capture_on_commit_callbacks
    ):
        Subscription.objects.create(
            proposal=proposal, email="a@example.org", confirmed_at="2024-01-01T00:00Z"
        )
        Subscription.objects.create(proposal=proposal, email="pending@example.org")
        commitments = list(Commitment.objects.filter(item__response=seed_letter)[:2])
        with django_capture_on_commit_callbacks(execute=True):
            from django.db import transaction

            with transaction.atomic():  # a bulk report: two commitments, one email
                for commitment in commitments:
                    drafting.report_progress(
                        commitment,
                        reported_on=timezone.localdate(),
                        status=Commitment.Status.IN_PROGRESS,
                        text="已启动。",
                        user=personas["lead"],
                    )
        (message,) = mail.outbox
        assert message.to == ["a@example.org"]
        assert message.body.count("承诺进展：") == 2
        token = Subscription.objects.get(email="a@example.org").token
        assert reverse("proposals:unfollow", args=[token]) in message.body

    def test_followers_hear_when_a_reply_is_published(
        self, office, proposal, django_capture_on_commit_callbacks
    ):
        Subscription.objects.create(
            proposal=proposal, email="a@example.org", confirmed_at="2024-01-01T00:00Z"
        )
        reply = make_response(
            proposal=proposal,
            department=Department.objects.get(name="自治区科技厅"),
            version=2,
            status=Response.Status.ISSUED,
        )
        with django_capture_on_commit_callbacks(execute=True):
            office.post(
                reverse("office:publication", args=[proposal.pk]),
                {"is_published": "on", "publish_replies": [reply.pk]},
            )
        followers = [m for m in mail.outbox if m.to == ["a@example.org"]]
        assert len(followers) == 1 and "答复公开" in followers[0].body

    def test_internal_steps_are_not_sent_to_followers(
        self, personas, proposal, django_capture_on_commit_callbacks
    ):
        Subscription.objects.create(
            proposal=proposal, email="a@example.org", confirmed_at="2024-01-01T00:00Z"
        )
        with django_capture_on_commit_callbacks(execute=True):
            proposal.record(Event.Kind.CHASED, message="内部催办")
            proposal.record(Event.Kind.COMMITMENT_PROGRESS, message="未公开答复的进展", public=False)
        assert mail.outbox == []

    def test_unsubscribing_stops_the_emails(self, client, proposal):
        subscription = Subscription.objects.create(
            proposal=proposal, email="a@example.org", confirmed_at="2024-01-01T00:00Z"
        )
        url = reverse("proposals:unfollow", args=[subscription.token])
        assert "不再关注本提案" in client.get(url).content.decode()
        assert Subscription.objects.exists()
        assert "已取消关注" in client.post(url).content.decode()
        assert not Subscription.objects.exists()
        assert "已取消关注" in client.post(url).content.decode()  # twice is fine

    def test_an_unknown_confirmation_token_is_not_found(self, client):
        assert client.get(reverse("proposals:confirm_follow", args=["nope"])).status_code == 404
