"""Building and sending the emails of the feedback app.

Every message has a plain-text and an HTML part (templates under ``templates/feedback/email/``),
comes from ``DEFAULT_FROM_EMAIL`` with ``EMAIL_REPLY_TO`` as reply-to when set, and shows times in
the recipient's own time zone. Emails that ask something of a client user carry their signed
one-click link. The tone is the product's: a partnership asking for help, never blame.

Each message gets a Message-ID derived from what it is (reminder 42, digest 7, ...), so in the rare
case that a send is repeated after a worker died between the SMTP server accepting it and the row
being marked sent, mail clients that de-duplicate by Message-ID show it once.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import datetime
from email.utils import parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import dateformat, timezone

from accounts.models import User
from engagements.business_hours import describe_business_hours
from engagements.models import Interview
from engagements.selectors import Coverage
from rpo_portal.delivery import send  # noqa: F401  (sending is the same for every email: one home)

from .cost_of_waiting import cost_of_waiting
from .links import response_url
from .models import AvailabilityRequest, Feedback, FeedbackRequest, Reminder, moment_has_come

TIME_FORMAT = "D j M Y, H:i T"


def _site_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def absolute_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def local_time(moment: datetime | None, zone: zoneinfo.ZoneInfo) -> str:
    """A moment as the recipient reads it: "Wed 14 Jan 2026, 15:00 CET"."""
    if moment is None:
        return ""
    return dateformat.format(moment.astimezone(zone), TIME_FORMAT)


def display_name(user: User | None) -> str:
    if user is None:
        return ""
    return user.display_name


def addresses(users) -> list[str]:
    seen: list[str] = []
    for user in users:
        if user is not None and user.email and user.email not in seen:
            seen.append(user.email)
    return seen


def _message(
    template: str,
    context: dict,
    *,
    subject: str,
    to: list[str],
    zone: zoneinfo.ZoneInfo,
    message_id: str,
    cc: list[str] | None = None,
) -> EmailMultiAlternatives:
    return email_message(
        f"feedback/email/{template}", context, subject=subject, to=to, zone=zone, message_id=message_id, cc=cc
    )


def email_message(
    template: str,
    context: dict,
    *,
    subject: str,
    to: list[str],
    zone: zoneinfo.ZoneInfo,
    message_id: str,
    cc: list[str] | None = None,
) -> EmailMultiAlternatives:
    """One email of the reminder engine's kind, from ``template``.txt and .html (a path under
    templates/, e.g. "partnership/email/issue_reminder"): the same sender, reply-to, Message-ID
    domain and time zone rendering for every app's reminders."""
    context = {**context, "site_url": settings.SITE_URL.rstrip("/"), "zone_name": str(zone)}
    # Datetimes rendered in the templates come out in the recipient's zone.
    with timezone.override(zone):
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        cc=[address for address in cc or [] if address not in to],
        reply_to=list(settings.EMAIL_REPLY_TO) or None,
        headers={"Message-ID": f"<{message_id}@{_site_domain()}>"},
    )
    message.attach_alternative(html, "text/html")
    return message


# --- What a request is about ---------------------------------------------------------------------


@dataclass(frozen=True)
class RequestFacts:
    request: FeedbackRequest | AvailabilityRequest
    link_kind: str  # "feedback" or "availability", as feedback.links names them
    candidate: object
    requisition: object
    engagement: object
    topic: str  # "feedback on Ada Lovelace's profile"

    @property
    def asking_for(self) -> str:
        return f"your {self.topic}"

    @property
    def portal_url(self) -> str:
        """The request's page in the portal (needs a login): for people other than the one asked."""
        name = "feedback:feedback-respond" if self.link_kind == "feedback" else "feedback:availability-respond"
        return absolute_url(reverse(name, kwargs={"pk": self.request.pk}))

    def one_click_url(self) -> str:
        """The signed link for the person the request was asked of, and only for them."""
        return response_url(kind=self.link_kind, request_id=self.request.pk, user_id=self.request.requested_of_id)


