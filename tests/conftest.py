import os
import shutil

import pytest
from hypothesis import settings as hypothesis_settings

# In CI the property tests run a fixed, derandomized set of examples: a landing must not depend on
# the luck of the draw. Locally they explore new examples on every run.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")

# Playwright's sync API runs an event loop in the test thread; Django's ORM guards against that.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_available():
    return os.path.exists(CHROMIUM) or shutil.which(CHROMIUM) is not None


def pytest_collection_modifyitems(config, items):
    if chromium_available() or os.environ.get("CI"):
        return  # in CI a missing browser must fail the run, not skip it
    skip = pytest.mark.skip(
        reason=f"Chromium not found at {CHROMIUM}: apt-get install -y chromium fonts-noto-cjk "
        "(in CI a missing browser fails instead)"
    )
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS, "headless": True}


@pytest.fixture
def seed_letter(db, django_db_blocker):
    """The reference record, loaded from the fixture a newcomer loads."""
    from django.core.management import call_command

    call_command("loaddata", "seed_letter", verbosity=0)
    from responses.models import Response

    return Response.objects.get(proposal__number="20200287")


@pytest.fixture
def seed_lines():
    """The reference letter's non-empty lines, stripped: what the letter page must show, in order."""
    from pathlib import Path

    text = (Path(__file__).parent / "data" / "seed_letter.txt").read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip()]


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # A reader in China: the browser asks for Chinese, as the tracker's users' browsers do.
    return {**browser_context_args, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}


# The cast every view's tests walk (shared/STYLE.md): persona name → demo username (None: anonymous).
PERSONAS = {
    "office": "office",
    "lead": "keji",  # 自治区科技厅, lead on 20200287, may sign off
    "co": "fagai",  # 自治区发展改革委, co-handling on 20200287
    "unrelated": "jiaoyu",  # 自治区教育厅, nothing to do with 20200287
    "proposer": "jiangqiaoling",  # 蒋俏玲, first proposer of 20200287
    "other_delegate": "liming",  # 李明, another member
    "anonymous": None,
}


@pytest.fixture
def personas(seed_letter):
    """The seed letter plus one user per persona: {persona name: User or None}."""
    from proposals.demo import ensure_personas

    users = {username: user for username, _password, _description, user in ensure_personas()}
    return {name: users.get(username) for name, username in PERSONAS.items()}


@pytest.fixture
def client_for(client, personas):
    """client_for("lead") → a test client logged in as that persona (anonymous stays logged out)."""
    from django.test import Client

    def make(name):
        persona_client = Client()
        if personas[name] is not None:
            persona_client.force_login(personas[name])
        return persona_client

    return make


@pytest.fixture
def office(client_for):
    """A client signed in as the committee office's clerk."""
    return client_for("office")


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The personas' passwords are hashed in every test that uses them; the default hasher makes
    # that cost seconds per test for no benefit to what the tests check.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def chinese_interface():
    # A request answered in English leaves English active in this thread; every test starts in the
    # site's default language, as a fresh request would.
    from django.utils import translation

    translation.activate("zh-hans")
    yield
    translation.activate("zh-hans")


@pytest.fixture(autouse=True)
def public_pages_uncached(settings):
    # A test writes and reads inside one transaction that never commits, so the version bump that runs
    # on commit never comes: pages are rendered fresh here, and tests/test_pagecache.py turns the cache
    # on with the commit callbacks executed.
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0


@pytest.fixture
def page_cache(settings):
    """The cache on, and the data loaded so far as if committed: its pending commit callbacks run.
    Writes after this run their commit callbacks inside django_capture_on_commit_callbacks(execute=True)."""
    from django.core.cache import cache
    from django.db import connection

    settings.PUBLIC_PAGE_CACHE_SECONDS = 600
    pending, connection.run_on_commit[:] = connection.run_on_commit[:], []
    for _savepoints, callback, _robust in pending:
        callback()
    cache.clear()
    yield
    cache.clear()
