"""What a hiring manager holds in this app, for ``accounts.handover``: the feedback and availability
requests still open, asked of them. Moved by ``services.requests_hand_over``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db.models import Count

from accounts.handover import register_holding
from accounts.models import User

from .models import AvailabilityRequest, ChasedRequestQuerySet, FeedbackRequest, RequestStatus
from .services import requests_hand_over


def _summarize(users: Sequence[User], now: datetime) -> dict[int, tuple[int, str]]:
    """Open and overdue requests per person: one grouped query per kind of request."""
    totals: dict[int, list[int]] = {}
    for model in (FeedbackRequest, AvailabilityRequest):
        rows = (
            model.objects.filter(requested_of_id__in=[user.pk for user in users], status=RequestStatus.OPEN)
            .values("requested_of_id")
            .annotate(open=Count("id"), overdue=Count("id", filter=ChasedRequestQuerySet.overdue_q(now)))
            .order_by()
        )
        for row in rows:
            counts = totals.setdefault(row["requested_of_id"], [0, 0])
            counts[0] += row["open"]
            counts[1] += row["overdue"]
    return {
        user_id: (open_count, f"{overdue} overdue" if overdue else "")
        for user_id, (open_count, overdue) in totals.items()
    }


def _transfer(*, actor: User, user: User, to: User, now: datetime) -> int:
    return requests_hand_over(user=user, to=to, at=now)


register_holding(
    key="feedback.open_requests",
    one="open feedback or availability request",
    many="open feedback and availability requests",
    roles=User.CLIENT_ROLES,
    summarize=_summarize,
    transfer=_transfer,
    order=10,
    detail_is_alert=True,
)
