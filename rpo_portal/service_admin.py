"""Django admin plumbing for every app: model admins that save through the services.

How a refusal reaches the form (``ServiceModelAdmin``)
-----------------------------------------------------
The admin validates the form and the inlines first, then calls ``save_model`` and
``save_related`` inside one transaction (``changeform_view``). The forms' ``clean()`` does the
cheap checks the services expose, so most mistakes show before anything is written. The
services themselves run in ``save_model`` / ``save_formset``, once every form is valid, never in
a form's validation (a write there would land even when another form of the page turns out
invalid). If a service still says no (a rule only it knows, a permission, a concurrent writer),
the refusal is raised out of the admin's transaction, which rolls back everything this request
wrote (the main object and any inline row saved before the refused one: nothing is half-saved),
and the page is validated again from the same POST with the refusal added to the form or inline
row it is about (beside the field it names, else at the top). That second pass saves nothing,
because that form is now invalid. (A dry run of each service during validation, in a savepoint
rolled back, would run every save twice, and would miss conflicts between rows of the same page,
such as two new primaries for one period; here each service runs once, for real.)
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django import forms
from django.contrib import admin
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import models

from .pages import add_service_errors

_REFUSAL = "_service_admin_refusal"  # where a refusal waits, on the request, for pass two


class ServiceRefused(Exception):
    """A service said no while the admin was saving. ``prefix`` names the form it is about: None
    for the main form, an inline row's prefix (``assignments-2``) for that row."""

    def __init__(self, error: ValidationError, prefix: str | None = None):
        super().__init__(error)
        self.error, self.prefix = error, prefix


@contextmanager
def refusal_shown_on(prefix: str | None = None) -> Iterator[None]:
    """Run a service; if it refuses, carry the refusal back to the form named by ``prefix``."""
    try:
        yield
    except PermissionDenied as error:
        raise ServiceRefused(ValidationError(str(error) or "You may not do this."), prefix) from error
    except ValidationError as error:
        raise ServiceRefused(error, prefix) from error


def _showing_refusal(form_class: type[forms.BaseForm], request) -> type[forms.BaseForm]:
    """``form_class``, or on the second pass a subclass that adds the refusal to the form it is
    about, which makes that form invalid, so the page shows it and saves nothing."""
    refused: ServiceRefused | None = getattr(request, _REFUSAL, None)
    if refused is None:
        return form_class

    class ShowingRefusal(form_class):
        def full_clean(self):
            super().full_clean()
            if self.is_bound and self.prefix == refused.prefix:
                add_service_errors(self, refused.error)

    ShowingRefusal.__name__ = ShowingRefusal.__qualname__ = form_class.__name__
    return ShowingRefusal


def adopt(obj: models.Model, saved: models.Model) -> None:
    """The admin goes on with the object its form built (inlines, log entry, redirect): make it
    the one the service saved."""
    for field in saved._meta.concrete_fields:
        setattr(obj, field.attname, getattr(saved, field.attname))
    obj._state.adding, obj._state.db = False, saved._state.db


def stored(obj: models.Model) -> models.Model:
    """The row as stored. The form has already written its values onto ``obj``; an update service
    compares the new values with the stored ones (a reschedule is counted when the time moves)."""
    return type(obj)._default_manager.get(pk=obj.pk)


class ServiceModelAdmin(admin.ModelAdmin):
    """A model admin whose ``save_model`` / ``save_formset`` call services inside
    ``refusal_shown_on``; a refusal is shown on the page as the module docstring explains."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ServiceRefused as refused:
            # The admin's transaction has rolled back. Validate again, this time with the refusal.
            setattr(request, _REFUSAL, refused)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        return _showing_refusal(super().get_form(request, obj, change=change, **kwargs), request)

    def save_related(self, request, form, formsets, change):
        # No ``form.save_m2m()``: the services set the relations they own (account managers,
        # interviewers) with the rest.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


class ServiceInlineMixin:
    """An inline whose rows are saved by a service (in the parent admin's ``save_formset``)."""

    def get_formset(self, request, obj=None, **kwargs):
        kwargs["form"] = _showing_refusal(kwargs.get("form", self.form), request)
        return super().get_formset(request, obj, **kwargs)


class ServiceForm(forms.ModelForm):
    """A form the admin saves through a service. A constraint the form finds violated is said the
    way the service says it (``constraint_errors``, the app's ``services.CONSTRAINT_ERRORS``:
    constraint name -> (field, message)), not as Django's “Constraint … is violated.”"""

    constraint_errors: dict[str, tuple[str, str]] = {}

    def _post_clean(self):
        super()._post_clean()
        general = self._errors.pop(NON_FIELD_ERRORS, None)
        if not general:
            return
        worded = {
            constraint.get_violation_error_message(): self.constraint_errors[constraint.name]
            for constraint in self._meta.model._meta.constraints
            if constraint.name in self.constraint_errors
        }
        for error in general.as_data():
            field, message = worded.get(next(iter(error)), (None, error))
            self.add_error(field if field in self.fields else None, message)


def checked(form: forms.BaseForm, check, *args) -> None:
    """Run one of the services' cheap checks in ``clean()``; a refusal goes beside its field."""
    try:
        check(*args)
    except ValidationError as error:
        add_service_errors(form, error)
