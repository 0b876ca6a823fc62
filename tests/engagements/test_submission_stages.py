"""A submission moves only along legal stage transitions, and every move is recorded and announced."""

import threading
from datetime import UTC, datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection

from engagements.models import Requisition, Submission, SubmissionStageChange
from engagements.services import submission_change_stage, submission_create
from engagements.signals import submission_stage_changed
from tests import factories

Stage = Submission.Stage

LEGAL_MOVES = sorted(
    (from_stage, to_stage) for from_stage, targets in Submission.TRANSITIONS.items() for to_stage in targets
)
ILLEGAL_MOVES = [
    (from_stage, to_stage)
    for from_stage in Stage.values
    for to_stage in Stage.values
    if to_stage not in Submission.TRANSITIONS[from_stage]
]

NOW = datetime(2025, 6, 3, 14, 30, tzinfo=UTC)
EARLIER = datetime(2025, 6, 2, 10, 0, tzinfo=UTC)


@pytest.fixture
def stage_signals():
    """Every ``submission_stage_changed`` sent during the test, as keyword dicts."""
    received = []

    def receiver(sender, **kwargs):
        received.append({"sender": sender, **kwargs})

    submission_stage_changed.connect(receiver, weak=False)
    yield received
    submission_stage_changed.disconnect(receiver)


def _submission_at(world, stage):
    return factories.SubmissionFactory(requisition=world.requisition, stage=stage, stage_changed_at=EARLIER)


def test_the_transition_table_covers_every_stage():
    assert set(Submission.TRANSITIONS) == set(Stage.values)
    assert len(LEGAL_MOVES) + len(ILLEGAL_MOVES) == len(Stage.values) ** 2


@pytest.mark.parametrize(("from_stage", "to_stage"), LEGAL_MOVES)
def test_recruiter_moves_submission_along_a_legal_transition(world, stage_signals, from_stage, to_stage):
    submission = _submission_at(world, from_stage)

    with time_machine.travel(NOW, tick=False):
        reason = Submission.WithdrawalReason.OTHER_OFFER if to_stage == Submission.Stage.WITHDRAWN else ""
        submission_change_stage(
            submission=submission, to_stage=to_stage, actor=world.recruiter, note="why", withdrawal_reason=reason
        )

    submission.refresh_from_db()
    assert submission.stage == to_stage
    assert submission.withdrawal_reason == reason
    assert submission.stage_changed_at == NOW
    change = SubmissionStageChange.objects.get(submission=submission)
    assert (change.from_stage, change.to_stage) == (from_stage, to_stage)
    assert change.changed_by == world.recruiter
    assert change.changed_at == NOW
    assert change.note == "why"
    assert len(stage_signals) == 1
    signal = stage_signals[0]
    assert signal["sender"] is Submission
    assert signal["submission"].pk == submission.pk
    assert signal["submission"].stage == to_stage
    assert (signal["from_stage"], signal["to_stage"], signal["changed_by"]) == (from_stage, to_stage, world.recruiter)


@pytest.mark.parametrize(("from_stage", "to_stage"), ILLEGAL_MOVES)
def test_an_illegal_transition_is_refused_and_changes_nothing(world, stage_signals, from_stage, to_stage):
    submission = _submission_at(world, from_stage)

    with pytest.raises(ValidationError) as refused:
        submission_change_stage(submission=submission, to_stage=to_stage, actor=world.recruiter)

    assert set(refused.value.message_dict) == {"stage"}
    submission.refresh_from_db()
    assert submission.stage == from_stage
    assert submission.stage_changed_at == EARLIER
    assert not SubmissionStageChange.objects.filter(submission=submission).exists()
    assert stage_signals == []


@pytest.mark.parametrize("closed_stage", Submission.CLOSED_STAGES)
def test_a_closed_submission_cannot_move_anywhere(world, closed_stage):
    submission = _submission_at(world, closed_stage)
    assert not submission.is_open
    for to_stage in Stage.values:
        assert not submission.can_move_to(to_stage)
        with pytest.raises(ValidationError, match="closed"):
            submission_change_stage(submission=submission, to_stage=to_stage, actor=world.recruiter)


