"""A hiring manager answers the pulse survey from its emailed link on a 390-pixel screen, without
signing in; the page is accessible, fits the screen, and a second answer is refused (issue 10)."""

import os
import re

import pytest
from django.utils import timezone

from engagements.local_dates import engagement_today
from partnership.models import PulseResponse
from partnership.pulse import pulse_survey_open

from .kit import emails_to, expect, one_click_path
from .test_accessibility_in_browser import violations

pytestmark = pytest.mark.browser


def test_a_hiring_manager_answers_the_pulse_from_the_emailed_link_on_a_phone(browsing, world):
    engagement = world.acme_engagement
    survey = pulse_survey_open(
        engagement=engagement, period_start=engagement_today(engagement).replace(day=1), now=timezone.now()
    )
    [invited] = emails_to(world.hiring_manager.email)
    assert "Talentbridge RPO" in invited.subject

    page = browsing.anonymous(phone=True)
    page.goto(one_click_path(invited))
    expect(page).to_have_url(re.compile(rf"/pulse/{survey.pk}/answer/$"))  # the token has left the address
    expect(page.get_by_role("heading", name="How is the partnership going?")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert violations(page) == []
    if os.environ.get("PULSE_SCREENSHOT"):
        page.screenshot(path=os.environ["PULSE_SCREENSHOT"], full_page=True)

    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_text("Almost there")).to_be_visible()
    assert violations(page) == []

    for legend, score in (
        ("Quality of the candidates put forward", "4"),
        ("Communication from the recruiting team", "3"),
        ("Responsiveness of the recruiting team", "5"),
        ("Overall, the partnership this period", "4"),
    ):
        page.get_by_role("group", name=re.compile(legend)).get_by_text(score, exact=True).click()
    page.get_by_label(re.compile("Anything to add")).fill("Shortlists are sharp.")
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("heading", name="Thank you!")).to_be_visible()

    page.goto(f"/pulse/{survey.pk}/answer/")  # the link's page again, later
    expect(page.get_by_role("heading", name="You have already answered")).to_be_visible()
    assert PulseResponse.objects.filter(survey=survey).count() == 1

    # The account manager's engagement page: one answer is not enough to show anything but the rate.
    manager = browsing.as_user(world.account_manager)
    manager.goto(f"/engagements/{engagement.pk}/")
    section = manager.locator("#pulse")
    expect(section.get_by_role("heading", name="Pulse results")).to_be_visible()
    expect(section.get_by_text("Not enough answers yet").first).to_be_visible()
    expect(section.get_by_role("row", name=re.compile("Response rate"))).to_have_count(2)
    if os.environ.get("PULSE_SCREENSHOT"):
        section.screenshot(path=os.environ["PULSE_SCREENSHOT"].replace(".png", "-engagement.png"))
