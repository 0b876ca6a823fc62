"""How the two organisations talk about the partnership itself: issues with owners and resolutions,
wins with the people to thank, the wins the portal suggests from its own data, and two-way pulse
surveys shown only as aggregates (PRODUCT.md, flow 6).

The tone is the seed article's: a partner, not a vendor. An issue has an owner and a next step, and
no "fault" field; resolving it says what was changed.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from engagements.models import Engagement, Requisition
from feedback.models import moment_has_come

User = settings.AUTH_USER_MODEL


class Side(models.TextChoices):
    """The two organisations of an engagement."""

    PROVIDER = "provider", "Provider"
    CLIENT = "client", "Client"


class PartnershipItem(models.Model):
    """An issue (owned, due, chased by the reminder ladder once overdue, resolved with a resolution)
    or a win (with the people to thank). One table, so the engagement's log reads as one story."""

    class Kind(models.TextChoices):
        ISSUE = "issue", "Issue"
        WIN = "win", "Win"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_PROGRESS = "in_progress", "In progress"
        RESOLVED = "resolved", "Resolved"
        DECLINED = "declined", "Declined"

    # What the reminder ladder chases: an issue that is open or in progress.
    CHASED_STATUSES = (Status.OPEN, Status.IN_PROGRESS)

    kind = models.CharField(max_length=8, choices=Kind.choices)
    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="partnership_items")
    # Raised about one requisition (from its page), or about the engagement as a whole.
    requisition = models.ForeignKey(
        Requisition, null=True, blank=True, on_delete=models.SET_NULL, related_name="partnership_items"
    )
    title = models.CharField(max_length=200)
    what_happened = models.TextField(max_length=5000)
    # Issues only.
    impact = models.TextField(max_length=5000, blank=True, help_text="What it does to hiring.")
    proposed_next_step = models.TextField(max_length=5000, blank=True)
    owner = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="owned_partnership_items"
    )
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, blank=True)
    resolution = models.TextField(max_length=5000, blank=True, help_text="What was changed.")
    decline_reason = models.TextField(max_length=5000, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    raised_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    # The chase of an open issue, as ``feedback.models.ChasedRequest`` (set from ``due_on`` in the
    # engagement's business hours; NULL for wins and for issues no longer chased).
    remind_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    escalate_at = models.DateTimeField(null=True, blank=True)
    ladder_step = models.PositiveSmallIntegerField(default=0)
    next_step_at = models.DateTimeField(null=True, blank=True)

    # Wins only: the people thanked, on either side.
    thanked = models.ManyToManyField(User, blank=True, related_name="thanked_in_wins")

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["issue", "win"]), name="partnership_item_kind_valid"),
            models.CheckConstraint(
                condition=(Q(kind="issue") & Q(status__in=["open", "in_progress", "resolved", "declined"]))
                | (Q(kind="win") & Q(status="")),
                name="partnership_item_status_fits_kind",
            ),
            models.CheckConstraint(
                condition=Q(kind="win") | Q(owner__isnull=False, due_on__isnull=False),
                name="partnership_issue_has_owner_and_due_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="resolved") | ~Q(resolution=""),
                name="partnership_issue_resolved_with_resolution",
            ),
        ]
        indexes = [
            # The engagement's log: WHERE engagement_id = ? AND kind = ? ORDER BY created_at.
            models.Index(fields=["engagement", "kind", "status", "created_at"], name="partnership_item_log_idx"),
            # The reminder sweep: open issues whose next ladder step has come.
            models.Index(
                fields=["next_step_at"],
                condition=Q(kind="issue", status__in=["open", "in_progress"]),
                name="partnership_item_sweep_idx",
            ),
            models.Index(fields=["owner", "status"], name="partnership_item_owner_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"

    @property
    def is_issue(self) -> bool:
        return self.kind == self.Kind.ISSUE

    @property
    def is_chased(self) -> bool:
        return self.is_issue and self.status in self.CHASED_STATUSES

    def is_overdue_at(self, now) -> bool:
        """Overdue as the reminder ladder counts it (its overdue rung): still chased, and its due
        moment, the close of business on its due date, has come."""
        return self.is_chased and self.due_at is not None and moment_has_come(self.due_at, now)

    @property
    def is_overdue(self) -> bool:
        return self.is_overdue_at(timezone.now())


class ItemComment(models.Model):
    item = models.ForeignKey(PartnershipItem, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField(max_length=5000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["item", "created_at"], name="item_comment_item_idx")]

    def __str__(self) -> str:
        return f"Comment on {self.item_id} by {self.author_id}"


class ItemStatusChange(models.Model):
    """One move of an issue's status, with who made it and what they said (the resolution or the
    reason to decline): what followers are told of, once."""

    item = models.ForeignKey(PartnershipItem, on_delete=models.CASCADE, related_name="status_changes")
    actor = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    from_status = models.CharField(max_length=16, choices=PartnershipItem.Status.choices)
    to_status = models.CharField(max_length=16, choices=PartnershipItem.Status.choices)
    note = models.TextField(max_length=5000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["item", "created_at"], name="item_status_change_item_idx")]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.from_status} → {self.to_status}"


