"""What the quarterly business review pack holds, read once for the page, the PDF and the CSV.

``review_pack(engagement=, quarter=, now=)`` gathers, for one engagement and one quarter:

1. the mutual scorecard of the quarter (``scorecard_between``) beside those of the three quarters
   before it (the trends), each figure against its target where it has one;
2. the hiring managers' responsiveness in the quarter and the cost of waiting over the 180 days
   to its end;
3. the pulse surveys of the quarter, as the pulse pages show them (aggregates only; held while a
   survey is open, and under the threshold);
4. issues opened and resolved in the quarter, the resolved ones with their resolution, and wins;
5. the implementation checklist at the quarter's end and who has read the current orientation.

The number of queries does not grow with the engagement: each part is a fixed set of aggregates
or capped lists (about 16 per scorecard, and a dozen more). A complete quarter's scorecard and
cost of waiting (part of the scorecard) are kept in the cache under the engagement's version (``engagements.activity``):
whatever changes what they read bumps the version, so a kept one is exactly what would be
computed, and the PDF or CSV downloaded after the page costs no scorecard. The quarter under way
is kept only as long as the live scorecard (``scorecard.CACHE_SECONDS``: its figures move with
the clock), and its cost of waiting is the live one (``feedback.cost_of_waiting``, kept an
hour). A quarter wholly before the engagement started has no scorecard (shown as such, and
costing nothing).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from accounts.models import User
from engagements.activity import engagement_version
from engagements.local_dates import local_date
from engagements.models import Engagement, ImplementationTask
from engagements.selectors import orientation_readers
from feedback.cost_of_waiting import CostOfWaiting
from rpo_portal.cache import cache_get, cache_set

from .. import scorecard as scorecard_module
from ..models import PartnershipItem, PulseSurvey, Side
from ..pulse import PULSE_MIN_ANSWERS, pulse_survey_results
from ..pulse.questions import SIDE_TITLES, questions_for
from ..pulse.results import SurveyResult
from ..scorecard import FIGURES, Figure, HiringManagerRow, Scorecard, scorecard_between
from .charts import Chart, bar_chart
from .quarters import Quarter, engagement_start_day

QUARTERS_SHOWN = 4  # the pack's quarter and the three before it
HIRING_MANAGERS_SHOWN = 25  # slowest first
RESOLVED_SHOWN = 20
WINS_SHOWN = 20
TASKS_SHOWN = 20  # per list (overdue, open)
CACHE_SECONDS = 24 * 3600  # bounds the memory only: the key changes with the engagement's version
CACHE_FORMAT = 1  # part of every key: changed with what is kept

# The figures drawn as quarter-on-quarter charts (all of them are in the tables).
CHARTED_FIGURES = (
    "feedback_on_time_share",
    "feedback_median_turnaround_hours",
    "availability_median_lead_hours",
    "median_days_to_first_submission",
    "submissions_per_requisition",
    "submission_to_interview_ratio",
    "interview_to_offer_ratio",
    "offer_acceptance_share",
    "median_days_to_fill",
)

SECTIONS = (
    ("scorecard", "The mutual scorecard"),
    ("responsiveness", "Hiring managers' responsiveness and the cost of waiting"),
    ("pulse", "Pulse results"),
    ("issues", "Issues and wins"),
    ("implementation", "Implementation and orientation"),
)
SECTION_TITLES = dict(SECTIONS)


# --- Scorecards of whole quarters ---------------------------------------------------------------


def _kept(key: str, engagement: Engagement, compute, *, dump, load, seconds: int = CACHE_SECONDS):
    """``compute()``, kept under ``key`` (the engagement's version in it) for ``seconds``;
    computed, never kept, when the cache cannot be reached."""
    version = engagement_version(engagement.pk)
    if version is None:
        return compute()
    full_key = f"{key}:{version}"
    stored = cache_get(full_key)
    if stored is not None:
        try:
            return load(stored)
        except (KeyError, TypeError, ValueError, AttributeError):
            pass  # not ours, or an older shape: compute afresh
    value = compute()
    cache_set(full_key, dump(value), seconds)
    return value


def quarter_scorecard(*, engagement: Engagement, quarter: Quarter, now: datetime) -> Scorecard:
    """The scorecard of ``quarter`` (up to ``now`` for the quarter under way, kept only as long as
    the live scorecard is: "overdue now" moves with the clock)."""
    start, end = quarter.bounds(engagement.time_zone)
    key = f"review-scorecard:{CACHE_FORMAT}:{scorecard_module.CACHE_FORMAT}:{engagement.pk}:{quarter.key}"
    if end > now:
        return _kept(
            f"{key}:so-far",
            engagement,
            lambda: scorecard_between(engagement=engagement, start=start, end=now),
            dump=Scorecard.to_dict,
            load=lambda data: Scorecard.from_dict(data, engagement=engagement),
            seconds=scorecard_module.CACHE_SECONDS,
        )
    return _kept(
        key,
        engagement,
        lambda: scorecard_between(engagement=engagement, start=start, end=end),
        dump=Scorecard.to_dict,
        load=lambda data: Scorecard.from_dict(data, engagement=engagement),
    )


# --- The pack -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuarterScorecard:
    quarter: Quarter
    scorecard: Scorecard | None  # None: the quarter ended before the engagement started

    def figure(self, key: str) -> Figure | None:
        return self.scorecard.figure(key) if self.scorecard is not None else None


@dataclass(frozen=True)
class FigureRow:
    """One figure of the pack's quarter, with the quarter before it and the four quarters' values."""

    figure: Figure
    previous: Figure | None
    history: tuple[Figure | None, ...]  # oldest first, the pack's quarter last

    @property
    def met_label(self) -> str:
        if self.figure.met is None:
            return ""
        return "Met" if self.figure.met else "Missed"

    @property
    def change(self) -> str:
        """ "better", "worse" or "same" than the quarter before; "" when either was not measured."""
        if self.previous is None or self.previous.value is None or self.figure.value is None:
            return ""
        if self.figure.value == self.previous.value:
            return "same"
        higher = self.figure.value > self.previous.value
        return "better" if higher == (self.figure.better == "higher") else "worse"

    @property
    def previous_display(self) -> str:
        return self.previous.display if self.previous is not None else "—"


@dataclass(frozen=True)
class IssuesSummary:
    opened: int
    resolved: int
    declined: int
    open_at_end: int
    previous_opened: int
    previous_resolved: int
    resolved_items: list[PartnershipItem]
    resolved_more: int  # resolved in the quarter beyond those listed
    wins: int
    previous_wins: int
    win_items: list[PartnershipItem]
    wins_more: int


@dataclass(frozen=True)
class ImplementationSummary:
    as_of: datetime  # the quarter's end (now for the quarter under way)
    total: int
    done: int
    overdue: list[ImplementationTask]
    overdue_more: int
    open: list[ImplementationTask]  # not done, not overdue
    open_more: int

    @property
    def percent_done(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


@dataclass(frozen=True)
class OrientationSummary:
    version: int  # the engagement's orientation_version (0: no note written yet)
    read: list[User]
    not_read: list[User]

    @property
    def people(self) -> int:
        return len(self.read) + len(self.not_read)


@dataclass(frozen=True)
class PulseCell:
    text: str  # the average, or why it is not shown (the pulse's own words)
    shown: bool


@dataclass(frozen=True)
class PulseTable:
    """One side's answers to the quarter's surveys: a row per question, a column per survey."""

    side: str
    title: str
    surveys: list[SurveyResult]
    response_rates: list[str]  # "62% (8 of 13)"
    rows: list[tuple[str, list[PulseCell]]]
    comments: list[tuple[str, tuple[str, ...]]]  # (survey period, its comments), where shown


def pulse_tables(results: list[SurveyResult]) -> list[PulseTable]:
    tables = []
    for side in (Side.CLIENT, Side.PROVIDER):
        groups = [getattr(result, side) for result in results]
        rows = [
            (
                question.label,
                [
                    PulseCell(group.questions[index].display if group.shown else group.message, group.shown)
                    for group in groups
                ],
            )
            for index, question in enumerate(questions_for(side))
        ]
        tables.append(
            PulseTable(
                side=side,
                title=SIDE_TITLES[side],
                surveys=results,
                response_rates=[
                    f"{group.response_rate_display} ({group.answered} of {group.invited})" for group in groups
                ],
                rows=rows,
                comments=[
                    (result.survey.period_label, group.comments)
                    for result, group in zip(results, groups, strict=True)
                    if group.comments
                ],
            )
        )
    return tables


@dataclass(frozen=True)
class ReviewPack:
    engagement: Engagement
    quarter: Quarter
    in_progress: bool  # the quarter under way: figures so far
    starts_at: datetime
    ends_at: datetime  # the quarter's end, or now for the quarter under way
    generated_at: datetime
    quarters: list[QuarterScorecard]  # oldest first, the pack's quarter last
    client_rows: list[FigureRow]
    provider_rows: list[FigureRow]
    charts: list[Chart]
    hiring_managers: list[HiringManagerRow]
    hiring_managers_more: int
    hiring_managers_total: int
    cost_of_waiting: CostOfWaiting
    pulse: list[SurveyResult]
    pulse_min_answers: int
    issues: IssuesSummary
    implementation: ImplementationSummary
    orientation: OrientationSummary

    @property
    def scorecard(self) -> Scorecard:
        return self.quarters[-1].scorecard

    @property
    def previous(self) -> QuarterScorecard:
        return self.quarters[-2]

    @property
    def pulse_tables(self) -> list[PulseTable]:
        return pulse_tables(self.pulse) if self.pulse else []

    @property
    def sections(self) -> tuple[tuple[str, str], ...]:
        return SECTIONS

    @property
    def last_day(self):
        return local_date(self.engagement.time_zone, self.ends_at) if self.in_progress else self.quarter.last_day


def review_pack(*, engagement: Engagement, quarter: Quarter, now: datetime | None = None) -> ReviewPack:
    now = now or timezone.now()
    start, end = quarter.bounds(engagement.time_zone)
    in_progress = end > now
    ends_at = now if in_progress else end
    first_quarter = Quarter.of(engagement_start_day(engagement))

    shown = [quarter]
    while len(shown) < QUARTERS_SHOWN:
        shown.insert(0, shown[0].previous())
    quarters = [
        QuarterScorecard(
            quarter=item,
            scorecard=(
                quarter_scorecard(engagement=engagement, quarter=item, now=now)
                if item >= first_quarter or item == quarter
                else None
            ),
        )
        for item in shown
    ]
    current = quarters[-1].scorecard
    rows = {
        figure.key: FigureRow(
            figure=figure,
            previous=quarters[-2].figure(figure.key),
            history=tuple(item.figure(figure.key) for item in quarters),
        )
        for figure in (*current.client, *current.provider)
    }
    charts = [_chart(rows[key], quarters) for key in CHARTED_FIGURES if key in rows]
    previous_start, _ = quarter.previous().bounds(engagement.time_zone)
    return ReviewPack(
        engagement=engagement,
        quarter=quarter,
        in_progress=in_progress,
        starts_at=start,
        ends_at=ends_at,
        generated_at=now,
        quarters=quarters,
        client_rows=[rows[figure.key] for figure in current.client],
        provider_rows=[rows[figure.key] for figure in current.provider],
        charts=charts,
        hiring_managers=current.hiring_managers[:HIRING_MANAGERS_SHOWN],
        hiring_managers_more=max(0, len(current.hiring_managers) - HIRING_MANAGERS_SHOWN),
        hiring_managers_total=len(current.hiring_managers),
        # The quarter's scorecard computed it (over the 180 days before the quarter's end; the live one
        # for the quarter under way): read there, not computed a second time.
        cost_of_waiting=current.cost_of_waiting,
        pulse=_pulse(engagement, quarter),
        pulse_min_answers=PULSE_MIN_ANSWERS,
        issues=_issues(engagement, start=start, end=ends_at, previous_start=previous_start),
        implementation=_implementation(engagement, end=ends_at),
        orientation=_orientation(engagement, now=now),
    )


def _chart(row: FigureRow, quarters: list[QuarterScorecard]) -> Chart:
    figure = row.figure
    return bar_chart(
        key=figure.key,
        title=figure.label,
        side=figure.side,
        unit=figure.unit,
        points=[
            (item.quarter.label, value.value if value is not None else None)
            for item, value in zip(quarters, row.history, strict=True)
        ],
        target=figure.target,
        target_display=figure.target_display,
    )


def _pulse(engagement: Engagement, quarter: Quarter) -> list[SurveyResult]:
    """The surveys of the quarter (by the period they ask about), oldest first: two or three
    queries whatever their number, none more when there is none."""
    surveys = list(
        PulseSurvey.objects.filter(
            engagement_id=engagement.pk, period_start__gte=quarter.first_day, period_start__lte=quarter.last_day
        ).order_by("period_start")
    )
    results = pulse_survey_results(surveys=surveys)
    return [results[survey.pk] for survey in surveys]


def _issues(engagement: Engagement, *, start: datetime, end: datetime, previous_start: datetime) -> IssuesSummary:
    """Counts in one query; the resolved issues and the wins listed (capped) in three more."""
    Kind, Status = PartnershipItem.Kind, PartnershipItem.Status
    issue, win = Q(kind=Kind.ISSUE), Q(kind=Kind.WIN)
    in_quarter = Q(created_at__gte=start, created_at__lt=end)
    in_previous = Q(created_at__gte=previous_start, created_at__lt=start)
    closed_in_quarter = Q(closed_at__gte=start, closed_at__lt=end)
    counts = PartnershipItem.objects.filter(engagement_id=engagement.pk).aggregate(
        opened=Count("pk", filter=issue & in_quarter),
        resolved=Count("pk", filter=issue & Q(status=Status.RESOLVED) & closed_in_quarter),
        declined=Count("pk", filter=issue & Q(status=Status.DECLINED) & closed_in_quarter),
        open_at_end=Count(
            "pk",
            filter=issue
            & Q(created_at__lt=end)
            & (Q(status__in=PartnershipItem.CHASED_STATUSES) | Q(closed_at__gte=end)),
        ),
        previous_opened=Count("pk", filter=issue & in_previous),
        previous_resolved=Count(
            "pk", filter=issue & Q(status=Status.RESOLVED, closed_at__gte=previous_start, closed_at__lt=start)
        ),
        wins=Count("pk", filter=win & in_quarter),
        previous_wins=Count("pk", filter=win & in_previous),
    )
    resolved = list(
        PartnershipItem.objects.filter(issue & closed_in_quarter, engagement_id=engagement.pk, status=Status.RESOLVED)
        .select_related("owner", "requisition")
        .order_by("closed_at", "id")[:RESOLVED_SHOWN]
    )
    wins = list(
        PartnershipItem.objects.filter(win & in_quarter, engagement_id=engagement.pk)
        .select_related("raised_by")
        .prefetch_related(Prefetch("thanked", queryset=User.objects.order_by("full_name", "email")))
        .order_by("created_at", "id")[:WINS_SHOWN]
    )
    return IssuesSummary(
        opened=counts["opened"],
        resolved=counts["resolved"],
        declined=counts["declined"],
        open_at_end=counts["open_at_end"],
        previous_opened=counts["previous_opened"],
        previous_resolved=counts["previous_resolved"],
        resolved_items=resolved,
        resolved_more=max(0, counts["resolved"] - len(resolved)),
        wins=counts["wins"],
        previous_wins=counts["previous_wins"],
        win_items=wins,
        wins_more=max(0, counts["wins"] - len(wins)),
    )


def _implementation(engagement: Engagement, *, end: datetime) -> ImplementationSummary:
    """The checklist at ``end``: each task done by then or not, and which of the open ones were past
    their due date (the engagement's date). Every task of the checklist counts (a task's
    ``created_at`` is not a reliable "since when": seeded and imported checklists are written
    later than the plan they record). One query: a checklist is a dozen tasks, not a list that
    grows with the engagement's history."""
    end_day = local_date(engagement.time_zone, end)
    tasks = list(
        ImplementationTask.objects.filter(engagement_id=engagement.pk)
        .select_related("owner")
        .order_by("position", "id")
    )
    done = [task for task in tasks if task.completed_at is not None and task.completed_at < end]
    not_done = [task for task in tasks if task.completed_at is None or task.completed_at >= end]
    overdue = [task for task in not_done if task.due_on is not None and task.due_on < end_day]
    open_tasks = [task for task in not_done if not (task.due_on is not None and task.due_on < end_day)]
    return ImplementationSummary(
        as_of=end,
        total=len(tasks),
        done=len(done),
        overdue=overdue[:TASKS_SHOWN],
        overdue_more=max(0, len(overdue) - TASKS_SHOWN),
        open=open_tasks[:TASKS_SHOWN],
        open_more=max(0, len(open_tasks) - TASKS_SHOWN),
    )


def _orientation(engagement: Engagement, *, now: datetime) -> OrientationSummary:
    """Who of the people asked to read the engagement's orientation has read its current version
    (``engagements.selectors.orientation_readers``, the one rule): one query."""
    readers = orientation_readers(engagement=engagement, at=now)
    for reader in readers:  # the template names the version a person read last
        reader.user.read_version = reader.read_version
    return OrientationSummary(
        version=engagement.orientation_version,
        read=[reader.user for reader in readers if reader.has_read],
        not_read=[reader.user for reader in readers if not reader.has_read],
    )


FIGURE_LABELS = tuple(spec.label for spec in FIGURES)
