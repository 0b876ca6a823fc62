"""The requisition pages: "my requisitions" and a requisition's pipeline.

Who sees what is the selectors' business (engagements.selectors.requisition_list and friends);
who covers a requisition today is requisition_covering_recruiters; who may move a candidate is
engagements.policies. Every list is built from a fixed number of grouped queries, whatever the
number of requisitions or submissions:

- the ids of the page shown, the oldest wait on the client side first, and how many are in view and
  waiting, in one query: the database orders by ``Requisition.waiting_on_client_since`` (kept by the
  feedback services from ``feedback.selectors.requests_waiting_on_client``) and slices;
- for the page shown: the rows, what waits on whom (two grouped queries), the pipeline counts
  (one grouped query), the coverage (two).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Window
from django.http import HttpRequest, HttpResponse
from django.template.defaultfilters import pluralize
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.timesince import timesince
from django.views.decorators.cache import never_cache

from accounts.models import User
from engagements.activity import engagement_versions
from engagements.local_dates import engagement_today
from engagements.models import Engagement, Requisition, Submission
from engagements.selectors import (
    Coverage,
    engagement_list,
    orientation_unread_engagement_ids,
    requisition_covering_recruiters,
    requisition_teams,
    requisitions_in_care_of,
    submission_list,
    submission_stage_counts,
)
from engagements.selectors import (
    requisition_list as requisitions_visible_to,
)
from feedback.models import FeedbackRequest, RequestStatus
from feedback.selectors import (
    WaitingOn,
    availability_request_list,
    feedback_request_list,
    open_requests_by_requisition,
)
from rpo_portal.cache import signed_get, signed_set
from rpo_portal.pages import render_page, viewer_zone

from ..pulse import pulse_surveys_waiting_on

PAGE_SIZE = 25
HIRING_MANAGER_PAGE_SIZE = 10
ACTIVE_STATUSES = (Requisition.Status.OPEN, Requisition.Status.ON_HOLD)
Stage = Submission.Stage
# The forward stages get a column each; rejected and withdrawn are counted together as "out".
PIPELINE_COLUMNS = (
    (Stage.SUBMITTED, "Submitted"),
    (Stage.HM_REVIEW, "HM review"),
    (Stage.INTERVIEW, "Interview"),
    (Stage.OFFER, "Offer"),
    (Stage.HIRED, "Hired"),
)
OUT_STAGES = (Stage.REJECTED, Stage.WITHDRAWN)
STAGE_ORDER = {stage: index for index, stage in enumerate(Stage.values)}
# Roles whose list is "my requisitions" (the others see every requisition of their engagements).
MY_LIST_ROLES = (User.Role.RECRUITER, User.Role.SOURCER, User.Role.HIRING_MANAGER)
STATUS_FILTERS = {
    "": "Open and on hold",
    "all": "All",
    **dict(Requisition.Status.choices),
}


def waited_for(since: datetime, now: datetime) -> str:
    """'3 days', '5 hours', '20 minutes': how long something has waited, as a person counts it
    (in days, not "1 week", since service levels are counted in hours and days)."""
    seconds = max((now - since).total_seconds(), 0)
    for unit, size in (("day", 86400), ("hour", 3600)):
        if seconds >= size:
            count = int(seconds // size)
            return f"{count}\xa0{unit}{pluralize(count)}"
    return timesince(since, now, depth=1)


def _who(person: User | None) -> str:
    if person is None:
        return "nobody"
    return person.display_name


# --- Rows of the lists --------------------------------------------------------------------------


@dataclass
class RequisitionRow:
    requisition: Requisition
    stage_counts: list[tuple[str, int]]
    out_count: int
    total: int
    days_open: int
    waiting: list[WaitingOn]
    waiting_lines: list[str]
    coverage: Coverage | None
    covered_by: str
    covering_for: User | None = None
    my_roles: list[str] = field(default_factory=list)
    # Made once in the view (escaped there), so the list's template renders a few nodes per row.
    url: str = ""
    badges: str = ""
    cells: str = ""

    @property
    def waiting_count(self) -> int:
        return sum(entry.count for entry in self.waiting)


def days_open_of(requisition: Requisition, now: datetime) -> int:
    """Days from opening to filling, or to the engagement's today while it is not filled."""
    today = engagement_today(requisition.engagement, now)
    end = requisition.filled_on if requisition.status == Requisition.Status.FILLED and requisition.filled_on else today
    return max((end - requisition.opened_on).days, 0)


