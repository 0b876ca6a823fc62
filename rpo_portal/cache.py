"""The cache shared by the web processes: its Redis configuration, a JSON serializer, and cache
calls that never fail their caller.

Values go to Redis as JSON, never as pickles: whoever can write to Redis must not be able to run
code in the web process (unpickling runs code). Integers stay raw, as in Django's own
``RedisSerializer``, so that ``cache.incr`` is Redis's atomic ``INCR``. A value JSON cannot hold
(a model instance, a datetime) is refused when it is stored, so it shows in tests, not in production.

The cache is an optimisation: a page that uses it must work without it. ``cache_get``,
``cache_set``, ``cache_add`` and ``cache_delete`` log a warning and answer a
default when the cache cannot be reached (Redis down, a timeout, anything its client raises).
Short socket timeouts (``SOCKET_TIMEOUT_SECONDS``) keep a Redis that hangs from hanging a page.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from django.core import signing
from django.core.cache import cache
from django.core.cache.backends import redis as redis_backend

logger = logging.getLogger(__name__)

SOCKET_TIMEOUT_SECONDS = 1.0  # connecting to Redis, and waiting for an answer
KEY_PREFIX = "rpo"  # so that the portal can share a Redis with others


class JSONSerializer:
    """``OPTIONS["serializer"]`` of Django's ``RedisCache``: JSON instead of pickle."""

    def dumps(self, obj: Any) -> int | bytes:
        # type(), not isinstance(): True is stored as JSON, not as the integer 1.
        if type(obj) is int:
            return obj
        return json.dumps(obj, separators=(",", ":"), allow_nan=False).encode()

    def loads(self, data: bytes) -> Any:
        try:
            return int(data)
        except ValueError:
            return json.loads(data)


class RedisCacheClient(redis_backend.RedisCacheClient):
    """Django's client, with one ``redis.Redis`` per connection pool instead of a new one for each
    cache call: building one (its table of ~170 response callbacks) cost about as much as the round
    trip to Redis. A cache backend, and so this client, belongs to one thread (``caches``); the
    connections stay in the pool, as before."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(redis_backend.RedisCache):
    """``django.core.cache.backends.redis.RedisCache`` with ``RedisCacheClient`` above."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient


def redis_cache(url: str) -> dict:
    """The ``CACHES`` entry of the Redis at ``url``: used by the settings and by the tests that
    run against a real Redis, so that both have exactly the same configuration."""
    return {
        "BACKEND": "rpo_portal.cache.RedisCache",
        "LOCATION": url,
        "KEY_PREFIX": KEY_PREFIX,
        "OPTIONS": {
            "serializer": "rpo_portal.cache.JSONSerializer",
            "socket_connect_timeout": SOCKET_TIMEOUT_SECONDS,
            "socket_timeout": SOCKET_TIMEOUT_SECONDS,
        },
    }


def warn_unreachable(operation: str, key: str, error: Exception) -> None:
    """One line in the log, without the traceback: with Redis down, every page would add one."""
    logger.warning(
        "The cache did not answer %s %r (%s: %s); going on without it.", operation, key, type(error).__name__, error
    )


def cache_get(key: str, default: Any = None) -> Any:
    try:
        return cache.get(key, default)
    except Exception as error:  # any error of the cache's client: the caller computes instead
        warn_unreachable("get", key, error)
        return default


def cache_get_many(keys: list[str]) -> dict[str, Any]:
    """The values found under ``keys``, read in one round trip; none when the cache cannot be reached."""
    try:
        return cache.get_many(keys)
    except Exception as error:
        warn_unreachable("get", ", ".join(keys), error)
        return {}


def cache_set(key: str, value: Any, timeout: float | None) -> bool:
    """Store ``value``; False when the cache cannot be reached."""
    try:
        cache.set(key, value, timeout)
    except (TypeError, ValueError):
        raise  # a value JSON cannot hold is a bug of the caller, not an outage
    except Exception as error:
        warn_unreachable("set", key, error)
        return False
    return True


def cache_add(key: str, value: Any, timeout: float | None) -> bool | None:
    """Store ``value`` if ``key`` is not there: True if stored, False if it was there, None when the
    cache cannot be reached."""
    try:
        return cache.add(key, value, timeout)
    except (TypeError, ValueError):
        raise
    except Exception as error:
        warn_unreachable("add", key, error)
        return None


def cache_delete(key: str) -> None:
    try:
        cache.delete(key)
    except Exception as error:
        warn_unreachable("delete", key, error)


# --- Rendered parts of pages kept for other viewers: signed ----------------------------------------


def signed_set(key: str, value: dict, timeout: float | None, *, salt: str) -> bool:
    """Keep ``value`` (a dict JSON can hold, such as rendered HTML parts) signed with the secret
    key under ``salt``, so that whoever can write to Redis cannot put HTML into pages."""
    return cache_set(key, signing.Signer(salt=salt).sign_object(value), timeout)


def signed_get(key: str, *, salt: str, fields: set[str]) -> dict | None:
    """What ``signed_set`` kept under ``key`` with ``salt``, if it is a dict of exactly ``fields``;
    None when missing, unreadable or signed otherwise (the last logged: the caller renders afresh)."""
    return signed_read(key, cache_get(key), salt=salt, fields=fields)


def signed_read(key: str, stored: Any, *, salt: str, fields: set[str]) -> dict | None:
    """``signed_get`` of a value already read from under ``key`` (with others, by ``cache_get_many``)."""
    if not isinstance(stored, str):
        return None
    try:
        value = signing.Signer(salt=salt).unsign_object(stored)
    except signing.BadSignature:
        logger.warning("Ignoring the kept value %r, whose signature does not match.", key)
        return None
    return value if isinstance(value, dict) and set(value) == fields else None
