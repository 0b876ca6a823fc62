"""The daily digest: one email at ``DIGEST_HOUR`` local time to each user on digest mode who has
something open, listing all of it, instead of single reminders.

``digests_prepare`` runs every few minutes: it finds the time zones where it is now the digest
hour (one query over the digest users' zones), the users there with something open (one query),
and records a ``Digest`` row per user and local date (insert-if-absent on the unique
constraint). ``digest_deliver`` sends one of them if it wins the claim on the row.
"""

from __future__ import annotations

import logging
import zoneinfo
from datetime import date, datetime

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from accounts.models import User
from rpo_portal.delivery import SENDING_LEASE, is_transient

from .. import notifications
from ..models import AvailabilityRequest, Digest, FeedbackRequest, Reminder, RequestStatus
from ..selectors import inbox_for

logger = logging.getLogger(__name__)


def zones_at_digest_hour(*, now: datetime) -> dict[str, date]:
    """The digest users' time zones where the local hour is now ``DIGEST_HOUR``, with their local date."""
    zones = (
        User.objects.filter(is_active=True, notification_preference=User.NotificationPreference.DIGEST)
        .order_by("time_zone")  # not the model's ordering: DISTINCT would count those columns too
        .values_list("time_zone", flat=True)
        .distinct()
    )
    due: dict[str, date] = {}
    for name in zones:
        local = now.astimezone(zoneinfo.ZoneInfo(name))
        if local.hour == settings.DIGEST_HOUR:
            due[name] = local.date()
    return due


def _open_for(user_ref):
    return Exists(FeedbackRequest.objects.filter(requested_of_id=user_ref, status=RequestStatus.OPEN)) | Exists(
        AvailabilityRequest.objects.filter(requested_of_id=user_ref, status=RequestStatus.OPEN)
    )


def digests_prepare(*, now: datetime) -> list[int]:
    """Record today's digest for every digest user at the digest hour with something open, and
    return the ids of those not sent and not being sent (a few queries, whatever the number)."""
    zones = zones_at_digest_hour(now=now)
    if not zones:
        return []
    users = list(
        User.objects.filter(
            _open_for(OuterRef("pk")),
            is_active=True,
            notification_preference=User.NotificationPreference.DIGEST,
            time_zone__in=list(zones),
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
    if requests:
        try:
            notifications.send([notifications.digest_email(digest=digest, user=user, requests=requests, now=now)])
        except Exception as error:
            Digest.objects.filter(pk=digest_id, claimed_at=now).update(claimed_at=None)
            if is_transient(error):
                raise
            logger.exception("Digest %s could not be sent", digest_id)
            return "failed"
    sent_at = timezone.now()
    Digest.objects.filter(pk=digest_id).update(sent_at=sent_at, item_count=len(requests))
    Reminder.objects.filter(id__in=covered, status=Reminder.Status.IN_DIGEST).update(
        status=Reminder.Status.SENT, sent_at=sent_at, attempts=1
    )
    return "sent" if requests else "nothing_open"
