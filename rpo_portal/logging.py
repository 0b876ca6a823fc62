"""Secrets in addresses kept out of the logs.

The one-click link of the emails (``/r/<token>/``, feedback.links) carries a signed token that lets
whoever holds it answer as the person it was sent to. The link redirects at once to an address
without it, so only the first request line names it; these write that line as ``/r/[redacted]/``:
``RedactLinkTokens`` on Django's loggers (settings.LOGGING) and ``redact`` in gunicorn's access log
(gunicorn.conf.py). The emailed password-reset (and invitation) link ``/password-reset/<uid>/<token>/``
works the same way (Django's confirm view redirects to ``.../set-password/``) and is redacted too.
Standard library only, so gunicorn can import it before Django is set up.
"""

from __future__ import annotations

import logging
import re

LINK_TOKEN = re.compile(r"/r/[^/\s?#\"']+/")
REDACTED_LINK = "/r/[redacted]/"
# Django's own "set-password" step carries no token; anything else in that place is one.
RESET_TOKEN = re.compile(r"(/password-reset/[^/\s?#\"']+/)(?!set-password/)[^/\s?#\"']+/")


def redact(text: str) -> str:
    return RESET_TOKEN.sub(r"\1[redacted]/", LINK_TOKEN.sub(REDACTED_LINK, text))


class RedactLinkTokens(logging.Filter):
    """Rewrites a record whose message names a link token; lets every record through."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a malformed record is logging's to report, not ours
            return True
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True
