"""When an issue's reminder ladder steps fall due, from its due date: the one place they are
worked out (raising an issue, moving its due date, the demo's history).

An issue is due at the close of business on its due date in the engagement's calendar; a due date
that is no business day (a weekend, or a public holiday of the engagement's country and region)
falls due on the business day after it. Its owner
is reminded at the opening of that day ("due today"), told when it is overdue, and the escalation
follows the engagement's ``escalation_delay_hours`` business hours later, as for feedback
requests. Calendar settings that cannot work (stored before they were validated) fall back to the
wall clock, as ``feedback.services.request_ladder`` does, so raising an issue never fails on them.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, time, timedelta

from engagements.business_hours import add_business_hours
from engagements.models import Engagement
from feedback.models import LadderStep

logger = logging.getLogger(__name__)


def issue_ladder(*, engagement: Engagement, due_on: date) -> dict:
    """The ladder fields of an open issue due on ``due_on``: ``remind_at``, ``due_at``,
    ``escalate_at``, ``ladder_step`` (none yet) and ``next_step_at`` (the first of them)."""
    try:
        calendar = engagement.business_calendar
        zone = calendar.zone
        business_day = calendar.working_day_on_or_after(due_on)
        remind_at = datetime.combine(business_day, engagement.business_day_start, tzinfo=zone)
        due_at = datetime.combine(business_day, engagement.business_day_end, tzinfo=zone)
        escalate_at = add_business_hours(due_at, engagement.escalation_delay_hours, calendar)
    except (ValueError, OverflowError, LookupError) as error:
        logger.warning("Calendar of engagement %s fell back to the wall clock for an issue: %s", engagement.pk, error)
        due_at = datetime.combine(due_on + timedelta(days=1), time(), tzinfo=UTC)
        remind_at = due_at - timedelta(hours=8)
        escalate_at = due_at + timedelta(hours=engagement.escalation_delay_hours)
    return {
        "remind_at": remind_at,
        "due_at": due_at,
        "escalate_at": escalate_at,
        "ladder_step": LadderStep.NONE,
        "next_step_at": remind_at,
    }


# The fields an issue leaves behind when it stops being chased (resolved or declined).
LADDER_CLEARED = {"next_step_at": None}
