"""Requests asked of the client side (feedback, availability), their answers, and the record of
every reminder and escalation sent to chase them."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from engagements.business_hours import BusinessCalendar, is_outside_business_hours
from engagements.models import Engagement, Interview, OfSubmission, Submission
from rpo_portal.rollups import HourlyRollup

User = settings.AUTH_USER_MODEL


class RequestStatus(models.TextChoices):
    OPEN = "open", "Open"
    ANSWERED = "answered", "Answered"
    CANCELLED = "cancelled", "Cancelled"


class LadderStep(models.IntegerChoices):
    """How far the chase has gone. Each step is one ``Reminder`` level."""

    NONE = 0, "Nothing sent yet"
    DUE_SOON = 1, "Reminded before the due time"
    OVERDUE = 2, "Reminded when overdue"
    ESCALATED = 3, "Escalated"


class ChasedRequestQuerySet(models.QuerySet):
    """The rules every chased request is judged by, written once: what is overdue now, and what
    was answered on time. The inbox, the selectors, the API's ``?overdue=``, the admin, the
    scorecard and the health rules all use these; the reminder sweep's "overdue" level falls due
    at the same moment (``LADDER``: a level's moment has come when it is at or before now).

    The ``*_q`` forms serve conditional aggregates (``Count(..., filter=...)``).
    """

    @staticmethod
    def overdue_q(now: datetime) -> Q:
        """Still open, and its due moment has come (``due_at <= now``)."""
        return Q(status=RequestStatus.OPEN) & moment_has_come_q(OVERDUE_RUNG.moment, now)

    @staticmethod
    def answered_on_time_q() -> Q:
        """Answered at or before its due time."""
        return Q(answered_at__isnull=False, answered_at__lte=F("due_at"))

    def overdue(self, now: datetime):
        return self.filter(self.overdue_q(now))

    def answered_on_time(self):
        return self.filter(self.answered_on_time_q())


class ChasedRequest(models.Model):
    """Something asked of a client user by a due time, chased by the reminder ladder.

    ``remind_at``, ``due_at`` and ``escalate_at`` are fixed when the request opens, from the
    engagement's SLA in its business hours, so a later SLA change affects new requests only.
    How far the ladder has gone, and when its next level falls due, is kept apart in the request's
    ``ladder`` (``RequestLadder``): the sweep moves every due ladder each minute, and a row of
    this wide table moved that often would give each of its indexes a new entry every time.
    """

    # No index of its own: each model's inbox index leads with it.
    requested_of = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", db_index=False)
    status = models.CharField(max_length=16, choices=RequestStatus.choices, default=RequestStatus.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    remind_at = models.DateTimeField()
    due_at = models.DateTimeField()
    escalate_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    objects = ChasedRequestQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_open(self) -> bool:
        return self.status == RequestStatus.OPEN

    def is_overdue_at(self, now: datetime) -> bool:
        """``ChasedRequestQuerySet.overdue_q`` for one request in memory (the same rule)."""
        return self.is_open and moment_has_come(getattr(self, OVERDUE_RUNG.moment), now)

    @property
    def is_overdue(self) -> bool:
        return self.is_overdue_at(timezone.now())


class FeedbackRequest(ChasedRequest, OfSubmission):
    class Kind(models.TextChoices):
        RESUME_REVIEW = "resume_review", "Résumé review"
        INTERVIEW = "interview", "Post-interview assessment"

    # The Reminder field that points at this kind of request.
    reminder_field = "feedback_request"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="feedback_requests")
    # Indexed where set only (feedback_request_interview_idx): résumé reviews have none.
    interview = models.ForeignKey(
        Interview, null=True, blank=True, on_delete=models.CASCADE, related_name="feedback_requests", db_index=False
    )

    class Meta:
        ordering = ["due_at", "id"]
        constraints = [
            # Opening is idempotent: a receiver running twice finds the row already there.
            models.UniqueConstraint(
                fields=["submission", "requested_of"],
                condition=Q(kind="resume_review"),
                name="feedback_request_one_resume_review",
            ),
            models.UniqueConstraint(
                fields=["interview", "requested_of"],
                condition=Q(kind="interview"),
                name="feedback_request_one_per_interviewer",
            ),
            models.CheckConstraint(
                condition=(Q(kind="interview") & Q(interview__isnull=False))
                | (Q(kind="resume_review") & Q(interview__isnull=True)),
                name="feedback_request_interview_iff_kind",
            ),
            models.CheckConstraint(
                condition=Q(remind_at__lte=models.F("due_at")) & Q(due_at__lte=models.F("escalate_at")),
                name="feedback_request_ladder_in_order",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "answered", "cancelled"]), name="feedback_request_status_valid"
            ),
        ]
        indexes = [
            # Inboxes and ?mine=1: WHERE requested_of_id = ? AND status = 'open' ORDER BY due_at.
            models.Index(fields=["requested_of", "status", "due_at"], name="feedback_request_inbox_idx"),
            # An interview's assessments (and the cascade when one is deleted).
            models.Index(
                fields=["interview"], condition=Q(interview__isnull=False), name="feedback_request_interview_idx"
            ),
            # What waits on whom per requisition: the open requests of a set of submissions, grouped
            # by the person asked, oldest first, read from the index alone.
            models.Index(
                fields=["submission"],
                include=["requested_of", "created_at"],
                condition=Q(status="open"),
                name="feedback_request_waiting_idx",
            ),
            # What is overdue now, per engagement (the scorecard's list, the engagement list's
            # health): the open requests only, however long the history. With the person asked
            # (and the status the overdue rule names), what each hiring manager has open and
            # overdue is read from the index alone: 5.5 ms to 1.4 ms over 6,800 open requests.
            models.Index(
                fields=["engagement", "due_at"],
                include=["requested_of", "status"],
                condition=Q(status="open"),
                name="feedback_request_open_due_idx",
            ),
            # The scorecard per engagement and period (``OfSubmission``): feedback due in a window
            # (on time or not), answered in one (turnaround), and asked in one per hiring manager,
            # each read from the index alone. The last in the order it groups by, the person asked:
            # no sort of the window's requests (30 ms to 15 ms over 27,000 of them).
            models.Index(
                fields=["engagement", "requested_of", "created_at"],
                include=["status", "answered_at", "due_at"],
                name="feedback_request_asked_by_idx",
            ),
            models.Index(
                fields=["engagement", "due_at"], include=["status", "answered_at"], name="feedback_request_due_idx"
            ),
            models.Index(
                fields=["engagement", "answered_at"],
                include=["created_at"],
                condition=Q(answered_at__isnull=False),
                name="feedback_request_answered_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.submission} by {self.requested_of}"


# "Feedback on time" (``partnership.scorecard.figures.feedback_on_time_by_week``): the requests due
# per engagement and UTC hour of their due time, cancelled ones aside, and those answered by then
# (``answered_on_time_q``), kept by the database (``rpo_portal.rollups``). tests/test_rollups.py
# holds the rollup equal to those rules.
FEEDBACK_DUE_HOURLY = HourlyRollup(
    source="feedback_feedbackrequest",
    target="feedback_feedbackduehour",
    moment="due_at",
    where=f"{{row}}.status <> '{RequestStatus.CANCELLED}'",
    counts=(
        ("due", "true"),
        ("on_time", "{row}.answered_at IS NOT NULL AND {row}.answered_at <= {row}.due_at"),
    ),
    watched=("status", "answered_at"),
)


class FeedbackDueHour(models.Model):
    """One engagement's feedback due in one UTC hour (``FEEDBACK_DUE_HOURLY``): written by the
    database's triggers alone, read by the scorecard and the health map for whole hours."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="+")
    hour = models.DateTimeField()
    due = models.IntegerField(default=0)
    on_time = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["engagement", "hour"], name="feedback_due_hour_unique")]

    def __str__(self) -> str:
        return f"{self.engagement_id} {self.hour:%Y-%m-%d %H:00} UTC"


