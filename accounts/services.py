"""Writes on people and organisations. Each raises ``ValidationError`` keyed by field, and
``PermissionDenied`` when ``accounts.policies`` says the actor may not act."""

from datetime import datetime

from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import dateformat, timezone
from knox.models import AuthToken

from rpo_portal.dates import is_sane, out_of_range_message

from . import emails, handover, policies, selectors
from .models import HOURS, OutOfOffice, User, validate_time_zone


def out_of_office_validate(*, user: User, starts_at: datetime, ends_at: datetime, backup: User) -> None:
    errors: dict[str, str] = {}
    if not user.is_provider_staff:
        errors["user"] = "Only provider staff can be out of office with a backup."
    if ends_at <= starts_at:
        errors["ends_at"] = "The end must be after the start."
    for name, moment in (("starts_at", starts_at), ("ends_at", ends_at)):
        if not is_sane(moment):
            errors[name] = out_of_range_message()
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


HOUR_FIELDS = ("digest_hour", "quiet_hours_start", "quiet_hours_end")


def _hour_text(hour: int) -> str:
    return f"{hour:02d}:00"


def _profile_errors(user: User, changed: list[str]) -> dict[str, str]:
    """What is wrong with ``user`` as it would be saved, for the fields just changed (and the rules
    between them): one message per field, in the words of the settings page and the API."""
    errors: dict[str, str] = {}
    if "full_name" in changed and not user.full_name:
        errors["full_name"] = "Enter your name."
    if "time_zone" in changed:
        try:
            validate_time_zone(user.time_zone)
        except ValidationError:
            errors["time_zone"] = "Choose a time zone from the list."
    for name in HOUR_FIELDS:
        value = getattr(user, name)
        if name in changed and (isinstance(value, bool) or not isinstance(value, int) or value not in HOURS):
            errors[name] = "Choose an hour from 00:00 to 23:00."
    if errors.keys() & set(HOUR_FIELDS):
        return errors
    touched = set(changed)
    if touched & {"quiet_hours_start", "quiet_hours_end"} and user.quiet_hours_start == user.quiet_hours_end:
        # Equal hours would mean "no quiet hours", which is the operator's switch, not a person's.
        errors["quiet_hours_end"] = (
            f"Quiet hours cannot start and end at the same hour ({_hour_text(user.quiet_hours_start)}): "
            "choose an end hour after the start, for example 08:00 after 20:00."
        )
    elif (
        touched & {"notification_preference", *HOUR_FIELDS}
        and user.reads_digest
        and user.is_quiet_hour(user.digest_hour)
    ):
        errors["digest_hour"] = (
            f"Your digest at {_hour_text(user.digest_hour)} would fall in your quiet hours "
            f"({_hour_text(user.quiet_hours_start)} to {_hour_text(user.quiet_hours_end)}): "
            "choose an hour outside them, or change the quiet hours."
        )
    return errors


@transaction.atomic
def user_update_profile(
    *,
    user: User,
    full_name: str | None = None,
    time_zone: str | None = None,
    notification_preference: str | None = None,
    digest_hour: int | None = None,
    quiet_hours_start: int | None = None,
    quiet_hours_end: int | None = None,
) -> User:
    """Change what a user may change about themselves: name, time zone, and how reminders reach them
    (each as it happens or one daily digest at their chosen local hour, never in their quiet hours).
    The settings page and the API's ``me/`` both come here. Nothing is saved unless every change is
    valid; the refused values are not left on ``user``."""
    values = {
        "full_name": full_name.strip() if isinstance(full_name, str) else full_name,
        "time_zone": time_zone,
        "notification_preference": notification_preference,
        "digest_hour": digest_hour,
        "quiet_hours_start": quiet_hours_start,
        "quiet_hours_end": quiet_hours_end,
    }
    # Only what differs from what is saved is checked and written: the settings page sends every
    # field, and a value kept as it was (an operator's default included) is not questioned again.
    changed = [name for name, value in values.items() if value is not None and value != getattr(user, name)]
    if not changed:
        return user
    before = {name: getattr(user, name) for name in changed}
    for name in changed:
        setattr(user, name, values[name])
    errors = _profile_errors(user, changed)
    try:
        # Lengths and choices, field by field, as the model declares them.
        user.clean_fields(
            exclude=[field.name for field in User._meta.fields if field.name not in changed or field.name in errors]
        )
    except ValidationError as error:
        errors.update({name: " ".join(messages) for name, messages in error.message_dict.items()})
    if errors:
        for name, value in before.items():
            setattr(user, name, value)
        raise ValidationError(errors)
    user.save(update_fields=changed)
    return user


# --- The client admin's team ----------------------------------------------------------------------


@transaction.atomic
def password_reset_request(*, email: str) -> None:
    """Someone asks to choose a new password for ``email``: record the email for the account that
    has this address, if any (one per ``emails.REPEAT_WINDOW``), and nothing else. The worker sends
    it, so the request takes the same time whether or not the address has an account."""
    now = timezone.now()
    for user in selectors.password_reset_user_list(email=email):
        emails.password_reset_enqueue(user=user, now=now)


INVITE_REFUSED = "This address cannot be invited. Ask them to use their work address, or contact support."
ALREADY_IN_TEAM = "This address is already in your team."


