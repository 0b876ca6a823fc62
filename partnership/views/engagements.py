"""The engagement pages: the account manager's list of engagements with their health, and one
engagement's mutual scorecard (client side beside provider side) with its trends, the hiring
managers by responsiveness, what is overdue, who covers each requisition today and the
escalations of the window; plus the scorecard as CSV for a quarterly review.

Who sees what: the engagement comes from ``engagement_list`` (not there -> 404). Provider staff
and the client's admin see the scorecard; a hiring manager is sent to their inbox from the list
and refused (403) on an engagement they can see through their requisitions. Every figure comes
from ``partnership.scorecard``; coverage from ``requisition_covering_recruiters``.

What a busy page costs: the scorecard part is kept as rendered text beside the live scorecard
(``_live_scorecard_body``), and the heading's line with the engagement-wide sections as one signed
fragment (``_sections``, keyed by ``sections_key``: engagement version, side, permissions, zone,
language, window and page; at most ``SECTIONS_SECONDS`` old for what changes without a version
bump, see there). Only the header's links, the pulse surveys waiting on the viewer, and the CSRF
token and address in the suggestions' forms are the viewer's own, made per request.

A warm page: three queries (the session's user; the engagement with its account managers' ids,
which every permission on the page reads, outside a transaction) and three cache round trips (the
session; the engagement's version; both kept parts with ``get_many``), each signature checked once.
A fourth query only while one of the pulse surveys shown is open: is it waiting on the viewer.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Case, Count, IntegerField, Prefetch, Q, Value, When
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from accounts.models import User
from accounts.selectors import out_of_office_list
from engagements import selectors as engagement_selectors
from engagements.activity import engagement_version
from engagements.local_dates import engagement_today
from engagements.models import Assignment, Engagement, Requisition
from engagements.policies import can_manage_engagement
from engagements.selectors import requisition_covering_recruiters, requisition_teams
from feedback.cost_of_waiting import MIN_CANDIDATES as COST_MIN_CANDIDATES
from rpo_portal.cache import cache_get, cache_get_many, cache_set, signed_read, signed_set
from rpo_portal.pages import UTC_ZONE, forbidden, not_found, render_page

from .. import scorecard as scorecard_module
from ..items import open_issues_for_engagement
from ..models import Side
from ..policies import (
    can_decide_suggested_wins,
    can_open_assignment_pages,
    can_raise_issue,
    can_read_scorecard,
    can_record_win,
    runs_engagement,
)
from ..pulse import PULSE_MIN_ANSWERS, pulse_trends, pulse_waiting_on, questions_for
from ..pulse.questions import SIDE_TITLES
from ..qbr import can_read_review_pack
from ..scorecard.figures import escalations_sent
from ..wins import offered_suggestions, recent_wins
from .implementation import engagement_page_context as implementation_page_context

REQUISITIONS_PER_PAGE = 25  # open requisitions first; the rest on the next pages
ESCALATIONS_SHOWN = 20  # the latest ones in the window
HIRING_MANAGERS_SHOWN = 50  # slowest first: the ones worth a conversation
OPEN_ISSUES_SHOWN = 5  # the oldest open issues; the rest on the issues and wins page
OVERDUE_SHOWN_OPEN = 10  # the longest overdue; the rest of the scorecard's list behind "Show"

logger = logging.getLogger(__name__)


# --- Who may look, and which window -------------------------------------------------------------


def _window(request: HttpRequest) -> tuple[int, str]:
    """The ?days= window: 30 or 90; anything else falls back to the first with a plain message."""
    windows = scorecard_module.WINDOWS
    raw = request.GET.get("days", "")
    if raw == "":
        return windows[0], ""
    try:
        days = int(raw.strip())
    except ValueError:
        days = None
    if days in windows:
        return days, ""
    choices = " or ".join(str(window) for window in windows)
    return windows[0], f"We show the last {choices} days, so this is the last {windows[0]} days."


# --- The list -----------------------------------------------------------------------------------


@login_required
@require_GET
def engagement_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not can_read_scorecard(user):
        # A hiring manager's page is the inbox: what is asked of them.
        return redirect("feedback:inbox")
    now = timezone.now()
    open_requisition = Q(requisitions__status=Requisition.Status.OPEN)
    engagements = list(
        engagement_selectors.engagement_list(user=user)
        .annotate(
            open_requisitions=Count("requisitions", filter=open_requisition),
            status_order=Case(
                When(status=Engagement.Status.ACTIVE, then=Value(0)),
                When(status=Engagement.Status.IMPLEMENTATION, then=Value(1)),
                When(status=Engagement.Status.PAUSED, then=Value(2)),
                default=Value(3),
                output_field=IntegerField(),
            ),
        )
        .order_by("status_order", "name")
    )
    # The overdue counts shown are the ones health is judged on: counted once.
    overdue = scorecard_module.overdue_counts(engagements=engagements, now=now)
    health = scorecard_module.engagement_health_map(engagements=engagements, now=now, overdue=overdue)
    rows = [
        EngagementRow(
            engagement=engagement,
            health=health.get(engagement.pk),
            open_requisitions=engagement.open_requisitions,
            overdue_client=overdue.get(engagement.pk, {}).get("client", 0),
            overdue_provider=overdue.get(engagement.pk, {}).get("provider", 0),
        )
        for engagement in engagements
    ]
    return render_page(request, "partnership/engagements/list.html", {"rows": rows}, viewer=user)


@dataclass(frozen=True)
class EngagementRow:
    engagement: Engagement
    health: object | None
    open_requisitions: int
    overdue_client: int
    overdue_provider: int


# --- One engagement -----------------------------------------------------------------------------


def _visible_engagement(
    request: HttpRequest, pk: int, *, related: tuple[str, ...] = ("provider", "client")
) -> tuple[Engagement | None, HttpResponse | None]:
    """The engagement ``pk`` if the signed-in person may read its scorecard, else the refusal.
    Read with ``related`` (the two organisations, whose names the pages show) and who runs it (its
    account managers' ids: all that the policies read of them); get(), not first(): no ORDER BY."""
    user = request.user
    try:
        engagements = Engagement.objects.prefetch_related(
            Prefetch("account_managers", queryset=User.objects.only("pk").order_by())
        )
        if related:  # select_related() without names would follow every relation
            engagements = engagements.select_related(*related)
        engagement = engagements.get(pk=pk)
    except Engagement.DoesNotExist:
        engagement = None
    if engagement is not None and not _sees_whole_engagement(user, engagement):
        # Not one of the plain cases: engagement_list decides (a recruiter on a requisition of it,
        # a backup standing in, a hiring manager, or someone who may not see it).
        engagement = engagement_selectors.engagement_list(user=user).filter(pk=pk).first()
    if engagement is None:
        return None, not_found(request)
    if not can_read_scorecard(user):
        return None, forbidden(
            request,
            "The partnership scorecard is for the account team and your organisation's admin. "
            "What is asked of you is in your inbox.",
        )
    return engagement, None


def _sees_whole_engagement(user: User, engagement: Engagement) -> bool:
    """True only where ``engagement_list(user=user)`` certainly holds ``engagement``, read from the
    engagement and its account managers (prefetched) without a query: those who run it
    (``runs_engagement``: the bootstrap admin, the client's admins, the provider's admins and its
    account managers). False means "ask engagement_list", never "may not see" (a test holds the
    two in agreement)."""
    return bool(user.is_authenticated and user.is_active) and runs_engagement(user, engagement)


@transaction.non_atomic_requests  # only reads, each one statement: BEGIN and COMMIT would add two round trips
@login_required
@require_GET
def engagement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    # Without the organisations: their names are in the kept parts (the heading, the scorecard's).
    engagement, refusal = _visible_engagement(request, pk, related=())
    if refusal is not None:
        return refusal
    user = request.user
    days, days_message = _window(request)
    # htmx swaps only the window-dependent part when the 30/90 switch is clicked.
    scorecard_only = request.headers.get("HX-Request") == "true" and request.GET.get("part") == "scorecard"
    page_number = request.GET.get("page")
    # The kept parts, read in two round trips whatever their number: the engagement's version (in
    # every key), then the scorecard part and the sections together.
    version = engagement_version(engagement.pk)
    body_key = _body_key(engagement, days=days, viewer=user, version=version)
    sections_key_ = (
        None
        if scorecard_only
        else _sections_key(engagement, viewer=user, days=days, page_number=page_number, version=version)
    )
    kept = cache_get_many([key for key in (body_key, sections_key_) if key is not None]) if version is not None else {}
    context = {
        "engagement": engagement,
        "days": days,
        "days_message": days_message,
        "windows": scorecard_module.WINDOWS,
        "scorecard_body": _live_scorecard_body(
            engagement, days=days, viewer=user, version=version, kept=kept.get(body_key) if body_key else None
        ),
    }
    if scorecard_only:
        return render_page(request, "partnership/engagements/_scorecard.html", context, viewer=user)
    now = timezone.now()
    sections = _sections(
        engagement,
        viewer=user,
        days=days,
        page_number=page_number,
        now=now,
        key=sections_key_,
        kept=kept.get(sections_key_) if sections_key_ else None,
    )
    context["can_manage"] = can_manage_engagement(user, engagement)
    context["may_open_assignments"] = can_open_assignment_pages(user)
    context["may_read_review_pack"] = can_read_review_pack(user, engagement)  # the quarterly review pack (qbr)
    context["may_read_history"] = runs_engagement(user, engagement)  # its History (views.history)
    # The one part of the page that is the viewer's own: the pulse surveys waiting on their answer,
    # asked only while one of those the sections show is open (most of the time none is).
    open_surveys = [pk for pk, closes_at in sections["open_pulse"] if datetime.fromisoformat(closes_at) > now]
    context["pulse_waiting"] = pulse_waiting_on(engagement=engagement, viewer=user, now=now, among=open_surveys)
    context["engagement_heading"] = mark_safe(sections["heading"])
    context["implementation_section"] = mark_safe(sections["implementation"])
    context["engagement_sections"] = _put_in_viewers_own(request, sections["sections"])
    return render_page(request, "partnership/engagements/detail.html", context, viewer=user)


# --- The engagement-wide sections, rendered once per version, side, permissions and zone -------

SECTIONS_FORMAT = 2  # part of every key: changed with _sections.html, the templates it includes or their context
SECTIONS_SECONDS = scorecard_module.CACHE_SECONDS  # kept no longer than the scorecard beside them
SECTIONS_SALT = "partnership.engagement-page.sections"
SECTIONS_FIELDS = {"heading", "implementation", "sections", "open_pulse"}
# Where the signed-in person's own values go in the shared HTML: written by the template as
# attribute values, so that no text of a user (escaped, quotes included) can ever match them.
CSRF_MARKER = "csrf-token-of-the-viewer"
NEXT_MARKER = "address-of-the-viewers-page"
_CSRF_MARKED = f'name="csrfmiddlewaretoken" value="{CSRF_MARKER}"'
_NEXT_MARKED = f'name="next" value="{NEXT_MARKER}#'


def _page_key(raw) -> str:
    """The requisitions page asked for, as ``Paginator.get_page`` reads it: an integer, else page 1."""
    try:
        return str(int(raw))
    except (TypeError, ValueError):
        return "-"


def sections_key(engagement: Engagement, *, version: int, viewer, days: int, page_number, zone_name: str) -> str:
    """The cache key of the engagement page's engagement-wide sections: everything they depend on.

    - The engagement and its version (engagements.activity): every service that changes what they
      show bumps it when it commits (issues raised, updated, moved or resolved; wins recorded,
      suggestions offered, accepted or dismissed; pulse surveys opened and answered; requisitions,
      assignments, implementation tasks and the engagement itself), so such a change shows at
      once. What changes without a bump shows within ``SECTIONS_SECONDS`` (the key is kept no
      longer): an out-of-office period starting, ending or being set (accounts cannot import
      engagements, so "is away" and "covers" lag by up to a minute), an assignment's first or last
      day arriving, an issue falling overdue, a survey closing (its averages then shown), a
      person's or organisation's name edited. The scorecard beside them is as fresh, for the same
      reason ("overdue now" moves with the clock).
    - The window (the pager's links carry it) and the requisitions page.
    - What differs between viewers: the side, each permission that shows a button or section
      (raise an issue, record a win, decide on suggestions), whose absences the viewer may see
      (``out_of_office_list``: provider staff, their own organisation's), time zone and language.
    Whoever reaches this part has passed ``_visible_engagement`` for this engagement: the key is
    only ever read for an engagement the viewer may open, and everyone who may open it sees all of
    its issues, wins and requisitions (hiring managers, who see less, are refused the page).
    """
    absences = (
        f"org{viewer.organization_id}"
        if viewer.is_authenticated and viewer.is_active and viewer.is_provider_staff
        else "none"
    )
    flags = "".join(
        "1" if allowed else "0"
        for allowed in (
            can_raise_issue(viewer, engagement),
            can_record_win(viewer),
            can_decide_suggested_wins(viewer),
        )
    )
    return ":".join(
        [
            "engagement-page",
            "sections",
            str(SECTIONS_FORMAT),
            str(engagement.pk),
            str(version),
            str(days),
            _page_key(page_number),
            "client" if viewer.is_client_user else "provider",
            flags,
            absences,
            zone_name,
            translation.get_language() or "",
        ]
    )


def _sections_key(engagement: Engagement, *, viewer, days: int, page_number, version: int | None) -> str | None:
    """``sections_key`` for this viewer; None when the cache cannot be reached (no version)."""
    if version is None:
        return None
    zone = getattr(viewer, "zone", None) or UTC_ZONE
    return sections_key(
        engagement, version=version, viewer=viewer, days=days, page_number=page_number, zone_name=str(zone)
    )


def _sections(engagement: Engagement, *, viewer, days: int, page_number, now: datetime, key: str | None, kept) -> dict:
    """The heading's line (the two organisations, the status and the viewer's zone), the
    implementation section and the sections below the scorecard, as HTML, from the cache
    when a viewer with the same key (``sections_key``) has seen this version of the engagement in
    the last minute (``kept``: what the page read under ``key``); rendered and kept otherwise.

    Kept with them: the pulse surveys among those shown that were open when they were rendered
    (``open_pulse``: id and closing moment), so that the page asks whether one waits on the viewer
    only while one is open. A survey sent bumps the version; one closing is read from the moment.

    Rendered without the request, like the scorecard part: no context processor can put anything
    of the signed-in person into HTML served to others. The forms' CSRF token and their ``next``
    address are markers, replaced per request (``_put_in_viewers_own``). Signed: whoever can
    write to Redis cannot put HTML into pages. When the cache cannot be reached, rendered each time."""
    if key is not None:
        parts = signed_read(key, kept, salt=SECTIONS_SALT, fields=SECTIONS_FIELDS)
        if parts is not None:
            return parts
    zone = getattr(viewer, "zone", None) or UTC_ZONE
    context = {
        "engagement": engagement,
        "zone_name": str(zone),
        "days": days,
        "csrf_token": CSRF_MARKER,
        "suggestions_next": NEXT_MARKER,
        **_requisitions_context(engagement, page_number=page_number, viewer=viewer, now=now),
        **implementation_page_context(engagement),
        **_pulse_context(engagement),
    }
    # Open issues, oldest first with their owner (one query; one more than shown says "and more").
    # Not scoped per viewer: whoever gets here sees the whole engagement, so partnership_item_list
    # would keep them all.
    open_issues = open_issues_for_engagement(engagement, limit=OPEN_ISSUES_SHOWN + 1)
    context["open_issues"] = open_issues[:OPEN_ISSUES_SHOWN]
    context["more_open_issues"] = len(open_issues) > OPEN_ISSUES_SHOWN
    context["may_raise_issue"] = can_raise_issue(viewer, engagement)
    # Wins: the latest with the people thanked, and the suggestions for those who decide on them
    # (two queries each, however many).
    context["recent_wins"] = recent_wins(engagement=engagement)
    context["may_record_win"] = can_record_win(viewer)
    context["may_decide_suggestions"] = can_decide_suggested_wins(viewer)
    if context["may_decide_suggestions"]:
        context["suggested_wins"] = offered_suggestions(engagement=engagement)
    with timezone.override(zone):
        parts = {
            "heading": render_to_string("partnership/engagements/_heading.html", context).strip(),
            "implementation": render_to_string("partnership/implementation/_engagement_section.html", context),
            "sections": render_to_string("partnership/engagements/_sections.html", context),
            "open_pulse": [
                [result.survey.pk, result.survey.closes_at.isoformat()]
                for result in context["pulse_trends"]
                if result.survey.closes_at > now
            ],
        }
    if key is not None:
        signed_set(key, parts, SECTIONS_SECONDS, salt=SECTIONS_SALT)
    return parts


def _put_in_viewers_own(request: HttpRequest, html: str):
    """The shared sections with the signed-in person's CSRF token and page address where the
    markers stand (the suggestions' forms; none when there is no form)."""
    if _CSRF_MARKED in html:
        html = html.replace(_CSRF_MARKED, f'name="csrfmiddlewaretoken" value="{escape(get_token(request))}"')
    if _NEXT_MARKED in html:
        html = html.replace(_NEXT_MARKED, f'name="next" value="{escape(request.get_full_path())}#')
    return mark_safe(html)  # our own render (signed when stored), with escaped values put in


def _pulse_context(engagement: Engagement) -> dict:
    """The pulse section: each side's average per question over the last surveys (None under the
    threshold) and its response rate; one or two queries, whatever the number of surveys. The
    surveys waiting on the viewer are the page's own part (``pulse_waiting_on``)."""
    trends = pulse_trends(engagement=engagement)
    sides = []
    for side in (Side.CLIENT, Side.PROVIDER):
        results = [getattr(result, side) for result in trends]
        rows = [
            (
                question.label,
                [row.questions[index].display for row in results],
            )
            for index, question in enumerate(questions_for(side))
        ]
        sides.append((side, SIDE_TITLES[side], rows, [row.response_rate_display for row in results]))
    return {
        "pulse_trends": trends,
        "pulse_sides": sides,
        "pulse_min_answers": PULSE_MIN_ANSWERS,
    }


# --- The scorecard part, rendered once per scorecard, side and time zone ------------------------

SCORECARD_BODY_FORMAT = 2  # part of every key: changed with _scorecard_body.html or its context
_scorecard_body_signer = signing.Signer(salt="partnership.engagement-page.scorecard-body")


def scorecard_body_key(scorecard, *, viewer_is_client: bool, zone_name: str) -> str:
    """The cache key of the scorecard part of an engagement page: everything it depends on.

    - The scorecard itself: its engagement, window and the moment it was computed (``ends_at``).
      A scorecard is recomputed when its engagement's version moves (engagements.activity) and at
      least every ``CACHE_SECONDS`` or so ("overdue now" and "overdue by" move with the clock), so
      the part is exactly as fresh as the scorecard it shows, never older. The escalations listed
      are those of the scorecard's own window, which ends at ``ends_at``.
    - The viewer's side: the client reads "Escalations received", the provider "Escalations sent".
    - The viewer's time zone (every date is shown in it) and language.
    Whoever reaches this part has passed ``_visible_engagement`` for this engagement first: the
    key is only ever read for an engagement the viewer may open.
    """
    return ":".join(
        [
            "engagement-page",
            "scorecard-body",
            str(SCORECARD_BODY_FORMAT),
            str(scorecard.engagement.pk),
            str(scorecard.days),
            scorecard.ends_at.isoformat(),
            "client" if viewer_is_client else "provider",
            zone_name,
            translation.get_language() or "",
        ]
    )


def _scorecard_body(scorecard, *, viewer) -> str:
    """The scorecard part of the page (health, both sides, trends, hiring managers, overdue,
    escalations: about 1,000 template nodes and one query), from the cache when another viewer on
    the same side and in the same zone has seen this scorecard; rendered and kept otherwise.

    Rendered without the request, so that no context processor can put anything of the signed-in
    person into HTML served to others; only the viewer's side and zone go in, and they are in the
    key. Signed, like the sessions' cookies: whoever can write to Redis cannot put HTML into pages.
    Kept as long as a scorecard may be served (``STALE_SECONDS``); the key changes with every
    recomputed scorecard, so the time only bounds the memory."""
    zone = getattr(viewer, "zone", None) or UTC_ZONE
    viewer_is_client = bool(viewer.is_client_user)
    key = scorecard_body_key(scorecard, viewer_is_client=viewer_is_client, zone_name=str(zone))
    stored = cache_get(key)
    if isinstance(stored, str):
        try:
            return mark_safe(_scorecard_body_signer.unsign(stored))  # our own render: signed when stored
        except signing.BadSignature:
            logger.warning("Ignoring the cached scorecard part %r, whose signature does not match.", key)
    context = {
        **_scorecard_context(scorecard, viewer_is_client=viewer_is_client),
        "engagement": scorecard.engagement,
        "zone_name": str(zone),
    }
    with timezone.override(zone):
        html = render_to_string("partnership/engagements/_scorecard_body.html", context)
    cache_set(key, _scorecard_body_signer.sign(html), scorecard_module.STALE_SECONDS)
    return html  # a SafeString: rendered by the template, escaped there


def _body_form(viewer) -> str:
    """The ``form`` under which the live scorecard's part is kept for this viewer: side, zone, language."""
    zone = getattr(viewer, "zone", None) or UTC_ZONE
    return ":".join(
        [
            "engagement-page-body",
            str(SCORECARD_BODY_FORMAT),
            "client" if viewer.is_client_user else "provider",
            str(zone),
            translation.get_language() or "",
        ]
    )


def _body_key(engagement: Engagement, *, days: int, viewer, version: int | None) -> str | None:
    """Where ``_live_scorecard_body`` is kept for this viewer; None when the cache cannot be reached."""
    if version is None:
        return None
    return scorecard_module.rendered_key(engagement.pk, days, version, _body_form(viewer))


def _live_scorecard_body(engagement: Engagement, *, days: int, viewer, version: int | None, kept) -> str:
    """The live scorecard's part, kept as its rendered text beside the scorecard
    (``engagement_scorecard_rendered``: the engagement's version, the window, and never longer than
    the scorecard is served), so that a busy page reads one string and builds no scorecard from its
    ~1,000 cached figures. Keyed like ``scorecard_body_key`` but for ``ends_at``, which the version
    and that time stand for. Signed as well; a text whose signature does not match (another secret
    key's) is rendered afresh and replaced. ``version`` and ``kept``: the engagement's version and
    what the page read under ``_body_key``.

    Each text is verified once: the HTML ``check`` finds under a good signature, or the one just
    rendered, is what the page shows."""
    form = _body_form(viewer)
    html_of: dict[str, str] = {}  # signed text -> its HTML, verified or ours

    def ours(text: str) -> bool:
        try:
            html_of[text] = _scorecard_body_signer.unsign(text)
        except signing.BadSignature:
            logger.warning("Replacing the cached scorecard text %r, whose signature does not match.", form)
            return False
        return True

    def render(scorecard) -> str:
        html = _scorecard_body(scorecard, viewer=viewer)
        text = _scorecard_body_signer.sign(html)
        html_of[text] = html
        return text

    text = scorecard_module.engagement_scorecard_rendered(
        engagement=engagement, days=days, form=form, render=render, check=ours, version=version, kept=kept
    )
    html = html_of.get(text)
    if html is None:  # not through ours or render (a test's stand-in): verified here
        html = _scorecard_body_signer.unsign(text)
    return mark_safe(html)  # checked, or our own render


def _complete_weeks_max(weeks, key: str) -> float | None:
    values = [point.values.get(key) for point in weeks if not point.partial]
    return max((value for value in values if value is not None), default=None)


def _scorecard_context(scorecard, *, viewer_is_client: bool) -> dict:
    figures = {figure.key: figure for figure in [*scorecard.client, *scorecard.provider]}
    charted = [figures[key] for key in scorecard.charted if key in figures]
    chart_data = {
        "labels": [
            f"{point.week_start.day} {point.week_start:%b}" + (" (so far)" if point.partial else "")
            for point in scorecard.weeks
        ],
        "weeks": [point.week_start.isoformat() for point in scorecard.weeks],
        "partial": [point.partial for point in scorecard.weeks],
        "series": [
            {
                "key": figure.key,
                "label": figure.label,
                "unit": figure.unit,
                "side": figure.side,
                "values": [point.values.get(figure.key) for point in scorecard.weeks],
                # The y-axis is scaled on the complete weeks: the week under way must not flatten them.
                "scale_max": _complete_weeks_max(scorecard.weeks, figure.key),
            }
            for figure in charted
        ],
    }
    week_rows = [
        {
            "week_start": point.week_start,
            "partial": point.partial,
            "cells": [scorecard_module.format_value(point.values.get(figure.key), figure.unit) for figure in charted],
        }
        for point in scorecard.weeks
    ]
    overdue = [_overdue_row(item) for item in scorecard.overdue]
    return {
        "scorecard": scorecard,
        "viewer_is_client": viewer_is_client,
        "cost_min_candidates": COST_MIN_CANDIDATES,
        "charted": charted,
        "chart_data": chart_data,
        "week_rows": week_rows,
        "partial_week": any(point.partial for point in scorecard.weeks),
        "hiring_managers": [
            {
                "row": row,
                "on_time": scorecard_module.format_value(row.on_time_share, "percent"),
                "turnaround": scorecard_module.format_value(row.median_turnaround_hours, "hours"),
            }
            for row in scorecard.hiring_managers[:HIRING_MANAGERS_SHOWN]
        ],
        "hiring_managers_hidden": max(0, len(scorecard.hiring_managers) - HIRING_MANAGERS_SHOWN),
        "overdue": overdue[:OVERDUE_SHOWN_OPEN],
        "overdue_folded": overdue[OVERDUE_SHOWN_OPEN:],
        "overdue_listed": len(overdue),
        "overdue_shown_total": sum(scorecard.overdue_total.values()),
        "escalations": _escalations(scorecard),
    }


def _overdue_row(item) -> dict:
    url = None
    if item.url_name and item.url_pk is not None:
        try:
            url = reverse(item.url_name, kwargs={"pk": item.url_pk})
        except NoReverseMatch:
            url = None
    return {"item": item, "url": url}


def _escalations(scorecard) -> dict:
    """Escalations sent in the window about this engagement's requests, newest first.

    Scoped by the engagement, like every part of the scorecard: whoever reaches this page sees the
    whole engagement (engagement_list, and only roles whose scope is whole engagements get past
    _may_see_scorecard), so this is exactly what reminder_list would give them, without
    reminder_list's scans of every request they may see (a test holds the two equal). The window
    is the scorecard's, so the list agrees with its escalation count.
    """
    rows = list(
        escalations_sent(engagement_ids=[scorecard.engagement.pk], start=scorecard.starts_at, end=scorecard.ends_at)
        .select_related(
            "recipient",
            "feedback_request__requested_of",
            "feedback_request__submission__candidate",
            "feedback_request__submission__requisition",
            "availability_request__requested_of",
            "availability_request__submission__candidate",
            "availability_request__submission__requisition",
        )
        .order_by("-sent_at", "-id")[: ESCALATIONS_SHOWN + 1]
    )
    return {"rows": rows[:ESCALATIONS_SHOWN], "more": len(rows) > ESCALATIONS_SHOWN}


# --- Requisitions and who covers them today -----------------------------------------------------


@dataclass(frozen=True)
class CoverageRow:
    requisition: Requisition
    primary: User | None
    backup: User | None
    covering: User | None
    primary_is_away: bool
    away_until: datetime | None


def _requisitions_context(engagement: Engagement, *, page_number, viewer, now: datetime) -> dict:
    """One page of the engagement's requisitions with who covers each today: a count, the page's
    rows and the coverage of those rows only (its assignments and absences), whatever the number
    of requisitions.

    The engagement's own requisitions, not ``requisition_list``'s scoping of each one: whoever
    reaches this page sees the whole engagement (as for ``_escalations``), so the two are the same
    (a test holds them equal), without the scoping subqueries in the count and the page's query.
    """
    requisitions = (
        Requisition.objects.filter(engagement_id=engagement.pk)
        .select_related("hiring_manager")
        .annotate(closed_last=Case(When(status=Requisition.Status.OPEN, then=Value(0)), default=Value(1)))
        .order_by("closed_last", "-opened_on", "code", "pk")
    )
    page = Paginator(requisitions, REQUISITIONS_PER_PAGE).get_page(page_number)
    rows = list(page.object_list)
    ids = [row.pk for row in rows]
    # Who holds each role, read once: the coverage rule and the Backup column both use it.
    teams = requisition_teams(requisition_ids=ids, at=now, roles=[Assignment.Role.PRIMARY, Assignment.Role.BACKUP])
    coverage = requisition_covering_recruiters(requisition_ids=ids, at=now, teams=teams)
    away_ids = {item.primary.pk for item in coverage.values() if item.primary_is_away and item.primary}
    away_until: dict[int, datetime] = {}
    if away_ids:
        # Shown only to those who may see absences (provider staff); others read "is away".
        absences = out_of_office_list(user=viewer).filter(user_id__in=away_ids, starts_at__lte=now, ends_at__gt=now)
        for absence in absences.order_by("user_id", "-ends_at"):
            away_until.setdefault(absence.user_id, absence.ends_at)
    coverage_rows = []
    for requisition in rows:
        covered = coverage.get(requisition.pk)
        primary = covered.primary if covered else None
        backup = teams[requisition.pk].backup
        coverage_rows.append(
            CoverageRow(
                requisition=requisition,
                primary=primary,
                backup=backup.recruiter if backup else None,
                covering=covered.recruiter if covered else None,
                primary_is_away=bool(covered and covered.primary_is_away),
                away_until=away_until.get(primary.pk) if primary else None,
            )
        )
    return {"requisition_page": page, "coverage_rows": coverage_rows}


# --- CSV ----------------------------------------------------------------------------------------


@login_required
@require_GET
def engagement_scorecard_csv(request: HttpRequest, pk: int) -> HttpResponse:
    engagement, refusal = _visible_engagement(request, pk)
    if refusal is not None:
        return refusal
    days, _ = _window(request)
    scorecard = scorecard_module.engagement_scorecard(engagement=engagement, days=days)
    today = engagement_today(engagement)
    filename = f"{slugify(engagement.name) or 'engagement'}-scorecard-{today:%Y-%m-%d}-{days}-days.csv"
    response = HttpResponse(scorecard_module.scorecard_csv(scorecard=scorecard), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
