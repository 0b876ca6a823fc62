"""The daily digest: one email a day, at the reader's own ``digest_hour`` in their own time zone
(chosen on their settings page), to each user on digest mode who has something open, listing all
of it, instead of single reminders: the requests asked of them, then a section per other chased
kind that has one (the issues they own that are due or overdue).

``digests_prepare`` runs every few minutes: it finds the local hour in each digest reader's time
zone (one query over the distinct zones), the readers whose digest hour that is now and who have
something open (one query, whatever the number of readers), and records a ``Digest`` row per user
and local date (insert-if-absent on the unique constraint: a reader who moves their hour later in
the same day gets no second digest that day). ``digest_deliver`` sends one of them if it wins the
claim on the row.
"""

from __future__ import annotations

import logging
import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import OuterRef, Q
from django.utils import timezone

from accounts.models import User
from rpo_portal.delivery import SENDING_LEASE, is_transient

from .. import notifications
from ..models import Digest, Reminder
from ..selectors import inbox_for
from .subjects import any_open_for, chased_kinds

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DigestHourNow:
    """Which digest readers' hour it is now: ``readers`` (a filter on users), and the local date
    in each of their time zones."""

    readers: Q
    local_dates: dict[str, date]


def digest_hour_now(*, now: datetime) -> DigestHourNow | None:
    """The digest readers whose own ``digest_hour`` is the local hour now in their time zone.

    One query over the readers' distinct time zones; the filter then has one clause per local hour
    found (at most about 26, however many readers and zones), so the next query stays one query.
    """
    zones = (
        User.objects.filter(is_active=True, notification_preference=User.NotificationPreference.DIGEST)
        .order_by("time_zone")  # not the model's ordering: DISTINCT would count those columns too
        .values_list("time_zone", flat=True)
        .distinct()
    )
    zones_by_local_hour: dict[int, list[str]] = {}
    local_dates: dict[str, date] = {}
    for name in zones:
        local = now.astimezone(zoneinfo.ZoneInfo(name))
        zones_by_local_hour.setdefault(local.hour, []).append(name)
        local_dates[name] = local.date()
    if not local_dates:
        return None
    readers = Q()
    for hour, names in sorted(zones_by_local_hour.items()):
        readers |= Q(digest_hour=hour, time_zone__in=names)
    return DigestHourNow(readers=readers, local_dates=local_dates)


def digests_prepare(*, now: datetime) -> list[int]:
    """Record today's digest for every digest reader at their own digest hour with something open,
    and return the ids of those not sent and not being sent (a few queries, whatever the number)."""
    due = digest_hour_now(now=now)
    if due is None:
        return []
    zones = due.local_dates
    users = list(
        User.objects.filter(
            due.readers,
            any_open_for(OuterRef("pk"), now=now),
            is_active=True,
            notification_preference=User.NotificationPreference.DIGEST,
        ).values_list("id", "time_zone")
    )
    if not users:
        return []
    Digest.objects.bulk_create(
        [Digest(user_id=user_id, local_date=zones[zone], created_at=now) for user_id, zone in users],
        ignore_conflicts=True,
    )
    by_date: dict[date, list[int]] = {}
    for user_id, zone in users:
        by_date.setdefault(zones[zone], []).append(user_id)
    todays = Q()
    for local_date, user_ids in by_date.items():
        todays |= Q(local_date=local_date, user_id__in=user_ids)
    return list(
        Digest.objects.filter(todays, sent_at__isnull=True)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - SENDING_LEASE))
        .order_by("id")
        .values_list("id", flat=True)
    )


def _open_requests(user: User) -> list:
    """Everything asked of the user and still open (their inbox), soonest due first."""
    asked = inbox_for(user=user)
    return sorted([*asked["feedback"], *asked["availability"]], key=lambda request: (request.due_at, request.pk))


def digest_deliver(*, digest_id: int) -> str:
    """Send one digest if this call wins the claim; the reminders it covers are marked sent."""
    now = timezone.now()
    claimed = (
        Digest.objects.filter(pk=digest_id, sent_at__isnull=True)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - SENDING_LEASE))
        .update(claimed_at=now)
    )
    if not claimed:
        return "not_claimed"
    digest = Digest.objects.select_related("user").get(pk=digest_id)
    user = digest.user
    # Captured before sending: a reminder left for the digest after this point waits for tomorrow's.
    covered = list(
        Reminder.objects.filter(recipient=user, status=Reminder.Status.IN_DIGEST).values_list("id", flat=True)
    )
    requests = _open_requests(user)
    # What the other chased kinds list (the issues the user owns that are due or overdue, ...).
    sections = [
        section
        for kind in chased_kinds()
        if kind.digest_section is not None
        and (section := kind.digest_section(user, now=now)) is not None
        and section["items"]
    ]
    item_count = len(requests) + sum(len(section["items"]) for section in sections)
    if item_count:
        try:
            notifications.send(
                [notifications.digest_email(digest=digest, user=user, requests=requests, now=now, sections=sections)]
            )
        except Exception as error:
            Digest.objects.filter(pk=digest_id, claimed_at=now).update(claimed_at=None)
            if is_transient(error):
                raise
            logger.exception("Digest %s could not be sent", digest_id)
            return "failed"
    sent_at = timezone.now()
    Digest.objects.filter(pk=digest_id).update(sent_at=sent_at, item_count=item_count)
    Reminder.objects.filter(id__in=covered, status=Reminder.Status.IN_DIGEST).update(
        status=Reminder.Status.SENT, sent_at=sent_at, attempts=1
    )
    return "sent" if item_count else "nothing_open"
