"""Small helpers for the browser tests: links out of emails, the people's emails, and the watch for
Content-Security-Policy violations that every browser context carries."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.core import mail

ONE_CLICK = re.compile(r"https?://[^\s\"'<>]+/r/[^\s\"'<>/]+/")


def emails_to(address: str) -> list:
    return [message for message in mail.outbox if address in message.to]


def one_click_path(message) -> str:
    """The path of the one-click link in an email (the site's host is the real one, not the test server)."""
    found = ONE_CLICK.search(message.body)
    assert found, f"no one-click link in the email {message.subject!r}:\n{message.body}"
    return urlsplit(found.group(0)).path


def expect(*args, **kwargs):
    """Playwright's ``expect``, imported when used: without Playwright the tests are still collected
    (and skipped, or failed in CI, by the ``browser`` marker) instead of breaking collection."""
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(*args, **kwargs)


# Run in every page before its own scripts (an init script is not subject to the page's policy): the
# browser's own console line says what was refused, this adds where (source file and line).
_REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error("Content Security Policy violation: " + event.effectiveDirective + " refused "
    + (event.blockedURI || "an inline resource") + " at " + (event.sourceFile || event.documentURI)
    + ":" + event.lineNumber);
});
"""


def watch_for_csp_violations(context, found: list[str]) -> None:
    """Append to ``found`` every Content-Security-Policy violation in any page of ``context``: the
    browser logs each to the console ("Refused to ... because it violates the following Content
    Security Policy directive"), and the ``securitypolicyviolation`` listener logs it again with
    its source. The ``browsing`` fixture fails the test at teardown when ``found`` is not empty."""
    context.add_init_script(_REPORT_CSP_VIOLATIONS)

    def on_console(message):
        # A Permissions-Policy the browser cannot read ("Unrecognized feature") is a broken header too.
        if "Content Security Policy" in message.text or "Permissions-Policy" in message.text:
            found.append(f"{message.page.url if message.page else '?'}: {message.text}")

    context.on("console", on_console)
