"""回头看: the office opens a round over a past session's open commitments, each unit reports on
its own, late units show on the overdue board and are chased, the round closes with a report."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from opendata import stats
from proposals.models import Department, Event
from responses.drafting import Refused
from responses.followup import rounds
from responses.models import (
    Commitment,
    CommitmentProgress,
    FollowUpAnswer,
    FollowUpRound,
    FollowUpTask,
    Response,
)
from tests.factories import make_commitment, make_item, make_proposal, make_response

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


@pytest.fixture
def seed_commitments(seed_letter, personas):
    """The seed reply's six open commitments; the last one handed to 自治区发展改革委 (co persona)."""
    commitments = list(
        Commitment.objects.filter(item__response=seed_letter).order_by("item__position", "position")
    )
    commitments[-1].owner = Department.objects.get(name="自治区发展改革委")
    commitments[-1].save()
    return commitments


def open_round(office, seed_letter, **fields):
    data = {
        "session": seed_letter.proposal.session_id,
        "title": "2021年度回头看",
        "deadline": f"{TODAY + 10 * DAY:%Y-%m-%d}",
        "instructions": "请如实报告。",
        **fields,
    }
    return office.post(reverse("followup:round_new"), data)


def answer_data(task, outcomes):
    """POST data for the task's form: `outcomes` lists (outcome, new date, explanation) in page order."""
    answers = list(
        task.answers.order_by(
            "commitment__item__response__proposal__number", "commitment__item_id", "commitment__position"
        )
    )
    data = {"form-TOTAL_FORMS": len(answers), "form-INITIAL_FORMS": len(answers)}
    for index, (answer, (outcome, new_due_on, explanation)) in enumerate(zip(answers, outcomes, strict=True)):
        data[f"form-{index}-id"] = answer.pk
        data[f"form-{index}-outcome"] = outcome
        data[f"form-{index}-new_due_on"] = f"{new_due_on:%Y-%m-%d}" if new_due_on else ""
        data[f"form-{index}-explanation"] = explanation
    return data


@pytest.fixture
def round_(office, seed_letter, seed_commitments):
    assert open_round(office, seed_letter).status_code == 302
    return FollowUpRound.objects.get()


def task_of(round_, name):
    return round_.tasks.get(department__name=name)


# Opening ---------------------------------------------------------------------------------------


class TestOpening:
    def test_each_unit_with_open_commitments_gets_a_task_listing_them(
        self, office, seed_letter, seed_commitments, django_capture_on_commit_callbacks, mailoutbox
    ):
        with django_capture_on_commit_callbacks(execute=True):
            response = open_round(office, seed_letter)
        round_ = FollowUpRound.objects.get()
        assert response["Location"] == reverse("followup:round", args=[round_.pk])
        tasks = {task.department.name: task for task in round_.tasks.select_related("department")}
        assert sorted(tasks) == ["自治区发展改革委", "自治区科技厅"]
        assert set(tasks["自治区科技厅"].answers.values_list("commitment", flat=True)) == {
            c.pk for c in seed_commitments[:-1]
        }
        assert list(tasks["自治区发展改革委"].answers.values_list("commitment", flat=True)) == [
            seed_commitments[-1].pk
        ]
        assert sorted(address for message in mailoutbox for address in message.to) == [
            "fagai@example.org",
            "keji@example.org",
        ]
        assert "2021年度回头看" in mailoutbox[0].subject
        event = seed_letter.proposal.events.get(kind=Event.Kind.FOLLOWUP)
        assert not event.is_public and "6项承诺" in event.message

    def test_only_the_chosen_result_classes_are_asked_about(self, office, personas, seed_letter):
        session = seed_letter.proposal.session
        for result_class in ("B", "C"):
            reply = make_response(make_proposal(session=session), result_class=result_class)
            make_commitment(make_item(reply, 1), text="下一步，我们将落实第1条。")
        open_round(office, seed_letter, result_classes=["B"])
        answers = FollowUpAnswer.objects.select_related("commitment__item__response")
        assert [answer.commitment.item.response.result_class for answer in answers] == ["B"]

    def test_a_deadline_in_the_past_is_refused_with_nothing_saved(
        self, office, seed_letter, seed_commitments
    ):
        response = open_round(office, seed_letter, deadline=f"{TODAY - DAY:%Y-%m-%d}")
        assert response.status_code == 200
        assert "报告截止日期不能早于今天。" in response.content.decode()
        assert not FollowUpRound.objects.exists()

    def test_a_session_without_open_commitments_is_refused(self, office, seed_letter, seed_commitments):
        Commitment.objects.update(status=Commitment.Status.DONE)
        response = open_round(office, seed_letter)
        assert "没有待落实的承诺事项" in response.content.decode()
        assert not FollowUpRound.objects.exists()

    def test_a_second_open_round_for_the_same_session_is_refused(self, office, seed_letter, round_):
        response = open_round(office, seed_letter, title="再来一轮")
        assert "已有进行中的回头看" in response.content.decode()
        assert FollowUpRound.objects.count() == 1

    def test_commitments_of_unissued_or_replaced_replies_are_left_out(
        self, office, seed_letter, seed_commitments
    ):
        Response.objects.filter(pk=seed_letter.pk).update(status=Response.Status.DRAFT)
        assert "没有待落实的承诺事项" in open_round(office, seed_letter).content.decode()


