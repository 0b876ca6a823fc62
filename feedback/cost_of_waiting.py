"""The cost of waiting: how often an engagement's candidates withdrew, by how long they waited for
feedback. The hiring manager's nudge, from the engagement's own history, never a benchmark.

Over the last ``HISTORY_DAYS`` days, every candidate (submission) put forward in the engagement
with at least one feedback request is put in one bucket by the longest they waited for feedback:
the business hours (the engagement's calendar, holidays included) from a request's opening to its
answer, to its cancellation (the candidate left, or the request was closed), or to now while it is
still open. The buckets are under one business day (the calendar's working day, e.g. 8 hours),
one to three, and over three. Each bucket's share is the candidates who withdrew (any reason:
another offer, the process took too long, ...) over the candidates in it; a bucket of fewer than
``MIN_CANDIDATES`` candidates gives no share ("too few candidates"), and the reminder line
(``nudge_line``) is written only when every bucket has at least that many and those who waited
longest withdrew more often than those who heard within a day.

Computed in one query and a pass in Python (business hours are not SQL arithmetic): about 0.8 s
for an engagement with 50,000 requests in 180 days (``seed_demo --scale 100``). Kept in the cache
for ``CACHE_SECONDS`` per engagement, since reminder emails ask for it one by one and the
scorecard shows it; the beat's ``refresh_costs_of_waiting`` recomputes every engagement's every 20
minutes (``CELERY_BEAT_SCHEDULE``), well within that hour, so while beat runs no page or email
waits for the computation (only the first after a cache flush does).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from engagements.business_hours import WorkedClock
from engagements.models import Engagement, Submission
from rpo_portal.cache import cache_get, cache_set

from .models import FeedbackRequest

HISTORY_DAYS = 180
MIN_CANDIDATES = 10
CACHE_SECONDS = 3600
CACHE_FORMAT = 2

# (key, label, the bucket's upper bound in business days, exclusive; None: no bound)
BUCKETS = (
    ("under_1", "Under 1 business day", 1),
    ("1_to_3", "1 to 3 business days", 3),
    ("over_3", "Over 3 business days", None),
)


@dataclass(frozen=True)
class WaitBucket:
    key: str
    label: str
    candidates: int
    withdrawn: int
    enough: bool  # at least MIN_CANDIDATES candidates: the share is shown

    @property
    def share(self) -> float | None:
        """Percent of the bucket's candidates who withdrew (None below the threshold)."""
        if not self.enough:
            return None
        return round(100 * self.withdrawn / self.candidates, 1)

    @property
    def display(self) -> str:
        if not self.enough:
            return f"Too few candidates ({self.candidates}; {MIN_CANDIDATES} needed)"
        return f"{self.share:g}% withdrew ({self.withdrawn} of {self.candidates})"


@dataclass(frozen=True)
class CostOfWaiting:
    client_name: str
    days: int
    buckets: tuple[WaitBucket, ...]

    @property
    def enough(self) -> bool:
        return all(bucket.enough for bucket in self.buckets)

    @property
    def nudge_line(self) -> str:
        """The one line for reminder emails, or "" when the history does not support one."""
        if not self.enough:
            return ""
        fast, slow = self.buckets[0], self.buckets[-1]
        if slow.share is None or fast.share is None or slow.share <= fast.share:
            return ""
        if fast.withdrawn == 0:
            return (
                f"At {self.client_name}, {slow.share:g}% of candidates who waited over 3 business days for "
                "feedback withdrew, and none of those who heard within a day."
            )
        times = slow.share / fast.share
        return (
            f"At {self.client_name}, candidates who waited over 3 business days for feedback withdrew "
            f"{times:.1f}× as often as those who heard within a day.".replace(".0×", "×")
        )

    def to_dict(self) -> dict:
        return {"client_name": self.client_name, "days": self.days, "buckets": [asdict(b) for b in self.buckets]}

    @classmethod
    def from_dict(cls, data: dict) -> CostOfWaiting:
        return cls(
            client_name=data["client_name"],
            days=data["days"],
            buckets=tuple(WaitBucket(**bucket) for bucket in data["buckets"]),
        )


