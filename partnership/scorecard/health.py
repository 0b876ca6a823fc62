"""An engagement's health, judging both sides, the same on every page.

- Off track: feedback on time over the last ``HEALTH_DAYS`` days below ``OFF_TRACK_ON_TIME_BELOW``
  percent, or at least ``OFF_TRACK_ESCALATIONS`` escalations sent in the last ``ESCALATION_DAYS``.
- At risk: feedback on time below ``AT_RISK_ON_TIME_BELOW`` percent, anything overdue now on
  either side (see ``overdue``), or the provider missing at least ``AT_RISK_PROVIDER_MISSED`` of
  its targets (``targets.PROVIDER_TARGETS``: time to first submission, submissions per
  requisition, submission → interview, time to fill) over the last ``HEALTH_DAYS`` days: one
  missed target weighs as much as late feedback does on the client's side.
- On track otherwise. No feedback due in the period counts as nothing late; a provider figure
  with nothing to measure in the period (no first submission, no requisition filled) misses
  nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db.models import Count
from django.db.models.functions import Coalesce
from django.utils import timezone

from engagements.models import Engagement

from . import figures
from .overdue import overdue_counts
from .targets import PROVIDER_TARGETS, missed_provider_targets, missed_sentence, with_targets
from .types import Figure, Health, display, make_figure, share

HEALTH_DAYS = 30
OFF_TRACK_ON_TIME_BELOW = 60.0
AT_RISK_ON_TIME_BELOW = 80.0
ESCALATION_DAYS = 7
OFF_TRACK_ESCALATIONS = 1
AT_RISK_PROVIDER_MISSED = 1  # provider targets missed over the last HEALTH_DAYS days

LABELS = {"on_track": "On track", "at_risk": "At risk", "off_track": "Off track"}


def _items(count: int) -> str:
    return "1 item" if count == 1 else f"{count} items"


def judge(
    *,
    on_time_share: float | None,
    recent_escalations: int,
    overdue: dict[str, int],
    provider_missed: list[Figure] | tuple[Figure, ...] = (),
) -> Health:
    """``provider_missed``: the provider's targets missed over the last ``HEALTH_DAYS`` days
    (``targets.missed_provider_targets`` of the figures of that period)."""
    if on_time_share is not None:
        on_time_share = round(on_time_share, 1)  # judged as shown: never "60% (below 60%)"
    on_time = (
        f"feedback on time is {display(on_time_share, 'percent')} over the last {HEALTH_DAYS} days"
        if on_time_share is not None
        else ""
    )
    off = []
    if on_time_share is not None and on_time_share < OFF_TRACK_ON_TIME_BELOW:
        off.append(f"{on_time} (below {OFF_TRACK_ON_TIME_BELOW:.0f}%)")
    if recent_escalations >= OFF_TRACK_ESCALATIONS:
        noun = "escalation was" if recent_escalations == 1 else "escalations were"
        off.append(f"{recent_escalations} {noun} sent in the last {ESCALATION_DAYS} days")
    if off:
        return _health("off_track", off)
    risk = []
    if on_time_share is not None and on_time_share < AT_RISK_ON_TIME_BELOW:
        risk.append(f"{on_time} (below {AT_RISK_ON_TIME_BELOW:.0f}%)")
    for side in ("client", "provider"):
        if overdue.get(side):
            risk.append(f"{_items(overdue[side])} overdue on the {side} side")
    if len(provider_missed) >= AT_RISK_PROVIDER_MISSED:
        noun = "target" if len(provider_missed) == 1 else "targets"
        missed = ", ".join(missed_sentence(figure) for figure in provider_missed)
        risk.append(f"the provider missed {len(provider_missed)} {noun} over the last {HEALTH_DAYS} days: {missed}")
    if risk:
        return _health("at_risk", risk)
    first = on_time or f"no feedback was due in the last {HEALTH_DAYS} days"
    return _health("on_track", [f"{first} and nothing is overdue on either side"])


def _health(status: str, reasons: list[str]) -> Health:
    sentence = "; ".join(reasons)
    return Health(status=status, label=LABELS[status], reason=sentence[0].upper() + sentence[1:] + ".")


def engagement_health_map(
    *, engagements: Iterable[Engagement], now: datetime | None = None, overdue: dict[int, dict[str, int]] | None = None
) -> dict[int, Health]:
    """Health of each engagement, judged by ``judge`` on the scorecard's own figures (the same
    functions of ``figures``, over the health rule's periods): a few grouped queries whatever the
    number of engagements). ``overdue``: ``overdue_counts`` of the same engagements and moment, when
    the caller has them already."""
    now = now or timezone.now()
    engagements = list(engagements)
    if not engagements:
        return {}
    ids = [engagement.pk for engagement in engagements]
    on_time = figures.feedback_on_time(engagement_ids=ids, start=now - timedelta(days=HEALTH_DAYS), end=now)
    engagement_of = Coalesce("feedback_request__engagement_id", "availability_request__engagement_id")
    escalations = {
        row["engagement"]: row["n"]
        for row in figures.escalations_sent(engagement_ids=ids, start=now - timedelta(days=ESCALATION_DAYS), end=now)
        .annotate(engagement=engagement_of)
        .values("engagement")
        .annotate(n=Count("pk"))
        .order_by()
    }
    if overdue is None:
        overdue = overdue_counts(engagements=engagements, now=now)
    health_start = now - timedelta(days=HEALTH_DAYS)
    provider = figures.provider_target_figures(engagements=engagements, start=health_start, end=now)
    return {
        engagement.pk: judge(
            on_time_share=share(*reversed(on_time[engagement.pk])) if engagement.pk in on_time else None,
            recent_escalations=escalations.get(engagement.pk, 0),
            overdue=overdue[engagement.pk],
            provider_missed=provider_missed(engagement, provider[engagement.pk]),
        )
        for engagement in engagements
    }


def provider_missed(engagement: Engagement, values: dict[str, float | None]) -> list[Figure]:
    """The provider's targets missed by these values of its figures (``PROVIDER_TARGETS`` keys),
    each made and judged as the scorecard makes and judges it."""
    made = [make_figure(key, values[key]) for key in PROVIDER_TARGETS]
    return missed_provider_targets(with_targets(made, engagement))
