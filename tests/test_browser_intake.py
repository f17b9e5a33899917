"""The Excel intake in a real browser (Chromium): upload a sheet with a repeated row, a row already on
file, a misspelt proposer and proposers of mixed kinds; see each flagged in the preview; confirm."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from proposals.models import IntakeBatch, Proposal, Proposer
from tests.test_office_intake import SEED_TITLE, row, xlsx

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"

SHEET = [
    row("关于发展数字经济的建议", "李明、蒋俏玲", "委员、代表"),  # 2: mixed kinds, both on file
    row("关于发展 数字经济的建议。", "李明、蒋俏玲", "委员、代表"),  # 3: repeats row 2
    row(SEED_TITLE, "蒋俏玲", "代表"),  # 4: already on file (20200287)
    row("关于发展林下经济的建议", "蒋俏龄", "代表"),  # 5: 蒋俏玲 misspelt
    row("关于保护漓江的建议", "王五", "委员"),  # 6: a new proposer
]


def test_the_office_previews_an_upload_and_confirms_exactly_the_intended_rows(
    live_server, page, personas, seed_letter, tmp_path
):
    ARTIFACTS.mkdir(exist_ok=True)
    sheet = tmp_path / "第一批提案.xlsx"
    sheet.write_bytes(xlsx(SHEET))
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill("office")
    page.get_by_label("密码").fill("office-demo-2026")
    page.get_by_role("button", name="登录").click()
    page.goto(f"{live_server.url}/office/proposals/import/")
    page.set_input_files("input[name=file]", str(sheet))
    page.get_by_role("button", name="上传并预览").click()

    page.get_by_text("将新建2行，重复2行，需确认提案者1行，有错误0行；将新建提案者1位").wait_for()
    outcome = {
        line: page.locator(f"tr.intake-row[data-line='{line}']").get_attribute("data-outcome")
        for line in range(2, 7)
    }
    assert outcome == {2: "create", 3: "duplicate", 4: "duplicate", 5: "check", 6: "create"}
    assert page.locator("tr[data-line='3'] .duplicate-of").inner_text() == "与第2行重复"
    assert page.locator("tr[data-line='4'] .duplicate-of").inner_text().startswith("系统中已有：第20200287号")
    mixed = page.locator("tr[data-line='2'] .intake-name")
    assert [mixed.nth(i).get_attribute("data-status") for i in range(2)] == ["exact", "exact"]
    assert "李明（委员）" in mixed.nth(0).inner_text() and "蒋俏玲（代表）" in mixed.nth(1).inner_text()
    assert "将新建提案者" in page.locator("tr[data-line='6'] .intake-name").inner_text()
    page.screenshot(path=ARTIFACTS / "intake-preview.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=ARTIFACTS / "intake-preview-phone.png", full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})

    # Confirming without deciding on the misspelt name is refused, and nothing is created.
    page.get_by_role("button", name="确认导入").click()
    page.get_by_text("第5行：请确认提案者“蒋俏龄”是系统中的哪一位，或新建").wait_for()
    assert not Proposal.objects.filter(status=Proposal.Status.SUBMITTED).exists()

    page.get_by_label("就是蒋俏玲代表（一字之差）").check()
    page.get_by_role("button", name="确认导入").click()
    page.get_by_text("已导入3件提案，待审查。未导入重复的第3、4行。").wait_for()
    page.screenshot(path=ARTIFACTS / "intake-confirmed.png", full_page=True)

    created = Proposal.objects.filter(status=Proposal.Status.SUBMITTED)
    assert sorted(created.values_list("title", flat=True)) == sorted(
        ["关于发展数字经济的建议", "关于发展林下经济的建议", "关于保护漓江的建议"]
    )
    jiang = Proposer.objects.get(name="蒋俏玲")
    assert created.get(title="关于发展林下经济的建议").proposer_links.get().proposer == jiang
    digital = created.get(title="关于发展数字经济的建议")
    assert [link.proposer for link in digital.proposer_links.order_by("position")] == [
        Proposer.objects.get(name="李明"),
        jiang,
    ]
    assert not Proposer.objects.filter(name="蒋俏龄").exists()
    assert Proposer.objects.filter(name="蒋俏玲").count() == 1
    assert IntakeBatch.objects.get().status == IntakeBatch.Status.CONFIRMED

    # The same file again: recognised before anything is done.
    page.goto(f"{live_server.url}/office/proposals/import/")
    page.set_input_files("input[name=file]", str(sheet))
    page.get_by_role("button", name="上传并预览").click()
    page.locator(".reupload-warning").wait_for()
    assert "导入过，当时新建了3件提案" in page.locator(".reupload-warning").inner_text()
    page.get_by_label("仍要再次导入这个文件").wait_for()
    page.screenshot(path=ARTIFACTS / "intake-reupload.png", full_page=True)


def test_an_upload_shows_its_progress_and_cannot_be_sent_twice(live_server, page, personas, tmp_path):
    violations = []
    page.on("console", lambda m: "Content Security Policy" in m.text and violations.append(m.text))
    sheet = tmp_path / "两百件.xlsx"
    sheet.write_bytes(xlsx([row(f"关于推进第{n}项重点工作的建议", f"委员{n:04d}") for n in range(200)]))
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill("office")
    page.get_by_label("密码").fill("office-demo-2026")
    page.get_by_role("button", name="登录").click()
    page.goto(f"{live_server.url}/office/proposals/import/")
    page.set_input_files("input[name=file]", str(sheet))
    # Keep the form from leaving (a listener after ours), to look at the page while it would work.
    page.evaluate(
        "document.querySelector('form[data-busy]').addEventListener('submit', e => e.preventDefault())"
    )
    button = page.get_by_role("button", name="上传并预览")
    button.click()
    expect(page.locator("#upload-busy")).to_be_visible()
    expect(button).to_be_disabled()
    expect(page.locator("#upload-busy")).to_contain_text("正在上传并逐行检查")
    page.screenshot(path=ARTIFACTS / "intake-busy.png")
    page.evaluate("document.querySelector('form[data-busy]').submit()")
    page.get_by_text("将新建200行，重复0行，需确认提案者0行，有错误0行；将新建提案者200位").wait_for(
        timeout=120_000
    )
    page.get_by_role("button", name="确认导入").click(no_wait_after=True)
    page.get_by_text("已导入200件提案，待审查。").wait_for(timeout=300_000)
    assert Proposal.objects.filter(status=Proposal.Status.SUBMITTED).count() == 200
    assert violations == []
