"""Offering interview slots in one's own time zone, and booking one of them."""

import zoneinfo
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from engagements.models import Interview, Submission
from feedback.models import AvailabilityRequest, AvailabilitySlot, RequestStatus
from feedback.services import availability_offer_slots, availability_request_open
from tests import factories

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
# A Friday in March 2026, a week before the clocks go forward in Europe (Sunday 29 March).
NOW = datetime(2026, 3, 20, 10, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _clock(time_machine):
    """Pinned before the personas are made, so their assignments are active at NOW."""
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def availability_request(world) -> AvailabilityRequest:
    submission = factories.SubmissionFactory(
        requisition=world.globex_requisition, stage=Submission.Stage.INTERVIEW, candidate__full_name="Emmy Noether"
    )
    return availability_request_open(submission=submission, requested_of=world.globex_hiring_manager)


def _url(availability_request, name="feedback:availability-respond") -> str:
    return reverse(name, kwargs={"pk": availability_request.pk})


def _rows(*rows) -> dict:
    data = {"form-TOTAL_FORMS": "6", "form-INITIAL_FORMS": "0", "form-MIN_NUM_FORMS": "0", "form-MAX_NUM_FORMS": "6"}
    for index, (day, start, duration) in enumerate(rows):
        data.update({f"form-{index}-date": day, f"form-{index}-start": start, f"form-{index}-duration": duration})
    return data


def test_slots_entered_in_berlin_are_stored_as_the_right_utc_instants(client, world, availability_request):
    client.force_login(world.globex_hiring_manager)
    page = client.get(_url(availability_request))
    assert "Europe/Berlin" in page.content.decode()

    response = client.post(
        _url(availability_request),
        _rows(
            ("2026-03-24", "09:30", "60"),  # Tuesday, winter time (UTC+1)
            ("2026-03-30", "09:30", "90"),  # Monday after the clocks went forward (UTC+2)
            ("2026-03-28", "23:30", "60"),  # Saturday night: ends after the switch, still one hour long
        ),
        follow=True,
    )

    assert response.redirect_chain == [(_url(availability_request), 303)]
    assert "Thank you" in response.content.decode()
    slots = list(AvailabilitySlot.objects.filter(request=availability_request).order_by("starts_at"))
    assert [(slot.starts_at, slot.ends_at) for slot in slots] == [
        (datetime(2026, 3, 24, 8, 30, tzinfo=UTC), datetime(2026, 3, 24, 9, 30, tzinfo=UTC)),
        (datetime(2026, 3, 28, 22, 30, tzinfo=UTC), datetime(2026, 3, 28, 23, 30, tzinfo=UTC)),
        (datetime(2026, 3, 30, 7, 30, tzinfo=UTC), datetime(2026, 3, 30, 9, 0, tzinfo=UTC)),
    ]
    availability_request.refresh_from_db()
    assert availability_request.status == RequestStatus.ANSWERED


def test_offered_slots_are_shown_back_in_the_offerers_zone(client, world, availability_request):
    client.force_login(world.globex_hiring_manager)
    response = client.post(_url(availability_request), _rows(("2026-03-30", "09:30", "60")), follow=True)
    assert "Mon 30 Mar, 09:30–10:30" in response.content.decode()


def test_a_time_skipped_by_the_clock_change_is_refused(client, world, availability_request):
    client.force_login(world.globex_hiring_manager)
    response = client.post(_url(availability_request), _rows(("2026-03-29", "02:30", "60")))

    assert response.status_code == 400
    errors = response.context["formset"].forms[0].errors
    assert "does not exist" in errors["start"][0]
    assert not AvailabilitySlot.objects.exists()


def test_bad_rows_get_errors_on_their_row_and_nothing_is_stored(client, world, availability_request):
    client.force_login(world.globex_hiring_manager)
    response = client.post(
        _url(availability_request),
        _rows(
            ("2026-03-24", "10:00", "60"),  # fine
            ("2026-02-30", "10:00", "60"),  # no such date
            ("2026-03-25", "", "60"),  # no start
            ("2026-03-19", "10:00", "60"),  # in the past
            ("2026-03-26", "10:00", "7"),  # not a length we offer
        ),
    )

    assert response.status_code == 400
    forms = response.context["formset"].forms
    assert forms[0].errors == {}
    assert "date" in forms[1].errors
    assert forms[2].errors["start"] == ["Pick a start time."]
    assert "duration" in forms[4].errors
    assert not AvailabilitySlot.objects.exists()
    availability_request.refresh_from_db()
    assert availability_request.status == RequestStatus.OPEN


def test_a_slot_in_the_past_is_refused_by_the_service_on_its_row(client, world, availability_request):
    client.force_login(world.globex_hiring_manager)
    response = client.post(
        _url(availability_request), _rows(("2026-03-24", "10:00", "60"), ("2026-03-19", "10:00", "60"))
    )

    assert response.status_code == 400
    forms = response.context["formset"].forms
    assert forms[1].non_field_errors() == ["The slot is in the past."]
    assert "The slot is in the past." in response.content.decode()
    assert not AvailabilitySlot.objects.exists()


def test_no_slot_at_all_asks_for_one(client, world, availability_request):
    client.force_login(world.globex_hiring_manager)
    response = client.post(_url(availability_request), _rows())
    assert response.context["formset"].non_form_errors() == ["Offer at least one slot."]


def test_tampered_management_form_is_an_error_not_a_crash(client, world, availability_request):
    client.force_login(world.globex_hiring_manager)
    response = client.post(_url(availability_request), {"form-0-date": "2026-03-24"})
    assert response.status_code == 400
    assert response.context["formset"].non_form_errors()
    assert not AvailabilitySlot.objects.exists()


def test_recruiter_cannot_offer_slots_for_the_hiring_manager(client, world, availability_request):
    client.force_login(world.globex_recruiter)
    assert client.get(_url(availability_request)).status_code == 200
    response = client.post(_url(availability_request), _rows(("2026-03-24", "10:00", "60")))
    assert response.status_code == 403
    assert not AvailabilitySlot.objects.exists()


def test_other_clients_cannot_see_the_availability_request(client, world, availability_request):
    client.force_login(world.hiring_manager)
    assert client.get(_url(availability_request)).status_code == 404
    assert client.get(_url(availability_request, "feedback:availability-book")).status_code == 404


@pytest.fixture
def offered(world, availability_request) -> list[AvailabilitySlot]:
    start = datetime(2026, 3, 24, 8, 30, tzinfo=UTC)
    return availability_offer_slots(
        availability_request=availability_request,
        actor=world.globex_hiring_manager,
        slots=[(start, start + timedelta(hours=1)), (start + timedelta(days=1), start + timedelta(days=1, hours=1))],
    )


def test_recruiter_books_an_interview_from_the_offered_slots(client, world, availability_request, offered):
    client.force_login(world.globex_recruiter)  # America/New_York
    page = client.get(_url(availability_request, "feedback:availability-book"))
    assert page.status_code == 200
    # 08:30 UTC is 04:30 in New York (on summer time since 8 March: UTC-4).
    assert "Tue 24 Mar, 04:30–05:30" in page.content.decode()
    assert "America/New_York" in page.content.decode()

    response = client.post(
        _url(availability_request, "feedback:availability-book"), {"slot": offered[1].pk, "location": "Room 4"}
    )

    assert response.status_code == 303
    assert response["Location"] == _url(availability_request, "feedback:availability-booked")
    interview = Interview.objects.get(submission=availability_request.submission)
    assert (interview.starts_at, interview.ends_at) == (offered[1].starts_at, offered[1].ends_at)
    assert interview.location == "Room 4"
    availability_request.refresh_from_db()
    assert availability_request.booked_interview == interview
    confirmation = client.get(response["Location"])
    assert "Interview booked" in confirmation.content.decode()
    # Booking twice goes straight to the confirmation.
    again = client.post(_url(availability_request, "feedback:availability-book"), {"slot": offered[0].pk})
    assert again.status_code == 303
    assert Interview.objects.count() == 1


def test_booking_without_a_slot_or_with_a_foreign_slot_shows_an_error(client, world, availability_request, offered):
    client.force_login(world.globex_recruiter)
    url = _url(availability_request, "feedback:availability-book")
    assert client.post(url, {"location": "Room 4"}).context["form"].errors["slot"] == ["Pick a slot."]
    assert "slot" in client.post(url, {"slot": "999999"}).context["form"].errors
    assert not Interview.objects.exists()


def test_hiring_manager_cannot_book(client, world, availability_request, offered):
    client.force_login(world.globex_hiring_manager)
    url = _url(availability_request, "feedback:availability-book")

    assert client.get(url).status_code == 403
    response = client.post(url, {"slot": offered[0].pk})
    assert response.status_code == 403
    assert "That is not yours to do" in response.content.decode()
    assert not Interview.objects.exists()


def test_book_page_before_any_slot_is_offered_says_so(client, world, availability_request):
    client.force_login(world.globex_recruiter)
    page = client.get(_url(availability_request, "feedback:availability-book"))
    assert "has not offered slots yet" in page.content.decode()


# --- Post/Redirect/Get: Back after offering or booking never offers to send the form again ------


def test_offering_slots_redirects_to_a_page_that_shows_them(client, world, availability_request):
    client.force_login(world.globex_hiring_manager)

    response = client.post(_url(availability_request), _rows(("2026-03-30", "09:30", "60")))

    assert response.status_code == 303
    assert response["Location"] == _url(availability_request)
    confirmation = client.get(response["Location"])
    assert confirmation.status_code == 200
    assert "Thank you!" in confirmation.content.decode()
    assert "Mon 30 Mar, 09:30–10:30" in confirmation.content.decode()


def test_invalid_slots_answer_400_with_the_rows_filled_in(client, world, availability_request):
    client.force_login(world.globex_hiring_manager)

    response = client.post(_url(availability_request), _rows(("2026-03-24", "10:00", "60"), ("2026-03-25", "", "60")))

    assert response.status_code == 400
    assert response.context["formset"].forms[1].errors["start"] == ["Pick a start time."]
    assert 'value="2026-03-24"' in response.content.decode()
    assert not AvailabilitySlot.objects.exists()


def test_booking_redirects_with_303_and_an_invalid_booking_answers_400(client, world, availability_request, offered):
    client.force_login(world.globex_recruiter)
    url = _url(availability_request, "feedback:availability-book")

    invalid = client.post(url, {"location": "Room 4"})
    assert invalid.status_code == 400
    assert 'value="Room 4"' in invalid.content.decode()
    booked = client.post(url, {"slot": offered[0].pk, "location": "Room 4"})

    assert booked.status_code == 303
    assert booked["Location"] == _url(availability_request, "feedback:availability-booked")
    assert "Interview booked" in client.get(booked["Location"]).content.decode()
