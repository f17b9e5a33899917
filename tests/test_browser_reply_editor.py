"""The reply editor in Chromium: a whole letter written in one sitting and saved once, issued after a
confirmation; then re-handled after 不满意, starting from version 1's content with the reason on top.
Screenshots at 1366 px and 390 px go to test-artifacts/editor-*.png."""

from pathlib import Path

import pytest
from editor_steps import (
    add_child,
    add_item,
    children,
    commitment_rows,
    confirm,
    items,
    mark_commitment,
    own,
    save,
)
from playwright.sync_api import expect
from test_department_support import make_case

from proposals.demo import PERSONAS as DEMO_ACCOUNTS
from proposals.models import Proposal
from responses import drafting
from responses.models import Commitment, Response, ResponseItem

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
PASSWORDS = {username: password for username, password, *_rest in DEMO_ACCOUNTS}
REASON = "答复没有说明加氢站的建设时间表，请进一步明确。"

LETTER = [
    ("关于规划建设加氢站的建议", "我厅已开展加氢站布局研究。\n下一步，我厅将编制加氢站布局规划。"),
    ("关于设立氢能创新平台的建议", "我厅已支持建设氢能重点实验室一家。"),
    ("关于培养氢能人才的建议", "我厅将会同教育厅加强氢能人才培养。"),
]
SUB_ITEMS = [
    ("关于南宁加氢站", "南宁已完成选址。\n下一步，将于2027年建成。"),
    ("关于柳州加氢站", "柳州正在论证。"),
]
PROMISES = [
    "下一步，我厅将编制加氢站布局规划。",
    "下一步，将于2027年建成。",
    "我厅将会同教育厅加强氢能人才培养。",
]


@pytest.fixture(autouse=True)
def patient_expectations():
    expect.set_options(timeout=15_000)
    yield
    expect.set_options(timeout=None)


def log_in(page, live_server, username):
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORDS[username])
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("button", name="退出")).to_be_visible()
    return page


def shoot(page, name, *, phone=False):
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 390, "height": 844} if phone else {"width": 1366, "height": 900})
    page.screenshot(path=ARTIFACTS / f"editor-{name}-{390 if phone else 1366}.png", full_page=True)


def write_letter(page):
    """Three items, two sub-items under the first, three commitments (two marked by selecting the
    sentence, one typed), one item moved with the keyboard and back: all before the one save."""
    for heading, text in [LETTER[0], LETTER[2], LETTER[1]]:  # typed out of order…
        add_item(page, heading, text)
    own(items(page).last, "heading").focus()
    page.keyboard.press("Alt+ArrowUp")  # …and put right with Alt+↑
    expect(own(items(page).nth(1), "heading")).to_have_value(LETTER[1][0])
    expect(own(items(page).nth(1), "heading")).to_be_focused()  # the focus moves with the item
    first = items(page).first
    for heading, text in SUB_ITEMS:
        add_child(first, heading, text)
    mark_commitment(first, PROMISES[0])
    mark_commitment(children(first).first, PROMISES[1])
    third = items(page).nth(2)
    third.locator(':scope > .commitments [data-act="add-commitment"]').click()
    commitment_rows(third).last.locator('[data-field="text"]').fill(PROMISES[2])
    page.get_by_label("办复类别").select_option("B")
    preview = page.locator("#letter-preview")
    expect(preview.get_by_role("heading", level=2, name=f"三、{LETTER[2][0]}")).to_be_visible()
    expect(preview.locator("mark.commitment")).to_have_count(3)