def coverage_line(coverage: Coverage | None) -> str:
    if coverage is None or coverage.recruiter is None:
        return "Nobody assigned"
    if coverage.primary_is_away and coverage.primary is not None:
        return f"{_who(coverage.recruiter)} (covering for {_who(coverage.primary)})"
    return _who(coverage.recruiter)


# The oldest wait on the client side first (kept on the requisition by the feedback services:
# Requisition.waiting_on_client_since), then the ones with nothing waiting, longest open first.
WAIT_ORDER = (F("waiting_on_client_since").asc(nulls_last=True), "opened_on", "code", "id")


class _OrderedIds(Sequence):
    """The ids of a scoped requisition queryset in WAIT_ORDER, for a Paginator: one query per page
    read, ordered, counted and sliced by the database (window counts beside the page's rows), so a
    page costs the same whether the viewer covers ten requisitions or a thousand."""

    def __init__(self, queryset):
        self.queryset = queryset.order_by(*WAIT_ORDER)
        self.total: int | None = None
        self.waiting_total = 0
        self.pages: dict[int, tuple[int, list[int]]] = {}  # offset: (limit read, ids)

    def fetch(self, offset: int, limit: int) -> list[int]:
        read = self.pages.get(offset)
        # What was read serves any shorter slice, and any slice at all when it reached the end.
        if read is None or (len(read[1]) < limit and len(read[1]) == read[0]):
            rows = list(
                self.queryset.annotate(
                    in_view=Window(Count("id")), waiting_in_view=Window(Count("waiting_on_client_since"))
                ).values_list("id", "in_view", "waiting_in_view")[offset : offset + limit]
            )
            if rows:
                self.total, self.waiting_total = rows[0][1], rows[0][2]
            elif offset == 0:
                self.total, self.waiting_total = 0, 0
            read = self.pages[offset] = (limit, [row[0] for row in rows])
        return read[1][:limit]

    def __len__(self) -> int:
        if self.total is None:
            self.fetch(0, 1)
        return self.total

    def __getitem__(self, index):
        if not isinstance(index, slice):
            raise TypeError("Only a page of ids is read.")
        return self.fetch(index.start or 0, index.stop - (index.start or 0))


def _page(request: HttpRequest, queryset, per_page: int) -> tuple[Page, _OrderedIds]:
    """The page asked for of ``queryset`` in WAIT_ORDER; get_page answers a bad or out-of-range
    ?page= with the nearest page instead of an error. One query when the page exists (its rows
    carry the counts); two when the number was out of range (counts, then the nearest page)."""
    ids = _OrderedIds(queryset)
    raw = request.GET.get("page")
    try:
        number = max(int(raw), 1) if raw else 1
    except ValueError:
        number = 1
    ids.fetch((number - 1) * per_page, per_page)  # the likely page, and the counts with it
    if ids.total is None:  # past the end: count from the first page
        ids.fetch(0, per_page)
    return Paginator(ids, per_page).get_page(raw), ids


def _requisition_rows(page_ids: list[int], *, user: User, now: datetime) -> list[RequisitionRow]:
    # page_ids came out of the viewer's scoped queryset in this request: fetching them by key spares
    # the database planning the scope's subqueries a second time (11 ms of 45 at demo scale).
    requisitions = {
        requisition.pk: requisition
        for requisition in Requisition.objects.filter(id__in=page_ids).select_related("engagement__client")
    }
    counts = submission_stage_counts(requisition_ids=page_ids)
    waiting = open_requests_by_requisition(requisition_ids=page_ids) if page_ids else {}
    # Who holds each role today, read once: the coverage rule and "my roles" both read it.
    teams = requisition_teams(requisition_ids=page_ids, at=now) if page_ids else {}
    coverage = requisition_covering_recruiters(requisition_ids=page_ids, at=now, teams=teams) if page_ids else {}
    my_roles: dict[int, list[str]] = {}
    if user.is_provider_staff:
        # The roles I hold today: on a handover (or swap) day, not also the one whose last day it is.
        for requisition_id, team in teams.items():
            for assignment in team.holders:
                if assignment.recruiter_id == user.pk:
                    my_roles.setdefault(requisition_id, []).append(assignment.get_role_display())
    detail_url = reverse("partnership:requisition-detail", args=[int(URL_PLACEHOLDER)])
    rows = []
    for requisition_id in page_ids:
        requisition = requisitions.get(requisition_id)
        if requisition is None:  # gone between the two queries
            continue
        per_stage = counts.get(requisition_id, {})
        entries = waiting.get(requisition_id, [])
        covered = coverage.get(requisition_id)
        covering_for = None
        if covered and covered.primary_is_away and covered.recruiter is not None and covered.recruiter.pk == user.pk:
            covering_for = covered.primary
        stage_counts = [(label, per_stage.get(stage, 0)) for stage, label in PIPELINE_COLUMNS]
        out_count = sum(per_stage.get(stage, 0) for stage in OUT_STAGES)
        days_open = days_open_of(requisition, now)
        waiting_lines = [
            f"{entry.count} waiting on {entry.person_name}, oldest {waited_for(entry.oldest_at, now)}"
            for entry in entries
        ]
        rows.append(
            RequisitionRow(
                requisition=requisition,
                stage_counts=stage_counts,
                out_count=out_count,
                total=sum(per_stage.values()),
                days_open=days_open,
                waiting=entries,
                waiting_lines=waiting_lines,
                coverage=covered,
                covered_by=coverage_line(covered),
                covering_for=covering_for,
                my_roles=my_roles.get(requisition_id, []),
                url=detail_url.replace(URL_PLACEHOLDER, str(requisition_id)),
                badges=_badges(requisition),
                cells=_cells(stage_counts, out_count, days_open, waiting_lines),
            )
        )
    return rows


