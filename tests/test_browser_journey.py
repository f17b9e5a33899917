"""The whole life of a proposal, in a real browser (Chromium through Playwright).

Each persona logs in through the login form in a browser context of their own: the office clerk
logs, registers and assigns a new proposal; the co-handling drafter sends its 会办意见; the lead
drafter reads it next to the draft, drafts a reply with two items and a commitment and issues it;
the proposer rates it 不满意, which sends the proposal back for re-handling; the lead issues a second
reply (the first is kept); the proposer rates it 满意 and the proposal closes; the office publishes
the proposal and the second reply; an anonymous visitor reads the published letter.

A full-page screenshot of each step goes to test-artifacts/journey-NN-<step>.png.
"""

import re
from pathlib import Path

import editor_steps as editor
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from proposals import workflow
from proposals.demo import PERSONAS as DEMO_ACCOUNTS
from proposals.forms import proposer_label
from proposals.models import Assignment, DeadlineExtension, Event, Proposal, Proposer
from responses.models import CoHandlingOpinion, Commitment, Feedback, Response

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
PASSWORDS = {username: password for username, password, *_rest in DEMO_ACCOUNTS}

TITLE = "关于加快氢能产业发展的建议"
BODY = "氢能是战略性新兴产业的重要方向。建议规划建设加氢站，设立氢能产业创新平台。"
LEAD = "自治区科技厅"
CO = "自治区发展改革委"
OPINION = "我委支持将氢能产业列入自治区战略性新兴产业规划，并在项目审批上给予支持。"
UNSATISFIED_COMMENT = "答复没有说明加氢站的建设时间表，请进一步明确。"

# The first reply: two items; the second item's 下一步 paragraph carries the commitment.
FIRST_ITEMS = [
    ("关于规划建设加氢站的建议", "我厅已会同有关部门开展加氢站布局研究。"),
    (
        "关于设立氢能产业创新平台的建议",
        "我厅已支持建设氢能领域重点实验室一家。\n"
        "下一步，我厅将会同自治区发展改革委建设氢能产业创新平台，力争2027年建成投用。",
    ),
]
FIRST_COMMITMENT = "会同自治区发展改革委建设氢能产业创新平台，力争2027年建成投用"
# The second reply, after re-handling: the timetable the proposer asked for, promised in item 一.
SECOND_ITEMS = [
    (
        "关于加氢站建设时间表",
        "经与自治区发展改革委、住房城乡建设厅研究，加氢站建设纳入年度计划。\n"
        "下一步，我厅将于2027年6月底前建成南宁、柳州加氢站各一座。",
    ),
    ("关于设立氢能产业创新平台的建议", "氢能产业创新平台已完成选址论证。"),
]
SECOND_COMMITMENT = "2027年6月底前建成南宁、柳州加氢站各一座"


def numbered(items):
    """The item headings as the letter prints them: 一、…, 二、…"""
    return [f"{label}{heading}" for label, (heading, _text) in zip(("一、", "二、"), items, strict=True)]


@pytest.fixture(autouse=True)
def patient_expectations():
    # Every assertion waits for the page (a live server, a real browser): 15 s instead of 5 s.
    expect.set_options(timeout=15_000)
    yield
    expect.set_options(timeout=None)


@pytest.fixture
def shoot():
    """shoot(page, "office-assigned") → test-artifacts/journey-01-office-assigned.png, numbered in order."""
    ARTIFACTS.mkdir(exist_ok=True)
    taken = []

    def take(page, step):
        taken.append(step)
        page.screenshot(path=ARTIFACTS / f"journey-{len(taken):02d}-{step}.png", full_page=True)

    return take


def log_in(page, live_server, username):
    """Log in through the login form; the account lands on its own workspace."""
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORDS[username])
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("button", name="退出")).to_be_visible()
    return page


def new_page(new_context, live_server, username=None):
    page = new_context().new_page()
    page.set_default_timeout(15_000)
    return log_in(page, live_server, username) if username else page


def inbox_row(page):
    return page.get_by_role("row").filter(has=page.get_by_role("link", name=TITLE, exact=True))


