"""Reads on feedback and availability requests; access scoping for this app lives here.

A request is visible to whoever can see its submission (engagements.selectors.submission_list),
and always to the person it was asked of (an interviewer who is not the hiring manager).
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache

from django.db import connection
from django.db.models import CharField, Count, DateTimeField, Min, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Least
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from accounts.models import User
from engagements.models import Requisition, Submission, SubmissionStageChange
from engagements.selectors import submission_list
from rpo_portal.dates import sane_range

from .models import (
    OVERDUE_RUNG,
    AvailabilityRequest,
    AvailabilitySlot,
    FeedbackRequest,
    Reminder,
    RequestStatus,
    moment_has_come,
)

_REQUEST_RELATED = (
    "requested_of",
    "submission",
    "submission__candidate",
    "submission__requisition",
    "submission__requisition__engagement",
    "submission__requisition__hiring_manager",
)


def _scoped(queryset: QuerySet, *, user: User, mine: bool) -> QuerySet:
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if mine:
        # "Mine": asked of me, or about a requisition I work on or manage.
        return queryset.filter(
            Q(requested_of_id=user.pk) | Q(submission_id__in=submission_list(user=user, mine=True).values("id"))
        )
    return queryset.filter(Q(requested_of_id=user.pk) | Q(submission_id__in=submission_list(user=user).values("id")))


def feedback_request_list(*, user: User, mine: bool = False) -> QuerySet[FeedbackRequest]:
    queryset = FeedbackRequest.objects.select_related(*_REQUEST_RELATED, "interview", "feedback", "ladder")
    return _scoped(queryset, user=user, mine=mine)


def availability_request_list(*, user: User, mine: bool = False) -> QuerySet[AvailabilityRequest]:
    # The slots offered, without any stored before slots were held to the sane range
    # (rpo_portal.dates): one in the year 9999 cannot be shown east of UTC, nor booked.
    earliest, latest = sane_range()
    slots = AvailabilitySlot.objects.filter(starts_at__gte=earliest, ends_at__lte=latest)
    queryset = AvailabilityRequest.objects.select_related(
        *_REQUEST_RELATED, "booked_interview", "ladder"
    ).prefetch_related(Prefetch("slots", queryset=slots))
    return _scoped(queryset, user=user, mine=mine)


def reminder_list(*, user: User) -> QuerySet[Reminder]:
    return Reminder.objects.select_related("recipient").filter(
        Q(feedback_request_id__in=feedback_request_list(user=user).values("id"))
        | Q(availability_request_id__in=availability_request_list(user=user).values("id"))
    )


INBOX_LIMIT = 25  # requests shown per page of an inbox, the most urgent first


def asked_of(model, *, user: User) -> QuerySet:
    """The open requests of ``model`` asked of ``user``: the one definition of a person's inbox,
    served by ``feedback_request_inbox_idx`` and ``availability_request_inbox_idx``
    (requested_of, status, due_at)."""
    return model.objects.filter(requested_of_id=user.pk, status=RequestStatus.OPEN)


def inbox_for(*, user: User, limit: int | None = None) -> dict:
    """What is asked of a user and still open, soonest due first (the reminder digest).

    With ``limit``, at most that many of each kind (the most urgent), and ``total`` / ``overdue``
    count them all (``inbox_totals``).
    """
    asked: dict = dict(inbox_totals(user=user, now=timezone.now()))
    for key, model in (("feedback", FeedbackRequest), ("availability", AvailabilityRequest)):
        soonest = asked_of(model, user=user).select_related(*_REQUEST_RELATED).order_by("due_at", "id")
        asked[key] = list(soonest if limit is None else soonest[:limit])
    return asked


def _open_totals(requests_of, *, now: datetime) -> dict[str, int]:
    """How many of the requests ``requests_of(model)`` selects, of both kinds, and how many of them
    are overdue: one aggregate per kind. COUNT(*) and COUNT(due_at) (never null), not COUNT(id): an
    index that holds no id can answer them alone (an index-only scan)."""
    totals = {"total": 0, "overdue": 0}
    for model in (FeedbackRequest, AvailabilityRequest):
        counts = requests_of(model).aggregate(
            total=Count("*"), overdue=Count("due_at", filter=model.objects.overdue_q(now))
        )
        totals["total"] += counts["total"]
        totals["overdue"] += counts["overdue"]
    return totals


@dataclass(frozen=True)
class InboxRow:
    """One open request of a person's inbox, with what the page shows of it."""

    request_type: str  # "feedback" or "availability"
    id: int
    due_at: datetime
    is_overdue: bool
    feedback_kind: str  # a FeedbackRequest.Kind; "" for an availability request
    candidate_name: str
    requisition_code: str
    requisition_title: str


