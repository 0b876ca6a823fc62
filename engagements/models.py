from datetime import time

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone

from accounts.models import TIME_ZONE_CHOICES, Organization, validate_time_zone
from rpo_portal.rollups import HourlyRollup

from .business_hours import BusinessCalendar

User = settings.AUTH_USER_MODEL

SLA_HOURS_VALIDATORS = [MinValueValidator(1), MaxValueValidator(24 * 30)]


class Engagement(models.Model):
    """A partnership between the provider and one client, with the service levels both keep."""

    class Status(models.TextChoices):
        IMPLEMENTATION = "implementation", "Implementation"
        ACTIVE = "active", "Active"
        PAUSED = "paused", "Paused"
        ENDED = "ended", "Ended"

    name = models.CharField(max_length=200)
    provider = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="provided_engagements")
    client = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="client_engagements")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.IMPLEMENTATION)
    account_managers = models.ManyToManyField(User, blank=True, related_name="managed_engagements")
    escalation_contact = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="escalation_engagements",
        help_text="The client's champion who hears about overdue requests; the client admins if empty.",
    )

    # The SLA policy, in business hours of this engagement's calendar. Common RPO service levels.
    resume_feedback_due_hours = models.PositiveSmallIntegerField(default=24, validators=SLA_HOURS_VALIDATORS)
    interview_feedback_due_hours = models.PositiveSmallIntegerField(default=48, validators=SLA_HOURS_VALIDATORS)
    availability_due_hours = models.PositiveSmallIntegerField(default=24, validators=SLA_HOURS_VALIDATORS)
    reminder_lead_hours = models.PositiveSmallIntegerField(
        default=4, validators=SLA_HOURS_VALIDATORS, help_text="Business hours before the due time."
    )
    escalation_delay_hours = models.PositiveSmallIntegerField(
        default=12, validators=SLA_HOURS_VALIDATORS, help_text="Business hours after the due time."
    )
    time_zone = models.CharField(
        max_length=64, default="UTC", choices=TIME_ZONE_CHOICES, validators=[validate_time_zone]
    )
    business_day_start = models.TimeField(default=time(9, 0))
    business_day_end = models.TimeField(default=time(17, 0))
    business_weekdays = models.CharField(
        max_length=7,
        default="12345",
        validators=[RegexValidator(r"^(?!.*(.).*\1)[1-7]{1,7}$", "ISO weekday digits 1 (Mon) to 7 (Sun), each once.")],
        help_text="ISO weekday digits, Monday = 1: 12345 is Monday to Friday.",
    )

    class PulseCadence(models.TextChoices):
        MONTHLY = "monthly", "Monthly"
        QUARTERLY = "quarterly", "Quarterly"
        OFF = "off", "Off"

    # How often both sides are asked the two-way pulse survey (partnership.pulse).
    pulse_cadence = models.CharField(max_length=16, choices=PulseCadence.choices, default=PulseCadence.MONTHLY)

    # A fair clock: the public holidays of this country (ISO 3166 code, as the ``holidays`` library
    # names it) and, optionally, of one of its regions (subdivision code) are not business hours for
    # any due time, reminder or figure counted in business hours (``business_calendar``). Empty: no
    # holidays. Checked against the library's list by ``engagements.sla.sla_errors``.
    country = models.CharField(
        max_length=2, blank=True, default="", help_text="Whose public holidays are not business hours (e.g. DE, US)."
    )
    region = models.CharField(
        max_length=10, blank=True, default="", help_text="Optional: a state or region of the country (e.g. BY, CA)."
    )

    # The provider's targets, so that the scorecard holds both sides to account (empty: no target).
    target_days_to_first_submission = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text="Business days from a requisition opening to its first submission.",
    )
    target_submissions_per_requisition = models.DecimalField(
        null=True,
        blank=True,
        default=3,
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="Submissions per requisition open in the period, at least.",
    )
    target_submission_to_interview_percent = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="Share of submissions that reach an interview, at least (percent).",
    )
    target_days_to_fill = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        default=45,
        validators=[MinValueValidator(1), MaxValueValidator(730)],
        help_text="Days from a requisition opening to its filling, at most.",
    )

    # Bumped by every change of an orientation note (engagements.services.orientation): a recruiter
    # has read the orientation when their OrientationRead holds this version.
    orientation_version = models.PositiveIntegerField(default=0, editable=False)

    started_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(provider=models.F("client")), name="engagement_two_parties"),
            models.CheckConstraint(
                condition=models.Q(business_day_end__gt=models.F("business_day_start")),
                name="engagement_business_day_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    resume_feedback_due_hours__gte=1,
                    interview_feedback_due_hours__gte=1,
                    availability_due_hours__gte=1,
                    reminder_lead_hours__gte=1,
                    escalation_delay_hours__gte=1,
                ),
                name="engagement_sla_hours_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["implementation", "active", "paused", "ended"]),
                name="engagement_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(pulse_cadence__in=["monthly", "quarterly", "off"]),
                name="engagement_pulse_cadence_valid",
            ),
        ]
        indexes = [
            # engagement_list for client users: WHERE client_id = ?
            models.Index(fields=["client"], name="engagement_client_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def business_calendar(self) -> BusinessCalendar:
        return BusinessCalendar(
            time_zone=self.time_zone,
            day_start=self.business_day_start,
            day_end=self.business_day_end,
            weekdays=frozenset(int(day) for day in self.business_weekdays),
            country=self.country,
            region=self.region,
        )


class Requisition(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        ON_HOLD = "on_hold", "On hold"
        FILLED = "filled", "Filled"
        CANCELLED = "cancelled", "Cancelled"

    class Priority(models.TextChoices):
        LOW = "low", "Low"
        NORMAL = "normal", "Normal"
        HIGH = "high", "High"
        URGENT = "urgent", "Urgent"

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="requisitions")
    code = models.CharField(max_length=32)
    title = models.CharField(max_length=200)
    hiring_manager = models.ForeignKey(User, on_delete=models.PROTECT, related_name="managed_requisitions")
    location = models.CharField(max_length=200, blank=True)
    openings = models.PositiveSmallIntegerField(default=1, validators=[MinValueValidator(1), MaxValueValidator(500)])
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    priority = models.CharField(max_length=16, choices=Priority.choices, default=Priority.NORMAL)
    opened_on = models.DateField(default=timezone.localdate)
    target_on = models.DateField(null=True, blank=True)
    filled_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Since when the oldest request still open about this requisition's candidates waits on the
    # client side (feedback.selectors.requests_waiting_on_client), or null when nothing waits.
    # Kept by the feedback services that open and close requests (feedback.services
    # .waiting_on_client_refresh), so a list orders by it in SQL instead of aggregating every request.
    # Not indexed on purpose: the lists are scoped (a few hundred rows, sorted in a millisecond), and
    # an index in this order tempted PostgreSQL into walking it against the scope's subqueries
    # (340 ms instead of 18 ms for the demo recruiter at 100,000 submissions).
    waiting_on_client_since = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-opened_on", "code"]
        constraints = [
            models.UniqueConstraint(fields=["engagement", "code"], name="requisition_code_unique_per_engagement"),
            models.CheckConstraint(condition=models.Q(openings__gte=1), name="requisition_openings_positive"),
            models.CheckConstraint(
                condition=models.Q(target_on__isnull=True) | models.Q(target_on__gte=models.F("opened_on")),
                name="requisition_target_not_before_opened",
            ),
            models.CheckConstraint(
                condition=models.Q(filled_on__isnull=True) | models.Q(filled_on__gte=models.F("opened_on")),
                name="requisition_filled_not_before_opened",
            ),
        ]
        indexes = [
            # requisition_list for hiring managers: WHERE hiring_manager_id = ?
            models.Index(fields=["hiring_manager", "status"], name="requisition_hm_status_idx"),
            # requisition lists filtered by ?engagement=&status=
            models.Index(fields=["engagement", "status"], name="requisition_eng_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Assignment(models.Model):
    """A recruiter's part on a requisition over a period; open-ended while ``ends_on`` is empty."""

    class Role(models.TextChoices):
        PRIMARY = "primary", "Primary recruiter"
        BACKUP = "backup", "Backup recruiter"
        SOURCER = "sourcer", "Sourcer"

    requisition = models.ForeignKey(Requisition, on_delete=models.CASCADE, related_name="assignments")
    recruiter = models.ForeignKey(User, on_delete=models.PROTECT, related_name="assignments")
    role = models.CharField(max_length=16, choices=Role.choices)
    starts_on = models.DateField(default=timezone.localdate)
    ends_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["requisition", "role", "starts_on"]
        constraints = [
            # At most one open-ended primary; dated overlaps are refused by assignment_create.
            models.UniqueConstraint(
                fields=["requisition"],
                condition=models.Q(role="primary", ends_on__isnull=True),
                name="assignment_one_open_primary_per_requisition",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="assignment_ends_not_before_start",
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=["primary", "backup", "sourcer"]), name="assignment_role_valid"
            ),
        ]
        indexes = [
            # engagement_list / ?mine=1 for provider staff: WHERE recruiter_id = ? (active ones)
            models.Index(fields=["recruiter", "ends_on"], name="assignment_recruiter_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.recruiter} – {self.get_role_display()} on {self.requisition}"


class Candidate(models.Model):
    """A person in one engagement's pipeline (candidates never cross clients)."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="candidates")
    full_name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    current_title = models.CharField(max_length=200, blank=True)
    location = models.CharField(max_length=200, blank=True)
    source = models.CharField(max_length=100, blank=True, help_text="Where the candidate came from.")
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    # Set once, by engagements.services.candidate_erase (a person) or the retention task (nobody):
    # the personal data is anonymised in place and the candidate can no longer be changed.
    erased_at = models.DateTimeField(null=True, blank=True, editable=False)
    erased_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    class Meta:
        ordering = ["full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["engagement", "email"],
                condition=~models.Q(email=""),
                name="candidate_email_unique_per_engagement",
            ),
            # Anonymised means no contact details left (erasure blanks them with the name).
            models.CheckConstraint(
                condition=models.Q(erased_at__isnull=True) | models.Q(email="", phone=""),
                name="candidate_erased_has_no_contact",
            ),
        ]
        indexes = [
            # The retention task: WHERE erased_at IS NULL AND created_at < ? (the candidates still
            # holding personal data, oldest first).
            models.Index(
                fields=["created_at"], condition=models.Q(erased_at__isnull=True), name="candidate_retention_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None


class Submission(models.Model):
    """A candidate put forward on a requisition; moves only along legal stage transitions."""

    class Stage(models.TextChoices):
        SUBMITTED = "submitted", "Submitted"
        HM_REVIEW = "hm_review", "Hiring-manager review"
        INTERVIEW = "interview", "Interview"
        OFFER = "offer", "Offer"
        HIRED = "hired", "Hired"
        REJECTED = "rejected", "Rejected"
        WITHDRAWN = "withdrawn", "Withdrawn"

    OPEN_STAGES = (Stage.SUBMITTED, Stage.HM_REVIEW, Stage.INTERVIEW, Stage.OFFER)
    CLOSED_STAGES = (Stage.HIRED, Stage.REJECTED, Stage.WITHDRAWN)
    # The one table of legal moves: forward one step, or out (rejected / withdrawn) while open.
    TRANSITIONS: dict[str, frozenset[str]] = {
        Stage.SUBMITTED: frozenset({Stage.HM_REVIEW, Stage.REJECTED, Stage.WITHDRAWN}),
        Stage.HM_REVIEW: frozenset({Stage.INTERVIEW, Stage.REJECTED, Stage.WITHDRAWN}),
        Stage.INTERVIEW: frozenset({Stage.OFFER, Stage.REJECTED, Stage.WITHDRAWN}),
        Stage.OFFER: frozenset({Stage.HIRED, Stage.REJECTED, Stage.WITHDRAWN}),
        Stage.HIRED: frozenset(),
        Stage.REJECTED: frozenset(),
        Stage.WITHDRAWN: frozenset(),
    }

    requisition = models.ForeignKey(Requisition, on_delete=models.CASCADE, related_name="submissions")
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="submissions")
    stage = models.CharField(max_length=16, choices=Stage.choices, default=Stage.SUBMITTED)
    submitted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(default=timezone.now)
    stage_changed_at = models.DateTimeField(default=timezone.now)
    summary = models.TextField(blank=True, help_text="Why this candidate fits, for the hiring manager.")
    # The one-time token of the page form that made it ("Add and submit a candidate"): the same
    # form sent again (a double click, Back and send, two requests at once) finds this row instead
    # of adding the candidate twice. Unique, so the database is the guard; its index serves
    # ``candidate_add_and_submit``'s WHERE form_token = ?. NULL for the API, imports and the admin.
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class WithdrawalReason(models.TextChoices):
        OTHER_OFFER = "other_offer", "Took another offer"
        PROCESS_TOO_SLOW = "too_slow", "The process took too long"
        LOST_INTEREST = "lost_interest", "Lost interest in the role"
        COMPENSATION = "compensation", "Pay or conditions"
        PERSONAL = "personal", "Personal reasons"
        OTHER = "other", "Another reason"
        # Withdrawals recorded before the reason was asked for (migration 0009 only).
        NOT_RECORDED = "not_recorded", "Not recorded"

    # Why a withdrawn candidate left: required when the stage moves to withdrawn (the services and
    # the check constraint below), empty otherwise. The cost of waiting counts withdrawals by wait.
    withdrawal_reason = models.CharField(max_length=16, choices=WithdrawalReason.choices, blank=True)

    class Meta:
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(fields=["requisition", "candidate"], name="submission_once_per_requisition"),
            models.CheckConstraint(
                condition=(models.Q(stage="withdrawn") & ~models.Q(withdrawal_reason=""))
                | (~models.Q(stage="withdrawn") & models.Q(withdrawal_reason="")),
                name="submission_withdrawn_has_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    stage__in=["submitted", "hm_review", "interview", "offer", "hired", "rejected", "withdrawn"]
                ),
                name="submission_stage_valid",
            ),
        ]
        indexes = [
            # submission lists filtered by ?requisition=&stage= and pipeline counts per requisition
            models.Index(fields=["requisition", "stage"], name="submission_req_stage_idx"),
            # scorecard windows: WHERE submitted_at >= ?
            models.Index(fields=["submitted_at"], name="submission_submitted_at_idx"),
            # the scorecard's first submission of each requisition: WHERE requisition_id = ?
            # ORDER BY submitted_at LIMIT 1
            models.Index(fields=["requisition", "submitted_at"], name="submission_req_submitted_idx"),
            # what waits on the client per requisition ("my requisitions"): the candidates still in
            # play of a set of requisitions, read from the index alone (id included). The stages are
            # OPEN_STAGES spelled out (Meta cannot see the class body); tests hold the two equal.
            models.Index(
                fields=["requisition"],
                include=["id"],
                condition=models.Q(stage__in=["submitted", "hm_review", "interview", "offer"]),
                name="submission_open_by_req_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.candidate} for {self.requisition}"

    @property
    def is_open(self) -> bool:
        return self.stage in self.OPEN_STAGES

    def can_move_to(self, stage: str) -> bool:
        return stage in self.TRANSITIONS.get(self.stage, frozenset())


class OfSubmission(models.Model):
    """A row about one submission that carries the submission's engagement too (``engagement``,
    set once: a requisition never changes engagement), so that what is read per engagement and
    period (the scorecard's windows, the health map) is one index range of this table, with no join
    to submissions and no list of the engagement's requisitions: its cost follows the rows of the
    window, never the size of the history, and its plan needs no statistics (issue 14).

    ``save`` fills it from the submission when not given (one query when the submission's requisition
    is not loaded); ``bulk_create`` does not call ``save``, so bulk writers set ``engagement_id``
    themselves, and the column being NOT NULL refuses a row that has none.
    """

    engagement = models.ForeignKey(
        Engagement, on_delete=models.CASCADE, related_name="+", db_index=False, editable=False
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.engagement_id is None and self.submission_id is not None:
            self.engagement_id = self.submission.requisition.engagement_id
        super().save(*args, **kwargs)


# The moves the scorecard counts (partnership.scorecard.figures): submissions made, moves to
# interview and to offer, and what became of offers. About half of all moves; the others (to the
# hiring manager's review, rejections before an offer) are in no figure, and not in its index.
SCORECARD_MOVES = (
    models.Q(from_stage="", to_stage=Submission.Stage.SUBMITTED)
    | models.Q(to_stage__in=[Submission.Stage.INTERVIEW, Submission.Stage.OFFER])
    | models.Q(from_stage=Submission.Stage.OFFER)
)
# What each stage figure counts of those moves: submissions made, moves to interview and to offer,
# offers accepted (hired) and lost (rejected or withdrawn from offer).
SCORECARD_MOVE_COUNTS = {
    "submitted": models.Q(from_stage="", to_stage=Submission.Stage.SUBMITTED),
    "interview": models.Q(to_stage=Submission.Stage.INTERVIEW),
    "offer": models.Q(to_stage=Submission.Stage.OFFER),
    "hired": models.Q(from_stage=Submission.Stage.OFFER, to_stage=Submission.Stage.HIRED),
    "offer_lost": models.Q(
        from_stage=Submission.Stage.OFFER, to_stage__in=[Submission.Stage.REJECTED, Submission.Stage.WITHDRAWN]
    ),
}


class SubmissionStageChange(OfSubmission):
    """Append-only history of a submission's stages (written only by submission services)."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(max_length=16, choices=Submission.Stage.choices, blank=True)
    to_stage = models.CharField(max_length=16, choices=Submission.Stage.choices)
    changed_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["changed_at", "id"]
        indexes = [
            # history of one submission, in order: WHERE submission_id = ? ORDER BY changed_at
            models.Index(fields=["submission", "changed_at"], name="stage_change_submission_idx"),
            # the scorecard's stage ratios: WHERE SCORECARD_MOVES AND engagement_id = ? AND
            # changed_at >= ? AND changed_at < ?, read from the index alone, which holds only
            # those moves (half the rows to read)
            models.Index(
                fields=["engagement", "changed_at"],
                include=["from_stage", "to_stage"],
                condition=SCORECARD_MOVES,
                name="stage_change_counted_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.submission}: {self.from_stage or '—'} → {self.to_stage}"


# The stage moves each scorecard figure counts (``partnership.scorecard.figures.stage_moves_by_week``),
# per engagement and UTC hour, kept by the database (``rpo_portal.rollups``): SCORECARD_MOVES and
# SCORECARD_MOVE_COUNTS in SQL. tests/test_rollups.py holds the rollup equal to those Q objects.
_S = Submission.Stage
STAGE_MOVES_HOURLY = HourlyRollup(
    source="engagements_submissionstagechange",
    target="engagements_stagemoveshour",
    moment="changed_at",
    where=(
        f"({{row}}.from_stage = '' AND {{row}}.to_stage = '{_S.SUBMITTED}') "
        f"OR {{row}}.to_stage IN ('{_S.INTERVIEW}', '{_S.OFFER}') OR {{row}}.from_stage = '{_S.OFFER}'"
    ),
    counts=(
        ("submitted", f"{{row}}.from_stage = '' AND {{row}}.to_stage = '{_S.SUBMITTED}'"),
        ("interview", f"{{row}}.to_stage = '{_S.INTERVIEW}'"),
        ("offer", f"{{row}}.to_stage = '{_S.OFFER}'"),
        ("hired", f"{{row}}.from_stage = '{_S.OFFER}' AND {{row}}.to_stage = '{_S.HIRED}'"),
        (
            "offer_lost",
            f"{{row}}.from_stage = '{_S.OFFER}' AND {{row}}.to_stage IN ('{_S.REJECTED}', '{_S.WITHDRAWN}')",
        ),
    ),
    watched=("from_stage", "to_stage"),
)


class StageMovesHour(models.Model):
    """One engagement's counted stage moves (``STAGE_MOVES_HOURLY``) in one UTC hour: written by
    the database's triggers alone, read by the scorecard for the whole hours of its window."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="+")
    hour = models.DateTimeField()
    submitted = models.IntegerField(default=0)
    interview = models.IntegerField(default=0)
    offer = models.IntegerField(default=0)
    hired = models.IntegerField(default=0)
    offer_lost = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["engagement", "hour"], name="stage_moves_hour_unique")]

    def __str__(self) -> str:
        return f"{self.engagement_id} {self.hour:%Y-%m-%d %H:00} UTC"


class Interview(OfSubmission):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        COMPLETED = "completed", "Completed"
        CANCELLED = "cancelled", "Cancelled"
        # Who missed it decides whose side of the scorecard counts it: the candidate's no-show is the
        # provider's (it put the candidate forward), the hiring manager's is the client's.
        NO_SHOW = "no_show", "Candidate did not show"
        HM_NO_SHOW = "hm_no_show", "Hiring manager did not show"

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="interviews")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    location = models.CharField(max_length=300, blank=True, help_text="Room, address or video link.")
    interviewers = models.ManyToManyField(User, blank=True, related_name="interviews")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SCHEDULED)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    # How many times the interview was moved to another time (interview_update): the scorecard's
    # "interview reschedules".
    rescheduled_count = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="interview_ends_after_start"
            ),
        ]
        indexes = [
            # interview lists by submission, soonest first
            models.Index(fields=["submission", "starts_at"], name="interview_submission_idx"),
            # the scorecard's no-shows (both kinds) and reschedules: WHERE engagement_id = ? AND
            # starts_at >= ? AND starts_at < ?, read from the index alone
            models.Index(
                fields=["engagement", "starts_at"],
                include=["status", "rescheduled_count"],
                name="interview_engagement_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"Interview of {self.submission} at {self.starts_at:%Y-%m-%d %H:%M}"


class ImplementationTask(models.Model):
    """One step of an engagement's implementation checklist, owned by one side (and one person).

    A new engagement gets the default checklist (``engagements.implementation.DEFAULT_TASKS``), which
    can be edited. An open task with a due date is chased by feedback's reminder engine, as issues
    are: the ladder fields below are set from ``due_on`` (``partnership.ladder``), and its reminders
    are ``Reminder`` rows (``Reminder.implementation_task``).
    """

    class Side(models.TextChoices):
        PROVIDER = "provider", "Provider"
        CLIENT = "client", "Client"

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="implementation_tasks")
    # Which default step this is ("kickoff", ...), so that the default checklist is made once;
    # empty for tasks people add.
    key = models.CharField(max_length=40, blank=True, editable=False)
    title = models.CharField(max_length=200)
    notes = models.TextField(blank=True, max_length=5000)
    owner_side = models.CharField(max_length=8, choices=Side.choices, default=Side.PROVIDER)
    owner = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)
    due_on = models.DateField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    # The chase of an open task with a due date, as ``PartnershipItem``'s (NULL when done or undated).
    remind_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    escalate_at = models.DateTimeField(null=True, blank=True)
    ladder_step = models.PositiveSmallIntegerField(default=0)
    next_step_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["engagement", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["engagement", "key"], condition=~models.Q(key=""), name="implementation_task_default_once"
            ),
            models.CheckConstraint(
                condition=models.Q(owner_side__in=["provider", "client"]), name="implementation_task_side_valid"
            ),
        ]
        indexes = [
            # The reminder sweep: open tasks whose next ladder step has come.
            models.Index(
                fields=["next_step_at"],
                condition=models.Q(completed_at__isnull=True),
                name="implementation_task_sweep_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_done(self) -> bool:
        return self.completed_at is not None


class OrientationNote(models.Model):
    """'What it is like to work here', written for recruiters new to the client.

    Changed only through ``engagements.services.orientation``: every change is a new
    ``OrientationNoteVersion`` (who, when, what) and bumps ``Engagement.orientation_version``, which
    asks every recruiter and sourcer on the engagement to read the orientation again.
    """

    class Topic(models.TextChoices):
        CULTURE = "culture", "Culture"
        INTERVIEW_PROCESS = "interview_process", "Interview process"
        SELLING_POINTS = "selling_points", "Selling points"
        NO_GOS = "no_gos", "No-go's"
        OTHER = "other", "Other"

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="orientation_notes")
    topic = models.CharField(max_length=24, choices=Topic.choices, default=Topic.OTHER)
    title = models.CharField(max_length=200)
    body = models.TextField(max_length=20000)
    author = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    updated_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["engagement", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(topic__in=["culture", "interview_process", "selling_points", "no_gos", "other"]),
                name="orientation_note_topic_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class OrientationNoteVersion(models.Model):
    """One version of a note as saved: append-only, so its history shows who changed what, when."""

    note = models.ForeignKey(OrientationNote, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    topic = models.CharField(max_length=24, choices=OrientationNote.Topic.choices)
    title = models.CharField(max_length=200)
    body = models.TextField()
    changed_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["note", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["note", "number"], name="orientation_note_version_once"),
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.number}"


class OrientationRead(models.Model):
    """That a person read an engagement's orientation, as of its ``orientation_version`` then."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="orientation_reads")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="orientation_reads")
    version = models.PositiveIntegerField()
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["engagement", "user"], name="orientation_read_once_per_person"),
        ]
        indexes = [models.Index(fields=["user"], name="orientation_read_user_idx")]

    def __str__(self) -> str:
        return f"{self.user} read {self.engagement} v{self.version}"
