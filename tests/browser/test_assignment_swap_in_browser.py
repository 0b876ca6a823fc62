"""An account manager swaps a requisition's primary and backup recruiters from the engagement's
assignment page, and the coverage column changes (issue 12)."""

import re

import pytest

from engagements.models import Assignment
from tests import factories

from .kit import expect
from .test_accessibility_in_browser import audit, violations

pytestmark = pytest.mark.browser


def test_account_manager_swaps_primary_and_backup_and_the_coverage_column_changes(browsing, world):
    factories.AssignmentFactory(
        requisition=world.requisition, recruiter=world.idle_recruiter, role=Assignment.Role.BACKUP
    )
    page = browsing.as_user(world.account_manager, through_login_form=True)
    page.goto(f"/engagements/{world.acme_engagement.pk}/")
    page.get_by_role("link", name="Assignments", exact=True).click()

    expect(page.get_by_role("heading", name="Assignments", exact=True)).to_be_visible()
    row = page.locator("tr", has=page.get_by_role("link", name="ACME-1", exact=True))
    covering = row.locator("td.covering")
    expect(covering).to_have_text("Rita")
    expect(row.locator("td").nth(0)).to_have_text("Rita")  # primary
    expect(row.locator("td").nth(1)).to_have_text("Ivan")  # backup

    row.get_by_role("button", name="Swap primary and backup of ACME-1").click()

    expect(page).to_have_url(re.compile(rf"/engagements/{world.acme_engagement.pk}/assignments/"))
    expect(page.locator(".messages")).to_contain_text("ACME-1: Ivan is now the primary recruiter and Rita the backup")
    row = page.locator("tr", has=page.get_by_role("link", name="ACME-1", exact=True))
    expect(row.locator("td.covering")).to_have_text("Ivan")
    expect(row.locator("td").nth(0)).to_have_text("Ivan")
    expect(row.locator("td").nth(1)).to_have_text("Rita")

    # The requisition's own page tells the same story, with the handover in the history.
    row.get_by_role("link", name="ACME-1", exact=True).click()
    expect(page.locator(".coverage-line")).to_contain_text("Covered by Ivan")
    expect(page.get_by_role("region", name="Ended assignments, table")).to_contain_text("Handed over today")


def test_the_assignment_table_scrolls_inside_its_region_on_a_phone(browsing, world):
    page = browsing.as_user(world.account_manager, phone=True)
    page.goto(f"/engagements/{world.acme_engagement.pk}/assignments/")

    region = page.get_by_role("region", name="Who works each requisition, table")
    expect(region).to_be_visible()
    sizes = region.evaluate("el => ({scroll: el.scrollWidth, client: el.clientWidth})")
    assert sizes["scroll"] > sizes["client"], f"the table fits, nothing to test: {sizes}"
    # The page itself does not scroll sideways: only the table's region does.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_the_assignment_pages_are_accessible_also_with_a_refused_form(browsing, world):
    page = browsing.as_user(world.account_manager)
    paths = [
        f"/engagements/{world.acme_engagement.pk}/assignments/",
        f"/requisitions/{world.requisition.pk}/assignments/",
    ]
    assert audit(page, paths) == {}

    # A second primary while Rita is primary: refused beside the role, and still accessible.
    page.get_by_label("Person").select_option(str(world.idle_recruiter.pk))
    page.get_by_label("Role").select_option("primary")
    page.get_by_role("button", name="Assign", exact=True).click()
    expect(page.get_by_text("already has a primary recruiter")).to_be_visible()
    assert violations(page) == []
