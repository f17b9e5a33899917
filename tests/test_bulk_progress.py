"""Bulk progress: a department downloads its open commitments, fills the sheet, uploads it, checks
the preview and confirms; every changed row is recorded, or none."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from proposals.models import Department, Event
from responses import bulk_progress, drafting
from responses.models import Commitment, CommitmentProgress, Response

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)
UPLOAD = reverse("department:bulk_progress")
CONFIRM = reverse("department:bulk_progress_confirm")


@pytest.fixture
def commitments(seed_letter, personas):
    """The seed reply's six open commitments, all 自治区科技厅's (the lead persona)."""
    return list(Commitment.objects.filter(item__response=seed_letter).order_by("item__position", "position"))


@pytest.fixture
def lead(client_for, commitments):
    return client_for("lead")


def download(client):
    response = client.get(reverse("department:bulk_progress_sheet"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content))


def filled(client, edits):
    """The downloaded sheet with `edits` {commitment id: {column index: value}} applied, as an upload."""
    workbook = download(client)
    sheet = workbook.active
    for row in sheet.iter_rows(min_row=2):
        for column, value in edits.get(row[0].value, {}).items():
            row[column].value = value
    return as_upload(workbook)


def as_upload(workbook, name="承诺事项.xlsx"):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


S, P, R, D = bulk_progress.STATUS, bulk_progress.PROGRESS, bulk_progress.REPORTED_ON, bulk_progress.DUE_ON


def test_the_sheet_lists_the_departments_open_commitments(lead, commitments):
    sheet = download(lead).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (
        "编号",
        "提案号",
        "承诺内容",
        "当前状态",
        "当前完成期限",
        "状态",
        "进展情况",
        "报告日期",
        "完成期限",
    )
    assert [row[0] for row in rows[1:]] == [c.pk for c in commitments]
    assert rows[1][1:4] == ("20200287", commitments[0].text, "计划中")
    assert rows[1][S] == "计划中" and rows[1][P] is None


def test_a_department_without_commitments_gets_an_empty_sheet(client_for, commitments):
    rows = list(download(client_for("unrelated")).active.iter_rows(values_only=True))
    assert len(rows) == 1


class TestPreviewAndConfirm:
    def test_the_preview_shows_each_row_and_confirming_records_the_changes(self, lead, commitments, personas):
        first, second, third = commitments[:3]
        new_due = TODAY + 100 * DAY
        upload = filled(
            lead,
            {
                first.pk: {S: "推进中", P: "已整合平台12个。", R: datetime.datetime(2024, 6, 30)},
                third.pk: {P: "方案已报批。", D: new_due.isoformat()},
            },
        )
        page = lead.post(UPLOAD, {"file": upload})
        preview = page.context["preview"]
        assert [row.state for row in preview.rows] == ["changed", "unchanged", "changed", *["unchanged"] * 3]
        assert "有变化2行，无变化4行，有错误0行。" in page.content.decode()
        assert not CommitmentProgress.objects.exists()  # nothing before the confirmation

        response = lead.post(CONFIRM)
        assert response["Location"] == reverse("department:commitments")
        first.refresh_from_db(), second.refresh_from_db(), third.refresh_from_db()
        assert (first.status, second.status, third.status) == ("in_progress", "planned", "planned")
        assert third.due_on == new_due
        report = CommitmentProgress.objects.get(commitment=first)
        assert (report.reported_on, report.text, report.reported_by) == (
            datetime.date(2024, 6, 30),
            "已整合平台12个。",
            personas["lead"],
        )
        assert CommitmentProgress.objects.get(commitment=third).reported_on == TODAY  # left empty: today
        assert first.item.response.proposal.events.filter(kind=Event.Kind.COMMITMENT_PROGRESS).count() == 2
        assert lead.post(CONFIRM)["Location"] == UPLOAD  # confirmed once only

    @pytest.mark.parametrize(
        "edit, error",
        [
            ({S: "已完成"}, "进展情况：请填写进展情况。"),  # the one-by-one rule, not a copy of it
            ({P: "x", R: (TODAY + DAY).isoformat()}, "报告日期：报告日期不能晚于今天。"),
            ({S: "差不多了", P: "x"}, "状态："),
            ({P: "x", R: "下周一"}, "报告日期“下周一”不是有效日期"),
            ({P: "x", D: "2025-02-30"}, "完成期限“2025-02-30”不是有效日期"),
        ],
    )
    def test_one_bad_row_records_nothing(self, lead, commitments, edit, error):
        upload = filled(lead, {commitments[0].pk: {S: "推进中", P: "好的一行。"}, commitments[1].pk: edit})
        page = lead.post(UPLOAD, {"file": upload})
        preview = page.context["preview"]
        assert [row.state for row in preview.rows[:2]] == ["changed", "error"]
        assert any(error in message for message in preview.rows[1].errors)
        assert b"confirm-bulk" not in page.content
        assert lead.post(CONFIRM)["Location"] == UPLOAD
        assert not CommitmentProgress.objects.exists()

    def test_rows_of_another_department_or_repeated_are_errors(self, lead, client_for, commitments):
        workbook = download(lead)
        sheet = workbook.active
        sheet.append([commitments[0].pk, "", "", "", None, "推进中", "又一行", None, None])
        sheet.append([999999, "", "", "", None, "推进中", "不存在", None, None])
        preview = lead.post(UPLOAD, {"file": as_upload(workbook)}).context["preview"]
        assert preview.rows[-2].errors == [f"编号{commitments[0].pk}重复出现"]
        assert preview.rows[-1].errors == ["编号“999999”不是本单位的承诺事项"]
        # the co-handling unit cannot report on the lead's commitments
        other = client_for("co").post(UPLOAD, {"file": filled(lead, {commitments[0].pk: {P: "x"}})})
        assert other.context["preview"].error_count == 6

    def test_a_change_since_the_preview_is_caught_at_confirmation(self, lead, commitments):
        lead.post(UPLOAD, {"file": filled(lead, {commitments[0].pk: {P: "进展。"}})})
        Response.objects.filter(pk=commitments[0].item.response_id).update(status=Response.Status.DRAFT)
        page = lead.post(CONFIRM)
        assert page.status_code == 200 and page.context["stale"]
        assert "不是本单位的承诺事项" in page.content.decode()
        assert not CommitmentProgress.objects.exists()

    def test_a_refusal_while_writing_undoes_the_rows_already_written(self, lead, commitments, monkeypatch):
        edits = {c.pk: {P: f"第{n}项进展。"} for n, c in enumerate(commitments[:3], 1)}
        lead.post(UPLOAD, {"file": filled(lead, edits)})
        real = drafting.report_progress
        calls = []

        def refuse_the_third(commitment, **kwargs):
            calls.append(commitment.pk)
            if len(calls) == 3:
                raise drafting.Refused("模拟拒绝")
            return real(commitment, **kwargs)

        monkeypatch.setattr(drafting, "report_progress", refuse_the_third)
        page = lead.post(CONFIRM)
        assert "模拟拒绝" in page.content.decode()
        assert len(calls) == 3 and not CommitmentProgress.objects.exists()


class TestFiles:
    def test_a_file_that_is_not_a_workbook_is_refused_clearly(self, lead):
        page = lead.post(UPLOAD, {"file": SimpleUploadedFile("a.xlsx", b"not a zip at all")})
        assert page.context["preview"].errors == ["无法读取文件：请上传下载的 .xlsx 承诺事项表。"]
        page = lead.post(UPLOAD, {"file": SimpleUploadedFile("a.csv", b"1,2,3")})
        assert "请上传 .xlsx 格式的Excel文件。" in page.content.decode()
        assert "请选择要上传的文件。" in lead.post(UPLOAD).content.decode()

    def test_a_sheet_with_other_headers_or_no_rows_is_refused(self, lead):
        workbook = Workbook()
        workbook.active.append(["提案", "标题"])
        assert "表头与下载的表格不符" in lead.post(UPLOAD, {"file": as_upload(workbook)}).content.decode()
        workbook = Workbook()
        workbook.active.append([str(h) for h in bulk_progress.HEADERS])
        assert "表中没有承诺事项。" in lead.post(UPLOAD, {"file": as_upload(workbook)}).content.decode()

    def test_too_many_rows_are_refused_without_reading_on(self, lead, commitments, monkeypatch):
        monkeypatch.setattr(bulk_progress, "MAX_ROWS", 3)
        page = lead.post(UPLOAD, {"file": filled(lead, {})})
        assert page.context["preview"].errors == ["一次最多3行。"]

    def test_a_file_over_the_size_limit_is_refused(self, lead, monkeypatch):
        monkeypatch.setattr(bulk_progress, "MAX_BYTES", 10)
        page = lead.post(UPLOAD, {"file": SimpleUploadedFile("a.xlsx", b"x" * 11)})
        assert page.context["preview"].errors == ["文件超过5MB，请只保留下载的承诺事项表。"]


@pytest.mark.parametrize("changed", [1, 6])
def test_the_preview_runs_a_fixed_number_of_queries(lead, commitments, changed, django_assert_num_queries):
    upload = filled(lead, {c.pk: {P: "进展。"} for c in commitments[:changed]})
    # session, user, profile (+department), the rows' commitments (+reply, proposal), the session
    # saved with the rows to confirm (an UPDATE between a savepoint and its release)
    with django_assert_num_queries(7):
        lead.post(UPLOAD, {"file": upload})


def test_the_commitments_page_links_to_bulk_reporting(lead):
    assert reverse("department:bulk_progress") in lead.get(reverse("department:commitments")).content.decode()


def test_an_owner_that_is_not_the_replying_unit_can_report_in_bulk(client_for, commitments):
    commitments[0].owner = Department.objects.get(name="自治区发展改革委")
    commitments[0].save()
    co = client_for("co")
    assert [row[0] for row in download(co).active.iter_rows(min_row=2, values_only=True)] == [
        commitments[0].pk
    ]
    co.post(UPLOAD, {"file": filled(co, {commitments[0].pk: {S: "已完成", P: "已完成。"}})})
    co.post(CONFIRM)
    commitments[0].refresh_from_db()
    assert commitments[0].status == Commitment.Status.DONE


def test_a_sheet_downloaded_in_english_can_be_uploaded_in_chinese(lead, commitments):
    lead.post(reverse("set_language"), {"language": "en"})
    workbook = download(lead)
    assert workbook.active["F2"].value == "Planned"
    workbook.active["F2"].value = "In progress"
    workbook.active["G2"].value = "Started."
    lead.post(reverse("set_language"), {"language": "zh-hans"})
    preview = lead.post(UPLOAD, {"file": as_upload(workbook)}).context["preview"]
    assert [row.state for row in preview.rows[:2]] == ["changed", "unchanged"]
    assert preview.rows[0].cleaned["status"] == Commitment.Status.IN_PROGRESS
