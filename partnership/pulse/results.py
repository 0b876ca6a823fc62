"""The pulse's results, only ever as aggregates: the one place the threshold is applied.

A group is one survey and one side. Under ``PULSE_MIN_ANSWERS`` answers it has no averages and no
comments (pages, API and CSV say "Not enough answers yet"); at or over it, the averages per
question and the comments, without names, sorted by their text (never in the order given, which
could match who answered when). While a survey is open nothing but its response rate is shown
(``HELD_UNTIL_CLOSED``): an average that moved with each new answer would give that answer away.
No person's score leaves this module: only counts and averages. How many were asked and answered
per side (the response rate) is shown at any size.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.db.models import Avg, Count, Q
from django.utils import timezone

from ..models import PULSE_SCORE_FIELDS, PulseInvitation, PulseResponse, PulseSurvey, Side
from .questions import HELD_UNTIL_CLOSED, NOT_ENOUGH, PULSE_MIN_ANSWERS, SIDE_TITLES, Question, questions_for


@dataclass(frozen=True)
class QuestionResult:
    question: Question
    average: float | None  # None under the threshold, and while the survey is open
    withheld: str = NOT_ENOUGH  # what is said instead of the average

    @property
    def field(self) -> str:
        return self.question.field

    @property
    def label(self) -> str:
        return self.question.label

    @property
    def display(self) -> str:
        return self.withheld if self.average is None else f"{self.average:.1f}"


@dataclass(frozen=True)
class SideResult:
    side: str
    invited: int
    answered: int
    questions: tuple[QuestionResult, ...]
    comments: tuple[str, ...]
    held: bool = False  # the survey is still open: averages and comments wait for it to close

    @property
    def title(self) -> str:
        return SIDE_TITLES[self.side]

    @property
    def enough(self) -> bool:
        return self.answered >= PULSE_MIN_ANSWERS

    @property
    def shown(self) -> bool:
        """Averages and comments are shown: enough answers, and the survey has closed."""
        return self.enough and not self.held

    @property
    def message(self) -> str:
        """What is said instead of the averages ("" when they are shown)."""
        if not self.enough:
            return NOT_ENOUGH
        return HELD_UNTIL_CLOSED if self.held else ""

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
    waiting_on_viewer: bool = False  # pulse_trends: the viewer was asked and has not answered

    @property
    def sides(self) -> tuple[SideResult, SideResult]:
        return (self.client, self.provider)


def _side_result(side: str, *, invited: int, group: dict | None, comments: list[str], held: bool) -> SideResult:
    answered = group["answered"] if group else 0
    enough = answered >= PULSE_MIN_ANSWERS
    shown = enough and not held
    withheld = HELD_UNTIL_CLOSED if enough else NOT_ENOUGH
    questions = tuple(
        QuestionResult(question=question, average=float(group[question.field]) if shown else None, withheld=withheld)
        for question in questions_for(side)
    )
    return SideResult(
        side=side,
        invited=invited,
        answered=answered,
        questions=questions,
        comments=tuple(sorted(comments, key=str.casefold)) if shown else (),
        held=held,
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
    return _results(surveys, invited=invited, with_comments=True)


def _results(
    surveys: list[PulseSurvey], *, invited: dict, with_comments: bool, waiting: frozenset = frozenset()
) -> dict[int, SurveyResult]:
    ids = [survey.pk for survey in surveys]
    now = timezone.now()
    groups = {
        (row["survey_id"], row["side"]): row
        for row in PulseResponse.objects.filter(survey_id__in=ids)
        .values("survey_id", "side")
        .annotate(answered=Count("id"), **{field: Avg(field) for field in PULSE_SCORE_FIELDS})
        .order_by()
    }
    closed = {survey.pk for survey in surveys if survey.closes_at <= now}
    shown = [key for key, group in groups.items() if group["answered"] >= PULSE_MIN_ANSWERS and key[0] in closed]
    comments: dict[tuple[int, str], list[str]] = {}
    if shown and with_comments:
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
            waiting_on_viewer=survey.pk in waiting,
            **{
                side: _side_result(
                    side,
                    invited=invited.get((survey.pk, side), 0),
                    group=groups.get((survey.pk, side)),
                    comments=comments.get((survey.pk, side), []),
                    held=survey.pk not in closed,
                )
                for side in (Side.CLIENT, Side.PROVIDER)
            },
        )
        for survey in surveys
    }


def pulse_trends(*, engagement, last: int = 6, viewer=None) -> list[SurveyResult]:
    """The engagement's last ``last`` surveys, oldest first, with both sides' averages per question
    and response rates (no comments: they are on the pulse page), and whether each waits on
    ``viewer``'s answer: one query when there is no survey, two otherwise, whatever the number of
    surveys and answers. The surveys are read with their invitations, so a survey that asked nobody
    is not among them."""
    latest = PulseSurvey.objects.filter(engagement_id=engagement.pk).order_by("-period_start").values("pk")[:last]
    viewer_id = viewer.pk if viewer is not None and viewer.is_authenticated else None
    rows = (
        PulseInvitation.objects.filter(survey_id__in=latest)
        .values(
            "survey_id", "survey__period_start", "survey__period_label", "survey__sent_at", "survey__closes_at", "side"
        )
        .annotate(invited=Count("id"), waiting=Count("id", filter=Q(person_id=viewer_id, answered_at__isnull=True)))
        .order_by()
    )
    surveys: dict[int, PulseSurvey] = {}
    invited: dict[tuple[int, str], int] = {}
    waiting = set()
    for row in rows:
        surveys.setdefault(
            row["survey_id"],
            PulseSurvey(
                pk=row["survey_id"],
                engagement=engagement,
                period_start=row["survey__period_start"],
                period_label=row["survey__period_label"],
                sent_at=row["survey__sent_at"],
                closes_at=row["survey__closes_at"],
            ),
        )
        invited[(row["survey_id"], row["side"])] = row["invited"]
        if row["waiting"]:
            waiting.add(row["survey_id"])
    if not surveys:
        return []
    ordered = sorted(surveys.values(), key=lambda survey: survey.period_start)
    results = _results(ordered, invited=invited, with_comments=False, waiting=frozenset(waiting))
    return [results[survey.pk] for survey in ordered]


def pulse_waiting_on(*, engagement, viewer, now, last: int = 6, among=None) -> list[PulseSurvey]:
    """The surveys among the engagement's last ``last`` (those ``pulse_trends`` shows) still open
    and waiting on ``viewer``'s answer, newest first: one query. The engagement page asks this for
    the signed-in person apart from its shared results (whose ``waiting_on_viewer`` it leaves aside).

    ``among``: the ids of those last surveys that were open when the caller read them (the
    engagement page keeps them with its shared sections, under the engagement's version, which a
    survey sent bumps); no query when there are none, which is most of the time."""
    if viewer is None or not viewer.is_authenticated:
        return []
    if among is not None:
        latest = list(among)
        if not latest:
            return []
    else:
        latest = PulseSurvey.objects.filter(engagement_id=engagement.pk).order_by("-period_start").values("pk")[:last]
    surveys = list(
        PulseSurvey.objects.filter(
            pk__in=latest,
            closes_at__gt=now,
            invitations__person_id=viewer.pk,
            invitations__answered_at__isnull=True,
        )
        .distinct()
        .order_by("-period_start")
    )
    for survey in surveys:
        survey.engagement = engagement  # the page names it: no query
    return surveys


CSV_HEADER = ["period_start", "period", "side", "invited", "answered", "response_rate", "question", "average"]


def pulse_csv(*, results: list[SurveyResult]) -> str:
    """One row per survey, side and question: the same aggregates as the page, the same threshold
    ("Not enough answers yet", or "Shown when the survey closes", in place of the average), no
    comments and no names."""
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
