"""The pulse's results, only ever as aggregates: the one place the threshold is applied.

A group is one survey and one side. Under ``PULSE_MIN_ANSWERS`` answers it has no averages and no
comments (pages, API and CSV say "Not enough answers yet"); at or over it, the averages per
question and the comments, without names, sorted by their text (never in the order given, which
could match who answered when). No person's score leaves this module: only counts and averages.
How many were asked and answered per side (the response rate) is shown at any size.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.db.models import Avg, Count

from ..models import PulseInvitation, PulseResponse, PulseSurvey, Side
from .questions import NOT_ENOUGH, PULSE_MIN_ANSWERS, SIDE_TITLES, Question, questions_for

SCORE_FIELDS = (
    "candidate_quality",
    "communication",
    "responsiveness",
    "feedback_speed",
    "interview_availability",
    "requirements_clarity",
    "overall",
)


@dataclass(frozen=True)
class QuestionResult:
    question: Question
    average: float | None  # None under the threshold

    @property
    def field(self) -> str:
        return self.question.field

    @property
    def label(self) -> str:
        return self.question.label

    @property
    def display(self) -> str:
        return NOT_ENOUGH if self.average is None else f"{self.average:.1f}"


@dataclass(frozen=True)
class SideResult:
    side: str
    invited: int
    answered: int
    questions: tuple[QuestionResult, ...]
    comments: tuple[str, ...]

    @property
    def title(self) -> str:
        return SIDE_TITLES[self.side]

    @property
    def enough(self) -> bool:
        return self.answered >= PULSE_MIN_ANSWERS

    @property
    def response_rate(self) -> float | None:
        return self.answered / self.invited if self.invited else None

    @property
    def response_rate_display(self) -> str:
        rate = self.response_rate
        return "—" if rate is None else f"{round(rate * 100)}%"

    @property
    def overall(self) -> QuestionResult:
        return next(result for result in self.questions if result.field == "overall")


@dataclass(frozen=True)
class SurveyResult:
    survey: PulseSurvey
    client: SideResult
    provider: SideResult

    @property
    def sides(self) -> tuple[SideResult, SideResult]:
        return (self.client, self.provider)


def _side_result(side: str, *, invited: int, group: dict | None, comments: list[str]) -> SideResult:
    answered = group["answered"] if group else 0
    enough = answered >= PULSE_MIN_ANSWERS
    questions = tuple(
        QuestionResult(question=question, average=float(group[question.field]) if enough else None)
        for question in questions_for(side)
    )
    return SideResult(
        side=side,
        invited=invited,
        answered=answered,
        questions=questions,
        comments=tuple(sorted(comments, key=str.casefold)) if enough else (),
    )


def pulse_survey_results(*, surveys: list[PulseSurvey]) -> dict[int, SurveyResult]:
    """Each survey's two groups, in three queries whatever the number of surveys (two when no
    group has enough answers to show its comments)."""
    ids = [survey.pk for survey in surveys]
    if not ids:
        return {}
    invited = {
        (row["survey_id"], row["side"]): row["invited"]
        for row in PulseInvitation.objects.filter(survey_id__in=ids)
        .values("survey_id", "side")
        .annotate(invited=Count("id"))
        .order_by()
    }
    groups = {
        (row["survey_id"], row["side"]): row
        for row in PulseResponse.objects.filter(survey_id__in=ids)
        .values("survey_id", "side")
        .annotate(answered=Count("id"), **{field: Avg(field) for field in SCORE_FIELDS})
        .order_by()
    }
    shown = [key for key, group in groups.items() if group["answered"] >= PULSE_MIN_ANSWERS]
    comments: dict[tuple[int, str], list[str]] = {}
    if shown:
        rows = (
            PulseResponse.objects.filter(survey_id__in={survey_id for survey_id, _side in shown})
            .exclude(comment="")
            .values_list("survey_id", "side", "comment")
            .order_by()
        )
        for survey_id, side, comment in rows:
            comments.setdefault((survey_id, side), []).append(comment)
    return {
        survey.pk: SurveyResult(
            survey=survey,
            **{
                side: _side_result(
                    side,
                    invited=invited.get((survey.pk, side), 0),
                    group=groups.get((survey.pk, side)),
                    comments=comments.get((survey.pk, side), []),
                )
                for side in (Side.CLIENT, Side.PROVIDER)
            },
        )
        for survey in surveys
    }


def pulse_trends(*, engagement, last: int = 6) -> list[SurveyResult]:
    """The engagement's last ``last`` surveys, oldest first, with both sides' averages per question
    and response rates: four queries, whatever the number of surveys and answers."""
    surveys = list(PulseSurvey.objects.filter(engagement_id=engagement.pk).order_by("-period_start")[:last])
    results = pulse_survey_results(surveys=surveys)
    return [results[survey.pk] for survey in reversed(surveys)]


CSV_HEADER = ["period_start", "period", "side", "invited", "answered", "response_rate", "question", "average"]


def pulse_csv(*, results: list[SurveyResult]) -> str:
    """One row per survey, side and question: the same aggregates as the page, the same threshold
    ("Not enough answers yet" in place of the average), no comments and no names."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for result in results:
        for side in result.sides:
            rate = "" if side.response_rate is None else f"{side.response_rate:.2f}"
            for question in side.questions:
                writer.writerow(
                    [
                        result.survey.period_start.isoformat(),
                        result.survey.period_label,
                        side.title,
                        side.invited,
                        side.answered,
                        rate,
                        question.label,
                        question.display,
                    ]
                )
    return out.getvalue()
