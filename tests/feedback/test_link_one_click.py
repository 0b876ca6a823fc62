"""The signed one-click link from the email: no password, one request, one user, for a while.

Every refused case shows a friendly page and writes nothing.
"""

import re
import zoneinfo
from datetime import timedelta

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from engagements.models import Submission
from engagements.services import submission_change_stage
from feedback.links import SALT, LinkTarget, make_token, read_token, response_url
from feedback.models import AvailabilityRequest, AvailabilitySlot, Feedback, FeedbackRequest, RequestStatus
from feedback.services import feedback_respond
from tests import factories

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
ANSWER = {"decision": "advance", "rating": "4", "reasons": ["skills_match", "communication"], "comments": "Great"}


def _shown(moment, zone) -> str:
    """A moment as the pages print it ("D j M, H:i") in a time zone."""
    local = moment.astimezone(zone)
    return f"{local:%a} {local.day} {local:%b, %H:%M}"


@pytest.fixture
def feedback_request(world) -> FeedbackRequest:
    submission = factories.SubmissionFactory(
        requisition=world.requisition,
        candidate__full_name="Ada Lovelace",
        candidate__current_title="Senior Data Engineer",
        summary="Ten years of analytical engines.",
    )
    submission_change_stage(
        submission=submission,
        to_stage=Submission.Stage.HM_REVIEW,
        actor=world.recruiter,
        note="She can start next month.",
    )
    return FeedbackRequest.objects.get(submission=submission)


def _link(feedback_request, user=None) -> str:
    user_id = (user or feedback_request.requested_of).pk
    return reverse(
        "feedback:respond-link",
        kwargs={"token": make_token(kind="feedback", request_id=feedback_request.pk, user_id=user_id)},
    )


def _nothing_written(feedback_request) -> None:
    feedback_request.refresh_from_db()
    assert feedback_request.status == RequestStatus.OPEN
    assert not Feedback.objects.filter(request=feedback_request).exists()
    assert feedback_request.submission.stage == Submission.Stage.HM_REVIEW


def test_link_shows_the_request_without_logging_in(client, world, feedback_request):
    response = client.get(_link(feedback_request))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Ada Lovelace" in page
    assert "Senior Data Engineer" in page
    assert "ACME-1" in page
    assert world.requisition.title in page
    assert "Ten years of analytical engines." in page
    assert "She can start next month." in page
    # The due time is shown in the hiring manager's own time zone.
    assert _shown(feedback_request.due_at, NEW_YORK) in page
    assert "America/New_York" in page
    assert response["Cache-Control"].startswith("max-age=0")


def test_response_url_in_emails_points_at_the_link_page(feedback_request):
    url = response_url(kind="feedback", request_id=feedback_request.pk, user_id=feedback_request.requested_of_id)
    assert url.startswith("https://portal.example.com/r/")


def test_link_answers_the_request_as_the_hiring_manager(client, world, feedback_request):
    response = client.post(_link(feedback_request), ANSWER)

    assert response.status_code == 200
    assert "Thank you" in response.content.decode()
    feedback = Feedback.objects.get(request=feedback_request)
    assert feedback.channel == Feedback.Channel.EMAIL_LINK
    assert feedback.given_by == world.hiring_manager
    assert (feedback.decision, feedback.rating) == ("advance", 4)
    assert feedback.reasons == ["skills_match", "communication"]
    feedback_request.refresh_from_db()
    assert feedback_request.status == RequestStatus.ANSWERED
    assert feedback_request.submission.stage == Submission.Stage.INTERVIEW


def test_after_advance_the_thank_you_page_links_to_the_availability_request(client, feedback_request):
    response = client.post(_link(feedback_request), ANSWER)

    page = response.content.decode()
    assert "interview availability" in page
    availability = AvailabilityRequest.objects.get(submission=feedback_request.submission)
    link = re.search(r'href="(/r/([^"/]+)/)"', page)
    # The token is signed with a timestamp: compare what it names, not its text (a second may pass).
    assert link.group(1) == reverse("feedback:respond-link", kwargs={"token": link.group(2)})
    assert read_token(link.group(2)) == LinkTarget(
        kind="availability", request_id=availability.pk, user_id=availability.requested_of_id
    )
    link = link.group(1)
    followed = client.get(link)
    assert followed.status_code == 200
    assert "When could you interview Ada Lovelace?" in followed.content.decode()