class Feedback(models.Model):
    class Decision(models.TextChoices):
        ADVANCE = "advance", "Advance"
        HOLD = "hold", "Hold"
        REJECT = "reject", "Reject"

    class Reason(models.TextChoices):
        SKILLS_MATCH = "skills_match", "Skills match the role"
        EXPERIENCE_MATCH = "experience_match", "Relevant experience"
        CULTURE_ADD = "culture_add", "Would add to the team"
        COMMUNICATION = "communication", "Communicates well"
        SKILLS_GAP = "skills_gap", "Missing key skills"
        EXPERIENCE_GAP = "experience_gap", "Not enough experience"
        OVERQUALIFIED = "overqualified", "Overqualified"
        COMPENSATION = "compensation", "Compensation expectations"
        LOCATION = "location", "Location or work arrangement"
        TIMING = "timing", "Availability or notice period"
        OTHER = "other", "Other (see comments)"

    class Channel(models.TextChoices):
        WEB = "web", "Web form"
        EMAIL_LINK = "email_link", "One-click email link"
        API = "api", "API"

    request = models.OneToOneField(FeedbackRequest, on_delete=models.CASCADE, related_name="feedback")
    decision = models.CharField(max_length=16, choices=Decision.choices)
    rating = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    reasons = models.JSONField(default=list, blank=True)
    comments = models.TextField(blank=True, max_length=5000)
    channel = models.CharField(max_length=16, choices=Channel.choices)
    given_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class NextStep(models.TextChoices):
        """What the answer set going, decided once by ``feedback_respond``; pages and emails say it."""

        AVAILABILITY = "availability", "Interview availability asked of the person who answered"
        OFFER = "offer", "The recruiter takes it towards an offer"
        RECRUITER = "recruiter", "The recruiter decides what comes next"
        HOLD = "hold", "On hold: the recruiter checks back"
        CLOSED = "closed", "Out of the process"

    next_step = models.CharField(max_length=16, choices=NextStep.choices, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(rating__gte=1, rating__lte=5), name="feedback_rating_1_to_5"),
            models.CheckConstraint(
                condition=Q(decision__in=["advance", "hold", "reject"]), name="feedback_decision_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} ({self.rating}/5) on {self.request}"


class AvailabilityRequest(ChasedRequest, OfSubmission):
    """Interview slots asked of a hiring manager (or interviewer) after an advance."""

    reminder_field = "availability_request"

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="availability_requests")
    booked_interview = models.OneToOneField(
        Interview, null=True, blank=True, on_delete=models.SET_NULL, related_name="availability_request"
    )

    class Meta:
        ordering = ["due_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "requested_of"],
                condition=Q(status="open"),
                name="availability_request_one_open",
            ),
            models.CheckConstraint(
                condition=Q(remind_at__lte=models.F("due_at")) & Q(due_at__lte=models.F("escalate_at")),
                name="availability_request_ladder_in_order",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "answered", "cancelled"]), name="availability_request_status_valid"
            ),
        ]
        indexes = [
            # Inboxes: WHERE requested_of_id = ? AND status = 'open' ORDER BY due_at.
            models.Index(fields=["requested_of", "status", "due_at"], name="availability_request_inbox_idx"),
            # What waits on whom per requisition (as feedback_request_waiting_idx).
            models.Index(
                fields=["submission"],
                include=["requested_of", "created_at"],
                condition=Q(status="open"),
                name="availability_waiting_idx",
            ),
            # The scorecard's availability lead time per engagement and period (``OfSubmission``).
            models.Index(
                fields=["engagement", "answered_at"],
                include=["created_at"],
                condition=Q(status="answered"),
                name="availability_answered_idx",
            ),
            # Slots offered and no interview booked from them yet, per engagement, oldest first: the
            # provider's overdue bookings (partnership.scorecard.overdue), a few hundred rows where
            # the answered ones are tens of thousands.
            models.Index(
                fields=["engagement", "answered_at"],
                include=["submission"],
                condition=Q(status="answered", booked_interview__isnull=True),
                name="availability_to_book_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"Availability for {self.submission} from {self.requested_of}"


class RequestLadder(models.Model):
    """How far the reminder ladder has gone for one request (``ladder_step``, the last level
    recorded) and when its next level falls due (``next_step_at``; NULL once escalated or closed).

    A narrow table of its own, one row per request made when it opens, so that the sweep's
    ``UPDATE`` each minute writes a row of three columns and two index entries (its key and the
    sweep's), instead of a new version of the wide request row with an entry in each of its eight
    indexes (``next_step_at`` was indexed there, so the update was never HOT): on 100,000 due
    requests, 0.35 s instead of 0.9 s (bench/README.md, 2026-12-01). The row stays when the
    request closes, so ``ladder_step`` still says how far the chase went.
    """

    ladder_step = models.PositiveSmallIntegerField(choices=LadderStep.choices, default=LadderStep.NONE)
    next_step_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.get_ladder_step_display()}, next at {self.next_step_at or 'none'}"


class FeedbackRequestLadder(RequestLadder):
    request = models.OneToOneField(FeedbackRequest, primary_key=True, on_delete=models.CASCADE, related_name="ladder")

    class Meta:
        indexes = [
            # The reminder sweep: WHERE next_step_at <= now (NULL once escalated or closed).
            models.Index(
                fields=["next_step_at"], condition=Q(next_step_at__isnull=False), name="feedback_ladder_due_idx"
            ),
        ]


class AvailabilityRequestLadder(RequestLadder):
    request = models.OneToOneField(
        AvailabilityRequest, primary_key=True, on_delete=models.CASCADE, related_name="ladder"
    )

    class Meta:
        indexes = [
            # The reminder sweep: WHERE next_step_at <= now (NULL once escalated or closed).
            models.Index(
                fields=["next_step_at"],
                condition=Q(next_step_at__isnull=False),
                name="availability_ladder_due_idx",
            ),
        ]


class AvailabilitySlot(models.Model):
    request = models.ForeignKey(AvailabilityRequest, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="slot_ends_after_start"),
            models.UniqueConstraint(fields=["request", "starts_at"], name="slot_unique_start_per_request"),
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M} – {self.ends_at:%H:%M}"


