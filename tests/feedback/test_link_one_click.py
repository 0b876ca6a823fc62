"""The signed one-click link from the email: no password, one request, one user, for a while.

Every refused case shows a friendly page and writes nothing.
"""

import logging
import re
import runpy
import zoneinfo
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings as django_settings
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from engagements.models import Submission
from engagements.services import submission_change_stage
from feedback.links import SALT, make_token, response_url
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


def _open(client, link) -> str:
    """Open the link as a browser does: the token page redirects once, to an address without it."""
    response = client.get(link)
    assert response.status_code == 303
    return response["Location"]


def test_link_shows_the_request_without_logging_in(client, world, feedback_request):
    response = client.get(_link(feedback_request), follow=True)

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
    page_url = _open(client, _link(feedback_request))
    response = client.post(page_url, ANSWER)

    assert response.status_code == 303
    assert response["Location"] == page_url
    assert "Thank you" in client.get(page_url).content.decode()
    feedback = Feedback.objects.get(request=feedback_request)
    assert feedback.channel == Feedback.Channel.EMAIL_LINK
    assert feedback.given_by == world.hiring_manager
    assert (feedback.decision, feedback.rating) == ("advance", 4)
    assert feedback.reasons == ["skills_match", "communication"]
    feedback_request.refresh_from_db()
    assert feedback_request.status == RequestStatus.ANSWERED
    assert feedback_request.submission.stage == Submission.Stage.INTERVIEW


def test_after_advance_the_thank_you_page_says_the_availability_request_comes_by_email(client, feedback_request):
    page_url = _open(client, _link(feedback_request))
    thanks = client.post(page_url, ANSWER, follow=True).content.decode()

    assert "We'll email you a link to offer your interview slots" in thanks
    # The link for feedback does not lead on to the next request: that one has its own email.
    assert "/r/" not in thanks
    availability = AvailabilityRequest.objects.get(submission=feedback_request.submission)
    assert reverse("feedback:availability-respond", kwargs={"pk": availability.pk}) not in thanks


def test_after_reject_the_recruiter_tells_the_candidate(client, feedback_request):
    page_url = _open(client, _link(feedback_request))
    response = client.post(page_url, {"decision": "reject", "rating": "2", "reasons": ["skills_gap"]}, follow=True)

    assert "The recruiter will let the candidate know" in response.content.decode()
    feedback_request.submission.refresh_from_db()
    assert feedback_request.submission.stage == Submission.Stage.REJECTED


def test_expired_link_says_what_to_do_and_writes_nothing(client, feedback_request, time_machine, settings):
    settings.RESPONSE_LINK_MAX_AGE_DAYS = 3  # shorter than a session lives, to see the link expire in one
    link = _link(feedback_request)
    opened_earlier = Client()
    page_url = _open(opened_earlier, link)
    time_machine.move_to(timezone.now() + timedelta(days=3, hours=1))

    # Opened late, or opened in time and answered late: the same page.
    for response in (client.get(link), opened_earlier.post(page_url, ANSWER)):
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
        client.get(reverse("feedback:respond-link", kwargs={"token": "not-a-token"})),
    ):
        assert response.status_code == 400
        assert "This link does not work" in response.content.decode()
    # The link itself takes no answer: answers go to the page it redirects to.
    assert client.post(_link(feedback_request), ANSWER).status_code == 405
    _nothing_written(feedback_request)


def test_the_link_page_without_the_link_says_to_open_the_email(client, feedback_request):
    page_url = _open(Client(), _link(feedback_request))  # opened in another browser

    for response in (client.get(page_url), client.post(page_url, ANSWER)):
        assert response.status_code == 403
        assert "Open the link from your email" in response.content.decode()
    _nothing_written(feedback_request)


def test_link_cannot_be_reused_after_answering(client, feedback_request):
    link = _link(feedback_request)
    page_url = _open(client, link)
    client.post(page_url, ANSWER)
    assert "Thank you" in client.get(page_url).content.decode()

    # Shown once, then used up in this browser; opened again it shows the answer, and nothing more.
    assert client.get(page_url).status_code == 403
    again = client.get(link, follow=True)
    assert again.status_code == 200
    assert "Already answered" in again.content.decode()
    assert "thank you" in again.content.decode()
    resubmitted = client.post(_open(client, link), {**ANSWER, "decision": "reject"})
    assert resubmitted.status_code == 409
    assert "Already answered" in resubmitted.content.decode()
    assert Feedback.objects.filter(request=feedback_request).count() == 1
    assert Feedback.objects.get(request=feedback_request).decision == "advance"


