""" "Add and submit a candidate" adds once per form: the page hands out a one-time token with the
form, and a second POST of that form (a double click, Back and send again, two requests racing)
adds nothing and lands on the same page as the first (issue 13, failure 11)."""

import re
import threading
import uuid
from datetime import UTC, datetime

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse

from engagements.models import Candidate, Submission
from feedback.models import FeedbackRequest

# Monday 12 January 2026, 10:00 in New York: the hiring manager's business hours, no quiet hours.
NOW = datetime(2026, 1, 12, 15, 0, tzinfo=UTC)
TOKEN = re.compile(r'<input type="hidden" name="form_token" value="([0-9a-f-]{36})"')


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(NOW, tick=False)


def _url(requisition) -> str:
    return reverse("partnership:candidate-submit", kwargs={"requisition_pk": requisition.pk})


def _detail(requisition) -> str:
    return reverse("partnership:requisition-detail", kwargs={"pk": requisition.pk})


def _token_of(page: str) -> str:
    [token] = TOKEN.findall(page)
    return token


def _form(token: str, **overrides) -> dict:
    # No email: nothing else (no unique address per engagement) stops a second candidate.
    return {
        "form_token": token,
        "full_name": "Grace Hopper",
        "current_title": "Rear Admiral",
        "summary": "Invented the compiler; leads teams through hard problems.",
        "send_to_review": "on",
        **overrides,
    }


def _emails_to(person) -> list:
    return [message for message in mail.outbox if message.to == [person.email]]


def test_each_rendering_of_the_form_carries_a_fresh_token(client, world):
    client.force_login(world.recruiter)
    first = _token_of(client.get(_url(world.requisition)).content.decode())
    second = _token_of(client.get(_url(world.requisition)).content.decode())
    assert first != second
    assert uuid.UUID(first)
    assert uuid.UUID(second)


def test_the_same_form_posted_twice_adds_one_candidate_and_emails_once(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.recruiter)
    token = _token_of(client.get(_url(world.requisition)).content.decode())

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(_url(world.requisition), _form(token))
    with django_capture_on_commit_callbacks(execute=True):
        second = client.post(_url(world.requisition), _form(token), follow=True)

    assert first.status_code == 303
    assert second.redirect_chain == [(_detail(world.requisition), 303)]
    page = second.content.decode()
    assert "Grace Hopper was already submitted" in page
    assert "nothing was added" in page
    assert Candidate.objects.filter(full_name="Grace Hopper").count() == 1
    submission = Submission.objects.get(candidate__full_name="Grace Hopper")
    assert submission.stage == Submission.Stage.HM_REVIEW
    assert FeedbackRequest.objects.filter(submission=submission).count() == 1
    assert len(_emails_to(world.hiring_manager)) == 1


def test_a_fresh_form_adds_another_candidate_of_the_same_name(client, world):
    client.force_login(world.recruiter)
    for _ in range(2):
        token = _token_of(client.get(_url(world.requisition)).content.decode())
        assert client.post(_url(world.requisition), _form(token)).status_code == 303
    assert Candidate.objects.filter(full_name="Grace Hopper").count() == 2


def test_a_form_refused_for_its_errors_keeps_its_token_and_goes_through_once_corrected(client, world):
    client.force_login(world.recruiter)
    token = _token_of(client.get(_url(world.requisition)).content.decode())

    refused = client.post(_url(world.requisition), _form(token, full_name=""))
    assert refused.status_code == 400
    assert _token_of(refused.content.decode()) == token

    assert client.post(_url(world.requisition), _form(token)).status_code == 303
    assert client.post(_url(world.requisition), _form(token)).status_code == 303
    assert Candidate.objects.filter(full_name="Grace Hopper").count() == 1


def test_a_post_without_a_token_adds_nothing_and_hands_out_a_new_form(client, world):
    client.force_login(world.recruiter)
    data = _form("")
    del data["form_token"]

    response = client.post(_url(world.requisition), data)

    assert response.status_code == 400
    page = response.content.decode()
    assert "Check the details and send the form again" in page
    assert 'value="Grace Hopper"' in page
    assert uuid.UUID(_token_of(page))
    assert not Candidate.objects.exists()


def test_a_token_used_on_another_requisition_adds_nothing_there(client, world):
    client.force_login(world.recruiter)
    token = _token_of(client.get(_url(world.requisition)).content.decode())
    assert client.post(_url(world.requisition), _form(token)).status_code == 303

    response = client.post(_url(world.other_requisition), _form(token, full_name="Ada Lovelace"))

    assert response.status_code in (400, 403)
    assert not Candidate.objects.filter(full_name="Ada Lovelace").exists()
    assert not Submission.objects.filter(requisition=world.other_requisition).exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_posts_of_the_same_form_at_once_add_one_candidate_one_request_and_one_email(world):
    # A double click: the browser sends the same form twice, on the same session, at the same time.
    browser = Client()
    browser.force_login(world.recruiter)
    token = _token_of(browser.get(_url(world.requisition)).content.decode())
    start = threading.Barrier(2)
    answers: list[tuple[int, str]] = []
    failures: list[BaseException] = []

    def send():
        tab = Client()
        tab.cookies = browser.cookies
        try:
            start.wait(timeout=10)
            response = tab.post(_url(world.requisition), _form(token))
            answers.append((response.status_code, response.get("Location", "")))
        except BaseException as error:  # reported below: a thread's exception is otherwise lost
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert failures == []
    assert answers == [(303, _detail(world.requisition))] * 2
    assert Candidate.objects.filter(full_name="Grace Hopper").count() == 1
    submission = Submission.objects.get(candidate__full_name="Grace Hopper")
    assert str(submission.form_token) == token
    assert FeedbackRequest.objects.filter(submission=submission).count() == 1
    assert len(_emails_to(world.hiring_manager)) == 1
