"""A member drafts, co-signs and submits a proposal online, in a real browser, on a desktop (1366 px)
and on a phone (390 px).

蒋俏玲 (A) writes a proposal with three numbered suggestions (added and reordered with the page's
script), invites 李明 (B) and 王芳 (C); B accepts, C declines; A submits; the office returns it with
remarks (退回修改); A edits and resubmits; the office registers it; A and B see its number.

Screenshots: test-artifacts/members-<width>-NN-<step>.png.
"""

import datetime
import re
from pathlib import Path

import editor_steps as editor
import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from proposals.demo import PERSONAS as DEMO_ACCOUNTS
from proposals.models import Profile, Proposal, Proposer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
PASSWORDS = {username: password for username, password, *_rest in DEMO_ACCOUNTS}
PASSWORDS["wangfang"] = "wangfang-demo-2026"

TITLE = "关于发展林下经济助力乡村振兴的建议"
BODY = "我区森林覆盖率高，但林下经济规模小、链条短。"
SUGGESTIONS = ["加大林下经济财政扶持力度", "培育林下经济龙头企业", "完善林下产品标准体系"]
REMARKS = "请补充近三年林下经济产值数据。"
SIZES = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(autouse=True)
def patient_expectations():
    expect.set_options(timeout=15_000)
    yield
    expect.set_options(timeout=None)


@pytest.fixture
def wang(personas):
    user = get_user_model().objects.create_user("wangfang", "wangfang@example.org", PASSWORDS["wangfang"])
    proposer = Proposer.objects.create(name="王芳", kind=Proposer.Kind.MEMBER)
    Profile.objects.create(user=user, role=Profile.Role.DELEGATE, proposer=proposer)
    return user


def log_in(new_context, live_server, username, size):
    page = new_context(viewport=SIZES[size]).new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORDS[username])
    page.get_by_role("button", name="登录").click()
    # On a phone the header's menu is folded: wait for the workspace instead of the 退出 button.
    expect(page).not_to_have_url(re.compile("/accounts/login/"))
    return page


def suggestion_boxes(page):
    return page.locator("textarea[name=suggestion]:visible")


def invite(page, name):
    page.get_by_label("按姓名查找委员").fill(name)
    page.get_by_role("button", name="查找").click()
    page.get_by_label(name).check()
    page.get_by_role("button", name="邀请联名").click()
    expect(page.get_by_text(f"已邀请{name}联名。")).to_be_visible()


def answer(page, live_server, button):
    page.goto(f"{live_server.url}/my/")
    page.locator("#invitations").get_by_role("link", name=TITLE).click()
    expect(page.locator(".proposal-sheet")).to_contain_text(SUGGESTIONS[0])
    page.get_by_role("button", name=button).click()
    expect(page.get_by_text("已答复联名邀请。")).to_be_visible()


