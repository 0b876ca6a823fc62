"""A recruiter adds a candidate and submits them to the hiring manager, from the requisition page."""

import re

import pytest

from .kit import emails_to, expect

pytestmark = pytest.mark.browser


def test_recruiter_adds_and_submits_a_candidate_who_lands_in_hiring_manager_review(browsing, world):
    page = browsing.as_user(world.recruiter, through_login_form=True)
    page.goto(f"/requisitions/{world.requisition.pk}/")
    expect(page.get_by_role("heading", name=world.requisition.title, exact=True)).to_be_visible()
    page.get_by_role("link", name="Add and submit a candidate").click()

    expect(page.get_by_role("heading", name="Add and submit a candidate")).to_be_visible()
    page.get_by_label("Full name").fill("Marie Curie")
    page.get_by_label("Email").fill("marie@mail.example")
    page.get_by_label("Current title").fill("Research Chemist")
    page.get_by_label(re.compile("^Summary for the hiring manager")).fill("Two Nobel prizes; leads a lab of twelve.")
    page.get_by_label("Send to the hiring manager for review now").check()
    page.get_by_role("button", name="Add and submit").click()

    # Back on the requisition page, the candidate waits in hiring-manager review.
    expect(page).to_have_url(re.compile(rf"/requisitions/{world.requisition.pk}/"))
    review = page.get_by_role("region", name=re.compile("^Hiring-manager review"))
    expect(review).to_contain_text("Marie Curie")
    expect(review).to_contain_text("Research Chemist")
    expect(review).to_contain_text(re.compile("waiting on"))

    [ask] = emails_to(world.hiring_manager.email)
    assert "Marie Curie" in ask.subject
    assert "/r/" in ask.body
