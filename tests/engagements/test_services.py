"""Engagements, requisitions and interviews: the writes and the rules they keep."""

from datetime import UTC, datetime, time, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError

from accounts.models import User
from engagements.local_dates import engagement_today
from engagements.models import Engagement, Interview, Requisition, Submission
from engagements.services import (
    candidate_create,
    engagement_create,
    engagement_update,
    interview_create,
    interview_set_status,
    interview_update,
    requisition_create,
    requisition_update,
)
from engagements.signals import interview_status_changed
from tests import factories

NOW = datetime(2025, 6, 4, 10, 0, tzinfo=UTC)


def _error_fields(refused) -> set[str]:
    return set(refused.value.message_dict)


# Engagements


def test_provider_admin_opens_an_engagement_in_the_clients_time_zone(world):
    initech = factories.OrganizationFactory(name="Initech", time_zone="America/Chicago")
    engagement = engagement_create(
        actor=world.provider_admin,
        provider=world.provider,
        client=initech,
        name="Initech partnership",
        account_managers=[world.account_manager],
    )
    assert engagement.time_zone == "America/Chicago"
    assert engagement.status == Engagement.Status.IMPLEMENTATION
    assert engagement.resume_feedback_due_hours == 24
    assert engagement.interview_feedback_due_hours == 48
    assert engagement.availability_due_hours == 24
    assert engagement.reminder_lead_hours == 4
    assert engagement.escalation_delay_hours == 12
    assert list(engagement.account_managers.all()) == [world.account_manager]


def test_an_engagement_with_provider_and_client_swapped_is_refused(world):
    initech = factories.OrganizationFactory(name="Initech")
    # The bootstrap superuser may name any provider; the provider's own admin only their own.
    superuser = factories.UserFactory(organization=None, role="", is_superuser=True, is_staff=True)
    with pytest.raises(ValidationError) as refused:
        engagement_create(actor=superuser, provider=initech, client=world.provider, name="Backwards")
    assert _error_fields(refused) == {"provider"}
    with pytest.raises(ValidationError) as refused:
        engagement_create(
            actor=world.provider_admin,
            provider=world.provider,
            client=factories.ProviderFactory(),
            name="Two providers",
        )
    assert _error_fields(refused) == {"client"}
    assert not Engagement.objects.filter(name__in=["Backwards", "Two providers"]).exists()


@pytest.mark.parametrize("persona", ["recruiter", "hiring_manager"])
def test_only_account_managers_of_the_provider_manage_an_engagement(world, persona):
    initech = factories.OrganizationFactory(name="Initech")
    with pytest.raises(ValidationError) as refused:
        engagement_create(
            actor=world.provider_admin,
            provider=world.provider,
            client=initech,
            name="Initech",
            account_managers=[getattr(world, persona)],
        )
    assert _error_fields(refused) == {"account_managers"}


def test_the_escalation_contact_must_be_a_user_of_the_client(world):
    initech = factories.OrganizationFactory(name="Initech")
    with pytest.raises(ValidationError) as refused:
        engagement_create(
            actor=world.provider_admin,
            provider=world.provider,
            client=initech,
            name="Initech",
            escalation_contact=world.client_admin,
        )
    assert _error_fields(refused) == {"escalation_contact"}
    with pytest.raises(ValidationError) as refused:
        engagement_update(
            actor=world.provider_admin, engagement=world.acme_engagement, escalation_contact=world.account_manager
        )
    assert _error_fields(refused) == {"escalation_contact"}


def test_account_manager_tightens_the_sla(world):
    engagement = engagement_update(
        actor=world.provider_admin,
        engagement=world.acme_engagement,
        resume_feedback_due_hours=16,
        interview_feedback_due_hours=24,
        reminder_lead_hours=2,
        escalation_delay_hours=8,
        escalation_contact=world.client_admin,
        business_day_start=time(8, 0),
        business_day_end=time(18, 0),
        business_weekdays="12345",
    )
    engagement.refresh_from_db()
    assert engagement.resume_feedback_due_hours == 16
    assert engagement.interview_feedback_due_hours == 24
    assert engagement.reminder_lead_hours == 2
    assert engagement.escalation_delay_hours == 8
    assert engagement.escalation_contact == world.client_admin
    assert engagement.business_calendar.day_end == time(18, 0)


