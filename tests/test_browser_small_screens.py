"""Phones and wide tables (Chromium at 390 and 1366 px): the site name clears the screen edge, the
letter's downloads come before the letter, and no table pushes the page wider than the screen."""

from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


def test_the_site_name_clears_the_screen_edge_on_a_phone(live_server, page, seed_letter):
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/")
    brand = page.locator(".navbar-brand").bounding_box()
    assert brand["x"] >= 8
    page.screenshot(path=ARTIFACTS / "header-390.png")


def test_the_letters_downloads_come_first_on_a_phone(live_server, page, seed_letter):
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/replies/{seed_letter.pk}/")
    download = page.locator(".letter-actions-top").get_by_role("link", name="下载 Word（.docx）")
    assert download.is_visible()
    assert download.bounding_box()["y"] < PHONE["height"]  # on the first screen, not after the letter
    page.screenshot(path=ARTIFACTS / "letter-top-390.png")
    page.set_viewport_size(DESKTOP)
    assert not page.locator(".letter-actions-top").is_visible()  # the aside offers them beside the letter


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1366"])
def test_the_statistics_page_is_never_wider_than_the_screen(live_server, page, seed_letter, viewport):
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size(viewport)
    page.goto(f"{live_server.url}/stats/")
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    unwrapped = page.evaluate(
        "[...document.querySelectorAll('main table')].filter(t => !t.closest('.table-responsive')).length"
    )
    assert unwrapped == 0
    page.screenshot(path=ARTIFACTS / f"stats-{viewport['width']}.png", full_page=True)