def test_after_reject_the_recruiter_tells_the_candidate(client, feedback_request):
    response = client.post(_link(feedback_request), {"decision": "reject", "rating": "2", "reasons": ["skills_gap"]})

    assert "The recruiter will let the candidate know" in response.content.decode()
    feedback_request.submission.refresh_from_db()
    assert feedback_request.submission.stage == Submission.Stage.REJECTED


def test_expired_link_says_what_to_do_and_writes_nothing(client, feedback_request, time_machine, settings):
    link = _link(feedback_request)
    time_machine.move_to(timezone.now() + timedelta(days=settings.RESPONSE_LINK_MAX_AGE_DAYS, hours=1))

    for response in (client.get(link), client.post(link, ANSWER)):
        assert response.status_code == 410
        page = response.content.decode()
        assert "This link has expired" in page
        assert "ask your recruiter for a fresh link" in page
        assert f"{reverse('login')}?next={reverse('feedback:inbox')}" in page
    _nothing_written(feedback_request)


def test_tampered_link_is_refused_and_writes_nothing(client, feedback_request):
    token = make_token(kind="feedback", request_id=feedback_request.pk, user_id=feedback_request.requested_of_id)
    tampered = ("X" if token[0] != "X" else "Y") + token[1:]

    for response in (
        client.get(reverse("feedback:respond-link", kwargs={"token": tampered})),
        client.post(reverse("feedback:respond-link", kwargs={"token": tampered}), ANSWER),
        client.post(reverse("feedback:respond-link", kwargs={"token": "not-a-token"}), ANSWER),
    ):
        assert response.status_code == 400
        assert "This link does not work" in response.content.decode()
    _nothing_written(feedback_request)


def test_link_cannot_be_reused_after_answering(client, feedback_request):
    link = _link(feedback_request)
    client.post(link, ANSWER)

    again = client.get(link)
    assert again.status_code == 200
    assert "Already answered" in again.content.decode()
    assert "thank you" in again.content.decode()
    resubmitted = client.post(link, {**ANSWER, "decision": "reject"})
    assert resubmitted.status_code == 409
    assert "Already answered" in resubmitted.content.decode()
    assert Feedback.objects.filter(request=feedback_request).count() == 1
    assert Feedback.objects.get(request=feedback_request).decision == "advance"


def test_a_request_answered_another_way_shows_already_answered(client, world, feedback_request):
    feedback_respond(feedback_request=feedback_request, actor=world.hiring_manager, decision="hold", rating=3)

    response = client.post(_link(feedback_request), ANSWER)

    assert response.status_code == 409
    assert "Already answered" in response.content.decode()
    assert Feedback.objects.get(request=feedback_request).decision == "hold"


def test_link_for_one_request_cannot_answer_another(client, world, feedback_request):
    other_submission = factories.SubmissionFactory(requisition=world.requisition)
    submission_change_stage(submission=other_submission, to_stage=Submission.Stage.HM_REVIEW, actor=world.recruiter)
    other = FeedbackRequest.objects.get(submission=other_submission)
    payload = ["f", other.pk, world.hiring_manager.pk]
    forged = [
        signing.dumps(payload, salt="another-salt", compress=False),
        signing.dumps(payload, key="not-the-secret-key", salt=SALT, compress=False),
    ]
    # The payload of a genuine link for request A with B's id put in its place.
    genuine = make_token(kind="feedback", request_id=feedback_request.pk, user_id=world.hiring_manager.pk)
    swapped_payload = signing.b64_encode(f'["f",{other.pk},{world.hiring_manager.pk}]'.encode()).decode()
    forged.append(swapped_payload + genuine[genuine.index(":") :])

    for token in forged:
        response = client.post(reverse("feedback:respond-link", kwargs={"token": token}), ANSWER)
        assert response.status_code == 400
        assert "This link does not work" in response.content.decode()
    _nothing_written(other)
    _nothing_written(feedback_request)


def test_link_for_another_user_is_refused(client, world, feedback_request):
    for user_id in (world.other_hiring_manager.pk, world.recruiter.pk, 999_999):
        token = make_token(kind="feedback", request_id=feedback_request.pk, user_id=user_id)
        response = client.post(reverse("feedback:respond-link", kwargs={"token": token}), ANSWER)
        assert response.status_code == 404
        assert "This link does not work" in response.content.decode()
    _nothing_written(feedback_request)


