"""The office opens the unit scores from its navigation, picks a session and reads the table, in a real
browser (Chromium through Playwright). Screenshots at 1366 px and 390 px: test-artifacts/scores-*.png."""

from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def test_the_office_reads_the_scores_of_a_session(live_server, page, personas, seed_letter):
    session = seed_letter.proposal.session
    page.goto(f"{live_server.url}/accounts/login/?next=/office/")
    page.get_by_label("用户名").fill("office")
    page.get_by_label("密码").fill("office-demo-2026")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/office/")

    page.get_by_role("link", name="单位考评").click()
    page.get_by_label("会议", exact=True).select_option(value=str(session.pk))
    page.get_by_role("button", name="查看").click()
    assert f"session={session.pk}" in page.url
    lead = page.locator(f'tr[data-department="{seed_letter.department_id}"]')
    assert lead.locator("th").inner_text() == "自治区科技厅"
    assert lead.locator('[data-part="total"]').inner_text() != "—"
    assert page.get_by_role("heading", name="怎样计分").is_visible()

    ARTIFACTS.mkdir(exist_ok=True)
    for width, height in ((1366, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=ARTIFACTS / f"scores-{width}.png", full_page=True)

    with page.expect_download() as download:
        page.get_by_role("link", name="Excel").click()
    assert download.value.suggested_filename.endswith(".xlsx")
