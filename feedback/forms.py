"""Forms of the feedback pages.

They only parse what a browser sends (text to numbers, a local date and time to an aware UTC
instant). The rules — which decisions, ratings, reasons and slots are acceptable — live once, in
``feedback.services``; its ``ValidationError`` is mapped back onto these fields by
``add_service_errors`` so every channel (web, one-click link, API) answers with the same words.
"""

from __future__ import annotations

import re
import zoneinfo
from datetime import UTC, datetime, timedelta

from django import forms
from django.core.exceptions import ValidationError

from rpo_portal.dates import is_sane, out_of_range_message

from .models import Feedback

RATING_CHOICES = [(value, str(value)) for value in range(1, 6)]
DECISION_HINTS = {
    Feedback.Decision.ADVANCE: "Yes — move them forward",
    Feedback.Decision.HOLD: "Not sure yet — keep in the running",
    Feedback.Decision.REJECT: "No — not the right fit",
}
DURATION_CHOICES = [(30, "30 min"), (45, "45 min"), (60, "1 hour"), (90, "1½ hours"), (120, "2 hours")]
MAX_SLOT_ROWS = 6
# The reasons shown in two short groups; a code missing here still shows, under the last group.
REASON_GROUPS = (
    ("Strengths", ("skills_match", "experience_match", "culture_add", "communication")),
    ("Concerns", ("skills_gap", "experience_gap", "overqualified", "compensation", "location", "timing", "other")),
)


