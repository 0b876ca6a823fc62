"""What is overdue on either side, now.

Client side (what the client owes):
- ``feedback``: feedback requests still open past their due time;
- ``availability``: availability requests still open past their due time;
  both the overdue part of what waits on the client (``feedback.selectors.requests_waiting_on_client``,
  the set the requisition pages and the staff inbox list);
- ``implementation_task`` of the client's side (``owner_side``), not completed, past its due date.

Provider side (what the provider owes):
- ``booking``: slots offered by the hiring manager but no interview booked from them within the
  engagement's availability SLA (``availability_due_hours``, counted in wall-clock hours from the
  offer), while the submission is still open;
- ``implementation_task`` of the provider's side, not completed, past its due date;
- ``requisition``: an open requisition with no submission ``FIRST_SUBMISSION_DUE_DAYS`` days after
  its opening date.

The same conditions serve the scorecard's list (one query per kind, capped, with the total from a
window function) and the health map (one grouped query per kind for any number of engagements).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Case, Count, Exists, OuterRef, Q, Sum, Value, When, Window

from engagements.models import Engagement, ImplementationTask, Requisition, Submission
from engagements.selectors import requisition_covering_recruiters
from feedback.models import AvailabilityRequest, FeedbackRequest, RequestStatus
from feedback.selectors import requests_waiting_on_client

from .types import OverdueItem, Person

OVERDUE_LIST_LIMIT = 25  # items listed per kind, and in all (the totals count everything)
FIRST_SUBMISSION_DUE_DAYS = 7  # an open requisition should have a first submission this many days after opening


def local_today(engagement: Engagement, now: datetime):
    return now.astimezone(ZoneInfo(engagement.time_zone)).date()


def _start_of(day, engagement: Engagement) -> datetime:
    return datetime.combine(day, time(0), tzinfo=ZoneInfo(engagement.time_zone))


def _any_of(conditions: Iterable[Q]) -> Q:
    combined = None
    for condition in conditions:
        combined = condition if combined is None else combined | condition
    return combined if combined is not None else Q(pk__in=[])  # no engagement: nothing


def _booking_late_q(engagement: Engagement, now: datetime) -> Q:
    return Q(answered_at__lt=now - timedelta(hours=engagement.availability_due_hours))


def _booking_open_q() -> Q:
    return Q(
        status=RequestStatus.ANSWERED,
        booked_interview__isnull=True,
        submission__stage__in=Submission.OPEN_STAGES,
    )


def booking_overdue_q(engagements: Iterable[Engagement], now: datetime) -> Q:
    per_engagement = _any_of(
        Q(engagement_id=engagement.pk) & _booking_late_q(engagement, now) for engagement in engagements
    )
    return per_engagement & _booking_open_q()


def task_overdue_q(engagements: Iterable[Engagement], now: datetime) -> Q:
    per_engagement = _any_of(
        Q(engagement_id=engagement.pk, due_on__lt=local_today(engagement, now)) for engagement in engagements
    )
    return per_engagement & Q(completed_at__isnull=True)


def client_owned_task_q() -> Q:
    return Q(owner_side=ImplementationTask.Side.CLIENT)


def requisition_overdue_q(engagements: Iterable[Engagement], now: datetime) -> Q:
    per_engagement = _any_of(
        Q(
            engagement_id=engagement.pk,
            opened_on__lte=local_today(engagement, now) - timedelta(days=FIRST_SUBMISSION_DUE_DAYS),
        )
        for engagement in engagements
    )
    return (
        per_engagement
        & Q(status=Requisition.Status.OPEN)
        & ~Exists(Submission.objects.filter(requisition_id=OuterRef("pk")))
    )


# --- one engagement: the list --------------------------------------------------------------------


def _first(queryset, order: str, fields: tuple[str, ...]) -> tuple[list[dict], int]:
    """The first rows of ``queryset`` as dicts of ``fields`` (of its own table), with the number of
    all its rows: one query. Values, not model instances: a listed row costs a dict."""
    rows = list(
        queryset.annotate(total=Window(Count("pk"))).order_by(order, "pk").values(*fields, "total")[:OVERDUE_LIST_LIMIT]
    )
    return rows, (rows[0]["total"] if rows else 0)


def _head(queryset, order: str) -> tuple[list[int], int]:
    """The ids of the first rows of ``queryset``, with the number of all its rows: one query,
    which reads every row counted and so joins nothing (``_listed`` reads what the rows show)."""
    head = list(
        queryset.annotate(total=Window(Count("pk")))
        .order_by(order, "pk")
        .values_list("pk", "total")[:OVERDUE_LIST_LIMIT]
    )
    return [pk for pk, _ in head], (head[0][1] if head else 0)


def _listed(model, ids: list[int], fields: tuple[str, ...]) -> dict[int, dict]:
    """{id: dict of ``fields``} of these rows of ``model`` (fields that may follow relations): one
    query when there are any, for the rows of several lists at once."""
    if not ids:
        return {}
    return {row["pk"]: row for row in model.objects.filter(pk__in=ids).order_by().values(*fields)}  # in any order


_REQUEST_FIELDS = (
    "pk",
    "requested_of_id",
    "requested_of__full_name",
    "requested_of__email",
    "submission__candidate__full_name",
    "submission__requisition_id",
    "submission__requisition__code",
    "submission__requisition__title",
)


def _candidate_on(row: dict) -> str:
    return (
        f"{row['submission__candidate__full_name']} for "
        f"{row['submission__requisition__code']} {row['submission__requisition__title']}"
    )


def _asked_of(row: dict) -> Person:
    return Person(id=row["requested_of_id"], full_name=row["requested_of__full_name"], email=row["requested_of__email"])


def _owner(task: dict) -> Person | None:
    if task["owner_id"] is None:
        return None
    return Person(id=task["owner_id"], full_name=task["owner__full_name"], email=task["owner__email"])


def engagement_overdue(*, engagement: Engagement, now: datetime) -> tuple[list[OverdueItem], dict[str, int]]:
    """Everything overdue on either side, longest overdue first; and the totals per side. The
    requests are selected by the engagement they carry (``engagements.models.OfSubmission``)."""
    in_engagement = Q(engagement_id=engagement.pk)

    feedback_ids, feedback_total = _head(
        requests_waiting_on_client(FeedbackRequest, engagement_ids=[engagement.pk]).overdue(now), "due_at"
    )
    availability_ids, availability_total = _head(
        requests_waiting_on_client(AvailabilityRequest, engagement_ids=[engagement.pk]).overdue(now), "due_at"
    )
    booking_ids, booking_total = _head(
        AvailabilityRequest.objects.filter(in_engagement & _booking_late_q(engagement, now) & _booking_open_q()),
        "answered_at",
    )
    feedback_rows = _listed(FeedbackRequest, feedback_ids, (*_REQUEST_FIELDS, "due_at"))
    # The availability requests of both lists (open and overdue; answered, not booked) in one query.
    availability_rows = _listed(
        AvailabilityRequest, availability_ids + booking_ids, (*_REQUEST_FIELDS, "due_at", "answered_at")
    )
    feedback = [feedback_rows[pk] for pk in feedback_ids]
    availability = [availability_rows[pk] for pk in availability_ids]
    bookings = [availability_rows[pk] for pk in booking_ids]
    tasks = list(
        ImplementationTask.objects.filter(task_overdue_q([engagement], now))
        .annotate(
            total=Window(Count("pk")),
            client_total=Window(Sum(Case(When(client_owned_task_q(), then=Value(1)), default=Value(0)))),
        )
        .order_by("due_on", "pk")
        .values(
            "title", "owner_side", "due_on", "owner_id", "owner__full_name", "owner__email", "total", "client_total"
        )[:OVERDUE_LIST_LIMIT]
    )
    task_total = tasks[0]["total"] if tasks else 0
    client_task_total = int(tasks[0]["client_total"] or 0) if tasks else 0
    requisitions, requisition_total = _first(
        Requisition.objects.filter(requisition_overdue_q([engagement], now)),
        "opened_on",
        ("pk", "code", "title", "opened_on"),
    )

    requisition_ids = {row["submission__requisition_id"] for row in bookings} | {row["pk"] for row in requisitions}
    coverage = requisition_covering_recruiters(requisition_ids=requisition_ids, at=now) if requisition_ids else {}

    def covering(requisition_id: int):
        return coverage[requisition_id].recruiter if requisition_id in coverage else None

    items = [
        OverdueItem(
            "client",
            "feedback",
            f"Feedback on {_candidate_on(row)}",
            _asked_of(row),
            row["due_at"],
            "feedback:feedback-respond",
            row["pk"],
        )
        for row in feedback
    ]
    items += [
        OverdueItem(
            "client",
            "availability",
            f"Interview availability for {_candidate_on(row)}",
            _asked_of(row),
            row["due_at"],
            "feedback:availability-respond",
            row["pk"],
        )
        for row in availability
    ]
    items += [
        OverdueItem(
            "provider",
            "booking",
            f"Book the interview of {_candidate_on(row)} from the offered slots",
            covering(row["submission__requisition_id"]),
            row["answered_at"] + timedelta(hours=engagement.availability_due_hours),
            "feedback:availability-book",
            row["pk"],
        )
        for row in bookings
    ]
    items += [
        OverdueItem(
            "client" if task["owner_side"] == ImplementationTask.Side.CLIENT else "provider",
            "implementation_task",
            f"Implementation: {task['title']}",
            _owner(task),
            _start_of(task["due_on"] + timedelta(days=1), engagement),
            None,
            None,
        )
        for task in tasks
    ]
    items += [
        OverdueItem(
            "provider",
            "requisition",
            f"First submission for {row['code']} {row['title']}",
            covering(row["pk"]),
            _start_of(row["opened_on"] + timedelta(days=FIRST_SUBMISSION_DUE_DAYS), engagement),
            "partnership:requisition-detail",
            row["pk"],
        )
        for row in requisitions
    ]
    items.sort(key=lambda item: (item.due_at, item.kind, item.url_pk or 0))
    totals = {
        "client": feedback_total + availability_total + client_task_total,
        "provider": booking_total + (task_total - client_task_total) + requisition_total,
    }
    return items[:OVERDUE_LIST_LIMIT], totals


# --- many engagements: the counts ------------------------------------------------------------------


def overdue_counts(*, engagements: list[Engagement], now: datetime) -> dict[int, dict[str, int]]:
    """{engagement id: {"client": n, "provider": m}}: one grouped query per kind."""
    counts = {engagement.pk: {"client": 0, "provider": 0} for engagement in engagements}
    if not engagements:
        return counts
    ids = list(counts)
    engagement_of_request = "engagement_id"
    for model in (FeedbackRequest, AvailabilityRequest):
        rows = (
            requests_waiting_on_client(model, engagement_ids=ids)
            .overdue(now)
            .values(engagement_of_request)
            .annotate(n=Count("pk"))
            .order_by()
        )
        for row in rows:
            counts[row[engagement_of_request]]["client"] += row["n"]
    rows = (
        AvailabilityRequest.objects.filter(booking_overdue_q(engagements, now))
        .values(engagement_of_request)
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        counts[row[engagement_of_request]]["provider"] += row["n"]
    rows = (
        ImplementationTask.objects.filter(task_overdue_q(engagements, now))
        .values("engagement_id")
        .annotate(n=Count("pk"), client=Count("pk", filter=client_owned_task_q()))
        .order_by()
    )
    for row in rows:
        counts[row["engagement_id"]]["client"] += row["client"]
        counts[row["engagement_id"]]["provider"] += row["n"] - row["client"]
    rows = (
        Requisition.objects.filter(requisition_overdue_q(engagements, now))
        .values("engagement_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        counts[row["engagement_id"]]["provider"] += row["n"]
    return counts
