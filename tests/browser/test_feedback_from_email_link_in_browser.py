"""A hiring manager answers from the one-click link in the email, and the account manager's
scorecard moves. The link redirects once to an address without its token, names the person it is
for, and asks someone else signed in on that browser before going on as her."""

import re

import pytest

from engagements.models import Submission
from engagements.services import submission_change_stage
from feedback.models import Feedback
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
    link = one_click_path(ask)
    page.goto(link)
    expect(page.get_by_role("heading", name="Ada Lovelace")).to_be_visible()
    # The token has left the address bar (and so the history, and every Referer).
    expect(page).to_have_url(re.compile(r"/respond/feedback/\d+/$"))
    expect(
        page.get_by_text(f"This link is for {world.hiring_manager.display_name} (hiring manager, Acme)")
    ).to_be_visible()
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
    # The availability request comes in its own email: this link does not lead on to it.
    expect(page.locator("main")).to_contain_text("We'll email you a link to offer your interview slots")
    expect(page.get_by_role("link", name="Offer interview slots now")).to_have_count(0)
    # The recruiter hears of it at once.
    assert any("Ada Lovelace" in message.body for message in emails_to(world.recruiter.email))

    # Post/Redirect/Get: reloading the thank-you page sends nothing again (no resubmission prompt).
    page.reload()
    expect(page.get_by_role("button", name="Send feedback")).to_have_count(0)

    # The same link, opened again, shows the answer and nothing more.
    page.goto(link)
    expect(page.get_by_role("heading", name="Already answered — thank you")).to_be_visible()
    expect(page.locator("main")).to_contain_text("4 / 5")
    expect(page.locator("main form")).to_have_count(0)


def test_someone_else_signed_in_is_asked_before_the_link_answers_as_its_person(browsing, world):
    _put_forward(world, "Grace Hopper")
    [ask] = emails_to(world.hiring_manager.email)

    # Globex's hiring manager, signed in on this browser, opens Acme's hiring manager's link.
    page = browsing.as_user(world.globex_hiring_manager)
    page.goto(one_click_path(ask))
    expect(page.get_by_role("heading", name="This link is for someone else")).to_be_visible()
    expect(page.locator("main")).to_contain_text(
        f"This link is for {world.hiring_manager.display_name} (hiring manager, Acme)"
    )
    expect(page.locator("main")).not_to_contain_text("Grace Hopper")  # nothing of Acme's under Globex's name
    expect(page.get_by_role("button", name="Send feedback")).to_have_count(0)

    page.get_by_role("button", name=f"Continue as {world.hiring_manager.display_name}").click()

    # Signed out of Globex first; the link goes on as Acme's hiring manager.
    expect(page.get_by_role("heading", name="Grace Hopper")).to_be_visible()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    expect(page.locator("header")).not_to_contain_text(world.globex_hiring_manager.display_name)
    page.locator("label.choice", has_text="Hold").click()
    page.locator("label.star", has_text="3").click()
    page.get_by_role("button", name="Send feedback").click()
    expect(page.get_by_role("heading", name="Thank you!")).to_be_visible()
    answer = Feedback.objects.get(request__submission__candidate__full_name="Grace Hopper")
    assert answer.given_by == world.hiring_manager


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
