"""Commitment progress: dated reports, the commitment's status follows, the department's list of
open commitments with overdue flags."""

import datetime

import pytest
from django.urls import reverse
from test_department_support import complete, department, make_case, make_draft

from proposals.models import Event
from responses import drafting
from responses.models import Commitment, CommitmentProgress, Response

pytestmark = pytest.mark.django_db


@pytest.fixture
def commitment(seed_letter, personas):
    return (
        Commitment.objects.filter(item__response=seed_letter).order_by("item__position", "position").first()
    )


def progress_url(commitment):
    return reverse("department:commitment_progress", args=[commitment.pk])


class TestProgress:
    def test_a_dated_report_is_kept_and_the_commitment_status_follows(self, client_for, commitment, personas):
        response = client_for("lead").post(
            progress_url(commitment),
            {
                "reported_on": "2021-06-30",
                "status": Commitment.Status.IN_PROGRESS,
                "text": "已整合创新平台12个。",
            },
        )
        assert response["Location"] == progress_url(commitment)
        report = CommitmentProgress.objects.get(commitment=commitment)
        assert (report.reported_on, report.text, report.reported_by) == (
            datetime.date(2021, 6, 30),
            "已整合创新平台12个。",
            personas["lead"],
        )
        commitment.refresh_from_db()
        assert commitment.status == Commitment.Status.IN_PROGRESS
        page = client_for("lead").get(progress_url(commitment)).content.decode()
        assert "2021年6月30日" in page and "已整合创新平台12个。" in page

    def test_the_event_is_public_when_the_reply_is(self, commitment, personas, seed_letter):
        drafting.report_progress(
            commitment,
            reported_on=datetime.date(2021, 6, 30),
            status="done",
            text="已完成。",
            user=personas["lead"],
        )
        event = seed_letter.proposal.events.get(kind=Event.Kind.COMMITMENT_PROGRESS)
        assert event.is_public and "已完成" in event.message

        Response.objects.filter(pk=seed_letter.pk).update(disclosure=Response.Disclosure.ON_REQUEST)
        drafting.report_progress(
            commitment,
            reported_on=datetime.date(2021, 7, 1),
            status="done",
            text="再报。",
            user=personas["lead"],
        )
        latest = seed_letter.proposal.events.filter(kind=Event.Kind.COMMITMENT_PROGRESS).latest("pk")
        assert "再报" in latest.message and not latest.is_public

    def test_a_late_filed_older_report_does_not_override_the_newer_status(self, commitment, personas):
        drafting.report_progress(
            commitment,
            reported_on=datetime.date(2021, 6, 30),
            status="done",
            text="完成。",
            user=personas["lead"],
        )
        drafting.report_progress(
            commitment,
            reported_on=datetime.date(2021, 3, 1),
            status="in_progress",
            text="补报三月进展。",
            user=personas["lead"],
        )
        commitment.refresh_from_db()
        assert commitment.status == Commitment.Status.DONE
        assert commitment.progress_updates.count() == 2

    def test_a_future_date_or_an_empty_text_is_a_field_error(self, client_for, commitment):
        page = client_for("lead").post(
            progress_url(commitment), {"reported_on": "2999-01-01", "status": "done", "text": ""}
        )
        body = page.content.decode()
        assert "报告日期不能晚于今天。" in body and "请填写进展情况。" in body
        assert not CommitmentProgress.objects.exists()

    def test_the_owner_department_may_report_even_when_another_answered(self, client_for, commitment):
        Commitment.objects.filter(pk=commitment.pk).update(owner=department("自治区发展改革委"))
        assert client_for("co").get(progress_url(commitment)).status_code == 200
        assert client_for("lead").get(progress_url(commitment)).status_code == 200  # the answering department
        assert client_for("unrelated").get(progress_url(commitment)).status_code == 404

    def test_draft_commitments_have_no_progress_yet(self, client_for, personas):
        draft = make_draft(make_case(), personas["lead"])
        promise = Commitment.objects.get(item__response=draft)
        assert client_for("lead").get(progress_url(promise)).status_code == 404


class TestList:
    def test_it_lists_open_commitments_with_overdue_flags(self, client_for, seed_letter, personas):
        done, late, *_rest = Commitment.objects.filter(item__response=seed_letter).order_by(
            "item", "position"
        )
        Commitment.objects.filter(pk=done.pk).update(status=Commitment.Status.DONE)
        Commitment.objects.filter(pk=late.pk).update(due_on=datetime.date(2021, 1, 1))
        page = client_for("lead").get(reverse("department:commitments")).content.decode()
        assert progress_url(done) not in page
        assert progress_url(late) in page
        late_row = page[
            page.rindex("<tr", 0, page.index(progress_url(late))) : page.index(progress_url(late))
        ]
        assert "table-danger" in late_row
        assert page.count('class="commitment-row') == 5

    def test_other_departments_do_not_see_them_and_corrected_replies_drop_out(self, client_for, personas):
        case = make_case()
        reply = drafting.submit_reply(complete(make_draft(case, personas["lead"])), user=personas["lead"])
        drafting.issue_reply(reply, user=personas["lead"])
        mine = Commitment.objects.get(item__response=reply)
        assert (
            progress_url(mine)
            not in client_for("unrelated").get(reverse("department:commitments")).content.decode()
        )

        correction = drafting.start_correction(reply, reason="更正", user=personas["lead"])
        assert (
            progress_url(mine) in client_for("lead").get(reverse("department:commitments")).content.decode()
        )
        drafting.issue_reply(drafting.submit_reply(correction, user=personas["lead"]), user=personas["lead"])
        page = client_for("lead").get(reverse("department:commitments")).content.decode()
        assert progress_url(mine) not in page
        assert progress_url(Commitment.objects.get(item__response=correction)) in page

    @pytest.mark.parametrize("count", [1, 15])
    def test_the_query_count_does_not_grow_with_the_rows(
        self, client_for, personas, django_assert_num_queries, count
    ):
        Commitment.objects.all().delete()
        for n in range(count):
            case = make_case(number=f"2020{n:04d}")
            reply = make_draft(case, personas["lead"])
            Response.objects.filter(pk=reply.pk).update(status=Response.Status.ISSUED)
            promise = Commitment.objects.get(item__response=reply)
            for day in (1, 2):
                promise.progress_updates.create(
                    reported_on=datetime.date(2026, 1, day), status="in_progress", text="进展"
                )
        client = client_for("lead")
        # session; user; profile with department; the unit's open commitment ids; the page of
        # commitments with reply, proposal, owner and item parent joined, the latest report and the count
        with django_assert_num_queries(5):
            response = client.get(reverse("department:commitments"))
        assert len(response.context["commitments"]) == count
        assert "2026年1月2日" in response.content.decode()