def test_link_for_a_missing_request_is_refused(client, world):
    token = make_token(kind="feedback", request_id=424_242, user_id=world.hiring_manager.pk)
    response = client.get(reverse("feedback:respond-link", kwargs={"token": token}))
    assert response.status_code == 404
    assert "This link does not work" in response.content.decode()


def test_link_of_a_deactivated_user_is_refused(client, world, feedback_request):
    world.hiring_manager.is_active = False
    world.hiring_manager.save(update_fields=["is_active"])
    response = client.post(_link(feedback_request), ANSWER)
    assert response.status_code == 404
    _nothing_written(feedback_request)


def test_link_to_a_cancelled_request_says_nothing_is_needed(client, world, feedback_request):
    submission_change_stage(
        submission=feedback_request.submission, to_stage=Submission.Stage.WITHDRAWN, actor=world.recruiter
    )

    assert "No longer needed" in client.get(_link(feedback_request)).content.decode()
    response = client.post(_link(feedback_request), ANSWER)
    assert response.status_code == 409
    assert "No longer needed" in response.content.decode()
    assert not Feedback.objects.filter(request=feedback_request).exists()


def test_invalid_answer_shows_errors_next_to_fields_and_writes_nothing(client, feedback_request):
    response = client.post(
        _link(feedback_request), {"rating": "9", "reasons": ["skills_match", "bogus"], "comments": "x"}
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["decision"] == ["Choose advance, hold or reject."]
    assert form.errors["rating"] == ["Give a rating from 1 to 5."]
    assert form.errors["reasons"] == ["Unknown reason codes: bogus."]
    page = response.content.decode()
    assert "Choose advance, hold or reject." in page
    # What was ticked stays ticked.
    assert 'value="skills_match" checked' in page
    _nothing_written(feedback_request)


def test_rating_that_is_not_a_number_is_refused(client, feedback_request):
    response = client.post(_link(feedback_request), {**ANSWER, "rating": "five"})
    assert response.context["form"].errors["rating"] == ["Give a rating from 1 to 5."]
    _nothing_written(feedback_request)


def test_link_works_with_csrf_checks_and_no_session(world, feedback_request):
    browser = Client(enforce_csrf_checks=True)
    link = _link(feedback_request)

    refused = browser.post(link, ANSWER)
    assert refused.status_code == 403
    _nothing_written(feedback_request)

    page = browser.get(link)
    assert "csrftoken" in browser.cookies
    assert "sessionid" not in browser.cookies
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    response = browser.post(link, {**ANSWER, "csrfmiddlewaretoken": token})

    assert response.status_code == 200
    assert Feedback.objects.get(request=feedback_request).channel == Feedback.Channel.EMAIL_LINK


def test_availability_link_offers_slots_in_the_users_zone(client, world, feedback_request, time_machine):
    time_machine.move_to(timezone.now())
    feedback_respond(feedback_request=feedback_request, actor=world.hiring_manager, decision="advance", rating=5)
    availability = AvailabilityRequest.objects.get(submission=feedback_request.submission)
    link = reverse(
        "feedback:respond-link",
        kwargs={"token": make_token(kind="availability", request_id=availability.pk, user_id=world.hiring_manager.pk)},
    )
    day = (timezone.now() + timedelta(days=7)).astimezone(NEW_YORK).date()

    assert "America/New_York" in client.get(link).content.decode()
    response = client.post(
        link,
        {
            "form-TOTAL_FORMS": "6",
            "form-INITIAL_FORMS": "0",
            "form-0-date": day.isoformat(),
            "form-0-start": "10:00",
            "form-0-duration": "60",
        },
    )

    assert response.status_code == 200
    assert "Thank you" in response.content.decode()
    slot = AvailabilitySlot.objects.get(request=availability)
    assert slot.starts_at.astimezone(NEW_YORK).hour == 10
    assert slot.ends_at - slot.starts_at == timedelta(hours=1)
    again = client.post(link, {"form-TOTAL_FORMS": "0", "form-INITIAL_FORMS": "0"})
    assert again.status_code == 409
    assert AvailabilitySlot.objects.filter(request=availability).count() == 1
