"""A version number per engagement, bumped by the services that change what its pages show.

Whatever is computed from an engagement's data and kept for a while (the scorecard) is kept under
its engagement's version: a bump makes the next read compute afresh, and activity in one
engagement leaves every other engagement's cached figures in place. A service that changes what
an engagement's scorecard reads calls ``engagement_changed(engagement_id)``.

The version lives in the cache (Redis in production), bumped once the writing transaction commits
(a rolled-back write bumps nothing; and a reader never caches the pre-commit data under the new
version). A version that goes missing (evicted, or Redis restarted empty) starts again from the
clock in nanoseconds, far above any number reached by counting, so it never repeats a number that
an old cached value was stored under.

A cache that cannot be reached costs nothing here: ``engagement_version`` answers ``None`` (the
caller computes without caching) and a bump is logged and dropped. A bump dropped while Redis was
unreachable from this process but alive for others leaves their cached value in place until its
time-to-live ends (about a minute for the scorecard).
"""

from __future__ import annotations

import logging
import time

from django.core.cache import cache
from django.db import transaction

from rpo_portal.cache import warn_unreachable

logger = logging.getLogger(__name__)


def _key(engagement_id: int) -> str:
    return f"engagement-version:{engagement_id}"


def _fresh() -> int:
    return time.time_ns()


def engagement_changed(*engagement_ids: int | None) -> None:
    """Bump the versions of these engagements when the current transaction commits (at once
    outside a transaction). ``None`` ids are ignored."""
    ids = sorted({int(engagement_id) for engagement_id in engagement_ids if engagement_id is not None})
    if ids:
        transaction.on_commit(lambda: _bump(ids))


def _bump(engagement_ids: list[int]) -> None:
    for engagement_id in engagement_ids:
        key = _key(engagement_id)
        try:
            try:
                cache.incr(key)  # Redis INCR: atomic, so two bumps at once are two bumps
            except ValueError:  # no version yet (or it was evicted): start afresh from the clock
                cache.set(key, _fresh(), None)
        except Exception as error:  # unreachable: the others would only wait for the same timeout
            warn_unreachable("bump", key, error)
            return


def engagement_version(engagement_id: int) -> int | None:
    """The engagement's current version; None when the cache cannot be reached."""
    key = _key(engagement_id)
    try:
        version = cache.get(key)
        if version is None:
            fresh = _fresh()
            if cache.add(key, fresh, None):
                return fresh
            version = cache.get(key)  # another process started it first
        return int(version) if version is not None else None
    except Exception as error:
        warn_unreachable("read", key, error)
        return None


def engagement_versions(engagement_ids) -> dict[int, int] | None:
    """The current versions of these engagements, read in one round trip (``get_many``); one
    started afresh where missing, as ``engagement_version`` does. None when the cache cannot be
    reached."""
    keys = {_key(engagement_id): int(engagement_id) for engagement_id in engagement_ids}
    try:
        found = cache.get_many(list(keys))
    except Exception as error:
        warn_unreachable("read", "engagement versions", error)
        return None
    versions = {keys[key]: int(value) for key, value in found.items()}
    for engagement_id in keys.values():
        if engagement_id not in versions:
            version = engagement_version(engagement_id)
            if version is None:
                return None
            versions[engagement_id] = version
    return versions
