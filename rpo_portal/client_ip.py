"""The address of the client a request comes from: one answer for the sign-in lockout (django-axes)
and the rate limits (django-ratelimit).

In production the portal sits behind ``TRUSTED_PROXY_COUNT`` proxies (the TLS proxy that also sets
``X-Forwarded-Proto``). Each proxy appends the address it received the request from to
``X-Forwarded-For``, so the entry ``TRUSTED_PROXY_COUNT`` places from the right is the client as
our outermost proxy saw it. Entries further left were written by the client and can say anything:
they are never used. Without proxies (``TRUSTED_PROXY_COUNT = 0``, development) the header is
ignored and ``REMOTE_ADDR`` is the client.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR") or "0.0.0.0"
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [entry for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if entry.strip()]
        if len(forwarded) >= proxies:
            return _valid(forwarded[-proxies]) or remote
    return _valid(remote) or remote
