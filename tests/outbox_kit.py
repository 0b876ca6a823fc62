"""Helpers for the outbox's tests: a mail server that refuses connections, and the beat's sweep.

"SMTP down" is Django's real SMTP backend pointed at a local port nobody listens on, so the error
is the real ``ConnectionRefusedError``. Celery runs eagerly in tests; with errors not propagated,
an eager task runs its retries inline, as a worker would run them later.
"""

from __future__ import annotations

import smtplib
import socket
from contextlib import contextmanager

from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.test import override_settings

from rpo_portal.celery import app as celery_app
from rpo_portal.models import OutboundEmail
from rpo_portal.tasks import sweep_outbox


def closed_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # closed again when the block ends: connections are refused


@contextmanager
def smtp_refusing_connections():
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=closed_port(),
        EMAIL_TIMEOUT=5,
    ):
        yield


@contextmanager
def retries_run_inline():
    """Eager tasks re-raise a Retry when they propagate errors; a worker would run the retry."""
    propagates = celery_app.conf.task_eager_propagates
    celery_app.conf.task_eager_propagates = False
    try:
        yield
    finally:
        celery_app.conf.task_eager_propagates = propagates


def sweep() -> dict:
    """One beat of the outbox sweep, through Celery (eager: the sends run inline)."""
    return sweep_outbox.delay().result


def emails(**filters) -> list[tuple[str, str]]:
    return list(OutboundEmail.objects.filter(**filters).order_by("id").values_list("kind", "status"))


class RejectingSMTPBackend(LocmemBackend):
    """A mail server that refuses the message for good (a 5xx reply): a permanent error."""

    calls = 0

    def send_messages(self, messages):
        RejectingSMTPBackend.calls += 1
        raise smtplib.SMTPDataError(554, b"Transaction failed")
