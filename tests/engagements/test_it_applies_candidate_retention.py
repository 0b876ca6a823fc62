"""Retention: a daily task anonymises the candidates with no activity for
``CANDIDATE_RETENTION_MONTHS`` months (created, a stage change of one of their submissions, an
interview), through the same code as an erasure by a person, with nobody as its author."""

from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings

from engagements import services, tasks
from engagements.models import Candidate, Submission
from feedback.models import Feedback
from tests import factories

LONG_AGO = datetime(2024, 1, 10, 12, 0, tzinfo=UTC)
NOW = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)  # a little over 25 months later


@pytest.fixture
def then(world, time_machine):
    """Everyone below was created LONG_AGO; the test then travels to NOW."""
    time_machine.move_to(LONG_AGO, tick=False)
    return time_machine


def _candidate(world, name: str, **kwargs) -> Candidate:
    return factories.CandidateFactory(engagement=world.acme_engagement, full_name=name, **kwargs)


def _erased(candidate: Candidate) -> bool:
    candidate.refresh_from_db()
    return candidate.erased_at is not None


def test_the_setting_defaults_to_24_months_and_runs_daily():
    assert settings.CANDIDATE_RETENTION_MONTHS == 24
    entry = next(e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"].endswith("erase_inactive_candidates"))
    assert entry["schedule"] == 24 * 3600


def test_it_erases_the_inactive_candidate_and_keeps_the_active_ones(then, world):
    idle = _candidate(world, "Idle Ida", email="ida@mail.example", phone="555-0100")
    idle_submission = factories.SubmissionFactory(
        requisition=world.requisition, candidate=idle, summary="Ida's pitch", stage=Submission.Stage.HM_REVIEW
    )
    factories.FeedbackFactory(request__submission=idle_submission, comments="Ida was fine.")
    moved_lately = _candidate(world, "Moved Mo")
    moved_submission = factories.SubmissionFactory(requisition=world.requisition, candidate=moved_lately)
    interviewed_lately = _candidate(world, "Interviewed Ines")
    interviewed_submission = factories.SubmissionFactory(
        requisition=world.other_requisition, candidate=interviewed_lately, stage=Submission.Stage.INTERVIEW
    )
    bench = _candidate(world, "Bench Ben")  # never submitted: their creation is their only activity

    then.move_to(NOW - timedelta(days=30), tick=False)
    services.submission_change_stage(
        actor=world.recruiter, submission=moved_submission, to_stage=Submission.Stage.HM_REVIEW
    )
    factories.InterviewFactory(submission=interviewed_submission, starts_at=NOW + timedelta(days=3))
    newcomer = _candidate(world, "New Nina")

    then.move_to(NOW, tick=False)
    erased = tasks.erase_inactive_candidates.delay().get()

    assert erased == 2
    assert [_erased(candidate) for candidate in (idle, bench, moved_lately, interviewed_lately, newcomer)] == [
        True,
        True,
        False,
        False,
        False,
    ]
    assert idle.full_name == f"Erased candidate #{idle.pk}"
    assert (idle.email, idle.phone, idle.erased_by, idle.erased_at) == ("", "", None, NOW)
    idle_submission.refresh_from_db()
    assert (idle_submission.summary, idle_submission.stage) == ("", Submission.Stage.HM_REVIEW)
    assert Feedback.objects.get(request__submission=idle_submission).comments == ""
    moved_lately.refresh_from_db()
    assert moved_lately.full_name == "Moved Mo"


def test_a_second_run_finds_nothing_more(then, world):
    _candidate(world, "Idle Ida")
    then.move_to(NOW, tick=False)
    assert tasks.erase_inactive_candidates.delay().get() == 1
    assert tasks.erase_inactive_candidates.delay().get() == 0


def test_it_works_in_batches(then, world):
    for index in range(5):
        _candidate(world, f"Idle {index}")
    then.move_to(NOW, tick=False)
    assert services.candidates_erase_inactive(months=24, batch_size=2) == 5
    assert not Candidate.objects.filter(erased_at__isnull=True).exists()


def test_zero_months_turns_retention_off(then, world, settings):
    idle = _candidate(world, "Idle Ida")
    then.move_to(NOW, tick=False)
    settings.CANDIDATE_RETENTION_MONTHS = 0
    assert tasks.erase_inactive_candidates.delay().get() == 0
    assert not _erased(idle)


def test_a_candidate_created_just_inside_the_window_is_kept(world, time_machine):
    time_machine.move_to(datetime(2024, 3, 3, 0, 0, tzinfo=UTC), tick=False)
    kept = _candidate(world, "Just In")
    time_machine.move_to(NOW, tick=False)
    assert tasks.erase_inactive_candidates.delay().get() == 0
    assert not _erased(kept)
