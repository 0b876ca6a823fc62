"""At 390 px a table wider than the phone scrolls inside its own labelled, focusable region, with a
visible cue on the edge that hides columns, and its caption wraps within the screen instead of
running off it (issue 12: the scorecard's weekly table hid its caption and last column)."""

import pytest

from .kit import expect

pytestmark = pytest.mark.browser

PHONE_WIDTH = 390


def test_weekly_trends_table_scrolls_in_a_labelled_region_with_its_caption_in_view(browsing, world):
    page = browsing.as_user(world.account_manager, phone=True)
    page.goto(f"/engagements/{world.acme_engagement.pk}/")

    table = page.locator("table.trend-table")
    expect(table).to_be_visible()
    caption = table.locator("caption")
    caption.scroll_into_view_if_needed()
    box = caption.bounding_box()
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= PHONE_WIDTH, f"the caption runs off the screen: {box}"

    region = page.get_by_role("region", name="Weekly trends, table")
    expect(region).to_be_visible()
    assert region.locator("table.trend-table").count() == 1
    assert region.get_attribute("tabindex") == "0"  # keyboard users can scroll it too
    sizes = region.evaluate("el => ({scroll: el.scrollWidth, client: el.clientWidth})")
    assert sizes["scroll"] > sizes["client"], f"the table fits, nothing to test: {sizes}"
    # The cue: shadows drawn on the region's edges (portal.css, "scroll shadows").
    assert "radial-gradient" in region.evaluate("el => getComputedStyle(el).backgroundImage")

    # The last column, hidden at first, comes into view by scrolling the region, caption still in view.
    last_column = table.locator("thead th").last
    assert last_column.bounding_box()["x"] + last_column.bounding_box()["width"] > PHONE_WIDTH
    region.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
    end = last_column.bounding_box()
    assert end["x"] + end["width"] <= PHONE_WIDTH, f"the last column stays hidden: {end}"
    box = caption.bounding_box()
    assert box["x"] >= 0, f"the caption scrolled away: {box}"
    assert box["x"] + box["width"] <= PHONE_WIDTH, f"the caption scrolled away: {box}"