def _invite_email_error(*, actor: User, email: str) -> str | None:
    """Why ``email`` cannot be invited, if it cannot. An address of another organisation (another
    client or the provider) gets the same neutral answer as any refusal: it never says whose it is,
    or that it has an account elsewhere."""
    existing = User.objects.filter(email__iexact=email).only("organization_id").first()
    if existing is None:
        return None
    if existing.organization_id == actor.organization_id:
        return ALREADY_IN_TEAM
    return INVITE_REFUSED


@transaction.atomic
def user_invite(*, actor: User, full_name: str, email: str, time_zone: str, role: str | None = None) -> User:
    """A client admin adds a hiring manager to their organisation; a provider admin adds a member
    of the provider's staff in one of ``policies.invitable_roles``. The new account has no usable
    password; the invitation recorded with it (sent by the worker) carries the link that sets one.
    An address already in the actor's team is refused as such; any other existing address with
    ``INVITE_REFUSED``, which does not say whose it is."""
    roles = policies.invitable_roles(actor)
    if not roles:
        raise PermissionDenied("Only a client admin (hiring managers) or a provider admin (staff) can invite people.")
    if role is None and len(roles) == 1:
        role = roles[0]
    full_name = (full_name or "").strip()
    email = User.objects.normalize_email((email or "").strip()).lower()
    errors: dict[str, str] = {}
    if role not in roles:
        names = ", ".join(str(User.Role(choice).label).lower() for choice in roles)
        errors["role"] = f"Choose a role: {names}."
    if not full_name:
        errors["full_name"] = "Enter their name."
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = "Enter an email address like name@example.com."
    else:
        if refusal := _invite_email_error(actor=actor, email=email):
            errors["email"] = refusal
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
        role=role,
        time_zone=time_zone,
    )
    user.set_unusable_password()
    try:
        with transaction.atomic():  # a concurrent invite of the same address loses on the unique index
            user.save()
    except IntegrityError:
        refusal = _invite_email_error(actor=actor, email=email) or INVITE_REFUSED
        raise ValidationError({"email": refusal}) from None
    # Recorded with the account: both commit or neither; the worker sends it (SMTP down: later).
    emails.invitation_enqueue(user=user, invited_by=actor, now=timezone.now())
    return user


@transaction.atomic
def user_resend_invitation(*, actor: User, user: User) -> bool:
    """Send a fresh invitation (a new link) to someone who has not chosen a password yet: the
    client admin's team page and the admin's action both come here. False when one was already
    resent in the last ``emails.REPEAT_WINDOW`` (nothing more is sent)."""
    if not policies.can_resend_invitation(actor, user):
        raise PermissionDenied("You can resend invitations to your own organisation's hiring managers only.")
    if not user.is_active:
        raise ValidationError({"user": f"{user.display_name} is deactivated: reactivate them first."})
    if user.has_usable_password():
        raise ValidationError({"user": f"{user.display_name} has already chosen a password and can sign in."})
    return emails.invitation_enqueue(user=user, invited_by=actor, now=timezone.now(), resend=True)


ALREADY_DEACTIVATED = "{name} is already deactivated: nothing more to do."
CHOOSE_SUCCESSOR = "Choose who takes over what {name} holds."


def _check_may_change_active(*, actor: User, user: User) -> None:
    if not policies.can_change_member_active(actor, user):
        raise PermissionDenied(
            "You can deactivate or reactivate the people your role looks after in your organisation, not yourself."
        )


@transaction.atomic
def user_set_active(*, actor: User, user: User, is_active: bool) -> User:
    """Reactivate (one step) or deactivate someone who holds nothing (``user_deactivate``, which
    refuses when there is work to hand over)."""
    _check_may_change_active(actor=actor, user=user)
    if not is_active:
        user_deactivate(actor=actor, user=user, successor=None)
        return user
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
    return user


@transaction.atomic
def user_deactivate(*, actor: User, user: User, successor: User | None, now: datetime | None = None) -> list:
    """Deactivate ``user`` (they can no longer sign in, by password, session or API token) and hand
    all they hold (``accounts.handover``: requests, requisitions, assignments...) to ``successor``,
    in one transaction: either everything moves and they are deactivated, or nothing changes.
    ``successor`` is told, through the outbox, what they now hold. Returns what moved.

    Someone already deactivated (a second submit, Back and submit again) is refused with
    ``ALREADY_DEACTIVATED`` on the ``user`` field, and nothing is moved twice."""
    _check_may_change_active(actor=actor, user=user)
    now = now or timezone.now()
    # Locked: of two submits at once, the second waits here and then finds them inactive.
    current = User.objects.select_for_update().filter(pk=user.pk).values_list("is_active", flat=True).first()
    if not current:
        user.is_active = False
        raise ValidationError({"user": ALREADY_DEACTIVATED.format(name=user.display_name)})
    held = handover.held_by(users=[user], now=now)[user.pk]
    moved: list = []
    if held or successor is not None:
        if successor is None:
            raise ValidationError({"successor": CHOOSE_SUCCESSOR.format(name=user.display_name)})
        if not policies.can_take_over(user, successor):
            raise ValidationError(
                {"successor": "Choose an active colleague of theirs who can do the same work, from the list."}
            )
        moved = handover.hand_over(actor=actor, user=user, to=successor, now=now)
    user.is_active = False
    user.save(update_fields=["is_active"])
    api_token_revoke_all(user=user)  # reactivating must not bring them back
    if moved:
        emails.handover_enqueue(successor=successor, user=user, actor=actor, moved=moved, now=now)
    return moved


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
