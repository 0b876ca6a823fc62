"""The wins the portal suggests from its own data, offered once each.

Four detectors read an engagement's data (a constant number of queries per engagement, whatever its
size) and propose ``SuggestedWin`` rows; the unique (engagement, key) is the guard that each fact is
offered once, whatever became of it (made a win, dismissed, or still waiting):

- a requisition filled before its target date (``filled-early:<requisition>``), thanking its
  recruiters (everyone assigned to it by the day it was filled) and its hiring manager;
- a person asked for feedback or availability who answered every request due in the previous
  calendar month on time, with at least ``ON_TIME_MONTH_MINIMUM`` of them
  (``on-time-month:<user>:<yyyy-mm>``);
- the fastest feedback of the previous month (``fastest-feedback:<yyyy-mm>``): the person with the
  shortest *median* time from request to answer over at least ``FASTEST_MINIMUM_ANSWERS`` answers,
  so that one lucky quick answer does not beat a month of quick ones (ties: more answers first);
- an issue resolved (``issue-resolved:<item>``), thanking its owner and whoever raised it.

Filled requisitions and resolved issues are looked at over the last ``LOOKBACK_DAYS`` (the first run
does not dig up years of history); months are the engagement's, in its time zone.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Count, F
from django.utils import dateformat, timezone

from accounts.models import User
from engagements.activity import engagement_changed
from engagements.local_dates import engagement_today
from engagements.models import Assignment, Engagement, Requisition
from feedback.models import AvailabilityRequest, FeedbackRequest, RequestStatus

from .aggregates import MedianHours
from .models import PartnershipItem, SuggestedWin

logger = logging.getLogger(__name__)

LOOKBACK_DAYS = 30
ON_TIME_MONTH_MINIMUM = 5
FASTEST_MINIMUM_ANSWERS = 3
TITLE_LENGTH = 200


@dataclass(frozen=True)
class Suggestion:
    source: str
    key: str
    title: str
    what_happened: str
    people: tuple[int, ...]


@dataclass(frozen=True)
class Fastest:
    person_id: int
    name: str
    median_hours: float
    answers: int


def _name(full_name: str, email: str) -> str:
    return User.display_name_of(full_name, email)


def _names(names: list[str]) -> str:
    names = [name for name in names if name]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def hours_phrase(hours: float) -> str:
    """ "40 minutes", "1 hour", "3.5 hours": a turnaround as a person says it."""
    minutes = max(1, round(hours * 60))
    if minutes < 60:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    rounded = round(minutes / 60, 1)
    return "1 hour" if rounded == 1 else f"{rounded:g} hours"


def local_span(engagement: Engagement, first: date, after: date) -> tuple[datetime, datetime]:
    """[first day, day after) as aware moments at midnight in the engagement's zone."""
    zone = ZoneInfo(engagement.time_zone)
    return datetime.combine(first, time.min, tzinfo=zone), datetime.combine(after, time.min, tzinfo=zone)


def previous_month(engagement: Engagement, now: datetime) -> tuple[date, datetime, datetime]:
    """The engagement's previous calendar month: its first day, and [start, end) as moments."""
    first_of_this = engagement_today(engagement, now).replace(day=1)
    first_of_previous = (first_of_this - timedelta(days=1)).replace(day=1)
    start, end = local_span(engagement, first_of_previous, first_of_this)
    return first_of_previous, start, end


def _requisition_ids(engagement: Engagement) -> list[int]:
    return list(Requisition.objects.filter(engagement_id=engagement.pk).order_by().values_list("pk", flat=True))


def fastest_feedback(
    *, requisition_ids: list[int], start: datetime, end: datetime, minimum_answers: int = 1
) -> Fastest | None:
    """Who gave feedback fastest over [start, end): the shortest median hours from request to answer
    over at least ``minimum_answers`` answers; one query."""
    if not requisition_ids:
        return None
    row = (
        FeedbackRequest.objects.filter(
            submission__requisition_id__in=requisition_ids, answered_at__gte=start, answered_at__lt=end
        )
        .values("requested_of_id", "requested_of__full_name", "requested_of__email")
        .annotate(median_hours=MedianHours("answered_at", "created_at"), answers=Count("pk"))
        .filter(answers__gte=minimum_answers)
        .order_by("median_hours", "-answers", "requested_of_id")
        .first()
    )
    if row is None or row["median_hours"] is None:
        return None
    return Fastest(
        person_id=row["requested_of_id"],
        name=_name(row["requested_of__full_name"], row["requested_of__email"]),
        median_hours=float(row["median_hours"]),
        answers=row["answers"],
    )


