"""Browser tests: one system Chromium for the run of browser tests, a fresh context and page per test.

Playwright's sync API keeps an asyncio loop running in the test thread for as long as it is
started, and Django refuses ORM calls from a thread with a running loop unless
DJANGO_ALLOW_ASYNC_UNSAFE says this is deliberate. Both are confined to the browser tests: the
variable is set when Chromium starts and removed when it stops, and Chromium stops as soon as the
next test is not a browser test (or the session ends). Otherwise the loop would break the ORM in
whatever tests a worker runs next, and the variable would leak into subprocesses other tests start
(`manage.py check --deploy` rightly rejects it).
"""

import os
import re
import traceback
from contextlib import suppress

import pytest
from playwright.sync_api import expect, sync_playwright

ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
TIMEOUT_MS = 10_000
expect.set_options(timeout=TIMEOUT_MS)


class Chromium:
    def __init__(self):
        self.playwright = self.browser = None
        self.saved_async_unsafe = None

    def start(self):
        if self.browser is None:
            self.saved_async_unsafe = os.environ.get(ASYNC_UNSAFE)
            os.environ[ASYNC_UNSAFE] = "true"
            self.playwright = sync_playwright().start()
            self.browser = self.playwright.chromium.launch(
                executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"),
                args=CHROMIUM_ARGS,
                headless=True,
            )
        return self.browser

    def stop(self):
        if self.playwright is None:
            return
        with suppress(Exception):
            self.browser.close()
        self.playwright.stop()
        self.playwright = self.browser = None
        if self.saved_async_unsafe is None:
            os.environ.pop(ASYNC_UNSAFE, None)
        else:
            os.environ[ASYNC_UNSAFE] = self.saved_async_unsafe


chromium = Chromium()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    yield
    if nextitem is None or nextitem.get_closest_marker("browser") is None:
        chromium.stop()


def pytest_sessionfinish(session):
    chromium.stop()


@pytest.fixture
def browser():
    return chromium.start()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    # Nothing leaves the machine: avatars and other third-party assets are refused at once.
    context.route(re.compile(r"^https?://(?!localhost[:/]|127\.0\.0\.1[:/])"), lambda route: route.abort())
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def site(browser, live_server, transactional_db):
    """The address of a live server over a database holding what the migrations put there.

    A transactional test ends by emptying every table, which also removes the rows that data
    migrations created (Wagtail's root page, the default locale, wagtail-localize's translation
    permission); put back what these tests rely on before building their data.
    """
    from tests.factories import restore_migration_data

    restore_migration_data()
    return live_server.url


@pytest.fixture(autouse=True)
def _fail_on_server_errors():
    """A browser only shows "Server Error (500)"; fail with the server's traceback instead."""
    from django.core.signals import got_request_exception

    errors = []

    def record(sender, request=None, **kwargs):
        where = f"{request.method} {request.get_full_path()}\n" if request is not None else ""
        errors.append(where + traceback.format_exc())

    got_request_exception.connect(record, weak=False)
    yield
    got_request_exception.disconnect(record)
    if errors:
        pytest.fail("The server failed while the test ran:\n" + "\n".join(errors), pytrace=False)