def slots_marked_outside_business_hours(slots, *, calendar: BusinessCalendar) -> list[AvailabilitySlot]:
    """The slots, each with ``outside_business_hours`` set by the one rule
    (``engagements.business_hours.is_outside_business_hours``): what the hiring manager's page,
    the booking page and the recruiter's email warn about. Such slots are accepted, only flagged."""
    slots = list(slots)
    for slot in slots:
        slot.outside_business_hours = is_outside_business_hours(slot.starts_at, slot.ends_at, calendar)
        # When it is where the hours are kept ("Sun 02:00 Europe/Berlin"): the reader may be elsewhere.
        slot.business_local = f"{slot.starts_at.astimezone(calendar.zone):%a %H:%M} {calendar.time_zone}"
    return slots


def _exactly_one_set(*fields: str) -> Q:
    condition = Q()
    for chosen in fields:
        condition |= Q(**{f"{field}__isnull": field != chosen for field in fields})
    return condition


class Reminder(models.Model):
    """The record of one reminder or escalation, written before anything is sent.

    A level is recorded at most once per request (the unique constraints are the guard), so
    concurrent sweeps cannot double-send; a row that was recorded but not sent stays pending and
    is dispatched again. The life of a row (``feedback.reminders``): pending → sending (claimed by
    one task with a conditional UPDATE) → sent, or back to pending (quiet hours, a failed send),
    or in_digest (the recipient reads a daily digest) → sent with the digest; skipped when
    superseded or when the request closed; failed when a permanent error repeats.
    """

    class Level(models.TextChoices):
        REQUESTED = "requested", "The request itself"
        DUE_SOON = "due_soon", "Reminder before the due time"
        OVERDUE = "overdue", "Overdue reminder"
        ESCALATION = "escalation", "Escalation"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"
        IN_DIGEST = "in_digest", "Left for the daily digest"
        SKIPPED = "skipped", "Not sent: superseded or closed"
        FAILED = "failed", "Not sent: gave up after repeated errors"

    # No index of their own: the unique (request, level) constraints below lead with them and hold
    # only the rows that have one (a plain index held a NULL for every row of the other kind, and
    # the sweep writes every index for each of the hundreds of thousands of rows it may record).
    feedback_request = models.ForeignKey(
        FeedbackRequest, null=True, blank=True, on_delete=models.CASCADE, related_name="reminders", db_index=False
    )
    availability_request = models.ForeignKey(
        AvailabilityRequest, null=True, blank=True, on_delete=models.CASCADE, related_name="reminders", db_index=False
    )
    # The one schema reference from feedback up to partnership: an overdue issue is chased by the
    # same ladder, and its reminders are these same rows, so the unique (issue, level) constraint
    # below is what makes each of its levels once, as for the requests. It is a string reference
    # (no Python import: feedback's code knows nothing of partnership); what the engine needs to
    # know about issues (which are open, who is chased, who an escalation goes to, the email) is
    # registered by partnership itself (``feedback.reminders.subjects``, filled by partnership.chase).
    partnership_item = models.ForeignKey(
        "partnership.PartnershipItem",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reminders",
        db_index=False,
    )
    # An overdue implementation task is chased the same way (registered by partnership.chase).
    implementation_task = models.ForeignKey(
        "engagements.ImplementationTask",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reminders",
        db_index=False,
    )
    level = models.CharField(max_length=16, choices=Level.choices)
    recipient = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    send_after = models.DateTimeField(default=timezone.now)
    # When a send task was last published for this row: the sweep re-publishes a pending row only
    # after a while, so a slow worker does not find the queue filled with copies of the same row.
    dispatched_at = models.DateTimeField(null=True, blank=True)
    # While sending: when the task claimed the row (a lease; or, held for a retry, the retry's ETA).
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=_exactly_one_set(
                    "feedback_request", "availability_request", "partnership_item", "implementation_task"
                ),
                name="reminder_for_exactly_one_request",
            ),
            models.UniqueConstraint(
                fields=["feedback_request", "level"],
                condition=Q(feedback_request__isnull=False),
                name="reminder_level_once_per_feedback_request",
            ),
            models.UniqueConstraint(
                fields=["availability_request", "level"],
                condition=Q(availability_request__isnull=False),
                name="reminder_level_once_per_availability_request",
            ),
            models.UniqueConstraint(
                fields=["partnership_item", "level"],
                condition=Q(partnership_item__isnull=False),
                name="reminder_level_once_per_partnership_item",
            ),
            models.UniqueConstraint(
                fields=["implementation_task", "level"],
                condition=Q(implementation_task__isnull=False),
                name="reminder_level_once_per_implementation_task",
            ),
        ]
        indexes = [
            # The dispatcher: WHERE status = 'pending' AND send_after <= now ORDER BY send_after, id
            # LIMIT n, read in index order (on send_after alone every pending row was sorted first).
            models.Index(fields=["send_after", "id"], condition=Q(status="pending"), name="reminder_pending_idx"),
            # Stuck sends: WHERE status = 'sending' AND claimed_at < now - lease.
            models.Index(fields=["claimed_at"], condition=Q(status="sending"), name="reminder_sending_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} for {self.request}"

    @property
    def request(self):
        """What this reminder chases: a feedback or availability request, an issue or an
        implementation task."""
        return self.feedback_request or self.availability_request or self.partnership_item or self.implementation_task


# --- The reminder ladder -------------------------------------------------------------------------


@dataclass(frozen=True)
class Rung:
    """One step of the ladder: the step a request reaches, the ``Reminder`` level recorded for it,
    and the request's field that holds the moment it falls due."""

    step: int
    level: str
    moment: str
    # Recorded as skipped, not sent, when the next rung's moment has come too ("due soon" is stale
    # once the request is overdue). The overdue reminder is never skipped for the escalation: the
    # person asked always hears about it no later than their champion does.
    stale_once_next_has_come: bool = False


# The one table of the ladder: the sweep's SQL, its ORM update and the demo's history are built
# from it, and "overdue" (ChasedRequestQuerySet.overdue_q) is its OVERDUE rung.
LADDER: tuple[Rung, ...] = (
    Rung(LadderStep.DUE_SOON, Reminder.Level.DUE_SOON, "remind_at", stale_once_next_has_come=True),
    Rung(LadderStep.OVERDUE, Reminder.Level.OVERDUE, "due_at"),
    Rung(LadderStep.ESCALATED, Reminder.Level.ESCALATION, "escalate_at"),
)
OVERDUE_RUNG = LADDER[1]


def moment_has_come(moment: datetime, now: datetime) -> bool:
    """A rung falls due, and a request is overdue, once its moment is at or before now."""
    return moment <= now


def moment_has_come_q(field: str, now: datetime) -> Q:
    """``moment_has_come`` for the rows of a query."""
    return Q(**{f"{field}__lte": now})


def ladder_at(request: ChasedRequest, *, until: datetime) -> tuple[list[Rung], int, datetime | None]:
    """How far the ladder of ``request`` had gone by ``until``: the rungs whose moment had come,
    the step reached, and when the next rung falls due (None past the top)."""
    passed = [rung for rung in LADDER if moment_has_come(getattr(request, rung.moment), until)]
    upcoming = [getattr(request, rung.moment) for rung in LADDER[len(passed) :]]
    return passed, passed[-1].step if passed else LadderStep.NONE, upcoming[0] if upcoming else None


def ladder_model_of(model) -> type[RequestLadder]:
    """The ladder table of a request model (``FeedbackRequest`` → ``FeedbackRequestLadder``)."""
    return model.ladder.related.related_model


def ladder_row(request: ChasedRequest, *, until: datetime | None = None) -> RequestLadder:
    """The (unsaved) ladder row of ``request``: as it opens, nothing sent and the first level due
    at ``remind_at``; or, given ``until``, as far as it had gone by then (``ladder_at``). A closed
    request has no next level."""
    step, next_step_at = LadderStep.NONE, request.remind_at
    if until is not None:
        _, step, next_step_at = ladder_at(request, until=until)
    return ladder_model_of(type(request))(
        request=request, ladder_step=step, next_step_at=next_step_at if request.is_open else None
    )


class Digest(models.Model):
    """One daily digest per user and local day (the unique constraint makes it once)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="digests")
    local_date = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)
    # Set by the task that sends it (a conditional UPDATE; a lease, so a killed worker's digest is sent again).
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    item_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-local_date"]
        constraints = [models.UniqueConstraint(fields=["user", "local_date"], name="digest_once_per_user_day")]

    def __str__(self) -> str:
        return f"Digest for {self.user} on {self.local_date}"
