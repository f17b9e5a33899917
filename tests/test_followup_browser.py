"""A 回头看 round in a real browser (Chromium): the office opens it, a unit reports, the office closes
it and downloads the report."""

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from responses.models import Commitment, FollowUpRound

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def log_in(page, live_server, username):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", f"{username}-demo-2026")
    page.locator("form button[type=submit], form input[type=submit]").last.click()


def test_a_round_is_opened_answered_closed_and_reported(live_server, page, personas, seed_letter):
    ARTIFACTS.mkdir(exist_ok=True)
    log_in(page, live_server, "office")
    page.goto(f"{live_server.url}/office/")
    page.get_by_role("link", name="回头看").click()
    page.get_by_role("link", name="启动回头看").click()
    page.select_option("select[name=session]", str(seed_letter.proposal.session_id))
    page.fill("input[name=title]", "2021年度提案办理回头看")
    page.fill("input[name=deadline]", "2099-06-30")
    page.get_by_role("button", name="启动并通知责任单位").click()
    page.get_by_text("回头看已启动，已通知1个责任单位。").wait_for()
    page.screenshot(path=ARTIFACTS / "followup-round-opened.png", full_page=True)

    log_in(page, live_server, "keji")
    page.goto(f"{live_server.url}/department/")
    page.locator(".department-nav").get_by_role("link", name="回头看").click()
    page.get_by_role("link", name="2021年度提案办理回头看").click()
    fieldsets = page.locator("fieldset.followup-commitment")
    assert fieldsets.count() == 6
    for index in range(6):
        fieldsets.nth(index).get_by_label("已落实", exact=True).check()
    fieldsets.nth(1).get_by_label("推进中（调整期限）", exact=True).check()
    fieldsets.nth(2).get_by_label("无法落实", exact=True).check()
    page.get_by_role("button", name="提交报告").click()
    # both mistakes are shown, each on its own commitment, and nothing is saved
    fieldsets.nth(1).get_by_text("推进中的承诺须填写新的完成期限。").wait_for()
    fieldsets.nth(2).get_by_text("无法落实的承诺须说明理由。").wait_for()
    assert set(Commitment.objects.values_list("status", flat=True)) == {"planned"}
    page.screenshot(path=ARTIFACTS / "followup-answer-errors.png", full_page=True)
    fieldsets.nth(1).locator("input[type=date]").fill("2099-12-31")
    fieldsets.nth(2).locator("textarea").fill("国家政策调整")
    page.get_by_role("button", name="提交报告").click()
    page.get_by_text("回头看报告已提交，承诺事项的状态已更新。").wait_for()
    page.screenshot(path=ARTIFACTS / "followup-answered.png", full_page=True)

    log_in(page, live_server, "office")
    round_ = FollowUpRound.objects.get()
    page.goto(f"{live_server.url}/followup/{round_.pk}/")
    assert "已报告" in page.locator(".followup-unit h2").inner_text()
    page.get_by_role("button", name="结束本轮").click()
    page.get_by_text("本轮回头看已结束，可下载报告。").wait_for()
    page.screenshot(path=ARTIFACTS / "followup-round-closed.png", full_page=True)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="下载报告（Excel）").click()
    workbook = load_workbook(io.BytesIO(Path(download_info.value.path()).read_bytes()))
    rows = list(workbook["汇总"].iter_rows(values_only=True))
    assert rows[1][:6] == ("自治区科技厅", 6, 4, 1, 1, 0)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="下载报告（Word）").click()
    assert download_info.value.suggested_filename.endswith(".docx")
