"""Forms of the accounts pages.

They only parse what a browser sends (a local date and time to an aware instant, an id to one of
the people the user may name). The rules — who may be away, who may be a backup, who may be
invited — live once, in ``accounts.services``; its ``ValidationError`` is put back beside the
fields by ``add_service_errors``, so the page and the API answer with the same words.
"""

from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime

from django import forms
from django.contrib.auth.forms import PasswordResetForm as DjangoPasswordResetForm
from django.core.exceptions import ValidationError

from .models import TIME_ZONE_CHOICES, User
from .selectors import password_reset_user_list

LOCAL_INPUT_FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S")


class LocalDateTimeField(forms.Field):
    """A wall-clock date and time (``<input type="datetime-local">``), read in the form's zone."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    default_error_messages = {
        "required": "Enter a date and time.",
        "invalid": "Enter a date and time like 2026-12-01 09:00.",
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value
        text = str(value).strip()
        for layout in LOCAL_INPUT_FORMATS:
            try:
                return datetime.strptime(text, layout)  # noqa: DTZ007 (a wall-clock time: the zone comes next)
            except ValueError:
                continue
        raise ValidationError(self.error_messages["invalid"], code="invalid")


def aware_in_zone(wall_clock: datetime, zone: zoneinfo.ZoneInfo) -> datetime | None:
    """The instant a wall-clock time names in ``zone``; None if the clocks skip it (spring forward).
    In the hour that repeats (autumn), the first of the two is meant."""
    moment = wall_clock.replace(tzinfo=zone)
    if moment.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != wall_clock:
        return None
    return moment


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user: User) -> str:
        return f"{user.display_name} ({user.get_role_display().lower()})"


class OutOfOfficeForm(forms.Form):
    user = PersonChoiceField(
        queryset=User.objects.none(),
        empty_label=None,
        label="Who is away",
        error_messages={"required": "Choose who is away.", "invalid_choice": "Choose a member of your own team."},
    )
    starts_at = LocalDateTimeField(label="Away from")
    ends_at = LocalDateTimeField(label="Back on")
    backup = PersonChoiceField(
        queryset=User.objects.none(),
        label="Backup",
        help_text="They receive your requisitions' reminders and escalations while you are away.",
        error_messages={
            "required": "Choose who covers for you.",
            "invalid_choice": "Choose a backup from your own team.",
        },
    )
    note = forms.CharField(
        required=False,
        max_length=300,
        label="Note",
        help_text="For example “Holiday” or “Conference”. Your colleagues see it.",
        widget=forms.TextInput(),
    )

    def __init__(self, *args, viewer: User, colleagues, may_choose_user: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.viewer = viewer
        self.zone = viewer.zone
        self.may_choose_user = may_choose_user
        if may_choose_user:
            self.fields["user"].queryset = colleagues
            self.fields["user"].initial = viewer.pk
            self.fields["backup"].queryset = colleagues
            self.fields["backup"].help_text = "They receive the requisitions' reminders and escalations meanwhile."
        else:
            del self.fields["user"]
            self.fields["backup"].queryset = colleagues.exclude(pk=viewer.pk)

    def clean(self):
        cleaned = super().clean()
        for name in ("starts_at", "ends_at"):
            wall_clock = cleaned.get(name)
            if wall_clock is None:
                continue
            moment = aware_in_zone(wall_clock, self.zone)
            if moment is None:
                skipped = f"{wall_clock:%H:%M} does not exist on {wall_clock:%d %b %Y} in {self.zone}"
                self.add_error(name, f"{skipped} (the clocks go forward).")
            else:
                cleaned[name] = moment
        return cleaned

    def absence(self) -> dict:
        """Keyword arguments for ``out_of_office_create``."""
        return {
            "user": self.cleaned_data.get("user") or self.viewer,
            "starts_at": self.cleaned_data["starts_at"],
            "ends_at": self.cleaned_data["ends_at"],
            "backup": self.cleaned_data["backup"],
            "note": self.cleaned_data["note"].strip(),
        }


class TeamInviteForm(forms.Form):
    full_name = forms.CharField(max_length=200, label="Name", error_messages={"required": "Enter their name."})
    email = forms.EmailField(
        label="Email",
        max_length=254,
        error_messages={
            "required": "Enter their email address.",
            "invalid": "Enter an email address like name@example.com.",
        },
    )
    time_zone = forms.ChoiceField(
        choices=TIME_ZONE_CHOICES,
        label="Time zone",
        help_text="Due times in their inbox and emails are shown in it. They can change it later.",
        error_messages={"invalid_choice": "Choose a time zone from the list."},
    )


class StaffInviteForm(TeamInviteForm):
    """The provider admin's invitation: the team's fields and the role (the staff page adds the
    engagements an account manager manages)."""

    role = forms.ChoiceField(
        label="Role",
        choices=(),
        error_messages={"required": "Choose a role.", "invalid_choice": "Choose a role from the list."},
    )
    field_order = ["full_name", "email", "role", "time_zone"]

    def __init__(self, *args, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(role, User.Role(role).label) for role in roles]


class DeactivateForm(forms.Form):
    """Whom to hand someone's work to as they are deactivated (asked only when they hold something)."""

    successor = PersonChoiceField(
        queryset=User.objects.none(),
        label="Hand their work to",
        empty_label="Choose a person",
        error_messages={
            "required": "Choose who takes over their work.",
            "invalid_choice": "Choose a person from the list.",
        },
    )

    def __init__(self, *args, candidates, holds_something: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if holds_something:
            self.fields["successor"].queryset = candidates
        else:
            del self.fields["successor"]


HOUR_CHOICES = [(hour, f"{hour:02d}:00") for hour in range(24)]


def _hour_field(label: str, help_text: str = "") -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        choices=HOUR_CHOICES,
        coerce=int,
        label=label,
        help_text=help_text,
        error_messages={"invalid_choice": "Choose an hour from 00:00 to 23:00.", "required": "Choose an hour."},
    )


class SettingsForm(forms.Form):
    """A person's own settings. Only parsing here: what may be saved (a known time zone, quiet hours
    that start and end at different hours, a digest outside them) is ``services.user_update_profile``,
    shared with the API's ``me/``."""

    full_name = forms.CharField(max_length=200, label="Full name", error_messages={"required": "Enter your name."})
    time_zone = forms.ChoiceField(
        choices=TIME_ZONE_CHOICES,
        label="Time zone",
        help_text="Due times on your pages and in your emails, your digest hour and quiet hours are in it.",
        error_messages={"invalid_choice": "Choose a time zone from the list.", "required": "Choose a time zone."},
    )
    notification_preference = forms.ChoiceField(
        choices=User.NotificationPreference.choices,
        widget=forms.RadioSelect,
        label="Reminders reach me",
        error_messages={
            "invalid_choice": "Choose how reminders reach you.",
            "required": "Choose how reminders reach you.",
        },
    )
    digest_hour = _hour_field(
        "Daily digest at", "One email listing everything waiting on you, if you chose the digest."
    )
    quiet_hours_start = _hour_field("Quiet from")
    quiet_hours_end = _hour_field("Until")

    @classmethod
    def initial_for(cls, user: User) -> dict:
        return {name: getattr(user, name) for name in cls.base_fields}


class PasswordResetForm(DjangoPasswordResetForm):
    """Django's form, for its field; the page records the email through
    ``services.password_reset_request`` (sent by the worker) rather than ``save()``. Who it is for
    is ``selectors.password_reset_user_list`` (an invited user without a password included)."""

    def get_users(self, email):
        return iter(password_reset_user_list(email=email))