def test_an_unknown_stage_is_refused_by_field(world):
    submission = _submission_at(world, Stage.SUBMITTED)
    with pytest.raises(ValidationError) as refused:
        submission_change_stage(submission=submission, to_stage="shortlisted", actor=world.recruiter)
    assert "stage" in refused.value.message_dict
    submission.refresh_from_db()
    assert submission.stage == Stage.SUBMITTED


def test_a_stale_copy_of_the_submission_is_judged_by_its_stage_in_the_database(world):
    submission = _submission_at(world, Stage.SUBMITTED)
    stale = Submission.objects.get(pk=submission.pk)
    submission_change_stage(submission=submission, to_stage=Stage.HM_REVIEW, actor=world.recruiter)

    # The stale copy still says "submitted"; moving it to hm_review again must be refused.
    with pytest.raises(ValidationError):
        submission_change_stage(submission=stale, to_stage=Stage.HM_REVIEW, actor=world.recruiter)
    submission_change_stage(submission=stale, to_stage=Stage.INTERVIEW, actor=world.recruiter)
    history = list(SubmissionStageChange.objects.filter(submission=submission).values_list("from_stage", "to_stage"))
    assert history == [(Stage.SUBMITTED, Stage.HM_REVIEW), (Stage.HM_REVIEW, Stage.INTERVIEW)]


def test_the_full_journey_to_hire_leaves_an_ordered_history(world):
    candidate = factories.CandidateFactory(engagement=world.acme_engagement)
    with time_machine.travel(EARLIER, tick=False):
        submission = submission_create(requisition=world.requisition, candidate=candidate, actor=world.recruiter)
    for step, stage in enumerate([Stage.HM_REVIEW, Stage.INTERVIEW, Stage.OFFER, Stage.HIRED], start=1):
        with time_machine.travel(datetime(2025, 6, 2 + step, 9, tzinfo=UTC), tick=False):
            submission_change_stage(submission=submission, to_stage=stage, actor=world.recruiter)

    history = list(submission.stage_changes.values_list("from_stage", "to_stage"))
    assert history == [
        ("", Stage.SUBMITTED),
        (Stage.SUBMITTED, Stage.HM_REVIEW),
        (Stage.HM_REVIEW, Stage.INTERVIEW),
        (Stage.INTERVIEW, Stage.OFFER),
        (Stage.OFFER, Stage.HIRED),
    ]
    submission.refresh_from_db()
    assert submission.stage_changed_at == datetime(2025, 6, 6, 9, tzinfo=UTC)


def test_a_failing_listener_rolls_the_stage_change_back(world):
    submission = _submission_at(world, Stage.SUBMITTED)

    def broken_receiver(sender, **kwargs):
        raise RuntimeError("listener failed")

    submission_stage_changed.connect(broken_receiver, weak=False)
    try:
        with pytest.raises(RuntimeError):
            submission_change_stage(submission=submission, to_stage=Stage.HM_REVIEW, actor=world.recruiter)
    finally:
        submission_stage_changed.disconnect(broken_receiver)

    fresh = Submission.objects.get(pk=submission.pk)
    assert fresh.stage == Stage.SUBMITTED
    assert not SubmissionStageChange.objects.filter(submission=submission).exists()


# submission_create


def test_recruiter_submits_a_candidate_and_the_history_starts_at_submitted(world, stage_signals):
    candidate = factories.CandidateFactory(engagement=world.acme_engagement)

    with time_machine.travel(NOW, tick=False):
        submission = submission_create(
            requisition=world.requisition, candidate=candidate, actor=world.recruiter, summary="Strong fit"
        )

    submission.refresh_from_db()
    assert submission.stage == Stage.SUBMITTED
    assert submission.submitted_at == NOW
    assert submission.stage_changed_at == NOW
    assert submission.submitted_by == world.recruiter
    change = submission.stage_changes.get()
    assert (change.from_stage, change.to_stage, change.changed_by, change.changed_at) == (
        "",
        Stage.SUBMITTED,
        world.recruiter,
        NOW,
    )
    assert len(stage_signals) == 1
    assert stage_signals[0]["submission"] == submission
    assert (stage_signals[0]["from_stage"], stage_signals[0]["to_stage"]) == ("", Stage.SUBMITTED)
    assert stage_signals[0]["changed_by"] == world.recruiter


