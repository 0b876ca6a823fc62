"""The mutual scorecard of an engagement: the client's side beside the provider's side.

One module computes every figure with database aggregates (``figures``), used by the engagement
pages, the CSV export and ``GET /api/v1/engagements/{id}/scorecard/``. Each figure's one-line
definition is in ``types.FIGURES``; the health rules in ``health``; what counts as overdue in
``overdue``.

The window is the last ``days`` days ending ``now``. A live scorecard (``now`` not given, or within
``LIVE_SECONDS`` of the clock) is kept in the cache, as JSON (``Scorecard.to_dict``), under its
engagement, window and engagement version (``engagements.activity``): the services that change
what a scorecard reads bump their engagement's version when they commit, so a new answer or stage
move shows at once in that engagement and leaves every other engagement's cached scorecard in
place. A scorecard is also kept only about ``CACHE_SECONDS`` (with a little jitter, so that
processes do not all recompute at once), since some figures change with the clock alone ("overdue
now"). A cached scorecard costs no query; computing one costs about 21 (one index range per
figure, and the window's whole hours of the counted figures from hourly rollups: see
``figures``). The API keeps its JSON of a live scorecard beside it
(``engagement_scorecard_rendered``) and serves that text as stored.

While one request computes a scorecard, others asking for it do not wait: they get the previous
one if it is at most ``STALE_SECONDS`` old, and otherwise compute it themselves. A shared cache
(Redis) in ``CACHES`` makes that hold across processes. When the cache cannot be reached, the
scorecard is computed and served, and nothing is kept. A ``now`` further from the clock (tests,
reports as of a date) is computed exactly, never cached.
"""

from __future__ import annotations

import logging
import random
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from accounts.models import User
from engagements.activity import engagement_version
from engagements.models import Engagement
from feedback.cost_of_waiting import CostOfWaiting, cost_of_waiting
from rpo_portal.cache import cache_add, cache_delete, cache_get, cache_set

from . import figures as q
from .export import scorecard_csv
from .health import (
    AT_RISK_ON_TIME_BELOW,
    ESCALATION_DAYS,
    HEALTH_DAYS,
    OFF_TRACK_ESCALATIONS,
    OFF_TRACK_ON_TIME_BELOW,
    engagement_health_map,
    judge,
    provider_missed,
)
from .overdue import FIRST_SUBMISSION_DUE_DAYS, OVERDUE_LIST_LIMIT, engagement_overdue, overdue_counts
from .targets import PROVIDER_TARGETS, Target, targets_of, with_targets
from .types import (
    CHARTED,
    FIGURES,
    WINDOWS,
    Figure,
    Health,
    HiringManagerRow,
    OverdueItem,
    Person,
    Scorecard,
    WeekPoint,
    display,
    make_figure,
    share,
)

__all__ = [
    "AT_RISK_ON_TIME_BELOW",
    "CACHE_SECONDS",
    "CHARTED",
    "ESCALATION_DAYS",
    "FIGURES",
    "FIRST_SUBMISSION_DUE_DAYS",
    "HEALTH_DAYS",
    "OFF_TRACK_ESCALATIONS",
    "OFF_TRACK_ON_TIME_BELOW",
    "OVERDUE_LIST_LIMIT",
    "PROVIDER_TARGETS",
    "STALE_SECONDS",
    "WINDOWS",
    "CostOfWaiting",
    "Figure",
    "Health",
    "HiringManagerRow",
    "OverdueItem",
    "Person",
    "Scorecard",
    "Target",
    "WeekPoint",
    "engagement_health_map",
    "engagement_scorecard",
    "engagement_scorecard_rendered",
    "format_value",
    "overdue_counts",
    "scorecard_between",
    "scorecard_csv",
    "scorecard_keys",
    "targets_of",
    "window_days",
]

logger = logging.getLogger(__name__)

format_value = display  # format_value(value, unit): a weekly value shown like its figure ("82%", "6.5 h")

