"""``make bench-web``: the four busiest pages under concurrent load, production-like.

1. PostgreSQL database ``BENCH_WEB_DATABASE_URL`` (default rpo_bench_web): created when missing,
   migrated, and seeded with ``seed_demo --scale BENCH_WEB_SCALE`` (100: about 100,000
   submissions, a couple of minutes) unless that many submissions are already there.
2. gunicorn with DEBUG off, a SECRET_KEY generated once (kept in var/bench-web/secret_key),
   ALLOWED_HOSTS=127.0.0.1, static files collected (into var/bench-web/static) and served by
   WhiteNoise, the cache in Redis (``BENCH_WEB_CACHE_URL``, db 5 on 127.0.0.1, when it answers),
   workers as production runs them (``gunicorn.conf.py``: two synchronous workers per core), or
   ``BENCH_WEB_WORKERS`` x ``BENCH_WEB_THREADS`` (more than one thread: gthread workers).
3. The demo people log in once (the login form; an API token from POST /api/v1/auth/token/).
4. ``BENCH_WEB_MODE=closed`` (the default): closed loop, no think time. For the floor
   (``GET /api/v1/me/`` with the account manager's token) and each target, the floor just before
   each target, wrk keeps ``BENCH_WEB_CLIENTS`` (20) connections busy back to back:
   ``BENCH_WEB_WARMUP`` (3) seconds unmeasured, then ``BENCH_WEB_CLOSED_SECONDS`` (10) measured.
   A floor measured within seconds of its target keeps the ratio meaningful on a shared machine.
   ``BENCH_WEB_MODE=open``: locust, headless, ``BENCH_WEB_USERS`` users (split evenly over the
   targets) for ``BENCH_WEB_SECONDS`` seconds, each waiting ``BENCH_WEB_WAIT`` ("min,max" s) between requests.
5. Per target: requests/s, p50, p95, failures; closed loop: each target's throughput as a share of
   the floor's and whether it meets issue 14's targets (at least a third of the floor's throughput,
   p95 < ``BENCH_WEB_P95_MS``); open loop: whether p95 < ``BENCH_WEB_P95_MS`` (200 ms).

The targets: the account manager's engagement page, the recruiter's requisition list, the hiring
manager's inbox and the scorecard API; a target that does not answer 200 stops the run. Traffic goes
to 127.0.0.1 only; the run is bounded in time.
Exit status: 0 when every target met its targets without failures, 1 otherwise.
"""

from __future__ import annotations

import csv
import json
import os
import re
import runpy
import secrets
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import requests

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(PYTHON).parent
OUT = ROOT / "var" / "bench-web"

