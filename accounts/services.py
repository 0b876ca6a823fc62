"""Writes on people and organisations. Each raises ``ValidationError`` keyed by field, and
``PermissionDenied`` when ``accounts.policies`` says the actor may not act."""

from datetime import datetime
from functools import partial

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from knox.models import AuthToken

from . import policies
from .models import OutOfOffice, User, validate_time_zone


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
    elif "ends_at" not in errors:
        # A backup who is away themselves would pass the work on to nobody.
        overlap = (
            OutOfOffice.objects.filter(user=backup, starts_at__lt=ends_at, ends_at__gt=starts_at)
            .order_by("starts_at")
            .first()
        )
        if overlap is not None:
            until = dateformat.format(overlap.ends_at.astimezone(user.zone), "D j M Y, H:i T")
            errors["backup"] = (
                f"{backup.display_name} is out of office then too (until {until}): choose another backup."
            )
    if errors:
        raise ValidationError(errors)


def _check_may_manage_out_of_office(*, actor: User, user: User) -> None:
    if not policies.can_manage_out_of_office(actor, user):
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


# --- The client admin's team ----------------------------------------------------------------------


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def password_set_url(*, user: User) -> str:
    """The absolute "choose your password" link: Django's password-reset token, so it works once
    (setting the password changes the hash the token is made of) and for PASSWORD_RESET_TIMEOUT."""
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return _absolute(path)


def user_send_invitation(*, user: User, invited_by: User) -> None:
    """Email a new user the link that sets their password (plain text and HTML)."""
    context = {
        "user": user,
        "invited_by": invited_by,
        "organization": user.organization,
        "set_password_url": password_set_url(user=user),
        "sign_in_url": _absolute(reverse("login")),
        "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // (24 * 3600)),
        "site_url": settings.SITE_URL.rstrip("/"),
    }
    inviter = invited_by.display_name
    message = EmailMultiAlternatives(
        subject=f"{inviter} invited you to the RPO Partnership Portal",
        body=render_to_string("accounts/email/invitation.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        reply_to=[invited_by.email] if invited_by.email else settings.EMAIL_REPLY_TO or None,
    )
    message.attach_alternative(render_to_string("accounts/email/invitation.html", context), "text/html")
    message.send()


@transaction.atomic
def user_invite(*, actor: User, full_name: str, email: str, time_zone: str) -> User:
    """A client admin adds a hiring manager to their organisation. The new account has no usable
    password; once the transaction commits, the invitation email carries the link that sets one."""
    if not policies.can_manage_team(actor):
        raise PermissionDenied("Only a client admin can invite hiring managers.")
    full_name = (full_name or "").strip()
    email = User.objects.normalize_email((email or "").strip()).lower()
    errors: dict[str, str] = {}
    if not full_name:
        errors["full_name"] = "Enter their name."
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = "Enter an email address like name@example.com."
    else:
        if User.objects.filter(email__iexact=email).exists():
            errors["email"] = "Someone already has an account with this email address."
    try:
        validate_time_zone(time_zone)
    except ValidationError:
        errors["time_zone"] = "Choose a time zone from the list."
    if errors:
        raise ValidationError(errors)
    user = User(
        email=email,
        full_name=full_name,
        organization_id=actor.organization_id,
        role=User.Role.HIRING_MANAGER,
        time_zone=time_zone,
    )
    user.set_unusable_password()
    try:
        with transaction.atomic():  # a concurrent invite of the same address loses on the unique index
            user.save()
    except IntegrityError:
        raise ValidationError({"email": "Someone already has an account with this email address."}) from None
    transaction.on_commit(partial(user_send_invitation, user=user, invited_by=actor))
    return user


@transaction.atomic
def user_set_active(*, actor: User, user: User, is_active: bool) -> User:
    """Deactivate (they can no longer sign in, by password, session or API token) or reactivate
    a hiring manager of the actor's organisation."""
    if not policies.can_change_member_active(actor, user):
        raise PermissionDenied(
            "You can deactivate or reactivate the hiring managers of your organisation, not yourself."
        )
    if user.is_active != is_active:
        user.is_active = is_active
        user.save(update_fields=["is_active"])
    if not is_active:
        api_token_revoke_all(user=user)  # reactivating must not bring them back
    return user


# --- API tokens (django-rest-knox: stored as digests, expiring) ---------------------------------------


@transaction.atomic
def api_token_create(*, user: User, request=None) -> tuple[AuthToken, str]:
    """A new token for each sign-in through the API; the key is shown once, only its digest is kept.
    The user's expired tokens go at the same time, so a script that signs in at each run leaves no
    pile of dead rows behind."""
    AuthToken.objects.filter(user=user, expiry__lt=timezone.now()).delete()
    token, key = AuthToken.objects.create(user=user)
    user_logged_in.send(sender=user.__class__, request=request, user=user)  # last_login, sign-in log
    return token, key


def api_token_revoke_all(*, user: User) -> int:
    """Revoke every API token of ``user``: on a password change or reset (the password validator's
    hook) and on deactivation (``user_set_active``, the admin)."""
    deleted, _ = AuthToken.objects.filter(user=user).delete()
    return deleted


def api_token_revoke(*, actor: User, token: AuthToken) -> None:
    if token.user_id != actor.pk:
        raise PermissionDenied("You can only revoke your own API tokens.")
    token.delete()
