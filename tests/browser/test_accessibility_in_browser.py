"""Every page of every role passes axe's WCAG 2.1 A/AA rules: labels on every field, names on
every button and link, contrast, landmarks, headings in order, ARIA used correctly. Forms are
audited in their error state too, where a screen reader must find the message beside the field.

axe-core is vendored for the tests only (tests/browser/vendor/README.md); it audits the page as
Chromium rendered it, so colours, hidden elements and computed names are the real ones."""

from pathlib import Path

import pytest

from engagements.models import Submission
from engagements.services import submission_change_stage
from feedback.models import FeedbackRequest
from feedback.services import availability_request_open
from tests import factories

from .kit import expect

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "vendor" / "axe-4.14.1.min.js"
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def violations(page) -> list[str]:
    """axe's findings on the page as it stands, one readable line per rule broken."""
    # Evaluated through the DevTools protocol, not added as a <script> tag: the page's
    # Content-Security-Policy refuses inline scripts, and rightly so.
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE.read_text())
    found = page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
            return result.violations.map(v => `${v.id} (${v.impact}): ${v.help}; ${v.nodes.length} element(s), `
                + `first ${v.nodes[0].target.join(" ")}: ${v.nodes[0].html.slice(0, 160)}`);
        }""",
        RULES,
    )
    return found


def audit(page, paths: list[str]) -> dict[str, list[str]]:
    problems = {}
    for path in paths:
        response = page.goto(path)
        assert response.status == 200, f"{path} answered {response.status}"
        page.wait_for_load_state("networkidle")
        if found := violations(page):
            problems[path] = found
    return problems


@pytest.fixture
def asked(world):
    """A candidate waiting on the hiring manager's feedback, and another on their availability."""
    reviewed = factories.SubmissionFactory(requisition=world.requisition, candidate__full_name="Ada Lovelace")
    submission_change_stage(submission=reviewed, to_stage=Submission.Stage.HM_REVIEW, actor=world.recruiter)
    interviewing = factories.SubmissionFactory(
        requisition=world.requisition, stage=Submission.Stage.INTERVIEW, candidate__full_name="Grace Hopper"
    )
    availability = availability_request_open(submission=interviewing, requested_of=world.hiring_manager)
    feedback = FeedbackRequest.objects.get(submission=reviewed, requested_of=world.hiring_manager)
    return feedback, availability


def test_sign_in_and_password_reset_pages_are_accessible_with_and_without_errors(browsing, world):
    page = browsing.anonymous(phone=True)
    assert audit(page, ["/login/", "/password-reset/"]) == {}

    page.goto("/login/")
    page.get_by_label("Email").fill(world.recruiter.email)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("do not match")).to_be_visible()
    assert violations(page) == []


def test_account_manager_pages_are_accessible(browsing, world, asked):
    page = browsing.as_user(world.account_manager)
    engagement = world.acme_engagement.pk
    paths = [
        "/engagements/",
        f"/engagements/{engagement}/",
        f"/engagements/{engagement}/?days=90",
        f"/engagements/{engagement}/sla/",
        "/requisitions/",
        "/out-of-office/",
    ]
    assert audit(page, paths) == {}


def test_recruiter_pages_and_the_candidate_form_in_error_are_accessible(browsing, world, asked):
    page = browsing.as_user(world.recruiter)
    requisition = world.requisition.pk
    paths = ["/requisitions/", f"/requisitions/{requisition}/", f"/requisitions/{requisition}/candidates/new/"]
    paths += ["/inbox/", "/out-of-office/"]
    assert audit(page, paths) == {}

    page.goto(f"/requisitions/{requisition}/candidates/new/")
    page.get_by_label("Email").fill("not an email")
    page.locator("form").first.evaluate("form => form.noValidate = true")  # the server's messages, not the browser's
    page.get_by_role("button", name="Add and submit").click()
    expect(page.get_by_text("Enter an email address like name@example.com.")).to_be_visible()
    assert violations(page) == []


def test_hiring_manager_pages_are_accessible_on_a_phone(browsing, world, asked):
    feedback, availability = asked
    page = browsing.as_user(world.hiring_manager, phone=True)
    paths = ["/inbox/", f"/feedback/{feedback.pk}/", f"/availability/{availability.pk}/", "/requisitions/"]
    assert audit(page, paths) == {}

    page.goto(f"/feedback/{feedback.pk}/")
    page.get_by_role("button", name="Send feedback").click()  # no decision chosen
    expect(page.locator(".errorlist, .field-error, [role=alert]").first).to_be_visible()
    assert violations(page) == []


def test_client_admin_pages_are_accessible(browsing, world, asked):
    page = browsing.as_user(world.client_admin)
    paths = [f"/engagements/{world.acme_engagement.pk}/", "/requisitions/", "/team/", "/team/invite/"]
    assert audit(page, paths) == {}