def _bucket_of(clock: WorkedClock, opened: datetime, ended: datetime, day_hours: float) -> int:
    """0, 1 or 2: the index in BUCKETS of a wait from ``opened`` to ``ended``: under one business
    day (``ended`` before ``add_business_hours(opened, day_hours)``), up to three (at or before
    three days' worth), or over three."""
    gap = clock.worked(ended) - clock.worked(opened)
    if clock.before_hours_after(ended, opened, day_hours, gap=gap):
        return 0
    if clock.before_hours_after(ended, opened, 3 * day_hours, or_at=True, gap=gap):
        return 1
    return 2


def compute_cost_of_waiting(*, engagement: Engagement, now: datetime, days: int = HISTORY_DAYS) -> CostOfWaiting:
    """The cost of waiting over the ``days`` before ``now``, computed (no cache). The requests are
    selected by the engagement they carry (``engagements.models.OfSubmission``): no list of the
    engagement's requisitions, no plan that depends on table statistics."""
    calendar = engagement.business_calendar
    start_of_day = timedelta(hours=calendar.day_start.hour, minutes=calendar.day_start.minute)
    end_of_day = timedelta(hours=calendar.day_end.hour, minutes=calendar.day_end.minute)
    day_hours = (end_of_day - start_of_day).total_seconds() / 3600
    rows = (
        FeedbackRequest.objects.filter(
            engagement_id=engagement.pk,
            submission__submitted_at__gte=now - timedelta(days=days),
            submission__submitted_at__lt=now,
            created_at__lt=now,
        )
        .order_by()
        .values_list(
            "submission_id",
            "submission__stage",
            "submission__stage_changed_at",
            "created_at",
            "answered_at",
            "cancelled_at",
        )
    )
    rows = list(rows)
    longest: dict[int, int] = {}
    withdrawn: set[int] = set()
    try:  # one table of the calendar's days over the requests' span, read for every wait
        zone = calendar.zone
        first = min((row[3] for row in rows), default=now).astimezone(zone).date()
        clock = WorkedClock(calendar, first, now.astimezone(zone).date())
    except ValueError:  # a calendar with no working time (stored before it was validated): no waits
        rows = []
    for submission_id, stage, stage_changed, opened, answered, cancelled in rows:
        ended = min(moment for moment in (answered, cancelled, now) if moment is not None)
        bucket = _bucket_of(clock, opened, max(ended, opened), day_hours)
        if bucket > longest.get(submission_id, -1):
            longest[submission_id] = bucket
        if stage == Submission.Stage.WITHDRAWN and stage_changed < now:  # not a withdrawal after ``now``
            withdrawn.add(submission_id)
    counts = [[0, 0] for _ in BUCKETS]
    for submission_id, bucket in longest.items():
        counts[bucket][0] += 1
        counts[bucket][1] += submission_id in withdrawn
    return CostOfWaiting(
        client_name=engagement.client.name,
        days=days,
        buckets=tuple(
            WaitBucket(key=key, label=label, candidates=n, withdrawn=w, enough=n >= MIN_CANDIDATES)
            for (key, label, _), (n, w) in zip(BUCKETS, counts, strict=True)
        ),
    )


def _key(engagement_id: int) -> str:
    return f"cost-of-waiting:{CACHE_FORMAT}:{engagement_id}"


def _compute_and_keep(engagement: Engagement) -> CostOfWaiting:
    result = compute_cost_of_waiting(engagement=engagement, now=timezone.now())
    cache_set(_key(engagement.pk), result.to_dict(), CACHE_SECONDS)
    return result


def cost_of_waiting(*, engagement: Engagement, now: datetime | None = None) -> CostOfWaiting:
    """The engagement's cost of waiting now, from the cache when computed within the hour (so a
    batch of reminder emails about one engagement computes it once); as of another ``now``,
    computed exactly."""
    if now is not None and abs((now - timezone.now()).total_seconds()) > 5:
        return compute_cost_of_waiting(engagement=engagement, now=now)
    stored = cache_get(_key(engagement.pk))
    if isinstance(stored, dict):
        try:
            return CostOfWaiting.from_dict(stored)
        except (KeyError, TypeError):
            pass
    return _compute_and_keep(engagement)


def refresh_costs_of_waiting() -> int:
    """Compute and keep the cost of waiting of every engagement not ended (the beat's
    ``refresh_costs_of_waiting``): the kept value is the last refresh's, replaced before it expires,
    and no request computes it. Returns how many were refreshed."""
    engagements = Engagement.objects.exclude(status=Engagement.Status.ENDED).select_related("client").order_by("pk")
    refreshed = 0
    for engagement in engagements:
        _compute_and_keep(engagement)
        refreshed += 1
    return refreshed
