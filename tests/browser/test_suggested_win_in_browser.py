"""A suggested win becomes a win in one click: the account manager presses "Make it a win" on the
engagement page, the win is under "Recent wins" with the people it thanks, the suggestion is gone,
and the people thanked are emailed once (issue 10)."""

import re

import pytest

from partnership.models import PartnershipItem, SuggestedWin

from .kit import emails_to, expect
from .test_accessibility_in_browser import violations

pytestmark = pytest.mark.browser


def test_a_suggested_win_becomes_a_win_in_one_click(browsing, world):
    suggestion = SuggestedWin.objects.create(
        engagement=world.acme_engagement,
        source=SuggestedWin.Source.FASTEST_FEEDBACK,
        key="fastest-feedback:2026-10",
        title="Fastest feedback of October: Hana",
        what_happened="Hana answered résumé reviews in a median of 3 business hours.",
    )
    suggestion.people.set([world.hiring_manager])
    page = browsing.as_user(world.account_manager)
    page.goto(f"/engagements/{world.acme_engagement.pk}/")
    panel = page.get_by_role("region", name="Suggested wins")
    expect(panel).to_contain_text("Would thank")
    assert violations(page) == []

    panel.get_by_role("button", name=re.compile(r"^Make it a win\W+Fastest feedback of October")).click()

    wins = page.get_by_role("region", name="Recent wins")
    expect(wins).to_contain_text("Fastest feedback of October: Hana")
    expect(wins).to_contain_text(f"Thank you, {world.hiring_manager.display_name}.")
    expect(page.get_by_role("region", name="Suggested wins")).not_to_contain_text("Fastest feedback of October")
    win = PartnershipItem.objects.get(kind=PartnershipItem.Kind.WIN)
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.win_id) == (SuggestedWin.Status.ACCEPTED, win.pk)
    thanks = [
        message for message in emails_to(world.hiring_manager.email) if "Fastest feedback of October" in message.body
    ]
    assert len(thanks) == 1