def test_a_submission_backdated_by_import_keeps_its_date(world):
    candidate = factories.CandidateFactory(engagement=world.acme_engagement)
    submission = submission_create(
        requisition=world.requisition, candidate=candidate, actor=world.recruiter, submitted_at=EARLIER
    )
    assert submission.submitted_at == EARLIER
    assert submission.stage_changes.get().changed_at == EARLIER


def test_a_candidate_of_another_engagement_cannot_be_submitted(world, stage_signals):
    globex_candidate = factories.CandidateFactory(engagement=world.globex_engagement)
    with pytest.raises(ValidationError) as refused:
        submission_create(requisition=world.requisition, candidate=globex_candidate, actor=world.recruiter)
    assert "candidate" in refused.value.message_dict
    assert not Submission.objects.exists()
    assert stage_signals == []


@pytest.mark.parametrize(
    "status", [Requisition.Status.ON_HOLD, Requisition.Status.FILLED, Requisition.Status.CANCELLED]
)
def test_no_submissions_to_a_requisition_that_is_not_open(world, status):
    requisition = factories.RequisitionFactory(engagement=world.acme_engagement, status=status)
    candidate = factories.CandidateFactory(engagement=world.acme_engagement)
    with pytest.raises(ValidationError) as refused:
        submission_create(requisition=requisition, candidate=candidate, actor=world.recruiter)
    assert "requisition" in refused.value.message_dict
    assert not Submission.objects.exists()


def test_the_same_candidate_cannot_be_submitted_twice_to_one_requisition(world):
    candidate = factories.CandidateFactory(engagement=world.acme_engagement)
    submission_create(requisition=world.requisition, candidate=candidate, actor=world.recruiter)
    with pytest.raises(ValidationError) as refused:
        submission_create(requisition=world.requisition, candidate=candidate, actor=world.sourcer)
    assert "candidate" in refused.value.message_dict
    assert Submission.objects.count() == 1
    assert SubmissionStageChange.objects.count() == 1


def test_the_same_candidate_may_be_submitted_to_another_requisition(world):
    candidate = factories.CandidateFactory(engagement=world.acme_engagement)
    submission_create(requisition=world.requisition, candidate=candidate, actor=world.recruiter)
    submission_create(requisition=world.other_requisition, candidate=candidate, actor=world.recruiter)
    assert candidate.submissions.count() == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_recruiters_moving_the_same_submission_at_once_record_one_move(world):
    submission = factories.SubmissionFactory(requisition=world.requisition, stage=Stage.SUBMITTED)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def move(recruiter):
        try:
            barrier.wait(timeout=10)
            submission_change_stage(
                submission=Submission.objects.get(pk=submission.pk), to_stage=Stage.HM_REVIEW, actor=recruiter
            )
            outcomes.append("moved")
        except ValidationError as error:
            outcomes.append(f"refused: {sorted(error.message_dict)}")
        finally:
            connection.close()

    threads = [threading.Thread(target=move, args=(person,)) for person in (world.recruiter, world.sourcer)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["moved", "refused: ['stage']"]
    assert list(submission.stage_changes.values_list("from_stage", "to_stage")) == [(Stage.SUBMITTED, Stage.HM_REVIEW)]


def test_the_open_submissions_index_covers_exactly_the_open_stages():
    # "What waits on the client" reads this partial index; a stage added to OPEN_STAGES but not
    # to the index would silently drop those candidates from the index-only plan.
    [index] = [index for index in Submission._meta.indexes if index.name == "submission_open_by_req_idx"]
    (lookup, stages) = index.condition.children[0]
    assert lookup == "stage__in"
    assert set(stages) == set(Submission.OPEN_STAGES)