CACHE_SECONDS = 60  # how long a computed scorecard is served (plus up to half as much again)
COMPUTE_LOCK_SECONDS = 30  # a computation that takes longer no longer keeps others from starting one
LIVE_SECONDS = 5  # a ``now`` this close to the clock asks for the live (cached) scorecard
STALE_SECONDS = 300  # the previous scorecard is served while another request computes the next
CACHE_FORMAT = 5  # part of every key: changed with ``Scorecard.to_dict``, so no old shape is ever read


def window_days(value) -> int:
    """The window asked for (``?days=``) if it is one of ``WINDOWS``, else the first one."""
    try:
        days = int(value)
    except (TypeError, ValueError):
        return WINDOWS[0]
    return days if days in WINDOWS else WINDOWS[0]


def scorecard_keys(engagement_id: int, days: int, version: int) -> dict[str, str]:
    """The cache keys of one engagement's scorecard over ``days``: the scorecard of ``version``,
    the latest one computed (any version), and the lock held while one request computes it."""
    base = f"scorecard:{CACHE_FORMAT}:{engagement_id}:{days}"
    return {"scorecard": f"{base}:{version}", "latest": f"{base}:latest", "computing": f"{base}:computing"}


NOT_READ = object()  # engagement_scorecard_rendered's version and kept text, when its caller has not read them


def rendered_key(engagement_id: int, days: int, version: int, form: str) -> str:
    """The cache key of one engagement's live scorecard of ``version`` rendered as ``form`` (the
    API's JSON): beside the scorecard's own keys, with the same engagement, window and version."""
    return f"scorecard-rendered:{CACHE_FORMAT}:{form}:{engagement_id}:{days}:{version}"


def engagement_scorecard(*, engagement: Engagement, days: int = 30, now: datetime | None = None) -> Scorecard:
    days = window_days(days)
    if now is not None and abs((now - timezone.now()).total_seconds()) > LIVE_SECONDS:
        return _compute(engagement, days, now)  # a scorecard as of another moment: computed exactly
    return _live(engagement, days)[0]


def engagement_scorecard_rendered(
    *,
    engagement: Engagement,
    days: int = 30,
    form: str,
    render: Callable[[Scorecard], str],
    check: Callable[[str], bool] | None = None,
    version: object = NOT_READ,  # int, or None when the cache cannot be reached
    kept: object = NOT_READ,
) -> str:
    """The live scorecard as ``render`` turns it into text (the API's JSON, ``form`` naming it),
    kept in the cache as that text: a reader gets it as stored, with no scorecard rebuilt from the
    cache and rendered again. It is kept for the scorecard of the engagement's current version only
    (not for the previous one served while another request computes) and never longer than that
    scorecard is served (``CACHE_SECONDS`` from its computation). A kept text that ``check``
    refuses (signed with another key, say) is rendered afresh and replaced, so one bad entry costs
    one render.

    ``version`` and ``kept``: the engagement's version (None: the cache cannot be reached) and what
    is kept under ``rendered_key`` for it, when the caller has read them already (the engagement
    page reads the text with its other kept parts in one round trip); read here otherwise."""
    days = window_days(days)
    if version is NOT_READ:
        version = engagement_version(engagement.pk)
    if version is None:  # the cache cannot be reached
        return render(_compute(engagement, days, timezone.now()))
    key = rendered_key(engagement.pk, days, version, form)
    text = cache_get(key) if kept is NOT_READ else kept
    if isinstance(text, str) and (check is None or check(text)):
        return text
    scorecard, current = _live(engagement, days, version=version)
    text = render(scorecard)
    remaining = CACHE_SECONDS - (timezone.now() - scorecard.ends_at).total_seconds()
    if current and remaining >= 1:
        cache_set(key, text, int(remaining))
    return text


