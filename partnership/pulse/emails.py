"""The pulse's emails, built at send time by the outbox (``rpo_portal.outbox``): the invitation and
the one reminder, each with a fresh signed link. Nothing is sent to someone who has answered since,
for a survey that has closed, or to a deactivated account."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone

from rpo_portal.models import OutboundEmail
from rpo_portal.outbox import NothingToSend, email_builder

from ..models import PulseInvitation, Side
from .links import pulse_link_url
from .questions import questions_for
from .sending import PULSE_INVITATION_EMAIL, PULSE_REMINDER_EMAIL


def _invitation(email: OutboundEmail, *, now: datetime) -> PulseInvitation:
    invitation = (
        PulseInvitation.objects.select_related(
            "person__organization", "survey__engagement__client", "survey__engagement__provider"
        )
        .filter(pk=email.payload["invitation_id"])
        .first()
    )
    if invitation is None or not invitation.person.is_active or not invitation.person.email:
        raise NothingToSend("The invitation or the account no longer exists.")
    if invitation.answered_at is not None:
        raise NothingToSend("They have answered since.")
    if now >= invitation.survey.closes_at:
        raise NothingToSend("The survey has closed.")
    return invitation


def _messages(invitation: PulseInvitation, *, reminder: bool) -> list[EmailMultiAlternatives]:
    person = invitation.person
    survey = invitation.survey
    engagement = survey.engagement
    rated = engagement.provider if invitation.side == Side.CLIENT else engagement.client
    zone = person.zone
    with timezone.override(zone):
        context = {
            "person": person,
            "survey": survey,
            "engagement": engagement,
            "rated": rated,
            "questions": questions_for(invitation.side),
            "reminder": reminder,
            "link": pulse_link_url(invitation=invitation),
            "closes_local": timezone.localtime(survey.closes_at),
            "site_url": settings.SITE_URL.rstrip("/"),
            "zone_name": str(zone),
        }
        subject = (
            f"{'Reminder: ' if reminder else ''}How is the partnership with {rated.name} going? ({survey.period_label})"
        )
        message = EmailMultiAlternatives(
            subject=subject,
            body=render_to_string("partnership/email/pulse.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[person.email],
            reply_to=list(settings.EMAIL_REPLY_TO) or None,
        )
        message.attach_alternative(render_to_string("partnership/email/pulse.html", context), "text/html")
    return [message]


@email_builder(PULSE_INVITATION_EMAIL)
def _pulse_invitation(email: OutboundEmail, *, now: datetime) -> list[EmailMultiAlternatives]:
    return _messages(_invitation(email, now=now), reminder=False)


@email_builder(PULSE_REMINDER_EMAIL)
def _pulse_reminder(email: OutboundEmail, *, now: datetime) -> list[EmailMultiAlternatives]:
    return _messages(_invitation(email, now=now), reminder=True)
