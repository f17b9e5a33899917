"""Batch registration and assignment in a real browser (Chromium): tick twenty rows, one form each."""

from pathlib import Path

import pytest

from proposals.models import Assignment, Proposal, ProposalProposer, Proposer
from tests.factories import make_proposal

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def tick_all(page):
    page.get_by_label("全选本页可批量处理的提案").check()
    return page.locator("input[name=ids]:checked").count()


def test_the_office_registers_and_assigns_twenty_proposals_with_one_form_each(
    live_server, page, personas, seed_letter
):
    ARTIFACTS.mkdir(exist_ok=True)
    proposer = Proposer.objects.get(name="蒋俏玲")
    for n in range(20):
        proposal = make_proposal(
            session=seed_letter.proposal.session,
            number="",
            status=Proposal.Status.SUBMITTED,
            is_published=False,
            title=f"关于推进县域第{n + 1}项特色产业发展的建议",
        )
        ProposalProposer.objects.create(proposal=proposal, proposer=proposer, position=1)

    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "office")
    page.fill("input[name=password]", "office-demo-2026")
    page.locator("form button[type=submit], form input[type=submit]").last.click()

    page.goto(f"{live_server.url}/office/proposals/?status=submitted")
    assert tick_all(page) == 20
    page.get_by_role("button", name="批量立案").click()
    page.get_by_role("heading", name="批量立案").wait_for()
    assert page.locator("input[name^=number_]").first.input_value() == "20200288"
    assert page.locator("input[name^=number_]").last.input_value() == "20200307"
    page.fill("input[name=registered_on]", "2020-03-01")
    page.screenshot(path=ARTIFACTS / "batch-register-1366.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=ARTIFACTS / "batch-register-390.png", full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.get_by_role("button", name="立案这20件提案").click()
    page.get_by_text("已立案20件提案，并通知提案者。").wait_for()
    assert Proposal.objects.filter(status=Proposal.Status.REGISTERED).count() == 20

    assert tick_all(page) == 20  # the list now shows the registered ones, awaiting assignment
    page.get_by_role("button", name="批量交办").click()
    page.get_by_role("heading", name="批量交办").wait_for()
    page.fill("input[name=assigned_on]", "2020-07-16")
    page.select_option("select[name=lead]", label="自治区科技厅")
    page.get_by_label("自治区财政厅").check()
    page.screenshot(path=ARTIFACTS / "batch-assign-1366.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=ARTIFACTS / "batch-assign-390.png", full_page=True)
    page.get_by_role("button", name="交办这20件提案").click()
    page.get_by_text("已交办20件提案，并通知承办单位。").wait_for()
    assert Proposal.objects.filter(status=Proposal.Status.ASSIGNED).count() == 20
    assert (
        Assignment.objects.filter(role=Assignment.Role.CO_HANDLING, department__name="自治区财政厅").count()
        >= 20
    )

    # The dashboard's figures follow: nothing awaits registration or assignment any more.
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{live_server.url}/office/")
    assert page.locator("#figure-awaiting_registration .fs-4").inner_text() == "0"
    assert page.locator("#figure-awaiting_assignment .fs-4").inner_text() == "0"
    assert "自治区政协办公厅" in page.locator(".signed-in-as").inner_text()
    page.screenshot(path=ARTIFACTS / "office-dashboard-1366.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=ARTIFACTS / "office-dashboard-390.png", full_page=True)
