"""Forms of the implementation checklist and orientation pages. They parse what a browser sends;
the rules (who may own a task, who may write a note) are ``engagements.implementation``'s and
``engagements.services.orientation``'s, whose ``ValidationError`` is put back beside the field it
names (``rpo_portal.pages.add_service_errors``)."""

from __future__ import annotations

from django import forms

from accounts.models import User
from engagements.models import ImplementationTask, OrientationNote


def _person_label(person: User) -> str:
    side = person.organization.name if person.organization_id else ""
    return f"{person.display_name} ({person.get_role_display().lower()}, {side})" if side else person.display_name


class TaskForm(forms.Form):
    """Add or edit a step of the checklist: which side owns it, who, by when, and notes."""

    title = forms.CharField(
        label="Step",
        max_length=200,
        error_messages={"required": "Give the task a short title."},
    )
    owner_side = forms.ChoiceField(
        label="Owner side",
        choices=ImplementationTask.Side.choices,
        help_text="Whose step this is: the provider's or the client's.",
        error_messages={"invalid_choice": "Choose the provider's side or the client's."},
    )
    owner = forms.ModelChoiceField(
        queryset=User.objects.none(),
        label="Owner",
        required=False,
        empty_label="Nobody named yet",
        help_text="A person of the owner side. They are reminded on the morning of the due date.",
        error_messages={"invalid_choice": "Choose someone from the list."},
    )
    due_on = forms.DateField(
        label="Due on",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Enter a date like 2026-03-31."},
    )
    notes = forms.CharField(
        label="Notes",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people
        self.fields["owner"].label_from_instance = _person_label


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "Up"), ("down", "Down")])


class OrientationNoteForm(forms.Form):
    topic = forms.ChoiceField(
        label="Topic",
        choices=OrientationNote.Topic.choices,
        error_messages={"invalid_choice": "Choose a topic from the list."},
    )
    title = forms.CharField(label="Title", max_length=200, error_messages={"required": "Give the note a title."})
    body = forms.CharField(
        label="What recruiters should know",
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Plain text; blank lines start a new paragraph.",
        error_messages={"required": "Write what recruiters should know."},
    )
