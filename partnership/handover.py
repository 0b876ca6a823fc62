"""What a person holds in this app, for ``accounts.handover``: the partnership issues they own that
are still open (open or in progress), on either side. Moved by ``items.issues_hand_over``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db.models import Count, Q

from accounts.handover import register_holding
from accounts.models import User

from .items import issues_hand_over
from .models import PartnershipItem


def _summarize(users: Sequence[User], now: datetime) -> dict[int, tuple[int, str]]:
    """Open and overdue issues per owner: one grouped query. Overdue is the ladder's rule
    (``PartnershipItem.is_overdue_at``: its due moment has come)."""
    rows = (
        PartnershipItem.objects.filter(
            kind=PartnershipItem.Kind.ISSUE,
            status__in=PartnershipItem.CHASED_STATUSES,
            owner_id__in=[user.pk for user in users],
        )
        .values("owner_id")
        .annotate(open=Count("id"), overdue=Count("id", filter=Q(due_at__lte=now)))
        .order_by()
    )
    return {row["owner_id"]: (row["open"], f"{row['overdue']} overdue" if row["overdue"] else "") for row in rows}


def _transfer(*, actor: User, user: User, to: User, now: datetime) -> int:
    return issues_hand_over(user=user, to=to, at=now)


register_holding(
    key="partnership.open_issues",
    one="open partnership issue they own",
    many="open partnership issues they own",
    roles=[*User.PROVIDER_ROLES, *User.CLIENT_ROLES],
    summarize=_summarize,
    transfer=_transfer,
    order=60,
    detail_is_alert=True,
)
