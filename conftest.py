"""Shared fixtures: the demo data, a logged-in client per demo role, and the browser.

Every permission test uses the demo logins: ``secretary`` and ``chair`` of the Smolensk
ICT cluster, ``member`` (a representative of a member organisation), ``outsider`` (a
member of another cluster) and ``admin`` (portal administrator).
"""

import copy
import os

import pytest

# core.testing holds the shared permission-table asserts: rewrite them as in test modules.
pytest.register_assert_rewrite("core.testing")

from django.core.cache import caches  # noqa: E402
from django.test import Client  # noqa: E402

from cluster_portal.demo import load_demo  # noqa: E402
from members.models import Cluster  # noqa: E402

ROLES = ["secretary", "chair", "member", "outsider", "admin"]
CHROMIUM = "/usr/bin/chromium"


_SESSION_DEMO: dict = {}


@pytest.fixture(autouse=True)
def _clear_local_cache():
    """The per-process fragment cache (settings.CACHES["local"]) starts empty in every test: database
    ids are reused after a rollback, so a fragment of one test must not show up in the next."""
    for alias in ("local", "default"):
        caches[alias].clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the default language (Russian): a request with an English cookie leaves English
    active in the thread (LocaleMiddleware activates it and nothing deactivates it), which a later test's
    Russian messages would otherwise depend on."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the demo data once into the test database; each test runs in a transaction
    that is rolled back, so every test starts from exactly this state."""
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    own = None
    with django_db_blocker.unblock():
        if connection.settings_dict["NAME"] != connection.creation._get_test_db_name():
            # pytest-django sets up the test database only when a collected test is marked for it; the
            # migration tests open it themselves (``core.tests.test_migrations.demo_database``), so run
            # alone they would migrate and load the configured database. Set the test database up here.
            own = setup_databases(verbosity=0, interactive=False, aliases={"default"})
        _SESSION_DEMO["ctx"] = load_demo()
    yield
    if own is not None:
        with django_db_blocker.unblock():
            teardown_databases(own, verbosity=0)


@pytest.fixture
def demo(request, db):
    """The seed documents loaded as data; a dict of the objects by key (see cluster_portal/demo.py).

    The data is already in the database (loaded once per session); tests get fresh copies
    of the Python objects. Transactional tests (live_server) flush the database, so for
    them, and for any test after such a flush, the loader runs again.
    """
    ctx = _SESSION_DEMO.get("ctx")
    transactional = "transactional_db" in request.fixturenames or "live_server" in request.fixturenames
    if ctx is None or transactional or not Cluster.objects.filter(pk=ctx["cluster"].pk).exists():
        return load_demo()
    return copy.deepcopy(ctx)


@pytest.fixture
def users(demo):
    return demo["users"]


@pytest.fixture
def client_as(users):
    """client_as("member") → a test client logged in as that demo login (None → anonymous)."""

    def make(role):
        client = Client()
        if role is not None:
            client.force_login(users[role])
        return client

    return make


# ---------------------------------------------------------------- browser tests


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium package")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield instance
        instance.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="ru-RU", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    page.set_default_navigation_timeout(45000)  # a save on a loaded CI machine: the POST and the page after it
    yield page
    context.close()


@pytest.fixture
def screenshot_dir():
    """Where browser tests save screenshots for people to look at (git-ignored)."""
    path = os.path.join(os.path.dirname(__file__), "test-output", "screenshots")
    os.makedirs(path, exist_ok=True)
    return path


def browser_login(page, live_server, username, password=None):
    from cluster_portal.demo import DEMO_PASSWORD

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password or DEMO_PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()


@pytest.fixture
def login(page, live_server):
    """login("secretary") logs the browser page in as a demo login."""

    def do(username, password=None):
        page.context.clear_cookies()
        browser_login(page, live_server, username, password)
        return page

    return do


def pytest_collection_modifyitems(config, items):
    # Browser tests need the live server's committed data: run them last so that their
    # database flushes do not slow down everything else.
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