# A requisition's address, reversed once per list: the id takes the placeholder's place.
URL_PLACEHOLDER = "2147483647"


def _badges(requisition: Requisition) -> str:
    """The status (unless open) and the priority (when high or urgent) badges of a row."""
    badges = ""
    if requisition.status != Requisition.Status.OPEN:
        badges += f' <span class="badge">{escape(requisition.get_status_display())}</span>'
    if requisition.priority in ("urgent", "high"):
        priority, label = escape(requisition.priority), escape(requisition.get_priority_display())
        badges += f' <span class="badge priority-{priority}">{label}</span>'
    return mark_safe(badges)  # every part escaped above, or our own constant


def _cells(stage_counts: list[tuple[str, int]], out_count: int, days_open: int, waiting_lines: list[str]) -> str:
    """A row's cells after its name: the count per stage, out, days open, what waits on the client
    (the labels are PIPELINE_COLUMNS' constants, the figures numbers; only the lines need escaping)."""
    counts = "".join(
        f'<td class="num count{"" if count else " zero"}" data-label="{label}">{count}</td>'
        for label, count in (*stage_counts, ("Out", out_count))
    )
    waiting = (
        "".join(f'<span class="waiting-line">{escape(line)}</span>' for line in waiting_lines)
        if waiting_lines
        else '<span class="muted">Nothing</span>'
    )
    return mark_safe(
        f'{counts}<td class="num days" data-label="Days open">{days_open}</td>\n'
        f'        <td class="waiting" data-label="Waiting">{waiting}</td>'
    )


# --- The list: one view, three audiences --------------------------------------------------------


@never_cache
@login_required
def requisition_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.role == User.Role.HIRING_MANAGER:
        return _hiring_manager_list(request)
    if user.role in (User.Role.RECRUITER, User.Role.SOURCER):
        return _my_requisitions(request)
    return _all_requisitions(request)


def _my_requisitions(request: HttpRequest) -> HttpResponse:
    """What I cover today: where I am assigned, and where I stand in for a primary who is away.

    The table (its rows, counts and pager) is the person's own and costs most of the page (their
    care set, each row's pipeline, waits and coverage), so it is kept for a minute under the
    versions of their organisation's engagements (``my_table_key``); the surveys waiting on them
    are read on every request."""
    user = request.user
    now = timezone.now()
    zone = viewer_zone(user)
    key = my_table_key(user, page_number=request.GET.get("page"), zone_name=str(zone))
    table = signed_get(key, salt=MY_TABLE_SALT, fields={"html", "total", "waiting_total"}) if key else None
    if table is None:
        table = _my_table(request, user=user, now=now, zone=zone)
        if key is not None:
            signed_set(key, table, MY_TABLE_SECONDS, salt=MY_TABLE_SALT)
    context = {
        "table_html": mark_safe(table["html"]),  # our own render, signed when kept
        "total": table["total"],
        "waiting_total": table["waiting_total"],
        "mine": True,
        "pulse_waiting": pulse_surveys_waiting_on(user=user, now=now),
    }
    return render_page(request, "partnership/requisitions/list.html", context)


# --- "My requisitions" kept a minute under the versions of the engagements it can show ----------