@pytest.mark.parametrize(
    ("fields", "field_in_error"),
    [
        ({"resume_feedback_due_hours": 0}, "resume_feedback_due_hours"),
        ({"availability_due_hours": 24 * 31}, "availability_due_hours"),
        ({"time_zone": "Mars/Olympus_Mons"}, "time_zone"),
        ({"business_weekdays": "1123"}, "business_weekdays"),
        ({"business_weekdays": "089"}, "business_weekdays"),
        ({"business_day_start": time(17), "business_day_end": time(9)}, "business_day_end"),
        ({"business_day_end": time(9)}, "business_day_end"),
        ({"status": "thriving"}, "status"),
    ],
)
def test_a_bad_sla_is_refused_by_field_and_not_saved(world, fields, field_in_error):
    with pytest.raises(ValidationError) as refused:
        engagement_update(actor=world.provider_admin, engagement=world.acme_engagement, **fields)
    assert field_in_error in _error_fields(refused)
    fresh = Engagement.objects.get(pk=world.acme_engagement.pk)
    assert fresh.resume_feedback_due_hours == 24
    assert fresh.business_day_start == time(9)
    assert fresh.business_weekdays == "12345"


def test_an_unknown_engagement_field_is_a_programming_error(world):
    with pytest.raises(TypeError):
        engagement_update(actor=world.provider_admin, engagement=world.acme_engagement, provider=world.globex)


def test_account_managers_of_an_engagement_are_replaced(world):
    second = factories.UserFactory(organization=world.provider, role=User.Role.ACCOUNT_MANAGER)
    engagement_update(
        actor=world.provider_admin, engagement=world.acme_engagement, account_managers=[second, world.provider_admin]
    )
    assert set(world.acme_engagement.account_managers.all()) == {second, world.provider_admin}
    with pytest.raises(ValidationError) as refused:
        engagement_update(
            actor=world.provider_admin, engagement=world.acme_engagement, account_managers=[world.recruiter]
        )
    assert _error_fields(refused) == {"account_managers"}


# Requisitions


def test_recruiter_opens_a_requisition_for_a_hiring_manager_of_the_client(world):
    requisition = requisition_create(
        actor=world.provider_admin,
        engagement=world.acme_engagement,
        code=" ACME-9 ",
        title="Data engineer",
        hiring_manager=world.hiring_manager,
    )
    assert requisition.code == "ACME-9"
    assert requisition.status == Requisition.Status.OPEN


@pytest.mark.parametrize("persona", ["globex_hiring_manager", "recruiter"])
def test_a_requisition_cannot_name_a_hiring_manager_outside_the_client(world, persona):
    with pytest.raises(ValidationError) as refused:
        requisition_create(
            actor=world.provider_admin,
            engagement=world.acme_engagement,
            code="ACME-9",
            title="Analyst",
            hiring_manager=getattr(world, persona),
        )
    assert _error_fields(refused) == {"hiring_manager"}
    assert not Requisition.objects.filter(code="ACME-9").exists()


def test_a_deactivated_hiring_manager_cannot_get_a_requisition(world):
    world.other_hiring_manager.is_active = False
    world.other_hiring_manager.save(update_fields=["is_active"])
    with pytest.raises(ValidationError):
        requisition_create(
            actor=world.provider_admin,
            engagement=world.acme_engagement,
            code="ACME-9",
            title="Analyst",
            hiring_manager=world.other_hiring_manager,
        )


def test_a_requisition_code_is_unique_within_its_engagement(world):
    with pytest.raises(ValidationError) as refused:
        requisition_create(
            actor=world.provider_admin,
            engagement=world.acme_engagement,
            code="ACME-1",
            title="Duplicate",
            hiring_manager=world.hiring_manager,
        )
    assert refused.value.message_dict == {"code": ["This engagement already has a requisition with this code."]}
    # The same code in another engagement is fine.
    requisition_create(
        actor=world.provider_admin,
        engagement=world.globex_engagement,
        code="ACME-1",
        title="Fine",
        hiring_manager=world.globex_hiring_manager,
    )


def test_a_requisition_cannot_change_to_a_hiring_manager_of_another_client(world):
    with pytest.raises(ValidationError) as refused:
        requisition_update(
            actor=world.provider_admin, requisition=world.requisition, hiring_manager=world.globex_hiring_manager
        )
    assert _error_fields(refused) == {"hiring_manager"}
    world.requisition.refresh_from_db()
    assert world.requisition.hiring_manager == world.hiring_manager


def test_a_filled_requisition_records_the_day_it_was_filled(world):
    filled_day = world.requisition.opened_on + timedelta(days=20)
    with time_machine.travel(datetime.combine(filled_day, time(15), tzinfo=UTC), tick=False):
        requisition_update(actor=world.provider_admin, requisition=world.requisition, status=Requisition.Status.FILLED)
    world.requisition.refresh_from_db()
    assert world.requisition.filled_on == filled_day