def test_a_request_answered_another_way_shows_already_answered(client, world, feedback_request):
    page_url = _open(client, _link(feedback_request))
    feedback_respond(feedback_request=feedback_request, actor=world.hiring_manager, decision="hold", rating=3)

    response = client.post(page_url, ANSWER)

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
        response = client.get(reverse("feedback:respond-link", kwargs={"token": token}))
        assert response.status_code == 400
        assert "This link does not work" in response.content.decode()
    # A genuine link for A opens A only: B's page still wants B's link.
    _open(client, reverse("feedback:respond-link", kwargs={"token": genuine}))
    other_page = reverse("feedback:link-page", kwargs={"kind": "feedback", "pk": other.pk})
    assert client.post(other_page, ANSWER).status_code == 403
    _nothing_written(other)
    _nothing_written(feedback_request)


def test_link_for_another_user_is_refused(client, world, feedback_request):
    for user_id in (world.other_hiring_manager.pk, world.recruiter.pk, 999_999):
        token = make_token(kind="feedback", request_id=feedback_request.pk, user_id=user_id)
        page_url = _open(client, reverse("feedback:respond-link", kwargs={"token": token}))
        response = client.post(page_url, ANSWER)
        assert response.status_code == 404
        assert "This link does not work" in response.content.decode()
    _nothing_written(feedback_request)


def test_link_for_a_missing_request_is_refused(client, world):
    token = make_token(kind="feedback", request_id=424_242, user_id=world.hiring_manager.pk)
    response = client.get(reverse("feedback:respond-link", kwargs={"token": token}), follow=True)
    assert response.status_code == 404
    assert "This link does not work" in response.content.decode()


def test_link_of_a_deactivated_user_is_refused(client, world, feedback_request):
    page_url = _open(client, _link(feedback_request))
    world.hiring_manager.is_active = False
    world.hiring_manager.save(update_fields=["is_active"])
    response = client.post(page_url, ANSWER)
    assert response.status_code == 404
    _nothing_written(feedback_request)


def test_link_to_a_cancelled_request_says_nothing_is_needed(client, world, feedback_request):
    submission_change_stage(
        submission=feedback_request.submission,
        to_stage=Submission.Stage.WITHDRAWN,
        withdrawal_reason=Submission.WithdrawalReason.OTHER_OFFER,
        actor=world.recruiter,
    )

    assert "No longer needed" in client.get(_link(feedback_request), follow=True).content.decode()
    response = client.post(_open(client, _link(feedback_request)), ANSWER)
    assert response.status_code == 409
    assert "No longer needed" in response.content.decode()
    assert not Feedback.objects.filter(request=feedback_request).exists()


def test_invalid_answer_shows_errors_next_to_fields_and_writes_nothing(client, feedback_request):
    page_url = _open(client, _link(feedback_request))
    response = client.post(page_url, {"rating": "9", "reasons": ["skills_match", "bogus"], "comments": "x"})

    assert response.status_code == 400
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
    response = client.post(_open(client, _link(feedback_request)), {**ANSWER, "rating": "five"})
    assert response.context["form"].errors["rating"] == ["Give a rating from 1 to 5."]
    _nothing_written(feedback_request)


def test_link_works_with_csrf_checks_in_a_fresh_browser(world, feedback_request):
    browser = Client(enforce_csrf_checks=True)
    page_url = _open(browser, _link(feedback_request))

    refused = browser.post(page_url, ANSWER)
    assert refused.status_code == 403
    _nothing_written(feedback_request)

    page = browser.get(page_url)
    assert "csrftoken" in browser.cookies
    assert "sessionid" in browser.cookies  # the link's grant is kept in this browser's session
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    response = browser.post(page_url, {**ANSWER, "csrfmiddlewaretoken": token})

    assert response.status_code == 303
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
    page_url = _open(client, link)

    assert "America/New_York" in client.get(page_url).content.decode()
    response = client.post(
        page_url,
        {
            "form-TOTAL_FORMS": "6",
            "form-INITIAL_FORMS": "0",
            "form-0-date": day.isoformat(),
            "form-0-start": "10:00",
            "form-0-duration": "60",
        },
    )

    assert response.status_code == 303
    assert "Thank you" in client.get(page_url).content.decode()
    slot = AvailabilitySlot.objects.get(request=availability)
    assert slot.starts_at.astimezone(NEW_YORK).hour == 10
    assert slot.ends_at - slot.starts_at == timedelta(hours=1)
    again = client.post(_open(client, link), {"form-TOTAL_FORMS": "0", "form-INITIAL_FORMS": "0"})
    assert again.status_code == 409
    assert AvailabilitySlot.objects.filter(request=availability).count() == 1


# --- Issue 13, failure 9: the link names its person, is used up, and keeps its token out of logs --


