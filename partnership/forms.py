"""Forms of the engagement pages.

They parse what a browser sends; the rules (what a valid candidate, submission, stage move or SLA
is) live once, in ``engagements.services``, whose ``ValidationError`` is put back beside the
fields it names by ``add_service_errors``.
"""

from __future__ import annotations

import uuid
import zoneinfo

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator

from accounts.models import TIME_ZONE_CHOICES
from engagements.business_hours import holiday_countries, holiday_regions
from engagements.models import SLA_HOURS_VALIDATORS, Assignment, Candidate, Engagement, Interview, Submission
from engagements.services import ENGAGEMENT_FIELDS, INTERVIEW_OUTCOMES, INTERVIEW_RESCHEDULED
from feedback.forms import DURATION_CHOICES, SlotForm
from rpo_portal.pages import add_service_errors

from .pulse.questions import SCALE

WEEKDAY_CHOICES = [
    ("1", "Mon"),
    ("2", "Tue"),
    ("3", "Wed"),
    ("4", "Thu"),
    ("5", "Fri"),
    ("6", "Sat"),
    ("7", "Sun"),
]


def _text(model, name: str, **kwargs) -> forms.CharField:
    """A text field with the model field's length and label, optional unless told otherwise."""
    model_field = model._meta.get_field(name)
    kwargs.setdefault("required", False)
    kwargs.setdefault("max_length", model_field.max_length)
    return forms.CharField(**kwargs)


