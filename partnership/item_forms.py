"""Forms of the issues pages. They parse what a browser sends; the rules (who may own an issue,
when it may be due, what resolving needs) are ``partnership.items.services``', whose
``ValidationError`` is put back beside the field it names (``rpo_portal.pages.add_service_errors``).

The help texts follow the seed article: look for the next step, not for someone to blame.
"""

from __future__ import annotations

from django import forms

from accounts.models import User
from engagements.models import Requisition

from .items.selectors import SIDE_CHOICES
from .items.services import REASON_REQUIRED, RESOLUTION_REQUIRED
from .models import PartnershipItem

Status = PartnershipItem.Status


def _textarea(label: str, *, required: bool, help_text: str = "", rows: int = 4, message: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=5000,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": message or f"{label}: please fill this in."},
    )


def _person_label(person: User) -> str:
    side = person.organization.name if person.organization_id else ""
    return f"{person.display_name} ({person.get_role_display().lower()}, {side})" if side else person.display_name


class IssueForm(forms.Form):
    """Raise or edit an issue: what happened, what it does to hiring, and the next step, with its
    owner and due date. There is deliberately no field for fault."""

    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="A few words both sides will recognise.",
        error_messages={"required": "Give the issue a short title."},
    )
    what_happened = _textarea(
        "What happened",
        required=True,
        help_text="The facts as you saw them: what, when, which requisition or candidates.",
        message="Say what happened.",
    )
    impact = _textarea(
        "Impact on hiring",
        required=False,
        rows=3,
        help_text="What it does to hiring: time lost, candidates at risk, openings unfilled.",
    )
    proposed_next_step = _textarea(
        "Proposed next step",
        required=True,
        rows=3,
        help_text="What would help? Describe the next step, not who is to blame.",
        message="Propose a next step: what would help?",
    )
    owner = forms.ModelChoiceField(
        queryset=User.objects.none(),
        label="Owner of the next step",
        empty_label="Choose someone",
        help_text="The person, on either side, who takes the next step. They will be reminded as the date nears.",
        error_messages={
            "required": "Choose who owns the next step.",
            "invalid_choice": "Choose someone from the list.",
        },
    )
    due_on = forms.DateField(
        label="Due on",
        help_text="When the next step should be done, in the engagement's calendar.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": "Choose the date the next step is due.",
            "invalid": "Enter a date like 2026-03-31.",
        },
    )
    requisition = forms.ModelChoiceField(
        queryset=Requisition.objects.none(),
        label="About a requisition",
        required=False,
        empty_label="The engagement as a whole",
        error_messages={"invalid_choice": "Choose a requisition from the list."},
    )

    def __init__(self, *args, people, requisitions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people
        self.fields["owner"].label_from_instance = _person_label
        if requisitions is None:
            del self.fields["requisition"]
        else:
            self.fields["requisition"].queryset = requisitions
            self.fields["requisition"].label_from_instance = lambda requisition: (
                f"{requisition.code} {requisition.title}"
            )


class CommentForm(forms.Form):
    body = _textarea(
        "Comment",
        required=True,
        help_text="Add what you know or what you will do next.",
        message="Write a comment.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="comment", **kwargs)


class _StatusForm(forms.Form):
    """A move of the issue's status. ``expected`` is the status the page showed: a second click or
    a stale page is refused instead of moving it twice."""

    to_status: str = ""
    expected = forms.ChoiceField(choices=Status.choices, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix=self.to_status, **kwargs)

    def note(self) -> str:
        return ""


class StartWorkForm(_StatusForm):
    to_status = Status.IN_PROGRESS


class BackToOpenForm(_StatusForm):
    to_status = Status.OPEN


class ResolveForm(_StatusForm):
    to_status = Status.RESOLVED
    resolution = _textarea(
        "Resolution",
        required=True,
        help_text="What was changed, so it does not happen again.",
        message=RESOLUTION_REQUIRED,
    )

    def clean_resolution(self):
        value = self.cleaned_data["resolution"].strip()
        if not value:
            raise forms.ValidationError(RESOLUTION_REQUIRED)
        return value

    def note(self) -> str:
        return self.cleaned_data["resolution"]


class DeclineForm(_StatusForm):
    to_status = Status.DECLINED
    reason = _textarea(
        "Reason", required=True, rows=3, help_text="Why this will not be taken forward.", message=REASON_REQUIRED
    )

    def note(self) -> str:
        return self.cleaned_data["reason"]


class ReopenForm(_StatusForm):
    to_status = "reopen"
    note_text = _textarea("Why reopen it", required=False, rows=2, help_text="What is still not right.")
    due_on = forms.DateField(
        label="New due date",
        required=False,
        help_text="Today if left empty and the old date has passed.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Enter a date like 2026-03-31."},
    )

    def note(self) -> str:
        return self.cleaned_data["note_text"]


STATUS_FORMS = {
    "in_progress": StartWorkForm,
    "open": BackToOpenForm,
    "resolved": ResolveForm,
    "declined": DeclineForm,
    "reopen": ReopenForm,
}


class ItemFilterForm(forms.Form):
    """The filters of the issues and wins page (a GET form: bad values are ignored, never a 500)."""

    kind = forms.ChoiceField(
        label="Kind", required=False, choices=[("", "Issues and wins"), *PartnershipItem.Kind.choices]
    )
    status = forms.ChoiceField(label="Status", required=False, choices=[("", "Any status"), *Status.choices])
    owner = forms.ModelChoiceField(queryset=User.objects.none(), label="Owner", required=False, empty_label="Anyone")
    side = forms.ChoiceField(label="Side", required=False, choices=[("", "Either side"), *SIDE_CHOICES])

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people
        self.fields["owner"].label_from_instance = _person_label
