"""``/api/v1/partnership-items/``: raise an issue, edit it, comment, resolve (a resolution is
required: 400 on the field; resolving twice: 409), follow, filter; wins are listed read-only with
the people thanked. The list asks as many queries for 50 items as for 5."""

from datetime import UTC, datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partnership.models import ItemFollower, ItemStatusChange, PartnershipItem

from ..partnership.issue_kit import make_issue, make_win

NOW = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)
ITEMS = "/api/v1/partnership-items/"


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(NOW, tick=False)


def _body(world, **overrides):
    return {
        "engagement": world.acme_engagement.pk,
        "requisition": world.requisition.pk,
        "title": "Résumés wait too long",
        "what_happened": "Five résumés waited more than a week.",
        "impact": "Two candidates withdrew.",
        "proposed_next_step": "A weekly review slot.",
        "owner": world.hiring_manager.pk,
        "due_on": "2026-03-13",
        **overrides,
    }


def test_a_hiring_manager_raises_an_issue_about_their_requisition(world, client_for):
    response = client_for(world.hiring_manager).post(ITEMS, _body(world), format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["kind"], data["status"], data["requisition"], data["owner"]) == (
        "issue",
        "open",
        world.requisition.pk,
        world.hiring_manager.pk,
    )
    assert data["due_at"]


def test_raising_is_403_for_a_hiring_manager_about_the_engagement_and_400_for_bad_input(world, client_for):
    api = client_for(world.hiring_manager)
    response = api.post(ITEMS, _body(world, requisition=None), format="json")
    assert response.status_code == 403
    response = client_for(world.client_admin).post(
        ITEMS, _body(world, due_on="2026-03-01", owner=world.globex_admin.pk, title=""), format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"owner", "title"}  # an unseen person "does not exist"
    response = client_for(world.client_admin).post(ITEMS, _body(world, due_on="2026-03-01"), format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"due_on"}
    response = client_for(world.client_admin).post(
        ITEMS, _body(world, engagement=world.globex_engagement.pk), format="json"
    )
    assert response.status_code == 400
    assert "does not exist" in response.json()["engagement"][0]
    assert not PartnershipItem.objects.exists()


def test_resolving_needs_a_resolution_and_twice_is_a_409(world, client_for, django_capture_on_commit_callbacks):
    item = make_issue(world.acme_engagement, owner=world.hiring_manager, raised_by=world.client_admin)
    api = client_for(world.account_manager)
    url = f"{ITEMS}{item.pk}/resolve/"
    for body in ({}, {"resolution": ""}, {"resolution": "   "}):
        response = api.post(url, body, format="json")
        assert response.status_code == 400, body
        assert list(response.json()) == ["resolution"]
    assert api.post(url, {"resolution": ""}, format="json").json() == {
        "resolution": ["Say what was changed to resolve it."]
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(url, {"resolution": "Thursday review slot."}, format="json")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["resolution"]) == ("resolved", "Thursday review slot.")
    with django_capture_on_commit_callbacks(execute=True):
        again = api.post(url, {"resolution": "Thursday review slot."}, format="json")
    assert again.status_code == 409
    assert again.json() == {"detail": "This issue is already resolved."}
    assert ItemStatusChange.objects.filter(item=item).count() == 1
    assert len(mail.outbox) == 2  # the owner and whoever raised it, once


def test_status_action_and_who_may_use_it(world, client_for):
    item = make_issue(world.acme_engagement, owner=world.hiring_manager, raised_by=world.client_admin)
    url = f"{ITEMS}{item.pk}/status/"
    assert client_for(world.recruiter).post(url, {"status": "in_progress"}, format="json").status_code == 403
    response = client_for(world.hiring_manager).post(url, {"status": "in_progress"}, format="json")
    assert response.json()["status"] == "in_progress"
    response = client_for(world.hiring_manager).post(url, {"status": "declined"}, format="json")
    assert response.status_code == 400
    assert "reason" in response.json()
    response = client_for(world.hiring_manager).post(url, {"status": "bogus"}, format="json")
    assert response.status_code == 400
    assert "status" in response.json()


