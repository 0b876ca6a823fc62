"""Settings for the test suite: the real settings, with development defaults and fast hashing.

The database comes from DATABASE_URL like everywhere else (PostgreSQL in CI, SQLite otherwise).
"""

import os

os.environ.setdefault("DEBUG", "1")

# Under pytest-xdist (`make test PYTEST_ARGS="-n 2"`, as .ci/run does), each worker process uses its
# own Redis database (1, 2, ...) for the broker and the Redis tests, so that one worker's queues and
# keys never meet another's. Set before the settings read REDIS_URL.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if _worker.startswith("gw") and _worker[2:].isdigit() and os.environ.get("REDIS_URL"):
    _base, _, _db = os.environ["REDIS_URL"].rpartition("/")
    if _db.isdigit() and _base.startswith("redis"):
        os.environ["REDIS_URL"] = f"{_base}/{int(_db) + 1 + int(_worker[2:])}"

from rpo_portal.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405

# Tasks run inline where a test lets on-commit callbacks run; tests that need a real worker and
# broker (Redis) start one themselves.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
SITE_URL = "https://portal.example.com"

# Each test process keeps its own cache, cleared between tests (tests/conftest.py), even when
# REDIS_URL points at the Redis that CI starts for the broker tests.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "rpo-tests"}}
# Sessions through the production store (read from the cache, kept in the database): one process,
# so its memory is as shared as Redis is across web processes.
SESSION_ENGINE = "rpo_portal.sessions"
