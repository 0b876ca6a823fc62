"""Which figure of the scorecard is judged against which target, and how: the one home of it.

Accountability goes both ways, so figures of both sides have targets; each figure is met, missed,
has no target, or has nothing measured in the window (``Figure.met`` True / False / None, with
``Figure.target`` None for "no target"). A figure is judged as it is shown (rounded to one
decimal, like ``types.display``), so "30%" never misses "at least 30%".

The provider's side: the engagement's own targets, set on its SLA page (``Engagement.target_*``;
empty is no target):

- median time to first submission, in business days of the engagement's calendar (public
  holidays excluded): at most ``target_days_to_first_submission``;
- submissions per requisition: at least ``target_submissions_per_requisition``;
- submission → interview: at least ``target_submission_to_interview_percent`` percent;
- median time to fill, in calendar days: at most ``target_days_to_fill``;
- candidate no-shows: 0, the same as the hiring manager's no-shows on the client's side.

Interview → offer and offer acceptance have no target: they depend on the client's decisions as
much as on the provider's candidates, and the SLA sets none.

The client's side: the targets the SLA and the health rules already hold it to:

- feedback on time: at least ``health.AT_RISK_ON_TIME_BELOW`` (80%), the share below which the
  partnership is at risk;
- overdue now: 0 (anything overdue makes it at risk);
- escalations: 0 (an escalation makes it off track);
- hiring-manager no-shows: 0.

The median feedback turnaround and the availability lead time have no target: they are measured
in wall-clock hours, while the SLA's due times (``resume_feedback_due_hours``, ...) are business
hours, and a weekend or a holiday would make a reply on time look late. The SLA itself is judged by
"feedback on time" and "overdue now". Interview reschedules have no target (a reschedule is often
the right thing to do).

Health (``health.judge``) counts the provider's engagement targets (``PROVIDER_TARGETS``) missed
over its own period; the fixed client-side targets above are those the health rules already judge.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from engagements.models import Engagement

from .types import FIGURE_SPECS, Figure, display

# The provider's figures with a target on the engagement (the SLA page), and the field holding it.
PROVIDER_TARGETS = {
    "median_days_to_first_submission": "target_days_to_first_submission",
    "submissions_per_requisition": "target_submissions_per_requisition",
    "submission_to_interview_ratio": "target_submission_to_interview_percent",
    "median_days_to_fill": "target_days_to_fill",
}


@dataclass(frozen=True)
class Target:
    key: str  # the figure's key
    value: float
    at_most: bool  # True: the figure must be at most the value; False: at least

    @property
    def display(self) -> str:
        """How the target reads: "at most 5 business days", "at least 3.0", "0"."""
        unit = FIGURE_SPECS[self.key].unit
        if unit == "count" and self.value == 0 and self.at_most:
            return "0"
        shown = display(self.value, unit)
        if unit == "business_days" and self.value == int(self.value):
            shown = shown.replace(".0 ", " ")
        return f"{'at most' if self.at_most else 'at least'} {shown}"

    def met_by(self, value: float | None) -> bool | None:
        """Whether ``value`` (as shown: one decimal) meets it; None when nothing was measured."""
        if value is None:
            return None
        shown = round(value, 1)
        return shown <= self.value if self.at_most else shown >= self.value


def targets_of(engagement: Engagement) -> dict[str, Target]:
    """Every figure's target for this engagement (figures without one are not in it)."""
    from .health import AT_RISK_ON_TIME_BELOW  # health judges with these targets: it imports us

    targets = {
        "feedback_on_time_share": Target("feedback_on_time_share", AT_RISK_ON_TIME_BELOW, at_most=False),
        "hiring_manager_no_shows": Target("hiring_manager_no_shows", 0, at_most=True),
        "overdue_now": Target("overdue_now", 0, at_most=True),
        "escalations": Target("escalations", 0, at_most=True),
        "candidate_no_shows": Target("candidate_no_shows", 0, at_most=True),
    }
    for key, field in PROVIDER_TARGETS.items():
        value = getattr(engagement, field)
        if value is not None:
            targets[key] = Target(key, float(value), at_most=FIGURE_SPECS[key].better == "lower")
    return targets


def judged(figure: Figure, target: Target | None) -> Figure:
    """The figure with its target and whether it met it."""
    if target is None:
        return dataclasses.replace(figure, target=None, target_display="", met=None)
    return dataclasses.replace(
        figure, target=target.value, target_display=target.display, met=target.met_by(figure.value)
    )


def with_targets(figures: list[Figure], engagement: Engagement) -> list[Figure]:
    """Each figure judged against its target for this engagement."""
    targets = targets_of(engagement)
    return [judged(figure, targets.get(figure.key)) for figure in figures]


def missed_provider_targets(figures: list[Figure]) -> list[Figure]:
    """Of judged figures, the provider's engagement targets that were missed, in the scorecard's order."""
    return [figure for figure in figures if figure.key in PROVIDER_TARGETS and figure.met is False]


def missed_sentence(figure: Figure) -> str:
    """One missed target as the health reason names it: "median time to first submission 7.5
    business days (target at most 5 business days)"."""
    return f"{figure.label[0].lower()}{figure.label[1:]} {figure.display} (target {figure.target_display})"


def verdict(figure: Figure) -> str:
    """The figure against its target in a word, for the page and the CSV: "met", "missed", "no
    target" or "nothing measured"."""
    if not figure.target_display:
        return "no target"
    if figure.met is None:
        return "nothing measured"
    return "met" if figure.met else "missed"
