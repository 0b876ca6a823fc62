"""What the two things chased from a due date share: issues (``partnership.chase``) and
implementation tasks (``partnership.implementation_chase``). Each module says what it chases and
in which words; the escalation's people, the email's shape and the digest section are made here,
once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from engagements.models import Engagement
from engagements.selectors import escalation_recipients
from feedback import notifications
from feedback.models import Reminder, moment_has_come


def sides_escalation_people(engagement: Engagement, *, client_owned: bool) -> notifications.EscalationPeople:
    """To the lead of the owner's side, copied to the other side's: the client's escalation
    recipients (the escalation contact, else the client admins) and the account managers."""
    client_side = escalation_recipients(engagement=engagement)
    provider_side = list(engagement.account_managers.filter(is_active=True).order_by("id"))
    to, cc = (client_side, provider_side) if client_owned else (provider_side, client_side)
    return notifications.EscalationPeople(to=to, cc=[person for person in cc if person not in to])


@dataclass(frozen=True)
class DatedWords:
    """The words and templates of one chased kind's emails."""

    template: str  # e.g. "partnership/email/issue_reminder" (the escalation's adds "_escalation")
    escalation_subject: Callable[[Any], str]
    overdue_subject: Callable[[Any], str]
    # The kind's context for a recipient in ``zone``: what its templates name.
    context: Callable[..., dict]
    # Anything more the escalation's template shows (e.g. how long it has waited).
    escalation_context: Callable[[Any, datetime], dict] = lambda subject, now: {}


def dated_reminder_email(subject, reminder: Reminder, *, now: datetime, escalation, words: DatedWords):
    """The owner's reminder (due soon, overdue) or the escalation to their side's lead."""
    message_id = f"reminder-{reminder.pk}-{reminder.level}"
    if reminder.level == Reminder.Level.ESCALATION:
        people = escalation or notifications.EscalationPeople(
            to=[reminder.recipient] if reminder.recipient else [], cc=[]
        )
        lead = (people.to or people.cc)[0]
        zone = lead.zone
        context = {
            **words.context(subject, zone=zone),
            "recipient_name": notifications.display_name(lead) if people.to else "",
            "copied_names": [notifications.display_name(person) for person in people.cc] if people.to else [],
            **words.escalation_context(subject, now),
        }
        return notifications.email_message(
            f"{words.template}_escalation",
            context,
            subject=words.escalation_subject(subject),
            to=notifications.addresses(people.to) or notifications.addresses(people.cc),
            cc=notifications.addresses(people.cc),
            zone=zone,
            message_id=message_id,
        )
    owner = reminder.recipient or subject.owner
    zone = owner.zone
    overdue = reminder.level == Reminder.Level.OVERDUE or moment_has_come(subject.due_at, now)
    context = {
        **words.context(subject, zone=zone),
        "recipient_name": notifications.display_name(owner),
        "overdue": overdue,
    }
    if overdue:
        title = words.overdue_subject(subject)
    else:
        title = f"A friendly reminder: \u201c{subject.title}\u201d is due {context['due_local']}"
    return notifications.email_message(
        words.template, context, subject=title, to=[owner.email], zone=zone, message_id=message_id
    )


def dated_digest_section(
    subjects: list, *, zone, now: datetime, heading: str, summary: str, link: Callable[[Any], str], link_label: str
) -> dict | None:
    """A digest's section of the things a reader owns that are due today or overdue."""
    if not subjects:
        return None
    return {
        "heading": heading,
        "summary": summary,
        "items": [
            {
                "title": subject.title,
                "detail": subject.engagement.name,
                "due_local": notifications.local_time(subject.due_at, zone),
                "overdue": moment_has_come(subject.due_at, now),
                "due_soon": not moment_has_come(subject.due_at, now),
                "link": notifications.absolute_url(link(subject)),
                "link_label": link_label,
            }
            for subject in subjects
        ],
    }
