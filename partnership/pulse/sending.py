"""Sending the pulse: the beat task's work (``partnership.tasks.run_pulse``).

- ``pulse_surveys_open``: for each engagement with a cadence, once its own clock has reached 09:00
  on the first business day of the month (or quarter), open that period's survey. The unique
  (engagement, period_start) is the guard: two overlapping beat runs open one survey, and only
  the run that created it invites anyone, so each person gets one email.
- ``pulse_reminders_send``: one reminder, at most, to those who have not answered
  ``PULSE_REMIND_AFTER`` after the survey was sent, while it is open: claimed with a conditional
  UPDATE of ``reminded_at``, the email keyed per invitation.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q

from accounts.models import User
from engagements.activity import engagement_changed
from engagements.local_dates import engagement_today
from engagements.models import Assignment, Engagement, Requisition
from rpo_portal.outbox import outbox_enqueue

from ..models import PulseInvitation, PulseSurvey, Side
from .questions import PULSE_OPEN_FOR, PULSE_RECENT_DAYS, PULSE_REMIND_AFTER, PULSE_SEND_HOUR

logger = logging.getLogger(__name__)

PULSE_INVITATION_EMAIL = "partnership.pulse_invitation"
PULSE_REMINDER_EMAIL = "partnership.pulse_reminder"
REMINDERS_PER_RUN = 500  # the rest on the next run, a quarter of an hour later

SENT_STATUSES = (Engagement.Status.ACTIVE, Engagement.Status.IMPLEMENTATION)


# --- Periods ------------------------------------------------------------------------------------


def period_start_for(day: date, cadence: str) -> date:
    """The first day of the month, or of the quarter, ``day`` is in."""
    if cadence == Engagement.PulseCadence.QUARTERLY:
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return day.replace(day=1)


def period_label_for(start: date, cadence: str) -> str:
    if cadence == Engagement.PulseCadence.QUARTERLY:
        return f"Q{(start.month - 1) // 3 + 1} {start.year}"
    return f"{start:%B %Y}"


def pulse_opens_at(engagement: Engagement, period_start: date) -> datetime:
    """09:00 in the engagement's zone on the period's first business day (its calendar's weekdays,
    less its public holidays: not on New Year's Day)."""
    calendar = engagement.business_calendar
    day = calendar.working_day_on_or_after(period_start)
    return datetime.combine(day, time(PULSE_SEND_HOUR, 0), tzinfo=calendar.zone)


# --- Opening the period's surveys ---------------------------------------------------------------


def pulse_surveys_open(*, now: datetime) -> list[int]:
    """Open every survey that is due now and not open yet; the ids of those this call opened.

    Two queries when there is nothing to do. A survey is opened in its sending window only (from
    its moment to its close), so an engagement that starts mid-period waits for the next one."""
    due: dict[int, tuple[Engagement, date]] = {}
    engagements = Engagement.objects.filter(status__in=SENT_STATUSES).exclude(pulse_cadence=Engagement.PulseCadence.OFF)
    for engagement in engagements.order_by("pk"):
        start = period_start_for(engagement_today(engagement, now), engagement.pulse_cadence)
        opens_at = pulse_opens_at(engagement, start)
        if opens_at <= now < opens_at + PULSE_OPEN_FOR:
            due[engagement.pk] = (engagement, start)
    if not due:
        return []
    opened = set(
        PulseSurvey.objects.filter(engagement_id__in=due).values_list("engagement_id", "period_start").order_by()
    )
    surveys = []
    for engagement, start in due.values():
        if (engagement.pk, start) in opened:
            continue
        survey = pulse_survey_open(engagement=engagement, period_start=start, now=now)
        if survey is not None:
            surveys.append(survey.pk)
    return surveys


def pulse_survey_open(*, engagement: Engagement, period_start: date, now: datetime) -> PulseSurvey | None:
    """Open one period's survey, invite both sides and record each invitation's email; None when
    the survey is open already (another run got there first: it invited them)."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                survey = PulseSurvey.objects.create(
                    engagement=engagement,
                    period_start=period_start,
                    period_label=period_label_for(period_start, engagement.pulse_cadence),
                    sent_at=now,
                    closes_at=now + PULSE_OPEN_FOR,
                )
        except IntegrityError:
            if not PulseSurvey.objects.filter(engagement=engagement, period_start=period_start).exists():
                raise
            return None
        invitations = PulseInvitation.objects.bulk_create(
            PulseInvitation(survey=survey, person=person, side=side, created_at=now)
            for person, side in pulse_invitees(engagement=engagement, now=now)
        )
        for invitation in invitations:
            outbox_enqueue(
                kind=PULSE_INVITATION_EMAIL,
                key=f"pulse-invitation:{invitation.pk}",
                payload={"invitation_id": invitation.pk},
                recipient=invitation.person,
            )
        engagement_changed(engagement.pk)  # the survey and its response rate, on the engagement page
    logger.info("Pulse %s opened for engagement %s: %d invited.", survey.period_label, engagement.pk, len(invitations))
    return survey


def pulse_invitees(*, engagement: Engagement, now: datetime) -> list[tuple[User, str]]:
    """Who is asked, with their side, in one query:

    - the client: the hiring managers of the engagement's live requisitions (open or on hold, or
      opened or filled in the last ``PULSE_RECENT_DAYS``), and the client's admins;
    - the provider: whoever is assigned to its requisitions now or was in the last
      ``PULSE_RECENT_DAYS`` (recruiters, sourcers), and the engagement's account managers.
    Active accounts only."""
    today = engagement_today(engagement, now)
    recent = today - timedelta(days=PULSE_RECENT_DAYS)
    hiring_managers = Requisition.objects.filter(
        Q(status__in=[Requisition.Status.OPEN, Requisition.Status.ON_HOLD])
        | Q(opened_on__gte=recent)
        | Q(filled_on__gte=recent),
        engagement_id=engagement.pk,
    ).values("hiring_manager_id")
    assigned = Assignment.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=recent), requisition__engagement_id=engagement.pk, starts_on__lte=today
    ).values("recruiter_id")
    managers = Engagement.account_managers.through.objects.filter(engagement_id=engagement.pk).values("user_id")
    client = Q(organization_id=engagement.client_id) & (
        Q(role=User.Role.HIRING_MANAGER, id__in=hiring_managers) | Q(role=User.Role.CLIENT_ADMIN)
    )
    provider = Q(organization_id=engagement.provider_id) & (Q(id__in=assigned) | Q(id__in=managers))
    people = User.objects.filter(client | provider, is_active=True).exclude(email="").order_by("pk")
    return [
        (person, Side.CLIENT if person.organization_id == engagement.client_id else Side.PROVIDER) for person in people
    ]


# --- One reminder -------------------------------------------------------------------------------


def pulse_reminders_send(*, now: datetime) -> int:
    """Record one reminder for each invitation still unanswered ``PULSE_REMIND_AFTER`` after its
    survey was sent, while the survey is open; how many this call recorded.

    Claimed one by one with ``UPDATE ... WHERE reminded_at IS NULL AND answered_at IS NULL``: of
    two overlapping runs, the one whose UPDATE changed the row records the email (and its key,
    ``pulse-reminder:<invitation>``, is unique besides)."""
    due = list(
        PulseInvitation.objects.filter(
            answered_at__isnull=True,
            reminded_at__isnull=True,
            survey__sent_at__lte=now - PULSE_REMIND_AFTER,
            survey__closes_at__gt=now,
        )
        .select_related("person")
        .order_by("pk")[:REMINDERS_PER_RUN]
    )
    recorded = 0
    for invitation in due:
        with transaction.atomic():
            claimed = PulseInvitation.objects.filter(
                pk=invitation.pk, reminded_at__isnull=True, answered_at__isnull=True
            ).update(reminded_at=now)
            if not claimed:
                continue  # answered, or reminded by another run, since the list was read
            outbox_enqueue(
                kind=PULSE_REMINDER_EMAIL,
                key=f"pulse-reminder:{invitation.pk}",
                payload={"invitation_id": invitation.pk},
                recipient=invitation.person,
            )
            recorded += 1
    return recorded
