"""When a hiring manager offers interview slots, the recruiter covering the requisition is told,
through the one outbox: recorded with the offer, sent after commit, once, with a link to booking."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import OutOfOffice
from engagements.models import Submission
from feedback.reminders.notices import SLOTS_OFFERED
from feedback.services import availability_offer_slots, availability_request_open
from rpo_portal.conflicts import Conflict
from rpo_portal.models import OutboundEmail
from tests import factories

# A Friday; Globex works Monday to Friday, 09:00-17:00 in Berlin.
NOW = datetime(2026, 3, 20, 10, 0, tzinfo=UTC)
TUESDAY_MORNING = (datetime(2026, 3, 24, 8, 30, tzinfo=UTC), datetime(2026, 3, 24, 9, 30, tzinfo=UTC))


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def availability_request(world):
    submission = factories.SubmissionFactory(
        requisition=world.globex_requisition, stage=Submission.Stage.INTERVIEW, candidate__full_name="Emmy Noether"
    )
    return availability_request_open(submission=submission, requested_of=world.globex_hiring_manager)


def _notices():
    return OutboundEmail.objects.filter(kind=SLOTS_OFFERED)


def _offer(world, availability_request, slots=(TUESDAY_MORNING,)):
    return availability_offer_slots(
        actor=world.globex_hiring_manager, availability_request=availability_request, slots=list(slots)
    )


def test_the_covering_recruiter_gets_one_email_with_a_link_to_booking(
    world, availability_request, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _offer(world, availability_request)

    [notice] = _notices()
    assert notice.status == OutboundEmail.Status.SENT
    [message] = [message for message in mail.outbox if "Emmy Noether" in message.subject]
    assert message.to == [world.globex_recruiter.email]
    booking = reverse("feedback:availability-book", kwargs={"pk": availability_request.pk})
    assert f"https://portal.example.com{booking}" in message.body
    assert booking in message.alternatives[0].content
    assert "Tue 24 Mar" in message.body  # the slot, in the recruiter's zone


def test_an_offer_records_exactly_one_notice_in_its_own_transaction(
    world, availability_request, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _offer(world, availability_request)
        # Recorded before commit, sent only after.
        assert _notices().count() == 1
        assert _notices().get().status == OutboundEmail.Status.PENDING
    assert callbacks  # the send task is published on commit
    with pytest.raises(Conflict):
        _offer(world, availability_request)  # answering again offers nothing and tells nobody again
    assert _notices().count() == 1


def test_a_refused_offer_tells_nobody(world, availability_request):
    with pytest.raises(ValidationError):
        _offer(world, availability_request, slots=[(NOW - timedelta(days=1), NOW - timedelta(days=1, hours=-1))])
    assert not _notices().exists()


def test_the_stand_in_is_told_while_the_primary_is_away(
    world, availability_request, django_capture_on_commit_callbacks
):
    OutOfOffice.objects.create(
        user=world.globex_recruiter,
        backup=world.idle_recruiter,
        starts_at=NOW - timedelta(days=1),
        ends_at=NOW + timedelta(days=5),
    )
    with django_capture_on_commit_callbacks(execute=True):
        _offer(world, availability_request)
    [message] = [message for message in mail.outbox if "Emmy Noether" in message.subject]
    assert message.to == [world.idle_recruiter.email]
    assert "covering for Greta" in message.body


def test_offering_through_the_api_tells_the_recruiter_the_same_way(
    world, client_for, availability_request, django_capture_on_commit_callbacks
):
    api = client_for(world.globex_hiring_manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            f"/api/v1/availability-requests/{availability_request.pk}/slots/",
            {"slots": [{"starts_at": TUESDAY_MORNING[0].isoformat(), "ends_at": TUESDAY_MORNING[1].isoformat()}]},
            format="json",
        )
    assert response.status_code == 201
    assert _notices().count() == 1
    assert [message.to for message in mail.outbox if "Emmy Noether" in message.subject] == [
        [world.globex_recruiter.email]
    ]


def test_offering_on_the_page_tells_the_recruiter(
    client, world, availability_request, django_capture_on_commit_callbacks
):
    client.force_login(world.globex_hiring_manager)
    data = {"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "0", "form-MIN_NUM_FORMS": "0", "form-MAX_NUM_FORMS": "6"}
    data.update({"form-0-date": "2026-03-24", "form-0-start": "09:30", "form-0-duration": "60"})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("feedback:availability-respond", kwargs={"pk": availability_request.pk}), data)
    assert response.status_code == 303
    assert _notices().count() == 1
