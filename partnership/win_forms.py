"""The record-a-win form: what went well, and whom to thank on either side.

It parses what the browser sends; the rules (who may be thanked, what a win needs) live once in
``partnership.wins.win_record``, whose ``ValidationError`` is put back beside the fields it names.
"""

from __future__ import annotations

from django import forms

from accounts.models import User
from engagements.models import Engagement

from .models import PartnershipItem


def _person_label(person: User) -> str:
    return f"{person.display_name} ({person.get_role_display().lower()})"


class WinForm(forms.Form):
    title = forms.CharField(
        label="What went well",
        max_length=PartnershipItem._meta.get_field("title").max_length,
        help_text="In a few words: “Two senior hires in a week”, “Every interview slot offered the same day”.",
        error_messages={"required": "Give the win a title: what went well, in a few words."},
    )
    what_happened = forms.CharField(
        label="What happened",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="The story, so the people thanked know what for.",
        error_messages={"required": "Say what happened, so the people thanked know what for."},
    )
    thanked = forms.MultipleChoiceField(
        label="People to thank",
        widget=forms.CheckboxSelectMultiple,
        help_text="They get a thank-you email, and their manager hears of it where the portal knows them.",
        error_messages={
            "required": "Choose at least one person to thank.",
            "invalid_choice": "Choose people working on this engagement.",
        },
    )

    def __init__(self, *args, engagement: Engagement, people: list[User], **kwargs):
        super().__init__(*args, **kwargs)
        self._people = {str(person.pk): person for person in people}
        provider = [(str(p.pk), _person_label(p)) for p in people if p.organization_id == engagement.provider_id]
        client = [(str(p.pk), _person_label(p)) for p in people if p.organization_id == engagement.client_id]
        self.fields["thanked"].choices = [
            (f"{engagement.provider.name} (provider)", provider),
            (f"{engagement.client.name} (client)", client),
        ]

    def clean_thanked(self) -> list[User]:
        return [self._people[value] for value in self.cleaned_data["thanked"] if value in self._people]
