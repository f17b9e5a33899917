"""The office's assignment page in a real browser: the suggested lead unit goes into the form with
one click ("设为主办"), and a likely duplicate leads to the review with 并案 prefilled.
Screenshots: test-artifacts/similar-*.png."""

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from proposals.models import Proposal
from tests.factories import make_department, make_proposal
from tests.test_browser_journey import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
FIRE = (
    "清明、春节期间祭祀用火多，山火隐患大。建议加大防火隔离带、瞭望塔和林区防火通道建设投入，配齐扑火装备。"
)


def test_the_office_takes_the_suggested_lead_and_follows_a_duplicate_to_its_merge(
    live_server, page, personas, seed_letter
):
    session = seed_letter.proposal.session
    registered = make_proposal(
        session,
        number="20209001",
        title="关于加强森林防火基础设施建设的建议",
        body=FIRE,
        status=Proposal.Status.REGISTERED,
        is_published=False,
    )
    copy = make_proposal(
        session,
        number="",
        title="关于提升林区防火能力的提案",
        body=FIRE,
        status=Proposal.Status.SUBMITTED,
        is_published=False,
    )
    for n, topic in enumerate(["养老服务", "学前教育", "农村公路", "城市更新", "食品安全", "乡村旅游"]):
        make_proposal(
            session, title=f"关于加强{topic}工作的建议", body=f"建议加大{topic}投入，完善{topic}政策。{n}"
        )
    forestry = make_department("自治区林业局", duties="负责森林防火和林业有害生物防治；组织植树造林。")
    ARTIFACTS.mkdir(exist_ok=True)

    office = log_in(page, live_server, "office")
    office.goto(live_server.url + reverse("office:assign", args=[registered.pk]))
    suggestions = office.locator(".assignment-suggestions")
    expect(suggestions).to_contain_text("职责含：森林防火")
    suggestions.get_by_role("button", name="设为主办").first.click()
    expect(office.locator("#id_lead")).to_have_value(str(forestry.pk))
    office.screenshot(path=ARTIFACTS / "similar-assign.png", full_page=True)

    office.locator(".similar-proposals").get_by_role("link", name="将此件并入本案").click()
    expect(office).to_have_url(
        f"{live_server.url}{reverse('office:review', args=[copy.pk])}?action=merge&merge_into=20209001"
    )
    expect(office.locator("#id_merge_into")).to_have_value("20209001")
    office.screenshot(path=ARTIFACTS / "similar-review.png", full_page=True)
