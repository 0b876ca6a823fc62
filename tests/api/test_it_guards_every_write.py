"""Every write endpoint, generated from one table: the roles allowed succeed, the others get 403,
people who cannot see the target get 404 (id in the URL) or 400 "does not exist" (id in the
body), and bad input gets 400 with a message on the field at fault."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Organization, OutOfOffice
from engagements.local_dates import engagement_today
from engagements.models import Assignment, Candidate, Engagement, Interview, Requisition, Submission
from feedback.models import RequestStatus
from feedback.services import availability_book

from .. import factories

PROVIDER_PIPELINE = ("provider_admin", "account_manager", "recruiter", "sourcer")


def _later(hours: int) -> str:
    return (timezone.now() + timedelta(days=3, hours=hours)).isoformat()


def _new_client(p):
    return factories.OrganizationFactory(name="Initech").pk


def _backup_for(p, user):
    return (p.world.sourcer if user == p.world.idle_recruiter else p.world.idle_recruiter).pk


@dataclass(frozen=True)
class Write:
    name: str
    method: str
    url: object  # (pipeline) -> str
    body: object  # (pipeline, acting user) -> dict
    allowed: tuple = ()
    forbidden: tuple = ()
    hidden: tuple = ()  # cannot see the target: 404, or 400 on ``hidden_field`` when it is named in the body
    hidden_field: str | None = None
    success: int = 200


WRITES = [
    Write(
        "engagement-create",
        "post",
        lambda p: "/api/v1/engagements/",
        lambda p, user: {"name": "Initech partnership", "client": _new_client(p), "resume_feedback_due_hours": 16},
        allowed=("provider_admin",),
        forbidden=("account_manager", "recruiter", "sourcer", "hiring_manager", "client_admin", "globex_admin"),
        success=201,
    ),
    Write(
        "engagement-update",
        "patch",
        lambda p: f"/api/v1/engagements/{p.world.acme_engagement.pk}/",
        lambda p, user: {
            "status": "paused",
            "resume_feedback_due_hours": 16,
            "account_managers": [p.world.account_manager.pk],
        },
        allowed=("provider_admin", "account_manager"),
        forbidden=("recruiter", "sourcer", "hiring_manager", "client_admin"),
        hidden=("globex_admin", "globex_recruiter", "idle_recruiter"),
    ),
    Write(
        "requisition-create",
        "post",
        lambda p: "/api/v1/requisitions/",
        lambda p, user: {
            "engagement": p.world.acme_engagement.pk,
            "code": "ACME-9",
            "title": "Data engineer",
            "hiring_manager": p.world.hiring_manager.pk,
            "openings": 2,
        },
        allowed=("provider_admin", "account_manager", "recruiter", "client_admin"),
        forbidden=("sourcer", "hiring_manager"),
        hidden=("globex_admin", "globex_recruiter", "idle_recruiter"),
        hidden_field="engagement",
        success=201,
    ),
    Write(
        "requisition-update",
        "patch",
        lambda p: f"/api/v1/requisitions/{p.requisitions['acme1'].pk}/",
        lambda p, user: {"priority": "high", "openings": 3},
        allowed=("provider_admin", "account_manager", "recruiter", "client_admin"),
        forbidden=("sourcer", "hiring_manager"),
        hidden=("other_hiring_manager", "globex_admin", "idle_recruiter"),
    ),
    Write(
        "assignment-create",
        "post",
        lambda p: "/api/v1/assignments/",
        lambda p, user: {
            "requisition": p.requisitions["acme2"].pk,
            "recruiter": p.world.idle_recruiter.pk,
            "role": "backup",
        },
        allowed=("provider_admin", "account_manager"),
        forbidden=("recruiter", "sourcer", "client_admin", "other_hiring_manager"),
        hidden=("hiring_manager", "globex_admin", "globex_recruiter", "idle_recruiter"),
        hidden_field="requisition",
        success=201,
    ),
    Write(
        "assignment-end",
        "post",
        lambda p: f"/api/v1/assignments/{p.assignments['acme1_rita'].pk}/end/",
        lambda p, user: {"ends_on": engagement_today(p.world.acme_engagement).isoformat()},
        allowed=("provider_admin", "account_manager"),
        forbidden=("recruiter", "sourcer", "client_admin", "hiring_manager"),
        hidden=("other_hiring_manager", "globex_admin", "idle_recruiter"),
    ),
    Write(
        "candidate-create",
        "post",
        lambda p: "/api/v1/candidates/",
        lambda p, user: {
            "engagement": p.world.acme_engagement.pk,
            "full_name": "Nia Long",
            "email": "nia@mail.example",
        },
        allowed=PROVIDER_PIPELINE,
        forbidden=("client_admin", "hiring_manager"),
        hidden=("globex_admin", "globex_recruiter", "idle_recruiter"),
        hidden_field="engagement",
        success=201,
    ),
    Write(
        "candidate-update",
        "patch",
        lambda p: f"/api/v1/candidates/{p.candidates['acme_bench'].pk}/",
        lambda p, user: {"current_title": "Staff engineer"},
        allowed=PROVIDER_PIPELINE,
        # Client users see only candidates submitted to them: the bench is hidden.
        hidden=("client_admin", "hiring_manager", "globex_admin", "idle_recruiter"),
    ),
    Write(
        "candidate-erase",
        "delete",
        lambda p: f"/api/v1/candidates/{p.candidates['acme1'].pk}/",
        lambda p, user: None,
        allowed=("provider_admin", "account_manager"),
        forbidden=("recruiter", "sourcer", "hiring_manager", "client_admin"),
        hidden=("other_hiring_manager", "globex_admin", "globex_recruiter", "idle_recruiter"),
        success=204,
    ),
    Write(
        "submission-create",
        "post",
        lambda p: "/api/v1/submissions/",
        lambda p, user: {
            "requisition": p.requisitions["acme1"].pk,
            "candidate": p.candidates["acme_bench"].pk,
            "summary": "Ten years of Django.",
        },
        allowed=PROVIDER_PIPELINE,
        # The hiring manager cannot even see the bench candidate: still 403, not "does not exist".
        forbidden=("client_admin", "hiring_manager"),
        hidden=("other_hiring_manager", "globex_admin", "globex_recruiter", "idle_recruiter"),
        hidden_field="requisition",
        success=201,
    ),
    Write(
        "submission-stage",
        "post",
        lambda p: f"/api/v1/submissions/{p.submissions['acme1'].pk}/stage/",
        lambda p, user: {"stage": "offer", "note": "Strong panel feedback."},
        allowed=PROVIDER_PIPELINE,
        forbidden=("client_admin", "hiring_manager"),
        hidden=("other_hiring_manager", "globex_admin", "idle_recruiter"),
    ),
    Write(
        "interview-create",
        "post",
        lambda p: "/api/v1/interviews/",
        lambda p, user: {
            "submission": p.submissions["acme1"].pk,
            "starts_at": _later(0),
            "ends_at": _later(1),
            "location": "Room 4",
        },
        allowed=PROVIDER_PIPELINE,
        forbidden=("client_admin", "hiring_manager"),
        hidden=("other_hiring_manager", "globex_admin", "globex_recruiter", "idle_recruiter"),
        hidden_field="submission",
        success=201,
    ),
    Write(
        "interview-update",
        "patch",
        lambda p: f"/api/v1/interviews/{p.interviews['acme1'].pk}/",
        lambda p, user: {"location": "Video call", "interviewers": [p.world.hiring_manager.pk, p.world.recruiter.pk]},
        allowed=PROVIDER_PIPELINE,
        forbidden=("client_admin", "hiring_manager"),
        hidden=("other_hiring_manager", "globex_admin", "idle_recruiter"),
    ),
    Write(
        "interview-status",
        "post",
        lambda p: f"/api/v1/interviews/{p.interviews['acme1'].pk}/status/",
        lambda p, user: {"status": "cancelled"},
        allowed=PROVIDER_PIPELINE,
        forbidden=("client_admin", "hiring_manager"),
        hidden=("other_hiring_manager", "globex_admin", "idle_recruiter"),
    ),
    Write(
        "feedback-request-respond",
        "post",
        lambda p: f"/api/v1/feedback-requests/{p.feedback_requests['acme1'].pk}/respond/",
        lambda p, user: {
            "decision": "advance",
            "rating": 4,
            "reasons": ["skills_match"],
            "comments": "Strong on Django.",
        },
        # Only the person asked answers; colleagues who can see the request may not answer for them.
        allowed=("hiring_manager",),
        forbidden=("provider_admin", "account_manager", "recruiter", "sourcer", "client_admin"),
        hidden=("other_hiring_manager", "globex_admin", "globex_hiring_manager", "idle_recruiter"),
        success=201,
    ),
    Write(
        "availability-request-slots",
        "post",
        lambda p: f"/api/v1/availability-requests/{p.availability_requests['acme1'].pk}/slots/",
        lambda p, user: {
            "slots": [{"starts_at": _later(0), "ends_at": _later(1)}, {"starts_at": _later(24), "ends_at": _later(25)}]
        },
        allowed=("hiring_manager",),
        forbidden=("provider_admin", "account_manager", "recruiter", "sourcer", "client_admin"),
        hidden=("other_hiring_manager", "globex_admin", "globex_hiring_manager", "idle_recruiter"),
        success=201,
    ),
    Write(
        "availability-request-book",
        "post",
        lambda p: f"/api/v1/availability-requests/{p.availability_requests['acme1_offered'].pk}/book/",
        lambda p, user: {"slot": p.slots["acme1_offered"][0].pk, "location": "Video call"},
        allowed=PROVIDER_PIPELINE,
        forbidden=("hiring_manager", "client_admin"),
        hidden=("other_hiring_manager", "globex_admin", "globex_recruiter", "idle_recruiter"),
        success=201,
    ),
    Write(
        "out-of-office-create",
        "post",
        lambda p: "/api/v1/out-of-office/",
        lambda p, user: {"starts_at": _later(0), "ends_at": _later(48), "backup": _backup_for(p, user)},
        allowed=(*PROVIDER_PIPELINE, "idle_recruiter", "globex_recruiter"),
        forbidden=("hiring_manager", "client_admin", "globex_admin"),
        success=201,
    ),
    Write(
        "out-of-office-update",
        "patch",
        lambda p: f"/api/v1/out-of-office/{p.absences['recruiter'].pk}/",
        lambda p, user: {"note": "Back on Friday.", "backup": p.world.idle_recruiter.pk},
        allowed=("recruiter", "account_manager", "provider_admin"),
        forbidden=("sourcer", "idle_recruiter", "hiring_manager", "client_admin"),
    ),
    Write(
        "out-of-office-delete",
        "delete",
        lambda p: f"/api/v1/out-of-office/{p.absences['recruiter'].pk}/",
        lambda p, user: None,
        allowed=("recruiter", "account_manager", "provider_admin"),
        forbidden=("sourcer", "idle_recruiter", "hiring_manager"),
        success=204,
    ),
]
WRITES_BY_NAME = {write.name: write for write in WRITES}


def _cases():
    for write in WRITES:
        for persona in write.allowed:
            yield pytest.param(write, persona, "allowed", id=f"{write.name}-{persona}-allowed")
        for persona in write.forbidden:
            yield pytest.param(write, persona, "forbidden", id=f"{write.name}-{persona}-forbidden")
        for persona in write.hidden:
            yield pytest.param(write, persona, "hidden", id=f"{write.name}-{persona}-hidden")


def _send(client, method, url, body):
    return getattr(client, method)(url, body, format="json") if body is not None else getattr(client, method)(url)


@pytest.mark.parametrize(("write", "persona", "outcome"), list(_cases()))
def test_write_is_allowed_forbidden_or_hidden_by_role(pipeline, client_for, write, persona, outcome):
    user = pipeline.persona(persona)
    response = _send(client_for(user), write.method, write.url(pipeline), write.body(pipeline, user))
    if outcome == "allowed":
        assert response.status_code == write.success, response.content
        if write.success != 204:
            assert "id" in response.json()
    elif outcome == "forbidden":
        assert response.status_code == 403, response.content
        assert response.json()["detail"]
    elif write.hidden_field:
        assert response.status_code == 400, response.content
        assert "does not exist" in response.json()[write.hidden_field][0]
    else:
        assert response.status_code == 404, response.content


def test_allowed_writes_do_what_they_say(pipeline, client_for):
    world = pipeline.world
    recruiter = client_for(world.recruiter)

    response = recruiter.post(
        "/api/v1/submissions/",
        {"requisition": world.requisition.pk, "candidate": pipeline.candidates["acme_bench"].pk},
        format="json",
    )
    submission = Submission.objects.get(pk=response.json()["id"])
    assert submission.submitted_by == world.recruiter
    assert submission.candidate == pipeline.candidates["acme_bench"]
    assert response.json()["candidate_name"] == submission.candidate.full_name

    response = client_for(world.account_manager).post(
        f"/api/v1/assignments/{pipeline.assignments['acme1_rita'].pk}/end/", {}, format="json"
    )
    # the engagement's today, not the server's: they differ between UTC midnight and New York's
    assert response.json()["ends_on"] == engagement_today(world.acme_engagement).isoformat()

    response = client_for(world.provider_admin).post(
        "/api/v1/engagements/",
        {
            "name": "Initech partnership",
            "client": _new_client(pipeline),
            "account_managers": [world.account_manager.pk],
        },
        format="json",
    )
    engagement = Engagement.objects.get(pk=response.json()["id"])
    assert engagement.provider == world.provider
    assert list(engagement.account_managers.all()) == [world.account_manager]
    assert response.json()["client_name"] == "Initech"

    interview = pipeline.interviews["acme1"]
    response = recruiter.patch(
        f"/api/v1/interviews/{interview.pk}/", {"interviewers": [world.other_hiring_manager.pk]}, format="json"
    )
    assert response.json()["interviewers"] == [world.other_hiring_manager.pk]
    assert list(interview.interviewers.all()) == [world.other_hiring_manager]

    response = recruiter.post(f"/api/v1/interviews/{interview.pk}/status/", {"status": "cancelled"}, format="json")
    interview.refresh_from_db()
    assert interview.status == Interview.Status.CANCELLED

    absence = pipeline.absences["recruiter"]
    assert recruiter.delete(f"/api/v1/out-of-office/{absence.pk}/").status_code == 204
    assert not OutOfOffice.objects.filter(pk=absence.pk).exists()


def test_out_of_office_of_another_provider_is_invisible(pipeline, client_for):
    other_absence = factories.OutOfOfficeFactory()  # staff of another provider
    client = client_for(pipeline.world.recruiter)
    assert client.get(f"/api/v1/out-of-office/{other_absence.pk}/").status_code == 404
    assert client.patch(f"/api/v1/out-of-office/{other_absence.pk}/", {"note": "x"}, format="json").status_code == 404
    assert client.delete(f"/api/v1/out-of-office/{other_absence.pk}/").status_code == 404
    response = client.post(
        "/api/v1/out-of-office/",
        {"starts_at": _later(0), "ends_at": _later(5), "backup": other_absence.backup.pk},
        format="json",
    )
    assert response.status_code == 400
    assert "does not exist" in response.json()["backup"][0]


def test_a_manager_sets_out_of_office_for_a_colleague_but_a_recruiter_cannot(pipeline, client_for):
    world = pipeline.world
    body = {"user": world.sourcer.pk, "backup": world.recruiter.pk, "starts_at": _later(0), "ends_at": _later(9)}
    assert client_for(world.idle_recruiter).post("/api/v1/out-of-office/", body, format="json").status_code == 403
    response = client_for(world.account_manager).post("/api/v1/out-of-office/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["user"] == world.sourcer.pk


def test_deleting_is_not_offered_except_for_out_of_office(pipeline, client_for):
    """(A candidate's DELETE erases their personal data: candidate-erase above.)"""
    client = client_for(pipeline.world.provider_admin)
    assert client.put(f"/api/v1/candidates/{pipeline.candidates['acme1'].pk}/", {}, format="json").status_code == 405
    targets = {
        "engagements": pipeline.world.acme_engagement,
        "requisitions": pipeline.requisitions["acme1"],
        "assignments": pipeline.assignments["acme1_rita"],
        "submissions": pipeline.submissions["acme1"],
        "interviews": pipeline.interviews["acme1"],
        "users": pipeline.world.recruiter,
        "feedback-requests": pipeline.feedback_requests["acme1"],
        "availability-requests": pipeline.availability_requests["acme1"],
    }
    for route, obj in targets.items():
        assert client.delete(f"/api/v1/{route}/{obj.pk}/").status_code == 405, route
        assert client.put(f"/api/v1/{route}/{obj.pk}/", {}, format="json").status_code == 405, route
    assert Requisition.objects.filter(pk=pipeline.requisitions["acme1"].pk).exists()


# --- Bad input ------------------------------------------------------------------------------------


def _submitted_submission(p):
    return factories.SubmissionFactory(requisition=p.requisitions["acme1"], stage=Submission.Stage.SUBMITTED).pk


def _answered(request) -> None:
    request.status, request.answered_at = RequestStatus.ANSWERED, timezone.now()
    request.save(update_fields=["status", "answered_at"])
    type(request.ladder).objects.filter(pk=request.pk).update(next_step_at=None)


def _cancelled(request) -> None:
    request.status, request.cancelled_at = RequestStatus.CANCELLED, timezone.now()
    request.save(update_fields=["status", "cancelled_at"])
    type(request.ladder).objects.filter(pk=request.pk).update(next_step_at=None)


def _past_slot(request):
    start = timezone.now() - timedelta(hours=2)
    return factories.AvailabilitySlotFactory(request=request, starts_at=start, ends_at=start + timedelta(hours=1))


def _booked(p, request) -> None:
    availability_book(slot=p.slots["acme1_offered"][1], actor=p.world.recruiter)


def _valid(name, p, user, **changes):
    return {**WRITES_BY_NAME[name].body(p, user), **changes}


BAD_INPUT = [
    ("engagement-create", "provider_admin", lambda p, u: {}, {"name", "client"}),
    ("engagement-create", "provider_admin", lambda p, u: {"name": "X", "client": p.world.provider.pk}, {"client"}),
    (
        "engagement-create",
        "provider_admin",
        lambda p, u: {"name": "X" * 201, "client": "abc", "status": "bogus", "time_zone": "Mars/Olympus"},
        {"name", "client", "status", "time_zone"},
    ),
    (
        "engagement-create",
        "provider_admin",
        lambda p, u: _valid(
            "engagement-create", p, u, resume_feedback_due_hours=0, business_weekdays="1123", business_day_start="25:00"
        ),
        {"resume_feedback_due_hours", "business_weekdays", "business_day_start"},
    ),
    (
        "engagement-create",
        "provider_admin",
        lambda p, u: _valid("engagement-create", p, u, account_managers=[p.world.hiring_manager.pk]),
        {"account_managers"},
    ),
    (
        "engagement-create",
        "provider_admin",
        lambda p, u: _valid("engagement-create", p, u, client=10**30),
        {"client"},
    ),
    (
        "engagement-update",
        "account_manager",
        lambda p, u: {"escalation_contact": p.world.recruiter.pk},
        {"escalation_contact"},
    ),
    ("engagement-update", "account_manager", lambda p, u: {"business_day_start": "18:00"}, {"business_day_end"}),
    (
        "engagement-update",
        "provider_admin",
        lambda p, u: {"account_managers": str(p.world.account_manager.pk), "started_on": "yesterday"},
        {"account_managers", "started_on"},
    ),
    (
        "requisition-create",
        "recruiter",
        lambda p, u: {"engagement": p.world.acme_engagement.pk},
        {"code", "title", "hiring_manager"},
    ),
    (
        "requisition-create",
        "recruiter",
        lambda p, u: _valid("requisition-create", p, u, hiring_manager=p.world.globex_hiring_manager.pk),
        {"hiring_manager"},
    ),
    (
        "requisition-create",
        "provider_admin",
        lambda p, u: _valid("requisition-create", p, u, hiring_manager=p.world.globex_hiring_manager.pk),
        {"hiring_manager"},
    ),
    ("requisition-create", "recruiter", lambda p, u: _valid("requisition-create", p, u, code="ACME-1"), {"code"}),
    (
        "requisition-create",
        "recruiter",
        lambda p, u: _valid("requisition-create", p, u, openings=0, priority="asap", title=""),
        {"openings", "priority", "title"},
    ),
    (
        "requisition-create",
        "client_admin",
        lambda p, u: _valid("requisition-create", p, u, opened_on="2025-03-01", target_on="2025-01-01"),
        {"target_on"},
    ),
    (
        "requisition-update",
        "client_admin",
        lambda p, u: {"openings": "many", "status": "closed"},
        {"openings", "status"},
    ),
    (
        "requisition-update",
        "client_admin",
        lambda p, u: {"hiring_manager": p.world.globex_hiring_manager.pk},
        {"hiring_manager"},
    ),
    ("requisition-update", "recruiter", lambda p, u: {"openings": 10**20, "code": ""}, {"openings", "code"}),
    (
        "assignment-create",
        "account_manager",
        lambda p, u: _valid("assignment-create", p, u, recruiter=p.world.hiring_manager.pk),
        {"recruiter"},
    ),
    (
        "assignment-create",
        "account_manager",
        lambda p, u: _valid("assignment-create", p, u, requisition=p.requisitions["acme1"].pk, role="primary"),
        {"role"},
    ),
    (
        "assignment-create",
        "account_manager",
        lambda p, u: _valid("assignment-create", p, u, role="lead", starts_on="soon"),
        {"role", "starts_on"},
    ),
    ("assignment-end", "account_manager", lambda p, u: {"ends_on": "2000-01-01"}, {"ends_on"}),
    ("assignment-end", "account_manager", lambda p, u: {"ends_on": "tomorrow-ish"}, {"ends_on"}),
    ("candidate-create", "recruiter", lambda p, u: {"engagement": p.world.acme_engagement.pk}, {"full_name"}),
    (
        "candidate-create",
        "recruiter",
        lambda p, u: _valid("candidate-create", p, u, email="not-an-email", phone="1" * 41),
        {"email", "phone"},
    ),
    (
        "candidate-create",
        "recruiter",
        lambda p, u: _valid("candidate-create", p, u, email=p.candidates["acme1"].email.upper()),
        {"email"},
    ),
    ("candidate-update", "sourcer", lambda p, u: {"email": "nope", "full_name": ""}, {"email", "full_name"}),
    (
        "submission-create",
        "provider_admin",
        lambda p, u: _valid("submission-create", p, u, candidate=p.candidates["globex_bench"].pk),
        {"candidate"},
    ),
    (
        "submission-create",
        "recruiter",
        lambda p, u: _valid("submission-create", p, u, candidate=p.candidates["globex_bench"].pk),
        {"candidate"},
    ),
    (
        "submission-create",
        "recruiter",
        lambda p, u: _valid("submission-create", p, u, candidate=p.candidates["acme1"].pk),
        {"candidate"},
    ),
    ("submission-create", "recruiter", lambda p, u: _valid("submission-create", p, u, summary="x" * 5001), {"summary"}),
    (
        "submission-create",
        "recruiter",
        lambda p, u: {"requisition": "one", "candidate": None},
        {"requisition", "candidate"},
    ),
    (
        "submission-create",
        "recruiter",
        lambda p, u: {"requisition": True, "candidate": 1.5},
        {"requisition", "candidate"},
    ),
    ("submission-stage", "recruiter", lambda p, u: {"stage": "bogus"}, {"stage"}),
    ("submission-stage", "recruiter", lambda p, u: {"stage": "submitted"}, {"stage"}),
    ("submission-stage", "recruiter", lambda p, u: {"stage": "offer", "note": "x" * 501}, {"note"}),
    ("submission-stage", "recruiter", lambda p, u: {}, {"stage"}),
    (
        "interview-create",
        "recruiter",
        lambda p, u: _valid("interview-create", p, u, starts_at="2030-01-01T10:00:00"),
        {"starts_at"},
    ),
    (
        "interview-create",
        "recruiter",
        lambda p, u: _valid("interview-create", p, u, starts_at="next tuesday", ends_at=12),
        {"starts_at", "ends_at"},
    ),
    ("interview-create", "recruiter", lambda p, u: _valid("interview-create", p, u, ends_at=_later(-2)), {"ends_at"}),
    (
        "interview-create",
        "recruiter",
        lambda p, u: _valid("interview-create", p, u, interviewers=[p.world.globex_hiring_manager.pk]),
        {"interviewers"},
    ),
    (
        "interview-create",
        "provider_admin",
        lambda p, u: _valid("interview-create", p, u, interviewers=[p.world.globex_hiring_manager.pk]),
        {"interviewers"},
    ),
    (
        "interview-create",
        "recruiter",
        lambda p, u: _valid("interview-create", p, u, interviewers=str(p.world.hiring_manager.pk), location="x" * 301),
        {"interviewers", "location"},
    ),
    (
        "interview-create",
        "recruiter",
        lambda p, u: _valid("interview-create", p, u, submission=_submitted_submission(p)),
        {"submission"},
    ),
    ("interview-update", "recruiter", lambda p, u: {"starts_at": "2030-01-01T10:00:00"}, {"starts_at"}),
    (
        "interview-update",
        "recruiter",
        lambda p, u: {"ends_at": (timezone.now() + timedelta(hours=1)).isoformat()},
        {"ends_at"},
    ),
    ("interview-status", "recruiter", lambda p, u: {"status": "scheduled"}, {"status"}),
    ("interview-status", "recruiter", lambda p, u: {"status": "completed"}, {"status"}),
    (
        "out-of-office-create",
        "recruiter",
        lambda p, u: _valid("out-of-office-create", p, u, starts_at="2030-01-01T10:00:00"),
        {"starts_at"},
    ),
    (
        "out-of-office-create",
        "recruiter",
        lambda p, u: _valid("out-of-office-create", p, u, backup=p.world.recruiter.pk),
        {"backup"},
    ),
    (
        "out-of-office-create",
        "recruiter",
        lambda p, u: _valid("out-of-office-create", p, u, backup=p.world.hiring_manager.pk),
        {"backup"},
    ),
    (
        "out-of-office-create",
        "recruiter",
        lambda p, u: _valid("out-of-office-create", p, u, ends_at=_later(-1), note="x" * 301),
        {"note"},
    ),
    (
        "out-of-office-create",
        "recruiter",
        lambda p, u: _valid("out-of-office-create", p, u, ends_at=_later(-1)),
        {"ends_at"},
    ),
    ("out-of-office-update", "recruiter", lambda p, u: {"ends_at": "2000-01-01T00:00:00Z"}, {"ends_at"}),
    ("feedback-request-respond", "hiring_manager", lambda p, u: {}, {"decision", "rating"}),
    (
        "feedback-request-respond",
        "hiring_manager",
        lambda p, u: {"decision": "maybe", "rating": 6, "reasons": ["vibes"], "comments": "x" * 5001},
        {"decision", "rating", "reasons", "comments"},
    ),
    (
        "feedback-request-respond",
        "hiring_manager",
        lambda p, u: {"decision": "hold", "rating": "four", "reasons": "skills_match", "comments": None},
        {"rating", "reasons", "comments"},
    ),
    (
        "feedback-request-respond",
        "hiring_manager",
        lambda p, u: {"decision": ["advance"], "rating": True, "reasons": [1], "comments": "Nul\x00"},
        {"decision", "rating", "reasons", "comments"},
    ),
    ("availability-request-slots", "hiring_manager", lambda p, u: {}, {"slots"}),
    ("availability-request-slots", "hiring_manager", lambda p, u: {"slots": []}, {"slots"}),
    ("availability-request-slots", "hiring_manager", lambda p, u: {"slots": "tomorrow at ten"}, {"slots"}),
    (
        "availability-request-slots",
        "hiring_manager",
        lambda p, u: {"slots": [{"starts_at": "2030-01-01T10:00:00", "ends_at": "2030-01-01T11:00:00+01:00"}]},
        {"slots"},
    ),
    (
        "availability-request-slots",
        "hiring_manager",
        lambda p, u: {"slots": [{"starts_at": _later(0), "ends_at": _later(1)}, {"starts_at": "soon"}, 7]},
        {"slots"},
    ),
    (
        "availability-request-slots",
        "hiring_manager",
        lambda p, u: {"slots": [{"starts_at": _later(2), "ends_at": _later(1)}]},
        {"slots"},
    ),
    (
        "availability-request-slots",
        "hiring_manager",
        lambda p, u: {"slots": [{"starts_at": "2020-01-01T10:00:00Z", "ends_at": "2020-01-01T11:00:00Z"}]},
        {"slots"},
    ),
    (
        "availability-request-slots",
        "hiring_manager",
        lambda p, u: {"slots": [{"starts_at": _later(n), "ends_at": _later(n + 1)} for n in range(0, 42, 2)]},
        {"slots"},
    ),
    ("availability-request-book", "recruiter", lambda p, u: {}, {"slot"}),
    (
        "availability-request-book",
        "recruiter",
        lambda p, u: {"slot": "abc", "location": "x" * 301},
        {"slot", "location"},
    ),
    ("availability-request-book", "recruiter", lambda p, u: {"slot": 10**30}, {"slot"}),
    # A slot offered on another request (here another candidate's) is not one of this request's.
    ("availability-request-book", "recruiter", lambda p, u: {"slot": factories.AvailabilitySlotFactory().pk}, {"slot"}),
    (
        "availability-request-book",
        "recruiter",
        lambda p, u: {"slot": _past_slot(p.availability_requests["acme1_offered"]).pk},
        {"slot"},
    ),
]


@pytest.mark.parametrize(
    ("write_name", "persona", "body", "fields"),
    BAD_INPUT,
    ids=[f"{case[0]}-{'-'.join(sorted(case[3]))}" for case in BAD_INPUT],
)
def test_bad_input_is_400_with_a_message_per_field(pipeline, client_for, write_name, persona, body, fields):
    write = WRITES_BY_NAME[write_name]
    user = pipeline.persona(persona)
    response = _send(client_for(user), write.method, write.url(pipeline), body(pipeline, user))
    assert response.status_code == 400, response.content
    errors = response.json()
    assert set(errors) == fields, errors
    for messages in errors.values():
        assert messages
        assert all(isinstance(message, str) and message for message in messages)


# Acting on a request that is already answered, cancelled or booked: its state refuses the write,
# a 409 with the service's message (the same words as the pages), not a 400 on a field.
CLOSED = [
    (
        "feedback-request-respond",
        "hiring_manager",
        lambda p, u: _answered(p.feedback_requests["acme1"]) or _valid("feedback-request-respond", p, u),
        "This request is already answered.",
    ),
    (
        "feedback-request-respond",
        "hiring_manager",
        lambda p, u: _cancelled(p.feedback_requests["acme1"]) or _valid("feedback-request-respond", p, u),
        "This request is already cancelled.",
    ),
    (
        "availability-request-slots",
        "hiring_manager",
        lambda p, u: _answered(p.availability_requests["acme1"]) or _valid("availability-request-slots", p, u),
        "This request is already answered.",
    ),
    (
        "availability-request-book",
        "provider_admin",
        lambda p, u: _booked(p, p.availability_requests["acme1_offered"]) or _valid("availability-request-book", p, u),
        "An interview is already booked from these slots.",
    ),
]


@pytest.mark.parametrize(("write_name", "persona", "body", "message"), CLOSED, ids=[case[0] for case in CLOSED])
def test_a_write_on_a_closed_request_is_409_with_the_services_message(
    pipeline, client_for, write_name, persona, body, message
):
    write = WRITES_BY_NAME[write_name]
    user = pipeline.persona(persona)
    response = _send(client_for(user), write.method, write.url(pipeline), body(pipeline, user))
    assert response.status_code == 409, response.content
    assert response.json() == {"detail": message}


def test_every_write_endpoint_has_bad_input_cases():
    assert {write.name for write in WRITES if write.method != "delete"} == {case[0] for case in BAD_INPUT}


@pytest.mark.parametrize("write", [w for w in WRITES if w.method != "delete"], ids=lambda w: w.name)
def test_malformed_or_misshapen_bodies_are_400(pipeline, client_for, write):
    client = client_for(pipeline.persona(write.allowed[0]))
    url = write.url(pipeline)
    response = getattr(client, write.method)(url, '{"oops": ', content_type="application/json")
    assert response.status_code == 400
    assert "JSON parse error" in response.json()["detail"]

    response = getattr(client, write.method)(url, [1, 2], format="json")
    assert response.status_code == 400
    assert response.json()["non_field_errors"]

    response = getattr(client, write.method)(url, "plain text", content_type="text/plain")
    assert response.status_code == 415


def test_nothing_is_written_when_a_write_fails(pipeline, client_for):
    counts = [model.objects.count() for model in (Organization, Engagement, Candidate, Submission, Assignment)]
    client = client_for(pipeline.world.recruiter)
    client.post("/api/v1/submissions/", {"requisition": pipeline.requisitions["acme1"].pk}, format="json")
    client.post(
        "/api/v1/candidates/", {"engagement": pipeline.world.acme_engagement.pk, "email": "x@y.example"}, format="json"
    )
    assert counts == [model.objects.count() for model in (Organization, Engagement, Candidate, Submission, Assignment)]
