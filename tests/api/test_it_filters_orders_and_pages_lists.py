"""Filters (?status=, ?engagement=, ?requisition=, ?stage=, ?mine=1 ...), ordering and pagination,
and a 400 (never a 500) for values that make no sense."""

import pytest

from engagements.models import Candidate, Requisition, Submission

from .. import factories


def _ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_requisitions_filter_by_engagement_status_and_hiring_manager(pipeline, client_for):
    world = pipeline.world
    world.other_requisition.status = Requisition.Status.ON_HOLD
    world.other_requisition.save(update_fields=["status"])
    client = client_for(world.provider_admin)
    url = "/api/v1/requisitions/"
    assert set(_ids(client.get(url, {"engagement": world.acme_engagement.pk}))) == {
        world.requisition.pk,
        world.other_requisition.pk,
    }
    assert _ids(client.get(url, {"status": "on_hold"})) == [world.other_requisition.pk]
    assert set(_ids(client.get(url, {"status": ["on_hold", "open"]}))) == {r.pk for r in pipeline.requisitions.values()}
    assert _ids(client.get(url, {"hiring_manager": world.globex_hiring_manager.pk})) == [world.globex_requisition.pk]


def test_mine_means_assigned_to_me_or_i_am_the_hiring_manager(pipeline, client_for):
    world = pipeline.world
    acme1, acme2 = world.requisition.pk, world.other_requisition.pk
    for persona, expected in [
        ("recruiter", {acme1}),
        ("sourcer", {acme1}),
        ("account_manager", set()),
        ("hiring_manager", {acme1}),
        ("client_admin", set()),
    ]:
        client = client_for(getattr(world, persona))
        assert set(_ids(client.get("/api/v1/requisitions/", {"mine": "1"}))) == expected, persona
        assert set(_ids(client.get("/api/v1/requisitions/", {"mine": "true"}))) == expected, persona
    everything = set(_ids(client_for(world.recruiter).get("/api/v1/requisitions/", {"mine": "0"})))
    assert everything == {acme1, acme2}

    recruiter = client_for(world.recruiter)
    assert _ids(recruiter.get("/api/v1/submissions/", {"mine": 1})) == [pipeline.submissions["acme1"].pk]
    assert _ids(recruiter.get("/api/v1/interviews/", {"mine": 1})) == [pipeline.interviews["acme1"].pk]
    assert set(_ids(recruiter.get("/api/v1/assignments/", {"mine": 1}))) == {pipeline.assignments["acme1_rita"].pk}
    assert _ids(recruiter.get("/api/v1/engagements/", {"mine": 1})) == [world.acme_engagement.pk]
    # The account manager manages the Acme engagement: it is theirs even without an assignment.
    assert _ids(client_for(world.account_manager).get("/api/v1/engagements/", {"mine": 1})) == [
        world.acme_engagement.pk
    ]
    # A hiring manager's interviews: their requisitions' and the panels they sit on.
    assert set(_ids(client_for(world.hiring_manager).get("/api/v1/interviews/", {"mine": 1}))) == {
        pipeline.interviews["acme1"].pk,
        pipeline.interviews["acme2"].pk,
    }


def test_mine_never_shows_more_than_the_user_may_see(pipeline, client_for):
    world = pipeline.world
    # An assignment on a Globex requisition does not open Globex to a recruiter... it does, by the
    # rules (assigned staff see the engagement); but "mine" never adds what the plain list lacks.
    for persona in ("idle_recruiter", "globex_admin", "other_hiring_manager"):
        client = client_for(getattr(world, persona))
        for route in ("engagements", "requisitions", "submissions", "interviews", "assignments"):
            mine = set(_ids(client.get(f"/api/v1/{route}/", {"mine": 1})))
            assert mine <= set(_ids(client.get(f"/api/v1/{route}/"))), (persona, route)


def test_submissions_filter_by_stage_requisition_engagement_and_candidate(pipeline, client_for):
    world = pipeline.world
    hired = factories.SubmissionFactory(requisition=world.requisition, stage=Submission.Stage.HIRED)
    client = client_for(world.provider_admin)
    url = "/api/v1/submissions/"
    assert _ids(client.get(url, {"stage": "hired"})) == [hired.pk]
    assert set(_ids(client.get(url, {"requisition": world.requisition.pk}))) == {
        hired.pk,
        pipeline.submissions["acme1"].pk,
    }
    assert _ids(client.get(url, {"engagement": world.globex_engagement.pk})) == [pipeline.submissions["glx1"].pk]
    assert _ids(client.get(url, {"candidate": hired.candidate_id})) == [hired.pk]
    # Another tenant's id in a filter finds nothing (and says nothing).
    assert _ids(client_for(world.client_admin).get(url, {"requisition": world.globex_requisition.pk})) == []


def test_other_list_filters(pipeline, client_for):
    world = pipeline.world
    client = client_for(world.provider_admin)
    interview = pipeline.interviews["acme1"]
    assert _ids(client.get("/api/v1/interviews/", {"submission": interview.submission_id})) == [interview.pk]
    assert _ids(client.get("/api/v1/interviews/", {"status": "completed"})) == []
    assert len(_ids(client.get("/api/v1/interviews/", {"starts_after": "2000-01-01T00:00:00Z"}))) == 3
    assert _ids(client.get("/api/v1/interviews/", {"starts_before": "2000-01-01T00:00:00Z"})) == []
    candidate = pipeline.candidates["acme1"]
    assert _ids(client.get("/api/v1/candidates/", {"email": candidate.email.upper()})) == [candidate.pk]
    assert set(_ids(client.get("/api/v1/candidates/", {"engagement": world.globex_engagement.pk}))) == {
        pipeline.candidates["glx1"].pk,
        pipeline.candidates["globex_bench"].pk,
    }
    assert _ids(client.get("/api/v1/engagements/", {"client": world.globex.pk})) == [world.globex_engagement.pk]
    assert _ids(client.get("/api/v1/engagements/", {"status": "ended"})) == []
    assert _ids(client.get("/api/v1/assignments/", {"role": "sourcer"})) == [pipeline.assignments["acme1_sam"].pk]
    assert _ids(client.get("/api/v1/out-of-office/", {"user": world.recruiter.pk})) == [
        pipeline.absences["recruiter"].pk
    ]
    assert set(_ids(client.get("/api/v1/users/", {"role": "client_admin"}))) == {
        world.client_admin.pk,
        world.globex_admin.pk,
    }