# The inbox is the page a hiring manager opens most, so its two reads are written once as SQL:
# the same reads built by the ORM cost more in Python (two unions, joins, aggregates: ~7 ms a
# request) than in the database. Table and column names come from the models, and
# ``test_pages_inbox`` / ``test_rules_agree_at_the_boundary`` hold them to the ORM's answers.
@cache
def _inbox_sql() -> tuple[str, str]:
    quote = connection.ops.quote_name
    kinds = {"feedback": FeedbackRequest, "availability": AvailabilityRequest}
    tables = {kind: quote(model._meta.db_table) for kind, model in kinds.items()}
    overdue_moment = quote(OVERDUE_RUNG.moment)
    asked = "requested_of_id = %s AND status = %s"
    feedback_kind = {"feedback": quote("kind"), "availability": "''"}  # the same columns in both
    totals = " UNION ALL ".join(
        f"SELECT COUNT(*), COUNT(CASE WHEN {overdue_moment} <= %s THEN 1 END) FROM {table} WHERE {asked}"
        for table in tables.values()
    )
    # Each kind's first ``stop`` from its inbox index, then the two merged, sliced and joined to
    # what the page names: only the page's rows are joined, however long the inbox.
    firsts = " UNION ALL ".join(
        f"SELECT * FROM (SELECT %s AS request_type, id, due_at, {overdue_moment} AS overdue_moment, "
        f"{feedback_kind[kind]} AS feedback_kind, submission_id FROM {table} "
        f"WHERE {asked} ORDER BY due_at, id LIMIT %s) AS {quote(kind + '_first')}"
        for kind, table in tables.items()
    )
    submission = quote(Submission._meta.db_table)
    candidate = quote(Submission._meta.get_field("candidate").related_model._meta.db_table)
    requisition = quote(Requisition._meta.db_table)
    rows = (
        "SELECT asked.request_type, asked.id, asked.due_at, asked.overdue_moment, asked.feedback_kind, "
        f"{candidate}.full_name, {requisition}.code, {requisition}.title FROM ({firsts}) AS asked "
        f"JOIN {submission} ON {submission}.id = asked.submission_id "
        f"JOIN {candidate} ON {candidate}.id = {submission}.candidate_id "
        f"JOIN {requisition} ON {requisition}.id = {submission}.requisition_id "
        "ORDER BY asked.due_at, asked.id LIMIT %s OFFSET %s"
    )
    return totals, rows


def _moment(value) -> datetime:
    """A moment as the driver hands it to raw SQL: aware from PostgreSQL, text (UTC) from SQLite."""
    if isinstance(value, str):
        value = parse_datetime(value)
    return value if timezone.is_aware(value) else timezone.make_aware(value, UTC)


def inbox_totals(*, user: User, now: datetime) -> dict[str, int]:
    """How many requests of both kinds are asked of ``user`` and open, and how many of them are
    overdue (``moment_has_come`` for the overdue rung's moment): one query, each kind counted from
    its inbox index alone (``feedback_request_inbox_idx``, ``availability_request_inbox_idx``)."""
    totals_sql, _ = _inbox_sql()
    moment = connection.ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        cursor.execute(totals_sql, [moment, user.pk, RequestStatus.OPEN] * 2)
        counts = cursor.fetchall()
    return {"total": sum(total for total, _ in counts), "overdue": sum(overdue for _, overdue in counts)}


