import io
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

from dondoc.accounts import actions
from dondoc.accounts.models import Agency, Role
from dondoc.core import clock
from dondoc.programs import actions as program_actions
from dondoc.programs.services import SEED, parse_path

from .layers import LAYERS, shared

CHROMIUM = os.environ.get("DONDOC_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
_DB_FIXTURES = {"db", "transactional_db", "django_db_setup", "live_server", "django_user_model", "admin_user"}


def _uses_db(item):
    return bool(item.get_closest_marker("django_db") or _DB_FIXTURES & set(getattr(item, "fixturenames", ())))


def pytest_collection_finish(session):
    """Browser tests run a live server in another thread. On SQLite, give the run a database file in WAL mode, as in
    production, instead of the shared-cache in-memory database, whose table locks fail at once ("database table is
    locked") where a file database lets readers read and writers wait."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3") and any("live_server" in getattr(i, "fixturenames", ()) for i in session.items):
        db.setdefault("TEST", {})["NAME"] = str(Path(tempfile.mkdtemp(prefix="dondoc-test-")) / "browser.sqlite3")


def pytest_collection_modifyitems(config, items):
    """Mark every database-touching test `dbtest` so the PostgreSQL run can select exactly those. Among the
    rolled-back database tests (pytest-django has put them first), those with the same shared fixtures
    (layers.py) go together, so that each shared state is built about once."""
    runs, previous, keys = 0, None, {}
    for item in items:
        rolled_back = _uses_db(item) and not LAYERS.transactional(item)
        if _uses_db(item):
            item.add_marker(pytest.mark.dbtest)
        if rolled_back != previous:
            runs, previous = runs + 1, rolled_back
        keys[item] = (runs, LAYERS.sort_key(item) if rolled_back else ())
    items.sort(key=keys.__getitem__)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Open or roll back the shared layers before the test's fixtures, and its own transaction, start."""
    if _uses_db(item):
        LAYERS.switch(LAYERS.wanted(item))
    else:
        LAYERS.copies = None


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    LAYERS.blocker = django_db_blocker
    yield
    LAYERS.switch([])
    LAYERS.blocker = None


@pytest.fixture(autouse=True)
def _working_language():
    """Each test starts in the product's language: a command or view that switched to English (a `--json`
    run, the language cookie) must not leak into the next test's messages."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture(autouse=True, scope="session")
def _fast_hashing():
    """For the whole run, so that the shared fixtures, built between tests, hash as the tests do."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@shared
def reference(db):
    """The reference data of a fresh installation (agency registry, groups, organisation)."""
    call_command("load_reference", verbosity=0, stdout=io.StringIO())


@shared
def seed_parsed(reference):
    """The seed document parsed (once per run when shared)."""
    return parse_path(SEED)


class Personas:
    """The five people every view is tested with (CONVENTIONS.md): admin, leader, own officer/head,
    another agency's officer, anonymous. The owning agency is STC, the other KBNN."""

    password = "pw-test-1"

    def __init__(self, django_user_model):
        self._model = django_user_model

    def make(self, username, agency_code, role, **flags):
        from django.contrib.auth.hashers import make_password

        user = actions.create_user(actor=None, username=username, password_hash=make_password(self.password),
                                   email=f"{username}@example.invalid", **flags)
        actions.add_membership(actor=None, user=user, agency=Agency.objects.get(code=agency_code), role=role)
        return user


@shared
def personas(reference):
    p = Personas(get_user_model())
    p.admin = p.make("t_admin", "SKHDT", Role.PROVINCE_ADMIN, is_staff=True)
    p.leader = p.make("t_leader", "UBND", Role.LEADER)
    p.officer = p.make("t_stc", "STC", Role.AGENCY_OFFICER)
    p.head = p.make("t_stc_ld", "STC", Role.AGENCY_HEAD)
    p.other = p.make("t_kbnn", "KBNN", Role.AGENCY_OFFICER)
    p.own_agency = Agency.objects.get(code="STC")
    p.other_agency = Agency.objects.get(code="KBNN")
    return p


@pytest.fixture
def client_for(client, personas):
    """client_for("officer") -> a test client logged in as that persona (None: anonymous)."""
    from django.test import Client

    def make(name):
        c = Client()
        if name and name != "anonymous":
            c.force_login(getattr(personas, name))
        return c

    return make


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium through Playwright. Missing browser: skip locally, fail under CI=true."""
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(15000)
    yield pg
    context.close()


@shared
def seed(seed_parsed):
    """The seed program loaded (version 1)."""
    return program_actions.load_program(actor=None, parsed=seed_parsed, source_name=SEED.name, at=clock.now())


@shared
def demo(reference):
    """The full demo, as `make demo` loads it (`load_demo` as of 05/10/2020), on the reference data; the command's
    output. (Shared by the demo accounts' test and the generator's tests: one load per run, not one each.)"""
    out = io.StringIO()
    call_command("load_demo", "--as-of", "2020-10-05", stdout=out)
    return out.getvalue()