@pytest.mark.parametrize(
    ("route", "query", "field"),
    [
        ("engagements", {"status": "dormant"}, "status"),
        ("engagements", {"client": "acme"}, "client"),
        ("requisitions", {"engagement": "1.5"}, "engagement"),
        ("requisitions", {"priority": "asap"}, "priority"),
        ("requisitions", {"hiring_manager": "me"}, "hiring_manager"),
        ("assignments", {"role": "boss"}, "role"),
        ("assignments", {"requisition": "x"}, "requisition"),
        ("candidates", {"engagement": "[]"}, "engagement"),
        ("submissions", {"stage": "promoted"}, "stage"),
        ("submissions", {"requisition": "abc"}, "requisition"),
        ("interviews", {"starts_after": "next week"}, "starts_after"),
        ("interviews", {"status": "maybe"}, "status"),
        ("out-of-office", {"user": "rita"}, "user"),
        ("users", {"role": "ceo"}, "role"),
        ("feedback-requests", {"status": "late"}, "status"),
        ("feedback-requests", {"kind": "phone_screen"}, "kind"),
        ("feedback-requests", {"engagement": "acme"}, "engagement"),
        ("feedback-requests", {"requisition": "1.5"}, "requisition"),
        ("feedback-requests", {"requested_of": "me"}, "requested_of"),
        ("availability-requests", {"status": "booked"}, "status"),
        ("availability-requests", {"submission": "[]"}, "submission"),
    ],
)
def test_invalid_filter_values_are_400(pipeline, client_for, route, query, field):
    response = client_for(pipeline.world.provider_admin).get(f"/api/v1/{route}/", query)
    assert response.status_code == 400
    assert response.json()[field]


@pytest.mark.parametrize(
    "query",
    [
        {"requisition": "99999999999999999999999"},
        {"engagement": "-5"},
        {"mine": "perhaps"},
        {"ordering": "candidate__email,-nonsense"},
        {"page_size": "many"},
        {"page_size": "0"},
        {"stage": "\x00"},
    ],
)
def test_odd_but_harmless_queries_do_not_fail(pipeline, client_for, query):
    response = client_for(pipeline.world.provider_admin).get("/api/v1/submissions/", query)
    assert response.status_code in (200, 400)


def test_null_characters_are_refused_before_they_reach_the_database(pipeline, client_for):
    # PostgreSQL cannot store or compare NUL characters; they must be a 400, not a driver error.
    client = client_for(pipeline.world.recruiter)
    assert client.get("/api/v1/candidates/", {"email": "a\x00@b.example"}).status_code == 400
    response = client.post(
        "/api/v1/candidates/",
        {"engagement": pipeline.world.acme_engagement.pk, "full_name": "Nul\x00Name", "source": "\x00"},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"full_name", "source"}
    response = client.post("/api/v1/auth/token/", {"email": "rita@tb.example", "password": "\x00"}, format="json")
    assert response.status_code == 400


def test_ordering_uses_only_the_listed_fields(pipeline, client_for):
    client = client_for(pipeline.world.provider_admin)
    codes = [row["code"] for row in client.get("/api/v1/requisitions/", {"ordering": "-code"}).json()["results"]]
    assert codes == ["GLX-1", "ACME-2", "ACME-1"]
    codes = [row["code"] for row in client.get("/api/v1/requisitions/", {"ordering": "code"}).json()["results"]]
    assert codes == ["ACME-1", "ACME-2", "GLX-1"]
    # Not an ordering field: ignored, the default order applies.
    response = client.get("/api/v1/requisitions/", {"ordering": "hiring_manager__password"})
    assert response.status_code == 200
    names = [row["candidate_name"] for row in client.get("/api/v1/submissions/", {"ordering": "id"}).json()["results"]]
    assert names == ["Candidate acme1", "Candidate acme2", "Candidate glx1"]


def test_pages_are_50_by_default_and_page_size_goes_up_to_200(world, client_for):
    Candidate.objects.bulk_create(
        Candidate(engagement=world.acme_engagement, full_name=f"Person {n:03d}", email=f"p{n}@mail.example")
        for n in range(205)
    )
    client = client_for(world.recruiter)
    body = client.get("/api/v1/candidates/").json()
    assert body["count"] == 205
    assert len(body["results"]) == 50
    assert body["next"].endswith("page=2")
    assert len(client.get("/api/v1/candidates/", {"page_size": 7}).json()["results"]) == 7
    assert len(client.get("/api/v1/candidates/", {"page_size": 1000}).json()["results"]) == 200
    last = client.get("/api/v1/candidates/", {"page_size": 200, "page": 2}).json()
    assert [row["full_name"] for row in last["results"]] == [f"Person {n:03d}" for n in range(200, 205)]
    assert client.get("/api/v1/candidates/", {"page": 99}).status_code == 404