def inbox_rows(*, user: User, now: datetime, start: int, stop: int) -> list[InboxRow]:
    """Rows ``start`` to ``stop`` of both kinds asked of ``user``, soonest due first, with what the
    inbox shows of each. One query: each kind's first ``stop`` from its inbox index, merged and
    sliced by the database, so a page costs the same however long the inbox (a UNION ordered only
    as a whole sorts every open request of both kinds)."""
    if stop <= start:
        return []
    _, rows_sql = _inbox_sql()
    params = []
    for request_type in ("feedback", "availability"):
        params += [request_type, user.pk, RequestStatus.OPEN, stop]
    with connection.cursor() as cursor:
        cursor.execute(rows_sql, [*params, stop - start, start])
        found = cursor.fetchall()
    return [
        InboxRow(
            request_type=request_type,
            id=pk,
            due_at=_moment(due_at),
            is_overdue=moment_has_come(_moment(overdue_moment), now),
            feedback_kind=feedback_kind,
            candidate_name=candidate_name,
            requisition_code=code,
            requisition_title=title,
        )
        for request_type, pk, due_at, overdue_moment, feedback_kind, candidate_name, code, title in found
    ]


def recruiter_note_for(*, feedback_request: FeedbackRequest) -> str:
    """The note the recruiter left when putting the candidate in front of the hiring manager.

    One query on ``stage_change_submission_idx`` (submission_id = ? ORDER BY changed_at).
    """
    note = (
        SubmissionStageChange.objects.filter(
            submission_id=feedback_request.submission_id, to_stage=Submission.Stage.HM_REVIEW
        )
        .exclude(note="")
        .order_by("-changed_at", "-id")
        .values_list("note", flat=True)
        .first()
    )
    return note or ""


# --- Added for the requisition pages (issue 4) ----------------------------------------------------


@dataclass(frozen=True)
class WaitingOn:
    """Open requests of one requisition asked of one person: how many, and since when."""

    requisition_id: int
    person_id: int
    person_name: str
    count: int
    oldest_at: datetime


def requests_waiting_on_client(model, *, requisition_ids=None, engagement_ids=None) -> QuerySet:
    """What waits on the client side: the open requests of ``model`` (FeedbackRequest or
    AvailabilityRequest) about these requisitions' candidates (a submission that leaves the
    pipeline has its requests cancelled, so an open one is about a candidate still in play); read
    from the *_waiting_idx indexes (open requests by submission).

    The one definition of the set: the requisition pages (their order by
    ``Requisition.waiting_on_client_since``, kept from this set by ``oldest_wait_of_requisition``;
    ``open_requests_by_requisition``), the engagement pages' client-side overdue counts (this set,
    ``.overdue(now)``) and the provider staff's inbox (``waiting_on_client_page``) all read it.
    ``requisition_ids`` comes from a scoped selector (ids, or a queryset kept as a subquery);
    ``engagement_ids`` instead means every requisition of these engagements, read from the engagement
    the requests carry (``OfSubmission``), with no join to submissions (the engagement pages)."""
    if (requisition_ids is None) == (engagement_ids is None):
        raise TypeError("requests_waiting_on_client takes requisition_ids or engagement_ids")
    of = (
        Q(submission__requisition_id__in=requisition_ids)
        if requisition_ids is not None
        else Q(engagement_id__in=engagement_ids)
    )
    return model.objects.filter(of, status=RequestStatus.OPEN).order_by()


def waiting_on_client_totals(*, requisition_ids, now: datetime) -> dict[str, int]:
    """How many requests wait on the client side, and how many of them are overdue."""
    return _open_totals(lambda model: requests_waiting_on_client(model, requisition_ids=requisition_ids), now=now)


def waiting_on_client_ordered(*, requisition_ids) -> QuerySet:
    """(kind, id, due_at) rows of both kinds in one list, soonest due first: a UNION the database
    orders and slices, so a page costs one query however long the list."""
    rows = [
        requests_waiting_on_client(model, requisition_ids=requisition_ids)
        .annotate(request_type=Value(kind, output_field=CharField()))
        .values_list("request_type", "id", "due_at")
        for kind, model in (("feedback", FeedbackRequest), ("availability", AvailabilityRequest))
    ]
    return rows[0].union(rows[1], all=True).order_by("due_at", "id")


