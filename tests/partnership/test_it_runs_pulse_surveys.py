"""Two-way pulse surveys: opened once per period in the engagement's zone, both sides invited and
emailed once, one answer per person, one reminder at most, closed after 14 days."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from engagements.models import Engagement
from partnership.models import PulseInvitation, PulseResponse, PulseSurvey
from partnership.pulse import pulse_answer, pulse_reminders_send, pulse_survey_open
from partnership.tasks import run_pulse
from rpo_portal.conflicts import Conflict
from rpo_portal.models import OutboundEmail

from .pulse_kit import CLIENT_SCORES, OPENING, answer, invitation, open_surveys


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(OPENING, tick=False)


def test_survey_opens_at_nine_on_the_first_business_day_in_the_engagements_zone(world, time_machine):
    time_machine.move_to(OPENING - timedelta(hours=1), tick=False)  # 08:30 in New York, 14:30 in Berlin
    assert open_surveys().keys() == {world.globex_engagement.pk}
    time_machine.move_to(OPENING, tick=False)
    surveys = open_surveys()
    assert surveys.keys() == {world.acme_engagement.pk, world.globex_engagement.pk}
    assert surveys[world.acme_engagement.pk].period_label == "November 2026"
    assert surveys[world.acme_engagement.pk].closes_at == OPENING + timedelta(days=14)


def test_a_survey_is_opened_once_per_period_even_when_two_runs_overlap(world):
    run_pulse.delay()
    run_pulse.delay()
    # A run that read "not opened yet" before the other created it: the unique constraint decides.
    assert (
        pulse_survey_open(engagement=world.acme_engagement, period_start=OPENING.date().replace(day=1), now=OPENING)
        is None
    )

    assert PulseSurvey.objects.filter(engagement=world.acme_engagement).count() == 1
    invitations = PulseInvitation.objects.filter(survey__engagement=world.acme_engagement)
    assert invitations.count() == 6
    emails = OutboundEmail.objects.filter(
        kind="partnership.pulse_invitation", recipient__in=[i.person for i in invitations]
    )
    assert sorted(emails.values_list("key", flat=True)) == sorted(f"pulse-invitation:{i.pk}" for i in invitations)


def test_no_survey_when_the_cadence_is_off_or_the_engagement_paused(world):
    Engagement.objects.filter(pk=world.acme_engagement.pk).update(pulse_cadence="off")
    Engagement.objects.filter(pk=world.globex_engagement.pk).update(status="paused")
    assert open_surveys() == {}


def test_a_quarterly_engagement_is_asked_once_a_quarter(world, time_machine):
    Engagement.objects.filter(pk=world.acme_engagement.pk).update(pulse_cadence="quarterly")
    time_machine.move_to(OPENING.replace(month=10, day=1), tick=False)  # Thursday 1 October, 10:30 in New York
    assert open_surveys()[world.acme_engagement.pk].period_label == "Q4 2026"
    time_machine.move_to(OPENING, tick=False)
    open_surveys()
    assert list(
        PulseSurvey.objects.filter(engagement=world.acme_engagement).values_list("period_label", flat=True)
    ) == ["Q4 2026"]


def test_both_sides_are_invited(world):
    survey = open_surveys()[world.acme_engagement.pk]
    invited = set(survey.invitations.values_list("person__email", "side"))
    assert invited == {
        (world.hiring_manager.email, "client"),
        (world.other_hiring_manager.email, "client"),
        (world.client_admin.email, "client"),
        (world.recruiter.email, "provider"),
        (world.sourcer.email, "provider"),
        (world.account_manager.email, "provider"),
    }


def test_one_answer_per_person_held_by_the_database(world):
    survey = open_surveys()[world.acme_engagement.pk]
    answer(survey, world.hiring_manager)
    with pytest.raises(Conflict, match="already answered"):
        answer(survey, world.hiring_manager)
    with pytest.raises(IntegrityError), transaction.atomic():
        PulseResponse.objects.create(
            invitation=invitation(survey, world.hiring_manager), survey=survey, side="client", **CLIENT_SCORES
        )
    assert PulseResponse.objects.filter(survey=survey).count() == 1
    assert invitation(survey, world.hiring_manager).answered_at == OPENING


def test_scores_are_checked_per_field(world):
    survey = open_surveys()[world.acme_engagement.pk]
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        pulse_answer(
            invitation=invitation(survey, world.recruiter), scores={"overall": 6}, comment="", now=timezone.now()
        )
    assert set(refused.value.message_dict) == {
        "feedback_speed",
        "interview_availability",
        "requirements_clarity",
        "overall",
    }
    assert not PulseResponse.objects.exists()


def test_one_reminder_at_most_to_those_who_have_not_answered(world, time_machine):
    survey = open_surveys()[world.acme_engagement.pk]
    answer(survey, world.hiring_manager)
    time_machine.move_to(OPENING + timedelta(days=4), tick=False)
    assert pulse_reminders_send(now=timezone.now()) == 0  # too early

    time_machine.move_to(OPENING + timedelta(days=5, hours=1), tick=False)
    reminded = pulse_reminders_send(now=timezone.now())
    assert pulse_reminders_send(now=timezone.now()) == 0
    run_pulse.delay()
    unanswered = survey.invitations.exclude(person=world.hiring_manager)
    assert survey.invitations.filter(reminded_at__isnull=False).count() == unanswered.count()
    keys = set(OutboundEmail.objects.filter(kind="partnership.pulse_reminder").values_list("key", flat=True))
    assert {key for key in keys if key.startswith("pulse-reminder:")} >= {f"pulse-reminder:{i.pk}" for i in unanswered}
    acme_keys = {f"pulse-reminder:{i.pk}" for i in survey.invitations.all()}
    assert len(keys & acme_keys) == unanswered.count() == 5
    assert reminded >= 5
    assert f"pulse-reminder:{invitation(survey, world.hiring_manager).pk}" not in keys

    time_machine.move_to(OPENING + timedelta(days=15), tick=False)
    assert pulse_reminders_send(now=timezone.now()) == 0


def test_a_closed_survey_takes_no_answer(world, time_machine):
    survey = open_surveys()[world.acme_engagement.pk]
    time_machine.move_to(OPENING + timedelta(days=14), tick=False)
    with pytest.raises(Conflict, match="closed"):
        answer(survey, world.hiring_manager)


def test_the_invitation_email_carries_the_signed_link(world, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        open_surveys()
    to_hiring_manager = [message for message in mailoutbox if message.to == [world.hiring_manager.email]]
    assert len(to_hiring_manager) == 1
    body = to_hiring_manager[0].body
    assert "/r/" in body
    assert "Talentbridge RPO" in to_hiring_manager[0].subject
