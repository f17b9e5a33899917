"""Logins are throttled per account and address (django-axes); password-reset emails are rate-limited."""

import io

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.core import mail
from django.core.cache import caches
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db

LIMIT = 10
PASSWORD = "right-password-2026"


@pytest.fixture(autouse=True)
def fresh_limits(settings):
    settings.AXES_FAILURE_LIMIT = LIMIT
    caches["ratelimit"].clear()
    yield
    caches["ratelimit"].clear()


@pytest.fixture
def users():
    return (
        User.objects.create_user("zhang", "zhang@example.org", PASSWORD),
        User.objects.create_user("wang", "wang@example.org", PASSWORD),
    )


def login(client, username, password, address="203.0.113.7"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def fail(client, username, times, address="203.0.113.7"):
    for _ in range(times):
        response = login(client, username, "wrong", address)
    return response


def test_below_the_limit_the_right_password_still_logs_in(client, users):
    assert fail(client, "zhang", LIMIT - 1).status_code == 200  # the form again, with its error
    response = login(client, "zhang", PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(users[0].pk)
    # A success clears the count: the next mistakes start from zero.
    assert not AccessAttempt.objects.filter(username="zhang").exists()


def test_after_the_limit_even_the_right_password_is_refused_with_a_chinese_message(client, users):
    response = fail(client, "zhang", LIMIT)
    assert response.status_code == 429
    response = login(client, "zhang", PASSWORD)
    page = response.content.decode()
    assert response.status_code == 429
    assert "已暂时锁定" in page and f"连续登录失败 {LIMIT} 次" in page and "30 分钟" in page
    assert "_auth_user_id" not in client.session


def test_other_accounts_and_other_addresses_are_not_affected(client, users):
    fail(client, "zhang", LIMIT)
    assert login(client, "wang", PASSWORD).status_code == 302
    client.logout()
    assert login(client, "zhang", PASSWORD, address="198.51.100.9").status_code == 302


def test_the_office_unlocks_in_the_admin(client, users):
    call_command("seed_demo", "--force", stdout=io.StringIO())
    fail(client, "zhang", LIMIT)
    attempt = AccessAttempt.objects.get(username="zhang")
    office = User.objects.get(username="office")
    assert not office.is_superuser
    client.force_login(office)
    changelist = reverse("admin:axes_accessattempt_changelist")
    assert "zhang" in client.get(changelist).content.decode()
    response = client.post(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"})
    assert response.status_code == 302
    client.logout()
    assert login(client, "zhang", PASSWORD).status_code == 302


def test_the_limit_is_configurable(client, users, settings):
    settings.AXES_FAILURE_LIMIT = 3
    assert fail(client, "zhang", 3).status_code == 429


def reset(client, email, address="203.0.113.7"):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=address)


def test_password_reset_emails_are_rate_limited_per_email(client, users, settings):
    settings.PASSWORD_RESET_RATE_PER_EMAIL = "3/h"
    for _ in range(3):
        assert reset(client, "zhang@example.org").status_code == 302
    response = reset(client, "ZHANG@example.org ")
    assert response.status_code == 429
    assert "密码重置邮件发送过于频繁" in response.content.decode()
    assert len(mail.outbox) == 3
    # Another account's reset still goes out.
    assert reset(client, "wang@example.org").status_code == 302
    assert len(mail.outbox) == 4


def test_password_reset_emails_are_rate_limited_per_address(client, users, settings):
    settings.PASSWORD_RESET_RATE_PER_ADDRESS = "2/h"
    assert reset(client, "zhang@example.org").status_code == 302
    assert reset(client, "wang@example.org").status_code == 302
    assert reset(client, "nobody@example.org").status_code == 429
    assert reset(client, "nobody@example.org", address="198.51.100.9").status_code == 302
    assert len(mail.outbox) == 2
