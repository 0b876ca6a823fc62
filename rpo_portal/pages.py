"""Page plumbing shared by every app's views: render in the viewer's time zone, the friendly 404
and 403, a service's ``ValidationError`` put back beside the form fields it names, and the status
of a form sent back with its errors.

Pages follow the API's pattern: the object comes through a selector (not visible: ``not_found``),
the service refuses what the actor may not do (``PermissionDenied``: ``forbidden``), and every
moment on the page is shown in the viewer's own zone, named on the page.
"""

from __future__ import annotations

import zoneinfo
from datetime import datetime
from functools import cache

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.templatetags.static import static
from django.utils import timezone, translation
from django.utils.dates import MONTHS_3, WEEKDAYS_ABBR
from django.utils.http import url_has_allowed_host_and_scheme

UTC_ZONE = zoneinfo.ZoneInfo("UTC")


def viewer_zone(viewer) -> zoneinfo.ZoneInfo:
    """The zone a page shows its moments in: the viewer's own, UTC for a visitor."""
    return getattr(viewer, "zone", None) or UTC_ZONE


def short_moment(moment: datetime, zone: zoneinfo.ZoneInfo) -> str:
    """``moment`` in ``zone`` as ``{{ moment|date:"D j M, H:i" }}`` shows it there ("Tue 17 Nov,
    10:00", the names in the active language), for a view that makes a list's strings itself: the
    filter costs ten times as much, once a row."""
    days, months = _short_names(translation.get_language())
    local = moment.astimezone(zone)
    return f"{days[local.weekday()]} {local.day} {months[local.month]}, {local:%H:%M}"


@cache
def _short_names(language: str | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The abbreviated day and month names of ``language`` as the ``D`` and ``M`` of Django's date
    format make them (``django.utils.dateformat``), translated once per language."""
    with translation.override(language):
        days = tuple(str(WEEKDAYS_ABBR[day]) for day in range(7))
        months = ("", *(str(MONTHS_3[month]).title() for month in range(1, 13)))
    return days, months


def render_page(request: HttpRequest, template: str, context: dict, *, viewer=None, status: int = 200) -> HttpResponse:
    """Render with every datetime shown in the viewer's own time zone (named on the page).

    ``viewer`` is whom the page is for when that is not the signed-in user (the one-click link
    acts for the person it was sent to); by default the signed-in user."""
    viewer = viewer if viewer is not None else request.user
    zone = viewer_zone(viewer)
    with timezone.override(zone):
        return render(request, template, {**context, "viewer": viewer, "zone_name": str(zone)}, status=status)


def not_found(request: HttpRequest, *, viewer=None) -> HttpResponse:
    """Not there, or not shared with the viewer: the same answer, so nothing leaks."""
    return render_page(request, "404.html", {}, viewer=viewer, status=404)


def forbidden(request: HttpRequest, message: str, *, viewer=None) -> HttpResponse:
    """Visible, but not the viewer's to do: say why, and that nothing changed."""
    return render_page(request, "forbidden.html", {"message": message}, viewer=viewer, status=403)


def form_status(form: forms.BaseForm) -> int:
    """The status of a page showing a form: 200 for the empty form, 400 for one sent back with its
    errors. A form page answers a successful POST with a redirect to a page that says what happened
    (post/redirect/get), so a bound form that is rendered is a refused one."""
    return 400 if form.is_bound else 200


def local_url_or(request: HttpRequest, target: str, default: str) -> str:
    """``target`` (a ``next`` the page was given) when it stays on this site, else ``default``: a
    redirect never leads off the portal."""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's ``ValidationError`` next to the fields it names; the rest on top of the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


def see_other(to, *args, **kwargs) -> HttpResponseRedirect:
    """The answer to a page form's POST (post/redirect/get): 303 See Other, so the browser GETs
    the page and Back or reload sends nothing again. ``to`` is what ``django.shortcuts.redirect``
    takes: a URL, a URL name with its arguments, or a model."""
    response = HttpResponseRedirect(resolve_url(to, *args, **kwargs))
    response.status_code = 303
    return response


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico on their own (and for files that are not pages): send them to the
    icon every page links, at its static address (hashed in production)."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))
