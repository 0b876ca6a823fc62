"""POST submissions/{id}/stage/: legal moves go through and are kept in the history; illegal ones
are a 400 on ``stage`` that says which moves are allowed, and change nothing."""

import pytest

from engagements.models import Submission, SubmissionStageChange

from .. import factories


@pytest.fixture
def submission(world):
    return factories.SubmissionFactory(requisition=world.requisition, stage=Submission.Stage.SUBMITTED)


def _stage(client, submission, stage, note="", **more):
    return client.post(
        f"/api/v1/submissions/{submission.pk}/stage/", {"stage": stage, "note": note, **more}, format="json"
    )


def test_a_submission_walks_to_hired_and_its_history_grows(world, client_for, submission):
    client = client_for(world.recruiter)
    path = ["hm_review", "interview", "offer", "hired"]
    previous = "submitted"
    for step, stage in enumerate(path, start=1):
        response = _stage(client, submission, stage, note=f"step {step}")
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["stage"] == stage
        # The submission's history starts with its creation by the factory (not through the service).
        assert [change["to_stage"] for change in body["history"]] == path[:step]
        assert body["history"][-1] == {
            "from_stage": previous,
            "to_stage": stage,
            "changed_by": world.recruiter.pk,
            "changed_at": body["stage_changed_at"],
            "note": f"step {step}",
        }
        previous = stage
    submission.refresh_from_db()
    assert submission.stage == Submission.Stage.HIRED
    assert SubmissionStageChange.objects.filter(submission=submission).count() == len(path)

    detail = client.get(f"/api/v1/submissions/{submission.pk}/").json()
    assert [change["to_stage"] for change in detail["history"]] == path


@pytest.mark.parametrize("stage", ["rejected", "withdrawn"])
@pytest.mark.parametrize("start", ["submitted", "hm_review", "interview", "offer"])
def test_any_open_submission_can_be_rejected_or_withdrawn(world, client_for, start, stage):
    submission = factories.SubmissionFactory(requisition=world.requisition, stage=start)
    reason = {"withdrawal_reason": "too_slow"} if stage == "withdrawn" else {}
    response = _stage(client_for(world.sourcer), submission, stage, **reason)
    assert response.status_code == 200, response.content
    assert response.json()["stage"] == stage
    assert response.json()["withdrawal_reason"] == reason.get("withdrawal_reason", "")


def test_a_withdrawal_without_its_reason_is_400_and_changes_nothing(world, client_for, submission):
    client = client_for(world.recruiter)

    missing = _stage(client, submission, "withdrawn")
    blank = _stage(client, submission, "withdrawn", withdrawal_reason="")
    unknown = _stage(client, submission, "withdrawn", withdrawal_reason="bored")
    legacy = _stage(client, submission, "withdrawn", withdrawal_reason="not_recorded")

    assert missing.status_code == blank.status_code == 400
    assert (
        missing.json()
        == blank.json()
        == {"withdrawal_reason": ["Say why the candidate withdrew: the cost of waiting counts it."]}
    )
    assert unknown.status_code == legacy.status_code == 400
    assert "not a valid choice" in unknown.json()["withdrawal_reason"][0]
    assert "not a valid choice" in legacy.json()["withdrawal_reason"][0]
    submission.refresh_from_db()
    assert (submission.stage, submission.withdrawal_reason) == ("submitted", "")
    assert not SubmissionStageChange.objects.filter(submission=submission).exists()


def test_a_reason_goes_only_with_a_withdrawal(world, client_for, submission):
    response = _stage(client_for(world.recruiter), submission, "rejected", withdrawal_reason="other_offer")
    assert response.status_code == 400
    assert response.json() == {"withdrawal_reason": ["A withdrawal reason goes only with a move to withdrawn."]}
    submission.refresh_from_db()
    assert submission.stage == "submitted"


def test_the_reason_is_stored_and_read_back(world, client_for, submission):
    client = client_for(world.recruiter)
    response = _stage(client, submission, "withdrawn", note="Signed elsewhere", withdrawal_reason="other_offer")
    assert response.status_code == 200, response.content
    submission.refresh_from_db()
    assert (submission.stage, submission.withdrawal_reason) == ("withdrawn", "other_offer")

    detail = client.get(f"/api/v1/submissions/{submission.pk}/").json()
    assert detail["withdrawal_reason"] == "other_offer"
    assert detail["history"][-1]["to_stage"] == "withdrawn"
    assert detail["history"][-1]["note"] == "Signed elsewhere"
    listed = client.get("/api/v1/submissions/", {"stage": "withdrawn"}).json()["results"]
    assert [(row["id"], row["withdrawal_reason"]) for row in listed] == [(submission.pk, "other_offer")]


@pytest.mark.parametrize(
    ("start", "target"),
    [
        ("submitted", "interview"),
        ("submitted", "hired"),
        ("hm_review", "submitted"),
        ("interview", "hm_review"),
        ("offer", "offer"),
        ("hired", "rejected"),
        ("rejected", "hm_review"),
        ("withdrawn", "submitted"),
    ],
)
def test_illegal_moves_are_400_on_stage_and_change_nothing(world, client_for, start, target):
    submission = factories.SubmissionFactory(requisition=world.requisition, stage=start)
    response = _stage(client_for(world.recruiter), submission, target)
    assert response.status_code == 400
    message = response.json()["stage"][0]
    assert f"from {start} to {target}" in message
    assert "Allowed:" in message
    submission.refresh_from_db()
    assert submission.stage == start
    assert not SubmissionStageChange.objects.filter(submission=submission).exists()


def test_an_unknown_stage_is_400(world, client_for, submission):
    response = _stage(client_for(world.recruiter), submission, "promoted")
    assert response.status_code == 400
    assert "not a valid choice" in response.json()["stage"][0]


def test_a_hiring_manager_cannot_move_stages_and_another_tenant_cannot_find_it(world, client_for, submission):
    assert _stage(client_for(world.hiring_manager), submission, "hm_review").status_code == 403
    assert _stage(client_for(world.globex_admin), submission, "hm_review").status_code == 404
    submission.refresh_from_db()
    assert submission.stage == Submission.Stage.SUBMITTED


def test_a_submission_created_through_the_api_starts_its_history(world, client_for):
    candidate = factories.CandidateFactory(engagement=world.acme_engagement)
    client = client_for(world.recruiter)
    response = client.post(
        "/api/v1/submissions/",
        {"requisition": world.requisition.pk, "candidate": candidate.pk, "send_to_review": False},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["stage"] == "submitted"
    assert [(c["from_stage"], c["to_stage"]) for c in response.json()["history"]] == [("", "submitted")]
    response = _stage(client, Submission.objects.get(pk=response.json()["id"]), "hm_review")
    assert [(c["from_stage"], c["to_stage"]) for c in response.json()["history"]] == [
        ("", "submitted"),
        ("submitted", "hm_review"),
    ]
