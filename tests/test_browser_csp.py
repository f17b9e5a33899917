"""In a real browser the Content-Security-Policy blocks nothing our pages need (every script and style
comes from our static files), and a throttled login shows its Chinese message."""

from pathlib import Path

import pytest
from django.contrib.auth.models import User

from proposals.demo import ensure_personas

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def log_in(page, base, username, password):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def test_no_page_breaks_the_content_security_policy(live_server, page, seed_letter):
    ensure_personas()
    violations = []
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and violations.append(message.text),
    )
    base = live_server.url
    public = [
        "/",
        "/proposals/",
        f"/replies/{seed_letter.pk}/",
        "/commitments/",
        "/stats/",
        "/search/?q=稀土",
    ]
    for path in public:
        page.goto(base + path)
    page.goto(f"{base}/letters/replies/{seed_letter.pk}/print/")

    log_in(page, base, "office", "office-demo-2026")
    proposal = seed_letter.proposal_id
    for path in [
        "/office/",
        "/office/proposals/new/",
        f"/office/proposals/{proposal}/assign/",
        "/letters/import/",
    ]:
        page.goto(base + path)
    # Scripts from static files still run: the office form's script wires its controls.
    page.goto(f"{base}/office/proposals/new/")
    page.goto(f"{base}/admin/")
    page.context.clear_cookies()

    log_in(page, base, "keji", "keji-demo-2026")
    for path in ["/department/", f"/department/replies/{seed_letter.pk}/", "/department/commitments/"]:
        page.goto(base + path)
    assert violations == []


def test_a_locked_account_sees_why_in_chinese(live_server, page, settings):
    settings.AXES_FAILURE_LIMIT = 3
    User.objects.create_user("zhang", "zhang@example.org", "right-password-2026")
    for _ in range(3):
        log_in(page, live_server.url, "zhang", "wrong")
    log_in(page, live_server.url, "zhang", "right-password-2026")
    alert = page.get_by_role("alert")
    assert "已暂时锁定" in alert.inner_text() and "30 分钟" in alert.inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "login-locked-out.png", full_page=True)
