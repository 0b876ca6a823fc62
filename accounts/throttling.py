"""Throttling what an attacker repeats: signing in (django-axes, configured in the settings) and
asking for password-reset or invitation emails (django-ratelimit, here).

Sign-in: ``LockoutBackend`` (axes' ``AxesStandaloneBackend``) comes first in
``AUTHENTICATION_BACKENDS``; once an account or a client address has ``AXES_FAILURE_LIMIT``
failures within ``AXES_COOLOFF_TIME``, it refuses before the password hasher runs, on the sign-in
page, the admin's and ``POST /api/v1/auth/token/``.
Accounts are counted by their email in lower case, as they sign in (``axes_username``).
"""

from __future__ import annotations

import logging
from functools import wraps

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_ratelimit.core import is_ratelimited

logger = logging.getLogger(__name__)


def axes_username(request: HttpRequest, credentials: dict | None) -> str | None:
    """``AXES_USERNAME_CALLABLE``: the email tried, whichever name the form gave it (``username``
    on the sign-in pages, ``email`` on the API), in lower case like the accounts' emails."""
    credentials = credentials or {}
    value = credentials.get("email") or credentials.get("username")
    if value is None:
        data = getattr(request, "data", None) or request.POST
        value = data.get("email") or data.get("username") if hasattr(data, "get") else None
    return str(value).strip().lower() if value else None


class AccountOrAddressHandler(AxesDatabaseHandler):
    """Axes' database handler with a limit of its own for a client address.

    Axes compares the larger of the account's and the address's failure counts (one per
    ``AXES_LOCKOUT_PARAMETERS`` entry: the account, then the address) with one limit. An address
    counts in proportion instead: ``AXES_ADDRESS_FAILURE_LIMIT`` failures from it weigh as much as
    ``AXES_FAILURE_LIMIT`` for one account, so an office behind one address is locked out only by
    many failures, while five wrong passwords still lock the account they were tried on."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        account, address = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        return max(account, address * settings.AXES_FAILURE_LIMIT // settings.AXES_ADDRESS_FAILURE_LIMIT)


def rate_limited(request: HttpRequest, *, group: str, rate: str, targets: list[str]) -> bool:
    """Count one request against ``rate`` per client address and per each of ``targets`` (an email
    address asked about, the account asking) and say whether any of them is over. A cache that
    cannot be reached lets the request through with a warning: the sign-in lockout lives in the
    database, and these limits only slow down the sending of emails."""
    keys = ["ip", *(lambda _group, _request, target=target: target for target in targets if target)]
    limited = False
    for key in keys:
        try:
            # Every key counts this request, even once one is over, so that no key lags behind.
            limited |= is_ratelimited(request, group=group, key=key, rate=rate, method="POST", increment=True)
        except Exception as error:
            logger.warning("Rate limit %s not checked, the cache failed: %r", group, error)
    return limited


def too_many_requests(request: HttpRequest, *, title: str, message: str, back_url: str) -> HttpResponse:
    """The friendly 429 page of a rate limit (same look as the sign-in page)."""
    response = render(
        request,
        "accounts/rate_limited.html",
        {"title": title, "message": message, "back_url": back_url},
        status=429,
    )
    response["Retry-After"] = str(settings.RATE_LIMIT_RETRY_AFTER_SECONDS)
    return response


def lockout_response(request: HttpRequest, original_response=None, credentials: dict | None = None) -> HttpResponse:
    """``AXES_LOCKOUT_CALLABLE``: the sign-in pages (the portal's and the admin's) answer 429 with a
    page that says signing in is paused and for how long. (The API answers its own JSON 429.)"""
    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    response = render(request, "registration/locked_out.html", {"cooloff_minutes": minutes}, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response


def limit_posts(*, group: str, rate_setting: str, targets, title: str, message: str):
    """A view decorator: a POST over ``settings.<rate_setting>`` per client address or per one of
    ``targets(request)`` answers the friendly 429 page instead of running the view."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method == "POST" and rate_limited(
                request, group=group, rate=getattr(settings, rate_setting), targets=targets(request)
            ):
                return too_many_requests(request, title=title, message=message, back_url=request.path)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _email_asked_about(request: HttpRequest) -> str:
    return "email:" + request.POST.get("email", "").strip().lower()


def password_reset_targets(request: HttpRequest) -> list[str]:
    return [_email_asked_about(request)]


def invite_targets(request: HttpRequest) -> list[str]:
    return [f"user:{request.user.pk}", _email_asked_about(request)]


limit_password_reset_requests = limit_posts(
    group="password-reset",
    rate_setting="RATE_LIMIT_PASSWORD_RESET",
    targets=password_reset_targets,
    title="Too many reset requests",
    message="We have had too many password-reset requests for this address or from your network. "
    "If an account has this address, a link is already on its way: check your inbox and spam folder, "
    "or try again in an hour.",
)
limit_invitation_requests = limit_posts(
    group="team-invite",
    rate_setting="RATE_LIMIT_INVITE",
    targets=invite_targets,
    title="Too many invitations",
    message="You have sent many invitations in a short time, or this address was just invited. "
    "Nothing was sent this time: try again in an hour.",
)


class LockoutBackend(AxesStandaloneBackend):
    """The lockout, first in ``AUTHENTICATION_BACKENDS``. Axes needs the request to know the client;
    a check without one (the shell, a script) has no client to lock out, so it is let through to the
    password check instead of failing."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
