"""Two-way pulse surveys (issue 10): each period, both sides of an engagement rate the other, and
the results are shown only as aggregates.

- ``questions``: what each side is asked, the 1-5 scale, and the rules in one place (the threshold
  under which a group shows "Not enough answers yet", when a survey closes, when it is reminded).
- ``sending``: the beat's work: open the period's survey and its invitations once, email each
  invitation (outbox), remind once.
- ``answering``: one answer per person (the database's one-to-one is the guard), from the signed
  link or the portal.
- ``results``: the aggregates, pages, API and CSV read: the threshold applied here, and nowhere
  else.
- ``emails``: the invitation and the reminder, built at send time (registered from
  ``PartnershipConfig.ready``, like the link kind ``"pulse"`` in ``links``).
"""

from .answering import pulse_answer, pulse_invitation_for_link, pulse_surveys_waiting_on
from .questions import PULSE_MIN_ANSWERS, questions_for
from .results import SideResult, SurveyResult, pulse_csv, pulse_survey_results, pulse_trends, pulse_waiting_on
from .sending import pulse_reminders_send, pulse_survey_open, pulse_surveys_open

__all__ = [
    "PULSE_MIN_ANSWERS",
    "SideResult",
    "SurveyResult",
    "pulse_answer",
    "pulse_csv",
    "pulse_invitation_for_link",
    "pulse_reminders_send",
    "pulse_survey_open",
    "pulse_survey_results",
    "pulse_surveys_open",
    "pulse_surveys_waiting_on",
    "pulse_trends",
    "pulse_waiting_on",
    "questions_for",
]
