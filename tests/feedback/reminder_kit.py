"""Helpers for the reminder engine's tests: requests with a ladder at chosen moments, running the
beat tasks as Celery would (eagerly here), and a mail backend that fails like a flaky SMTP server."""

from __future__ import annotations

import smtplib
import zoneinfo
from datetime import datetime, timedelta

from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend

from engagements.models import Submission
from feedback.models import FeedbackRequest, Reminder, ladder_row
from feedback.tasks import send_digests, sweep_reminders
from tests import factories

UTC = zoneinfo.ZoneInfo("UTC")
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


def at(year, month, day, hour=0, minute=0, zone=UTC) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=zone)


def chased_request(
    *,
    requisition,
    requested_of=None,
    remind_at: datetime,
    due_at: datetime | None = None,
    escalate_at: datetime | None = None,
    model=FeedbackRequest,
):
    """An open request with its ladder at the given moments (no "requested" notice recorded)."""
    due_at = due_at or remind_at + timedelta(hours=4)
    escalate_at = escalate_at or due_at + timedelta(hours=12)
    submission = factories.SubmissionFactory(requisition=requisition, stage=Submission.Stage.HM_REVIEW)
    fields = {
        "submission": submission,
        "requested_of": requested_of or requisition.hiring_manager,
        "created_at": remind_at - timedelta(days=1),
        "remind_at": remind_at,
        "due_at": due_at,
        "escalate_at": escalate_at,
    }
    if model is FeedbackRequest:
        fields["kind"] = FeedbackRequest.Kind.RESUME_REVIEW
    request = model.objects.create(**fields)
    ladder_row(request).save(force_insert=True)
    return request


def sweep():
    """One beat of the sweep, through Celery (eager in tests: sends run inline). ``.result``, not
    ``.get()``: Celery flags any join while an eager task runs, in every thread."""
    return sweep_reminders.delay().result


def digests():
    return send_digests.delay().result


def levels(request) -> dict[str, str]:
    """The request's reminders as {level: status}."""
    field = "feedback_request" if isinstance(request, FeedbackRequest) else "availability_request"
    return dict(Reminder.objects.filter(**{field: request}).values_list("level", "status"))


def outbox_to(address: str) -> list:
    return [message for message in mail.outbox if address in message.to]


class FlakySMTPBackend(LocmemBackend):
    """Fails like a mail server that drops the connection, ``failures`` times, then delivers."""

    failures = 0
    calls = 0

    def send_messages(self, messages):
        FlakySMTPBackend.calls += 1
        if FlakySMTPBackend.failures > 0:
            FlakySMTPBackend.failures -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


def backdate_assignments() -> None:
    """The personas' assignments start 30 days before the real today; the tests travel to fixed
    dates, so let the assignments run from long before them."""
    from datetime import date

    from engagements.models import Assignment

    Assignment.objects.update(starts_on=date(2020, 1, 1))
