"""The History pages' filters (a GET form: a bad value is said next to its field and that filter
alone is left out, never a 500)."""

from __future__ import annotations

import zoneinfo
from datetime import datetime, time, timedelta

from django import forms
from django.db.models import QuerySet

from accounts.models import User
from engagements.models import Engagement

from .selectors import KIND_CHOICES, NOBODY, HistoryFilters


def _date(label: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Enter a date like 2026-03-31."},
    )


class HistoryFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label="What changed",
        required=False,
        choices=[("", "Everything"), *KIND_CHOICES],
        error_messages={"invalid_choice": "Choose what changed from the list."},
    )
    actor = forms.ChoiceField(
        label="Who", required=False, error_messages={"invalid_choice": "Choose a person from the list."}
    )
    since = _date("From")
    until = _date("To")

    def __init__(self, *args, actors: QuerySet[User], engagements: QuerySet[Engagement] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actor"].choices = [
            ("", "Anyone"),
            (NOBODY, "The portal (reminders, tasks)"),
            *((str(user.pk), user.display_name) for user in actors),
        ]
        if engagements is not None:
            self.fields["engagement"] = forms.ModelChoiceField(
                queryset=engagements,
                label="Engagement",
                required=False,
                empty_label="Every engagement",
                error_messages={"invalid_choice": "Choose an engagement from the list."},
            )
            self.order_fields(["engagement", "kind", "actor", "since", "until"])

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if until and until.year >= 9999:  # the day after it cannot be written
            self.add_error("until", "Enter a date before the year 9999.")
            data.pop("until", None)
        elif since and until and until < since:
            self.add_error("until", "The end of the period comes before its start.")
            data.pop("until", None)
        return data

    def filters(self, *, zone: zoneinfo.ZoneInfo) -> HistoryFilters:
        """The valid filters, the dates as whole days in ``zone``."""
        data = self.cleaned_data if self.is_bound else {}
        actor = data.get("actor", "")
        since, until = data.get("since"), data.get("until")
        engagement = data.get("engagement")
        return HistoryFilters(
            kind=data.get("kind", ""),
            actor_id=int(actor) if actor and actor != NOBODY else None,
            by_portal=actor == NOBODY,
            since=datetime.combine(since, time(0), tzinfo=zone) if since else None,
            until=datetime.combine(until + timedelta(days=1), time(0), tzinfo=zone) if until else None,
            engagement_id=engagement.pk if engagement else None,
        )