def request_facts(request: FeedbackRequest | AvailabilityRequest) -> RequestFacts:
    submission = request.submission
    candidate = submission.candidate
    if isinstance(request, FeedbackRequest):
        link_kind = "feedback"
        if request.kind == FeedbackRequest.Kind.INTERVIEW:
            topic = f"feedback after interviewing {candidate.full_name}"
        else:
            topic = f"feedback on {candidate.full_name}'s profile"
    else:
        link_kind = "availability"
        topic = f"interview availability to meet {candidate.full_name}"
    return RequestFacts(
        request=request,
        link_kind=link_kind,
        candidate=candidate,
        requisition=submission.requisition,
        engagement=submission.requisition.engagement,
        topic=topic,
    )


# --- Reminders and escalations -------------------------------------------------------------------


def nudge_line(facts: RequestFacts) -> str:
    """The cost of waiting's one line for a reminder or escalation about feedback ("At Acme,
    candidates who waited over 3 business days for feedback withdrew 3× as often ..."), or "" when
    the engagement's history does not support one, or the request is not for feedback. Computed
    once per engagement and kept for the hour (``cost_of_waiting``), not once per email."""
    if facts.link_kind != "feedback":
        return ""
    return cost_of_waiting(engagement=facts.engagement).nudge_line


@dataclass(frozen=True)
class EscalationPeople:
    """Who an escalation is addressed to and who is copied (decided by ``reminders.delivery``)."""

    to: list[User]
    cc: list[User]


def reminder_email(
    reminder: Reminder, *, now: datetime, escalation: EscalationPeople | None = None
) -> EmailMultiAlternatives:
    request = reminder.request
    facts = request_facts(request)
    asked = request.requested_of
    if reminder.level == Reminder.Level.ESCALATION:
        return _escalation_email(reminder, facts, now=now, people=escalation)
    recipient = reminder.recipient or asked
    zone = recipient.zone
    overdue = reminder.level == Reminder.Level.OVERDUE or request.is_overdue_at(now)
    context = {
        "recipient": recipient,
        "recipient_name": display_name(recipient),
        "facts": facts,
        "level": reminder.level,
        "overdue": overdue,
        "due_local": local_time(request.due_at, zone),
        "asked_local": local_time(request.created_at, zone),
        "link": facts.one_click_url(),
        "link_days": settings.RESPONSE_LINK_MAX_AGE_DAYS,
        # Due soon and overdue reminders, not the request itself.
        "nudge_line": nudge_line(facts) if reminder.level != Reminder.Level.REQUESTED else "",
    }
    candidate, requisition = facts.candidate.full_name, facts.requisition.code
    if reminder.level == Reminder.Level.REQUESTED:
        template = "request"
        if facts.link_kind == "availability":
            subject = f"When could you meet {candidate}? ({requisition})"
        else:
            subject = f"Your feedback on {candidate} ({requisition}), by {context['due_local']}"
    elif overdue:
        template = "reminder"
        subject = f"Still hoping for {facts.asking_for} ({requisition})"
    else:
        template = "reminder"
        subject = f"A friendly reminder: {facts.asking_for} by {context['due_local']}"
    return _message(
        template,
        context,
        subject=subject,
        to=[recipient.email],
        zone=zone,
        message_id=f"reminder-{reminder.pk}-{reminder.level}",
    )


def _escalation_email(
    reminder: Reminder, facts: RequestFacts, *, now: datetime, people: EscalationPeople | None
) -> EmailMultiAlternatives:
    request = facts.request
    people = people or EscalationPeople(to=[reminder.recipient] if reminder.recipient else [], cc=[])
    to = addresses(people.to) or addresses(people.cc)
    lead = (people.to or people.cc)[0]
    zone = lead.zone
    asked = request.requested_of
    context = {
        "recipient": lead,
        "recipient_name": display_name(lead) if people.to else "",
        "facts": facts,
        "asked_name": display_name(asked),
        "asked_local": local_time(request.created_at, zone),
        "due_local": local_time(request.due_at, zone),
        "has_client_contact": bool(people.to),
        "copied_names": [display_name(person) for person in people.cc] if people.to else [],
        "portal_url": facts.portal_url,
        "waiting_days": max((now - request.due_at).days, 0),
        "nudge_line": nudge_line(facts),
    }
    subject = (
        f"Could you help? A request to {display_name(asked)} has been waiting since "
        f"{local_time(request.created_at, zone)} "
        f"({facts.requisition.code})"
    )
    return _message(
        "escalation",
        context,
        subject=subject,
        to=to,
        cc=addresses(people.cc),
        zone=zone,
        message_id=f"reminder-{reminder.pk}-{reminder.level}",
    )


