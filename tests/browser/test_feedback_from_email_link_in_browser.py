"""A hiring manager answers from the one-click link in the email, and the account manager's
scorecard moves."""

import re

import pytest

from engagements.models import Submission
from engagements.services import submission_change_stage
from tests import factories

from .kit import emails_to, expect, one_click_path

pytestmark = pytest.mark.browser


def _put_forward(world, name: str) -> Submission:
    submission = factories.SubmissionFactory(
        requisition=world.requisition, candidate__full_name=name, summary="Built the first compiler."
    )
    submission_change_stage(submission=submission, to_stage=Submission.Stage.HM_REVIEW, actor=world.recruiter)
    return submission


def test_hiring_manager_answers_from_the_emailed_link_on_a_phone(browsing, world):
    _put_forward(world, "Ada Lovelace")
    [ask] = emails_to(world.hiring_manager.email)
    assert "Ada Lovelace" in ask.subject

    page = browsing.anonymous(phone=True)  # no password: the link is enough
    page.goto(one_click_path(ask))
    expect(page.get_by_role("heading", name="Ada Lovelace")).to_be_visible()
    expect(page.get_by_text("Built the first compiler.")).to_be_visible()

    page.locator("label.choice", has_text="Advance").click()
    page.locator("label.star", has_text="4").click()
    page.get_by_text("Skills match the role").click()
    page.get_by_text("Communicates well").click()
    page.get_by_role("textbox", name=re.compile("^Comments")).fill("Sharp questions about the data model.")
    expect(page.get_by_role("radio", name=re.compile("Advance"))).to_be_checked()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("button", name="Send feedback").click()

    expect(page.get_by_role("heading", name="Thank you!")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Your feedback on Ada Lovelace")
    expect(page.locator("main")).to_contain_text("4 / 5")
    expect(page.get_by_role("link", name="Offer interview slots now")).to_be_visible()
    # The recruiter hears of it at once.
    assert any("Ada Lovelace" in message.body for message in emails_to(world.recruiter.email))

    # The same link, opened again, says it was already answered.
    page.goto(one_click_path(ask))
    expect(page.get_by_role("heading", name="Already answered — thank you")).to_be_visible()


def _hiring_manager_row(page, hiring_manager):
    table = page.get_by_role("region", name=re.compile("^Hiring managers by responsiveness"))
    return table.get_by_role("row", name=re.compile(re.escape(hiring_manager.full_name)))


def _figure(page, label: str):
    return page.locator(".figure", has=page.get_by_text(label, exact=True)).locator(".figure-value")


def test_account_managers_scorecard_moves_when_the_hiring_manager_answers_from_the_email(browsing, world):
    _put_forward(world, "Katherine Johnson")
    [ask] = emails_to(world.hiring_manager.email)
    engagement_page = f"/engagements/{world.acme_engagement.pk}/"

    # Before: the account manager sees one request asked of the hiring manager, none answered.
    account_manager = browsing.as_user(world.account_manager)
    account_manager.goto(engagement_page)
    expect(account_manager.get_by_role("heading", name="Acme partnership")).to_be_visible()
    row = _hiring_manager_row(account_manager, world.hiring_manager)
    expect(row.get_by_role("cell").nth(0)).to_have_text("1")  # asked
    expect(row.get_by_role("cell").nth(1)).to_have_text("0")  # answered
    # Nothing answered in the window yet, so no turnaround to show.
    expect(_figure(account_manager, "Median feedback turnaround")).to_have_text("—")

    # The hiring manager answers from the email, on a phone, without a password.
    phone = browsing.anonymous(phone=True)
    phone.goto(one_click_path(ask))
    phone.locator("label.choice", has_text="Advance").click()
    phone.locator("label.star", has_text="5").click()
    phone.get_by_text("Relevant experience").click()
    phone.get_by_role("button", name="Send feedback").click()
    expect(phone.get_by_role("heading", name="Thank you!")).to_be_visible()

    # After: the same page, reloaded, counts the answer, answered within minutes.
    account_manager.reload()
    row = _hiring_manager_row(account_manager, world.hiring_manager)
    expect(row.get_by_role("cell").nth(1)).to_have_text("1")  # answered
    expect(row.get_by_role("cell").nth(2)).to_have_text("100%")  # on time
    expect(_figure(account_manager, "Median feedback turnaround")).to_have_text(re.compile(r"^0(\.0)? h$"))
