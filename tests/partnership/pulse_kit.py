"""Shared setup of the pulse tests: the clock on the first business day of November 2026 (Monday
the 2nd) after 09:00 in both demo zones, and answering helpers."""

from datetime import UTC, datetime

from django.utils import timezone

from partnership.models import PulseInvitation, PulseSurvey
from partnership.pulse import pulse_answer, pulse_surveys_open

# 09:00 in New York (Acme) is 14:00 UTC in November; in Berlin (Globex) 08:00 UTC.
OPENING = datetime(2026, 11, 2, 14, 30, tzinfo=UTC)

CLIENT_SCORES = {"candidate_quality": 4, "communication": 3, "responsiveness": 5, "overall": 4}
PROVIDER_SCORES = {"feedback_speed": 2, "interview_availability": 3, "requirements_clarity": 4, "overall": 3}


def open_surveys() -> dict[int, PulseSurvey]:
    pulse_surveys_open(now=timezone.now())
    return {survey.engagement_id: survey for survey in PulseSurvey.objects.all()}


def invitation(survey, person) -> PulseInvitation:
    return PulseInvitation.objects.select_related("survey").get(survey=survey, person=person)


def answer(survey, person, *, comment: str = "", **scores) -> None:
    invited = invitation(survey, person)
    base = CLIENT_SCORES if invited.side == "client" else PROVIDER_SCORES
    pulse_answer(invitation=invited, scores={**base, **scores}, comment=comment, now=timezone.now())