DATABASE_URL = os.environ.get("BENCH_WEB_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/rpo_bench_web")
SCALE = int(os.environ.get("BENCH_WEB_SCALE", "100"))
PORT = int(os.environ.get("BENCH_WEB_PORT", "8765"))
# gunicorn.conf.py's workers, threads and worker class (what production runs), unless overridden.
_SERVER = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
WORKERS = int(os.environ.get("BENCH_WEB_WORKERS") or _SERVER["workers"])
THREADS = int(os.environ.get("BENCH_WEB_THREADS") or _SERVER["threads"])
WORKER_CLASS = "gthread" if THREADS > 1 else _SERVER["worker_class"]
USERS = int(os.environ.get("BENCH_WEB_USERS", "20"))
SECONDS = int(os.environ.get("BENCH_WEB_SECONDS", "60"))
WAIT = os.environ.get("BENCH_WEB_WAIT", "0.5,1.5")
P95_MS = float(os.environ.get("BENCH_WEB_P95_MS", "200"))
MODE = os.environ.get("BENCH_WEB_MODE", "closed")  # "closed": wrk, no think time; "open": locust
CLIENTS = int(os.environ.get("BENCH_WEB_CLIENTS", "20"))  # closed loop: concurrent connections
WARMUP = int(os.environ.get("BENCH_WEB_WARMUP", "3"))  # closed loop: seconds of load before measuring
CLOSED_SECONDS = int(os.environ.get("BENCH_WEB_CLOSED_SECONDS", "10"))  # closed loop: measured seconds
FLOOR_SHARE = 1 / 3  # closed loop: each page at least a third of the floor's throughput (issue 14)
FLOOR = {"name": "floor: /api/v1/me/", "path": "/api/v1/me/", "auth": "token"}
CACHE_URL = os.environ.get("BENCH_WEB_CACHE_URL", "redis://127.0.0.1:6379/5")  # "" = per-process memory
PASSWORD = "portal-demo-2026"  # feedback/demo/data.py DEMO_PASSWORD
PEOPLE = {
    "account_manager": os.environ.get("BENCH_WEB_ACCOUNT_MANAGER", "am@talentbridge.example"),
    "recruiter": os.environ.get("BENCH_WEB_RECRUITER", "recruiter@talentbridge.example"),
    "hiring_manager": os.environ.get("BENCH_WEB_HIRING_MANAGER", "hm2@acme.example"),  # often late: a full inbox
}
WRK = shutil.which(os.environ.get("WRK", "wrk")) or ""
BASE = f"http://127.0.0.1:{PORT}"
ORIGIN = f"https://127.0.0.1:{PORT}"  # as seen behind the TLS proxy (X-Forwarded-Proto: https)
PROXY = {"X-Forwarded-Proto": "https"}


def say(message: str) -> None:
    print(f"[bench-web] {message}", flush=True)


def manage(*args: str, env: dict, quiet: bool = False) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"manage.py {' '.join(args)} failed")
    if not quiet:
        sys.stdout.write(result.stdout)
    return result.stdout


# --- 1. The database --------------------------------------------------------------------------


def ensure_database() -> None:
    import psycopg2

    parts = urlsplit(DATABASE_URL)
    name = parts.path.lstrip("/")
    if not re.fullmatch(r"[A-Za-z0-9_]+", name):
        raise SystemExit(f"Unexpected database name {name!r} in BENCH_WEB_DATABASE_URL")
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    try:
        connection = psycopg2.connect(admin_url)
    except psycopg2.OperationalError as error:
        raise SystemExit(f"PostgreSQL is not reachable at {admin_url}: {error}") from error
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            say(f"creating database {name}")
            cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def submission_count() -> int:
    import psycopg2

    connection = psycopg2.connect(DATABASE_URL)
    with connection, connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM engagements_submission")
        (count,) = cursor.fetchone()
    connection.close()
    return count


def analyze() -> None:
    """Planner statistics and visibility maps, as autovacuum would have them in production. This
    machine's cluster runs with autovacuum off: right after a bulk seed the planner thinks every
    table is nearly empty and picks nested loops that take seconds (the engagement page's overdue
    list took 17 s), and no index-only scan can skip the heap."""
    import psycopg2

    connection = psycopg2.connect(DATABASE_URL)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    connection.close()


def prepare_data(dev_env: dict) -> int:
    ensure_database()
    say("migrating")
    manage("migrate", "--noinput", env=dev_env, quiet=True)
    count = submission_count()
    wanted = SCALE * 1000
    if count >= wanted:
        say(f"{count:,} submissions already there (>= {wanted:,}): not seeding again")
    else:
        say(f"{count:,} submissions: seeding --scale {SCALE} (a couple of minutes)")
        started = time.monotonic()
        manage("seed_demo", "--scale", str(SCALE), env=dev_env, quiet=True)
        count = submission_count()
        say(f"seeded {count:,} submissions in {time.monotonic() - started:.0f} s")
    say("VACUUM ANALYZE (planner statistics, visibility maps)")
    analyze()
    return count


