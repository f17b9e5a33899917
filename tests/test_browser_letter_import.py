"""The office pastes a reply letter, checks it beside the original and imports it, in a real browser
(Chromium through Playwright)."""

from pathlib import Path

import pytest

from proposals.models import Department, Proposal
from responses.models import Commitment, Response

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
DATA = Path(__file__).parent / "data"


def log_in_as_office(page, live_server):
    page.goto(f"{live_server.url}/accounts/login/?next=/letters/import/")
    page.get_by_label("用户名").fill("office")
    page.get_by_label("密码").fill("office-demo-2026")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/letters/import/")


def test_the_office_pastes_checks_and_imports_a_letter(live_server, page, personas, seed_letter):
    proposal = seed_letter.proposal
    seed_letter.delete()  # the seed proposal is on record, its reply not yet
    text = (
        (DATA / "seed_letter.txt").read_text(encoding="utf-8").replace("自治区发展改革委、", "自治区发改委、")
    )
    ARTIFACTS.mkdir(exist_ok=True)

    log_in_as_office(page, live_server)
    page.get_by_label("答复函全文").fill(text)
    page.get_by_role("button", name="识别").click()

    # The original, line by line, beside the parsed fields.
    source = page.locator("ol.source-lines")
    assert source.locator("li").first.inner_text() == "关于自治区政协十二届三次会议"
    assert source.get_by_text("蒋俏玲代表：", exact=True).is_visible()
    assert page.get_by_label("提案（建议）编号").input_value() == "20200287"
    # The near name is matched to the department on record, and no "create new" box is shown for it.
    co_match = page.locator("#id_co-0-match")
    assert co_match.locator("option:checked").inner_text() == "自治区发展改革委（近似，相似度 100%）"
    assert not page.locator("#id_co-0-create").is_visible()
    assert page.locator("#id_proposal_match option:checked").inner_text().endswith("（完全一致）")
    page.screenshot(path=ARTIFACTS / "letter-import-preview.png", full_page=True)
    page.screenshot(path=ARTIFACTS / "letter-import-preview-top.png")

    # Choosing "new" for a name reveals the box that confirms it.
    co_match.select_option("new")
    assert page.locator("#id_co-0-create").is_visible()
    co_match.select_option(str(Department.objects.get(name="自治区发展改革委").pk))

    page.get_by_label("公开（在公开页面发布这封答复函）").check()
    page.get_by_role("button", name="确认导入").click()

    success = page.locator(".alert-success")
    assert "已导入第20200287号" in success.inner_text()
    reply = Response.objects.get(proposal=proposal)
    assert reply.status == Response.Status.PUBLISHED
    assert Commitment.objects.filter(item__response=reply).count() == 6
    assert Proposal.objects.count() == 1

    success.get_by_role("link", name="打印视图").click()
    letter = page.locator("article.letter")
    assert letter.get_by_role("heading", level=1).inner_text().splitlines() == [
        "关于自治区政协十二届三次会议",
        "第20200287号提案答复的函",
    ]
    assert not page.locator("header.site-header").count()
    page.screenshot(path=ARTIFACTS / "letter-print-view.png", full_page=True)


def test_a_letter_with_nothing_on_record_asks_to_confirm_each_new_record(live_server, page, personas):
    log_in_as_office(page, live_server)
    page.get_by_label("答复函全文").fill(
        (DATA / "letters" / "01_header_top_proposal.txt").read_text(encoding="utf-8")
    )
    page.get_by_role("button", name="识别").click()
    page.get_by_role("button", name="确认导入").click()

    problems = page.locator(".invalid-feedback:visible")
    assert problems.count() >= 3
    assert page.get_by_text("库中没有选定的会议：请勾选“确认新建会议”，或选择已有会议。").is_visible()
    assert not Response.objects.filter(proposal__number="20230156").exists()

    for box in page.locator("input[type=checkbox][name$='create']:visible").all():
        box.check()
    page.get_by_role("button", name="确认导入").click()
    assert "已导入第20230156号" in page.locator(".alert-success").inner_text()
    assert Response.objects.get(proposal__number="20230156").department.name == "青川市科学技术局"
