"""The SQLite default serves a small office: concurrent writers queue instead of failing.

Eight threads, each with its own connection to one file-based database configured as the settings
configure the default, run read-then-write transactions at once (what a POST does: read the row,
then write it). With SQLite's defaults most of them fail with "database is locked"; with WAL, the busy
timeout and immediate transactions every increment lands.
"""

import threading

import pytest
from django.db import OperationalError, connections, transaction

from tracker.settings import sqlite_database

WRITERS = 8
INCREMENTS = 15


@pytest.fixture
def sqlite_file(tmp_path, django_db_blocker):
    """A file database under its own alias; each thread gets its own connection to it."""

    def add(alias, config):
        connections.settings[alias] = connections.configure_settings({"default": {}, alias: config})[alias]
        return alias

    aliases = []

    def make(alias, options=None):
        config = sqlite_database(str(tmp_path / f"{alias}.sqlite3"))
        if options is not None:
            config["OPTIONS"] = options
        aliases.append(add(alias, config))
        with connections[alias].cursor() as cursor:
            cursor.execute("CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)")
            cursor.execute("INSERT INTO counter (id, n) VALUES (1, 0)")
        return alias

    with django_db_blocker.unblock():
        yield make
        for alias in aliases:
            connections[alias].close()
            del connections.settings[alias]


def hammer(alias):
    """Run WRITERS threads of read-then-write transactions; return the errors and the final count."""
    errors = []
    start = threading.Barrier(WRITERS)

    def writer():
        try:
            start.wait()
            for _ in range(INCREMENTS):
                try:
                    with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
                        cursor.execute("SELECT n FROM counter WHERE id = 1")
                        (n,) = cursor.fetchone()
                        cursor.execute("UPDATE counter SET n = %s WHERE id = 1", [n + 1])
                except OperationalError as error:
                    errors.append(str(error))
        finally:
            connections[alias].close()

    threads = [threading.Thread(target=writer) for _ in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT n FROM counter WHERE id = 1")
        return errors, cursor.fetchone()[0]


def test_the_default_sqlite_settings_let_concurrent_writers_all_commit(sqlite_file):
    alias = sqlite_file("configured")
    with connections[alias].cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
    errors, count = hammer(alias)
    assert errors == []
    assert count == WRITERS * INCREMENTS  # no increment lost either


def test_without_them_concurrent_writers_fail_with_database_is_locked(sqlite_file):
    """The control: the same load on SQLite's defaults loses writes, so the test above can fail."""
    alias = sqlite_file("defaults", options={"timeout": 0.05})
    errors, count = hammer(alias)
    assert errors and all("locked" in error for error in errors)
    assert count == WRITERS * INCREMENTS - len(errors)
