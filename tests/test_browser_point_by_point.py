"""逐条答复 in Chromium: the lead unit's drafter links each reply item to the suggestions it answers;
the editor warns while a suggestion is unanswered and stops once every one is; the links are saved.
Screenshots at 1366 px and 390 px go to test-artifacts/point-by-point-*.png."""

from pathlib import Path

import pytest
from editor_steps import add_item, items, save
from playwright.sync_api import expect
from test_browser_reply_editor import log_in
from test_department_support import make_case

from proposals.models import Suggestion
from responses import drafting
from responses.models import ResponseItem

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
SUGGESTIONS = ["统筹规划加氢站布局", "设立氢能产业创新平台", "加强氢能专业人才培养"]


@pytest.fixture(autouse=True)
def patient_expectations():
    expect.set_options(timeout=15_000)
    yield
    expect.set_options(timeout=None)


def shoot(page, name, *, phone=False):
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 390, "height": 844} if phone else {"width": 1366, "height": 900})
    page.screenshot(path=ARTIFACTS / f"point-by-point-{name}-{390 if phone else 1366}.png", full_page=True)


def tick(item, label):
    item.locator(":scope > .item-answers").get_by_label(label, exact=True).check()


def test_the_lead_links_items_to_three_suggestions_warned_while_one_is_unanswered(
    live_server, page, personas
):
    case = make_case()
    rows = [
        Suggestion.objects.create(proposal=case.proposal, position=n, text=text)
        for n, text in enumerate(SUGGESTIONS, 1)
    ]
    reply, _created = drafting.start_reply(case.lead, user=personas["lead"])
    keji = log_in(page, live_server, "keji")
    keji.goto(f"{live_server.url}/department/replies/{reply.pk}/edit/")

    panel = keji.locator("#reply-suggestions")
    warning = panel.locator(".unanswered-warning")
    expect(panel).to_contain_text("提案的具体建议")
    expect(warning).to_be_visible()
    expect(warning.locator("li")).to_have_count(3)

    first = add_item(
        keji, "关于加氢站布局和创新平台的建议", "我厅已开展加氢站布局研究，并支持建设氢能重点实验室。"
    )
    tick(first, "建议一")
    tick(first, "建议二")
    expect(warning.locator("li")).to_have_count(1)
    expect(warning).to_contain_text("三、加强氢能专业人才培养")
    expect(panel.locator('[data-suggestion] [data-state="unanswered"]:visible')).to_have_count(1)
    shoot(keji, "warned")
    shoot(keji, "warned", phone=True)

    second = add_item(keji, "关于培养氢能人才的建议", "我厅将会同教育厅加强氢能人才培养。")
    tick(second, "建议三")
    expect(warning).to_be_hidden()
    save(keji)

    answered = {
        item.position: sorted(s.position for s in item.answers.all())
        for item in ResponseItem.objects.filter(response=reply, parent=None)
    }
    assert answered == {1: [1, 2], 2: [3]}
    # After the reload the ticks are back and nothing is unanswered.
    expect(
        items(keji).first.locator(":scope > .item-answers").get_by_label("建议二", exact=True)
    ).to_be_checked()
    expect(warning).to_be_hidden()
    shoot(keji, "answered")
    shoot(keji, "answered", phone=True)
    assert [s.pk for s in rows] == sorted(
        s.pk for s in Suggestion.objects.filter(answered_by__response=reply)
    )
