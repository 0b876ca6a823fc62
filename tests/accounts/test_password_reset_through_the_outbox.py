"""Password reset (issue 13, failure 5): the request records the email and the worker sends it, so
the answer does not tell whether an account has the address, and asking again sends no more."""

import re
from datetime import timedelta

import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.emails import PASSWORD_RESET
from rpo_portal.models import OutboundEmail

RESET_LINK = re.compile(r"https://portal\.example\.com/password-reset/[^/\s]+/([^/\s]+)/")


def _ask(client, email):
    return client.post(reverse("password_reset"), {"email": email})


def test_the_request_sends_nothing_itself_for_a_known_or_an_unknown_address(
    client, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as published:
        known = _ask(client, world.hiring_manager.email)
        unknown = _ask(client, "nobody@nowhere.example")

    # Both answer the same redirect, and neither sent an email while answering.
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("password_reset_done")
    assert mail.outbox == []
    [recorded] = OutboundEmail.objects.all()
    assert (recorded.kind, recorded.recipient, recorded.status) == (
        PASSWORD_RESET,
        world.hiring_manager,
        OutboundEmail.Status.PENDING,
    )
    assert len(published) == 1  # the send task, published once the request's transaction commits

    for publish in published:  # the worker
        publish()
    [message] = mail.outbox
    assert message.to == [world.hiring_manager.email]
    # The link's token was made when sending: it is nowhere in the database.
    token = RESET_LINK.search(message.body).group(1)
    recorded.refresh_from_db()
    assert recorded.status == OutboundEmail.Status.SENT
    stored = " ".join(str(value) for value in OutboundEmail.objects.values_list().get())
    assert token not in stored


def test_three_requests_in_a_row_send_exactly_one_email(client, world, django_capture_on_commit_callbacks):
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            assert _ask(client, world.hiring_manager.email.upper())["Location"] == reverse("password_reset_done")
    assert [message.to for message in mail.outbox] == [[world.hiring_manager.email]]
    assert OutboundEmail.objects.count() == 1

    # Later on, asking again sends a fresh link.
    with time_machine.travel(timezone.now() + timedelta(minutes=16)), django_capture_on_commit_callbacks(execute=True):
        _ask(client, world.hiring_manager.email)
    assert len(mail.outbox) == 2
    first, second = (RESET_LINK.search(message.body).group(1) for message in mail.outbox)
    assert first != second


def test_a_reset_recorded_for_an_account_deactivated_before_sending_is_skipped(
    client, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as published:
        _ask(client, world.hiring_manager.email)
    world.hiring_manager.is_active = False
    world.hiring_manager.save()
    for publish in published:
        publish()
    assert mail.outbox == []
    assert OutboundEmail.objects.get().status == OutboundEmail.Status.SKIPPED