# --- The daily digest ------------------------------------------------------------------------------


def digest_email(
    *, digest, user: User, requests: list, now: datetime, sections: list[dict] = ()
) -> EmailMultiAlternatives:
    """The day's digest: the requests asked of ``user``, then ``sections`` from the other chased
    kinds (``reminders.subjects``), each {"heading", "summary" (for the subject line), "items":
    [{"title", "detail", "due_local", "overdue", "due_soon", "link", "link_label"}]}."""
    zone = user.zone
    items = []
    for request in requests:
        facts = request_facts(request)
        items.append(
            {
                "facts": facts,
                "due_local": local_time(request.due_at, zone),
                "overdue": request.is_overdue_at(now),
                "due_soon": not request.is_overdue_at(now) and moment_has_come(request.remind_at, now),
                "link": facts.one_click_url(),
            }
        )
    overdue = sum(1 for item in items if item["overdue"])
    context = {
        "recipient_name": display_name(user),
        "items": items,
        "overdue_count": overdue,
        "local_date": digest.local_date,
        "link_days": settings.RESPONSE_LINK_MAX_AGE_DAYS,
        "digest_hour": f"{user.digest_hour:02d}:00",
        "settings_url": absolute_url(reverse("accounts:settings")),
        "sections": sections,
    }
    overdue += sum(1 for section in sections for item in section["items"] if item["overdue"])
    context["overdue_count"] = overdue
    count = len(items)
    parts = [f"{count} request{'s' if count != 1 else ''} waiting on you"] if count else []
    parts += [section["summary"] for section in sections]
    subject = f"Your portal summary for {dateformat.format(digest.local_date, 'D j M')}: " + " and ".join(parts)
    return _message("digest", context, subject=subject, to=[user.email], zone=zone, message_id=f"digest-{digest.pk}")


# --- Telling the recruiter, and interview invitations -----------------------------------------------


def feedback_received_email(feedback: Feedback, *, coverage: Coverage) -> EmailMultiAlternatives:
    recruiter = coverage.recruiter
    request = feedback.request
    facts = request_facts(request)
    zone = recruiter.zone
    reasons = dict(Feedback.Reason.choices)
    context = {
        "recipient_name": display_name(recruiter),
        "feedback": feedback,
        "facts": facts,
        "given_by": display_name(feedback.given_by or request.requested_of),
        "given_local": local_time(feedback.created_at, zone),
        "reasons": [reasons.get(code, code) for code in feedback.reasons],
        "covering_for": display_name(coverage.primary) if coverage.primary_is_away else "",
        "portal_url": facts.portal_url,
    }
    subject = (
        f"{display_name(feedback.given_by or request.requested_of)} answered on {facts.candidate.full_name}: "
        f"{feedback.get_decision_display()} ({facts.requisition.code})"
    )
    return _message(
        "feedback_received",
        context,
        subject=subject,
        to=[recruiter.email],
        zone=zone,
        message_id=f"feedback-{feedback.pk}",
    )