def test_a_target_date_before_the_opening_is_refused_on_that_field(world):
    with pytest.raises(ValidationError) as refused:
        requisition_update(
            actor=world.provider_admin,
            requisition=world.requisition,
            target_on=world.requisition.opened_on - timedelta(days=1),
        )
    assert refused.value.message_dict == {"target_on": ["The target date cannot be before the opening date."]}
    with pytest.raises(ValidationError) as refused:
        requisition_create(
            actor=world.provider_admin,
            engagement=world.acme_engagement,
            code="ACME-9",
            title="Analyst",
            hiring_manager=world.hiring_manager,
            opened_on=NOW.date(),
            filled_on=NOW.date() - timedelta(days=1),
        )
    assert _error_fields(refused) == {"filled_on"}


def test_every_bad_field_of_a_requisition_is_reported_at_once(world):
    with pytest.raises(ValidationError) as refused:
        requisition_create(
            actor=world.provider_admin,
            engagement=world.acme_engagement,
            code="ACME-1",
            title="",
            hiring_manager=world.hiring_manager,
            openings=0,
            priority="whenever",
        )
    assert _error_fields(refused) == {"code", "title", "openings", "priority"}


# Candidates


def test_a_candidate_already_in_the_engagement_is_refused_by_email(world):
    candidate_create(
        actor=world.provider_admin, engagement=world.acme_engagement, full_name="Ada Lovelace", email="ada@mail.example"
    )
    with pytest.raises(ValidationError) as refused:
        candidate_create(
            actor=world.provider_admin, engagement=world.acme_engagement, full_name="Ada L.", email=" ADA@mail.example "
        )
    assert refused.value.message_dict == {"email": ["A candidate with this email is already in this engagement."]}
    # The same person may be in another client's pipeline, and candidates without email never clash.
    candidate_create(
        actor=world.provider_admin,
        engagement=world.globex_engagement,
        full_name="Ada Lovelace",
        email="ada@mail.example",
    )
    candidate_create(actor=world.provider_admin, engagement=world.acme_engagement, full_name="No Email")
    candidate_create(
        actor=world.provider_admin, engagement=world.acme_engagement, full_name="No Email Either", email=""
    )


# Interviews


@pytest.fixture
def at_interview(world):
    return factories.SubmissionFactory(requisition=world.requisition, stage=Submission.Stage.INTERVIEW)


@pytest.fixture
def interview_signals():
    received = []

    def receiver(sender, **kwargs):
        received.append(kwargs)

    interview_status_changed.connect(receiver, weak=False)
    yield received
    interview_status_changed.disconnect(receiver)


def test_recruiter_books_an_interview_with_the_hiring_manager_by_default(world, at_interview):
    interview = interview_create(
        submission=at_interview,
        starts_at=NOW + timedelta(days=1),
        ends_at=NOW + timedelta(days=1, hours=1),
        actor=world.recruiter,
        location="Room 4",
    )
    assert interview.status == Interview.Status.SCHEDULED
    assert list(interview.interviewers.all()) == [world.hiring_manager]


def test_interviewers_may_come_from_the_client_and_the_provider(world, at_interview):
    interview = interview_create(
        submission=at_interview,
        starts_at=NOW + timedelta(days=1),
        ends_at=NOW + timedelta(days=1, hours=1),
        actor=world.recruiter,
        interviewers=[world.hiring_manager, world.other_hiring_manager, world.recruiter],
    )
    assert interview.interviewers.count() == 3


@pytest.mark.parametrize(
    "stage", [s for s in Submission.Stage.values if s != Submission.Stage.INTERVIEW], ids=lambda stage: stage
)
def test_interviews_are_booked_only_at_the_interview_stage(world, stage):
    submission = factories.SubmissionFactory(requisition=world.requisition, stage=stage)
    with pytest.raises(ValidationError) as refused:
        interview_create(
            submission=submission,
            starts_at=NOW + timedelta(days=1),
            ends_at=NOW + timedelta(days=1, hours=1),
            actor=world.recruiter,
        )
    assert _error_fields(refused) == {"submission"}
    assert not Interview.objects.exists()


def test_an_interviewer_from_another_client_is_refused(world, at_interview):
    with pytest.raises(ValidationError) as refused:
        interview_create(
            submission=at_interview,
            starts_at=NOW + timedelta(days=1),
            ends_at=NOW + timedelta(days=1, hours=1),
            actor=world.recruiter,
            interviewers=[world.hiring_manager, world.globex_hiring_manager],
        )
    assert _error_fields(refused) == {"interviewers"}
    assert not Interview.objects.exists()


def test_a_deactivated_interviewer_is_refused(world, at_interview):
    world.other_hiring_manager.is_active = False
    world.other_hiring_manager.save(update_fields=["is_active"])
    with pytest.raises(ValidationError) as refused:
        interview_create(
            submission=at_interview,
            starts_at=NOW + timedelta(days=1),
            ends_at=NOW + timedelta(days=1, hours=1),
            actor=world.recruiter,
            interviewers=[world.other_hiring_manager],
        )
    assert _error_fields(refused) == {"interviewers"}


