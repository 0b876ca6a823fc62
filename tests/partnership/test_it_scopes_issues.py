"""Who sees which issues and wins: another client's answer 404 on the pages and the API; a hiring
manager sees the issues of their own requisitions and of the engagement, never a colleague's. The
issues page and the issue page ask as many queries for 50 issues (or comments) as for 5."""

from datetime import UTC, datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partnership.items import open_issues_for_engagement, partnership_item_list
from partnership.models import ItemComment, ItemStatusChange

from .issue_kit import make_issue, make_win

NOW = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def issues(world):
    acme = world.acme_engagement
    return {
        "engagement": make_issue(acme, owner=world.account_manager, raised_by=world.client_admin, title="Engagement"),
        "mine": make_issue(
            acme, owner=world.hiring_manager, raised_by=world.recruiter, requisition=world.requisition, title="Mine"
        ),
        "colleague": make_issue(
            acme,
            owner=world.other_hiring_manager,
            raised_by=world.account_manager,
            requisition=world.other_requisition,
            title="Colleague",
        ),
        "globex": make_issue(
            world.globex_engagement, owner=world.globex_admin, raised_by=world.globex_admin, title="Globex"
        ),
        "win": make_win(acme, raised_by=world.client_admin, thanked=[world.recruiter, world.hiring_manager]),
    }


VISIBLE = {
    "provider_admin": {"engagement", "mine", "colleague", "globex", "win"},
    "account_manager": {"engagement", "mine", "colleague", "win"},
    "recruiter": {"engagement", "mine", "colleague", "win"},
    "idle_recruiter": set(),
    "hiring_manager": {"engagement", "mine", "win"},
    "other_hiring_manager": {"engagement", "colleague", "win"},
    "client_admin": {"engagement", "mine", "colleague", "win"},
    "globex_admin": {"globex"},
    "globex_hiring_manager": {"globex"},
}


@pytest.mark.parametrize("persona", sorted(VISIBLE))
def test_each_persona_sees_exactly_their_issues_on_pages_and_api(client, client_for, world, issues, persona):
    user = getattr(world, persona)
    expected = {issues[key].pk for key in VISIBLE[persona]}
    assert set(partnership_item_list(user=user).values_list("pk", flat=True)) == expected

    api = client_for(user)
    listed = api.get("/api/v1/partnership-items/", {"page_size": 200})
    assert {row["id"] for row in listed.json()["results"]} == expected
    client.force_login(user)
    for key, item in issues.items():
        shown = item.pk in expected
        assert client.get(reverse("partnership:issue-detail", kwargs={"pk": item.pk})).status_code == (
            200 if shown else 404
        ), key
        assert api.get(f"/api/v1/partnership-items/{item.pk}/").status_code == (200 if shown else 404), key


def test_another_clients_issue_is_404_for_every_write(client, client_for, world, issues):
    foreign = issues["globex"]
    client.force_login(world.client_admin)
    for name, body in (
        ("issue-comment", {"comment-body": "Hi"}),
        ("issue-status", {"action": "in_progress", "in_progress-expected": "open"}),
        ("issue-follow", {"follow": "1"}),
    ):
        assert client.post(reverse(f"partnership:{name}", kwargs={"pk": foreign.pk}), body).status_code == 404
    assert client.get(reverse("partnership:issue-edit", kwargs={"pk": foreign.pk})).status_code == 404
    assert client.get(reverse("partnership:issue-list", kwargs={"pk": world.globex_engagement.pk})).status_code == 404
    api = client_for(world.client_admin)
    base = f"/api/v1/partnership-items/{foreign.pk}"
    assert api.post(f"{base}/comments/", {"body": "Hi"}, format="json").status_code == 404
    assert api.post(f"{base}/resolve/", {"resolution": "x"}, format="json").status_code == 404
    assert api.post(f"{base}/follow/").status_code == 404
    assert api.patch(f"{base}/", {"title": "Mine now"}, format="json").status_code == 404
    assert not ItemComment.objects.exists()
    assert not ItemStatusChange.objects.exists()


def test_the_hiring_managers_issues_page_lists_only_theirs_and_the_engagements(client, world, issues):
    client.force_login(world.hiring_manager)
    page = client.get(reverse("partnership:issue-list", kwargs={"pk": world.acme_engagement.pk})).content.decode()
    assert "Mine" in page
    assert "Engagement" in page
    assert "Colleague" not in page


def test_the_issues_page_puts_the_oldest_open_issue_first_and_filters(client, world, issues):
    client.force_login(world.client_admin)
    url = reverse("partnership:issue-list", kwargs={"pk": world.acme_engagement.pk})
    page = client.get(url).content.decode()
    assert page.index(">Engagement<") < page.index(">Mine<") < page.index(">Colleague<")
    only_client_side = client.get(url, {"side": "client", "kind": "issue"}).content.decode()
    assert ">Mine<" in only_client_side
    assert ">Colleague<" in only_client_side
    assert ">Engagement<" not in only_client_side  # owned by the account manager (provider side)
    by_owner = client.get(url, {"owner": world.account_manager.pk}).content.decode()
    assert ">Engagement<" in by_owner
    assert ">Mine<" not in by_owner
    assert client.get(url, {"owner": "nonsense", "status": "bogus", "page": "x"}).status_code == 200


def test_open_issues_for_the_engagement_page_come_oldest_first_with_their_owner(world, issues):
    listed = open_issues_for_engagement(world.acme_engagement, limit=2)
    assert [item.title for item in listed] == ["Engagement", "Mine"]
    assert listed[0].owner == world.account_manager


def _count(client, url) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries)


def _add_issues(world, count):
    for number in range(count):
        item = make_issue(
            world.acme_engagement,
            owner=world.hiring_manager if number % 2 else world.account_manager,
            raised_by=world.client_admin,
            requisition=world.requisition if number % 3 else None,
            title=f"Issue {number}",
        )
        ItemComment.objects.create(item=item, author=world.recruiter, body="Noted.")
        make_win(world.acme_engagement, raised_by=world.client_admin, thanked=[world.recruiter])


def test_the_issues_page_asks_as_many_queries_for_50_issues_as_for_5(client, world):
    client.force_login(world.client_admin)
    url = reverse("partnership:issue-list", kwargs={"pk": world.acme_engagement.pk})
    _add_issues(world, 5)
    client.get(url)
    few = _count(client, url)
    _add_issues(world, 45)
    assert _count(client, url) == few


def test_the_issue_page_asks_as_many_queries_for_50_comments_as_for_5(client, world):
    item = make_issue(world.acme_engagement, owner=world.hiring_manager, raised_by=world.client_admin)
    client.force_login(world.account_manager)
    url = reverse("partnership:issue-detail", kwargs={"pk": item.pk})

    def add(count):
        for number in range(count):
            author = (world.recruiter, world.hiring_manager, world.client_admin)[number % 3]
            ItemComment.objects.create(item=item, author=author, body=f"Comment {number}")
            ItemStatusChange.objects.create(item=item, actor=author, from_status="open", to_status="in_progress")

    add(5)
    client.get(url)
    few = _count(client, url)
    add(45)
    assert _count(client, url) == few
