"""What each side is asked, and the rules of the pulse, each in one place."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from ..models import Side

# A group (one survey, one side) with fewer answers than this shows "Not enough answers yet"
# everywhere: pages, API and CSV. Under it, an average or a comment could point at a person.
PULSE_MIN_ANSWERS = 3
NOT_ENOUGH = "Not enough answers yet"
# While a survey is open its averages are held back, whatever the number of answers: watching an
# average move as the answered count goes from 3 to 4 would tell the watcher the fourth person's
# score. The response rate is shown throughout.
HELD_UNTIL_CLOSED = "Shown when the survey closes"

# A survey is open this long after it is sent; its links then say "This survey has closed".
PULSE_OPEN_FOR = timedelta(days=14)
# One reminder, to those who have not answered this long after the survey was sent.
PULSE_REMIND_AFTER = timedelta(days=5)
# Sent at this local hour on the first business day of the month or quarter.
PULSE_SEND_HOUR = 9
# Recruiters and sourcers whose assignment on the engagement ended within this many days are asked too.
PULSE_RECENT_DAYS = 90

SCALE = (
    (1, "Poor"),
    (2, "Fair"),
    (3, "Good"),
    (4, "Very good"),
    (5, "Excellent"),
)


@dataclass(frozen=True)
class Question:
    field: str  # the PulseResponse column
    label: str  # as the person answering reads it


# The client's hiring managers and admins rate the provider...
CLIENT_QUESTIONS = (
    Question("candidate_quality", "Quality of the candidates put forward"),
    Question("communication", "Communication from the recruiting team"),
    Question("responsiveness", "Responsiveness of the recruiting team"),
    Question("overall", "Overall, the partnership this period"),
)
# ...and the provider's recruiters, sourcers and account managers rate the client.
PROVIDER_QUESTIONS = (
    Question("feedback_speed", "Speed of the hiring managers' feedback"),
    Question("interview_availability", "Availability for interviews"),
    Question("requirements_clarity", "Clarity of the requirements"),
    Question("overall", "Overall, the partnership this period"),
)

SIDE_TITLES = {
    Side.CLIENT: "The client rates the provider",
    Side.PROVIDER: "The provider rates the client",
}


def questions_for(side: str) -> tuple[Question, ...]:
    return CLIENT_QUESTIONS if side == Side.CLIENT else PROVIDER_QUESTIONS
