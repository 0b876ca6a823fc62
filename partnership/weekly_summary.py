"""The weekly summary that celebrates: on Monday from 09:00 in the engagement's time zone, the
client's admins and the engagement's account managers each get one email per engagement about the
previous week (Monday to Sunday, the engagement's): the wins recorded, the requisitions filled, the
fastest feedback, the issues resolved, and what is open with its owner and due date.

The beat task runs every ``quarter of an hour``; an engagement whose local time is Monday 09:00 or
later that Monday is due (a missed run is caught up the same day, never on Tuesday). The outbox key
``weekly-summary:<engagement>:<week start>:<person>`` is the guard: two overlapping runs record each
email once. What it says is read when it is sent (``win_emails``), so it is as of that moment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Prefetch, Q
from django.utils import timezone

from accounts.models import User
from engagements.models import Engagement, Requisition
from rpo_portal.models import OutboundEmail
from rpo_portal.outbox import outbox_enqueue

from .models import PartnershipItem
from .suggested_wins import Fastest, fastest_feedback, local_span

WEEKLY_SUMMARY_EMAIL = "partnership.weekly_summary"
SENT_FROM = time(9, 0)  # Monday, in the engagement's zone


def weekly_summary_key(*, engagement_id: int, week_start: date, user_id: int) -> str:
    return f"weekly-summary:{engagement_id}:{week_start.isoformat()}:{user_id}"


def summary_week_start(engagement: Engagement, now: datetime) -> date | None:
    """The Monday of the week to sum up when the summary is due at ``now`` (Monday from 09:00 in
    the engagement's zone), else None."""
    local = now.astimezone(ZoneInfo(engagement.time_zone))
    if local.isoweekday() != 1 or local.time() < SENT_FROM:
        return None
    return local.date() - timedelta(days=7)


def summary_recipients_q(engagement: Engagement) -> Q:
    """Who gets it: the engagement's account managers and the client's admins, active."""
    managers = Engagement.account_managers.through.objects.filter(engagement_id=engagement.pk).values("user_id")
    return Q(is_active=True) & (
        Q(id__in=managers, role=User.Role.ACCOUNT_MANAGER)
        | Q(organization_id=engagement.client_id, role=User.Role.CLIENT_ADMIN)
    )


def weekly_summaries_enqueue(*, now: datetime | None = None) -> int:
    """Record the summaries due now, once each: the number recorded by this call. A constant number
    of queries (plus one insert per new email)."""
    now = now or timezone.now()
    active = User.objects.filter(is_active=True).order_by("pk")
    engagements = [
        engagement
        for engagement in Engagement.objects.exclude(status=Engagement.Status.ENDED).order_by("pk")
        if summary_week_start(engagement, now) is not None
    ]
    if not engagements:
        return 0
    # The account managers of the due engagements, and the admins of their clients: two queries.
    managed = {
        engagement.pk: list(engagement.account_managers.all())
        for engagement in Engagement.objects.filter(pk__in=[engagement.pk for engagement in engagements])
        .prefetch_related(Prefetch("account_managers", queryset=active.filter(role=User.Role.ACCOUNT_MANAGER)))
        .order_by()
    }
    admins: dict[int, list[User]] = {}
    for admin in active.filter(
        organization_id__in={engagement.client_id for engagement in engagements}, role=User.Role.CLIENT_ADMIN
    ):
        admins.setdefault(admin.organization_id, []).append(admin)
    planned = []
    for engagement in engagements:
        week_start = summary_week_start(engagement, now)
        everyone = [*managed.get(engagement.pk, []), *admins.get(engagement.client_id, [])]
        people = {person.pk: person for person in everyone}
        for person in people.values():
            key = weekly_summary_key(engagement_id=engagement.pk, week_start=week_start, user_id=person.pk)
            planned.append((key, engagement, week_start, person))
    recorded = set(OutboundEmail.objects.filter(key__in=[key for key, *_ in planned]).values_list("key", flat=True))
    count = 0
    for key, engagement, week_start, person in planned:
        if key in recorded:
            continue
        email = outbox_enqueue(
            kind=WEEKLY_SUMMARY_EMAIL,
            key=key,
            recipient=person,
            payload={"engagement_id": engagement.pk, "week_start": week_start.isoformat(), "user_id": person.pk},
        )
        count += email is not None
    return count


@dataclass(frozen=True)
class WeeklySummary:
    engagement: Engagement
    week_start: date
    week_end: date  # the Sunday, inclusive
    wins: list[PartnershipItem]
    filled: list[Requisition]
    fastest: Fastest | None
    resolved: list[PartnershipItem]
    open_issues: list[PartnershipItem]

    @property
    def quiet(self) -> bool:
        """Nothing to celebrate this week (what is open is still listed)."""
        return not (self.wins or self.filled or self.fastest or self.resolved)


def weekly_summary(*, engagement: Engagement, week_start: date) -> WeeklySummary:
    """What the week from ``week_start`` (a Monday) brought, in the engagement's zone: a constant
    number of queries."""
    after = week_start + timedelta(days=7)
    start, end = local_span(engagement, week_start, after)
    items = PartnershipItem.objects.filter(engagement_id=engagement.pk)
    wins = list(
        items.filter(kind=PartnershipItem.Kind.WIN, created_at__gte=start, created_at__lt=end)
        .prefetch_related(Prefetch("thanked", queryset=User.objects.order_by("full_name", "email")))
        .order_by("created_at", "pk")
    )
    filled = list(
        Requisition.objects.filter(
            engagement_id=engagement.pk,
            status=Requisition.Status.FILLED,
            filled_on__gte=week_start,
            filled_on__lt=after,
        )
        .select_related("hiring_manager")
        .order_by("filled_on", "code")
    )
    requisition_ids = list(
        Requisition.objects.filter(engagement_id=engagement.pk).order_by().values_list("pk", flat=True)
    )
    resolved = list(
        items.filter(
            kind=PartnershipItem.Kind.ISSUE,
            status=PartnershipItem.Status.RESOLVED,
            closed_at__gte=start,
            closed_at__lt=end,
        )
        .select_related("owner")
        .order_by("closed_at", "pk")
    )
    open_issues = list(
        items.filter(kind=PartnershipItem.Kind.ISSUE, status__in=PartnershipItem.CHASED_STATUSES)
        .select_related("owner")
        .order_by("due_on", "created_at", "pk")
    )
    return WeeklySummary(
        engagement=engagement,
        week_start=week_start,
        week_end=after - timedelta(days=1),
        wins=wins,
        filled=filled,
        fastest=fastest_feedback(requisition_ids=requisition_ids, start=start, end=end),
        resolved=resolved,
        open_issues=open_issues,
    )