def _live(engagement: Engagement, days: int, version: int | None = None) -> tuple[Scorecard, bool]:
    """The live scorecard, and whether it is the one of the engagement's current version (not the
    previous one, served while another request computes the next)."""
    if version is None:
        version = engagement_version(engagement.pk)
    if version is None:  # the cache cannot be reached: compute and serve, keep nothing
        return _compute(engagement, days, timezone.now()), True
    keys = scorecard_keys(engagement.pk, days, version)
    scorecard = _cached(keys["scorecard"], engagement)
    if scorecard is not None:
        return scorecard, True
    # One computation at a time per scorecard (per process with the local-memory cache, across
    # processes with a shared one); meanwhile the others serve the last one computed if it is
    # recent, and compute it themselves if not: nobody waits for another request.
    token = uuid.uuid4().hex
    computing = cache_add(keys["computing"], token, COMPUTE_LOCK_SECONDS)
    if computing is None:  # the cache stopped answering
        return _compute(engagement, days, timezone.now()), True
    if not computing:
        latest = _cached(keys["latest"], engagement)
        if latest is not None and (timezone.now() - latest.ends_at).total_seconds() <= STALE_SECONDS:
            return latest, False
    try:
        scorecard = _compute(engagement, days, timezone.now())
        stored = scorecard.to_dict()
        cache_set(keys["scorecard"], stored, CACHE_SECONDS + random.randint(0, CACHE_SECONDS // 2))
        cache_set(keys["latest"], stored, STALE_SECONDS)
    finally:
        if computing and cache_get(keys["computing"]) == token:  # not a lock that expired and was taken since
            cache_delete(keys["computing"])
    return scorecard, True


def _cached(key: str, engagement: Engagement) -> Scorecard | None:
    stored = cache_get(key)
    if stored is None:
        return None
    try:
        return Scorecard.from_dict(stored, engagement=engagement)
    except (KeyError, TypeError, ValueError, AttributeError) as error:  # not a scorecard of ours: compute
        logger.warning("Ignoring the cached scorecard %r, which cannot be read (%s).", key, error)
        return None


def scorecard_between(*, engagement: Engagement, start: datetime, end: datetime) -> Scorecard:
    """The scorecard of the period [``start``, ``end``) (a quarter of the review pack), computed
    exactly and never cached; ``days`` is the period's length in whole days."""
    return _compute(engagement, max((end - start).days, 1), end, start=start)


def _compute(engagement: Engagement, days: int, now: datetime, start: datetime | None = None) -> Scorecard:
    start, end = (start if start is not None else now - timedelta(days=days)), now
    zone = ZoneInfo(engagement.time_zone)
    window = {"engagement": engagement, "start": start, "end": end}

    health_start = now - timedelta(days=HEALTH_DAYS)
    on_time_weeks = q.feedback_on_time_by_week(**window, health_start=health_start)
    turnaround, turnaround_weeks = q.feedback_turnaround(**window)
    stage_weeks, recent_moves = q.stage_moves_by_week(**window, health_start=health_start)
    interviews = q.interviews(**window)
    escalations = q.escalations(**window, recent_start=now - timedelta(days=ESCALATION_DAYS))
    requisition_rows = q.requisition_rows(engagement_ids=[engagement.pk], start=min(start, health_start), end=end)
    overdue, overdue_total = engagement_overdue(engagement=engagement, now=now)

    def total(weeks: dict, index) -> int:
        return sum(values[index] for values in weeks.values())

    moves = {key: total(stage_weeks, key) for key in ("submitted", "interview", "offer", "hired", "offer_lost")}
    provider_values = q.provider_values(
        engagement=engagement,
        rows=requisition_rows,
        submitted=moves["submitted"],
        interview=moves["interview"],
        start=start,
        end=end,
    )
    # The provider's targets as health judges them: over its own period, as the health map does.
    health_values = q.provider_values(
        engagement=engagement, rows=requisition_rows, **recent_moves, start=health_start, end=now
    )
    client = [
        make_figure("feedback_on_time_share", share(total(on_time_weeks, 1), total(on_time_weeks, 0))),
        make_figure("feedback_median_turnaround_hours", turnaround),
        make_figure("availability_median_lead_hours", q.availability_lead(**window)),
        make_figure("hiring_manager_no_shows", interviews["hiring_manager_no_shows"]),
        make_figure("interview_reschedules", interviews["reschedules"] or 0),
        make_figure("overdue_now", overdue_total["client"]),
        make_figure("escalations", escalations["window"]),
    ]
    provider = [
        make_figure("median_days_to_first_submission", provider_values["median_days_to_first_submission"]),
        make_figure("submissions_per_requisition", provider_values["submissions_per_requisition"]),
        make_figure("submission_to_interview_ratio", provider_values["submission_to_interview_ratio"]),
        make_figure("interview_to_offer_ratio", share(moves["offer"], moves["interview"])),
        make_figure("offer_acceptance_share", share(moves["hired"], moves["hired"] + moves["offer_lost"])),
        make_figure("candidate_no_shows", interviews["candidate_no_shows"]),
        make_figure("median_days_to_fill", provider_values["median_days_to_fill"]),
    ]
    client, provider = with_targets(client, engagement), with_targets(provider, engagement)
    health = judge(
        on_time_share=share(total(on_time_weeks, 3), total(on_time_weeks, 2)),
        recent_escalations=escalations["recent"],
        overdue=overdue_total,
        provider_missed=provider_missed(engagement, health_values),
    )

    weeks = []
    this_monday = end.astimezone(zone).date() - timedelta(days=end.astimezone(zone).weekday())
    for monday in q.week_starts(start, end, zone):
        due, on_time, _, _ = on_time_weeks.get(monday, (0, 0, 0, 0))
        stage = stage_weeks.get(monday, {})
        turnaround = turnaround_weeks.get(monday)
        values = {
            "feedback_on_time_share": share(on_time, due),
            "feedback_median_turnaround_hours": round(turnaround, 2) if turnaround is not None else None,
            "submission_to_interview_ratio": share(stage.get("interview"), stage.get("submitted")),
            "interview_to_offer_ratio": share(stage.get("offer"), stage.get("interview")),
        }
        weeks.append(WeekPoint(week_start=monday, values=values, partial=monday == this_monday))

    return Scorecard(
        engagement=engagement,
        days=days,
        starts_at=start,
        ends_at=end,
        client=client,
        provider=provider,
        health=health,
        charted=list(CHARTED),
        weeks=weeks,
        hiring_managers=_hiring_managers(engagement, start, end, now),
        overdue=overdue,
        overdue_total=overdue_total,
        escalations=escalations["window"],
        # As of the scorecard's end: the live one from its own cache (an hour), another moment computed.
        cost_of_waiting=cost_of_waiting(engagement=engagement, now=now),
    )


def _hiring_managers(engagement: Engagement, start: datetime, end: datetime, now: datetime) -> list[HiringManagerRow]:
    rows = q.hiring_manager_rows(engagement=engagement, start=start, end=end, now=now)
    if not rows:
        return []
    people = {
        person["id"]: Person(**person)
        for person in User.objects.filter(pk__in=[row["requested_of_id"] for row in rows])
        .order_by()
        .values("id", "full_name", "email")
    }
    result = [
        HiringManagerRow(
            user=people[row["requested_of_id"]],
            requests=row["requests"],
            answered=row["answered"],
            answered_on_time=row["answered_on_time"],
            on_time_share=share(row["answered_on_time"], row["measurable"]),
            median_turnaround_hours=(
                round(row["median_turnaround_hours"], 2) if row["median_turnaround_hours"] is not None else None
            ),
            open_now=row["open_now"],
            overdue_now=row["overdue_now"],
        )
        for row in rows
    ]
    # Slowest first: lowest on-time share, then longest turnaround, then most overdue; unmeasured last.
    result.sort(
        key=lambda row: (
            row.on_time_share is None,
            row.on_time_share if row.on_time_share is not None else 0,
            -(row.median_turnaround_hours or 0),
            -row.overdue_now,
            row.user.full_name,
        )
    )
    return result