MY_TABLE_FORMAT = 1  # part of every key: changed with _table.html or the rows' shape
MY_TABLE_SECONDS = 60
MY_TABLE_SALT = "partnership.my-requisitions.table"


def my_table_key(user: User, *, page_number, zone_name: str) -> str | None:
    """The cache key of a recruiter's or sourcer's own table: everything it depends on.

    - The person (the table is theirs alone: their care set, their roles, what they stand in for,
      which orientations they have not read) and the page asked for.
    - The version of every engagement of their organisation (engagements.activity; one round trip
      for all): each service that changes what a row shows bumps its engagement when it commits
      (an assignment made or ended, a submission or its stage, a request opened, answered or
      cancelled, a requisition, an orientation note changed or read), so such a change shows at
      once. Their care set lies within these engagements (a recruiter is assigned, and stands in,
      only on their own organisation's).
    - Their time zone and language.
    What changes without a bump shows within ``MY_TABLE_SECONDS`` (the key is kept no longer): an
    out-of-office period of a colleague starting, ending or being set (who stands in for whom:
    accounts cannot import engagements), an assignment's first or last day arriving, "oldest 3
    hours" and "days open" moving with the clock. None when the cache cannot be reached."""
    if not (user.is_provider_staff and user.organization_id):
        return None
    engagement_ids = Engagement.objects.filter(provider_id=user.organization_id).values_list("pk", flat=True)
    versions = engagement_versions(list(engagement_ids))
    if versions is None:
        return None
    try:
        page = str(max(int(page_number), 1)) if page_number else "1"
    except (TypeError, ValueError):
        page = "1"
    state = ",".join(f"{pk}.{version}" for pk, version in sorted(versions.items()))
    digest = hashlib.sha256(state.encode()).hexdigest()
    return ":".join(
        [
            "my-requisitions",
            str(MY_TABLE_FORMAT),
            str(user.pk),
            page,
            digest[:32],
            zone_name,
            translation.get_language() or "",
        ]
    )


def _my_table(request: HttpRequest, *, user: User, now: datetime, zone) -> dict:
    """The person's table rendered without the request (nothing of the session in it)."""
    queryset = requisitions_in_care_of(user=user, at=now).filter(status__in=ACTIVE_STATUSES)
    page, ids = _page(request, queryset, PAGE_SIZE)
    rows = _requisition_rows(list(page.object_list), user=user, now=now)
    context = {
        "rows": rows,
        "page": page,
        "mine": True,
        "query_prefix": "",
        # The engagements whose orientation I have not read as it stands (one query, however many rows).
        "orientation_unread_ids": orientation_unread_engagement_ids(
            user=user, engagement_ids={row.requisition.engagement_id for row in rows}
        )
        if rows
        else set(),
    }
    with timezone.override(zone):
        html = render_to_string("partnership/requisitions/_table.html", context)
    return {"html": html, "total": len(ids), "waiting_total": ids.waiting_total}


def _all_requisitions(request: HttpRequest) -> HttpResponse:
    """Account managers, provider admins, client admins: every requisition they may see."""
    user = request.user
    now = timezone.now()
    queryset = requisitions_visible_to(user=user)
    notices = []

    engagements = list(engagement_list(user=user).prefetch_related(None).values_list("id", "name"))
    engagement_names = dict(engagements)
    selected_engagement = None
    raw_engagement = request.GET.get("engagement", "").strip()
    if raw_engagement:
        if raw_engagement.isdigit() and int(raw_engagement) in engagement_names:
            selected_engagement = int(raw_engagement)
            queryset = queryset.filter(engagement_id=selected_engagement)
        else:
            notices.append("That engagement is not one you can see, so requisitions of all your engagements are shown.")

    status = request.GET.get("status", "").strip()
    if status not in STATUS_FILTERS:
        notices.append(f"“{status[:40]}” is not a requisition status, so open and on-hold requisitions are shown.")
        status = ""
    if status == "":
        queryset = queryset.filter(status__in=ACTIVE_STATUSES)
    elif status != "all":
        queryset = queryset.filter(status=status)

    page, ids = _page(request, queryset, PAGE_SIZE)
    rows = _requisition_rows(list(page.object_list), user=user, now=now)
    query = {"engagement": selected_engagement or "", "status": status}
    context = {
        "rows": rows,
        "page": page,
        "total": len(ids),
        "waiting_total": ids.waiting_total,
        "mine": False,
        "engagements": engagements,
        "selected_engagement": selected_engagement,
        "status_filters": list(STATUS_FILTERS.items()),
        "selected_status": status,
        "notices": notices,
        "query_prefix": "".join(f"{name}={value}&" for name, value in query.items() if value),
    }
    return render_page(request, "partnership/requisitions/list.html", context)


