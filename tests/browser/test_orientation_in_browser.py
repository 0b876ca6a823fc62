"""Orientation in the browser (issue 11): a client admin edits an orientation note; the recruiter on
one of the engagement's requisitions sees "Orientation to read" on their requisition page, reads
the note and marks it read, and the banner goes; the account manager sees that everyone has read
the latest version, and downloads the quarterly review pack as a PDF that says so. The pages pass
the accessibility audit."""

import subprocess

import pytest

from engagements.models import OrientationNote
from engagements.services import orientation_mark_read, orientation_note_create

from .kit import expect
from .test_accessibility_in_browser import audit, violations

pytestmark = pytest.mark.browser


def test_an_edited_note_is_read_by_the_recruiters_and_the_account_manager_sees_it(browsing, world):
    engagement = world.acme_engagement
    note = orientation_note_create(
        actor=world.account_manager,
        engagement=engagement,
        topic=OrientationNote.Topic.INTERVIEW_PROCESS,
        title="How Acme interviews",
        body="A video call, then a half-day onsite.",
    )
    # The sourcer read the first version; the edit below asks them to read it again.
    orientation_mark_read(user=world.sourcer, engagement=engagement)

    # 1. The client admin edits the note.
    admin = browsing.as_user(world.client_admin)
    admin.goto(f"/engagements/{engagement.pk}/orientation/")
    admin.get_by_role("link", name="Edit How Acme interviews").click()
    admin.get_by_label("What recruiters should know").fill(
        "A video call, then a half-day onsite.\nNo take-home tests: candidates like that, say so."
    )
    admin.get_by_role("button", name="Save the note").click()
    expect(admin.locator(".messages")).to_contain_text("Note saved as version 2.")
    expect(admin.locator(f"#note-{note.pk}")).to_contain_text("No take-home tests")

    # 2. The recruiter sees the banner on their requisition page, reads the note, and the banner goes.
    recruiter = browsing.as_user(world.recruiter)
    recruiter.goto(f"/requisitions/{world.requisition.pk}/")
    banner = recruiter.locator("#orientation-banner")
    expect(banner).to_contain_text("Orientation to read")
    assert not violations(recruiter)
    banner.get_by_role("link", name="Read the orientation").click()
    expect(recruiter.locator(f"#note-{note.pk}")).to_contain_text("No take-home tests")
    assert not violations(recruiter)
    recruiter.get_by_role("button", name="Mark as read").click()
    expect(recruiter.get_by_role("heading", name="You have read the latest version")).to_be_visible()
    recruiter.goto(f"/requisitions/{world.requisition.pk}/")
    expect(recruiter.get_by_role("heading", name=world.requisition.title)).to_be_visible()
    expect(recruiter.locator("#orientation-banner")).to_have_count(0)

    sourcer = browsing.as_user(world.sourcer)
    sourcer.goto(f"/requisitions/{world.requisition.pk}/")
    expect(sourcer.locator("#orientation-banner")).to_contain_text("Orientation to read")
    sourcer.goto(f"/engagements/{engagement.pk}/orientation/")
    expect(sourcer.get_by_text("Notes have changed since you last read them.")).to_be_visible()
    sourcer.get_by_role("button", name="Mark as read").click()
    expect(sourcer.get_by_role("heading", name="You have read the latest version")).to_be_visible()

    # 3. The account manager sees that everyone has read the latest version, and the note's history.
    manager = browsing.as_user(world.account_manager)
    manager.goto(f"/engagements/{engagement.pk}/orientation/")
    expect(manager.locator("#read-by")).to_contain_text("Everyone on the engagement has read the latest version.")
    expect(manager.locator("#read-by")).to_contain_text(world.recruiter.display_name)
    expect(manager.locator("#read-by")).to_contain_text(world.sourcer.display_name)
    assert not violations(manager)
    manager.get_by_role("link", name="History of How Acme interviews").click()
    expect(manager.locator("#version-2")).to_contain_text(f"Changed by {world.client_admin.display_name}")
    expect(manager.locator("#version-2")).to_contain_text("No take-home tests")
    assert not violations(manager)

    # 4. The account manager downloads the quarterly review pack as a PDF, whose orientation section
    #    says the same.
    manager.goto(f"/engagements/{engagement.pk}/")
    manager.get_by_role("link", name="Quarterly review").click()
    expect(manager.locator("#qbr-implementation")).to_contain_text(world.recruiter.display_name)
    with manager.expect_download(timeout=60_000) as download_info:  # WeasyPrint takes a few seconds
        manager.get_by_role("link", name="Download PDF").click(no_wait_after=True)
    download = download_info.value
    assert download.suggested_filename.endswith("-review.pdf")
    text = subprocess.run(["pdftotext", download.path(), "-"], capture_output=True, check=True, text=True).stdout
    assert engagement.name in text
    assert world.recruiter.display_name in text


def test_the_checklist_and_orientation_pages_pass_the_accessibility_audit(browsing, world):
    from engagements.implementation import implementation_checklist_create

    engagement = world.acme_engagement
    implementation_checklist_create(engagement=engagement)
    note = orientation_note_create(actor=world.client_admin, engagement=engagement, title="No-go's", body="Agencies.")
    manager = browsing.as_user(world.account_manager)

    problems = audit(
        manager,
        [
            f"/engagements/{engagement.pk}/implementation/",
            f"/engagements/{engagement.pk}/implementation/new/",
            f"/engagements/{engagement.pk}/orientation/",
            f"/orientation-notes/{note.pk}/edit/",
            f"/orientation-notes/{note.pk}/history/",
        ],
    )

    assert problems == {}
