"""A recruiter records that the hiring manager did not show up for an interview, and the client's
side of the engagement's scorecard counts it (the provider's side does not)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from tests import factories

from .kit import expect
from .test_accessibility_in_browser import violations

pytestmark = pytest.mark.browser


def _figure(page, key: str):
    return page.locator(f"#figure-{key} .figure-value")


def test_recruiter_records_a_hiring_manager_no_show_and_the_client_side_figure_moves(browsing, world):
    started = timezone.now().replace(second=0, microsecond=0) - timedelta(hours=2)
    factories.InterviewFactory(
        submission__requisition=world.requisition,
        submission__candidate__full_name="Grace Hopper",
        starts_at=started,
        ends_at=started + timedelta(hours=1),
        location="Room 4",
    )

    # The account manager reads the scorecard: nobody has missed an interview yet.
    manager = browsing.as_user(world.account_manager)
    manager.goto(f"/engagements/{world.acme_engagement.pk}/")
    client_side = manager.locator(".side-client")
    expect(client_side.locator("#figure-hiring_manager_no_shows")).to_contain_text("Hiring-manager no-shows")
    expect(_figure(manager, "hiring_manager_no_shows")).to_have_text("0")
    expect(_figure(manager, "candidate_no_shows")).to_have_text("0")

    # The recruiter finds the interview waiting for its outcome on the requisition page.
    recruiter = browsing.as_user(world.recruiter)
    recruiter.goto(f"/requisitions/{world.requisition.pk}/")
    card = recruiter.locator(".submission-card", has_text="Grace Hopper")
    expect(card).to_contain_text("Outcome to record")
    card.get_by_role("link", name=re.compile("Record outcome")).click()

    expect(recruiter.get_by_role("heading", name="How did the interview with Grace Hopper go?")).to_be_visible()
    assert violations(recruiter) == []
    # Sent without a choice first: the page says so, and keeps working.
    recruiter.get_by_role("button", name="Record outcome").click()
    expect(recruiter.get_by_text("Choose what became of the interview.")).to_be_visible()
    assert violations(recruiter) == []

    recruiter.locator("label.choice", has_text="Hiring manager did not show").click()
    expect(recruiter.get_by_role("radio", name=re.compile("Hiring manager did not show"))).to_be_checked()
    recruiter.get_by_role("button", name="Record outcome").click()

    expect(recruiter).to_have_url(re.compile(rf"/requisitions/{world.requisition.pk}/$"))
    expect(recruiter.locator("main")).to_contain_text("did not show up for the interview with Grace Hopper")
    expect(recruiter.locator(".submission-card", has_text="Grace Hopper")).not_to_contain_text("Outcome to record")

    # The scorecard charges it to the client's side, with its definition, and not to the provider's.
    manager.reload()
    expect(_figure(manager, "hiring_manager_no_shows")).to_have_text("1")
    expect(client_side.locator("#figure-hiring_manager_no_shows .figure-definition")).to_have_text(
        "Interviews starting in the window that the hiring manager did not show up for."
    )
    expect(_figure(manager, "candidate_no_shows")).to_have_text("0")
    expect(manager.locator(".side-provider #figure-candidate_no_shows")).to_be_visible()


def test_the_outcome_form_fits_a_phone_and_reschedules(browsing, world):
    started = timezone.now().replace(second=0, microsecond=0) - timedelta(hours=1)
    interview = factories.InterviewFactory(
        submission__requisition=world.requisition,
        submission__candidate__full_name="Ada Lovelace",
        starts_at=started,
        ends_at=started + timedelta(hours=1),
    )
    next_week = timezone.localdate(timezone=world.recruiter.zone) + timedelta(days=7)

    page = browsing.as_user(world.recruiter, phone=True)
    page.goto(f"/interviews/{interview.pk}/outcome/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.locator("label.choice", has_text="Rescheduled to a new time").click()
    page.get_by_label("Date", exact=True).fill(next_week.isoformat())
    page.get_by_label("Start", exact=True).fill("11:00")
    page.get_by_role("button", name="Record outcome").click()

    expect(page.locator("main")).to_contain_text("The interview with Ada Lovelace is moved to")
    interview.refresh_from_db()
    assert interview.rescheduled_count == 1
    assert interview.starts_at.astimezone(world.recruiter.zone).date() == next_week
