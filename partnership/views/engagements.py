"""The engagement pages: the account manager's list of engagements with their health, and one
engagement's mutual scorecard (client side beside provider side) with its trends, the hiring
managers by responsiveness, what is overdue, who covers each requisition today and the
escalations of the window; plus the scorecard as CSV for a quarterly review.

Who sees what: the engagement comes from ``engagement_list`` (not there -> 404). Provider staff
and the client's admin see the scorecard; a hiring manager is sent to their inbox from the list
and refused (403) on an engagement they can see through their requisitions. Every figure comes
from ``partnership.scorecard``; coverage from ``requisition_covering_recruiters``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from accounts.models import User
from accounts.selectors import out_of_office_list
from engagements import selectors as engagement_selectors
from engagements.local_dates import engagement_today
from engagements.models import Assignment, Engagement, Requisition
from engagements.policies import can_manage_engagement
from engagements.selectors import requisition_covering_recruiters, requisition_teams
from feedback.cost_of_waiting import MIN_CANDIDATES as COST_MIN_CANDIDATES
from rpo_portal.cache import cache_get, cache_set
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
from ..pulse import PULSE_MIN_ANSWERS, pulse_trends, questions_for
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


def _visible_engagement(request: HttpRequest, pk: int) -> tuple[Engagement | None, HttpResponse | None]:
    engagement = engagement_selectors.engagement_list(user=request.user).filter(pk=pk).first()
    if engagement is None:
        return None, not_found(request)
    if not can_read_scorecard(request.user):
        return None, forbidden(
            request,
            "The partnership scorecard is for the account team and your organisation's admin. "
            "What is asked of you is in your inbox.",
        )
    return engagement, None


@login_required
@require_GET
def engagement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    engagement, refusal = _visible_engagement(request, pk)
    if refusal is not None:
        return refusal
    user = request.user
    days, days_message = _window(request)
    now = timezone.now()
    # No ``now``: the live scorecard, cached until its engagement changes (or for about a minute:
    # "overdue now" moves with the clock); a busy page costs about one computation a minute.
    scorecard = scorecard_module.engagement_scorecard(engagement=engagement, days=days)
    context = {
        "engagement": engagement,
        "days": days,
        "days_message": days_message,
        "windows": scorecard_module.WINDOWS,
        "scorecard_body": _scorecard_body(scorecard, viewer=user),
    }
    if request.headers.get("HX-Request") == "true" and request.GET.get("part") == "scorecard":
        # htmx swaps only the window-dependent part when the 30/90 switch is clicked.
        return render_page(request, "partnership/engagements/_scorecard.html", context, viewer=user)
    context.update(_requisitions_context(request, engagement, now=now))
    context["can_manage"] = can_manage_engagement(user, engagement)
    context["may_open_assignments"] = can_open_assignment_pages(user)
    context["may_read_review_pack"] = can_read_review_pack(user, engagement)  # the quarterly review pack (qbr)
    context["may_read_history"] = runs_engagement(user, engagement)  # its History (views.history)
    # Open issues, oldest first with their owner (one query; one more than shown says "and more").
    open_issues = open_issues_for_engagement(engagement, limit=OPEN_ISSUES_SHOWN + 1, user=user)
    context["open_issues"] = open_issues[:OPEN_ISSUES_SHOWN]
    context["more_open_issues"] = len(open_issues) > OPEN_ISSUES_SHOWN
    context["may_raise_issue"] = can_raise_issue(user, engagement)
    context.update(_pulse_context(engagement, viewer=user, now=now))
    context.update(implementation_page_context(engagement))
    # Wins: the latest with the people thanked, and the suggestions for those who decide on them
    # (two queries each, however many).
    context["recent_wins"] = recent_wins(engagement=engagement)
    context["may_record_win"] = can_record_win(user)
    context["may_decide_suggestions"] = can_decide_suggested_wins(user)
    if context["may_decide_suggestions"]:
        context["suggested_wins"] = offered_suggestions(engagement=engagement)
    return render_page(request, "partnership/engagements/detail.html", context, viewer=user)


def _pulse_context(engagement: Engagement, *, viewer, now: datetime) -> dict:
    """The pulse section: each side's average per question over the last surveys (None under the
    threshold) and its response rate, and the survey waiting on the viewer's answer; one or two
    queries, whatever the number of surveys."""
    trends = pulse_trends(engagement=engagement, viewer=viewer)
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
    waiting = [result.survey for result in trends if result.waiting_on_viewer and result.survey.closes_at > now]
    return {
        "pulse_trends": trends,
        "pulse_sides": sides,
        "pulse_min_answers": PULSE_MIN_ANSWERS,
        "pulse_waiting": waiting[::-1],
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


def _requisitions_context(request: HttpRequest, engagement: Engagement, *, now: datetime) -> dict:
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
    page = Paginator(requisitions, REQUISITIONS_PER_PAGE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    ids = [row.pk for row in rows]
    # Who holds each role, read once: the coverage rule and the Backup column both use it.
    teams = requisition_teams(requisition_ids=ids, at=now, roles=[Assignment.Role.PRIMARY, Assignment.Role.BACKUP])
    coverage = requisition_covering_recruiters(requisition_ids=ids, at=now, teams=teams)
    away_ids = {item.primary.pk for item in coverage.values() if item.primary_is_away and item.primary}
    away_until: dict[int, datetime] = {}
    if away_ids:
        # Shown only to those who may see absences (provider staff); others read "is away".
        absences = out_of_office_list(user=request.user).filter(
            user_id__in=away_ids, starts_at__lte=now, ends_at__gt=now
        )
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
