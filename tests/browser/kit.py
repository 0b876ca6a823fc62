"""Small helpers for the browser tests: links out of emails, and the people's emails."""

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
