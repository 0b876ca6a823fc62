"""What a scorecard is made of, the figures' definitions, and how they are shown."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from accounts.models import User
from engagements.models import Engagement

WINDOWS = (30, 90)  # the allowed ?days= values


@dataclass(frozen=True)
class Figure:
    key: str  # e.g. "feedback_on_time_share"
    side: str  # "client" | "provider"
    label: str  # "Feedback on time"
    definition: str  # one line shown next to the figure
    value: float | None  # None when there is nothing to measure in the window
    unit: str  # "percent" (0..100) | "hours" | "days" | "count" | "ratio"
    display: str  # formatted for people: "82%", "6.5 h", "3.2 days", "4", "—"
    better: str  # "higher" | "lower"


@dataclass(frozen=True)
class Health:
    status: str  # "on_track" | "at_risk" | "off_track"
    label: str  # "On track" | "At risk" | "Off track"
    reason: str  # one sentence naming the figure(s) that decided it


@dataclass(frozen=True)
class WeekPoint:
    week_start: date  # Monday, engagement's time zone
    values: dict[str, float | None]  # figure key -> value that week, for the keys in Scorecard.charted


@dataclass(frozen=True)
class HiringManagerRow:
    user: User
    requests: int  # feedback requests asked of them in the window
    answered: int  # ... of which answered
    answered_on_time: int  # ... of which answered by their due time
    on_time_share: float | None  # answered_on_time / those asked in the window that are answered or past due
    median_turnaround_hours: float | None  # of those answered
    open_now: int  # open feedback requests now, whenever asked
    overdue_now: int  # ... of which past their due time


@dataclass(frozen=True)
class OverdueItem:
    side: str  # "client" | "provider"
    kind: str  # "feedback" | "availability" | "booking" | "implementation_task" | "requisition"
    title: str
    who: User | None  # who it waits on
    due_at: datetime  # when it was due
    url_name: str | None
    url_pk: int | None


@dataclass(frozen=True)
class Scorecard:
    engagement: Engagement
    days: int
    starts_at: datetime
    ends_at: datetime
    client: list[Figure]
    provider: list[Figure]
    health: Health
    charted: list[str]  # figure keys drawn as weekly trends
    weeks: list[WeekPoint]  # oldest first, covering the window
    hiring_managers: list[HiringManagerRow]  # slowest first
    overdue: list[OverdueItem]  # both sides, longest overdue first (capped at OVERDUE_LIST_LIMIT)
    overdue_total: dict[str, int]  # {"client": n, "provider": m}
    escalations: int  # escalations sent in the window

    def figure(self, key: str) -> Figure:
        return next(figure for figure in (*self.client, *self.provider) if figure.key == key)


@dataclass(frozen=True)
class FigureSpec:
    key: str
    side: str
    label: str
    definition: str
    unit: str
    better: str


# The one place where each figure is defined; the definitions are shown on the page and in the CSV.
FIGURES: tuple[FigureSpec, ...] = (
    FigureSpec(
        "feedback_on_time_share",
        "client",
        "Feedback on time",
        "Share of feedback requests due in the window that were answered by their due time.",
        "percent",
        "higher",
    ),
    FigureSpec(
        "feedback_median_turnaround_hours",
        "client",
        "Median feedback turnaround",
        "Median wall-clock hours from a feedback request to its answer, for answers given in the window.",
        "hours",
        "lower",
    ),
    FigureSpec(
        "availability_median_lead_hours",
        "client",
        "Availability lead time",
        "Median wall-clock hours from an availability request to the interview slots offered, "
        "for slots offered in the window.",
        "hours",
        "lower",
    ),
    FigureSpec(
        "interview_no_shows",
        "client",
        "Interview no-shows",
        "Interviews starting in the window marked as a no-show.",
        "count",
        "lower",
    ),
    FigureSpec(
        "interview_reschedules",
        "client",
        "Interview reschedules",
        "Times the interviews starting in the window were moved to another time.",
        "count",
        "lower",
    ),
    FigureSpec(
        "overdue_now",
        "client",
        "Overdue now",
        "Feedback and availability requests open past their due time now, plus client-owned "
        "implementation tasks past their due date.",
        "count",
        "lower",
    ),
    FigureSpec(
        "escalations",
        "client",
        "Escalations",
        "Escalations about overdue requests sent to the client's champion in the window.",
        "count",
        "lower",
    ),
    FigureSpec(
        "median_days_to_first_submission",
        "provider",
        "Median time to first submission",
        "Median days from a requisition's opening date to its first submission, for first submissions "
        "made in the window (dates in the engagement's time zone).",
        "days",
        "lower",
    ),
    FigureSpec(
        "submissions_per_requisition",
        "provider",
        "Submissions per requisition",
        "Submissions made in the window divided by the requisitions open during it (opened by its end, "
        "and open, on hold, or filled since it began).",
        "ratio",
        "higher",
    ),
    FigureSpec(
        "submission_to_interview_ratio",
        "provider",
        "Submission → interview",
        "Candidates moved to interview in the window as a share of the submissions made in the window.",
        "percent",
        "higher",
    ),
    FigureSpec(
        "interview_to_offer_ratio",
        "provider",
        "Interview → offer",
        "Offers made in the window as a share of the candidates moved to interview in the window.",
        "percent",
        "higher",
    ),
    FigureSpec(
        "offer_acceptance_share",
        "provider",
        "Offer acceptance",
        "Offers that ended in a hire as a share of the offers decided in the window (hired, rejected or withdrawn).",
        "percent",
        "higher",
    ),
    FigureSpec(
        "median_days_to_fill",
        "provider",
        "Median time to fill",
        "Median days from a requisition's opening date to its filled date, for requisitions filled in the window.",
        "days",
        "lower",
    ),
)
FIGURE_SPECS = {spec.key: spec for spec in FIGURES}

# Drawn as weekly trends (each week computed like the figure, over that week's part of the window).
CHARTED = (
    "feedback_on_time_share",
    "feedback_median_turnaround_hours",
    "submission_to_interview_ratio",
    "interview_to_offer_ratio",
)


def display(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "percent":
        # One decimal, so a share just under a health threshold does not show as the threshold
        # itself ("59.7%", not "60%", beside "below 60%"); the health rules judge this same value.
        return f"{round(value, 1):g}%"
    if unit == "hours":
        return f"{value:.1f} h"
    if unit == "days":
        return "1 day" if value == 1 else f"{value:.1f} days".replace(".0 days", " days")
    if unit == "count":
        return f"{int(value)}"
    return f"{value:.1f}"


def make_figure(key: str, value: float | None) -> Figure:
    spec = FIGURE_SPECS[key]
    if value is not None:
        value = float(int(value)) if spec.unit == "count" else round(float(value), 2)
    return Figure(
        key=key,
        side=spec.side,
        label=spec.label,
        definition=spec.definition,
        value=value,
        unit=spec.unit,
        display=display(value, spec.unit),
        better=spec.better,
    )


def share(part: int | None, whole: int | None) -> float | None:
    """``part`` as a percentage of ``whole``; None when there is nothing to measure."""
    if not whole:
        return None
    return round(100.0 * (part or 0) / whole, 2)


def ratio(part: int | None, whole: int | None) -> float | None:
    if not whole:
        return None
    return round((part or 0) / whole, 2)
