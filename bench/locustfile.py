"""Locust users for ``bench/web.py``: one kind of user per target, logged in beforehand.

``bench/web.py`` logs the demo people in once and passes everything through the environment:

- ``BENCH_WEB_TARGETS``: JSON list of ``{"name", "path", "auth": "session:<who>" | "token"}``;
- ``BENCH_WEB_SESSIONS``: JSON ``{who: session cookie value}``; ``BENCH_WEB_TOKEN``: an API token;
- ``BENCH_WEB_WAIT``: think time between a user's requests, "min,max" seconds (e.g. "0.5,1.5"; "0,0").

Requests carry ``X-Forwarded-Proto: https`` as they would behind the TLS-terminating proxy that
production runs behind (DEBUG is off: secure cookies, HTTPS redirect). Cookies are sent by hand
because a cookie jar keeps secure cookies off a plain-http connection.
"""

import json
import os
import re

from locust import FastHttpUser, between, constant, task

TARGETS = json.loads(os.environ.get("BENCH_WEB_TARGETS", "[]"))
SESSIONS = json.loads(os.environ.get("BENCH_WEB_SESSIONS", "{}"))
TOKEN = os.environ.get("BENCH_WEB_TOKEN", "")
_low, _high = (float(part) for part in os.environ.get("BENCH_WEB_WAIT", "0.5,1.5").split(","))
WAIT = constant(_low) if _low == _high else between(_low, _high)
PER_TARGET = int(os.environ.get("BENCH_WEB_USERS_PER_TARGET", "5"))


def _headers(auth: str) -> dict:
    headers = {"X-Forwarded-Proto": "https"}
    if auth == "token":
        headers["Authorization"] = f"Token {TOKEN}"
        headers["Accept"] = "application/json"
    else:
        who = auth.split(":", 1)[1]
        headers["Cookie"] = f"sessionid={SESSIONS[who]}"
        headers["Accept"] = "text/html"
    return headers


def _user_class(target: dict) -> type:
    headers = _headers(target["auth"])

    def load(self):
        with self.client.get(target["path"], headers=headers, name=target["name"], catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")

    return type(
        "".join(part.title() for part in re.split(r"[^A-Za-z0-9]+", target["name"]) if part) + "User",
        (FastHttpUser,),
        {
            "wait_time": WAIT,
            "fixed_count": PER_TARGET,
            "tasks": [task(load)],
            "connection_timeout": 30.0,
            "network_timeout": 30.0,
            "__module__": __name__,
        },
    )


# Locust collects every User class in this module's namespace: one name per class, no leftovers.
globals().update({cls.__name__: cls for cls in map(_user_class, TARGETS)})
