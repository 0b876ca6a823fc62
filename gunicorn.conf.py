"""gunicorn's settings, read from the project directory: `gunicorn rpo_portal.wsgi` needs nothing more.

The pages spend their time in Python (templates, the ORM) and PostgreSQL, so processes rather than
threads: threads of one process take turns on one interpreter lock. `make bench-web` measured 8
single-threaded workers on 2 cores ahead of 4 x 2 threads (p50 15-20 % lower, p95 within the
200 ms target in every run). WEB_CONCURRENCY and GUNICORN_THREADS override.
"""

import multiprocessing
import os

from gunicorn.glogging import Logger

workers = int(os.environ.get("WEB_CONCURRENCY") or 4 * multiprocessing.cpu_count())
threads = int(os.environ.get("GUNICORN_THREADS") or 1)
worker_class = "gthread"  # keeps idle keep-alive connections off the workers, whatever the thread count
bind = os.environ.get("GUNICORN_BIND") or f"0.0.0.0:{os.environ.get('PORT') or 8000}"
timeout = 60
accesslog = "-"


class RedactingLogger(Logger):
    """gunicorn's logger, with the one-click link's token written as /r/[redacted]/ in every access-log
    field (request line, path, Referer, headers): the link redirects at once, but its first request
    line would name it."""

    def atoms(self, resp, req, environ, request_time):
        from rpo_portal.logging import redact  # imported late: the project directory is on sys.path by then

        atoms = super().atoms(resp, req, environ, request_time)
        return {name: redact(value) if isinstance(value, str) else value for name, value in atoms.items()}


logger_class = RedactingLogger
