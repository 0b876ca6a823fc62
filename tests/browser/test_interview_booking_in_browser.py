"""A hiring manager offers interview slots from a phone; the recruiter books one of them."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from engagements.models import Submission
from feedback.services import availability_request_open
from tests import factories

from .kit import emails_to, expect

pytestmark = pytest.mark.browser


def _next_weekday(days_ahead: int):
    day = timezone.localdate() + timedelta(days=days_ahead)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def test_hiring_manager_offers_slots_on_a_phone_and_recruiter_books_the_interview(browsing, world):
    submission = factories.SubmissionFactory(
        requisition=world.requisition, stage=Submission.Stage.INTERVIEW, candidate__full_name="Grace Hopper"
    )
    availability_request_open(submission=submission, requested_of=world.hiring_manager)
    first_day, second_day = _next_weekday(3), _next_weekday(4)

    # The hiring manager signs in on a 390 px wide phone and finds the request in the inbox.
    phone = browsing.as_user(world.hiring_manager, phone=True, through_login_form=True)
    phone.goto("/inbox/")
    item = phone.get_by_role("link", name=re.compile("Grace Hopper"))
    expect(item).to_contain_text("Interview availability")
    item.click()

    expect(phone.get_by_role("heading", name="When could you interview Grace Hopper?")).to_be_visible()
    expect(phone.get_by_text("your time zone: America/New_York")).to_be_visible()
    slot_one = phone.get_by_role("group", name="Slot 1")
    slot_one.get_by_label("Date").fill(first_day.isoformat())
    slot_one.get_by_label("Start").fill("10:00")
    slot_one.get_by_label("Length").select_option(label="1 hour")
    slot_two = phone.get_by_role("group", name="Slot 2")
    slot_two.get_by_label("Date").fill(second_day.isoformat())
    slot_two.get_by_label("Start").fill("14:30")
    slot_two.get_by_label("Length").select_option(label="30 min")
    # Nothing on the form is wider than the phone.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.get_by_role("button", name="Offer these slots").click()

    expect(phone.get_by_role("heading", name="Thank you!")).to_be_visible()
    offered = phone.locator(".slot-list li")
    expect(offered).to_have_count(2)
    expect(offered.first).to_contain_text("10:00–11:00")
    expect(offered.nth(1)).to_contain_text("14:30–15:00")

    # The recruiter books the second slot from their inbox.
    recruiter = browsing.as_user(world.recruiter)
    recruiter.goto("/inbox/")
    ready = recruiter.get_by_role("link", name=re.compile("Grace Hopper"))
    expect(ready).to_contain_text("Book the interview")
    expect(ready).to_contain_text("2 slots offered")
    ready.click()

    expect(recruiter.get_by_text(f"times in your time zone: {world.recruiter.zone}")).to_be_visible()
    second_slot_local = recruiter.get_by_role("radio").nth(1)
    recruiter.locator("label.choice").nth(1).click()
    expect(second_slot_local).to_be_checked()
    recruiter.get_by_label("Location").fill("Video call")
    recruiter.get_by_role("button", name="Book the interview").click()

    expect(recruiter.get_by_role("heading", name="Interview booked")).to_be_visible()
    expect(recruiter.locator("main")).to_contain_text("Grace Hopper")
    expect(recruiter.locator("main")).to_contain_text("Location: Video call")
    expect(recruiter.locator("main")).to_contain_text("14:30–15:00")
    invitations = [m for m in emails_to(world.hiring_manager.email) if m.subject.startswith("Interview booked")]
    assert len(invitations) == 1
    assert "Grace Hopper" in invitations[0].subject
    assert invitations[0].attachments[0][0] == "invitation.ics"