# --- The detectors --------------------------------------------------------------------------------


def _filled_early(engagement: Engagement, *, today: date) -> list[Suggestion]:
    requisitions = list(
        Requisition.objects.filter(
            engagement_id=engagement.pk,
            status=Requisition.Status.FILLED,
            filled_on__isnull=False,
            target_on__isnull=False,
            filled_on__lt=F("target_on"),
            filled_on__gte=today - timedelta(days=LOOKBACK_DAYS),
        )
        .select_related("hiring_manager")
        .order_by("filled_on", "pk")
    )
    if not requisitions:
        return []
    team: dict[int, list[User]] = {}
    assignments = (
        Assignment.objects.filter(
            requisition_id__in=[requisition.pk for requisition in requisitions],
            starts_on__lte=F("requisition__filled_on"),
        )
        .select_related("recruiter")
        .order_by("role", "starts_on", "pk")
    )
    for assignment in assignments:
        people = team.setdefault(assignment.requisition_id, [])
        if assignment.recruiter not in people:
            people.append(assignment.recruiter)
    suggestions = []
    for requisition in requisitions:
        recruiters = team.get(requisition.pk, [])
        days = (requisition.target_on - requisition.filled_on).days
        people = [*recruiters, requisition.hiring_manager]
        names = _names([person.display_name for person in people])
        suggestions.append(
            Suggestion(
                source=SuggestedWin.Source.FILLED_EARLY,
                key=f"filled-early:{requisition.pk}",
                title=f"{requisition.code} {requisition.title} filled {days} day{'s' if days != 1 else ''} early"[
                    :TITLE_LENGTH
                ],
                what_happened=(
                    f"{requisition.code} {requisition.title} was filled on {requisition.filled_on:%-d %B %Y}, "
                    f"{days} day{'s' if days != 1 else ''} before its target of {requisition.target_on:%-d %B %Y}. "
                    f"Thank you, {names}: a hire made together, ahead of time."
                ),
                people=tuple(person.pk for person in people),
            )
        )
    return suggestions


def _answered(model, *, requisition_ids: list[int], start: datetime, end: datetime):
    return (
        model.objects.filter(submission__requisition_id__in=requisition_ids, due_at__gte=start, due_at__lt=end)
        .exclude(status=RequestStatus.CANCELLED)
        .values("requested_of_id", "requested_of__full_name", "requested_of__email")
        .annotate(asked=Count("pk"), on_time=Count("pk", filter=model.objects.answered_on_time_q()))
        .order_by()
    )


def _on_time_month(
    engagement: Engagement, *, requisition_ids: list[int], month: date, start: datetime, end: datetime
) -> list[Suggestion]:
    if not requisition_ids:
        return []
    totals: dict[int, dict] = {}
    for model in (FeedbackRequest, AvailabilityRequest):
        for row in _answered(model, requisition_ids=requisition_ids, start=start, end=end):
            total = totals.setdefault(
                row["requested_of_id"],
                {"name": _name(row["requested_of__full_name"], row["requested_of__email"]), "asked": 0, "on_time": 0},
            )
            total["asked"] += row["asked"]
            total["on_time"] += row["on_time"]
    month_name = dateformat.format(month, "F Y")
    return [
        Suggestion(
            source=SuggestedWin.Source.ON_TIME_MONTH,
            key=f"on-time-month:{person_id}:{month:%Y-%m}",
            title=f"{total['name']} answered every request on time in {month_name}"[:TITLE_LENGTH],
            what_happened=(
                f"All {total['asked']} requests for feedback and interview times that came due in {month_name} "
                f"were answered on time by {total['name']}. Thank you: candidates heard sooner, "
                "and the team could plan ahead."
            ),
            people=(person_id,),
        )
        for person_id, total in sorted(totals.items())
        if total["asked"] >= ON_TIME_MONTH_MINIMUM and total["on_time"] == total["asked"]
    ]


def _fastest_of_month(*, requisition_ids: list[int], month: date, start: datetime, end: datetime) -> list[Suggestion]:
    fastest = fastest_feedback(
        requisition_ids=requisition_ids, start=start, end=end, minimum_answers=FASTEST_MINIMUM_ANSWERS
    )
    if fastest is None:
        return []
    month_name = dateformat.format(month, "F Y")
    return [
        Suggestion(
            source=SuggestedWin.Source.FASTEST_FEEDBACK,
            key=f"fastest-feedback:{month:%Y-%m}",
            title=f"Fastest feedback of {month_name}: {fastest.name}"[:TITLE_LENGTH],
            what_happened=(
                f"{fastest.name} gave feedback on {fastest.answers} candidates in {month_name}, typically "
                f"{hours_phrase(fastest.median_hours)} after being asked (the median): the quickest on the "
                "engagement. Thank you for keeping candidates warm."
            ),
            people=(fastest.person_id,),
        )
    ]


