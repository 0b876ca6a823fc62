"""What a person holds in this app, for ``accounts.handover``: the requisitions a hiring manager
answers for, a recruiter's assignments (primary, backup, sourcer), and the engagements an account
manager manages. Moved by the contract services (``services.contract``), whose rules apply."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db.models import Count, Q

from accounts.handover import register_holding
from accounts.models import User

from .models import Assignment, Engagement, Requisition
from .services.contract import (
    assignments_hand_over,
    assignments_held_q,
    engagements_hand_over,
    requisitions_hand_over,
    requisitions_held_by,
)


def _ids(users: Sequence[User]) -> list[int]:
    return [user.pk for user in users]


def _requisitions(users: Sequence[User], now: datetime) -> dict[int, tuple[int, str]]:
    rows = (
        Requisition.objects.filter(requisitions_held_by(user_ids=_ids(users)))
        .values("hiring_manager_id")
        .annotate(total=Count("id"), on_hold=Count("id", filter=Q(status=Requisition.Status.ON_HOLD)))
        .order_by()
    )
    return {
        row["hiring_manager_id"]: (row["total"], f"{row['on_hold']} on hold" if row["on_hold"] else "") for row in rows
    }


def _assignments(users: Sequence[User], now: datetime) -> dict[int, tuple[int, str]]:
    rows = (
        Assignment.objects.filter(assignments_held_q(at=now), recruiter_id__in=_ids(users))
        .values("recruiter_id", "role")
        .annotate(total=Count("id"))
        .order_by()
    )
    by_person: dict[int, dict[str, int]] = {}
    for row in rows:
        by_person.setdefault(row["recruiter_id"], {})[row["role"]] = row["total"]
    labels = {Assignment.Role.PRIMARY: "primary", Assignment.Role.BACKUP: "backup", Assignment.Role.SOURCER: "sourcer"}
    return {
        person: (
            sum(roles.values()),
            ", ".join(f"{roles[role]} {label}" for role, label in labels.items() if roles.get(role)),
        )
        for person, roles in by_person.items()
    }


def _engagements(users: Sequence[User], now: datetime) -> dict[int, tuple[int, str]]:
    rows = (
        Engagement.account_managers.through.objects.filter(user_id__in=_ids(users))
        .values("user_id")
        .annotate(total=Count("id"))
        .order_by()
    )
    return {row["user_id"]: (row["total"], "") for row in rows}


register_holding(
    key="engagements.requisitions",
    one="open requisition as hiring manager",
    many="open requisitions as hiring manager",
    roles=User.CLIENT_ROLES,
    summarize=_requisitions,
    transfer=lambda *, actor, user, to, now: requisitions_hand_over(actor=actor, user=user, to=to),
    order=20,
)
register_holding(
    key="engagements.assignments",
    one="requisition assignment",
    many="requisition assignments",
    roles=User.PROVIDER_ROLES,
    summarize=_assignments,
    transfer=lambda *, actor, user, to, now: assignments_hand_over(actor=actor, user=user, to=to, at=now),
    order=30,
)
register_holding(
    key="engagements.account_manager",
    one="engagement as account manager",
    many="engagements as account manager",
    roles=(User.Role.ACCOUNT_MANAGER, User.Role.PROVIDER_ADMIN),
    summarize=_engagements,
    transfer=lambda *, actor, user, to, now: engagements_hand_over(actor=actor, user=user, to=to),
    order=40,
)
