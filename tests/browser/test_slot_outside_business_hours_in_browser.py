"""A hiring manager picking a slot at 02:00 on a Sunday is warned as they pick (static JS under
the strict CSP), can still offer it, and sees the warning again once offered."""

from datetime import timedelta

import pytest
from django.utils import timezone

from engagements.models import Submission
from feedback.services import availability_request_open
from tests import factories

from .kit import expect

pytestmark = pytest.mark.browser


def _next(weekday: int):
    day = timezone.localdate() + timedelta(days=7)
    while day.weekday() != weekday:
        day += timedelta(days=1)
    return day


def test_a_sunday_night_slot_is_flagged_as_it_is_picked_and_still_offered(browsing, world):
    submission = factories.SubmissionFactory(
        requisition=world.globex_requisition, stage=Submission.Stage.INTERVIEW, candidate__full_name="Lise Meitner"
    )
    request = availability_request_open(submission=submission, requested_of=world.globex_hiring_manager)

    phone = browsing.as_user(world.globex_hiring_manager, phone=True)
    phone.goto(f"/availability/{request.pk}/")
    sunday = phone.get_by_role("group", name="Slot 1")
    sunday.get_by_label("Date").fill(_next(6).isoformat())
    sunday.get_by_label("Start").fill("02:00")
    tuesday = phone.get_by_role("group", name="Slot 2")
    tuesday.get_by_label("Date").fill(_next(1).isoformat())
    tuesday.get_by_label("Start").fill("10:00")

    expect(sunday.get_by_text("outside the partnership's business hours")).to_be_visible()
    expect(tuesday.get_by_text("outside the partnership's business hours")).to_be_hidden()

    phone.get_by_role("button", name="Offer these slots").click()
    expect(phone.get_by_role("heading", name="Thank you!")).to_be_visible()
    expect(phone.locator(".slot-list .badge.warning")).to_have_count(1)
