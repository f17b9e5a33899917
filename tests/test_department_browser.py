"""The lead drafter drafts a reply in a real browser, watching the live preview (Chromium)."""

from pathlib import Path

import pytest
from editor_steps import confirm, items, mark_commitment, own, save
from test_department_support import make_case

from responses.models import Response, ResponseItem

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def test_the_preview_follows_the_drafters_typing_and_the_draft_is_saved(live_server, page, personas):
    case = make_case()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "keji")
    page.fill("input[name=password]", "keji-demo-2026")
    page.locator("form button[type=submit], form input[type=submit]").last.click()

    page.goto(f"{live_server.url}/department/")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "department-inbox.png", full_page=True)
    page.get_by_role("link", name=case.proposal.title).click()
    page.screenshot(path=ARTIFACTS / "department-assignment.png", full_page=True)
    page.get_by_role("button", name="起草答复").click()
    preview = page.locator("#letter-preview article.letter")
    assert preview.get_by_role("heading", level=1).inner_text().splitlines() == [
        "关于自治区政协十二届三次会议",
        "第20200999号提案答复的函",
    ]

    page.fill("textarea[name=title]", "关于氢能提案\n答复的函")
    page.get_by_role("button", name="添加条目", exact=True).click()
    item = items(page).first
    own(item, "paragraphs").fill("我们已建成加氢站两座。\n下一步，将新建三座。")
    own(item, "heading").fill("关于加氢站建设的建议")
    heading = preview.get_by_role("heading", level=2)
    heading.filter(has_text="一、关于加氢站建设的建议").wait_for()
    assert preview.get_by_role("heading", level=1).inner_text().splitlines() == ["关于氢能提案", "答复的函"]
    assert "下一步，将新建三座。" in preview.inner_text()
    assert Response.objects.get(proposal=case.proposal).title.startswith("关于自治区政协")  # not saved yet

    mark_commitment(item, "下一步，将新建三座。")
    page.select_option("select[name=result_class]", "B")
    save(page)
    reply = Response.objects.get(proposal=case.proposal)
    assert reply.title == "关于氢能提案\n答复的函"
    assert ResponseItem.objects.get(response=reply).number_label == "一、"
    page.screenshot(path=ARTIFACTS / "department-reply-editor.png", full_page=True)

    page.get_by_role("link", name="查看与送审").click()
    page.get_by_role("button", name="送审").click()
    page.get_by_text("已送审，待本单位签发。").wait_for()
    page.get_by_role("button", name="签发").click()
    confirm(page)
    page.get_by_text("答复已签发").wait_for()
    reply.refresh_from_db()
    assert reply.status == Response.Status.ISSUED
    assert page.locator("article.letter mark.commitment").inner_text() == "下一步，将新建三座。"
    page.screenshot(path=ARTIFACTS / "department-reply-issued.png", full_page=True)