def _issues_resolved(engagement: Engagement, *, now: datetime) -> list[Suggestion]:
    issues = (
        PartnershipItem.objects.filter(
            engagement_id=engagement.pk,
            kind=PartnershipItem.Kind.ISSUE,
            status=PartnershipItem.Status.RESOLVED,
            closed_at__gte=now - timedelta(days=LOOKBACK_DAYS),
        )
        .select_related("owner", "raised_by")
        .order_by("closed_at", "pk")
    )
    suggestions = []
    for issue in issues:
        people = [person for person in (issue.owner, issue.raised_by) if person is not None]
        people = list({person.pk: person for person in people}.values())
        names = _names([person.display_name for person in people])
        suggestions.append(
            Suggestion(
                source=SuggestedWin.Source.ISSUE_RESOLVED,
                key=f"issue-resolved:{issue.pk}",
                title=f"Resolved together: {issue.title}"[:TITLE_LENGTH],
                what_happened=(
                    f"{issue.title} is resolved. What changed: {issue.resolution}\n\n"
                    + (f"Thank you, {names}, for working it through." if names else "Thank you all.")
                )[:5000],
                people=tuple(person.pk for person in people),
            )
        )
    return suggestions


# --- Offering -------------------------------------------------------------------------------------


def _offer(engagement: Engagement, suggestions: list[Suggestion], *, now: datetime) -> int:
    """Insert the suggestions not offered before (insert-if-absent on the unique key): four queries
    whatever their number. A concurrent run inserting the same key loses quietly, and adding the same
    people to the row again changes nothing (the through table is unique too)."""
    if not suggestions:
        return 0
    keys = [suggestion.key for suggestion in suggestions]
    offered = set(SuggestedWin.objects.filter(engagement_id=engagement.pk, key__in=keys).values_list("key", flat=True))
    new = [suggestion for suggestion in suggestions if suggestion.key not in offered]
    if not new:
        return 0
    SuggestedWin.objects.bulk_create(
        [
            SuggestedWin(
                engagement_id=engagement.pk,
                source=suggestion.source,
                key=suggestion.key,
                title=suggestion.title,
                what_happened=suggestion.what_happened,
                created_at=now,
            )
            for suggestion in new
        ],
        ignore_conflicts=True,
    )
    ids = dict(
        SuggestedWin.objects.filter(
            engagement_id=engagement.pk, key__in=[suggestion.key for suggestion in new], win__isnull=True
        ).values_list("key", "pk")
    )
    Through = SuggestedWin.people.through
    Through.objects.bulk_create(
        [
            Through(suggestedwin_id=ids[suggestion.key], user_id=person_id)
            for suggestion in new
            if suggestion.key in ids
            for person_id in dict.fromkeys(suggestion.people)
        ],
        ignore_conflicts=True,
    )
    engagement_changed(engagement.pk)  # offered on the engagement page at once
    return len(new)


def suggested_wins_detect(*, engagement: Engagement, now: datetime | None = None) -> int:
    """Run every detector on one engagement and offer what is new: the number offered now."""
    now = now or timezone.now()
    today = engagement_today(engagement, now)
    month, start, end = previous_month(engagement, now)
    requisition_ids = _requisition_ids(engagement)
    suggestions = [
        *_filled_early(engagement, today=today),
        *_on_time_month(engagement, requisition_ids=requisition_ids, month=month, start=start, end=end),
        *_fastest_of_month(requisition_ids=requisition_ids, month=month, start=start, end=end),
        *_issues_resolved(engagement, now=now),
    ]
    return _offer(engagement, suggestions, now=now)


def suggested_wins_detect_all(*, now: datetime | None = None) -> dict[int, int]:
    """Every engagement not ended; one failing engagement does not stop the others (logged)."""
    now = now or timezone.now()
    offered = {}
    for engagement in Engagement.objects.exclude(status=Engagement.Status.ENDED).order_by("pk"):
        try:
            with transaction.atomic():
                offered[engagement.pk] = suggested_wins_detect(engagement=engagement, now=now)
        except Exception:
            logger.exception("Could not look for suggested wins in engagement %s.", engagement.pk)
    return offered
