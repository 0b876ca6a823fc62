"""When the reminder ladder of something due on a date falls due: the one place it is worked out
(an issue's, ``partnership.ladder.issue_ladder``, and an implementation task's).

Something due on a date is due at the close of business on that date in the engagement's calendar;
a due date that is no business day (a weekend, or a public holiday of the engagement's country and
region) falls due on the business day after it. Its owner is reminded at the opening of that day
("due today"), told when it is overdue, and the escalation follows the engagement's
``escalation_delay_hours`` business hours later, as for feedback requests. Calendar settings that
cannot work (stored before they were validated) fall back to the wall clock, as
``feedback.services.request_ladder`` does, so setting a due date never fails on them.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, time, timedelta

from .business_hours import add_business_hours
from .models import Engagement

logger = logging.getLogger(__name__)

# feedback.models.LadderStep.NONE (this app does not import feedback): nothing sent yet.
NOTHING_SENT = 0


def date_ladder(*, engagement: Engagement, due_on: date) -> dict:
    """The ladder fields of something open due on ``due_on``: ``remind_at``, ``due_at``,
    ``escalate_at``, ``ladder_step`` (none yet) and ``next_step_at`` (the first of them)."""
    try:
        calendar = engagement.business_calendar
        zone = calendar.zone
        business_day = calendar.working_day_on_or_after(due_on)
        remind_at = datetime.combine(business_day, engagement.business_day_start, tzinfo=zone)
        due_at = datetime.combine(business_day, engagement.business_day_end, tzinfo=zone)
        escalate_at = add_business_hours(due_at, engagement.escalation_delay_hours, calendar)
    except (ValueError, OverflowError, LookupError) as error:
        logger.warning("Calendar of engagement %s fell back to the wall clock for a due date: %s", engagement.pk, error)
        due_at = datetime.combine(due_on + timedelta(days=1), time(), tzinfo=UTC)
        remind_at = due_at - timedelta(hours=8)
        escalate_at = due_at + timedelta(hours=engagement.escalation_delay_hours)
    return {
        "remind_at": remind_at,
        "due_at": due_at,
        "escalate_at": escalate_at,
        "ladder_step": NOTHING_SENT,
        "next_step_at": remind_at,
    }


# The fields of something no longer chased (done, or without a due date).
LADDER_NONE = {
    "remind_at": None,
    "due_at": None,
    "escalate_at": None,
    "ladder_step": NOTHING_SENT,
    "next_step_at": None,
}