def cache_url() -> str:
    """Production shares computed scorecards between web processes through Redis: use it when it
    answers, else say that each worker keeps its own in-memory cache."""
    if not CACHE_URL:
        return ""
    import redis

    try:
        redis.Redis.from_url(CACHE_URL, socket_connect_timeout=2).ping()
    except redis.RedisError:
        say(f"Redis does not answer at {CACHE_URL}: each gunicorn worker caches in its own memory")
        return ""
    return CACHE_URL


# --- 2. gunicorn ------------------------------------------------------------------------------


def start_gunicorn(prod_env: dict) -> subprocess.Popen:
    OUT.mkdir(parents=True, exist_ok=True)
    log = open(OUT / "gunicorn.log", "w")  # noqa: SIM115 - kept open for the server's lifetime
    command = [
        str(BIN / "gunicorn"),
        "rpo_portal.wsgi:application",
        "--bind",
        f"127.0.0.1:{PORT}",
        "--workers",
        str(WORKERS),
        "--worker-class",
        WORKER_CLASS,
        "--threads",
        str(THREADS),
        "--timeout",
        "60",
        "--access-logfile",
        "-",
        "--access-logformat",
        '%(h)s "%(r)s" %(s)s %(b)s %(M)sms',
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=prod_env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode}; see {OUT / 'gunicorn.log'}")
        try:
            requests.get(f"{BASE}/healthz", timeout=10)
            return server
        except requests.RequestException:
            time.sleep(0.3)
    stop(server)
    raise SystemExit("gunicorn did not answer within 60 s")


def stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


# --- 3. Logging in ----------------------------------------------------------------------------


def log_in(email: str) -> str:
    """The session cookie of ``email``, through the real login form."""
    form = requests.get(f"{BASE}/login/", headers=PROXY, timeout=30)
    form.raise_for_status()
    csrf_cookie = form.cookies.get("csrftoken")
    csrf_field = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
    if not (csrf_cookie and csrf_field):
        raise SystemExit("The login page has no CSRF token")
    answer = requests.post(
        f"{BASE}/login/",
        data={"username": email, "password": PASSWORD, "csrfmiddlewaretoken": csrf_field.group(1), "next": ""},
        headers={**PROXY, "Cookie": f"csrftoken={csrf_cookie}", "Origin": ORIGIN, "Referer": f"{ORIGIN}/login/"},
        allow_redirects=False,
        timeout=30,
    )
    session = answer.cookies.get("sessionid")
    if answer.status_code != 302 or not session:
        raise SystemExit(f"Could not log in as {email} (HTTP {answer.status_code}); is the demo seeded?")
    return session


def api_token(email: str) -> str:
    answer = requests.post(
        f"{BASE}/api/v1/auth/token/", json={"email": email, "password": PASSWORD}, headers=PROXY, timeout=30
    )
    if answer.status_code != 200:
        raise SystemExit(f"No API token for {email}: HTTP {answer.status_code} {answer.text[:200]}")
    return answer.json()["token"]


def get(path: str, headers: dict) -> requests.Response:
    return requests.get(f"{BASE}{path}", headers={**PROXY, **headers}, allow_redirects=False, timeout=60)


# --- 4. Targets -------------------------------------------------------------------------------


def choose_targets(sessions: dict, token: str) -> list[dict]:
    api = {"Authorization": f"Token {token}", "Accept": "application/json"}
    engagements = get("/api/v1/engagements/?page_size=200", api).json()["results"]
    acme = next((item for item in engagements if "acme" in json.dumps(item).lower()), engagements[0])
    pk = acme["id"]
    wanted = [
        ("engagement-page", f"/engagements/{pk}/", "session:account_manager"),
        ("requisition-list", "/requisitions/", "session:recruiter"),
        ("hm-inbox", "/inbox/", "session:hiring_manager"),
        ("scorecard-api", f"/api/v1/engagements/{pk}/scorecard/", "token"),
    ]
    targets = []
    for name, path, auth in wanted:
        headers = api if auth == "token" else {"Cookie": f"sessionid={sessions[auth.split(':')[1]]}"}
        status = get(path, headers).status_code
        if status != 200:
            raise SystemExit(f"{path} answers HTTP {status} as {auth}; see {OUT / 'gunicorn.log'}")
        targets.append({"name": name, "path": path, "auth": auth})
    return targets