class ItemFollower(models.Model):
    item = models.ForeignKey(PartnershipItem, on_delete=models.CASCADE, related_name="followers")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="followed_partnership_items")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["item", "user"], name="item_follower_once")]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.item_id}"


class SuggestedWin(models.Model):
    """A win the portal proposes from its own data. ``key`` names the fact it was drawn from
    ("filled-early:<requisition>", "on-time-month:<user>:<yyyy-mm>" ...): unique per engagement, so
    each suggestion is offered once, whatever becomes of it."""

    class Source(models.TextChoices):
        FILLED_EARLY = "filled_early", "Requisition filled before its target date"
        ON_TIME_MONTH = "on_time_month", "Every request answered on time in a month"
        FASTEST_FEEDBACK = "fastest_feedback", "Fastest feedback turnaround of the month"
        ISSUE_RESOLVED = "issue_resolved", "Issue resolved"

    class Status(models.TextChoices):
        OFFERED = "offered", "Offered"
        ACCEPTED = "accepted", "Made a win"
        DISMISSED = "dismissed", "Dismissed"

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="suggested_wins")
    source = models.CharField(max_length=24, choices=Source.choices)
    key = models.CharField(max_length=100)
    title = models.CharField(max_length=200)
    what_happened = models.TextField(max_length=5000)
    people = models.ManyToManyField(User, blank=True, related_name="+")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OFFERED)
    created_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    win = models.OneToOneField(
        PartnershipItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="suggestion"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["engagement", "key"], name="suggested_win_offered_once"),
            models.CheckConstraint(
                condition=Q(status__in=["offered", "accepted", "dismissed"]), name="suggested_win_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["engagement", "status"], name="suggested_win_open_idx")]

    def __str__(self) -> str:
        return self.title


class PulseSurvey(models.Model):
    """One round of the two-way pulse for an engagement and period (a month or a quarter, by the
    engagement's ``pulse_cadence``), sent once (the unique constraint)."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="pulse_surveys")
    period_start = models.DateField(help_text="First day of the month or quarter surveyed.")
    period_label = models.CharField(max_length=40, help_text="e.g. November 2026, Q4 2026.")
    sent_at = models.DateTimeField(default=timezone.now)
    closes_at = models.DateTimeField()

    class Meta:
        ordering = ["-period_start"]
        constraints = [
            models.UniqueConstraint(fields=["engagement", "period_start"], name="pulse_survey_once_per_period")
        ]

    def __str__(self) -> str:
        return f"Pulse {self.period_label} for {self.engagement}"


class PulseInvitation(models.Model):
    """One person asked to answer one survey, with the side they answer for (the client rates the
    provider, the provider rates the client). Who answered is known here; what they answered is in
    ``PulseResponse``, which pages, API and exports show only as aggregates."""

    survey = models.ForeignKey(PulseSurvey, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="pulse_invitations")
    side = models.CharField(max_length=8, choices=Side.choices, help_text="The side the person is on.")
    created_at = models.DateTimeField(default=timezone.now)
    reminded_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["survey", "id"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "person"], name="pulse_invitation_once_per_person"),
            models.CheckConstraint(condition=Q(side__in=["provider", "client"]), name="pulse_invitation_side_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} asked for {self.survey}"


# Every score a pulse answer may hold, each 1-5: the constraints, the admin and the aggregates read it.
PULSE_SCORE_FIELDS = (
    "candidate_quality",
    "communication",
    "responsiveness",
    "feedback_speed",
    "interview_availability",
    "requirements_clarity",
    "overall",
)


def _score(help_text: str):
    return models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)], help_text=help_text
    )


class PulseResponse(models.Model):
    """One person's answer to one survey: one per invitation (the one-to-one is the database's
    guard), no timestamp of its own. The client's people rate the provider on the first three
    scores; the provider's people rate the client on the next three; both give ``overall``."""

    invitation = models.OneToOneField(PulseInvitation, on_delete=models.CASCADE, related_name="response")
    # Copied from the invitation so aggregates read this table alone.
    survey = models.ForeignKey(PulseSurvey, on_delete=models.CASCADE, related_name="responses")
    side = models.CharField(max_length=8, choices=Side.choices)
    # The client rates the provider.
    candidate_quality = _score("Client's rating of the candidates' quality.")
    communication = _score("Client's rating of the provider's communication.")
    responsiveness = _score("Client's rating of the provider's responsiveness.")
    # The provider rates the client.
    feedback_speed = _score("Provider's rating of the client's feedback speed.")
    interview_availability = _score("Provider's rating of the client's interview availability.")
    requirements_clarity = _score("Provider's rating of the clarity of requirements.")
    overall = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField(max_length=2000, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(side__in=["provider", "client"]), name="pulse_response_side_valid"),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": 1, f"{field}__lte": 5}),
                    name=f"pulse_response_{field}_1_to_5",
                )
                for field in PULSE_SCORE_FIELDS
            ),
        ]
        indexes = [models.Index(fields=["survey", "side"], name="pulse_response_survey_idx")]

    def __str__(self) -> str:
        return f"Answer to {self.survey_id} ({self.side})"
