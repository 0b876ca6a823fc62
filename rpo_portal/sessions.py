"""Sessions read from the shared cache, kept in the database (``SESSION_ENGINE`` when Redis is set).

Django's ``cached_db`` store: each request reads its session from the cache (Redis) instead of
a database query; every write goes to the database first, then the cache. Signing out deletes
both. Password changes and deactivation end sessions as before, since neither depends on where
the session is kept: each request reloads the user from the database, and Django refuses a
session whose password hash no longer matches or whose user is inactive.

Only with a cache shared by every web process (``settings.CACHE_URL``): with each process's own
memory, signing out in one would leave the session alive in another's copy. Two changes to
Django's store, for "the cache is an optimisation" (``rpo_portal.cache``):

- a cache that cannot be reached costs a database read, not a 500 (Django's ``load`` would raise
  on storing what it read, and ``delete`` on deleting from the cache);
- a session stays in the cache at most ``CACHE_SECONDS``: a sign-out whose cache delete failed
  (Redis down at that moment, back later with its data) is honoured within that time, since
  the database no longer has the session.
"""

from __future__ import annotations

import logging

from django.contrib.sessions.backends.cached_db import SessionStore as CachedDBStore

from .cache import warn_unreachable

logger = logging.getLogger(__name__)

CACHE_SECONDS = 15 * 60  # longest a session is read from the cache without the database


class SessionStore(CachedDBStore):
    cache_key_prefix = "session:"

    def _cache_seconds(self, expiry=None) -> int:
        return max(0, min(self.get_expiry_age(expiry=expiry) if expiry else self.get_expiry_age(), CACHE_SECONDS))

    def load(self):
        try:
            data = self._cache.get(self.cache_key)
        except Exception as error:  # unreachable, or a key the cache refuses: read the database
            warn_unreachable("get", "session", error)
            data = None
        if data is not None:
            return data
        stored = self._get_session_from_db()
        if not stored:
            return {}
        data = self.decode(stored.session_data)
        try:
            self._cache.set(self.cache_key, data, self._cache_seconds(stored.expire_date))
        except Exception as error:
            warn_unreachable("set", "session", error)
        return data

    def exists(self, session_key):
        try:
            if session_key and (self.cache_key_prefix + session_key) in self._cache:
                return True
        except Exception as error:
            warn_unreachable("get", "session", error)
        return super(CachedDBStore, self).exists(session_key)

    def save(self, must_create=False):
        super(CachedDBStore, self).save(must_create)  # the database: the record
        try:
            self._cache.set(self.cache_key, self._session, self._cache_seconds())
        except Exception as error:
            warn_unreachable("set", "session", error)

    def delete(self, session_key=None):
        super(CachedDBStore, self).delete(session_key)  # the database: the record
        session_key = session_key or self.session_key
        if session_key is None:
            return
        try:
            self._cache.delete(self.cache_key_prefix + session_key)
        except Exception as error:
            warn_unreachable("delete", "session", error)
