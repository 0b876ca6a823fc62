"""Time the uncached scorecard (what a request computes when nothing is cached), per engagement.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rpo_bench_web \
        .venv/bin/python manage.py shell < bench/time_scorecard.py

For each engagement: the 30-day and 90-day live scorecard computed from the database (no cache
read or written), five times each, with the median and the queries of one computation.
"""

import statistics
import time

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from engagements.models import Engagement, Submission
from partnership.scorecard import _compute

print(f"{Submission.objects.count():,} submissions")
for engagement in Engagement.objects.order_by("pk"):
    for days in (30, 90):
        times = []
        for _ in range(5):
            started = time.perf_counter()
            _compute(engagement, days, timezone.now())
            times.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as queries:
            _compute(engagement, days, timezone.now())
        sql_ms = sum(float(query["time"]) * 1000 for query in queries.captured_queries)
        print(
            f"{engagement.name} ({days} days): median {statistics.median(times):.0f} ms "
            f"(first {times[0]:.0f}, max {max(times):.0f}), {len(queries.captured_queries)} queries, "
            f"{sql_ms:.0f} ms in SQL"
        )