def test_comments_are_listed_and_added_and_following_is_idempotent(world, client_for):
    item = make_issue(world.acme_engagement, owner=world.hiring_manager, raised_by=world.client_admin)
    api = client_for(world.recruiter)
    assert api.post(f"{ITEMS}{item.pk}/comments/", {"body": ""}, format="json").status_code == 400
    response = api.post(f"{ITEMS}{item.pk}/comments/", {"body": "I will book it."}, format="json")
    assert response.status_code == 201
    assert response.json()["author"] == world.recruiter.pk
    listed = api.get(f"{ITEMS}{item.pk}/comments/").json()["results"]
    assert [comment["body"] for comment in listed] == ["I will book it."]
    follow = f"{ITEMS}{item.pk}/follow/"
    assert api.post(follow).json() == {"following": True}  # already, by commenting
    assert api.post(follow).json() == {"following": True}
    assert ItemFollower.objects.filter(item=item, user=world.recruiter).count() == 1
    assert api.delete(follow).json() == {"following": False}
    assert api.delete(follow).json() == {"following": False}
    assert api.delete(f"{ITEMS}{item.pk}/").status_code == 405


def test_editing_a_resolved_issue_is_a_409_and_an_open_one_is_patched(world, client_for):
    item = make_issue(world.acme_engagement, owner=world.hiring_manager, raised_by=world.client_admin)
    api = client_for(world.client_admin)
    response = api.patch(f"{ITEMS}{item.pk}/", {"title": "Clearer title", "owner": world.recruiter.pk}, format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["title"], response.json()["owner"]) == ("Clearer title", world.recruiter.pk)
    api.post(f"{ITEMS}{item.pk}/resolve/", {"resolution": "Done."}, format="json")
    assert api.patch(f"{ITEMS}{item.pk}/", {"title": "Again"}, format="json").status_code == 409
    assert client_for(world.sourcer).patch(f"{ITEMS}{item.pk}/", {"title": "X"}, format="json").status_code == 403


def test_filters_and_wins_with_the_people_thanked(world, client_for):
    open_issue = make_issue(world.acme_engagement, owner=world.hiring_manager, raised_by=world.client_admin)
    make_issue(
        world.acme_engagement,
        owner=world.account_manager,
        raised_by=world.client_admin,
        status="resolved",
        resolution="Done.",
    )
    win = make_win(world.acme_engagement, raised_by=world.client_admin, thanked=[world.recruiter])
    api = client_for(world.client_admin)

    def ids(**params):
        return [row["id"] for row in api.get(ITEMS, params).json()["results"]]

    assert ids(kind="win") == [win.pk]
    assert ids(status="open") == [open_issue.pk]
    assert ids(owner=world.hiring_manager.pk) == [open_issue.pk]
    assert len(ids(engagement=world.acme_engagement.pk)) == 3
    assert ids(engagement=world.globex_engagement.pk) == []
    assert api.get(ITEMS, {"engagement": "1.5"}).status_code == 400
    row = api.get(f"{ITEMS}{win.pk}/").json()
    assert row["thanked"] == [{"id": world.recruiter.pk, "full_name": world.recruiter.full_name, "side": "provider"}]
    assert row["status"] == ""
    assert api.post(f"{ITEMS}{win.pk}/resolve/", {"resolution": "x"}, format="json").status_code == 409


def test_the_list_asks_as_many_queries_for_50_items_as_for_5(world, client_for):
    api = client_for(world.client_admin)

    def add(count):
        for number in range(count):
            make_issue(world.acme_engagement, owner=world.hiring_manager, raised_by=world.client_admin)
            make_win(world.acme_engagement, raised_by=world.client_admin, thanked=[world.recruiter, world.sourcer])
            del number

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert api.get(ITEMS, {"page_size": 200}).status_code == 200
        return len(queries.captured_queries)

    add(5)
    count()
    few = count()
    add(45)
    assert count() == few
