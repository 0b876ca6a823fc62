"""What the reminder engine chases, kind by kind: the one registry the sweep, the delivery and the
digest read, so that one engine (one ladder, one ``Reminder`` table, one exactly-once guard, one
quiet-hours and digest rule) chases every kind of thing someone owes by a due time.

Feedback registers its two requests (``feedback.reminders.request_kinds``); a higher app registers its
own kinds from its ``AppConfig.ready`` (partnership's overdue issues: ``partnership.chase``), so
feedback never imports it. A registered kind's model has the ladder's moments (``remind_at``,
``due_at``, ``escalate_at``) and its state (``ladder_step``, ``next_step_at``, with a partial index
on ``next_step_at`` for its open rows) on the row or in a ``ladder_model`` of its own, and ``Reminder`` has
a nullable foreign key to it, named ``reminder_field``, with a partial unique (that key, level)
constraint.

The sweep's SQL is hand-written per kind from the fragments below (alias ``request`` for the
chased row, ``leads`` for its engagement's escalation leads, see ``sweep``); the rest are plain
functions of a loaded row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Q


@dataclass(frozen=True)
class ChasedKind:
    # The ``Reminder`` foreign key that points at this kind ("feedback_request", "partnership_item").
    reminder_field: str
    model: Any
    # The rows still chased, as a filter, and the same rule as SQL on the alias ``request`` (it
    # must imply the predicate of the model's partial sweep index, so the sweep reads through it).
    open_q: Q
    open_sql: str
    # The column of the person chased (due soon and overdue go to them).
    recipient_column: str
    # SQL joining ``request`` to what ``engagement_id_sql`` and ``escalation_to_sql`` read.
    joins_sql: str
    engagement_id_sql: str
    # Who an escalation is recorded for, from ``leads.client_lead_id`` (the first of
    # ``engagements.selectors.escalation_recipient_list``), ``leads.provider_lead_id`` (the first
    # active account manager) and ``leads.client_id`` (the engagement's client organisation).
    escalation_to_sql: str
    # Paths below the reminder's foreign key that sending reads (one query loads them all).
    select_related: tuple[str, ...]
    # Whether a loaded row is still chased (a level due for a closed one is skipped).
    is_open: Callable[[Any], bool]
    # The status to name when it is not (for the log).
    status_of: Callable[[Any], str]
    # notifications.EscalationPeople for a loaded row: who an escalation is addressed to and copied.
    escalation_people: Callable[..., Any]  # (row, *, now)
    # The email of one reminder or escalation: (reminder, *, now, escalation) → EmailMessage.
    reminder_email: Callable[..., Any]
    # After an escalation was sent (the scorecard's version bump, ...): (row) → None.
    after_escalation: Callable[[Any], None]
    # The digest: whether ``user_ref`` (an id or an OuterRef) has something of this kind worth
    # a digest now, as a filter expression on users; and what it lists, as a section of the email
    # (None when this kind is listed with the requests themselves, or when there is nothing).
    digest_has: Callable[..., Any]  # (user_ref, *, now)
    digest_section: Callable[..., dict | None] | None = None  # (user, *, now) → {"heading", "items"}
    # Where the ladder is kept: None on the row itself (``ladder_step``, ``next_step_at``, with a
    # partial index on ``next_step_at`` for the rows ``open_sql`` chases); or a narrow table with
    # the same two fields, keyed by the row's id (``feedback.models.RequestLadder``: a kind with
    # many due rows and a wide, much indexed table, where the sweep's UPDATE would be costly).
    ladder_model: Any = None


_KINDS: dict[str, ChasedKind] = {}


def register(kind: ChasedKind) -> ChasedKind:
    """Register (or replace, on a second ``ready``) what the engine chases through ``kind.reminder_field``."""
    _KINDS[kind.reminder_field] = kind
    return kind


def chased_kinds() -> tuple[ChasedKind, ...]:
    """Every registered kind, in the order registered (the sweep's order)."""
    return tuple(_KINDS.values())


def kind_of_model(model) -> ChasedKind:
    for kind in _KINDS.values():
        if kind.model is model:
            return kind
    raise LookupError(f"{model.__name__} is not chased by the reminder engine")


def kind_of_reminder(reminder) -> ChasedKind:
    """The kind a reminder chases: the one whose foreign key it has set."""
    for kind in _KINDS.values():
        if getattr(reminder, f"{kind.reminder_field}_id") is not None:
            return kind
    raise LookupError(f"Reminder {reminder.pk} chases nothing registered")


def any_open_for(user_ref, *, now: datetime):
    """Whether the user has anything of any kind worth a digest (one filter expression)."""
    expressions = [kind.digest_has(user_ref, now=now) for kind in _KINDS.values()]
    combined = expressions[0]
    for expression in expressions[1:]:
        combined = combined | expression
    return combined