def test_a_whole_letter_is_written_in_one_save_issued_and_re_handled_from_version_one(
    live_server, page, new_context, personas
):
    case = make_case()
    keji = log_in(page, live_server, "keji")
    keji.goto(f"{live_server.url}/department/assignments/{case.lead.pk}/")
    keji.get_by_role("button", name="起草答复").click()
    expect(keji.get_by_text("已建立答复草稿（第1版），请修改后保存。")).to_be_visible()
    reply = Response.objects.get(proposal=case.proposal)

    write_letter(keji)
    shoot(keji, "written")
    shoot(keji, "written", phone=True)
    keji.set_viewport_size({"width": 1366, "height": 900})
    save(keji)

    reply.refresh_from_db()
    assert reply.lock_version == 1  # one save
    outline = drafting.items_outline(reply)
    assert [(item["label"], item["heading"]) for item in outline] == [
        ("一、", LETTER[0][0]),
        ("二、", LETTER[1][0]),
        ("三、", LETTER[2][0]),
    ]
    assert [(child["label"], child["heading"]) for child in outline[0]["children"]] == [
        ("（一）", SUB_ITEMS[0][0]),
        ("（二）", SUB_ITEMS[1][0]),
    ]
    assert sorted(Commitment.objects.filter(item__response=reply).values_list("text", flat=True)) == sorted(
        PROMISES
    )
    assert Commitment.objects.get(text=PROMISES[0]).owner_id == reply.department_id

    keji.get_by_role("link", name="查看与送审").click()
    keji.get_by_role("button", name="送审").click()
    expect(keji.get_by_text("已送审，待本单位签发。")).to_be_visible()
    keji.get_by_role("button", name="签发").click()
    shoot(keji, "issue-confirmation")
    confirm(keji, mentions=["不能再修改", "蒋俏玲", "自治区发展改革委"])
    expect(keji.get_by_text("答复已签发，已通知提案者和会办单位。")).to_be_visible()
    reply.refresh_from_db()
    assert reply.status == Response.Status.ISSUED

    # The proposer rates it 不满意, after a dialog saying where it goes.
    delegate = log_in(new_context().new_page(), live_server, "jiangqiaoling")
    delegate.goto(f"{live_server.url}/feedback/replies/{reply.pk}/")
    delegate.get_by_role("radio", name="不满意", exact=True).check()
    delegate.get_by_role("radio", name="否", exact=True).check()
    delegate.get_by_label("意见和建议").fill(REASON)
    delegate.get_by_role("button", name="提交评价").click()
    dialog = delegate.get_by_role("dialog")
    expect(dialog).to_contain_text("自治区科技厅重新办理")
    dialog.get_by_role("button", name="取消").click()  # thinking twice: nothing is sent…
    expect(dialog).to_have_count(0)
    assert not reply.feedback.exists()
    delegate.get_by_role("button", name="提交评价").click()
    shoot(delegate, "unsatisfied-confirmation", phone=True)
    confirm(delegate)  # …then sent
    expect(delegate.get_by_text("提案已转承办单位重新办理")).to_be_visible()
    case.proposal.refresh_from_db()
    assert case.proposal.status == Proposal.Status.REHANDLING

    # The lead re-handles: the reason on top, version 1's content in the editor.
    keji.goto(f"{live_server.url}/department/")
    expect(keji.locator(".inbox-row").filter(has_text=case.proposal.title)).to_contain_text(REASON)
    shoot(keji, "inbox-rehandling", phone=True)
    keji.get_by_role("link", name=case.proposal.title).click()
    expect(keji.locator(".rehandling-reasons")).to_contain_text(REASON)
    keji.get_by_role("button", name="起草答复").click()
    expect(keji.get_by_text("已建立答复草稿（第2版），请修改后保存。")).to_be_visible()
    expect(keji.locator(".rehandling-reasons")).to_contain_text(REASON)
    expect(items(keji)).to_have_count(3)
    expect(own(items(keji).first, "heading")).to_have_value(LETTER[0][0])
    expect(children(items(keji).first)).to_have_count(2)
    expect(commitment_rows(items(keji).first).locator('[data-field="text"]')).to_have_value(PROMISES[0])
    expect(keji.locator("#letter-preview mark.commitment")).to_have_count(3)
    shoot(keji, "rehandling")
    shoot(keji, "rehandling", phone=True)
    second = Response.objects.get(proposal=case.proposal, version=2)
    assert ResponseItem.objects.filter(response=second).count() == 5


def test_unsaved_input_survives_a_closed_tab_and_leaving_warns(live_server, page, personas):
    case = make_case()
    keji = log_in(page, live_server, "keji")
    reply, _created = drafting.start_reply(case.lead, user=personas["lead"])
    url = f"{live_server.url}/department/replies/{reply.pk}/edit/"
    keji.goto(url)
    add_item(keji, "关于加氢站的建议", "尚未保存的正文。")
    keji.wait_for_timeout(1200)  # the local copy is written shortly after typing
    expect(keji.locator(".autosave-status")).to_contain_text("已在本机暂存")

    dialogs = []
    keji.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    keji.close(run_before_unload=True)  # closing the tab: the browser asks first
    expect(keji.locator("#reply-items")).to_be_visible()  # dismissed: the page stays
    assert dialogs == ["beforeunload"]

    reopened = keji.context.new_page()  # as if the tab had been closed after all
    reopened.goto(url)
    banner = reopened.locator(".autosave-restore")
    expect(banner).to_be_visible()
    banner.get_by_role("button", name="恢复").click()
    expect(own(items(reopened).first, "heading")).to_have_value("关于加氢站的建议")
    save(reopened)
    assert ResponseItem.objects.get(response=reply).paragraphs == "尚未保存的正文。"
    reopened.goto(url)  # saved: the local copy is gone, nothing is offered
    expect(own(items(reopened).first, "heading")).to_have_value("关于加氢站的建议")
    expect(reopened.locator(".autosave-restore")).to_be_hidden()