# Answering -------------------------------------------------------------------------------------


class TestAnswering:
    def test_a_unit_reports_kept_moved_and_dropped(
        self, client_for, round_, seed_commitments, personas, django_capture_on_commit_callbacks, mailoutbox
    ):
        task = task_of(round_, "自治区科技厅")
        new_date = TODAY + 200 * DAY
        outcomes = [
            ("kept", None, "已整合平台12个"),
            ("moved", new_date, "预计明年完成"),
            ("dropped", None, "国家政策调整，不再单独设立"),
            ("kept", None, ""),
            ("kept", None, ""),
        ]
        with django_capture_on_commit_callbacks(execute=True):
            response = client_for("lead").post(
                reverse("followup:task", args=[task.pk]), answer_data(task, outcomes)
            )
        assert response["Location"] == reverse("followup:task", args=[task.pk])
        statuses = [Commitment.objects.get(pk=c.pk).status for c in seed_commitments[:-1]]
        assert statuses == ["done", "in_progress", "dropped", "done", "done"]
        assert Commitment.objects.get(pk=seed_commitments[1].pk).due_on == new_date
        progress = CommitmentProgress.objects.get(commitment=seed_commitments[2])
        assert "回头看“2021年度回头看”" in progress.text and "国家政策调整" in progress.text
        assert progress.reported_by == personas["lead"]
        task.refresh_from_db()
        assert task.answered_by == personas["lead"] and task.is_answered
        event = (
            seed_commitments[0].item.response.proposal.events.filter(kind=Event.Kind.FOLLOWUP).latest("pk")
        )
        assert event.is_public  # the seed reply is public, so its follow-up is too
        assert "无法落实（国家政策调整，不再单独设立）" in event.message
        assert [m.to for m in mailoutbox] == [["office@example.org"]]

    @pytest.mark.parametrize(
        "outcome, new_due_on, explanation, error",
        [
            ("moved", None, "", "推进中的承诺须填写新的完成期限。"),
            ("moved", TODAY, "", "新的完成期限须晚于今天。"),
            ("dropped", None, "  ", "无法落实的承诺须说明理由。"),
            ("", None, "", "请选择落实情况。"),
            ("forgotten", None, "", "选择一个有效的选项"),
        ],
    )
    def test_an_incomplete_answer_saves_nothing(
        self, client_for, round_, seed_commitments, outcome, new_due_on, explanation, error
    ):
        task = task_of(round_, "自治区科技厅")
        outcomes = [("kept", None, "")] * 4 + [(outcome, new_due_on, explanation)]
        response = client_for("lead").post(
            reverse("followup:task", args=[task.pk]), answer_data(task, outcomes)
        )
        assert response.status_code == 200
        assert error in response.content.decode()
        assert not CommitmentProgress.objects.exists()
        assert set(Commitment.objects.values_list("status", flat=True)) == {"planned"}
        task.refresh_from_db()
        assert not task.is_answered

    def test_a_unit_cannot_answer_twice(self, personas, round_, seed_commitments):
        task = task_of(round_, "自治区发展改革委")
        answer = task.answers.get()
        rounds.answer_task(task, {answer: ("kept", None, "")}, actor=personas["co"])
        with pytest.raises(Refused, match="不能重复报告"):
            rounds.answer_task(task, {answer: ("kept", None, "")}, actor=personas["co"])
        assert CommitmentProgress.objects.count() == 1

    def test_a_closed_round_takes_no_more_answers(self, client_for, personas, round_, seed_commitments):
        rounds.close_round(round_, actor=personas["office"])
        task = task_of(round_, "自治区发展改革委")
        page = client_for("co").get(reverse("followup:task", args=[task.pk]))
        assert "本轮回头看已结束。" in page.content.decode() and b"submit-answers" not in page.content
        client_for("co").post(
            reverse("followup:task", args=[task.pk]), answer_data(task, [("kept", None, "")])
        )
        assert not CommitmentProgress.objects.exists()

    def test_an_answer_must_cover_exactly_the_tasks_commitments(self, personas, round_, seed_commitments):
        task = task_of(round_, "自治区科技厅")
        with pytest.raises(Refused, match="全部承诺事项"):
            rounds.answer_task(task, {task.answers.first(): ("kept", None, "")}, actor=personas["lead"])

    def test_another_units_task_is_not_found(self, client_for, round_):
        task = task_of(round_, "自治区科技厅")
        assert client_for("co").get(reverse("followup:task", args=[task.pk])).status_code == 404
        assert client_for("unrelated").get(reverse("followup:task", args=[task.pk])).status_code == 404

    def test_a_department_lists_its_own_tasks(self, client_for, round_):
        page = client_for("co").get(reverse("followup:tasks"))
        assert [task.department.name for task in page.context["tasks"]] == ["自治区发展改革委"]
        assert "待报告" in page.content.decode()
        assert list(client_for("unrelated").get(reverse("followup:tasks")).context["tasks"]) == []

    def test_the_proposer_sees_the_answers_on_their_page(self, client_for, personas, round_, seed_letter):
        task = task_of(round_, "自治区发展改革委")
        rounds.answer_task(
            task, {task.answers.get(): ("kept", None, "示范区方案已出台")}, actor=personas["co"]
        )
        page = client_for("proposer").get(reverse("delegate:proposal", args=[seed_letter.proposal_id]))
        text = page.content.decode()
        assert "自治区发展改革委报告" in text and "已落实（示范区方案已出台）" in text
        # and knows when the answers are due
        assert "请责任单位于" in text