class CandidateSubmitForm(forms.Form):
    """Add a candidate and submit them to one requisition, optionally straight to review.

    Each empty form carries a fresh one-time ``form_token``, kept through a re-display with
    errors, so that the same form sent twice adds the candidate once
    (``candidate_add_and_submit``). A form that comes back without a valid token (opened before
    the token existed, or altered) is refused with a new token in it, so sending it again goes
    through once."""

    STALE_FORM = "Check the details and send the form again: it had expired, and nothing was added."

    form_token = forms.UUIDField(widget=forms.HiddenInput, required=False)
    full_name = _text(
        Candidate, "full_name", label="Full name", required=True, error_messages={"required": "Enter the name."}
    )
    email = forms.EmailField(
        label="Email",
        required=False,
        max_length=254,
        error_messages={"invalid": "Enter an email address like name@example.com."},
    )
    phone = _text(Candidate, "phone", label="Phone")
    current_title = _text(Candidate, "current_title", label="Current title")
    location = _text(Candidate, "location", label="Location")
    source = _text(
        Candidate, "source", label="Source", help_text="Where the candidate came from: referral, LinkedIn, job board."
    )
    summary = forms.CharField(
        label="Summary for the hiring manager",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Why this candidate fits the role, in a few lines.",
    )
    send_to_review = forms.BooleanField(
        label="Send to the hiring manager for review now",
        required=False,
        initial=True,
        help_text="Opens a feedback request: the hiring manager hears by email now, or in their daily digest.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.token_renewed = False
        if not self.is_bound:
            self.initial["form_token"] = uuid.uuid4()
            return
        try:
            uuid.UUID(str(self.data.get("form_token", "")))
        except ValueError:
            self.data = self.data.copy()
            self.data["form_token"] = str(uuid.uuid4())
            self.token_renewed = True

    def clean(self):
        cleaned = super().clean()
        if self.token_renewed:
            self.add_error(None, self.STALE_FORM)
        if (
            cleaned.get("send_to_review")
            and not (cleaned.get("summary") or "").strip()
            and "summary" not in self.errors
        ):
            self.add_error("summary", "Write a few lines for the hiring manager before sending to review.")
        return cleaned

    def candidate_fields(self) -> dict:
        return {
            name: self.cleaned_data[name].strip()
            for name in ("full_name", "email", "phone", "current_title", "location", "source")
        }


class InterviewOutcomeForm(forms.Form):
    """What became of an interview (``interview_set_status``'s outcomes) and, for "rescheduled", the
    new time on the recruiter's own wall clock: a date, a start and a length, read by the slot form
    of the availability pages (``new_time``, prefix ``new``), so a time is parsed one way everywhere."""

    HINTS = {
        Interview.Status.COMPLETED: "It took place: the interviewers are asked for their feedback on it.",
        Interview.Status.NO_SHOW: "The candidate missed it. Counted on the provider's side of the scorecard.",
        Interview.Status.HM_NO_SHOW: "The hiring manager missed it. Counted on the client's side of the scorecard.",
        INTERVIEW_RESCHEDULED: "It moves to the new time below and stays scheduled. Counted as a reschedule on "
        "the client's side of the scorecard.",
    }

    outcome = forms.ChoiceField(
        choices=INTERVIEW_OUTCOMES,
        error_messages={
            "required": "Choose what became of the interview.",
            "invalid_choice": "Choose one of the outcomes listed.",
        },
    )

    def __init__(self, *args, interview: Interview, zone: zoneinfo.ZoneInfo, **kwargs):
        super().__init__(*args, **kwargs)
        minutes = int((interview.ends_at - interview.starts_at).total_seconds() // 60)
        length = minutes if minutes in dict(DURATION_CHOICES) else 60
        self.new_time = SlotForm(self.data or None, prefix="new", zone=zone, initial={"duration": length})

    def outcome_options(self) -> list[dict]:
        picked = self.data.get("outcome") if self.is_bound else None
        return [
            {"value": value, "label": label, "hint": self.HINTS[value], "checked": value == picked}
            for value, label in INTERVIEW_OUTCOMES
        ]

    def clean(self):
        cleaned = super().clean()
        # The new time counts with "rescheduled" only; for another outcome it is ignored, whatever it says.
        if cleaned.get("outcome") == INTERVIEW_RESCHEDULED and not self.new_time.is_valid():
            raise ValidationError("Check the new time.")
        return cleaned

    def status_change(self) -> dict:
        """Keyword arguments for ``interview_set_status``."""
        status = self.cleaned_data["outcome"]
        if status != INTERVIEW_RESCHEDULED:
            return {"status": status}
        slot = self.new_time.cleaned_data["slot"]  # None when left empty: the service asks for it
        return {"status": status, "starts_at": slot[0] if slot else None, "ends_at": slot[1] if slot else None}

    def add_service_errors(self, error: ValidationError) -> None:
        """The service's refusal beside what it names: the new time's problems in the new time's box."""
        if hasattr(error, "error_dict"):
            for field in ("starts_at", "ends_at"):
                for message in error.error_dict.pop(field, []):
                    self.new_time.add_error(None, message)
            if "status" in error.error_dict:
                error.error_dict["outcome"] = error.error_dict.pop("status")
            if not error.error_dict:
                return
        add_service_errors(self, error)


# The reasons a recruiter may give ("not recorded" is only for withdrawals from before it was asked).
WITHDRAWAL_REASON_CHOICES = [
    (value, label)
    for value, label in Submission.WithdrawalReason.choices
    if value != Submission.WithdrawalReason.NOT_RECORDED
]


class SubmissionMoveForm(forms.Form):
    """A stage move from the pipeline; a move to withdrawn needs its reason. The service asks for it
    (after it has checked that the move is legal at all), and its refusal stands beside the field."""

    stage = forms.ChoiceField(choices=Submission.Stage.choices, error_messages={"required": "Pick a stage."})
    withdrawal_reason = forms.ChoiceField(
        label="Why did the candidate withdraw?",
        choices=[("", "Pick a reason"), *WITHDRAWAL_REASON_CHOICES],
        required=False,
        error_messages={"invalid_choice": "Pick a reason from the list."},
    )
    note = forms.CharField(required=False, max_length=500)

    def clean(self):
        cleaned = super().clean()
        stage = cleaned.get("stage")
        if stage is None:
            return cleaned
        if stage != Submission.Stage.WITHDRAWN:
            # The reason select is on every move form: a reason picked, then another stage, is ignored.
            self.errors.pop("withdrawal_reason", None)
            cleaned["withdrawal_reason"] = ""
        return cleaned

    def move(self) -> dict:
        """Keyword arguments for ``submission_change_stage``."""
        return {
            "to_stage": self.cleaned_data["stage"],
            "note": self.cleaned_data["note"].strip(),
            "withdrawal_reason": self.cleaned_data["withdrawal_reason"],
        }


def _hours(label: str) -> forms.IntegerField:
    """Business hours within the model's bounds (SLA_HOURS_VALIDATORS), also set on the input."""
    low, high = (validator.limit_value for validator in SLA_HOURS_VALIDATORS)
    return forms.IntegerField(
        label=label,
        min_value=low,
        max_value=high,
        error_messages={"invalid": "Enter a whole number of hours."},
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


def _target(label: str, name: str) -> forms.IntegerField:
    """A provider target in whole numbers within the model's bounds; empty is no target."""
    validators = Engagement._meta.get_field(name).validators  # the database's range too, on some backends
    low = max(v.limit_value for v in validators if isinstance(v, MinValueValidator))
    high = min(v.limit_value for v in validators if isinstance(v, MaxValueValidator))
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=low,
        max_value=high,
        help_text="Empty: no target.",
        error_messages={"invalid": "Enter a whole number."},
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class EngagementSlaForm(forms.Form):
    """The SLA policy of an engagement: the fields ``engagement_update`` takes for it."""

    resume_feedback_due_hours = _hours("Résumé feedback due in (hours)")
    interview_feedback_due_hours = _hours("Interview feedback due in (hours)")
    availability_due_hours = _hours("Interview availability due in (hours)")
    reminder_lead_hours = _hours("Reminder before the due time (hours)")
    escalation_delay_hours = _hours("Escalate after the due time (hours)")
    time_zone = forms.ChoiceField(label="Time zone of the business hours", choices=TIME_ZONE_CHOICES)
    business_day_start = forms.TimeField(
        label="Business day starts", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    business_day_end = forms.TimeField(
        label="Business day ends", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    business_weekdays = forms.MultipleChoiceField(
        label="Business days",
        choices=WEEKDAY_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Pick at least one business day."},
    )
    escalation_contact = forms.ModelChoiceField(
        label="Escalation contact",
        queryset=None,
        required=False,
        empty_label="The client admins (default)",
        help_text="The client's champion who hears about requests that stay overdue.",
    )
    pulse_cadence = forms.ChoiceField(
        label="Pulse survey",
        choices=Engagement.PulseCadence.choices,
        required=False,  # a form sent without it (an older page) keeps the engagement's cadence
        help_text=(
            "How often both sides rate the partnership: sent at 09:00 on the first business day of the "
            "month or quarter, in the engagement's time zone."
        ),
        error_messages={"invalid_choice": "Choose monthly, quarterly or off."},
    )

    country = forms.ChoiceField(
        label="Public holidays of",
        choices=(),  # the holidays library's countries, set in __init__
        required=False,
        help_text="Its public holidays are not business hours: no due time, reminder or escalation falls on them.",
        error_messages={"invalid_choice": "Pick a country from the list."},
    )
    region = forms.CharField(
        label="Region",
        required=False,
        max_length=Engagement._meta.get_field("region").max_length,
        help_text="Optional: a state or region with holidays of its own, by its code (BY: Bavaria, CA: California).",
    )
    target_days_to_first_submission = _target(
        "Time to first submission (business days, at most)", "target_days_to_first_submission"
    )
    target_submissions_per_requisition = forms.DecimalField(
        label="Submissions per requisition (at least)",
        required=False,
        max_digits=4,
        decimal_places=1,
        min_value=0,
        max_value=100,
        help_text="Empty: no target.",
        error_messages={"invalid": "Enter a number, like 3 or 2.5."},
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.1"}),
    )
    target_submission_to_interview_percent = _target(
        "Submissions that reach an interview (percent, at least)", "target_submission_to_interview_percent"
    )
    target_days_to_fill = _target("Time to fill (days, at most)", "target_days_to_fill")

    # The fields engagement_update takes, but for the engagement's name, status and start.
    SLA_FIELDS = tuple(name for name in ENGAGEMENT_FIELDS if name not in ("name", "status", "started_on"))
    # Fields a form sent from an older page may lack: left out, they keep what the engagement has.
    KEPT_WHEN_ABSENT = (
        "country",
        "region",
        "target_days_to_first_submission",
        "target_submissions_per_requisition",
        "target_submission_to_interview_percent",
        "target_days_to_fill",
    )

    def __init__(self, *args, engagement: Engagement, contacts, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                **{name: getattr(engagement, name) for name in self.SLA_FIELDS},
                "business_weekdays": list(engagement.business_weekdays),
            },
        )
        super().__init__(*args, **kwargs)
        self.engagement = engagement
        self.fields["country"].choices = [
            ("", "No public holidays"),
            *((code, f"{name} ({code})") for code, name in holiday_countries()),
        ]
        self.fields["escalation_contact"].queryset = contacts
        self.fields["escalation_contact"].label_from_instance = lambda user: (
            f"{user.display_name} ({user.get_role_display().lower()})"
        )

    def clean_pulse_cadence(self) -> str:
        return self.cleaned_data["pulse_cadence"] or self.engagement.pulse_cadence

    def clean_business_weekdays(self) -> str:
        return "".join(sorted(set(self.cleaned_data["business_weekdays"])))

    def clean_region(self) -> str:
        return self.cleaned_data["region"].strip()

    def region_choices(self) -> tuple[tuple[str, str], ...]:
        """The regions of the country shown (sent, or the engagement's), for the region's suggestions."""
        country = self.data.get("country", self.engagement.country) if self.is_bound else self.engagement.country
        return holiday_regions(country or "")

    def sla(self) -> dict:
        """Keyword arguments for ``engagement_update``."""
        return {
            name: self.cleaned_data[name]
            for name in self.SLA_FIELDS
            if name not in self.KEPT_WHEN_ABSENT or name in self.data
        }


# --- Assignments (issue 12) ----------------------------------------------------------------------


def _date(label: str, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Enter a date like 2026-03-31."},
    )


class AssignmentCreateForm(forms.Form):
    """Put someone of the provider's staff on a requisition in a role; the overlap and role rules are
    ``assignment_create``'s."""

    recruiter = forms.ModelChoiceField(
        queryset=None,
        label="Person",
        empty_label="Choose someone",
        error_messages={"required": "Choose who to assign.", "invalid_choice": "Choose someone from the list."},
    )
    role = forms.ChoiceField(
        label="Role", choices=Assignment.Role.choices, error_messages={"invalid_choice": "Choose a role from the list."}
    )
    starts_on = _date("From", "Today if left empty.")
    ends_on = _date("Until", "Open-ended if left empty.")

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, prefix="assign", **kwargs)
        self.fields["recruiter"].queryset = people
        self.fields["recruiter"].label_from_instance = lambda person: (
            f"{person.display_name} ({person.get_role_display().lower()})"
        )


class AssignmentEndForm(forms.Form):
    """End one assignment; its last day is today when left empty (``assignment_end``)."""

    ends_on = _date("Last day", "Today if left empty.")

    def __init__(self, *args, assignment_id: int, **kwargs):
        super().__init__(*args, prefix=f"end-{assignment_id}", **kwargs)


class AssignmentSwapForm(forms.Form):
    """Swap the primary and the backup. It carries who the page showed in each role, so a second
    click (or a page gone stale) is refused by ``assignment_swap`` instead of swapping them back."""

    STALE = "Nothing was swapped: the page was out of date. Check who holds each role now."

    primary = forms.IntegerField(widget=forms.HiddenInput, error_messages={"required": STALE, "invalid": STALE})
    backup = forms.IntegerField(widget=forms.HiddenInput, error_messages={"required": STALE, "invalid": STALE})
    next = forms.CharField(widget=forms.HiddenInput, required=False)


# --- Pulse surveys (issue 10) --------------------------------------------------------------------


class PulseAnswerForm(forms.Form):
    """One person's pulse answer: a 1-5 score for each question of their side (``questions_for``),
    and an optional comment. The rules (range, once per person, open survey) are ``pulse_answer``'s."""

    comment = forms.CharField(
        label="Anything to add?",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Shown without your name, after the survey closes, and only if at least three people answered.",
    )

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[question.field] = forms.TypedChoiceField(
                label=question.label,
                choices=[(value, f"{value} – {label}") for value, label in SCALE],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": "Choose a score from 1 to 5.",
                    "invalid_choice": "Choose a score from 1 to 5.",
                },
            )
        self.order_fields([question.field for question in questions] + ["comment"])

    def scales(self) -> list:
        """Each question's bound field with its options, for the template's fieldsets."""
        rows = []
        for question in self.questions:
            field = self[question.field]
            current = str(field.value() or "")
            rows.append(
                {
                    "field": field,
                    "question": question,
                    "options": [
                        {"value": value, "label": label, "checked": current == str(value)} for value, label in SCALE
                    ],
                }
            )
        return rows

    def answer(self) -> dict:
        """Keyword arguments for ``pulse_answer``."""
        return {
            "scores": {question.field: self.cleaned_data[question.field] for question in self.questions},
            "comment": self.cleaned_data["comment"],
        }
