"""Database states for the transactional tests (browser tests against a live server): those flush every table after
each test, so the shared layers (layers.py) cannot keep a state open for them. On SQLite, the state a fixture builds
is built once per run, kept as an in-memory copy (SQLite's backup API), and copied back into the test database
before each later test that asks for it: every test still starts from exactly that state, without rebuilding it
(the full demo takes many seconds). On another database the state is simply built each time.

    restore_or_build("demo", lambda: call_command("load_demo", ...))

The key names the state: two fixtures may share one only if ``build`` writes the same rows (and builds nothing
outside the database, such as files: only the database is copied back)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from django.contrib.contenttypes.models import ContentType
from django.db import connection

_SAVED: dict[str, sqlite3.Connection] = {}


def restore_or_build(key: str, build: Callable[[], object]) -> None:
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        build()
        return
    connection.ensure_connection()
    saved = _SAVED.get(key)
    if saved is None:
        build()
        saved = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(saved)
        _SAVED[key] = saved
    else:
        saved.backup(connection.connection)
        ContentType.objects.clear_cache()  # the flush re-created the content types under other ids
