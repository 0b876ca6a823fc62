"""Sign-in under attack: does a password-guessing run slow everyone else down? (issue 13)

Against a running portal (production settings: gunicorn, DEBUG off, the real password hasher),
two closed-loop runs of the same length, no think time, one after the other:

1. the floor: CLIENTS clients on an anonymous ``GET /api/v1/me/`` (a 401, the cheapest answer);
2. the attack: CLIENTS clients sending wrong passwords for one account to ``POST /api/v1/auth/token/``.

During each, one more client reads ``/healthz`` every 100 ms; its latency is what a colleague
feels. Prints the answers by status and the probe's p50, p95 and max for both runs.

    python bench/sign_in_attack.py --url http://127.0.0.1:8000 --email hm@acme.example

The account (and, after AXES_ADDRESS_FAILURE_LIMIT failures, the address) ends up locked: unlock
with ``manage.py axes_reset``. Standard library only.
"""

from __future__ import annotations

import argparse
import collections
import json
import statistics
import threading
import time
import urllib.error
import urllib.request


def _status(request: urllib.request.Request) -> int:
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def run(url: str, make_request, *, clients: int, seconds: float) -> tuple[collections.Counter, list[float]]:
    stop = time.monotonic() + seconds
    answers: collections.Counter = collections.Counter()
    probe: list[float] = []
    lock = threading.Lock()

    def load() -> None:
        while time.monotonic() < stop:
            status = _status(make_request())
            with lock:
                answers[status] += 1

    def read_health() -> None:
        while time.monotonic() < stop:
            started = time.perf_counter()
            _status(urllib.request.Request(url + "/healthz"))
            probe.append((time.perf_counter() - started) * 1000)
            time.sleep(0.1)

    threads = [threading.Thread(target=load) for _ in range(clients)] + [threading.Thread(target=read_health)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers, sorted(probe)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--email", default="hm@acme.example")
    parser.add_argument("--clients", type=int, default=12)
    parser.add_argument("--seconds", type=float, default=20)
    options = parser.parse_args()
    url = options.url.rstrip("/")
    body = json.dumps({"email": options.email, "password": "a wrong guess"}).encode()
    runs = {
        "floor: GET /api/v1/me/ (401)": lambda: urllib.request.Request(url + "/api/v1/me/"),
        "attack: wrong passwords": lambda: urllib.request.Request(
            url + "/api/v1/auth/token/", data=body, headers={"Content-Type": "application/json"}
        ),
    }
    for name, make_request in runs.items():
        answers, probe = run(url, make_request, clients=options.clients, seconds=options.seconds)
        p95 = probe[min(len(probe) - 1, int(len(probe) * 0.95))]
        print(
            f"{name:32} answers {dict(sorted(answers.items()))}  /healthz p50 {statistics.median(probe):.0f} ms"
            f"  p95 {p95:.0f} ms  max {probe[-1]:.0f} ms  (n={len(probe)})"
        )


if __name__ == "__main__":
    main()