def review(page, live_server, proposal, action):
    page.goto(f"{live_server.url}/office/proposals/{proposal.pk}/review/")
    page.get_by_role("radio", name=action, exact=True).check()


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_a_member_drafts_cosigns_and_submits_online(
    live_server, new_context, personas, seed_letter, wang, size
):
    session = seed_letter.proposal.session
    session.submission_deadline = timezone.localdate() + datetime.timedelta(days=10)
    session.save()
    width = SIZES[size]["width"]
    ARTIFACTS.mkdir(exist_ok=True)
    taken = []

    def shoot(page, step):
        taken.append(step)
        page.screenshot(path=ARTIFACTS / f"members-{width}-{len(taken):02d}-{step}.png", full_page=True)

    # 1. A drafts: three suggestions, added and reordered in the page; a co-signing deadline. ----
    a = log_in(new_context, live_server, "jiangqiaoling", size)
    a.goto(f"{live_server.url}/my/")
    a.get_by_role("link", name="撰写新提案").click()
    a.get_by_role("button", name="开始撰写").click()
    a.get_by_label("案由").fill(TITLE)
    a.get_by_label("情况分析").fill(BODY)
    boxes = suggestion_boxes(a)
    expect(boxes).to_have_count(1)  # the script keeps one blank row and offers a button for more
    boxes.nth(0).fill(SUGGESTIONS[0])
    a.get_by_role("button", name="添加一条建议").click()
    suggestion_boxes(a).nth(1).fill(SUGGESTIONS[2])
    a.get_by_role("button", name="添加一条建议").click()
    suggestion_boxes(a).nth(2).fill(SUGGESTIONS[1])
    # The third row belongs second: move it up, and the labels follow.
    a.locator("[data-suggestion-row]").nth(2).get_by_role("button", name="上移").click()
    expect(suggestion_boxes(a).nth(1)).to_have_value(SUGGESTIONS[1])
    expect(a.get_by_text("第3条建议")).to_be_visible()
    a.get_by_label("联名截止日期").fill((timezone.localdate() + datetime.timedelta(days=3)).isoformat())
    shoot(a, "draft-written")
    a.get_by_role("button", name="保存草稿").click()
    expect(a.get_by_text("草稿已保存。")).to_be_visible()
    proposal = Proposal.objects.get(title=TITLE)
    assert list(proposal.suggestions.values_list("text", flat=True)) == SUGGESTIONS
    assert not Proposal.objects.visible_to(personas["office"]).filter(pk=proposal.pk).exists()

    invite(a, "李明")
    invite(a, "王芳")
    shoot(a, "invited")

    # 2. B accepts, C declines. ----------------------------------------------------------------
    b = log_in(new_context, live_server, "liming", size)
    answer(b, live_server, "同意联名")
    shoot(b, "b-accepted")
    c = log_in(new_context, live_server, "wangfang", size)
    answer(c, live_server, "谢绝")

    # 3. A previews the printed form and submits. ----------------------------------------------
    a.goto(f"{live_server.url}/my/drafts/{proposal.pk}/")
    invitations = a.locator("#cosigners")
    expect(invitations.locator(".invitation").filter(has_text="李明")).to_contain_text("已同意")
    expect(invitations.locator(".invitation").filter(has_text="王芳")).to_contain_text("已谢绝")
    a.get_by_role("link", name="预览提案纸").click()
    expect(a.locator(".sheet-suggestions li")).to_have_text(SUGGESTIONS)
    shoot(a, "preview")
    a.get_by_role("link", name="继续修改").click()
    a.get_by_role("button", name="提交提案").click()
    editor.confirm(a, mentions=["不能再修改"])
    expect(a.get_by_text("提案已提交政协办公厅，等待审查。")).to_be_visible()
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SUBMITTED
    assert [link.proposer.name for link in proposal.proposer_links.order_by("position")] == ["蒋俏玲", "李明"]

    # 4. The office returns it with remarks. ---------------------------------------------------
    office = log_in(new_context, live_server, "office", size)
    office.goto(f"{live_server.url}/office/")
    expect(office.get_by_role("link", name=TITLE)).to_be_visible()  # in the 待审查 queue
    review(office, live_server, proposal, "退回修改")
    office.get_by_label("审查意见").fill(REMARKS)
    shoot(office, "office-returns")
    office.get_by_role("button", name="提交审查结果").click()
    expect(office.get_by_text("已退回修改，并通知提案者。")).to_be_visible()

    # 5. A reads the remarks, edits and resubmits. ---------------------------------------------
    a.goto(f"{live_server.url}/my/")
    drafts = a.locator("#drafts")
    expect(drafts).to_contain_text("退回修改")
    expect(drafts).to_contain_text(REMARKS)
    shoot(a, "returned")
    drafts.get_by_role("link", name=TITLE).click()
    expect(a.locator(".return-remarks")).to_contain_text(REMARKS)
    a.get_by_label("情况分析").fill(BODY + "近三年产值年均增长12%。")
    a.get_by_role("button", name="保存草稿").click()
    expect(a.get_by_text("草稿已保存。")).to_be_visible()
    a.get_by_role("button", name="重新提交").click()
    editor.confirm(a)
    expect(a.get_by_text("提案已提交政协办公厅，等待审查。")).to_be_visible()

    # 6. The office registers it. ---------------------------------------------------------------
    review(office, live_server, proposal, "立案")
    number = office.get_by_label("编号", exact=True).input_value()
    office.get_by_label("立案日期").fill(f"{session.year}-02-10")
    office.get_by_role("button", name="提交审查结果").click()
    expect(office.get_by_text(f"已立案，编号第{number}号。")).to_be_visible()

    # 7. A and B see the number. ----------------------------------------------------------------
    for member, step in ((a, "a-registered"), (b, "b-registered")):
        member.goto(f"{live_server.url}/my/")
        card = member.locator(".my-proposal").filter(has_text=TITLE)
        expect(card).to_contain_text(f"已立案，编号第{number}号。")
        shoot(member, step)
    assert proposal.versions.count() == 2
