"""Settings come from the environment and fail loudly on values nobody could mean."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "a-long-random-production-secret-" + "x" * 40,
    "DJANGO_ALLOWED_HOSTS": "tracker.example.org",
}


def run_django(code, **env):
    """Import the settings in a fresh interpreter with exactly this environment."""
    base = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))
    }
    return subprocess.run(
        [
            sys.executable,
            "-c",
            f"import django, os; os.environ['DJANGO_SETTINGS_MODULE']='tracker.settings'; {code}",
        ],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_django("django.setup()", DJANGO_DEBUG="0")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize("value", ["maybe", "2", "enabled"])
def test_an_unreadable_debug_flag_stops_the_process(value):
    result = run_django("django.setup()", DJANGO_DEBUG=value)
    assert result.returncode != 0
    assert f"DJANGO_DEBUG={value!r} is not a boolean" in result.stderr


def test_an_unsupported_database_url_stops_the_process():
    result = run_django("django.setup()", DJANGO_DEBUG="1", DATABASE_URL="mysql://root@localhost/tracker")
    assert result.returncode != 0
    assert "DATABASE_URL='mysql://root@localhost/tracker' is not supported" in result.stderr


def test_database_url_selects_postgresql_with_persistent_connections():
    result = run_django(
        "from django.conf import settings as s; django.setup(); d = s.DATABASES['default'];"
        "print(d['ENGINE'], d['NAME'], d['HOST'], d['PORT'], d['CONN_MAX_AGE'])",
        DJANGO_DEBUG="1",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/tracker",
    )
    assert result.stdout.split() == ["django.db.backends.postgresql", "tracker", "127.0.0.1", "5432", "60"]


def test_redis_url_puts_the_page_cache_in_redis_and_without_it_each_process_keeps_its_own():
    show = "from django.conf import settings as s; c = s.CACHES['default']; "
    show += "print(c['BACKEND'], c.get('LOCATION'))"
    shared = run_django(show, DJANGO_DEBUG="1", REDIS_URL="redis://127.0.0.1:6379/2")
    assert shared.stdout.split() == [
        "django.core.cache.backends.redis.RedisCache",
        "redis://127.0.0.1:6379/2",
    ]
    local = run_django(show, DJANGO_DEBUG="1")
    assert local.stdout.split() == ["django.core.cache.backends.locmem.LocMemCache", "None"]
    wrong = run_django("django.setup()", DJANGO_DEBUG="1", REDIS_URL="localhost:6379")
    assert wrong.returncode != 0 and "REDIS_URL='localhost:6379' is not supported" in wrong.stderr


def test_without_database_url_it_uses_sqlite_in_the_project_folder():
    result = run_django(
        "from django.conf import settings as s; django.setup(); print(s.DATABASES['default']['NAME'])",
        DJANGO_DEBUG="1",
    )
    assert result.stdout.strip() == str(ROOT / "db.sqlite3")


def test_language_and_time_zone():
    from django.conf import settings

    assert settings.LANGUAGE_CODE == "zh-hans"
    assert [code for code, _name in settings.LANGUAGES] == ["zh-hans", "en"]
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert "django.middleware.locale.LocaleMiddleware" in settings.MIDDLEWARE


def test_deploy_check_is_clean_under_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}, **PRODUCTION},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_manage_py_names_the_missing_secret_instead_of_a_confusing_error():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}, "DJANGO_DEBUG": "0"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_a_development_checkout_runs_manage_py_without_any_variable():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    result = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr


def test_a_warning_is_logged_once_in_development():
    """Django's own console handler and ours both printed each "Not Found" line."""
    result = run_django(
        "django.setup(); import logging; logging.getLogger('django.request').warning('Not Found: /nowhere/')",
        DJANGO_DEBUG="1",
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("Not Found: /nowhere/") == 1


@pytest.mark.parametrize(
    ("extra", "expected"),
    [({}, "True True"), ({"DJANGO_SECURE_SSL_REDIRECT": "0", "DJANGO_SECURE_COOKIES": "0"}, "False False")],
)
def test_plain_http_for_a_trial_without_a_tls_proxy_is_explicit(extra, expected):
    """Production redirects to https and sends Secure cookies unless both are switched off by name."""
    result = run_django(
        "from django.conf import settings as s; django.setup();"
        "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE and s.CSRF_COOKIE_SECURE)",
        **PRODUCTION,
        **extra,
    )
    assert result.stdout.strip() == expected, result.stderr


def test_the_sqlite_default_is_configured_for_concurrent_writers():
    result = run_django(
        "from django.conf import settings as s; django.setup(); o = s.DATABASES['default']['OPTIONS'];"
        "print(o['transaction_mode'], o['timeout'], o['init_command'])",
        DJANGO_DEBUG="1",
    )
    assert result.stdout.split()[:2] == ["IMMEDIATE", "20"]
    assert "journal_mode=WAL" in result.stdout