def draft_reply(page, items, commitment, *, in_item):
    """On the reply editor: write the two items over what the draft holds (a re-handled draft starts
    from the last issued reply), mark the commitment by selecting it in the 下一步 paragraph of item
    `in_item` (0 or 1), choose the result class; check the live preview on the way; save once."""
    preview = page.locator("#letter-preview")
    rows = editor.items(page)
    for index, (heading, text) in enumerate(items):
        if index < rows.count():
            item = rows.nth(index)
            while editor.commitment_rows(item).count():  # the promises carried over are rewritten
                editor.commitment_rows(item).first.get_by_role("button", name="删除承诺").click()
            editor.fill_item(item, heading, text)
        else:
            editor.add_item(page, heading, text)
        # The live preview shows the letter as typed, before anything is saved.
        expect(preview.get_by_role("heading", level=2, name=numbered(items)[index])).to_be_visible()
    editor.mark_commitment(rows.nth(in_item), commitment)
    page.get_by_label("办复类别").select_option("B")
    expect(preview.locator("mark.commitment")).to_have_text(commitment)
    expect(preview.get_by_role("heading", level=1)).to_contain_text("答复的函")
    editor.save(page)


def submit_and_issue(page):
    page.get_by_role("link", name="查看与送审").click()
    page.get_by_role("button", name="送审").click()
    expect(page.get_by_text("已送审，待本单位签发。")).to_be_visible()
    page.get_by_role("button", name="签发").click()
    editor.confirm(page, mentions=["不能再修改", "蒋俏玲", CO])
    expect(page.get_by_text("答复已签发，已通知提案者和会办单位。")).to_be_visible()
    expect(page.locator(".reply-status")).to_have_text("已签发")


def rate(page, rating, comments=""):
    """Fill in the feedback form (反馈意见表) and send it."""
    expect(page.get_by_role("heading", name="提案办理结果反馈")).to_be_visible()
    page.get_by_role("radio", name=rating, exact=True).check()
    page.get_by_role("radio", name="是", exact=True).check()
    page.get_by_label("联系方式").select_option(label="电话沟通")
    if comments:
        page.get_by_label("意见和建议").fill(comments)
    page.get_by_role("button", name="提交评价").click()
    if rating == "不满意":
        editor.confirm(page, mentions=[f"退回{LEAD}重新办理"])


