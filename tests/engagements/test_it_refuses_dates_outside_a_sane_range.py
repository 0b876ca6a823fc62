"""Every date or moment a person enters that sets a due or target moment lies within five years of
today: requisition dates, assignment periods, interview times and out-of-office periods. The
services refuse the rest beside the field (rpo_portal.dates), so the API, the pages and the admin
all do.

Issue 13, failure 8: a slot in the year 9999 was accepted (tests/feedback/test_it_refuses_slots_far_away.py
covers the slots); the same held for these dates.
"""

from datetime import UTC, date, datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import OutOfOffice
from accounts.services import out_of_office_create
from engagements.models import Assignment, Interview, Requisition, Submission
from engagements.services import assignment_create, requisition_update
from tests import factories

from .test_admin_saves_through_services import shown

NOW = datetime(2026, 1, 12, 15, 0, tzinfo=UTC)
FAR = {"year 9999": ("9999-12-31", "9999-12-31T10:00:00Z"), "year 1": ("0001-01-01", "0001-01-01T10:00:00+09:00")}
MESSAGE = "Pick a date within 5 years of today (from 12 Jan 2021 to 12 Jan 2031)."


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture(params=sorted(FAR))
def far(request):
    return FAR[request.param]


def test_a_requisition_target_far_away_is_refused(world, client_for, far):
    day, _ = far
    client = client_for(world.account_manager)

    created = client.post(
        "/api/v1/requisitions/",
        {
            "engagement": world.acme_engagement.pk,
            "code": "ACME-9",
            "title": "Data engineer",
            "hiring_manager": world.hiring_manager.pk,
            "target_on": day,
        },
        format="json",
    )
    changed = client.patch(f"/api/v1/requisitions/{world.requisition.pk}/", {"target_on": day}, format="json")

    assert created.status_code == 400
    assert created.json() == {"target_on": [MESSAGE]}
    assert not Requisition.objects.filter(code="ACME-9").exists()
    assert changed.status_code == 400
    assert changed.json() == {"target_on": [MESSAGE]}
    world.requisition.refresh_from_db()
    assert world.requisition.target_on is None


def test_opened_and_filled_dates_are_held_to_the_range_too(world, far):
    day = date.fromisoformat(far[0])
    for field in ("opened_on", "filled_on"):
        with pytest.raises(ValidationError) as refused:
            requisition_update(actor=world.account_manager, requisition=world.requisition, **{field: day})
        assert refused.value.message_dict == {field: [MESSAGE]}


def test_a_target_within_five_years_is_kept(world, client_for):
    response = client_for(world.account_manager).patch(
        f"/api/v1/requisitions/{world.requisition.pk}/", {"target_on": "2031-01-11"}, format="json"
    )
    assert response.status_code == 200


def test_an_assignment_period_far_away_is_refused(world, client_for, far):
    day, _ = far
    client = client_for(world.account_manager)
    body = {"requisition": world.other_requisition.pk, "recruiter": world.idle_recruiter.pk, "role": "backup"}

    starts = client.post("/api/v1/assignments/", {**body, "starts_on": day}, format="json")
    ends = client.post("/api/v1/assignments/", {**body, "ends_on": day}, format="json")
    rita = Assignment.objects.get(requisition=world.requisition, recruiter=world.recruiter)
    ended = client.post(f"/api/v1/assignments/{rita.pk}/end/", {"ends_on": day}, format="json")

    assert (starts.status_code, starts.json()) == (400, {"starts_on": [MESSAGE]})
    assert (ends.status_code, ends.json()) == (400, {"ends_on": [MESSAGE]})
    assert (ended.status_code, ended.json()) == (400, {"ends_on": [MESSAGE]})
    assert not Assignment.objects.filter(recruiter=world.idle_recruiter).exists()
    rita.refresh_from_db()
    assert rita.ends_on is None


def test_the_service_refuses_an_assignment_far_away_whoever_calls_it(world, far):
    with pytest.raises(ValidationError) as refused:
        assignment_create(
            actor=world.account_manager,
            requisition=world.other_requisition,
            recruiter=world.idle_recruiter,
            role=Assignment.Role.BACKUP,
            starts_on=date.fromisoformat(far[0]),
        )
    assert refused.value.message_dict == {"starts_on": [MESSAGE]}


def test_an_interview_far_away_is_refused(world, client_for, far):
    _, moment = far
    submission = factories.SubmissionFactory(requisition=world.requisition, stage=Submission.Stage.INTERVIEW)
    interview = factories.InterviewFactory(submission=submission)
    client = client_for(world.recruiter)

    created = client.post(
        "/api/v1/interviews/",
        {"submission": submission.pk, "starts_at": moment, "ends_at": moment.replace("T10:", "T11:")},
        format="json",
    )
    moved = client.patch(
        f"/api/v1/interviews/{interview.pk}/",
        {"starts_at": moment, "ends_at": moment.replace("T10:", "T11:")},
        format="json",
    )

    assert created.status_code == 400
    assert created.json().keys() >= {"starts_at"}
    assert moved.status_code == 400
    assert moved.json().keys() >= {"starts_at"}
    assert Interview.objects.filter(submission=submission).count() == 1
    before = interview.starts_at
    interview.refresh_from_db()
    assert interview.starts_at == before


def test_an_out_of_office_period_far_away_is_refused(world, client_for, far):
    _, moment = far
    response = client_for(world.recruiter).post(
        "/api/v1/out-of-office/",
        {"starts_at": "2026-01-13T09:00:00Z", "ends_at": moment, "backup": world.sourcer.pk},
        format="json",
    )

    assert response.status_code == 400
    assert "ends_at" in response.json()
    assert not OutOfOffice.objects.exists()
    with pytest.raises(ValidationError) as refused:
        out_of_office_create(
            actor=world.recruiter,
            user=world.recruiter,
            starts_at=datetime(9999, 12, 30, tzinfo=UTC),
            ends_at=datetime(9999, 12, 31, tzinfo=UTC),
            backup=world.sourcer,
        )
    assert refused.value.message_dict == {"starts_at": [MESSAGE], "ends_at": [MESSAGE]}


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_the_out_of_office_page_shows_the_refusal_beside_the_field(client, world, day):
    """Typed in New York: 9999-12-31 18:00 there is already past the end of time in UTC."""
    client.force_login(world.recruiter)

    response = client.post(
        "/out-of-office/",
        {"starts_at": "2026-01-20T09:00", "ends_at": f"{day}T18:00", "backup": world.idle_recruiter.pk, "note": ""},
    )

    assert response.status_code == 400
    assert MESSAGE in response.content.decode()
    assert not OutOfOffice.objects.exists()


def test_the_admin_refuses_a_target_far_away_beside_the_field(client, world):
    world.provider_admin.is_staff = world.provider_admin.is_superuser = True
    world.provider_admin.save(update_fields=["is_staff", "is_superuser"])
    client.force_login(world.provider_admin)
    url = reverse("admin:engagements_requisition_change", args=[world.requisition.pk])
    values = shown(client, url)
    values["target_on"] = "9999-12-31"

    response = client.post(url, values)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["target_on"] == [MESSAGE]
    world.requisition.refresh_from_db()
    assert world.requisition.target_on is None
