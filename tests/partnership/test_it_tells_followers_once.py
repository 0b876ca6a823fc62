"""Followers of an issue are told of each comment and each status change once, through the outbox:
recorded in the same transaction, sent after it commits, never twice (a double submit sends
nothing more), and never to the person who acted."""

from datetime import UTC, datetime

import pytest
from django.core import mail
from django.urls import reverse

from partnership.items import issue_comment, issue_set_status, item_follow, item_unfollow
from partnership.models import ItemFollower, PartnershipItem
from rpo_portal.models import OutboundEmail

from .issue_kit import make_issue

NOW = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def issue(world):
    # Followed by its owner (the hiring manager) and whoever raised it (the client admin).
    item = make_issue(world.acme_engagement, owner=world.hiring_manager, raised_by=world.client_admin)
    item_follow(user=world.account_manager, item=item)
    return item


def test_a_comment_is_sent_once_to_every_follower_but_its_author(world, issue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        comment = issue_comment(actor=world.account_manager, item=issue, body="We can offer Thursday mornings.")
    assert OutboundEmail.objects.filter(kind="partnership_item_comment").count() == 2
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [world.hiring_manager.email, world.client_admin.email]
    )
    message = mail.outbox[0]
    assert "commented on" in message.subject
    assert "We can offer Thursday mornings." in message.body
    assert f"/issues/{issue.pk}/" in message.body
    assert set(OutboundEmail.objects.values_list("key", flat=True)) == {
        f"item-comment:{comment.pk}:{world.hiring_manager.pk}",
        f"item-comment:{comment.pk}:{world.client_admin.pk}",
    }


def test_nothing_is_sent_before_the_transaction_commits(world, issue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        issue_comment(actor=world.account_manager, item=issue, body="Noted.")
    assert OutboundEmail.objects.count() == 2  # recorded with the comment
    assert mail.outbox == []
    assert callbacks


def test_a_status_change_is_sent_once_and_a_double_resolve_sends_nothing_more(
    client, world, issue, django_capture_on_commit_callbacks
):
    client.force_login(world.account_manager)
    url = reverse("partnership:issue-status", kwargs={"pk": issue.pk})
    body = {"action": "resolved", "resolved-expected": "open", "resolved-resolution": "Thursday slot agreed."}
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, body).status_code == 303
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, body).status_code == 303  # a double submit: a message, nothing more
    assert OutboundEmail.objects.filter(kind="partnership_item_status").count() == 2
    assert len(mail.outbox) == 2
    assert all("resolved" in message.subject for message in mail.outbox)
    assert all("Thursday slot agreed." in message.body for message in mail.outbox)


def test_a_double_comment_is_one_comment_and_one_round_of_emails(
    client, world, issue, django_capture_on_commit_callbacks
):
    client.force_login(world.hiring_manager)
    url = reverse("partnership:issue-comment", kwargs={"pk": issue.pk})
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(url, {"comment-body": "I will book the slot."}).status_code == 303
    assert issue.comments.count() == 1
    assert len(mail.outbox) == 2  # the client admin and the account manager


def test_an_empty_comment_is_refused_beside_the_field(client, world, issue):
    client.force_login(world.hiring_manager)
    response = client.post(reverse("partnership:issue-comment", kwargs={"pk": issue.pk}), {"comment-body": " "})
    assert response.status_code == 400
    assert "Write a comment." in response.content.decode()
    assert not OutboundEmail.objects.exists()


def test_who_unfollows_or_is_deactivated_is_not_told(world, issue, django_capture_on_commit_callbacks):
    item_unfollow(user=world.account_manager, item=issue)
    world.client_admin.is_active = False
    world.client_admin.save()
    with django_capture_on_commit_callbacks(execute=True):
        issue_set_status(actor=world.account_manager, item=issue, status=PartnershipItem.Status.IN_PROGRESS)
    assert [message.to for message in mail.outbox] == [[world.hiring_manager.email]]


def test_following_is_idempotent(client, world, issue):
    assert item_follow(user=world.account_manager, item=issue) is False
    client.force_login(world.recruiter)
    url = reverse("partnership:issue-follow", kwargs={"pk": issue.pk})
    assert client.post(url, {"follow": "1"}).status_code == 303
    assert client.post(url, {"follow": "1"}).status_code == 303
    assert ItemFollower.objects.filter(item=issue, user=world.recruiter).count() == 1
    assert client.post(url, {"follow": "0"}).status_code == 303
    assert client.post(url, {"follow": "0"}).status_code == 303
    assert not ItemFollower.objects.filter(item=issue, user=world.recruiter).exists()


def test_a_follower_who_no_longer_sees_the_issue_is_not_told(world, django_capture_on_commit_callbacks):
    item = make_issue(world.acme_engagement, owner=world.account_manager, raised_by=world.client_admin)
    ItemFollower.objects.create(item=item, user=world.globex_admin)  # never visible to them
    with django_capture_on_commit_callbacks(execute=True):
        issue_comment(actor=world.account_manager, item=item, body="On it.")
    assert [message.to for message in mail.outbox] == [[world.client_admin.email]]
    assert OutboundEmail.objects.get(recipient=world.globex_admin).status == OutboundEmail.Status.SKIPPED
