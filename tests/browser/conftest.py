"""Browser tests: Playwright for Python drives Debian's Chromium against pytest-django's live server.

Every test here carries the ``browser`` marker. Locally a test is skipped when Chromium
(``/usr/bin/chromium``, or ``CHROMIUM_PATH``) or the ``playwright`` package is missing; with
``REQUIRE_SERVICES=1`` (CI) it fails instead, like the ``postgres`` and ``redis`` markers.
Install Chromium with ``apt-get install chromium`` (``make test`` does it when run as root);
``playwright install`` is never needed, nor called.

One browser serves the whole run of this folder; each test gets fresh contexts (cookies, viewport).
Every context watches for Content-Security-Policy violations (``kit.watch_for_csp_violations``): a
test during which any page broke the policy fails, whatever it asserted.
The live server runs in this process, so ``django.core.mail.outbox`` holds what it sent.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from tests.factories import DEFAULT_PASSWORD

from .kit import watch_for_csp_violations

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
TIMEOUT_MS = 10_000
FAILURE_SHOTS = Path(settings.BASE_DIR) / "var" / "browser-failures"


def _browser_missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not (os.path.isfile(CHROMIUM) or shutil.which(CHROMIUM)):
        return f"needs Chromium at {CHROMIUM}: apt-get install chromium"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "needs Playwright for Python: .venv/bin/pip install -r requirements-dev.txt"
    return None


def pytest_runtest_setup(item):
    if not item.get_closest_marker("browser"):
        return
    missing = _browser_missing()
    if missing is None:
        return
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(f"REQUIRE_SERVICES=1 but the browser tests cannot run: {missing}", pytrace=False)
    pytest.skip(missing)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test, so a failing test can leave a screenshot behind."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="package")
def browser():
    """One headless Chromium for every test in this folder.

    Playwright's sync API keeps an asyncio loop running in this thread while it is started, and
    Django refuses ORM calls from a thread with a running loop (SynchronousOnlyOperation). The
    tests here use the ORM between browser steps on purpose, so the check is switched off for
    exactly as long as Playwright runs: this fixture is package-scoped so that the rest of the
    suite, run after this folder, keeps the check.
    """
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)  # the whole suite may share the machine: be patient
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
            yield chromium
            chromium.close()


@pytest.fixture(autouse=True)
def _emails_go_out_at_any_hour(settings):
    """The first ask is sent at once unless it is night where the recipient is; tests run at any hour."""
    settings.QUIET_HOURS_START = settings.QUIET_HOURS_END = 8


class Browsing:
    """Opens pages in the live server as a given person, each in a context of its own."""

    def __init__(self, browser, live_server, request):
        self.browser = browser
        self.base_url = live_server.url
        self.request = request
        self.pages = []
        self.csp_violations: list[str] = []

    def anonymous(self, *, phone: bool = False):
        context = self.browser.new_context(base_url=self.base_url, viewport=PHONE if phone else DESKTOP)
        context.set_default_timeout(TIMEOUT_MS)
        watch_for_csp_violations(context, self.csp_violations)
        page = context.new_page()
        self.pages.append(page)
        return page

    def as_user(self, user, *, phone: bool = False, through_login_form: bool = False):
        """A page logged in as ``user``: through the real login form, or with a session cookie."""
        page = self.anonymous(phone=phone)
        if through_login_form:
            log_in_through_form(page, email=user.email, password=DEFAULT_PASSWORD)
        else:
            client = Client()
            client.force_login(user)
            cookie = client.cookies[settings.SESSION_COOKIE_NAME]
            page.context.add_cookies(
                [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": self.base_url}]
            )
        return page

    def close(self):
        failed = any(
            getattr(getattr(self.request.node, f"report_{when}", None), "failed", False) for when in ("setup", "call")
        )
        for number, page in enumerate(self.pages):
            if failed and not page.is_closed():
                FAILURE_SHOTS.mkdir(parents=True, exist_ok=True)
                name = f"{self.request.node.name}-{number}.png"
                with contextlib.suppress(Exception):  # a screenshot is a courtesy, never a second failure
                    page.screenshot(path=str(FAILURE_SHOTS / name), full_page=True)
            page.context.close()
        if self.csp_violations:
            pytest.fail("Content-Security-Policy violations:\n" + "\n".join(self.csp_violations), pytrace=False)


def log_in_through_form(page, *, email: str, password: str) -> None:
    """What a person does on /login/: type the email and password, press the button."""
    from playwright.sync_api import expect

    page.goto("/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile(r"^(Sign in|Log in)$")).click()
    expect(page).not_to_have_url(re.compile(r"/login/"))


@pytest.fixture
def browsing(browser, live_server, request):
    """``browsing.as_user(world.recruiter)`` -> a logged-in Playwright page; closed after the test."""
    session = Browsing(browser, live_server, request)
    yield session
    session.close()
