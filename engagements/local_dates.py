"""An engagement's "today": the date on its own calendar, in its own time zone.

The one home of that rule. Which assignments are in effect, who covers a requisition, how long a
requisition has been open, when it was filled and what the scorecard counts as overdue all ask
the engagement's date, not the server's (UTC) or the viewer's: a UTC+10 engagement moves to its
new assignments at its own midnight, not at 10:00 local time.
"""

from __future__ import annotations

import time
import zoneinfo
from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime
from functools import cache

from django.db.models import Q
from django.utils import timezone

from accounts.models import TIME_ZONE_CHOICES


@cache
def _zone(name: str) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(name)


def local_date(time_zone: str, at: datetime) -> date:
    """The date it is at ``at`` (aware) in ``time_zone``."""
    return at.astimezone(_zone(time_zone)).date()


def engagement_today(engagement, at: datetime | None = None) -> date:
    """The engagement's date at ``at`` (now by default)."""
    return local_date(engagement.time_zone, at or timezone.now())


# How long a process trusts its list of the zones engagements use. A zone first used by an engagement
# saved in this process is added at once (the receiver below); one saved by another process is seen
# within this time, and until then its rows take the date most of the world is on.
ZONES_IN_USE_SECONDS = 60.0

_zones_in_use: tuple[float, frozenset[str]] | None = None
_world_today: tuple[datetime, date] | None = None


def zones_in_use() -> frozenset[str]:
    """The time zones engagements are on: a handful, read once a minute per process."""
    global _zones_in_use
    now = time.monotonic()
    if _zones_in_use is None or now - _zones_in_use[0] > ZONES_IN_USE_SECONDS:
        from .models import Engagement

        names = frozenset(Engagement.objects.order_by().values_list("time_zone", flat=True).distinct())
        _zones_in_use = (now, names)
    return _zones_in_use[1]


def zone_now_in_use(name: str) -> None:
    """Count ``name`` among the zones in use from now on (an engagement was saved with it)."""
    global _zones_in_use
    if _zones_in_use is not None and name not in _zones_in_use[1]:
        _zones_in_use = (_zones_in_use[0], _zones_in_use[1] | {name})


def forget_zones_in_use(*, known: frozenset[str] | None = None) -> None:
    """Read the zones in use again at the next call; or, with ``known``, take them as read now."""
    global _zones_in_use
    _zones_in_use = None if known is None else (time.monotonic(), known)


def engagement_saved(sender, instance, **kwargs) -> None:
    """post_save of Engagement (connected in ``EngagementsConfig.ready``): its zone is in use now."""
    zone_now_in_use(instance.time_zone)


def world_today(at: datetime) -> date:
    """The date most of the world's zones are on at ``at``.

    Every UTC offset and every change of offset since 1972 falls on a whole minute, so no zone
    changes its date inside a UTC minute: the answer is kept for the minute (600 zones once a
    minute, not on every call). Older instants are worked out each time."""
    global _world_today
    minute = at.astimezone(UTC).replace(second=0, microsecond=0)
    if _world_today is not None and _world_today[0] == minute:
        return _world_today[1]
    counts = Counter(local_date(name, at) for name, _label in TIME_ZONE_CHOICES)
    today = max(counts, key=lambda day: counts[day])
    if minute.year >= 1973:
        _world_today = (minute, today)
    return today


def on_engagement_today_q(*, at: datetime, zone_field: str, condition: Callable[[date], Q]) -> Q:
    """``condition(today)`` where ``today`` is each row's engagement's date at ``at``.

    ``zone_field`` leads from the rows to their engagement's time zone (``"time_zone"`` on
    engagements, ``"requisition__engagement__time_zone"`` on assignments). Rows take the date most
    of the world is on, except the zones engagements use (``zones_in_use``) that are on another
    date, named with theirs: a few parameters, no query (bar one a minute per process).
    """
    common = world_today(at)
    by_date: dict[date, list[str]] = {}
    for name in sorted(zones_in_use()):
        day = local_date(name, at)
        if day != common:
            by_date.setdefault(day, []).append(name)
    if not by_date:
        return condition(common)
    elsewhere = [name for names in by_date.values() for name in names]
    combined = ~Q(**{f"{zone_field}__in": elsewhere}) & condition(common)
    for day, names in by_date.items():
        combined |= Q(**{f"{zone_field}__in": names}) & condition(day)
    return combined
