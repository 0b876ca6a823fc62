"""When an issue's reminder ladder steps fall due, from its due date (raising an issue, moving its
due date, the demo's history). The rule is ``engagements.ladder.date_ladder``, which chases
implementation tasks too:

An issue is due at the close of business on its due date in the engagement's calendar; a due date
that is no business day (a weekend, or a public holiday of the engagement's country and region)
falls due on the business day after it. Its owner
is reminded at the opening of that day ("due today"), told when it is overdue, and the escalation
follows the engagement's ``escalation_delay_hours`` business hours later, as for feedback
requests. Calendar settings that cannot work (stored before they were validated) fall back to the
wall clock, as ``feedback.services.request_ladder`` does, so raising an issue never fails on them.
"""

from __future__ import annotations

from datetime import date

from engagements.ladder import date_ladder
from engagements.models import Engagement
from feedback.models import LadderStep


def issue_ladder(*, engagement: Engagement, due_on: date) -> dict:
    """The ladder fields of an open issue due on ``due_on``: ``remind_at``, ``due_at``,
    ``escalate_at``, ``ladder_step`` (none yet) and ``next_step_at`` (the first of them). The rule is
    ``engagements.ladder.date_ladder``'s, which implementation tasks are chased by too."""
    return {**date_ladder(engagement=engagement, due_on=due_on), "ladder_step": LadderStep.NONE}


# The fields an issue leaves behind when it stops being chased (resolved or declined).
LADDER_CLEARED = {"next_step_at": None}
