"""A reader opens the seed letter in a real browser (Chromium through Playwright)."""

from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def test_a_reader_reads_the_seed_letter(live_server, page, seed_letter, seed_lines):
    page.goto(f"{live_server.url}/proposals/")
    page.get_by_role("link", name="关于培养发展战略性新兴产业，推动广西工业高质量发展的建议").click()
    page.get_by_role("link", name="阅读自治区科技厅的答复函").click()

    letter = page.locator("article.letter")
    heading = letter.get_by_role("heading", level=1)
    assert heading.inner_text().splitlines() == ["关于自治区政协十二届三次会议", "第20200287号提案答复的函"]
    shown = [line.strip() for line in letter.inner_text().splitlines() if line.strip()]
    assert shown == seed_lines

    marks = letter.locator("mark.commitment")
    assert marks.count() == 6
    page.get_by_role("link", name="一是对自治区各部门管理的创新平台进行优化整合。").click()
    assert page.url.endswith(f"#{marks.first.get_attribute('id')}")
    # The stylesheet came from our own static files: the letter's paragraphs are indented two characters.
    assert letter.locator("p.letter-paragraph").first.evaluate("e => getComputedStyle(e).textIndent") != "0px"

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "seed-letter.png", full_page=True)


def test_the_printed_letter_has_no_navigation(live_server, page, seed_letter):
    page.goto(f"{live_server.url}{seed_letter.get_absolute_url()}")
    page.emulate_media(media="print")
    assert not page.locator("header.site-header").is_visible()
    assert not page.locator("aside.letter-aside").is_visible()
    assert page.locator("article.letter").is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.pdf(path=ARTIFACTS / "seed-letter.pdf", format="A4")