# --- The hiring manager's requisitions: cards, phone first --------------------------------------


@dataclass
class Ask:
    label: str
    url: str
    due_at: datetime
    is_overdue: bool


@dataclass
class CandidateLine:
    submission: Submission
    in_stage_for: str
    asks: list[Ask] = field(default_factory=list)


@dataclass
class HiringManagerCard:
    requisition: Requisition
    days_open: int
    candidates: list[CandidateLine]
    hired: int
    out_count: int

    @property
    def asks(self) -> list[Ask]:
        return [ask for line in self.candidates for ask in line.asks]


def _asks_of(user: User, *, requisition_ids, now: datetime) -> dict[int, list[Ask]]:
    """Open requests asked of ``user`` on these requisitions, by submission, soonest due first."""
    feedback = feedback_request_list(user=user).filter(
        requested_of_id=user.pk, status=RequestStatus.OPEN, submission__requisition_id__in=requisition_ids
    )
    availability = (
        availability_request_list(user=user)
        .prefetch_related(None)
        .filter(requested_of_id=user.pk, status=RequestStatus.OPEN, submission__requisition_id__in=requisition_ids)
    )
    asks: dict[int, list[Ask]] = {}
    for feedback_request in feedback:
        label = "Give feedback" if feedback_request.kind == FeedbackRequest.Kind.RESUME_REVIEW else "Assess interview"
        asks.setdefault(feedback_request.submission_id, []).append(
            Ask(
                label=label,
                url=reverse("feedback:feedback-respond", kwargs={"pk": feedback_request.pk}),
                due_at=feedback_request.due_at,
                is_overdue=feedback_request.is_overdue_at(now),
            )
        )
    for availability_request in availability:
        asks.setdefault(availability_request.submission_id, []).append(
            Ask(
                label="Offer interview slots",
                url=reverse("feedback:availability-respond", kwargs={"pk": availability_request.pk}),
                due_at=availability_request.due_at,
                is_overdue=availability_request.is_overdue_at(now),
            )
        )
    for entries in asks.values():
        entries.sort(key=lambda ask: ask.due_at)
    return asks


def _hiring_manager_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    now = timezone.now()
    queryset = requisitions_visible_to(user=user).filter(status__in=ACTIVE_STATUSES)
    page, ids = _page(request, queryset, HIRING_MANAGER_PAGE_SIZE)
    page_ids = list(page.object_list)
    requisitions = {requisition.pk: requisition for requisition in queryset.filter(id__in=page_ids)}
    submissions = sorted(
        submission_list(user=user).filter(requisition_id__in=page_ids, stage__in=Submission.OPEN_STAGES),
        key=lambda submission: (-STAGE_ORDER[submission.stage], submission.stage_changed_at),
    )
    asks = _asks_of(user, requisition_ids=page_ids, now=now)
    counts = submission_stage_counts(requisition_ids=page_ids)
    lines: dict[int, list[CandidateLine]] = {}
    for submission in submissions:
        lines.setdefault(submission.requisition_id, []).append(
            CandidateLine(
                submission=submission,
                in_stage_for=waited_for(submission.stage_changed_at, now),
                asks=asks.get(submission.pk, []),
            )
        )
    cards = []
    for requisition_id in page_ids:
        requisition = requisitions.get(requisition_id)
        if requisition is None:
            continue
        per_stage = counts.get(requisition_id, {})
        # What is asked of me first, soonest due first; then the furthest along.
        candidates = sorted(
            lines.get(requisition_id, []),
            key=lambda line: (0, line.asks[0].due_at.timestamp()) if line.asks else (1, 0),
        )
        cards.append(
            HiringManagerCard(
                requisition=requisition,
                days_open=days_open_of(requisition, now),
                candidates=candidates,
                hired=per_stage.get(Stage.HIRED, 0),
                out_count=sum(per_stage.get(stage, 0) for stage in OUT_STAGES),
            )
        )
    context = {
        "cards": cards,
        "page": page,
        "total": len(ids),
        "asked_total": sum(len(card.asks) for card in cards),
        "query_prefix": "",
        "pulse_waiting": pulse_surveys_waiting_on(user=request.user, now=now),
    }
    return render_page(request, "partnership/requisitions/hiring_manager_list.html", context)
