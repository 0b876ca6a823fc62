"""The accounts app's emails, sent through the outbox (``rpo_portal.outbox``): the invitation to
choose a first password, and the password reset.

The services record them (``invitation_enqueue``, ``password_reset_enqueue``) with ids only; the
builders below render them in the worker at send time, with a fresh password-reset token, so no
token or link is ever stored. Links are built from SITE_URL, never from a request's Host header.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from rpo_portal.models import OutboundEmail
from rpo_portal.outbox import NothingToSend, email_builder, outbox_enqueue, window_key

from .models import User

INVITATION = "accounts.invitation"
PASSWORD_RESET = "accounts.password_reset"
HANDOVER = "accounts.handover"
# Asking again within this window (a reset, a resent invitation) sends no further email.
REPEAT_WINDOW = timedelta(minutes=15)
SITE_NAME = "RPO Partnership Portal"


def _site_url() -> str:
    return settings.SITE_URL.rstrip("/")


def _absolute(path: str) -> str:
    return _site_url() + path


def _with_article(noun: str) -> str:
    return f"{'an' if noun[:1] in 'aeiou' else 'a'} {noun}"


def _uid(user: User) -> str:
    return urlsafe_base64_encode(force_bytes(user.pk))


def password_set_url(*, user: User) -> str:
    """The absolute "choose your password" link: Django's password-reset token, so it works once
    (setting the password changes the hash the token is made of) and for PASSWORD_RESET_TIMEOUT."""
    path = reverse(
        "password_reset_confirm", kwargs={"uidb64": _uid(user), "token": default_token_generator.make_token(user)}
    )
    return _absolute(path)


# --- Recording ---------------------------------------------------------------------------------


def invitation_enqueue(*, user: User, invited_by: User, now: datetime, resend: bool = False) -> bool:
    """Record the invitation (once; a resend once per ``REPEAT_WINDOW``). False if it was already."""
    key = f"invitation:{user.pk}"
    if resend:
        key = window_key(f"{key}:resend", now=now, window=REPEAT_WINDOW)
    email = outbox_enqueue(
        kind=INVITATION, key=key, recipient=user, payload={"user_id": user.pk, "invited_by_id": invited_by.pk}
    )
    return email is not None


def password_reset_enqueue(*, user: User, now: datetime) -> bool:
    """Record a password-reset email for ``user``, one per ``REPEAT_WINDOW``."""
    key = window_key(f"password-reset:{user.pk}", now=now, window=REPEAT_WINDOW)
    return outbox_enqueue(kind=PASSWORD_RESET, key=key, recipient=user, payload={"user_id": user.pk}) is not None


def handover_enqueue(*, successor: User, user: User, actor: User, moved: list, now: datetime) -> bool:
    """Tell ``successor`` what they took over from ``user`` (``accounts.handover.Held`` lines), once
    per handover (the deactivation's moment is in the key)."""
    key = f"handover:{user.pk}:{successor.pk}:{now.isoformat()}"
    payload = {
        "user_id": successor.pk,
        "from_id": user.pk,
        "actor_id": actor.pk,
        "moved": [held.as_payload() for held in moved],
    }
    return outbox_enqueue(kind=HANDOVER, key=key, recipient=successor, payload=payload) is not None


# --- Building, in the worker ---------------------------------------------------------------------


def _user(user_id: int) -> User:
    user = User.objects.select_related("organization").filter(pk=user_id).first()
    if user is None or not user.is_active or not user.email:
        raise NothingToSend("The account no longer exists or is deactivated.")
    return user


@email_builder(INVITATION)
def _invitation(email: OutboundEmail, *, now: datetime) -> list[EmailMultiAlternatives]:
    user = _user(email.payload["user_id"])
    if user.has_usable_password():
        raise NothingToSend("They have chosen a password since: nothing to invite them to.")
    invited_by = User.objects.filter(pk=email.payload["invited_by_id"]).first()
    context = {
        "user": user,
        "invited_by": invited_by,
        "organization": user.organization,
        "role_phrase": _with_article(user.get_role_display().lower()),
        "set_password_url": password_set_url(user=user),
        "sign_in_url": _absolute(reverse("login")),
        "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // (24 * 3600)),
        "site_url": _site_url(),
    }
    inviter = invited_by.display_name if invited_by is not None else SITE_NAME
    message = EmailMultiAlternatives(
        subject=f"{inviter} invited you to the {SITE_NAME}",
        body=render_to_string("accounts/email/invitation.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        reply_to=[invited_by.email] if invited_by is not None and invited_by.email else settings.EMAIL_REPLY_TO or None,
    )
    message.attach_alternative(render_to_string("accounts/email/invitation.html", context), "text/html")
    return [message]


@email_builder(PASSWORD_RESET)
def _password_reset(email: OutboundEmail, *, now: datetime) -> list[EmailMultiAlternatives]:
    """Django's password-reset email (the templates under ``templates/registration/``), rendered
    as ``PasswordResetForm.send_mail`` would, with the token made now."""
    user = _user(email.payload["user_id"])
    context = {
        "email": user.email,
        "domain": urlsplit(settings.SITE_URL).hostname or "localhost",
        "site_name": SITE_NAME,
        "uid": _uid(user),
        "user": user,
        "token": default_token_generator.make_token(user),
        "protocol": urlsplit(settings.SITE_URL).scheme or "https",
        "site_url": _site_url(),
    }
    subject = "".join(render_to_string("registration/password_reset_subject.txt", context).splitlines())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("registration/password_reset_email.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        reply_to=list(settings.EMAIL_REPLY_TO) or None,
    )
    message.attach_alternative(render_to_string("registration/password_reset_email.html", context), "text/html")
    return [message]


@email_builder(HANDOVER)
def _handover(email: OutboundEmail, *, now: datetime) -> list[EmailMultiAlternatives]:
    from .handover import Held  # the registry's value type (no cycle: handover imports models only)

    successor = _user(email.payload["user_id"])
    people = User.objects.in_bulk([email.payload["from_id"], email.payload["actor_id"]])
    previous = people.get(email.payload["from_id"])
    actor = people.get(email.payload["actor_id"])
    moved = [Held.from_payload(line) for line in email.payload["moved"]]
    previous_name = previous.display_name if previous is not None else "a colleague"
    context = {
        "user": successor,
        "previous_name": previous_name,
        "actor": actor,
        "moved": moved,
        "home_url": _absolute("/"),
        "site_url": _site_url(),
    }
    message = EmailMultiAlternatives(
        subject=f"You now hold {previous_name}'s work in the {SITE_NAME}",
        body=render_to_string("accounts/email/handover.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[successor.email],
        reply_to=[actor.email] if actor is not None and actor.email else settings.EMAIL_REPLY_TO or None,
    )
    message.attach_alternative(render_to_string("accounts/email/handover.html", context), "text/html")
    return [message]
