"""Raising an issue, moving it on, resolving it (a resolution is required) and reopening it, on
the pages and in the services; the chase fields follow the status."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from engagements.local_dates import engagement_today
from partnership.items import issue_raise, issue_set_status, issue_update
from partnership.ladder import issue_ladder
from partnership.models import ItemFollower, ItemStatusChange, PartnershipItem
from rpo_portal.conflicts import Conflict

from .issue_kit import make_issue

NOW = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)  # a Tuesday
Status = PartnershipItem.Status


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(NOW, tick=False)


def _raise(world, actor, **overrides):
    values = {
        "actor": actor,
        "engagement": world.acme_engagement,
        "title": "Résumés wait too long",
        "what_happened": "Five résumés waited more than a week.",
        "impact": "Two candidates withdrew.",
        "proposed_next_step": "A weekly review slot on Thursdays.",
        "owner": world.hiring_manager,
        "due_on": date(2026, 3, 13),
        "requisition": world.requisition,
    }
    return issue_raise(**{**values, **overrides})


def _page_text(response) -> str:
    return response.content.decode()


# --- Raising -----------------------------------------------------------------------------------------


def test_a_client_admin_raises_an_issue_that_is_open_chased_and_followed(world):
    item = _raise(world, world.client_admin, requisition=None, owner=world.account_manager)
    assert item.status == Status.OPEN
    ladder = issue_ladder(engagement=world.acme_engagement, due_on=date(2026, 3, 13))
    assert item.next_step_at == ladder["next_step_at"] == item.remind_at
    assert item.due_at == ladder["due_at"]
    assert set(ItemFollower.objects.filter(item=item).values_list("user_id", flat=True)) == {
        world.client_admin.pk,
        world.account_manager.pk,
    }


def test_raising_refuses_a_due_date_in_the_engagements_past_and_an_outsider_as_owner(world):
    with pytest.raises(ValidationError) as refused:
        _raise(world, world.account_manager, due_on=date(2026, 3, 9), owner=world.globex_admin)
    assert set(refused.value.message_dict) == {"due_on", "owner"}
    assert not PartnershipItem.objects.exists()


def test_today_is_the_engagements_today(world, time_machine):
    # 12:00 UTC on 10 March is already 11 March in Auckland (UTC+13): the 10th has passed there.
    time_machine.move_to(NOW.replace(hour=12), tick=False)
    world.acme_engagement.time_zone = "Pacific/Auckland"
    world.acme_engagement.save()
    with pytest.raises(ValidationError) as refused:
        _raise(world, world.account_manager, due_on=date(2026, 3, 10))
    assert "11 Mar 2026" in refused.value.message_dict["due_on"][0]


def test_an_owner_must_see_the_issue(world):
    # The other hiring manager does not see issues about this hiring manager's requisition.
    with pytest.raises(ValidationError) as refused:
        _raise(world, world.account_manager, owner=world.other_hiring_manager)
    assert "would not see this issue" in refused.value.message_dict["owner"][0]


def test_hiring_managers_and_recruiters_raise_only_about_their_own_requisition(world):
    assert _raise(world, world.hiring_manager).requisition == world.requisition
    assert _raise(world, world.recruiter, title="Another").requisition == world.requisition
    with pytest.raises(PermissionDenied):
        _raise(world, world.hiring_manager, requisition=None, title="Engagement-wide")
    with pytest.raises(PermissionDenied):
        _raise(world, world.recruiter, requisition=world.other_requisition, owner=world.account_manager, title="X")
    with pytest.raises(ValidationError) as refused:  # not even visible to them
        _raise(world, world.hiring_manager, requisition=world.other_requisition, title="Y")
    assert "requisition" in refused.value.message_dict


def test_the_same_issue_sent_twice_is_raised_once(world):
    first = _raise(world, world.client_admin)
    again = _raise(world, world.client_admin)
    assert first.pk == again.pk
    assert PartnershipItem.objects.count() == 1


def test_the_raise_form_steers_to_a_next_step_and_has_no_fault_field(client, world):
    client.force_login(world.client_admin)
    page = _page_text(client.get(reverse("partnership:issue-new", kwargs={"pk": world.acme_engagement.pk})))
    assert "What would help? Describe the next step, not who is to blame." in page
    assert "fault" not in page.lower().replace("not who is at fault", "")
    assert "blame" not in page.lower().replace("not who is to blame", "")


def test_raising_on_the_page_redirects_to_the_issue(client, world):
    client.force_login(world.client_admin)
    url = reverse("partnership:issue-new", kwargs={"pk": world.acme_engagement.pk})
    response = client.post(
        url,
        {
            "title": "Interview slots are scarce",
            "what_happened": "Only one slot a week.",
            "impact": "",
            "proposed_next_step": "Open a second panel.",
            "owner": world.hiring_manager.pk,
            "due_on": "2026-03-20",
            "requisition": world.requisition.pk,
        },
    )
    item = PartnershipItem.objects.get()
    assert response.status_code == 303
    assert response.url == reverse("partnership:issue-detail", kwargs={"pk": item.pk})
    assert item.raised_by == world.client_admin


def test_a_refused_raise_is_400_with_field_messages(client, world):
    client.force_login(world.client_admin)
    url = reverse("partnership:issue-new", kwargs={"pk": world.acme_engagement.pk})
    response = client.post(url, {"title": "", "owner": world.hiring_manager.pk, "due_on": "2026-03-01"})
    assert response.status_code == 400
    page = _page_text(response)
    assert "Give the issue a short title." in page
    assert "Propose a next step: what would help?" in page
    assert not PartnershipItem.objects.exists()


def test_the_requisition_page_offers_its_hiring_manager_and_recruiter_to_raise_an_issue(client, world):
    url = reverse("partnership:requisition-detail", kwargs={"pk": world.requisition.pk})
    new = reverse("partnership:issue-new", kwargs={"pk": world.acme_engagement.pk})
    for user in (world.hiring_manager, world.recruiter):
        client.force_login(user)
        assert f"{new}?requisition={world.requisition.pk}" in _page_text(client.get(url))
    client.force_login(world.other_hiring_manager)
    other = reverse("partnership:requisition-detail", kwargs={"pk": world.other_requisition.pk})
    client.force_login(world.recruiter)  # not on the other requisition
    assert "Raise an issue about this requisition" not in _page_text(client.get(other))
    client.force_login(world.hiring_manager)
    page = _page_text(client.get(f"{new}?requisition={world.requisition.pk}"))
    assert f'<option value="{world.requisition.pk}" selected>' in page


# --- Moving it on and resolving ----------------------------------------------------------------------


def test_resolving_needs_a_resolution(world):
    item = make_issue(world.acme_engagement, owner=world.hiring_manager, raised_by=world.client_admin)
    for blank in ("", "   \n"):
        with pytest.raises(ValidationError) as refused:
            issue_set_status(actor=world.account_manager, item=item, status=Status.RESOLVED, note=blank)
        assert refused.value.message_dict == {"resolution": ["Say what was changed to resolve it."]}
    item.refresh_from_db()
    assert item.status == Status.OPEN
    assert not ItemStatusChange.objects.exists()


def test_resolving_on_the_page_without_a_resolution_is_refused_beside_the_field(client, world):
    item = make_issue(world.acme_engagement, owner=world.hiring_manager, raised_by=world.client_admin)
    client.force_login(world.account_manager)
    url = reverse("partnership:issue-status", kwargs={"pk": item.pk})
    response = client.post(url, {"action": "resolved", "resolved-expected": "open", "resolved-resolution": "  "})
    assert response.status_code == 400
    assert "Say what was changed to resolve it." in _page_text(response)
    item.refresh_from_db()
    assert item.status == Status.OPEN

    response = client.post(
        url, {"action": "resolved", "resolved-expected": "open", "resolved-resolution": "A Thursday review slot."}
    )
    assert response.status_code == 303
    item.refresh_from_db()
    assert (item.status, item.resolution, item.next_step_at) == (Status.RESOLVED, "A Thursday review slot.", None)
    assert item.closed_at == NOW
    page = _page_text(client.get(response.url))
    assert "A Thursday review slot." in page
    assert "Resolved" in page


def test_a_double_resolve_records_one_change_and_says_so(client, world):
    item = make_issue(world.acme_engagement, owner=world.hiring_manager, raised_by=world.client_admin)
    client.force_login(world.account_manager)
    url = reverse("partnership:issue-status", kwargs={"pk": item.pk})
    body = {"action": "resolved", "resolved-expected": "open", "resolved-resolution": "Done."}
    assert client.post(url, body).status_code == 303
    second = client.post(url, body, follow=True)
    assert second.status_code == 200
    assert "already resolved" in _page_text(second)
    assert ItemStatusChange.objects.filter(item=item).count() == 1


def test_a_stale_page_moves_nothing(world):
    item = make_issue(world.acme_engagement, owner=world.hiring_manager, raised_by=world.client_admin)
    issue_set_status(actor=world.hiring_manager, item=item, status=Status.IN_PROGRESS)
    with pytest.raises(Conflict):
        issue_set_status(
            actor=world.account_manager, item=item, status=Status.DECLINED, note="No", expected_status="open"
        )
    item.refresh_from_db()
    assert item.status == Status.IN_PROGRESS


def test_in_progress_keeps_the_chase_and_declining_needs_a_reason_and_stops_it(world):
    item = make_issue(world.acme_engagement, owner=world.hiring_manager, raised_by=world.client_admin)
    chase = item.next_step_at
    issue_set_status(actor=world.hiring_manager, item=item, status=Status.IN_PROGRESS)
    item.refresh_from_db()
    assert (item.status, item.next_step_at) == (Status.IN_PROGRESS, chase)
    with pytest.raises(ValidationError) as refused:
        issue_set_status(actor=world.hiring_manager, item=item, status=Status.DECLINED)
    assert "reason" in refused.value.message_dict
    issue_set_status(actor=world.hiring_manager, item=item, status=Status.DECLINED, note="Out of scope.")
    item.refresh_from_db()
    assert (item.status, item.decline_reason, item.next_step_at) == (Status.DECLINED, "Out of scope.", None)


def test_only_the_owner_the_raiser_and_those_who_run_the_engagement_move_it(world):
    item = make_issue(world.acme_engagement, owner=world.hiring_manager, raised_by=world.client_admin)
    with pytest.raises(PermissionDenied):
        issue_set_status(actor=world.recruiter, item=item, status=Status.IN_PROGRESS)


def test_reopening_is_for_those_who_run_the_engagement_and_restarts_the_chase(world, time_machine):
    item = make_issue(world.acme_engagement, owner=world.hiring_manager, raised_by=world.client_admin)
    issue_set_status(actor=world.hiring_manager, item=item, status=Status.RESOLVED, note="Slot booked.")
    time_machine.move_to(NOW + timedelta(days=10), tick=False)
    with pytest.raises(PermissionDenied):
        issue_set_status(actor=world.hiring_manager, item=item, status=Status.OPEN)
    issue_set_status(actor=world.client_admin, item=item, status=Status.OPEN, note="It happened again.")
    item.refresh_from_db()
    today = engagement_today(world.acme_engagement)
    assert item.status == Status.OPEN
    assert item.due_on == today  # the old date had passed
    assert item.next_step_at == issue_ladder(engagement=world.acme_engagement, due_on=today)["next_step_at"]
    assert (item.resolution, item.closed_at) == ("", None)
    assert list(ItemStatusChange.objects.filter(item=item).values_list("to_status", flat=True)) == [
        "resolved",
        "open",
    ]


def test_moving_the_due_date_restarts_the_ladder(world):
    item = make_issue(world.acme_engagement, owner=world.hiring_manager, raised_by=world.client_admin)
    PartnershipItem.objects.filter(pk=item.pk).update(ladder_step=2, next_step_at=None)
    issue_update(actor=world.account_manager, item=item, due_on=date(2026, 3, 24), owner=world.recruiter)
    item.refresh_from_db()
    ladder = issue_ladder(engagement=world.acme_engagement, due_on=date(2026, 3, 24))
    assert (item.ladder_step, item.next_step_at, item.due_at) == (0, ladder["next_step_at"], ladder["due_at"])
    assert ItemFollower.objects.filter(item=item, user=world.recruiter).exists()


def test_the_issue_page_shows_what_happened_the_owner_and_an_overdue_badge(client, world):
    item = make_issue(
        world.acme_engagement,
        owner=world.hiring_manager,
        raised_by=world.client_admin,
        due_on=date(2026, 3, 6),
    )
    client.force_login(world.client_admin)
    page = _page_text(client.get(reverse("partnership:issue-detail", kwargs={"pk": item.pk})))
    assert "Résumés wait a week for a first look." in page
    assert world.hiring_manager.display_name in page
    assert "Overdue" in page
