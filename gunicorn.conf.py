"""gunicorn's settings, read from the project directory: `gunicorn rpo_portal.wsgi` needs nothing more.

The pages spend their time in Python (templates, the ORM) and PostgreSQL, so processes rather than
threads: threads of one process take turns on one interpreter lock.

Synchronous workers, two per core. A sync worker takes the next request from the listening socket
only when it is free, so requests wait in one queue (the kernel's) for whichever worker frees up
first. A gthread worker accepts connections while it is busy and keeps each keep-alive connection
to itself: under load its requests queue behind the others of the same worker, however idle the
rest are. `make bench-web`'s closed loop (20 clients, no think time, 2 cores, 100,000 submissions;
bench/README.md) measured the floor's p95 at 124-272 ms with 8 gthread workers, 64-107 ms with
sync ones, and every page's p95 from 210-640 ms to 80-160 ms, at the same or better throughput;
4 sync workers on 2 cores were ahead of 6 and 8 (less time-slicing). Sync workers leave slow
clients to the buffering proxy in front (nginx or the platform's router), which production has
(``TRUSTED_PROXY_COUNT``, ``X-Forwarded-Proto``). WEB_CONCURRENCY and GUNICORN_THREADS override;
more than one thread per worker means gthread workers.
"""

import multiprocessing
import os

from gunicorn.glogging import Logger

workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * multiprocessing.cpu_count())
threads = int(os.environ.get("GUNICORN_THREADS") or 1)
worker_class = "gthread" if threads > 1 else "sync"  # threads need gthread; one queue for all otherwise
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