class CodeListField(forms.Field):
    """A list of codes from checkboxes, passed on unchecked: the service knows the valid codes."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, *, choices, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(widget=forms.CheckboxSelectMultiple(choices=choices), **kwargs)
        self.choices = list(choices)

    def to_python(self, value):
        if not value:
            return []
        if isinstance(value, str):
            return [value]
        return [str(code) for code in value]


class FeedbackAnswerForm(forms.Form):
    decision = forms.CharField(required=False, widget=forms.RadioSelect(choices=Feedback.Decision.choices))
    rating = forms.CharField(required=False, widget=forms.RadioSelect(choices=RATING_CHOICES))
    reasons = CodeListField(choices=Feedback.Reason.choices)
    comments = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean_rating(self):
        value = (self.cleaned_data.get("rating") or "").strip()
        if not value:
            return None
        return int(value) if re.fullmatch(r"-?\d{1,3}", value) else value

    def _picked(self, name: str) -> set[str]:
        """What the browser sent for a field, so a form shown again keeps the choices."""
        if not self.is_bound:
            return set()
        getlist = getattr(self.data, "getlist", None)
        return set(getlist(name)) if getlist else {str(self.data.get(name, ""))}

    def decision_options(self) -> list[dict]:
        picked = self._picked("decision")
        return [
            {"value": value, "label": label, "hint": DECISION_HINTS[value], "checked": value in picked}
            for value, label in Feedback.Decision.choices
        ]

    def rating_options(self) -> list[dict]:
        picked = self._picked("rating")
        return [{"value": value, "checked": str(value) in picked} for value, _ in RATING_CHOICES]

    def reason_groups(self) -> list[tuple[str, list[dict]]]:
        picked = self._picked("reasons")
        options = {
            value: {"value": value, "label": label, "checked": value in picked}
            for value, label in Feedback.Reason.choices
        }
        groups = [(title, [options.pop(code) for code in codes if code in options]) for title, codes in REASON_GROUPS]
        groups[-1][1].extend(options.values())
        return groups

    def answer(self) -> dict:
        """Keyword arguments for ``feedback_respond``."""
        return {
            "decision": self.cleaned_data["decision"],
            "rating": self.cleaned_data["rating"],
            "reasons": self.cleaned_data["reasons"],
            "comments": self.cleaned_data["comments"],
        }


class SlotForm(forms.Form):
    """One row: a date and a start time on the wall clock of the person offering, and a length."""

    date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    start = forms.TimeField(required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    duration = forms.TypedChoiceField(choices=DURATION_CHOICES, coerce=int, initial=60, required=False, empty_value=60)

    def __init__(self, *args, zone: zoneinfo.ZoneInfo, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone = zone

    @property
    def is_blank(self) -> bool:
        """A row left empty is ignored (the duration has a default, so it does not count)."""
        if not self.is_bound:
            return True
        return not (self.data.get(self.add_prefix("date")) or self.data.get(self.add_prefix("start")))

    def clean(self):
        cleaned = super().clean()
        if self.is_blank:
            cleaned["slot"] = None
            return cleaned
        day, start, minutes = cleaned.get("date"), cleaned.get("start"), cleaned.get("duration")
        if day is None and "date" not in self.errors:
            self.add_error("date", "Pick a date.")
        if start is None and "start" not in self.errors:
            self.add_error("start", "Pick a start time.")
        if day is None or start is None or not minutes:
            return cleaned
        if not is_sane(day):  # also keeps the conversion below inside the datetime range
            self.add_error("date", out_of_range_message())
            return cleaned
        wall_clock = datetime.combine(day, start)
        starts_at = wall_clock.replace(tzinfo=self.zone)
        # A time skipped when the clocks go forward does not survive the round trip.
        if starts_at.astimezone(UTC).astimezone(self.zone).replace(tzinfo=None) != wall_clock:
            self.add_error(
                "start", f"{start:%H:%M} does not exist on {day:%d %b %Y} in {self.zone} (the clocks go forward)."
            )
            return cleaned
        starts_at = starts_at.astimezone(UTC)
        cleaned["slot"] = (starts_at, starts_at + timedelta(minutes=minutes))
        return cleaned


class BaseSlotFormSet(forms.BaseFormSet):
    def __init__(self, *args, zone: zoneinfo.ZoneInfo, **kwargs):
        kwargs.setdefault("form_kwargs", {})["zone"] = zone
        super().__init__(*args, **kwargs)

    def filled_forms(self) -> list[SlotForm]:
        return [form for form in self.forms if not form.is_blank]

    def slots(self) -> list[tuple[datetime, datetime]]:
        """The offered slots as aware UTC (start, end), in the order of the filled rows."""
        return [form.cleaned_data["slot"] for form in self.filled_forms()]

    def add_service_errors(self, error: ValidationError) -> None:
        """The service numbers slots in the order given ("Slot 2: ..."): put each on its row."""
        filled = self.filled_forms()
        leftover = []
        for message in error.messages:
            match = re.match(r"Slot (\d+): (.*)", message)
            index = int(match.group(1)) - 1 if match else -1
            if 0 <= index < len(filled):
                detail = match.group(2)
                filled[index].add_error(None, detail[:1].upper() + detail[1:])
            else:
                leftover.append(message)
        if leftover:
            self._non_form_errors = self.error_class(
                [*self.non_form_errors(), *leftover], error_class="nonform", renderer=self.renderer
            )


SlotFormSet = forms.formset_factory(
    SlotForm,
    formset=BaseSlotFormSet,
    extra=MAX_SLOT_ROWS,
    max_num=MAX_SLOT_ROWS,
    absolute_max=MAX_SLOT_ROWS,
    validate_max=True,
)


class BookingForm(forms.Form):
    slot = forms.TypedChoiceField(coerce=int, widget=forms.RadioSelect, error_messages={"required": "Pick a slot."})
    location = forms.CharField(
        required=False,
        max_length=300,
        help_text="Room, address or video link.",
        widget=forms.TextInput(attrs={"placeholder": "Room, address or video link"}),
    )

    def __init__(self, *args, slots, **kwargs):
        super().__init__(*args, **kwargs)
        self.slot_objects = {slot.pk: slot for slot in slots}
        self.fields["slot"].choices = [(slot.pk, str(slot)) for slot in slots]

    def clean_slot(self):
        return self.slot_objects[self.cleaned_data["slot"]]
