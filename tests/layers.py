"""Shared fixtures: database states built once and shared by the tests that ask for them, not once per test.

A fixture declared with ``@shared`` (instead of ``@pytest.fixture``) writes the same rows for every test: the
reference data, the personas, the seed program, a demo data set. Before each rolled-back database test,
``LAYERS.switch`` makes the database hold exactly the shared fixtures of that test's closure, each one an
outer transaction (a savepoint above the ones it depends on) kept open between tests. pytest-django's
per-test transaction is then a savepoint inside them and rolls back, so every test still starts from exactly
that state, independent of the others. The fixture returns a deep copy of the value built (one copy per
test, so what the values share stays shared). Where its layer is not open — transactional tests, which
flush the tables, and the first database test of the run — it simply runs, as a plain fixture would.

Parameters of a shared fixture are other shared fixtures, or ``db``. It is built between tests, so it must not
rely on what a test's other fixtures do (an autouse fixture's settings, say): it pins what it needs itself.
``conftest.py`` wires the hooks and groups the tests by their shared fixtures, so each state is built about once.
"""

from __future__ import annotations

import copy
import functools
import inspect

import pytest
from django.db import connection, transaction

_BUILDERS: list = []  # the bodies of the shared fixtures, in definition order (a dependency comes first)
_TRANSACTIONAL = {"transactional_db", "live_server", "django_db_reset_sequences", "django_db_serialized_rollback"}


def shared(func):
    """Declare a fixture whose database writes and value are built once and shared (see the module doc)."""
    _BUILDERS.append(func)

    @functools.wraps(func)
    def fixture(**kwargs):
        if func in LAYERS.stack:
            return LAYERS.value(func)
        return func(**kwargs)

    fixture.shared_builder = func
    return pytest.fixture(fixture)


class Layers:
    def __init__(self):
        self.blocker = None  # django_db_blocker once the test database exists
        self.stack: list = []  # builders whose outer transaction is open, bottom first
        self.atomics: list = []
        self.values: dict = {}  # builder -> the value it returned
        self.copies: dict | None = None  # the current test's copy of the values

    @staticmethod
    def transactional(item) -> bool:
        """Whether a database test flushes the tables instead of rolling back (no layer survives that)."""
        marker = item.get_closest_marker("django_db")
        return bool(_TRANSACTIONAL & set(item.fixturenames) or (marker and any(
            marker.kwargs.get(k) for k in ("transaction", "reset_sequences", "serialized_rollback"))))

    def wanted(self, item) -> list:
        """The builders of the shared fixtures a rolled-back database test uses; none for a transactional one."""
        if self.transactional(item):
            return []
        found = set()
        for name in item.fixturenames:
            defs = item._fixtureinfo.name2fixturedefs.get(name)
            builder = getattr(defs[-1].func, "shared_builder", None) if defs else None
            if builder is not None:
                found.add(builder)
        return sorted(found, key=_BUILDERS.index)

    def sort_key(self, item) -> tuple:
        return tuple(_BUILDERS.index(b) for b in self.wanted(item))

    def switch(self, wanted: list) -> None:
        """Roll back the layers the next test does not want, then build the missing ones."""
        self.copies = None
        if self.blocker is None:
            return
        with self.blocker.unblock():
            assert connection.atomic_blocks == self.atomics, "a test left a transaction open"
            keep = 0
            while keep < min(len(self.stack), len(wanted)) and self.stack[keep] is wanted[keep]:
                keep += 1
            while len(self.stack) > keep:
                self._pop()
            for builder in wanted[keep:]:
                self._push(builder)

    def value(self, builder):
        if self.copies is None:
            self.copies = copy.deepcopy(self.values)
        return self.copies[builder]

    def _push(self, builder) -> None:
        atomic = transaction.atomic()
        atomic.__enter__()
        self.atomics.append(atomic)
        self.stack.append(builder)
        try:
            kwargs = {name: None if name == "db" else self.values[self._below(builder, name)]
                      for name in inspect.signature(builder).parameters}
            self.values[builder] = builder(**kwargs)
        except BaseException:
            self._pop()
            raise

    def _below(self, builder, name):
        for other in reversed(self.stack):
            if other.__name__ == name and other is not builder:
                return other
        raise TypeError(f"shared fixture {builder.__name__!r} depends on {name!r}, which is not a shared fixture")

    def _pop(self) -> None:
        self.values.pop(self.stack.pop(), None)
        transaction.set_rollback(True)
        self.atomics.pop().__exit__(None, None, None)


LAYERS = Layers()
