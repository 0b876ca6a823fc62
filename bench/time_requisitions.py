"""Time GET /requisitions/ as the demo recruiter, with the test client, and name its slowest queries.

    DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/rpo_<db> \
        .venv/bin/python manage.py shell < bench/time_requisitions.py
"""

import statistics
import time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import User

user = User.objects.get(email="recruiter@talentbridge.example")
client = Client(SERVER_NAME="localhost")
client.force_login(user)
for url in ("/requisitions/", "/requisitions/?page=3"):
    times = []
    for _ in range(15):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    captured = queries.captured_queries
    sql_ms = sum(float(q["time"]) * 1000 for q in captured)
    slow = sorted(((float(q["time"]) * 1000, q["sql"][:160]) for q in captured), reverse=True)[:3]
    median = statistics.median(times[1:])
    print(f"{url} median {median:.0f} ms, min {min(times):.0f} ms, {len(captured)} queries ({sql_ms:.0f} ms in SQL)")
    for ms, sql in slow:
        print(f"   {ms:.0f} ms  {sql}")