def warm_up(targets: list[dict], sessions: dict, token: str) -> None:
    """Each target twice per worker or so, so the first measured requests are not imports."""
    for target in targets:
        if target["auth"] == "token":
            headers = {"Authorization": f"Token {token}"}
        else:
            headers = {"Cookie": f"sessionid={sessions[target['auth'].split(':')[1]]}"}
        for _ in range(WORKERS * 2):
            get(target["path"], headers)


# --- 5. Load and report -----------------------------------------------------------------------


def run_locust(targets: list[dict], sessions: dict, token: str) -> list[dict]:
    prefix = OUT / "locust"
    env = {
        **os.environ,
        "BENCH_WEB_TARGETS": json.dumps(targets),
        "BENCH_WEB_SESSIONS": json.dumps(sessions),
        "BENCH_WEB_TOKEN": token,
        "BENCH_WEB_WAIT": WAIT,
        "BENCH_WEB_USERS_PER_TARGET": str(max(USERS // len(targets), 1)),
    }
    command = [
        str(BIN / "locust"),
        "-f",
        str(ROOT / "bench" / "locustfile.py"),
        "--headless",
        "--users",
        str(USERS),
        "--spawn-rate",
        str(USERS),
        "--run-time",
        f"{SECONDS}s",
        "--stop-timeout",
        "10",
        "--host",
        BASE,
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    say(f"locust: {USERS} users for {SECONDS} s, think time {WAIT} s, against {WORKERS}x{THREADS} {WORKER_CLASS}")
    with open(OUT / "locust.log", "w") as log:
        subprocess.run(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, timeout=SECONDS + 120)
    with open(f"{prefix}_stats.csv", newline="") as stats:
        return [row for row in csv.DictReader(stats) if row["Name"] != "Aggregated"]


def report(rows: list[dict], *, submissions: int, cache: str) -> bool:
    by_name = {row["Name"]: row for row in rows}
    print()
    print(
        f"Web benchmark: {submissions:,} submissions on PostgreSQL, gunicorn {WORKERS} {WORKER_CLASS} workers "
        f"x {THREADS} threads (DEBUG off, cache: {cache or 'per-process memory'}), {USERS} concurrent users, "
        f"{SECONDS} s, "
        f"think time {WAIT} s, {os.cpu_count()} CPUs"
    )
    header = (
        f"{'target':<60} {'requests':>8} {'p50 ms':>7} {'p95 ms':>7} {'req/s':>7} {'failures':>8}  p95<{P95_MS:.0f}ms"
    )
    print(header)
    print("-" * len(header))
    all_ok = True
    for name, row in sorted(by_name.items()):
        p95 = float(row["95%"])
        failures = int(row["Failure Count"])
        ok = p95 < P95_MS and failures == 0
        all_ok &= ok
        print(
            f"{name:<60} {int(row['Request Count']):>8} {float(row['50%']):>7.0f} {p95:>7.0f} "
            f"{float(row['Requests/s']):>7.1f} {failures:>8}  {'yes' if ok else 'NO'}"
        )
    print()
    print(f"Raw figures: {OUT}/locust_stats.csv, server log: {OUT}/gunicorn.log")
    return all_ok


# --- 4b. Closed loop (wrk) ------------------------------------------------------------------------


def headers_of(target: dict, sessions: dict, token: str) -> dict:
    if target["auth"] == "token":
        return {**PROXY, "Authorization": f"Token {token}", "Accept": "application/json"}
    return {**PROXY, "Cookie": f"sessionid={sessions[target['auth'].split(':')[1]]}", "Accept": "text/html"}


def wrk(target: dict, headers: dict, seconds: int) -> dict:
    """``wrk -t2 -c CLIENTS -d seconds`` on one target; its summary (bench/wrk_report.lua)."""
    report_path = OUT / "wrk-report.json"
    report_path.unlink(missing_ok=True)
    env = {
        **os.environ,
        "WRK_HEADERS": "\n".join(f"{name}: {value}" for name, value in headers.items()),
        "WRK_REPORT": str(report_path),
    }
    command = [
        WRK,
        "-t2",
        f"-c{CLIENTS}",
        f"-d{seconds}s",
        "--timeout",
        "30s",
        "-s",
        str(ROOT / "bench" / "wrk_report.lua"),
        f"{BASE}{target['path']}",
    ]
    with open(OUT / "wrk.log", "a") as log:
        log.write(f"$ {' '.join(command)}\n")
        log.flush()
        subprocess.run(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, timeout=seconds + 60)
    summary = json.loads(report_path.read_text())
    seconds_measured = summary["duration_us"] / 1e6
    return {
        "name": target["name"],
        "requests": summary["requests"],
        "rps": summary["requests"] / seconds_measured if seconds_measured else 0.0,
        "p50": summary["p50_us"] / 1000,
        "p95": summary["p95_us"] / 1000,
        "failures": summary["non_2xx"] + summary["socket_errors"],
    }


def _log_length() -> int:
    with open(OUT / "gunicorn.log", "rb") as log:
        return sum(1 for _ in log)


def _server_times(after_line: int) -> dict:
    """p50 and p95 of the milliseconds gunicorn spent on each request logged since ``after_line``
    (its access log, ``%(M)sms``): what the server took, without the time a request waited for a
    free worker, which is the rest of what wrk measures."""
    with open(OUT / "gunicorn.log", errors="replace") as log:
        lines = log.readlines()[after_line:]
    times = sorted(int(match.group(1)) for line in lines if (match := re.search(r" (\d+)ms$", line.rstrip())))
    if not times:
        return {"server_p50": float("nan"), "server_p95": float("nan")}
    return {"server_p50": times[len(times) // 2], "server_p95": times[min(len(times) - 1, int(len(times) * 0.95))]}


def run_closed(targets: list[dict], sessions: dict, token: str) -> list[tuple[dict, dict]]:
    """(floor, target) pairs: the floor measured just before each target, so that each ratio
    compares two figures taken within seconds of each other on a machine whose load moves."""
    (OUT / "wrk.log").unlink(missing_ok=True)
    say(
        f"wrk: {CLIENTS} connections, no think time, {WARMUP} s warm-up + {CLOSED_SECONDS} s measured, "
        f"the floor before each target, against {WORKERS}x{THREADS} {WORKER_CLASS}"
    )
    pairs = []
    for target in targets:
        measured = []
        for each in (FLOOR, target):
            headers = headers_of(each, sessions, token)
            if WARMUP:
                wrk(each, headers, WARMUP)
            logged = _log_length()
            result = wrk(each, headers, CLOSED_SECONDS)
            result.update(_server_times(logged))
            measured.append(result)
        floor, row = measured
        say(
            f"{row['name']}: {row['rps']:.1f} requests/s, p50 {row['p50']:.0f} ms, p95 {row['p95']:.0f} ms "
            f"(floor just before: {floor['rps']:.1f} requests/s, p50 {floor['p50']:.0f} ms, p95 {floor['p95']:.0f} ms)"
        )
        pairs.append((floor, row))
    return pairs


def report_closed(pairs: list[tuple[dict, dict]], *, submissions: int, cache: str) -> bool:
    print()
    print(
        f"Web benchmark, closed loop: {submissions:,} submissions on PostgreSQL, gunicorn {WORKERS} "
        f"{WORKER_CLASS} workers x {THREADS} threads (DEBUG off, cache: {cache or 'per-process memory'}), "
        f"wrk -t2 -c{CLIENTS} -d{CLOSED_SECONDS}s after {WARMUP} s warm-up, no think time, {os.cpu_count()} CPUs; "
        f"each target right after its floor ({FLOOR['path']})"
    )
    header = (
        f"{'target':<20} {'requests':>8} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'failures':>8} | "
        f"{'floor req/s':>11} {'p50':>5} {'p95':>5} | {'share':>6} {'slower':>7}  >=1/3 floor, p95<{P95_MS:.0f}ms"
        "  | in server p50/p95 (floor)"
    )
    print(header)
    print("-" * len(header))
    all_ok = True
    for floor, row in pairs:
        share = row["rps"] / floor["rps"] if floor["rps"] else 0.0
        ok = row["failures"] == 0 and floor["failures"] == 0 and share >= FLOOR_SHARE and row["p95"] < P95_MS
        all_ok &= ok
        print(
            f"{row['name']:<20} {row['requests']:>8} {row['rps']:>7.1f} {row['p50']:>7.0f} {row['p95']:>7.0f} "
            f"{row['failures']:>8} | {floor['rps']:>11.1f} {floor['p50']:>5.0f} {floor['p95']:>5.0f} | "
            f"{share:>6.2f} {1 / share if share else float('inf'):>6.1f}x  {'yes' if ok else 'NO':<22}"
            f"  | {row['server_p50']:.0f}/{row['server_p95']:.0f} ms "
            f"({floor['server_p50']:.0f}/{floor['server_p95']:.0f})"
        )
    print()
    print(
        "The ratios are what count: absolute figures move with whatever else the machine runs, so each "
        "target is compared with the floor measured just before it. 'In server' is gunicorn's own time per "
        "request (its access log); the rest of wrk's figure is the wait for one of the workers."
    )
    print(f"wrk's output: {OUT}/wrk.log, server log: {OUT}/gunicorn.log")
    return all_ok


def bench_secret_key() -> str:
    """The server's SECRET_KEY, made once and kept in ``OUT``: production keeps its key across
    restarts, and what one run signed into the cache (the pages' kept fragments) is valid in the
    next, as after a deploy, instead of being refused and rendered afresh until it expires."""
    path = OUT / "secret_key"
    if not path.exists():
        OUT.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


def main() -> int:
    dev_env = {**os.environ, "DEBUG": "1", "DATABASE_URL": DATABASE_URL}
    prod_env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": bench_secret_key(),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": DATABASE_URL,
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_LEVEL": "WARNING",
        "STATIC_ROOT": str(OUT / "static"),
        "CACHE_URL": cache_url(),
    }
    if MODE not in ("closed", "open"):
        raise SystemExit(f"BENCH_WEB_MODE is 'closed' (wrk, no think time) or 'open' (locust), not {MODE!r}")
    if MODE == "closed" and not WRK:
        raise SystemExit("The closed loop needs wrk: `make bench-deps` installs it (or BENCH_WEB_MODE=open).")
    submissions = prepare_data(dev_env)
    say("collecting static files")
    manage("collectstatic", "--noinput", env=prod_env, quiet=True)
    server = start_gunicorn(prod_env)
    try:
        sessions = {who: log_in(email) for who, email in PEOPLE.items()}
        token = api_token(PEOPLE["account_manager"])
        targets = choose_targets(sessions, token)
        warm_up(targets, sessions, token)
        rows = (run_closed if MODE == "closed" else run_locust)(targets, sessions, token)
    finally:
        stop(server)
    if MODE == "closed":
        return 0 if report_closed(rows, submissions=submissions, cache=prod_env["CACHE_URL"]) else 1
    return 0 if report(rows, submissions=submissions, cache=prod_env["CACHE_URL"]) else 1


if __name__ == "__main__":
    raise SystemExit(main())
