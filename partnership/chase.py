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
from engagements.selectors import escalation_recipients
from feedback import notifications
from feedback.models import Reminder, moment_has_come
from feedback.reminders.subjects import ChasedKind, register

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
    engagement = item.engagement
    client_side = escalation_recipients(engagement=engagement)
    provider_side = list(engagement.account_managers.filter(is_active=True).order_by("id"))
    to, cc = (client_side, provider_side) if is_client_owned(item) else (provider_side, client_side)
    return notifications.EscalationPeople(to=to, cc=[person for person in cc if person not in to])


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


def issue_reminder_email(reminder: Reminder, *, now: datetime, escalation=None):
    """The owner's reminder (due soon, overdue) or the escalation to their side's lead."""
    item: PartnershipItem = reminder.partnership_item
    message_id = f"reminder-{reminder.pk}-{reminder.level}"
    if reminder.level == Reminder.Level.ESCALATION:
        people = escalation or notifications.EscalationPeople(
            to=[reminder.recipient] if reminder.recipient else [], cc=[]
        )
        lead = (people.to or people.cc)[0]
        zone = lead.zone
        context = {
            **_context(item, zone=zone),
            "recipient_name": notifications.display_name(lead) if people.to else "",
            "copied_names": [notifications.display_name(person) for person in people.cc] if people.to else [],
            "waiting_days": max((now - item.due_at).days, 0),
        }
        return notifications.email_message(
            "partnership/email/issue_reminder_escalation",
            context,
            subject=f"Could you help move an open issue forward? {item.title} ({item.engagement.name})",
            to=notifications.addresses(people.to) or notifications.addresses(people.cc),
            cc=notifications.addresses(people.cc),
            zone=zone,
            message_id=message_id,
        )
    owner = reminder.recipient or item.owner
    zone = owner.zone
    overdue = reminder.level == Reminder.Level.OVERDUE or moment_has_come(item.due_at, now)
    context = {**_context(item, zone=zone), "recipient_name": notifications.display_name(owner), "overdue": overdue}
    if overdue:
        subject = f"Still open: {item.title} ({item.engagement.name}). Where does it stand?"
    else:
        subject = f"A friendly reminder: \u201c{item.title}\u201d is due {context['due_local']}"
    return notifications.email_message(
        "partnership/email/issue_reminder",
        context,
        subject=subject,
        to=[owner.email],
        zone=zone,
        message_id=message_id,
    )


def _due_for(user_ref, *, now: datetime):
    """The issues a digest lists: owned, still chased, and due today or overdue."""
    return PartnershipItem.objects.filter(CHASED_Q, owner_id=user_ref, remind_at__lte=now)


def digest_section(user: User, *, now: datetime) -> dict | None:
    items = list(_due_for(user.pk, now=now).select_related("engagement").order_by("due_at", "id"))
    if not items:
        return None
    zone = user.zone
    count = len(items)
    return {
        "heading": "Issues you own that are due",
        "summary": f"{count} issue{'s' if count != 1 else ''} of yours due",
        "items": [
            {
                "title": item.title,
                "detail": item.engagement.name,
                "due_local": notifications.local_time(item.due_at, zone),
                "overdue": moment_has_come(item.due_at, now),
                "due_soon": not moment_has_come(item.due_at, now),
                "link": notifications.absolute_url(issue_path(item.pk)),
                "link_label": "Update the issue",
            }
            for item in items
        ],
    }


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
