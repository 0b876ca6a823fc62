"""Where the four benchmarked pages spend their time, one request at a time, in this process.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rpo_bench_web CACHE_URL=redis://127.0.0.1:6379/5 \
        DEBUG=0 SECRET_KEY=$(openssl rand -hex 32) ALLOWED_HOSTS=127.0.0.1 \
        .venv/bin/python manage.py shell < bench/profile_pages.py

For the floor (``GET /api/v1/me/``) and each page of ``make bench-web``, as the same people: the
median of 30 warm requests, the number of queries and their time, the HTML's size, and the
functions with the most time of their own under cProfile (``PROFILE_TOP`` rows, 25 by default;
``PROFILE_SORT=cumulative`` for the callers). The cache is the configured one (Redis in
production), as warm as repeated requests make it: what a page costs between two changes.
"""

import cProfile
import io
import os
import pstats
import statistics
import time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from knox.models import AuthToken

from accounts.models import User
from engagements.models import Engagement

RUNS = int(os.environ.get("PROFILE_RUNS", "30"))
TOP = int(os.environ.get("PROFILE_TOP", "25"))
SORT = os.environ.get("PROFILE_SORT", "tottime")
ONLY = os.environ.get("PROFILE_ONLY", "")

account_manager = User.objects.get(email="am@talentbridge.example")
recruiter = User.objects.get(email="recruiter@talentbridge.example")
hiring_manager = User.objects.get(email="hm2@acme.example")
acme = Engagement.objects.filter(client__name__icontains="acme").order_by("pk").first()
_, token = AuthToken.objects.create(account_manager)


def session_client(user: User) -> Client:
    client = Client(SERVER_NAME="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    client.force_login(user)
    return client


api = Client(SERVER_NAME="127.0.0.1", HTTP_X_FORWARDED_PROTO="https", HTTP_AUTHORIZATION=f"Token {token}")
pages = [
    ("floor", api, "/api/v1/me/"),
    ("engagement-page", session_client(account_manager), f"/engagements/{acme.pk}/"),
    ("requisition-list", session_client(recruiter), "/requisitions/"),
    ("hm-inbox", session_client(hiring_manager), "/inbox/"),
    ("scorecard-api", api, f"/api/v1/engagements/{acme.pk}/scorecard/"),
]

for name, client, url in pages:
    if ONLY and name not in ONLY.split(","):
        continue
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    sql_ms = sum(float(query["time"]) * 1000 for query in queries.captured_queries)
    print(
        f"\n== {name} {url}: median {statistics.median(times[1:]):.1f} ms, min {min(times):.1f} ms, "
        f"{len(queries.captured_queries)} queries ({sql_ms:.1f} ms in SQL), {len(response.content):,} bytes"
    )
    for query in sorted(queries.captured_queries, key=lambda query: -float(query["time"]))[:3]:
        print(f"   {float(query['time']) * 1000:.1f} ms  {query['sql'][:150]}")
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(10):
        client.get(url)
    profile.disable()
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats(SORT).print_stats(TOP)
    print("\n".join(line for line in out.getvalue().splitlines()[6:] if line.strip()))
