"""Writes on people and organisations. Each raises ``ValidationError`` keyed by field."""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from .models import OutOfOffice, User


def _validate_out_of_office(*, user: User, starts_at: datetime, ends_at: datetime, backup: User) -> None:
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
    _validate_out_of_office(user=user, starts_at=starts_at, ends_at=ends_at, backup=backup)
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
    _validate_out_of_office(
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
