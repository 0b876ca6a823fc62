"""A client admin raises an issue; the account manager comments, tries to resolve it without a
resolution (refused beside the field), then resolves it; the client admin sees it resolved. The
issues pages pass the accessibility audit, also with a refused form (issue 10)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from engagements.local_dates import engagement_today
from partnership.models import PartnershipItem

from .kit import expect
from .test_accessibility_in_browser import audit, violations

pytestmark = pytest.mark.browser

SHOTS = None  # set to a folder path to keep screenshots while developing


def _shot(page, name):
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def test_an_issue_is_raised_discussed_and_resolved_with_a_resolution(browsing, world):
    due = engagement_today(world.acme_engagement) + timedelta(days=5)
    admin = browsing.as_user(world.client_admin)
    admin.goto(f"/engagements/{world.acme_engagement.pk}/issues/")
    admin.get_by_role("link", name="Raise an issue").click()
    admin.get_by_label("Title").fill("Interview slots are scarce")
    admin.get_by_label("What happened").fill("Only one interview slot a week for ACME-1.")
    admin.get_by_label("Impact on hiring").fill("Two candidates waited ten days.")
    admin.get_by_label("Proposed next step").fill("Open a second interview panel on Thursdays.")
    admin.get_by_label("Owner of the next step").select_option(
        label=f"{world.account_manager.display_name} (account manager, Talentbridge RPO)"
    )
    admin.get_by_label("Due on").fill(due.isoformat())
    _shot(admin, "raise")
    admin.get_by_role("button", name="Raise the issue").click()
    expect(admin.get_by_role("heading", name="Interview slots are scarce")).to_be_visible()
    item = PartnershipItem.objects.get()

    manager = browsing.as_user(world.account_manager)
    manager.goto(f"/issues/{item.pk}/")
    manager.get_by_label("Comment").fill("We can add a Thursday panel from next week.")
    manager.get_by_role("button", name="Add the comment").click()
    expect(manager.locator(".timeline")).to_contain_text("We can add a Thursday panel from next week.")

    manager.get_by_role("button", name="Resolve").click()
    expect(manager.locator(".field.has-error")).to_contain_text("Say what was changed to resolve it.")
    assert not violations(manager)
    _shot(manager, "refused")
    manager.get_by_label("Resolution").fill("A second panel interviews on Thursdays.")
    manager.get_by_role("button", name="Resolve").click()
    expect(manager.locator(".messages")).to_contain_text("The issue is now resolved.")

    admin.goto(f"/issues/{item.pk}/")
    expect(admin.locator(".badge.status-resolved")).to_have_text("Resolved")
    expect(admin.locator(".item-facts")).to_contain_text("A second panel interviews on Thursdays.")
    _shot(admin, "resolved")


def test_the_issues_pages_are_accessible(browsing, world):
    item = PartnershipItem.objects.create(
        kind="issue",
        engagement=world.acme_engagement,
        requisition=world.requisition,
        title="Feedback is slow",
        what_happened="Résumés wait a week.",
        proposed_next_step="A weekly review slot.",
        owner=world.hiring_manager,
        due_on=engagement_today(world.acme_engagement) - timedelta(days=1),
        status="open",
        raised_by=world.client_admin,
        created_at=timezone.now(),
    )
    page = browsing.as_user(world.hiring_manager, phone=True)
    paths = [
        f"/engagements/{world.acme_engagement.pk}/issues/",
        f"/engagements/{world.acme_engagement.pk}/issues/new/?requisition={world.requisition.pk}",
        f"/issues/{item.pk}/",
        f"/issues/{item.pk}/edit/",
    ]
    assert audit(page, paths) == {}
    page.goto(f"/issues/{item.pk}/")
    _shot(page, "phone-issue")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
