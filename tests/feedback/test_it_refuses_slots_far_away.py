"""Interview slots must lie within five years of now, and a far-away slot already stored never
breaks a page.

Issue 13, failure 8: a slot in the year 9999 was accepted, and then ``/availability/{id}/``
answered 500 (OverflowError) for users east of UTC.
"""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from engagements.models import Submission
from feedback.models import AvailabilityRequest, AvailabilitySlot, RequestStatus
from feedback.services import availability_request_open
from tests import factories

NOW = datetime(2026, 3, 20, 10, 0, tzinfo=UTC)
FAR_AWAY = datetime(9999, 12, 31, 23, 0, tzinfo=UTC)  # past the end of time anywhere east of UTC


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def availability_request(world) -> AvailabilityRequest:
    submission = factories.SubmissionFactory(requisition=world.requisition, stage=Submission.Stage.INTERVIEW)
    return availability_request_open(submission=submission, requested_of=world.hiring_manager)


def _slots_url(availability_request) -> str:
    return f"/api/v1/availability-requests/{availability_request.pk}/slots/"


def _nothing_offered(availability_request) -> None:
    availability_request.refresh_from_db()
    assert availability_request.status == RequestStatus.OPEN
    assert not availability_request.slots.exists()


@pytest.mark.parametrize(
    ("starts_at", "ends_at"),
    [
        ("9999-12-31T10:00:00Z", "9999-12-31T11:00:00Z"),
        ("9999-12-31T23:00:00-05:00", "9999-12-31T23:30:00-05:00"),  # past the end of time in UTC
        ("0001-01-01T00:30:00+09:00", "0001-01-01T01:30:00+09:00"),  # before its start in UTC
        ("2031-06-01T09:00:00Z", "2031-06-01T10:00:00Z"),
    ],
)
def test_the_api_refuses_a_slot_far_away_with_a_field_message(
    world, client_for, availability_request, starts_at, ends_at
):
    response = client_for(world.hiring_manager).post(
        _slots_url(availability_request), {"slots": [{"starts_at": starts_at, "ends_at": ends_at}]}, format="json"
    )

    assert response.status_code == 400
    assert "slots" in response.json()
    _nothing_offered(availability_request)


def test_the_api_says_what_is_allowed(world, client_for, availability_request):
    response = client_for(world.hiring_manager).post(
        _slots_url(availability_request),
        {"slots": [{"starts_at": "9999-06-01T10:00:00Z", "ends_at": "9999-06-01T11:00:00Z"}]},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["slots"] == [
        "Slot 1: Pick a date within 5 years of today (from 20 Mar 2021 to 20 Mar 2031)."
    ]


def test_a_slot_within_five_years_is_still_offered(world, client_for, availability_request):
    response = client_for(world.hiring_manager).post(
        _slots_url(availability_request),
        {"slots": [{"starts_at": "2031-03-19T10:00:00Z", "ends_at": "2031-03-19T11:00:00Z"}]},
        format="json",
    )
    assert response.status_code == 201


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "2031-06-01"])
@pytest.mark.parametrize("zone", ["Asia/Tokyo", "America/New_York"])
def test_the_page_refuses_it_on_its_row(client, world, availability_request, day, zone):
    world.hiring_manager.time_zone = zone
    world.hiring_manager.save(update_fields=["time_zone"])
    client.force_login(world.hiring_manager)
    data = {"form-TOTAL_FORMS": "6", "form-INITIAL_FORMS": "0", "form-MIN_NUM_FORMS": "0", "form-MAX_NUM_FORMS": "6"}
    data.update({"form-0-date": day, "form-0-start": "23:30", "form-0-duration": "60"})

    response = client.post(reverse("feedback:availability-respond", kwargs={"pk": availability_request.pk}), data)

    assert response.status_code == 400
    errors = response.context["formset"].forms[0].errors
    assert any("within 5 years" in message for messages in errors.values() for message in messages)
    _nothing_offered(availability_request)


@pytest.fixture
def stored_far_away(availability_request) -> AvailabilityRequest:
    """Offered before the rule, straight into the table."""
    AvailabilitySlot.objects.create(
        request=availability_request, starts_at=FAR_AWAY, ends_at=FAR_AWAY + timedelta(minutes=30)
    )
    AvailabilitySlot.objects.create(
        request=availability_request, starts_at=NOW + timedelta(days=3), ends_at=NOW + timedelta(days=3, hours=1)
    )
    AvailabilityRequest.objects.filter(pk=availability_request.pk).update(
        status=RequestStatus.ANSWERED, answered_at=NOW
    )
    return availability_request


def test_a_user_in_tokyo_opens_the_availability_page_of_a_stored_far_away_slot(client, world, stored_far_away):
    world.hiring_manager.time_zone = "Asia/Tokyo"
    world.hiring_manager.save(update_fields=["time_zone"])
    client.force_login(world.hiring_manager)

    response = client.get(reverse("feedback:availability-respond", kwargs={"pk": stored_far_away.pk}))

    assert response.status_code == 200
    assert "Mon 23 Mar, 19:00" in response.content.decode()  # the sane slot, in Tokyo


def test_a_recruiter_in_tokyo_opens_the_booking_page_and_the_inbox(client, world, stored_far_away):
    world.recruiter.time_zone = "Asia/Tokyo"
    world.recruiter.save(update_fields=["time_zone"])
    client.force_login(world.recruiter)

    booking = client.get(reverse("feedback:availability-book", kwargs={"pk": stored_far_away.pk}))
    assert booking.status_code == 200
    assert "Mon 23 Mar, 19:00" in booking.content.decode()
    assert client.get(reverse("feedback:inbox")).status_code == 200
