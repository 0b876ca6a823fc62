"""How every engagement service validates: all of a model's rules at once, each refusal beside
the field a person should change, in words."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction

# A violated constraint is reported on the field the user should change, in words, instead of
# Django's default "Constraint “…” is violated." under no field.
CONSTRAINT_ERRORS: dict[str, tuple[str, str]] = {
    "engagement_business_day_ends_after_start": ("business_day_end", "The business day must end after it starts."),
    "requisition_code_unique_per_engagement": ("code", "This engagement already has a requisition with this code."),
    "requisition_target_not_before_opened": ("target_on", "The target date cannot be before the opening date."),
    "requisition_filled_not_before_opened": ("filled_on", "The filled date cannot be before the opening date."),
    "assignment_one_open_primary_per_requisition": ("role", "This requisition already has a primary recruiter."),
    "assignment_ends_not_before_start": ("ends_on", "An assignment cannot end before it starts."),
    "candidate_email_unique_per_engagement": ("email", "A candidate with this email is already in this engagement."),
    "interview_ends_after_start": ("ends_at", "The interview must end after it starts."),
}


def full_clean(instance, exclude: Iterable[str] = ()) -> None:
    # Constraints are checked too, so the caller gets a field message, not an IntegrityError.
    exclude = set(exclude)
    errors: dict[str, list[str]] = {}
    try:
        instance.full_clean(exclude=exclude, validate_constraints=False)
    except ValidationError as error:
        errors = error.message_dict
        exclude |= set(errors) - {NON_FIELD_ERRORS}
    for constraint in instance._meta.constraints:
        try:
            constraint.validate(type(instance), instance, exclude=exclude)
        except ValidationError as error:
            field, message = CONSTRAINT_ERRORS.get(constraint.name, (NON_FIELD_ERRORS, ""))
            errors.setdefault(field, []).extend([message] if message else error.messages)
    if errors:
        raise ValidationError(errors)


def save_checked(instance, update_fields=None) -> None:
    """Save after ``full_clean``; a concurrent writer can still win the race to a unique
    constraint, and then the loser gets the same field message instead of a 500."""
    try:
        with transaction.atomic():
            instance.save(update_fields=update_fields)
    except IntegrityError as error:
        full_clean(instance)
        raise ValidationError({NON_FIELD_ERRORS: "Someone else changed this at the same moment; try again."}) from error


def only_fields(fields, allowed, what: str) -> None:
    """A caller passing a field the service does not take is a programming error, not bad input."""
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"Unknown {what} fields: {sorted(unknown)}")