def requests_named_by(rows, related: tuple[str, ...] = _REQUEST_RELATED) -> list:
    """The requests named by (kind, id, due_at) rows (``inbox_rows``,
    ``waiting_on_client_ordered``), in the rows' order: one query per kind, joining ``related``."""
    ids = {"feedback": [], "availability": []}
    for kind, pk, _due_at in rows:
        ids[kind].append(pk)
    found = {
        ("feedback", request.pk): request
        for request in FeedbackRequest.objects.select_related(*related).filter(id__in=ids["feedback"])
    }
    found.update(
        {
            ("availability", request.pk): request
            for request in AvailabilityRequest.objects.select_related(*related).filter(id__in=ids["availability"])
        }
    )
    return [found[(kind, pk)] for kind, pk, _due_at in rows if (kind, pk) in found]


def oldest_wait_of_requisition() -> Least:
    """Since when the oldest open request of ``requests_waiting_on_client`` waits, as an expression
    on an outer Requisition row (``OuterRef("pk")``): the earlier of the two kinds' oldest open
    request, null when neither waits. For a set-based
    UPDATE of ``Requisition.waiting_on_client_since``."""
    this_requisition = Requisition.objects.filter(pk=OuterRef(OuterRef("pk"))).values("pk")
    oldest = [
        Subquery(
            requests_waiting_on_client(model, requisition_ids=this_requisition)
            .values("submission__requisition_id")
            .annotate(oldest=Min("created_at"))
            .values("oldest")[:1],
            output_field=DateTimeField(),
        )
        for model in (FeedbackRequest, AvailabilityRequest)
    ]
    # LEAST skips nulls on PostgreSQL but not on SQLite: coalesce each side with the other.
    return Least(Coalesce(oldest[0], oldest[1]), Coalesce(oldest[1], oldest[0]))


def open_requests_by_requisition(*, requisition_ids) -> dict[int, list[WaitingOn]]:
    """What waits on the client side for each requisition, per person asked, oldest wait first:
    the open requests about candidates still in play (a closed submission's requests are cancelled).

    ``requisition_ids`` comes from a scoped selector (engagements.selectors.requisition_list); a
    queryset stays a subquery. Two grouped queries (feedback, availability) whatever the number
    of requisitions or requests."""
    merged: dict[tuple[int, int], dict] = {}
    for model in (FeedbackRequest, AvailabilityRequest):
        rows = (
            requests_waiting_on_client(model, requisition_ids=requisition_ids)
            .values("submission__requisition_id", "requested_of_id", "requested_of__full_name", "requested_of__email")
            .annotate(total=Count("*"), oldest=Min("created_at"))
        )
        for row in rows:
            key = (row["submission__requisition_id"], row["requested_of_id"])
            entry = merged.setdefault(
                key,
                {
                    "name": User.display_name_of(row["requested_of__full_name"], row["requested_of__email"]),
                    "count": 0,
                    "oldest": None,
                },
            )
            entry["count"] += row["total"]
            entry["oldest"] = row["oldest"] if entry["oldest"] is None else min(entry["oldest"], row["oldest"])
    waiting: dict[int, list[WaitingOn]] = {}
    for (requisition_id, person_id), entry in merged.items():
        waiting.setdefault(requisition_id, []).append(
            WaitingOn(
                requisition_id=requisition_id,
                person_id=person_id,
                person_name=entry["name"],
                count=entry["count"],
                oldest_at=entry["oldest"],
            )
        )
    for entries in waiting.values():
        entries.sort(key=lambda entry: entry.oldest_at)
    return waiting


def requisition_request_lists(
    *, requisition_id: int
) -> tuple[QuerySet[FeedbackRequest], QuerySet[AvailabilityRequest]]:
    """The open and answered feedback and availability requests about one requisition's submissions.

    Call it only with a requisition that came through engagements.selectors.requisition_list(user=...):
    whoever sees a requisition sees every request about its submissions, so this is what
    feedback_request_list / availability_request_list would give for it, without deriving the
    user's whole scope again (one index lookup by requisition instead of a scan of every request).
    """
    live = [RequestStatus.OPEN, RequestStatus.ANSWERED]
    feedback = FeedbackRequest.objects.select_related(*_REQUEST_RELATED, "interview", "feedback").filter(
        submission__requisition_id=requisition_id, status__in=live
    )
    availability = (
        AvailabilityRequest.objects.select_related(*_REQUEST_RELATED, "booked_interview")
        .prefetch_related("slots")
        .filter(submission__requisition_id=requisition_id, status__in=live)
    )
    return feedback, availability