def test_a_proposal_lives_its_whole_life_in_the_browser(live_server, page, new_context, personas, shoot):
    today = timezone.localdate()
    seed = Proposal.objects.select_related("session__committee").get(number="20200287")
    session = seed.session
    number = workflow.suggest_number(session)
    rules = workflow.rules_for(session.committee)
    jiang = Proposer.objects.get(name="蒋俏玲")

    # 1. The office clerk logs the proposal, registers it and assigns it. ------------------------
    office = log_in(page, live_server, "office")
    office.get_by_role("link", name="登记提案").click()
    office.get_by_label("会议").select_option(label=str(session))
    office.get_by_label("案由").fill(TITLE)
    office.get_by_label("正文").fill(BODY)
    office.get_by_label("类别").select_option(label="经济建设")
    office.get_by_label("已有提案者").first.select_option(label=proposer_label(jiang))
    office.get_by_role("button", name="登记", exact=True).click()
    expect(office.get_by_text("提案已登记，待审查。")).to_be_visible()
    expect(office.locator(".proposal-status")).to_have_text("已提交")
    proposal = Proposal.objects.get(title=TITLE)

    office.get_by_role("link", name="审查", exact=True).click()
    expect(office.get_by_role("radio", name="立案", exact=True)).to_be_checked()
    expect(office.get_by_label("编号", exact=True)).to_have_value(number)  # the next number, suggested
    office.get_by_role("button", name="提交审查结果").click()
    expect(office.get_by_text(f"已立案，编号第{number}号。")).to_be_visible()
    expect(office.locator(".proposal-status")).to_have_text("已立案")

    office.get_by_role("link", name="交办", exact=True).click()
    lead_due = workflow.due_for(rules, Assignment.Role.LEAD, today)
    co_due = workflow.due_for(rules, Assignment.Role.CO_HANDLING, today)
    office.get_by_label("主办单位", exact=True).select_option(label=LEAD)
    expect(office.get_by_label("主办单位答复期限")).to_have_value(lead_due.isoformat())
    co_rows = office.locator("#co-rows")
    co_rows.get_by_label("单位").first.select_option(label=CO)
    expect(co_rows.get_by_label("办理期限").first).to_have_value(co_due.isoformat())
    office.get_by_role("button", name="交办", exact=True).click()
    expect(office.get_by_text("已交办，并通知承办单位。")).to_be_visible()
    expect(office.locator(".proposal-status")).to_have_text("已交办")
    assignments = office.locator("table.office-assignments")
    expect(assignments.get_by_role("row").filter(has_text=LEAD)).to_contain_text("主办")
    expect(assignments.get_by_role("row").filter(has_text=CO)).to_contain_text("会办")
    shoot(office, "office-assigned")

    # 2. The co-handling drafter acknowledges receipt and sends its opinion to the lead. ----------
    fagai = new_page(new_context, live_server, "fagai")
    expect(fagai).to_have_url(re.compile(r"/department/$"))
    expect(inbox_row(fagai)).to_contain_text("待签收")
    fagai.get_by_role("link", name=TITLE, exact=True).click()
    fagai.get_by_role("button", name="签收").click()
    expect(fagai.get_by_text("已签收。")).to_be_visible()
    fagai.get_by_role("link", name="撰写会办意见").click()
    fagai.get_by_label("会办意见").fill(OPINION)
    fagai.get_by_role("button", name="送主办单位").click()
    editor.confirm(fagai, mentions=[f"送主办单位{LEAD}"])
    expect(fagai.get_by_text("会办意见已送主办单位。")).to_be_visible()
    expect(fagai.locator(".own-opinions")).to_contain_text("已送主办单位")
    expect(fagai.locator(".own-opinions")).to_contain_text(OPINION)
    fagai.get_by_role("link", name="交办件").first.click()
    expect(inbox_row(fagai)).to_contain_text("已送会办意见")
    shoot(fagai, "co-opinion-sent")

    # 3. The lead drafter receives, reads the opinion beside the draft, drafts and issues. --------
    keji = new_page(new_context, live_server, "keji")
    expect(inbox_row(keji)).to_contain_text("待签收")
    keji.get_by_role("link", name=TITLE, exact=True).click()
    keji.get_by_role("button", name="签收").click()
    expect(keji.get_by_text("已签收。")).to_be_visible()
    expect(keji.locator(".opinions")).to_contain_text(OPINION)
    keji.get_by_role("button", name="起草答复").click()
    expect(keji.get_by_text("已建立答复草稿（第1版），请修改后保存。")).to_be_visible()
    # The submitted opinion sits next to the draft and its preview.
    expect(keji.locator(".preview-pane .opinions")).to_contain_text(OPINION)
    expect(keji.locator(".preview-pane .opinions")).to_contain_text(CO)
    expect(keji.locator("#letter-preview").get_by_role("heading", level=1)).to_contain_text(f"第{number}号")
    draft_reply(keji, FIRST_ITEMS, FIRST_COMMITMENT, in_item=1)
    shoot(keji, "lead-draft-with-preview")
    submit_and_issue(keji)
    letter = keji.locator("article.letter")
    expect(letter.get_by_role("heading", level=2)).to_have_text(numbered(FIRST_ITEMS))
    expect(letter.locator("mark.commitment")).to_have_text(FIRST_COMMITMENT)
    first_reply = Response.objects.get(proposal=proposal, version=1)
    shoot(keji, "lead-reply-issued")

    # 4. The proposer reads the reply in /my/ and rates it 不满意: re-handling. ------------------
    delegate = new_page(new_context, live_server, "jiangqiaoling")
    mine = delegate.locator("section.my-proposal").filter(has_text=TITLE)
    expect(mine.locator(".proposal-status")).to_have_text("已答复")
    mine.get_by_role("link", name=f"{LEAD}的答复函").click()
    expect(delegate.locator("article.letter").get_by_role("heading", level=2)).to_have_count(2)
    delegate.get_by_role("link", name="评价本答复").click()
    expect(delegate).to_have_url(re.compile(rf"/feedback/replies/{first_reply.pk}/$"))
    rate(delegate, "不满意", UNSATISFIED_COMMENT)
    expect(delegate.get_by_text("已收到蒋俏玲代表的评价：不满意。提案已转承办单位重新办理")).to_be_visible()
    new_due = Assignment.objects.get(proposal=proposal, role=Assignment.Role.LEAD).due_on
    expect(delegate.locator(".proposal-status")).to_have_text("重新办理")
    expect(delegate.locator(".feedback-state")).to_contain_text("评价：不满意")
    expect(delegate.locator("table.assignments").get_by_role("row").filter(has_text=LEAD)).to_contain_text(
        f"{new_due.year}年{new_due.month}月{new_due.day}日"
    )
    shoot(delegate, "delegate-unsatisfied")

    # 5. The lead starts a second reply; the first stays readable. --------------------------------
    keji.get_by_role("link", name="交办件").first.click()
    expect(inbox_row(keji)).to_contain_text("重新办理")
    keji.get_by_role("link", name=TITLE, exact=True).click()
    keji.get_by_role("button", name="起草答复").click()
    expect(keji.get_by_text("已建立答复草稿（第2版），请修改后保存。")).to_be_visible()
    draft_reply(keji, SECOND_ITEMS, SECOND_COMMITMENT, in_item=0)
    submit_and_issue(keji)
    expect(keji.locator("article.letter mark.commitment")).to_have_text(SECOND_COMMITMENT)
    versions = keji.locator(".versions")
    expect(versions).to_contain_text("第2版 已签发")
    expect(versions).to_contain_text("第1版 已签发")
    second_reply = Response.objects.get(proposal=proposal, version=2)
    versions.get_by_role("link", name="第1版").click()  # the first reply is kept, as issued
    expect(keji).to_have_url(re.compile(rf"/department/replies/{first_reply.pk}/$"))
    expect(keji.locator("article.letter mark.commitment")).to_have_text(FIRST_COMMITMENT)
    expect(keji.locator(".reply-status")).to_have_text("已签发")
    versions.get_by_role("link", name="第2版").click()
    expect(keji).to_have_url(re.compile(rf"/department/replies/{second_reply.pk}/$"))
    expect(keji.locator("article.letter mark.commitment")).to_have_text(SECOND_COMMITMENT)
    shoot(keji, "lead-second-reply-issued")

    # 6. The proposer rates the second reply 满意: the proposal is closed. ------------------------
    delegate.get_by_role("link", name="我的提案").first.click()
    mine = delegate.locator("section.my-proposal").filter(has_text=TITLE)
    second_block = mine.locator(f"#reply-{second_reply.pk}")
    expect(second_block).to_contain_text("第2次答复")
    expect(mine.locator(f"#reply-{first_reply.pk}")).to_contain_text("评价：不满意")
    second_block.get_by_role("link", name="评价本答复").click()
    rate(delegate, "满意")
    expect(
        delegate.get_by_text("已收到蒋俏玲代表的评价：满意。全部提案者均已反馈，提案已办结。")
    ).to_be_visible()
    expect(delegate.locator(".proposal-status")).to_have_text("已办结")
    shoot(delegate, "delegate-satisfied")

    # 7. The office publishes the proposal and the second reply. ---------------------------------
    office.goto(f"{live_server.url}/office/proposals/{proposal.pk}/")
    expect(office.locator(".proposal-status")).to_have_text("已办结")
    office.get_by_role("link", name="公开与重点提案").click()
    office.get_by_label("公开提案").check()
    office.get_by_role("checkbox", name=f"{LEAD}（第2版，主动公开）").check()
    office.get_by_role("button", name="保存", exact=True).click()
    expect(office.get_by_text("公开与重点提案设置已保存。")).to_be_visible()
    expect(office.locator("span.badge", has_text=re.compile("^已公开$"))).to_be_visible()
    replies = office.locator("table.office-replies")
    expect(replies.get_by_role("row").nth(1)).to_contain_text("已签发")
    expect(replies.get_by_role("row").nth(2)).to_contain_text("已公开")
    shoot(office, "office-published")

    # 8. An anonymous visitor finds the proposal and reads the published reply. ------------------
    visitor = new_page(new_context, live_server)
    visitor.goto(f"{live_server.url}/proposals/")
    visitor.get_by_label("关键词").fill("氢能")
    visitor.get_by_role("button", name="筛选").click()
    expect(visitor.locator(".result-count")).to_have_text("共 1 件")
    visitor.get_by_role("link", name=TITLE, exact=True).click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(visitor.locator(".proposal-facts")).to_contain_text("已办结")
    expect(visitor.locator("a.reply-link")).to_have_count(1)  # only the published second reply
    visitor.get_by_role("link", name=f"阅读{LEAD}的答复函").click()
    expect(visitor).to_have_url(re.compile(rf"/replies/{second_reply.pk}/$"))
    letter = visitor.locator("article.letter")
    expect(letter.get_by_role("heading", level=1)).to_contain_text(f"第{number}号")
    expect(letter.get_by_role("heading", level=2)).to_have_text(numbered(SECOND_ITEMS))
    expect(letter.locator("mark.commitment")).to_have_text(SECOND_COMMITMENT)
    visitor.get_by_role("link", name=SECOND_COMMITMENT).click()  # the commitment index links to the mark
    expect(visitor).to_have_url(re.compile(r"#commitment-\d+$"))
    shoot(visitor, "public-reply")

    # What the database holds at the end. ---------------------------------------------------------
    proposal.refresh_from_db()
    assert (proposal.number, proposal.status, proposal.is_published) == (number, Proposal.Status.CLOSED, True)
    lead = Assignment.objects.get(proposal=proposal, role=Assignment.Role.LEAD)
    co = Assignment.objects.get(proposal=proposal, role=Assignment.Role.CO_HANDLING)
    assert (lead.department.name, co.department.name) == (LEAD, CO)
    assert (lead.assigned_on, co.due_on) == (today, co_due)
    assert lead.received_on == co.received_on == today
    # Re-handling started well inside the three months the lead had: its due date stands (a month
    # from the rating would have shortened it), so no extension was needed.
    assert lead.due_on == new_due == lead_due
    assert not DeadlineExtension.objects.filter(assignment=lead).exists()
    assert CoHandlingOpinion.objects.get(assignment=co).status == CoHandlingOpinion.Status.SUBMITTED

    replies = list(Response.objects.filter(proposal=proposal).order_by("version"))
    assert [(r.version, r.status, r.result_class) for r in replies] == [
        (1, Response.Status.ISSUED, "B"),
        (2, Response.Status.PUBLISHED, "B"),
    ]
    assert [r.items.filter(parent__isnull=True).count() for r in replies] == [2, 2]
    assert list(
        Commitment.objects.filter(item__response__proposal=proposal)
        .order_by("item__response__version")
        .values_list("text", flat=True)
    ) == [FIRST_COMMITMENT, SECOND_COMMITMENT]
    assert list(
        Feedback.objects.filter(response__proposal=proposal)
        .order_by("response__version")
        .values_list("response__version", "proposer__name", "rating", "comments")
    ) == [
        (1, "蒋俏玲", Feedback.Rating.UNSATISFIED, UNSATISFIED_COMMENT),
        (2, "蒋俏玲", Feedback.Rating.SATISFIED, ""),
    ]
    K = Event.Kind
    assert list(proposal.events.order_by("created_at", "pk").values_list("kind", flat=True)) == [
        K.SUBMITTED,
        K.REGISTERED,
        K.ASSIGNED,
        K.RECEIVED,
        K.OPINION_SUBMITTED,
        K.RECEIVED,
        K.REPLY_SUBMITTED,
        K.REPLY_ISSUED,
        K.FEEDBACK_RECEIVED,
        K.REHANDLING,
        K.REPLY_SUBMITTED,
        K.REPLY_ISSUED,
        K.FEEDBACK_RECEIVED,
        K.CLOSED,
        K.PUBLISHED,
        K.REPLY_PUBLISHED,
    ]
