"""Answering the pulse: one answer per person, from the signed link or the portal.

The one-to-one between ``PulseResponse`` and its invitation is the guard: a second answer (a
double click, Back and send again, the API after the page) hits it and is told "You have already
answered", never a second row and never a 500.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from engagements.activity import engagement_changed
from rpo_portal.conflicts import Conflict

from ..models import PulseInvitation, PulseResponse
from .questions import questions_for

ALREADY_ANSWERED = "You have already answered this survey. Thank you: each person's answer counts once."
CLOSED = "This survey has closed. The next one comes at the start of the next period."
COMMENT_MAX = PulseResponse._meta.get_field("comment").max_length


def pulse_invitation_for_link(*, survey_id: int, user_id: int) -> PulseInvitation | None:
    """The invitation a link names (its survey and its person), or None: a link for another survey
    or for someone who was not asked opens nothing."""
    return (
        PulseInvitation.objects.select_related(
            "survey__engagement__client", "survey__engagement__provider", "person__organization"
        )
        .filter(survey_id=survey_id, person_id=user_id, person__is_active=True)
        .first()
    )


def pulse_surveys_waiting_on(*, user, now: datetime) -> list:
    """The open surveys waiting on ``user``'s answer, newest first: one query, for the "Pulse
    survey" link of their pages (the engagement page reads it from ``pulse_trends``)."""
    if not user.is_authenticated:
        return []
    invitations = PulseInvitation.objects.filter(person_id=user.pk, answered_at__isnull=True, survey__closes_at__gt=now)
    invitations = invitations.select_related("survey__engagement").order_by("-survey__sent_at", "-pk")[:5]
    return [invitation.survey for invitation in invitations]


def pulse_is_closed(survey, *, now: datetime) -> bool:
    return now >= survey.closes_at


def pulse_answer(*, invitation: PulseInvitation, scores: dict, comment: str = "", now: datetime) -> PulseResponse:
    """Record ``invitation``'s person's answer: a 1-5 score for each question of their side, and an
    optional comment. ``Conflict`` when the survey has closed or they have answered already;
    ``ValidationError`` (per field) for a score missing or out of range."""
    if pulse_is_closed(invitation.survey, now=now):
        raise Conflict(CLOSED)
    questions = questions_for(invitation.side)
    errors = {}
    values = {}
    for question in questions:
        value = scores.get(question.field)
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            errors[question.field] = "Choose a score from 1 to 5."
        values[question.field] = value
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        errors["comment"] = f"Keep the comment under {COMMENT_MAX} characters (it has {len(comment)})."
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            response = PulseResponse.objects.create(
                invitation=invitation, survey_id=invitation.survey_id, side=invitation.side, comment=comment, **values
            )
            PulseInvitation.objects.filter(pk=invitation.pk, answered_at__isnull=True).update(answered_at=now)
            engagement_changed(invitation.survey.engagement_id)  # its response rate, on the engagement page
    except IntegrityError as error:
        if not PulseResponse.objects.filter(invitation_id=invitation.pk).exists():
            raise
        raise Conflict(ALREADY_ANSWERED) from error
    invitation.answered_at = invitation.answered_at or now
    return response
