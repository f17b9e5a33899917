"""/my/ for a member with many proposals: ten a page, the pager under the cards, on a desktop (1366 px)
and on a phone (390 px).

Screenshots: test-artifacts/my-pages-<width>-<page>.png.
"""

import re
from pathlib import Path

import pytest
from factories import make_proposal
from playwright.sync_api import expect

from proposals.demo import PERSONAS as DEMO_ACCOUNTS
from proposals.models import Proposal, Proposer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
PASSWORDS = {username: password for username, password, *_rest in DEMO_ACCOUNTS}
SIZES = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(autouse=True)
def patient_expectations():
    expect.set_options(timeout=15_000)
    yield
    expect.set_options(timeout=None)


@pytest.mark.parametrize("size", SIZES)
def test_a_member_with_many_proposals_pages_through_them(personas, new_context, live_server, size):
    jiang = Proposer.objects.get(name="蒋俏玲")
    for n in range(11):
        title = f"关于第{n + 1}项民生工作的建议"
        make_proposal(proposers=[jiang], title=title, status=Proposal.Status.REGISTERED)
    filed = Proposal.objects.filter(proposer_links__proposer=jiang).exclude(
        status__in=Proposal.Status.member_editable()
    )
    total = filed.count()
    ARTIFACTS.mkdir(exist_ok=True)
    width = SIZES[size]["width"]

    page = new_context(viewport=SIZES[size]).new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill("jiangqiaoling")
    page.get_by_label("密码").fill(PASSWORDS["jiangqiaoling"])
    page.get_by_role("button", name="登录").click()
    expect(page).not_to_have_url(re.compile("/accounts/login/"))
    page.goto(f"{live_server.url}/my/")
    expect(page.locator(".my-proposal")).to_have_count(10)
    expect(page.locator(".my-count")).to_have_text(f"共{total}件")
    expect(page.get_by_text("第 1 / 2 页")).to_be_visible()
    page.screenshot(path=ARTIFACTS / f"my-pages-{width}-1.png", full_page=True)

    page.get_by_role("link", name="下一页").click()
    expect(page.locator(".my-proposal")).to_have_count(total - 10)
    expect(page.get_by_text("第 2 / 2 页")).to_be_visible()
    page.screenshot(path=ARTIFACTS / f"my-pages-{width}-2.png", full_page=True)
