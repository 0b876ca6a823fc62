"""Overdue issues are chased by feedback's reminder engine, not a second one: the same ladder (due
soon, overdue, escalation; the moments from ``partnership.ladder.issue_ladder``), the same
``Reminder`` rows (``Reminder.partnership_item``, each level once per issue by its unique
constraint), the same quiet hours, digest and exactly-once sending. This module tells the engine
what it needs to know about issues (``feedback.reminders.subjects``), registered from
``PartnershipConfig.ready``: feedback never imports partnership.

Who hears what:

- due soon (the morning of the due date) and overdue (its close of business) → the owner;
- the escalation → the lead of the owner's side, copied to the other side's: a client-owned issue
  goes to the engagement's escalation recipients (``engagements.selectors.escalation_recipients``:
  the escalation contact, else the client admins), copied to the account managers; a
  provider-owned one to the account managers, copied to the escalation recipients.

An issue resolved or declined before a level is sent has that level skipped ("the request
closed", as for requests). A digest reader finds the issues they own that are due or overdue in
their daily digest. The tone is the partnership's: a next step to agree, never blame.
"""

from __future__ import annotations

from datetime import datetime

from django.db import connection
from django.db.models import Exists, Q
from django.urls import reverse

from accounts.models import User
from engagements.activity import engagement_changed
from feedback import notifications
from feedback.models import Reminder
from feedback.reminders.subjects import ChasedKind, register

from .dated_chase import DatedWords, dated_digest_section, dated_reminder_email, sides_escalation_people
from .ladder import LADDER_CLEARED
from .models import PartnershipItem

# The issues the ladder chases (the predicate of partnership_item_sweep_idx).
CHASED_Q = Q(kind=PartnershipItem.Kind.ISSUE, status__in=PartnershipItem.CHASED_STATUSES)
_CHASED_SQL = "request.kind = '{issue}' AND request.status IN ({statuses})".format(
    issue=PartnershipItem.Kind.ISSUE,
    statuses=", ".join(f"'{status}'" for status in PartnershipItem.CHASED_STATUSES),
)


def issue_path(item_id: int) -> str:
    """The issue's page, for the reminder emails."""
    return reverse("partnership:issue-detail", args=[item_id])


def is_client_owned(item: PartnershipItem) -> bool:
    """Whether the issue's owner is on the client's side of its engagement."""
    return item.owner is not None and item.owner.organization_id == item.engagement.client_id


def escalation_people(item: PartnershipItem, *, now: datetime) -> notifications.EscalationPeople:
    """To the lead of the owner's side, copied to the other side's (the module's docstring)."""
    return sides_escalation_people(item.engagement, client_owned=is_client_owned(item))


def _context(item: PartnershipItem, *, zone) -> dict:
    return {
        "item": item,
        "engagement": item.engagement,
        "owner_name": notifications.display_name(item.owner),
        "owner_side": item.owner.organization.name if item.owner and item.owner.organization else "",
        "due_local": notifications.local_time(item.due_at, zone),
        "due_on": item.due_on,
        "raised_local": notifications.local_time(item.created_at, zone),
        "issue_url": notifications.absolute_url(issue_path(item.pk)),
    }


WORDS = DatedWords(
    template="partnership/email/issue_reminder",
    escalation_subject=lambda item: f"Could you help move an open issue forward? {item.title} ({item.engagement.name})",
    overdue_subject=lambda item: f"Still open: {item.title} ({item.engagement.name}). Where does it stand?",
    context=lambda item, *, zone: _context(item, zone=zone),
    escalation_context=lambda item, now: {"waiting_days": max((now - item.due_at).days, 0)},
)


def issue_reminder_email(reminder: Reminder, *, now: datetime, escalation=None):
    """The owner's reminder (due soon, overdue) or the escalation to their side's lead."""
    return dated_reminder_email(reminder.partnership_item, reminder, now=now, escalation=escalation, words=WORDS)


def _due_for(user_ref, *, now: datetime):
    """The issues a digest lists: owned, still chased, and due today or overdue."""
    return PartnershipItem.objects.filter(CHASED_Q, owner_id=user_ref, remind_at__lte=now)


def digest_section(user: User, *, now: datetime) -> dict | None:
    items = list(_due_for(user.pk, now=now).select_related("engagement").order_by("due_at", "id"))
    count = len(items)
    return dated_digest_section(
        items,
        zone=user.zone,
        now=now,
        heading="Issues you own that are due",
        summary=f"{count} issue{'s' if count != 1 else ''} of yours due",
        link=lambda item: issue_path(item.pk),
        link_label="Update the issue",
    )


def _register() -> ChasedKind:
    users = connection.ops.quote_name(User._meta.db_table)
    return register(
        ChasedKind(
            reminder_field="partnership_item",
            model=PartnershipItem,
            open_q=CHASED_Q,
            open_sql=_CHASED_SQL,
            recipient_column="owner_id",
            joins_sql=f"JOIN {users} owner ON owner.id = request.owner_id",
            engagement_id_sql="request.engagement_id",
            escalation_to_sql=(
                "CASE WHEN owner.organization_id = leads.client_id "
                "THEN leads.client_lead_id ELSE leads.provider_lead_id END"
            ),
            select_related=("owner__organization", "engagement"),
            is_open=lambda item: item.is_chased,
            status_of=lambda item: item.status,
            escalation_people=escalation_people,
            reminder_email=issue_reminder_email,
            # The scorecard counts escalations of requests only; an issue's changes what the
            # engagement's pages show, so its version moves on.
            after_escalation=lambda item: engagement_changed(item.engagement_id),
            digest_has=lambda user_ref, *, now: Exists(_due_for(user_ref, now=now)),
            digest_section=digest_section,
        )
    )


ISSUES = _register()


def issue_chase_stop(*, item: PartnershipItem) -> int:
    """For the service that resolves or declines an issue: the ladder stops, and its reminders not
    yet sent (waiting, or left for a digest) are skipped. (Sending re-checks anyway: a level that
    falls due for a closed issue is skipped.) Returns the number of reminders skipped."""
    PartnershipItem.objects.filter(pk=item.pk).update(**LADDER_CLEARED)
    return Reminder.objects.filter(
        partnership_item=item, status__in=[Reminder.Status.PENDING, Reminder.Status.IN_DIGEST]
    ).update(status=Reminder.Status.SKIPPED)
