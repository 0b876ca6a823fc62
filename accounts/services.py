"""Writes on people and organisations. Each raises ``ValidationError`` keyed by field."""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from .models import OutOfOffice, User


def out_of_office_validate(*, user: User, starts_at: datetime, ends_at: datetime, backup: User) -> None:
    errors: dict[str, str] = {}
    if not user.is_provider_staff:
        errors["user"] = "Only provider staff can be out of office with a backup."
    if ends_at <= starts_at:
        errors["ends_at"] = "The end must be after the start."
    if backup.pk == user.pk:
        errors["backup"] = "The backup must be someone else."
    elif not backup.is_active or not backup.is_provider_staff or backup.organization_id != user.organization_id:
        errors["backup"] = "The backup must be an active member of the same provider's staff."
    if errors:
        raise ValidationError(errors)


def _check_may_manage_out_of_office(*, actor: User, user: User) -> None:
    if actor.pk == user.pk:
        return
    managers = {User.Role.PROVIDER_ADMIN, User.Role.ACCOUNT_MANAGER}
    if actor.role in managers and actor.organization_id == user.organization_id:
        return
    raise PermissionDenied("You can only set out-of-office for yourself.")


@transaction.atomic
def out_of_office_create(
    *, actor: User, user: User, starts_at: datetime, ends_at: datetime, backup: User, note: str = ""
) -> OutOfOffice:
    _check_may_manage_out_of_office(actor=actor, user=user)
    out_of_office_validate(user=user, starts_at=starts_at, ends_at=ends_at, backup=backup)
    return OutOfOffice.objects.create(user=user, starts_at=starts_at, ends_at=ends_at, backup=backup, note=note)


@transaction.atomic
def out_of_office_update(
    *,
    actor: User,
    out_of_office: OutOfOffice,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    backup: User | None = None,
    note: str | None = None,
) -> OutOfOffice:
    _check_may_manage_out_of_office(actor=actor, user=out_of_office.user)
    out_of_office.starts_at = starts_at or out_of_office.starts_at
    out_of_office.ends_at = ends_at or out_of_office.ends_at
    out_of_office.backup = backup or out_of_office.backup
    if note is not None:
        out_of_office.note = note
    out_of_office_validate(
        user=out_of_office.user,
        starts_at=out_of_office.starts_at,
        ends_at=out_of_office.ends_at,
        backup=out_of_office.backup,
    )
    out_of_office.save(update_fields=["starts_at", "ends_at", "backup", "note"])
    return out_of_office


@transaction.atomic
def out_of_office_delete(*, actor: User, out_of_office: OutOfOffice) -> None:
    _check_may_manage_out_of_office(actor=actor, user=out_of_office.user)
    out_of_office.delete()


@transaction.atomic
def user_update_profile(
    *,
    user: User,
    full_name: str | None = None,
    time_zone: str | None = None,
    notification_preference: str | None = None,
) -> User:
    """Change what a user may change about themselves: name, time zone, how reminders reach them."""
    changed: list[str] = []
    if full_name is not None:
        user.full_name = full_name.strip()
        changed.append("full_name")
    if time_zone is not None:
        user.time_zone = time_zone
        changed.append("time_zone")
    if notification_preference is not None:
        user.notification_preference = notification_preference
        changed.append("notification_preference")
    if not changed:
        return user
    # Blank names, unknown time zones and preferences are refused field by field.
    user.clean_fields(exclude=[field.name for field in User._meta.fields if field.name not in changed])
    user.save(update_fields=changed)
    return user
