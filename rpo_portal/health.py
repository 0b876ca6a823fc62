"""``/healthz``: is the database answering, and is the Celery broker reachable?"""

import os

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .celery import app as celery_app


def _database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # any failure means "not answering"; say which
        return f"error: {error.__class__.__name__}"
    return "ok"


def _broker_state() -> str:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
            conn.default_channel  # noqa: B018
            # The filesystem transport "connects" without touching the disk: check its folder.
            folder = conn.transport_options.get("data_folder_out") if conn.transport_cls == "filesystem" else None
            if folder is not None and not os.access(folder, os.W_OK | os.X_OK):
                raise FileNotFoundError("the broker folder is missing or not writable")
    except Exception as error:
        return f"error: {error.__class__.__name__}"
    return "ok"


@never_cache
@require_safe
def healthz(request):
    checks = {"database": _database_state(), "broker": _broker_state()}
    healthy = all(state == "ok" for state in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503)
