"""The quarterly review pack in a browser: the account manager follows the link from the engagement
page, chooses a quarter, reads the pack (its charts are inline SVG: no script, no inline style, so
the Content-Security-Policy has nothing to refuse; the conftest fails the test on any violation),
and downloads the PDF; on a phone the page is never wider than the screen (issue 11)."""

import re

import pytest

from tests.partnership import review_kit

from .kit import expect
from .test_accessibility_in_browser import violations

pytestmark = pytest.mark.browser


@pytest.fixture
def history(world):
    review_kit.start_engagement(world)
    review_kit.fill(world, requisitions=2)
    return world


def test_the_account_manager_reads_the_pack_and_downloads_its_pdf(browsing, history):
    page = browsing.as_user(history.account_manager)
    page.goto(f"/engagements/{history.acme_engagement.pk}/")

    page.get_by_role("link", name="Quarterly review").click()
    page.get_by_label("Quarter", exact=True).select_option(label="Q3 2026")
    page.get_by_role("button", name="Show").click()

    expect(page).to_have_url(re.compile(r"/review/\?quarter=2026-Q3$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Acme partnership")
    expect(page.get_by_role("heading", name=re.compile("The mutual scorecard"))).to_be_visible()
    expect(page.locator("svg.qbr-chart-svg")).to_have_count(9)
    expect(page.get_by_role("img", name=re.compile(r"^Submission → interview by quarter\."))).to_be_visible()
    assert violations(page) == []

    with page.expect_download(timeout=60_000) as download_info:  # WeasyPrint takes a few seconds
        # No download attribute: a server without WeasyPrint answers a page that says so, shown as a page.
        page.get_by_role("link", name="Download PDF").click(no_wait_after=True)
    download = download_info.value
    assert download.suggested_filename == "acme-2026-Q3-review.pdf"
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"


def test_the_pack_fits_a_phone_and_its_tables_scroll_in_place(browsing, history):
    page = browsing.as_user(history.client_admin, phone=True)

    page.goto(f"/engagements/{history.acme_engagement.pk}/review/?quarter=2026-Q3")

    expect(page.get_by_role("region", name="Client side figures, table")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
