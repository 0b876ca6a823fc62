"""A client admin sees their own engagement's scorecard, and not the other client's engagement."""

import re

import pytest

from .kit import expect

pytestmark = pytest.mark.browser


def test_client_admin_sees_own_scorecard_but_not_the_other_clients_engagement(browsing, world):
    page = browsing.as_user(world.client_admin)

    page.goto(f"/engagements/{world.acme_engagement.pk}/")
    expect(page.get_by_role("heading", name="Acme partnership")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("^Health:"))).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("^Client side"))).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("^Provider side"))).to_be_visible()
    expect(page.locator("dl.figures dt", has_text="Feedback on time")).to_be_visible()

    response = page.goto(f"/engagements/{world.globex_engagement.pk}/")
    assert response.status == 404
    expect(page.get_by_role("heading", name=re.compile("could not find", re.IGNORECASE))).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Globex")

    # Nor does it leak through the list or the export.
    page.goto("/engagements/")
    expect(page.locator("main")).to_contain_text("Acme partnership")
    expect(page.locator("main")).not_to_contain_text("Globex partnership")
    response = page.goto(f"/engagements/{world.globex_engagement.pk}/scorecard.csv")
    assert response.status == 404
