"""A hiring manager chooses the daily digest at an hour of their own on their settings page, on a
phone (390 px), and the recruiter who then submits a candidate is told that hour (issue 12)."""

import re

import pytest

from accounts.models import User

from .kit import expect
from .test_accessibility_in_browser import violations

pytestmark = pytest.mark.browser


def test_a_hiring_manager_sets_the_daily_digest_at_their_hour_on_a_phone(browsing, world):
    manager = world.hiring_manager
    page = browsing.as_user(manager, phone=True)
    page.goto("/")
    page.get_by_role("link", name="Settings", exact=True).click()

    expect(page.get_by_role("heading", name="Your settings")).to_be_visible()
    page.get_by_text("One daily digest", exact=True).click()  # the radio is drawn as a big button
    page.get_by_label("Daily digest at").select_option("17:00")
    page.get_by_role("button", name="Save settings").click()

    expect(page).to_have_url(re.compile(r"/account/settings/$"))
    expect(page.get_by_role("status")).to_contain_text(
        "Reminders reach you in one daily digest at 17:00 (America/New_York)"
    )
    expect(page.get_by_label("One daily digest")).to_be_checked()
    expect(page.get_by_label("Daily digest at")).to_have_value("17")
    # Nothing sticks out sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    manager.refresh_from_db()
    assert (manager.notification_preference, manager.digest_hour) == (User.NotificationPreference.DIGEST, 17)

    # The recruiter who sends them a candidate is told the truth: the digest, at their hour.
    recruiter = browsing.as_user(world.recruiter)
    recruiter.goto(f"/requisitions/{world.requisition.pk}/candidates/new/")
    recruiter.get_by_label("Full name").fill("Marie Curie")
    recruiter.get_by_label("Email").fill("marie@mail.example")
    recruiter.get_by_label(re.compile("^Summary for the hiring manager")).fill("Two Nobel prizes.")
    recruiter.get_by_label("Send to the hiring manager for review now").check()
    recruiter.get_by_role("button", name="Add and submit").click()
    expect(recruiter.get_by_role("status")).to_contain_text(
        f"{manager.display_name} reads requests in a daily digest at 17:00 their time (America/New_York)."
    )


def test_the_settings_page_is_accessible_with_and_without_errors(browsing, world):
    page = browsing.as_user(world.recruiter, phone=True)
    page.goto("/account/settings/")
    assert violations(page) == []

    page.get_by_label("Until").select_option("20:00")  # the same hour as "Quiet from" for this recruiter
    page.get_by_label("Quiet from").select_option("20:00")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Quiet hours cannot start and end at the same hour (20:00)")).to_be_visible()
    assert violations(page) == []