def test_someone_else_signed_in_is_asked_to_confirm_and_nothing_is_answered(client, world, feedback_request):
    client.force_login(world.globex_hiring_manager)
    page_url = _open(client, _link(feedback_request))

    page = client.get(page_url)
    assert page.status_code == 200
    text = page.content.decode()
    assert f"This link is for {world.hiring_manager.display_name} (hiring manager, Acme)" in text
    assert f"Continue as {world.hiring_manager.display_name}" in text
    assert 'name="decision"' not in text
    # Posting the answer under Globex's session is refused: the link's person is not who is signed in.
    refused = client.post(page_url, ANSWER)
    assert refused.status_code == 403
    _nothing_written(feedback_request)
    assert client.session["_auth_user_id"] == str(world.globex_hiring_manager.pk)

    # "Continue as": Globex's hiring manager is signed out first, then the link goes on.
    switched = client.post(page_url, {"link_choice": "continue"})
    assert switched.status_code == 303
    assert "_auth_user_id" not in client.session
    form = client.get(switched["Location"])
    assert 'name="decision"' in form.content.decode()
    answered = client.post(switched["Location"], ANSWER)
    assert answered.status_code == 303
    feedback = Feedback.objects.get(request=feedback_request)
    assert (feedback.given_by, feedback.channel) == (world.hiring_manager, Feedback.Channel.EMAIL_LINK)


def test_someone_else_signed_in_can_stay_themselves_and_leave_the_link_unused(client, world, feedback_request):
    client.force_login(world.globex_hiring_manager)
    page_url = _open(client, _link(feedback_request))

    stayed = client.post(page_url, {"link_choice": "stay"})

    assert stayed.status_code == 303
    assert client.session["_auth_user_id"] == str(world.globex_hiring_manager.pk)
    # The link's grant is dropped: the page no longer opens, and nothing was answered.
    assert 'name="decision"' not in client.get(page_url).content.decode()
    _nothing_written(feedback_request)


def test_the_link_page_names_the_person_it_is_for(client, world, feedback_request):
    page = client.get(_link(feedback_request), follow=True)
    assert f"This link is for {world.hiring_manager.display_name} (hiring manager, Acme)" in page.content.decode()


def test_an_answered_link_shows_the_answer_and_offers_nothing_more(client, world, feedback_request):
    feedback_respond(
        feedback_request=feedback_request, actor=world.hiring_manager, decision="advance", rating=4, comments="Sharp"
    )

    page = client.get(_link(feedback_request), follow=True)

    assert page.status_code == 200
    text = page.content.decode()
    assert "Already answered" in text
    assert "Advance" in text
    assert "4 / 5" in text
    assert "<form" not in text
    # No fresh link to the availability request: it has its own email, or the inbox after signing in.
    assert "/r/" not in text
    assert "/respond/" not in text
    availability = AvailabilityRequest.objects.get(submission=feedback_request.submission)
    assert reverse("feedback:availability-respond", kwargs={"pk": availability.pk}) not in text


def test_the_token_is_not_in_the_address_the_link_redirects_to(client, feedback_request):
    link = _link(feedback_request)
    token = link.split("/")[2]

    location = _open(client, link)

    assert token not in location
    assert token not in client.get(location).content.decode()


def test_the_log_filter_redacts_link_tokens_from_the_development_server_log(caplog, feedback_request):
    link = _link(feedback_request)
    token = link.split("/")[2]
    server_log = logging.getLogger("django.server")
    server_log.addHandler(caplog.handler)  # django.server does not propagate: listen on it directly
    try:
        # What django.core.servers.basehttp.WSGIRequestHandler.log_message writes for a request line.
        server_log.info('"%s" %s %s', f"GET {link} HTTP/1.1", "303", "0", extra={"status_code": 303})
    finally:
        server_log.removeHandler(caplog.handler)

    assert token not in caplog.text
    assert '"GET /r/[redacted]/ HTTP/1.1" 303 0' in caplog.text


def test_a_refused_link_is_logged_without_its_token(client, caplog, feedback_request):
    tampered = "X" + _link(feedback_request).split("/")[2][1:]
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get(reverse("feedback:respond-link", kwargs={"token": tampered}))

    assert response.status_code == 400
    assert "/r/[redacted]/" in caplog.text
    assert tampered not in caplog.text


def test_gunicorn_access_log_redacts_link_tokens(capsys, feedback_request):
    from gunicorn.config import Config

    link = _link(feedback_request)
    token = link.split("/")[2]
    settings_file = runpy.run_path(str(Path(django_settings.BASE_DIR) / "gunicorn.conf.py"))
    config = Config()
    config.set("accesslog", "-")
    config.set("logger_class", settings_file["logger_class"])
    access_log = config.logger_class(config)
    response = SimpleNamespace(status="303 See Other", sent=0, headers=[])
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": link,
        "PATH_INFO": link,
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "203.0.113.9",
        "HTTP_REFERER": f"https://portal.example.com{link}",
    }

    access_log.access(response, SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"])]), environ, timedelta(0))

    written = capsys.readouterr().out
    assert "GET /r/[redacted]/ HTTP/1.1" in written
    assert token not in written


def test_signing_out_clears_the_links_opened_in_that_browser(client, world, feedback_request):
    client.force_login(world.hiring_manager)
    page_url = _open(client, _link(feedback_request))
    assert 'name="decision"' in client.get(page_url).content.decode()  # her own link, signed in as her

    client.post(reverse("logout"))

    assert client.get(page_url).status_code == 403
    _nothing_written(feedback_request)
