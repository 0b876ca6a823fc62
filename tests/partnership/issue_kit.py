"""Issues for the tests, written as ``issue_raise`` writes them (ladder and followers included),
without its checks, so a test can set up many quickly or ones raised in the past."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from engagements.local_dates import engagement_today
from partnership.ladder import issue_ladder
from partnership.models import ItemFollower, PartnershipItem


def make_issue(engagement, *, owner, raised_by, requisition=None, title="Feedback is slow", due_in_days=3, **fields):
    due_on = fields.pop("due_on", engagement_today(engagement) + timedelta(days=due_in_days))
    item = PartnershipItem.objects.create(
        kind=PartnershipItem.Kind.ISSUE,
        engagement=engagement,
        requisition=requisition,
        title=title,
        what_happened="Résumés wait a week for a first look.",
        impact="Two candidates took other offers.",
        proposed_next_step="A weekly 20-minute review slot.",
        owner=owner,
        due_on=due_on,
        status=fields.pop("status", PartnershipItem.Status.OPEN),
        raised_by=raised_by,
        created_at=fields.pop("created_at", timezone.now()),
        **{**issue_ladder(engagement=engagement, due_on=due_on), **fields},
    )
    for user in {owner.pk: owner, raised_by.pk: raised_by}.values():
        ItemFollower.objects.get_or_create(item=item, user=user)
    return item


def make_win(engagement, *, raised_by, thanked=(), title="Filled early"):
    item = PartnershipItem.objects.create(
        kind=PartnershipItem.Kind.WIN,
        engagement=engagement,
        title=title,
        what_happened="Both sides moved fast.",
        status="",
        raised_by=raised_by,
    )
    item.thanked.set(thanked)
    return item