def test_an_interview_must_end_after_it_starts(world, at_interview):
    with pytest.raises(ValidationError) as refused:
        interview_create(submission=at_interview, starts_at=NOW + timedelta(days=1), ends_at=NOW, actor=world.recruiter)
    assert refused.value.message_dict == {"ends_at": ["The interview must end after it starts."]}
    assert not Interview.objects.exists()


def test_a_scheduled_interview_can_be_moved_and_a_past_one_cannot(world, at_interview):
    interview = factories.InterviewFactory(submission=at_interview, starts_at=NOW + timedelta(days=1))
    later = NOW + timedelta(days=2)
    interview_update(
        actor=world.provider_admin, interview=interview, starts_at=later, ends_at=later + timedelta(hours=1)
    )
    interview.refresh_from_db()
    assert interview.starts_at == later

    with pytest.raises(ValidationError):
        interview_update(actor=world.provider_admin, interview=interview, interviewers=[world.globex_hiring_manager])

    interview_set_status(interview=interview, status=Interview.Status.CANCELLED, actor=world.recruiter)
    with pytest.raises(ValidationError) as refused:
        interview_update(actor=world.provider_admin, interview=interview, location="Elsewhere")
    assert _error_fields(refused) == {"status"}


@pytest.mark.parametrize("status", [Interview.Status.COMPLETED, Interview.Status.NO_SHOW, Interview.Status.CANCELLED])
def test_recruiter_records_how_an_interview_went(world, at_interview, interview_signals, status):
    interview = factories.InterviewFactory(submission=at_interview, starts_at=NOW - timedelta(hours=2))

    with time_machine.travel(NOW, tick=False):
        interview_set_status(interview=interview, status=status, actor=world.recruiter)

    interview.refresh_from_db()
    assert interview.status == status
    assert interview.completed_at == (NOW if status == Interview.Status.COMPLETED else None)
    assert len(interview_signals) == 1
    assert interview_signals[0]["interview"].pk == interview.pk
    assert (interview_signals[0]["from_status"], interview_signals[0]["to_status"]) == (
        Interview.Status.SCHEDULED,
        status,
    )
    assert interview_signals[0]["changed_by"] == world.recruiter


@pytest.mark.parametrize("status", [Interview.Status.COMPLETED, Interview.Status.NO_SHOW])
def test_an_interview_cannot_be_completed_or_missed_before_it_starts(world, at_interview, interview_signals, status):
    interview = factories.InterviewFactory(submission=at_interview, starts_at=NOW + timedelta(hours=2))

    with time_machine.travel(NOW, tick=False), pytest.raises(ValidationError) as refused:
        interview_set_status(interview=interview, status=status, actor=world.recruiter)

    assert _error_fields(refused) == {"status"}
    interview.refresh_from_db()
    assert interview.status == Interview.Status.SCHEDULED
    assert interview_signals == []


def test_an_upcoming_interview_can_be_cancelled(world, at_interview):
    interview = factories.InterviewFactory(submission=at_interview, starts_at=NOW + timedelta(days=3))
    with time_machine.travel(NOW, tick=False):
        interview_set_status(interview=interview, status=Interview.Status.CANCELLED, actor=world.recruiter)
    interview.refresh_from_db()
    assert interview.status == Interview.Status.CANCELLED


ILLEGAL_INTERVIEW_MOVES = [
    (Interview.Status.SCHEDULED, Interview.Status.SCHEDULED),
    (Interview.Status.SCHEDULED, "postponed"),
    *[
        (from_status, to_status)
        for from_status in (Interview.Status.COMPLETED, Interview.Status.CANCELLED, Interview.Status.NO_SHOW)
        for to_status in Interview.Status.values
    ],
]


@pytest.mark.parametrize(("from_status", "to_status"), ILLEGAL_INTERVIEW_MOVES)
def test_an_illegal_interview_status_change_is_refused(world, at_interview, interview_signals, from_status, to_status):
    interview = factories.InterviewFactory(
        submission=at_interview, starts_at=NOW - timedelta(days=1), status=from_status
    )
    with time_machine.travel(NOW, tick=False), pytest.raises(ValidationError) as refused:
        interview_set_status(interview=interview, status=to_status, actor=world.recruiter)
    assert _error_fields(refused) == {"status"}
    interview.refresh_from_db()
    assert interview.status == from_status
    assert interview_signals == []


def test_a_requisition_opened_as_filled_records_the_day_it_was_filled(world):
    requisition = requisition_create(
        actor=world.provider_admin,
        engagement=world.acme_engagement,
        code="FILLED-1",
        title="Filled at once",
        hiring_manager=world.hiring_manager,
        status=Requisition.Status.FILLED,
    )
    assert requisition.filled_on == engagement_today(world.acme_engagement)
