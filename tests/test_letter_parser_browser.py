"""In a real browser: a clerk corrects a field the reader took from the wrong line with one click."""

from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
CORPUS = Path(__file__).parent / "data" / "letters" / "corpus"


def test_one_click_puts_another_candidate_line_into_the_field(live_server, page, personas):
    text = (CORPUS / "c28_several_dates_signoff_wins.txt").read_text(encoding="utf-8")
    page.goto(f"{live_server.url}/accounts/login/?next=/letters/import/")
    page.get_by_label("用户名").fill("office")
    page.get_by_label("密码").fill("office-demo-2026")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/letters/import/")
    page.get_by_label("答复函全文").fill(text)
    page.get_by_role("button", name="识别").click()

    date = page.locator("#id_date")
    assert date.input_value() == "2023-12-08"  # the sign-off's date, not the web page's
    note = page.locator(".field-source").filter(has=page.locator('[data-fill="id_date"]'))
    assert "来自原文：2023年12月8日" in note.inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    note.scroll_into_view_if_needed()
    page.screenshot(path=ARTIFACTS / "letter-import-candidates.png")

    note.get_by_role("button", name="2023-12-20").click()
    assert date.input_value() == "2023-12-20"
