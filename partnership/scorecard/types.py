"""What a scorecard is made of, the figures' definitions, and how they are shown.

A scorecard is plain values all the way down, so that it can be kept in the cache as JSON
(``Scorecard.to_dict`` / ``Scorecard.from_dict``; dates and times as ISO 8601 strings): people
are ``Person`` values (id, name, email), not ``User`` rows, and the engagement is stored as its id
and re-attached from the caller's engagement when read back.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from typing import Any

from accounts.models import User
from engagements.models import Engagement
from feedback.cost_of_waiting import CostOfWaiting

WINDOWS = (30, 90)  # the allowed ?days= values


def _time_out(value: datetime) -> str:
    return value.astimezone(UTC).isoformat()


def _time_in(text: str) -> datetime:
    return datetime.fromisoformat(text)


@dataclass(frozen=True)
class Person:
    """Someone a scorecard names: what the pages, the CSV and the API show of them."""

    id: int
    full_name: str
    email: str

    @property
    def display_name(self) -> str:
        return User.display_name_of(self.full_name, self.email)

    @classmethod
    def of(cls, user: User | Person | None) -> Person | None:
        if user is None or isinstance(user, Person):
            return user
        return cls(id=user.pk, full_name=user.full_name, email=user.email)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Person | None:
        return None if data is None else cls(id=data["id"], full_name=data["full_name"], email=data["email"])


@dataclass(frozen=True)
class Figure:
    key: str  # e.g. "feedback_on_time_share"
    side: str  # "client" | "provider"
    label: str  # "Feedback on time"
    definition: str  # one line shown next to the figure
    value: float | None  # None when there is nothing to measure in the window
    unit: str  # "percent" (0..100) | "hours" | "days" | "business_days" | "count" | "ratio"
    display: str  # formatted for people: "82%", "6.5 h", "3.2 days", "2.5 business days", "4", "—"
    better: str  # "higher" | "lower"
    # Against the engagement's target for it (``partnership.scorecard.targets``), where it has one:
    # the target's value and how it reads ("at most 5 business days"), and whether it was met (None:
    # no target, or nothing measured).
    target: float | None = None
    target_display: str = ""
    met: bool | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Figure:
        return cls(**data)


@dataclass(frozen=True)
class Health:
    status: str  # "on_track" | "at_risk" | "off_track"
    label: str  # "On track" | "At risk" | "Off track"
    reason: str  # one sentence naming the figure(s) that decided it

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Health:
        return cls(**data)


@dataclass(frozen=True)
class WeekPoint:
    week_start: date  # Monday, engagement's time zone
    values: dict[str, float | None]  # figure key -> value that week, for the keys in Scorecard.charted
    # The week under way (it holds the window's end): shown as "this week so far", never setting a
    # chart's scale, since a few early answers make it swing (three late ones read 233.8 h).
    partial: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"week_start": self.week_start.isoformat(), "values": dict(self.values), "partial": self.partial}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> WeekPoint:
        return cls(
            week_start=date.fromisoformat(data["week_start"]),
            values=dict(data["values"]),
            partial=bool(data.get("partial", False)),  # a dict cached before the flag: a complete week
        )


@dataclass(frozen=True)
class HiringManagerRow:
    user: Person  # given a User, keeps its Person
    requests: int  # feedback requests asked of them in the window
    answered: int  # ... of which answered
    answered_on_time: int  # ... of which answered by their due time
    on_time_share: float | None  # answered_on_time / those asked in the window that are answered or past due
    median_turnaround_hours: float | None  # of those answered
    open_now: int  # open feedback requests now, whenever asked
    overdue_now: int  # ... of which past their due time

    def __post_init__(self):
        object.__setattr__(self, "user", Person.of(self.user))

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "user": self.user.to_dict()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> HiringManagerRow:
        return cls(**{**data, "user": Person.from_dict(data["user"])})


@dataclass(frozen=True)
class OverdueItem:
    side: str  # "client" | "provider"
    kind: str  # "feedback" | "availability" | "booking" | "implementation_task" | "requisition"
    title: str
    who: Person | None  # who it waits on (given a User, keeps its Person)
    due_at: datetime  # when it was due
    url_name: str | None
    url_pk: int | None

    def __post_init__(self):
        object.__setattr__(self, "who", Person.of(self.who))

    def to_dict(self) -> dict[str, Any]:
        who = self.who.to_dict() if self.who is not None else None
        return {**asdict(self), "who": who, "due_at": _time_out(self.due_at)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> OverdueItem:
        return cls(**{**data, "who": Person.from_dict(data["who"]), "due_at": _time_in(data["due_at"])})


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
    # Withdrawals by how long candidates waited for feedback, over the 180 days before ``ends_at``
    # (``feedback.cost_of_waiting``); None only for a scorecard built by hand.
    cost_of_waiting: CostOfWaiting | None = None

    def figure(self, key: str) -> Figure:
        return next(figure for figure in (*self.client, *self.provider) if figure.key == key)

    def to_dict(self) -> dict[str, Any]:
        """The scorecard as JSON-ready values; the engagement as its id."""
        return {
            "engagement": self.engagement.pk,
            "days": self.days,
            "starts_at": _time_out(self.starts_at),
            "ends_at": _time_out(self.ends_at),
            "client": [figure.to_dict() for figure in self.client],
            "provider": [figure.to_dict() for figure in self.provider],
            "health": self.health.to_dict(),
            "charted": list(self.charted),
            "weeks": [week.to_dict() for week in self.weeks],
            "hiring_managers": [row.to_dict() for row in self.hiring_managers],
            "overdue": [item.to_dict() for item in self.overdue],
            "overdue_total": dict(self.overdue_total),
            "escalations": self.escalations,
            "cost_of_waiting": self.cost_of_waiting.to_dict() if self.cost_of_waiting is not None else None,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, engagement: Engagement) -> Scorecard:
        """The scorecard ``to_dict`` gave, for ``engagement`` (the one it was computed for)."""
        if data["engagement"] != engagement.pk:
            raise ValueError(f"A scorecard of engagement {data['engagement']} read for engagement {engagement.pk}.")
        return cls(
            engagement=engagement,
            days=data["days"],
            starts_at=_time_in(data["starts_at"]),
            ends_at=_time_in(data["ends_at"]),
            client=[Figure.from_dict(figure) for figure in data["client"]],
            provider=[Figure.from_dict(figure) for figure in data["provider"]],
            health=Health.from_dict(data["health"]),
            charted=list(data["charted"]),
            weeks=[WeekPoint.from_dict(week) for week in data["weeks"]],
            hiring_managers=[HiringManagerRow.from_dict(row) for row in data["hiring_managers"]],
            overdue=[OverdueItem.from_dict(item) for item in data["overdue"]],
            overdue_total=dict(data["overdue_total"]),
            escalations=data["escalations"],
            cost_of_waiting=(
                CostOfWaiting.from_dict(data["cost_of_waiting"]) if data["cost_of_waiting"] is not None else None
            ),
        )


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
        "hiring_manager_no_shows",
        "client",
        "Hiring-manager no-shows",
        "Interviews starting in the window that the hiring manager did not show up for.",
        "count",
        "lower",
    ),
    FigureSpec(
        "interview_reschedules",
        "client",
        "Interview reschedules",
        "Times the interviews starting in the window were moved to another time (recorded as rescheduled, "
        "or moved before they took place).",
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
        "Median business days (the engagement's working days, public holidays excluded) from a "
        "requisition's opening date to its first submission, for first submissions made in the window.",
        "business_days",
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
        "candidate_no_shows",
        "provider",
        "Candidate no-shows",
        "Interviews starting in the window that the candidate did not show up for.",
        "count",
        "lower",
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
    if unit == "business_days":
        return "1 business day" if value == 1 else f"{value:.1f} business days".replace(".0 business", " business")
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
