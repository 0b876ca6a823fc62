"""A slot outside the engagement's business hours (02:00 on a Sunday in Berlin) is accepted, and
both sides are warned: the hiring manager after offering, the recruiter on the booking page beside
that slot and in the email that tells them slots were offered."""

from datetime import UTC, datetime

import pytest
from django.core import mail
from django.urls import reverse

from engagements.models import Submission
from feedback.models import AvailabilitySlot, RequestStatus
from feedback.services import availability_offer_slots, availability_request_open
from tests import factories

# A Friday; Globex works Monday to Friday, 09:00-17:00 in Berlin (the hiring manager's zone too).
NOW = datetime(2026, 3, 20, 10, 0, tzinfo=UTC)
WARNING = "outside business hours"


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def availability_request(world):
    submission = factories.SubmissionFactory(
        requisition=world.globex_requisition, stage=Submission.Stage.INTERVIEW, candidate__full_name="Emmy Noether"
    )
    return availability_request_open(submission=submission, requested_of=world.globex_hiring_manager)


def _rows(*rows) -> dict:
    data = {"form-TOTAL_FORMS": "6", "form-INITIAL_FORMS": "0", "form-MIN_NUM_FORMS": "0", "form-MAX_NUM_FORMS": "6"}
    for index, (day, start, duration) in enumerate(rows):
        data.update({f"form-{index}-date": day, f"form-{index}-start": start, f"form-{index}-duration": duration})
    return data


SUNDAY_NIGHT = ("2026-03-22", "02:00", "60")  # Sunday 02:00 in Berlin
TUESDAY_MORNING = ("2026-03-24", "10:00", "60")  # Tuesday 10:00 in Berlin


def _offer_on_the_page(client, world, availability_request, django_capture_on_commit_callbacks):
    client.force_login(world.globex_hiring_manager)
    url = reverse("feedback:availability-respond", kwargs={"pk": availability_request.pk})
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(url, _rows(SUNDAY_NIGHT, TUESDAY_MORNING), follow=True)


def test_the_hiring_manager_is_warned_after_offering_a_sunday_night_slot(
    client, world, availability_request, django_capture_on_commit_callbacks
):
    response = _offer_on_the_page(client, world, availability_request, django_capture_on_commit_callbacks)

    assert response.status_code == 200
    availability_request.refresh_from_db()
    assert availability_request.status == RequestStatus.ANSWERED  # accepted, not refused
    assert AvailabilitySlot.objects.filter(request=availability_request).count() == 2
    page = response.content.decode()
    assert page.count(f"{WARNING}</") == 1  # beside the Sunday slot only
    assert "Mon–Fri 09:00–17:00 (Europe/Berlin)" in page


def test_the_recruiter_sees_the_warning_beside_that_slot_when_booking(
    client, world, availability_request, django_capture_on_commit_callbacks
):
    availability_offer_slots(
        actor=world.globex_hiring_manager,
        availability_request=availability_request,
        slots=[
            (datetime(2026, 3, 22, 1, 0, tzinfo=UTC), datetime(2026, 3, 22, 2, 0, tzinfo=UTC)),  # Sun 02:00 Berlin
            (datetime(2026, 3, 24, 9, 0, tzinfo=UTC), datetime(2026, 3, 24, 10, 0, tzinfo=UTC)),  # Tue 10:00 Berlin
        ],
    )
    client.force_login(world.globex_recruiter)
    page = client.get(reverse("feedback:availability-book", kwargs={"pk": availability_request.pk})).content.decode()

    sunday, tuesday = page.split('name="slot"')[1:3]
    assert WARNING in sunday.split("</label>")[0]
    assert "Sun 02:00 Europe/Berlin" in sunday.split("</label>")[0]  # when it is where the hours are kept
    assert WARNING not in tuesday.split("</label>")[0]
    assert "Mon–Fri 09:00–17:00 (Europe/Berlin)" in page


def test_the_recruiters_email_warns_about_the_slot(
    client, world, availability_request, django_capture_on_commit_callbacks
):
    _offer_on_the_page(client, world, availability_request, django_capture_on_commit_callbacks)

    [message] = [message for message in mail.outbox if "offered interview slots" in message.subject]
    assert message.to == [world.globex_recruiter.email]
    lines = [line for line in message.body.splitlines() if line.startswith("- ")]
    assert [WARNING in line for line in lines] == [True, False]
    assert WARNING in message.alternatives[0].content


def test_no_warning_when_every_slot_is_in_business_hours(
    client, world, availability_request, django_capture_on_commit_callbacks
):
    client.force_login(world.globex_hiring_manager)
    url = reverse("feedback:availability-respond", kwargs={"pk": availability_request.pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, _rows(TUESDAY_MORNING), follow=True)
    assert WARNING not in response.content.decode()
    [message] = [message for message in mail.outbox if "offered interview slots" in message.subject]
    assert WARNING not in message.body
