"""A client admin deactivates a hiring manager who has open requests, hands them to a colleague on
the confirmation page, and the colleague finds them in their inbox (and an email saying so)."""

import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from tests import factories

from .kit import emails_to, expect

pytestmark = pytest.mark.browser

# Set to a folder to keep screenshots of the pages (for a review); nothing is written otherwise.
SHOTS = os.environ.get("HANDOVER_SHOTS")


def _shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / name), full_page=True)


def test_client_admin_hands_a_hiring_managers_open_requests_to_a_colleague(browsing, world):
    world.hiring_manager.full_name = "Hana Leaving"
    world.hiring_manager.save()
    world.other_hiring_manager.full_name = "Omar Staying"
    world.other_hiring_manager.save()
    now = timezone.now()
    names = ["Ada Overdue", "Ben Waiting", "Cleo Waiting"]
    for index, name in enumerate(names):
        due = now - timedelta(hours=5) if index == 0 else now + timedelta(days=1 + index)
        candidate = factories.CandidateFactory(engagement=world.acme_engagement, full_name=name)
        factories.FeedbackRequestFactory(
            submission__requisition=world.requisition,
            submission__candidate=candidate,
            created_at=due - timedelta(days=1),
            remind_at=due - timedelta(hours=4),
            due_at=due,
            escalate_at=due + timedelta(hours=12),
        )

    admin = browsing.as_user(world.client_admin)
    admin.goto("/team/")
    _shot(admin, "staff-team.png")
    admin.get_by_role("link", name="Deactivate Hana Leaving").click()

    expect(admin.get_by_role("heading", name="Deactivate Hana Leaving?")).to_be_visible()
    stale = browsing.as_user(world.client_admin)
    stale.goto(admin.url)
    held = admin.locator(".held-list")
    expect(held).to_contain_text("3 open feedback and availability requests")
    expect(held).to_contain_text("1 overdue")
    expect(held).to_contain_text("1 open requisition as hiring manager")
    _shot(admin, "staff-confirm-hiring-manager.png")

    # Forgetting to choose says so beside the field, and nothing happens.
    admin.get_by_role("button", name="Hand over and deactivate").click()
    expect(admin.locator("#id_successor_error")).to_contain_text("Choose who takes over their work.")

    admin.get_by_label("Hand their work to").select_option(label="Omar Staying (hiring manager)")
    admin.get_by_role("button", name="Hand over and deactivate").click()
    expect(admin).to_have_url(re.compile(r"/team/$"))
    expect(admin.locator(".messages")).to_contain_text("Hana Leaving is deactivated")
    expect(admin.locator(".messages")).to_contain_text("Omar Staying now holds 3 open feedback")
    row = admin.locator("tr", has_text="Hana Leaving")
    expect(row).to_contain_text("Deactivated")
    expect(row.get_by_role("button", name="Reactivate Hana Leaving")).to_be_visible()

    # The same confirmation left open in another tab and submitted after: a friendly word, no error.
    stale.get_by_label("Hand their work to").select_option(label="Omar Staying (hiring manager)")
    stale.get_by_role("button", name="Hand over and deactivate").click()
    expect(stale).to_have_url(re.compile(r"/team/$"))
    expect(stale.locator(".messages")).to_contain_text("Hana Leaving is already deactivated")

    colleague = browsing.as_user(world.other_hiring_manager)
    colleague.goto("/inbox/")
    inbox = colleague.locator("ul.inbox")
    for name in names:
        expect(inbox).to_contain_text(name)
    expect(colleague.locator("main")).to_contain_text("(1 overdue)")
    handover_emails = [m for m in emails_to(world.other_hiring_manager.email) if "You now hold" in m.subject]
    assert len(handover_emails) == 1
    assert emails_to(world.hiring_manager.email) == []