def slots_offered_email(
    availability_request: AvailabilityRequest, *, slots: list, coverage: Coverage
) -> EmailMultiAlternatives:
    """The covering recruiter hears that slots are offered, with a link straight to booking and a
    warning beside each slot outside the engagement's business hours (``slots`` come marked)."""
    recruiter = coverage.recruiter
    facts = request_facts(availability_request)
    zone = recruiter.zone
    offered_by = display_name(availability_request.requested_of)
    context = {
        "recipient_name": display_name(recruiter),
        "facts": facts,
        "offered_by": offered_by,
        "offered_local": local_time(availability_request.answered_at, zone),
        "slots": [
            {
                "starts_local": dateformat.format(slot.starts_at.astimezone(zone), "D j M Y, H:i"),
                "ends_local": dateformat.format(slot.ends_at.astimezone(zone), "H:i T"),
                "outside_business_hours": slot.outside_business_hours,
                "business_local": slot.business_local,
            }
            for slot in slots
        ],
        "any_outside": any(slot.outside_business_hours for slot in slots),
        "business_hours": describe_business_hours(facts.engagement.business_calendar),
        "covering_for": display_name(coverage.primary) if coverage.primary_is_away else "",
        "booking_url": absolute_url(reverse("feedback:availability-book", kwargs={"pk": availability_request.pk})),
    }
    subject = f"{offered_by} offered interview slots for {facts.candidate.full_name} ({facts.requisition.code})"
    return _message(
        "slots_offered",
        context,
        subject=subject,
        to=[recruiter.email],
        zone=zone,
        message_id=f"slots-offered-{availability_request.pk}",
    )


def interview_calendar(interview: Interview, *, attendees: list[User], now: datetime) -> bytes:
    """The .ics invitation (METHOD:REQUEST), the same file for every attendee.

    The UID is stable per interview, so a repeated or updated invitation updates the calendar
    entry instead of adding a second one.
    """
    from icalendar import Calendar, Event, vCalAddress, vText

    submission = interview.submission
    requisition = submission.requisition
    organizer_name, organizer_address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    calendar = Calendar()
    calendar.add("prodid", "-//RPO Partnership Portal//Interviews//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "REQUEST")
    event = Event()
    event.add("uid", f"interview-{interview.pk}@{_site_domain()}")
    event.add("dtstamp", now.astimezone(zoneinfo.ZoneInfo("UTC")))
    event.add("dtstart", interview.starts_at.astimezone(zoneinfo.ZoneInfo("UTC")))
    event.add("dtend", interview.ends_at.astimezone(zoneinfo.ZoneInfo("UTC")))
    event.add("sequence", 0)
    event.add("status", "CONFIRMED")
    event.add("summary", f"Interview: {submission.candidate.full_name} for {requisition.code} {requisition.title}")
    if interview.location:
        event.add("location", interview.location)
    event.add("description", f"Interview booked through the RPO Partnership Portal ({requisition.engagement.name}).")
    organizer = vCalAddress(f"mailto:{organizer_address or 'portal@localhost'}")
    organizer.params["cn"] = vText(organizer_name or "RPO Partnership Portal")
    event["organizer"] = organizer
    for person in attendees:
        attendee = vCalAddress(f"mailto:{person.email}")
        attendee.params["cn"] = vText(display_name(person))
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        attendee.params["partstat"] = vText("NEEDS-ACTION")
        attendee.params["rsvp"] = vText("TRUE")
        event.add("attendee", attendee, encode=0)
    calendar.add_component(event)
    return calendar.to_ical()


def interview_invitation_emails(
    interview: Interview, *, attendees: list[User], recruiter: User | None, now: datetime
) -> list[EmailMultiAlternatives]:
    """One invitation per attendee (each with times in their own zone), all with the same .ics."""
    submission = interview.submission
    requisition = submission.requisition
    ics = interview_calendar(interview, attendees=attendees, now=now)
    messages = []
    for person in attendees:
        zone = person.zone
        context = {
            "recipient_name": display_name(person),
            "interview": interview,
            "candidate": submission.candidate,
            "requisition": requisition,
            "engagement": requisition.engagement,
            "starts_local": local_time(interview.starts_at, zone),
            "ends_local": dateformat.format(interview.ends_at.astimezone(zone), "H:i T"),
            "others": [display_name(other) for other in attendees if other.pk != person.pk],
            "recruiter_name": display_name(recruiter),
            "is_recruiter": recruiter is not None and person.pk == recruiter.pk,
        }
        subject = (
            f"Interview booked: {submission.candidate.full_name} ({requisition.code}), "
            f"{local_time(interview.starts_at, zone)}"
        )
        message = _message(
            "interview_invitation",
            context,
            subject=subject,
            to=[person.email],
            zone=zone,
            message_id=f"interview-{interview.pk}-{person.pk}",
        )
        message.attach("invitation.ics", ics, "text/calendar")
        messages.append(message)
    return messages
