"""The partnership's own history in the demo: issues, wins, suggested wins and six months of the
two-way pulse, for each demo engagement (issue 10).

Written directly with the models, in bulk, like the scaled pipeline (the issue, win and pulse
services arrive separately): one transaction per engagement and part, skipped when the part is
already there (an engagement with items has its issues, wins and suggestions; a survey period that
exists is not written again), so a rerun adds nothing. Texts come from ``data``; dates are counted
back from now on the engagement's calendar; the pulse answers are drawn from
``random.Random("pulse:<client>")``, so a seed is the same on every run.

History, not news. An open issue stands at the ladder step its times give (``ladder_at``, as the
bulk writer does for feedback requests, without ``Reminder`` rows): one of each engagement is due
on the last business day, overdue and waiting for its escalation (``next_step_at`` ahead), so the
reminder sweep's first move on the demo is that escalation when its time comes; a resolved or
declined issue is no longer chased (``next_step_at`` NULL, ``closed_at`` set). The suggested wins
use the keys the detector uses ("filled-early:<requisition>", "issue-resolved:<item>",
"on-time-month:<user>:<yyyy-mm>", "fastest-feedback:<yyyy-mm>") and are drawn from the seeded
pipeline's own facts, so the detector finds them already offered and never offers them again.
Surveys: one a month, sent on the month's first business day; invited people of each side answer
(``answered_at`` on the invitation, one ``PulseResponse`` each) or not, one reminder a week in at
most; the last survey may still be open.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Count, DurationField, ExpressionWrapper, F

from accounts.models import User
from engagements.local_dates import engagement_today
from engagements.models import Engagement, Requisition
from feedback.models import FeedbackRequest, ladder_at

from ..ladder import issue_ladder
from ..models import (
    ItemComment,
    ItemFollower,
    ItemStatusChange,
    PartnershipItem,
    PulseInvitation,
    PulseResponse,
    PulseSurvey,
    Side,
    SuggestedWin,
)
from . import data

SURVEYS = 6
SURVEY_OPEN_DAYS = 14
REMINDED_AFTER_DAYS = 7  # the survey's one reminder, to those who have not answered yet
ON_TIME_MONTH_MINIMUM = 5  # requests a hiring manager answered, all on time, for "on time all month"
Status = PartnershipItem.Status


def _business_day_on_or_before(engagement: Engagement, day: date) -> date:
    return engagement.business_calendar.working_day_on_or_before(day)


class _Clock:
    """Moments of one engagement's history: ``days_ago`` business days back (a weekend or a holiday
    moves to the business day before), at an hour of its working day, never after now; each moment asked of one
    ``_Clock.sequence`` comes after the one before (comments follow the issue they are on)."""

    def __init__(self, engagement: Engagement, now: datetime):
        self.engagement, self.now = engagement, now
        self.today = engagement_today(engagement, now)
        self.zone = engagement.business_calendar.zone

    def day(self, days_ago: int) -> date:
        return _business_day_on_or_before(self.engagement, self.today - timedelta(days=days_ago))

    def at(self, days_ago: int, hour: int = 10, minute: int = 0) -> datetime:
        moment = datetime.combine(self.day(days_ago), time(hour, minute), tzinfo=self.zone)
        return min(moment, self.now - timedelta(minutes=30))

    def sequence(self):
        last: datetime | None = None

        def next_moment(days_ago: int, hour: int = 10) -> datetime:
            nonlocal last
            moment = self.at(days_ago, hour)
            if last is not None and moment <= last:
                moment = min(last + timedelta(minutes=47), self.now - timedelta(minutes=1))
            last = moment
            return moment

        return next_moment


# --- issues, wins, suggestions ----------------------------------------------------------------


def _requisition(engagement: Engagement, client, number: int | None) -> Requisition | None:
    if number is None:
        return None
    return Requisition.objects.filter(engagement=engagement, code=f"{client.code_prefix}-{number:03d}").first()


def _issue(spec: data.IssueSpec, *, engagement, client, people, clock: _Clock, now: datetime):
    """The issue, its status changes, comments and followers (unsaved)."""
    moment = clock.sequence()
    raised_at = moment(spec.raised_days_ago, 9)
    if spec.due_in_days < 0:
        due_on = clock.day(-spec.due_in_days)
    else:  # ahead: the business day on or after
        due_on = engagement.business_calendar.working_day_on_or_after(clock.today + timedelta(days=spec.due_in_days))
    item = PartnershipItem(
        kind=PartnershipItem.Kind.ISSUE,
        engagement=engagement,
        requisition=_requisition(engagement, client, spec.requisition),
        title=spec.title,
        what_happened=spec.what_happened,
        impact=spec.impact,
        proposed_next_step=spec.next_step,
        owner=people[spec.owner],
        due_on=due_on,
        status=spec.status,
        raised_by=people[spec.raised_by],
        created_at=raised_at,
        **issue_ladder(engagement=engagement, due_on=due_on),
    )
    # Status changes and comments in the order they happened.
    events = [(days, 11, "comment", (author, body)) for author, days, body in spec.comments]
    if spec.in_progress_days_ago is not None:
        events.append((spec.in_progress_days_ago, 10, "status", (Status.IN_PROGRESS, spec.owner, "")))
    if spec.closed_days_ago is not None:
        note = spec.resolution or spec.decline_reason
        events.append((spec.closed_days_ago, 15, "status", (spec.status, spec.owner, note)))
    events.sort(key=lambda event: (-event[0], event[1]))
    comments, changes = [], []
    status = Status.OPEN
    for days_ago, hour, kind, payload in events:
        at = moment(days_ago, hour)
        if kind == "comment":
            author, body = payload
            comments.append(ItemComment(author=people[author], body=body, created_at=at))
        else:
            to_status, actor, note = payload
            changes.append(
                ItemStatusChange(actor=people[actor], from_status=status, to_status=to_status, note=note, created_at=at)
            )
            status = to_status
    item.updated_at = max([raised_at, *(row.created_at for row in comments + changes)])
    if spec.status in (Status.RESOLVED, Status.DECLINED):
        item.closed_at = changes[-1].created_at
        item.resolution, item.decline_reason = spec.resolution, spec.decline_reason
        # Chased until it closed: the steps it reached by then, and nothing next.
        _, item.ladder_step, _ = ladder_at(item, until=item.closed_at)
        item.next_step_at = None
    else:
        _, item.ladder_step, item.next_step_at = ladder_at(item, until=now)
    followers = [
        ItemFollower(user=people[email], created_at=raised_at)
        for email in dict.fromkeys((spec.raised_by, spec.owner, *spec.followers))
    ]
    return item, comments, changes, followers


def _win(spec: data.WinSpec, *, engagement, client, people, clock: _Clock):
    item = PartnershipItem(
        kind=PartnershipItem.Kind.WIN,
        engagement=engagement,
        requisition=_requisition(engagement, client, spec.requisition),
        title=spec.title,
        what_happened=spec.what_happened,
        status="",
        raised_by=people[spec.raised_by],
        created_at=clock.at(spec.days_ago, 16),
    )
    item.updated_at = item.created_at
    return item, [people[email] for email in spec.thanked]


def _took_text(took: timedelta) -> str:
    minutes = round(took.total_seconds() / 60)
    return f"{minutes} minutes" if minutes < 120 else f"{minutes / 60:.1f} hours"


def _feedback_suggestions(engagement: Engagement, clock: _Clock, hiring_managers: list[User]) -> list[dict]:
    """The feedback facts of the last two calendar months: the fastest turnaround of each (of
    everyone asked in the engagement, by when it was answered) and, where one of the demo's hiring
    managers was asked at least ``ON_TIME_MONTH_MINIMUM`` times in a month and answered every
    request on time, that month."""
    this_month = clock.today.replace(day=1)
    months = [_add_months(this_month, -1), _add_months(this_month, -2)]
    bounds = {
        month: (
            datetime.combine(month, time(), tzinfo=clock.zone),
            datetime.combine(_add_months(month, 1), time(), tzinfo=clock.zone),
        )
        for month in months
    }
    requests = FeedbackRequest.objects.filter(engagement=engagement)
    suggestions = []
    for month in months:
        start, end = bounds[month]
        asked = requests.filter(created_at__gte=start, created_at__lt=end, requested_of__in=hiring_managers)
        counts = asked.values("requested_of").annotate(
            total=Count("pk"), on_time=Count("pk", filter=FeedbackRequest.objects.answered_on_time_q())
        )
        for row in sorted(counts, key=lambda row: (-row["total"], row["requested_of"])):
            if row["total"] >= ON_TIME_MONTH_MINIMUM and row["on_time"] == row["total"]:
                person = next(person for person in hiring_managers if person.pk == row["requested_of"])
                suggestions.append(
                    {
                        "source": SuggestedWin.Source.ON_TIME_MONTH,
                        "key": f"on-time-month:{person.pk}:{month:%Y-%m}",
                        "title": f"{person.full_name} answered every request on time in {month:%B}",
                        "what_happened": f"All {row['total']} feedback requests of {month:%B} were answered within "
                        "the SLA.",
                        "people": [person],
                    }
                )
                break
    for month in months:
        start, end = bounds[month]
        fastest = (
            requests.filter(answered_at__gte=start, answered_at__lt=end)
            .annotate(took=ExpressionWrapper(F("answered_at") - F("created_at"), output_field=DurationField()))
            .select_related("requested_of")
            .order_by("took", "pk")
            .first()
        )
        if fastest is None:
            continue
        person, took = fastest.requested_of, _took_text(fastest.took)
        suggestions.append(
            {
                "source": SuggestedWin.Source.FASTEST_FEEDBACK,
                "key": f"fastest-feedback:{month:%Y-%m}",
                "title": f"Fastest feedback of {month:%B}: {person.full_name}, in {took}",
                "what_happened": f"{person.full_name} answered a feedback request {took} after it was sent, the "
                f"quickest turnaround of {month:%B}.",
                "people": [person],
            }
        )
    return suggestions


def _filled_early(engagement: Engagement, client) -> Requisition | None:
    """The base requisition filled the most days before its target date, if any was."""
    filled = Requisition.objects.filter(
        engagement=engagement,
        code__regex=rf"^{client.code_prefix}-\d{{3}}$",
        status=Requisition.Status.FILLED,
        filled_on__lt=F("target_on"),
    ).order_by(F("filled_on") - F("target_on"), "pk")
    return filled.first()


def _write_items(world, client, now: datetime, created: Counter) -> None:
    engagement = world.engagements[client.key]
    people = world.people
    clock = _Clock(engagement, now)
    manager = people[client.account_managers[0]]
    issues = [
        _issue(spec, engagement=engagement, client=client, people=people, clock=clock, now=now)
        for spec in data.ISSUES[client.key]
    ]
    wins = [
        _win(spec, engagement=engagement, client=client, people=people, clock=clock) for spec in data.WINS[client.key]
    ]
    early = _filled_early(engagement, client)
    early_win = None
    if early is not None:
        days = (early.target_on - early.filled_on).days
        hires = "hires" if early.openings > 1 else "hire"
        hired_by = people[data.RECRUITERS[0]] if int(early.code[-3:]) % 2 else people[data.RECRUITERS[1]]
        early_win = (
            PartnershipItem(
                kind=PartnershipItem.Kind.WIN,
                engagement=engagement,
                requisition=early,
                title=f"{early.title} {hires} filled {days} days early",
                what_happened=f"{early.title} was filled on {early.filled_on:%d %B}, {days} days before its target "
                f"date of {early.target_on:%d %B}.",
                status="",
                raised_by=manager,
                created_at=clock.at((clock.today - early.filled_on).days - 1, 16),
            ),
            [hired_by, early.hiring_manager],
        )
        early_win[0].updated_at = early_win[0].created_at
        wins.append(early_win)
    PartnershipItem.objects.bulk_create([issue for issue, *_ in issues] + [win for win, _ in wins])
    for issue, comments, changes, followers in issues:
        for row in (*comments, *changes, *followers):
            row.item = issue
    ItemComment.objects.bulk_create([row for _, comments, _, _ in issues for row in comments])
    ItemStatusChange.objects.bulk_create([row for _, _, changes, _ in issues for row in changes])
    ItemFollower.objects.bulk_create([row for *_, followers in issues for row in followers])
    PartnershipItem.thanked.through.objects.bulk_create(
        [
            PartnershipItem.thanked.through(partnershipitem_id=win.pk, user_id=person.pk)
            for win, thanked in wins
            for person in dict.fromkeys(thanked)
        ]
    )

    # The portal's suggestions: the early fill was made a win in one click, the latest resolved
    # issue and the feedback facts of the last months are offered, the oldest of those dismissed.
    suggestions = []
    if early_win is not None:
        suggestions.append(
            (
                {
                    "source": SuggestedWin.Source.FILLED_EARLY,
                    "key": f"filled-early:{early.pk}",
                    "title": early_win[0].title,
                    "what_happened": early_win[0].what_happened,
                    "people": early_win[1],
                },
                SuggestedWin.Status.ACCEPTED,
                early_win[0],
            )
        )
    resolved = [issue for issue, *_ in issues if issue.status == Status.RESOLVED]
    if resolved:
        latest = max(resolved, key=lambda issue: issue.closed_at)
        suggestions.append(
            (
                {
                    "source": SuggestedWin.Source.ISSUE_RESOLVED,
                    "key": f"issue-resolved:{latest.pk}",
                    "title": f"Resolved: {latest.title}",
                    "what_happened": latest.resolution,
                    "people": [latest.owner],
                },
                SuggestedWin.Status.OFFERED,
                None,
            )
        )
    feedback = _feedback_suggestions(engagement, clock, [people[email] for email in client.hiring_managers])
    fastest = [fields for fields in feedback if fields["source"] == SuggestedWin.Source.FASTEST_FEEDBACK]
    for fields in feedback:
        dismissed = len(fastest) > 1 and fields is fastest[-1]  # the older month's: passed over
        suggestions.append((fields, SuggestedWin.Status.DISMISSED if dismissed else SuggestedWin.Status.OFFERED, None))
    rows = []
    for fields, status, win in suggestions:
        if win is not None:
            offered_at = win.created_at - timedelta(hours=2)
        elif fields["source"] == SuggestedWin.Source.ISSUE_RESOLVED:
            offered_at = latest.closed_at + timedelta(minutes=5)
        else:  # a month's facts are drawn on the morning after it ends
            month = date.fromisoformat(f"{fields['key'].rsplit(':', 1)[1]}-01")
            offered_at = min(
                datetime.combine(_add_months(month, 1), time(8), tzinfo=clock.zone), now - timedelta(minutes=30)
            )
        decided = status != SuggestedWin.Status.OFFERED
        rows.append(
            (
                SuggestedWin(
                    engagement=engagement,
                    source=fields["source"],
                    key=fields["key"],
                    title=fields["title"][:200],
                    what_happened=fields["what_happened"],
                    status=status,
                    created_at=offered_at,
                    decided_by=manager if decided else None,
                    decided_at=(win.created_at if win is not None else offered_at + timedelta(days=1))
                    if decided
                    else None,
                    win=win,
                ),
                fields["people"],
            )
        )
    saved = SuggestedWin.objects.bulk_create([row for row, _ in rows])
    SuggestedWin.people.through.objects.bulk_create(
        [
            SuggestedWin.people.through(suggestedwin_id=suggestion.pk, user_id=person.pk)
            for suggestion, (_, persons) in zip(saved, rows, strict=True)
            for person in dict.fromkeys(persons)
        ]
    )
    created["partnership_issues"] += len(issues)
    created["partnership_wins"] += len(wins)
    created["suggested_wins"] += len(saved)
    created["issue_comments"] += sum(len(comments) for _, comments, _, _ in issues)


# --- pulse surveys ------------------------------------------------------------------------------


def _first_business_day(engagement: Engagement, month: date) -> date:
    return engagement.business_calendar.working_day_on_or_after(month)


def _add_months(month: date, months: int) -> date:
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def survey_periods(engagement: Engagement, now: datetime) -> list[tuple[date, datetime]]:
    """The six monthly surveys (first day of the month, sent at), oldest first: this month's if
    it has been sent, and the months before it."""
    clock = _Clock(engagement, now)
    sent_at = lambda month: datetime.combine(  # noqa: E731
        _first_business_day(engagement, month), time(10), tzinfo=clock.zone
    )
    latest = clock.today.replace(day=1)
    if sent_at(latest) > now:
        latest = _add_months(latest, -1)
    return [(month, sent_at(month)) for month in (_add_months(latest, -back) for back in range(SURVEYS - 1, -1, -1))]


def _score(rng: random.Random, mean: float) -> int:
    return max(1, min(5, round(rng.gauss(mean, 0.7))))


def _invitees(world, client, side: str) -> list[User]:
    organization = world.clients[client.key] if side == Side.CLIENT else world.provider
    return list(
        User.objects.filter(organization=organization, role__in=data.PULSE_ROLES[side], is_active=True).order_by("pk")
    )


def _write_pulse(world, client, now: datetime, created: Counter) -> None:
    engagement = world.engagements[client.key]
    spec = data.PULSE[client.key]
    existing = set(PulseSurvey.objects.filter(engagement=engagement).values_list("period_start", flat=True))
    periods = survey_periods(engagement, now)
    if all(month in existing for month, _ in periods):
        return
    rng = random.Random(f"pulse:{client.key}")
    invitees = {side: _invitees(world, client, side) for side in (Side.CLIENT, Side.PROVIDER)}
    trends = {Side.CLIENT: spec.client_trend, Side.PROVIDER: spec.provider_trend}
    comments = {Side.CLIENT: spec.client_comments, Side.PROVIDER: spec.provider_comments}
    plans = []  # (survey, [(invitation, response or None)])
    for number, (month, sent_at) in enumerate(periods):
        closes_at = sent_at + timedelta(days=SURVEY_OPEN_DAYS)
        survey = PulseSurvey(
            engagement=engagement,
            period_start=month,
            period_label=month.strftime("%B %Y"),
            sent_at=sent_at,
            closes_at=closes_at,
        )
        answered_by = min(closes_at, now)
        reminder_at = sent_at + timedelta(days=REMINDED_AFTER_DAYS)
        rows = []
        for side, people in invitees.items():
            if (number, side) in spec.under_threshold:
                count = min(2, len(people))
            else:
                count = min(len(people), max(3, round(len(people) * rng.uniform(0.6, 0.9))))
            answering = set(rng.sample(range(len(people)), count))
            progress = number / (SURVEYS - 1)
            means = {field: first + (last - first) * progress for field, (first, last) in trends[side].items()}
            for index, person in enumerate(people):
                invitation = PulseInvitation(survey=survey, person=person, side=side, created_at=sent_at)
                response = None
                if index in answering:
                    # Most answer within the first days; a few after the reminder.
                    invitation.answered_at = sent_at + (answered_by - sent_at) * rng.betavariate(1.1, 3.5)
                    scores = {field: _score(rng, mean) for field, mean in means.items()}
                    overall = _score(rng, sum(scores.values()) / len(scores) + rng.uniform(-0.3, 0.3))
                    said = comments[side][0 if number < SURVEYS // 2 else 1]
                    response = PulseResponse(
                        invitation=invitation,
                        survey=survey,
                        side=side,
                        overall=overall,
                        comment=rng.choice(said) if rng.random() < 0.5 else "",
                        **scores,
                    )
                if reminder_at <= answered_by and (
                    invitation.answered_at is None or invitation.answered_at > reminder_at
                ):
                    invitation.reminded_at = reminder_at
                rows.append((invitation, response))
        if month not in existing:
            plans.append((survey, rows))
    surveys = PulseSurvey.objects.bulk_create([survey for survey, _ in plans])
    for survey, rows in plans:
        for invitation, response in rows:
            invitation.survey = survey
            if response is not None:
                response.survey = survey
    invitations = PulseInvitation.objects.bulk_create([invitation for _, rows in plans for invitation, _ in rows])
    for _, rows in plans:
        for invitation, response in rows:
            if response is not None:
                response.invitation = invitation
    responses = PulseResponse.objects.bulk_create(
        [response for _, rows in plans for _, response in rows if response is not None]
    )
    created["pulse_surveys"] += len(surveys)
    created["pulse_invitations"] += len(invitations)
    created["pulse_responses"] += len(responses)


def ensure_partnership_history(world, now: datetime, created: Counter) -> None:
    for client in data.CLIENTS:
        engagement = world.engagements[client.key]
        with transaction.atomic():
            if not PartnershipItem.objects.filter(engagement=engagement).exists():
                _write_items(world, client, now, created)
        with transaction.atomic():
            _write_pulse(world, client, now, created)


__all__ = ["ensure_partnership_history", "survey_periods"]
