"""A reader searches the public list, filters the commitments tracker and opens a commitment in its
letter, in a real browser (Chromium through Playwright)."""

from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
FIRST_PROMISE = "一是对自治区各部门管理的创新平台进行优化整合。"


def test_a_reader_searches_filters_and_opens_a_commitment(live_server, page, seed_letter):
    page.goto(f"{live_server.url}/proposals/")
    page.get_by_label("关键词").fill("新兴产业")
    page.get_by_label("类型").select_option(label="提案")
    page.get_by_role("button", name="筛选").click()
    assert "q=%E6%96%B0%E5%85%B4%E4%BA%A7%E4%B8%9A" in page.url and "kind=proposal" in page.url
    assert page.locator(".result-count").inner_text() == "共 1 件"
    assert page.get_by_label("关键词").input_value() == "新兴产业"  # the form keeps its state
    page.get_by_role("link", name="关于培养发展战略性新兴产业，推动广西工业高质量发展的建议").wait_for()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "proposal-list-filtered.png", full_page=True)

    page.get_by_role("link", name="承诺落实追踪").click()
    page.get_by_label("责任单位").select_option(label="自治区科技厅")
    page.get_by_label("状态").select_option(label="未完成（计划中或推进中）")
    page.get_by_role("button", name="筛选").click()
    assert page.locator(".result-count").inner_text() == "共 6 项"
    page.screenshot(path=ARTIFACTS / "commitments-tracker.png", full_page=True)

    page.get_by_role("link", name=FIRST_PROMISE).click()
    assert page.locator("blockquote.commitment-text").inner_text() == FIRST_PROMISE
    page.get_by_role("link", name="自治区科技厅的答复函").click()

    assert "/replies/" in page.url and "#commitment-" in page.url
    target = page.locator("mark.commitment:target")
    assert target.count() == 1
    assert target.inner_text() == FIRST_PROMISE
    # highlighted by the letter's stylesheet (mark.commitment:target), not just present
    assert target.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(255, 212, 59)"
    page.screenshot(path=ARTIFACTS / "commitment-in-letter.png", full_page=True)


def test_a_reader_compares_departments(live_server, page, seed_letter):
    page.goto(f"{live_server.url}/departments/")
    page.get_by_role("link", name="自治区科技厅").click()
    assert page.get_by_role("heading", level=1).inner_text() == "自治区科技厅"
    assert page.locator(".department-assignments tbody tr").count() == 1
    page.get_by_role("link", name="关于培养发展战略性新兴产业，推动广西工业高质量发展的建议").wait_for()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "department-page.png", full_page=True)
    page.get_by_role("link", name="关于培养发展战略性新兴产业，推动广西工业高质量发展的建议").click()
    page.get_by_role("heading", name="答复中的承诺").wait_for()
    assert page.locator(".proposal-commitments li").count() == 6
    page.screenshot(path=ARTIFACTS / "proposal-page.png", full_page=True)