# The office: following, chasing, closing, reporting ---------------------------------------------


class TestOffice:
    def test_late_units_are_on_the_overdue_board_and_can_be_chased(
        self, office, round_, django_capture_on_commit_callbacks, mailoutbox
    ):
        FollowUpRound.objects.update(deadline=TODAY - 3 * DAY)
        board = office.get(reverse("office:overdue"))
        tasks = board.context["followup_tasks"]
        assert [(task.department.name, task.days_overdue) for task in tasks] == [
            ("自治区发展改革委", 3),
            ("自治区科技厅", 3),
        ]
        assert "回头看未报告" in board.content.decode()
        task = tasks[0]
        with django_capture_on_commit_callbacks(execute=True):
            response = office.post(
                reverse("followup:task_chase", args=[task.pk]), {"note": "请今天报告", "next": "board"}
            )
        assert response["Location"] == reverse("office:overdue")
        task.refresh_from_db()
        assert task.chase_count == 1 and task.last_chased_at is not None
        assert [m.to for m in mailoutbox] == [["fagai@example.org"]]
        assert "请今天报告" in mailoutbox[0].body

    def test_units_not_yet_due_stay_off_the_board_beyond_its_window(self, office, round_):
        FollowUpRound.objects.update(deadline=TODAY + 30 * DAY)
        assert office.get(reverse("office:overdue")).context["followup_tasks"] == []
        assert len(office.get(reverse("office:overdue") + "?within=30").context["followup_tasks"]) == 2

    def test_answered_units_leave_the_board_and_cannot_be_chased(self, office, personas, round_):
        FollowUpRound.objects.update(deadline=TODAY - DAY)
        task = task_of(round_, "自治区发展改革委")
        rounds.answer_task(task, {task.answers.get(): ("kept", None, "")}, actor=personas["co"])
        rows = office.get(reverse("office:overdue")).context["followup_tasks"]
        assert [row.department.name for row in rows] == ["自治区科技厅"]
        office.post(reverse("followup:task_chase", args=[task.pk]))
        task.refresh_from_db()
        assert task.chase_count == 0

    def test_closing_ends_the_round_and_the_board_forgets_it(self, office, round_):
        FollowUpRound.objects.update(deadline=TODAY - DAY)
        assert office.post(reverse("followup:round_close", args=[round_.pk])).status_code == 302
        round_.refresh_from_db()
        assert round_.status == FollowUpRound.Status.CLOSED and round_.closed_at is not None
        assert office.get(reverse("office:overdue")).context["followup_tasks"] == []

    def test_the_report_counts_kept_moved_dropped_and_unreported_per_unit(self, office, personas, round_):
        task = task_of(round_, "自治区科技厅")
        answers = list(task.answers.order_by("commitment__item_id", "commitment__position"))
        given = {
            answers[0]: ("kept", None, ""),
            answers[1]: ("moved", TODAY + 90 * DAY, "明年"),
            answers[2]: ("dropped", None, "政策调整"),
            answers[3]: ("kept", None, ""),
            answers[4]: ("kept", None, ""),
        }
        rounds.answer_task(task, given, actor=personas["lead"])
        rounds.close_round(round_, actor=personas["office"])

        response = office.get(reverse("followup:report_xlsx", args=[round_.pk]))
        workbook = load_workbook(io.BytesIO(response.content))
        summary = [list(row) for row in workbook["汇总"].iter_rows(values_only=True)]
        assert summary[0][:6] == [
            "责任单位",
            "承诺事项",
            "已落实",
            "推进中（调整期限）",
            "无法落实",
            "未报告",
        ]
        assert [row[:6] for row in summary[1:]] == [
            ["自治区发展改革委", 1, 0, 0, 0, 1],
            ["自治区科技厅", 5, 3, 1, 1, 0],
        ]
        details = list(workbook["明细"].iter_rows(values_only=True))
        assert len(details) == 7 and (
            "推进中（调整期限）" in details[2] or "推进中（调整期限）" in details[3]
        )

        response = office.get(reverse("followup:report_docx", args=[round_.pk]))
        text = "\n".join(paragraph.text for paragraph in Document(io.BytesIO(response.content)).paragraphs)
        assert "自治区科技厅" in text
        assert "承诺5项：已落实3项，推进中（调整期限）1项，无法落实1项，未报告0项。" in text
        assert "未报告（催办0次）" in text

    def test_the_round_page_shows_each_unit_and_its_answers(self, office, round_):
        page = office.get(reverse("followup:round", args=[round_.pk]))
        assert [unit.task.department.name for unit in page.context["reports"]] == [
            "自治区发展改革委",
            "自治区科技厅",
        ]
        assert page.content.decode().count('class="followup-answer"') == 6

    def test_the_pages_run_a_fixed_number_of_queries(
        self, office, client_for, round_, django_assert_num_queries
    ):
        # session, user, profile, round (+session, committee, opener), tasks (+unit, answerer), answers
        with django_assert_num_queries(6):
            office.get(reverse("followup:round", args=[round_.pk]))
        # session, user, profile, rounds with counts
        with django_assert_num_queries(4):
            office.get(reverse("followup:rounds"))
        task = task_of(round_, "自治区科技厅")
        lead = client_for("lead")
        # session, user, profile (+department), task (+round, session, committee, unit), answers
        with django_assert_num_queries(5):
            lead.get(reverse("followup:task", args=[task.pk]))
        # session, user, profile (+department), tasks with counts
        with django_assert_num_queries(4):
            lead.get(reverse("followup:tasks"))


def test_a_task_knows_when_it_is_overdue(round_):
    task = FollowUpTask.objects.select_related("round").first()
    assert not task.is_overdue(TODAY)
    assert task.is_overdue(round_.deadline + DAY)


@pytest.mark.django_db(transaction=True)  # the snapshots are cleared when a write really commits
def test_rounds_count_in_the_statistics(personas, round_, seed_letter):
    before = stats.current().sessions.row(seed_letter.proposal.session_id)
    assert (before.followup_asked, before.followup_kept) == (6, 0)
    task = task_of(round_, "自治区发展改革委")
    rounds.answer_task(task, {task.answers.get(): ("dropped", None, "政策调整")}, actor=personas["co"])
    figures = stats.current()
    row = figures.sessions.row(seed_letter.proposal.session_id)
    assert (row.followup_asked, row.followup_kept, row.followup_moved, row.followup_dropped) == (6, 0, 0, 1)
    unit = figures.department_table().row(task.department_id)
    assert (unit.followup_asked, unit.followup_dropped) == (1, 1)
