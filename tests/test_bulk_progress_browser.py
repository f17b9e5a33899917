"""Bulk progress in a real browser (Chromium): download the sheet, fill it, upload, preview, confirm."""

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from responses import bulk_progress
from responses.models import Commitment, CommitmentProgress

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def test_a_department_reports_progress_from_a_filled_sheet(
    live_server, page, personas, seed_letter, tmp_path
):
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "keji")
    page.fill("input[name=password]", "keji-demo-2026")
    page.locator("form button[type=submit], form input[type=submit]").last.click()
    page.goto(f"{live_server.url}/department/commitments/")
    page.get_by_role("link", name="用Excel批量报告进展").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="下载本单位待落实的承诺事项表").click()
    workbook = load_workbook(io.BytesIO(Path(download_info.value.path()).read_bytes()))
    sheet = workbook.active
    first, second = sheet[2], sheet[3]
    first[bulk_progress.STATUS].value = "已完成"
    first[bulk_progress.PROGRESS].value = "创新平台已整合完毕。"
    second[bulk_progress.STATUS].value = "推进中"  # but no progress text: refused, as one by one
    filled = tmp_path / "承诺事项.xlsx"
    workbook.save(filled)

    page.set_input_files("input[name=file]", str(filled))
    page.get_by_role("button", name="上传并预览").click()
    page.get_by_text("有变化1行，无变化4行，有错误1行。").wait_for()
    assert (
        page.locator("tr.preview-row[data-state=error] .row-error").inner_text()
        == "进展情况：请填写进展情况。"
    )
    assert page.get_by_role("button", name="确认记录").count() == 0
    page.screenshot(path=ARTIFACTS / "bulk-progress-errors.png", full_page=True)

    second[bulk_progress.PROGRESS].value = "已完成两家重点实验室评估。"
    workbook.save(filled)
    page.set_input_files("input[name=file]", str(filled))
    page.get_by_role("button", name="上传并预览").click()
    page.get_by_text("有变化2行，无变化4行，有错误0行。").wait_for()
    page.screenshot(path=ARTIFACTS / "bulk-progress-preview.png", full_page=True)
    assert not CommitmentProgress.objects.exists()
    page.get_by_role("button", name="确认记录2项进展").click()
    page.get_by_text("已记录2项承诺的进展。").wait_for()
    statuses = dict(
        Commitment.objects.filter(pk__in=[first[0].value, second[0].value]).values_list("pk", "status")
    )
    assert statuses == {first[0].value: "done", second[0].value: "in_progress"}
    # the finished commitment leaves the list of open ones
    assert page.locator("tr.commitment-row").count() == 5
