"""What the engagement admins share: forms worded like the services, dates the services fill in."""

from __future__ import annotations

from django import forms

from rpo_portal.service_admin import ServiceForm as BaseServiceForm

from .. import services


class ServiceForm(BaseServiceForm):
    constraint_errors = services.CONSTRAINT_ERRORS


def empty_means_engagement_today(form: forms.BaseForm, name: str) -> None:
    """On a new row, ``name`` may be left empty for the service's default, the engagement's today
    (``local_dates.engagement_today``), instead of being pre-filled with the server's date."""
    if form.instance.pk is None and name in form.fields:
        form.fields[name].required = False
        form.fields[name].help_text = "Leave empty for the engagement's today."
        form.initial[name] = None
