"""A candidate moved to withdrawn needs the reason (the cost of waiting counts withdrawals by it):
the pipeline page asks for it beside the field and makes no move without it, shows it once given,
and the admin's bulk action asks for it on a page of its own."""

import html
from datetime import UTC, datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from engagements.models import Submission, SubmissionStageChange
from feedback.models import FeedbackRequest, RequestStatus
from tests import factories

NOW = datetime(2026, 1, 12, 15, 0, tzinfo=UTC)
NEEDED = "Say why the candidate withdrew: the cost of waiting counts it."


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def submission(world):
    return factories.SubmissionFactory(
        requisition=world.requisition, stage=Submission.Stage.HM_REVIEW, candidate__full_name="Ada Lovelace"
    )


def _move(submission) -> str:
    return reverse("partnership:submission-move", kwargs={"pk": submission.pk})


def _pipeline(submission) -> str:
    return reverse("partnership:requisition-detail", kwargs={"pk": submission.requisition_id})


def _unmoved(submission) -> None:
    submission.refresh_from_db()
    assert (submission.stage, submission.withdrawal_reason) == (Submission.Stage.HM_REVIEW, "")
    assert not SubmissionStageChange.objects.filter(submission=submission).exists()


def test_the_pipeline_offers_the_reasons_beside_the_move(client, world, submission):
    client.force_login(world.recruiter)
    page = html.unescape(client.get(_pipeline(submission)).content.decode())
    assert "Why did they withdraw?" in page
    assert '<option value="other_offer">Took another offer</option>' in page
    assert '<option value="too_slow">The process took too long</option>' in page
    assert "not_recorded" not in page  # only for withdrawals from before the reason was asked


@pytest.mark.parametrize("reason", [None, "", "bored", "not_recorded"])
def test_a_withdrawal_without_a_reason_asks_for_it_beside_the_field_and_moves_nothing(
    client, world, submission, reason
):
    client.force_login(world.recruiter)
    data = {"stage": "withdrawn", "note": "Went quiet", "next": _pipeline(submission)}
    if reason is not None:
        data["withdrawal_reason"] = reason

    response = client.post(_move(submission), data)

    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    field = page[page.index('name="withdrawal_reason"') :]
    field = field[: field.index("</div>")]
    assert (NEEDED if not reason else "Pick a reason from the list.") in field
    assert 'value="Went quiet"' in page  # what was typed is kept
    assert '<option value="withdrawn" selected>' in page
    _unmoved(submission)


def test_the_reason_is_stored_and_the_pipeline_shows_it(client, world, submission):
    request = factories.FeedbackRequestFactory(submission=submission, requested_of=world.hiring_manager)
    client.force_login(world.recruiter)

    response = client.post(
        _move(submission), {"stage": "withdrawn", "withdrawal_reason": "too_slow", "note": "Waited two weeks"}
    )

    assert response.status_code == 303
    assert response["Location"] == _pipeline(submission)
    [message] = [str(message) for message in get_messages(response.wsgi_request)]
    assert message == "Ada Lovelace moved to withdrawn: the process took too long."
    submission.refresh_from_db()
    assert (submission.stage, submission.withdrawal_reason) == ("withdrawn", "too_slow")
    change = SubmissionStageChange.objects.get(submission=submission)
    assert (change.to_stage, change.note) == ("withdrawn", "Waited two weeks")
    request.refresh_from_db()
    assert request.status == RequestStatus.CANCELLED

    page = html.unescape(client.get(_pipeline(submission)).content.decode())
    card = page[page.index(f'id="submission-{submission.pk}"') :]
    assert "why: the process took too long" in card[: card.index("</li>")]


def test_the_page_asked_for_the_reason_moves_once_it_is_given(client, world, submission):
    client.force_login(world.recruiter)
    asked = client.post(_move(submission), {"stage": "withdrawn"})
    assert asked.status_code == 400

    response = client.post(_move(submission), {"stage": "withdrawn", "withdrawal_reason": "other_offer"})

    assert response.status_code == 303
    submission.refresh_from_db()
    assert submission.withdrawal_reason == "other_offer"


@pytest.mark.parametrize("reason", ["other_offer", "bored"])
def test_a_reason_left_picked_for_another_stage_is_ignored(client, world, submission, reason):
    client.force_login(world.recruiter)
    response = client.post(_move(submission), {"stage": "rejected", "withdrawal_reason": reason})
    assert response.status_code == 303
    submission.refresh_from_db()
    assert (submission.stage, submission.withdrawal_reason) == ("rejected", "")


def test_a_closed_submission_says_so_rather_than_asking_why(client, world):
    hired = factories.SubmissionFactory(requisition=world.requisition, stage=Submission.Stage.HIRED)
    client.force_login(world.recruiter)
    response = client.post(_move(hired), {"stage": "withdrawn"})
    assert response.status_code == 303
    assert "a closed submission does not move" in str(next(iter(get_messages(response.wsgi_request))))


# --- the admin's bulk action ---------------------------------------------------------------------


@pytest.fixture
def admin_client(client, world):
    world.provider_admin.is_staff = world.provider_admin.is_superuser = True
    world.provider_admin.save(update_fields=["is_staff", "is_superuser"])
    client.force_login(world.provider_admin)
    return client


CHANGELIST = "/admin/engagements/submission/"


def test_the_admin_action_asks_why_before_withdrawing(admin_client, world, submission):
    other = factories.SubmissionFactory(requisition=world.requisition, candidate__full_name="Bo Brown")
    selected = {"action": "withdraw", "_selected_action": [submission.pk, other.pk]}

    asked = admin_client.post(CHANGELIST, selected)

    assert asked.status_code == 200
    page = html.unescape(asked.content.decode())
    assert "Why did they withdraw?" in page
    assert "Ada Lovelace" in page
    assert "Bo Brown" in page
    _unmoved(submission)

    no_reason = admin_client.post(CHANGELIST, {**selected, "apply_reason": "1", "withdrawal_reason": ""})
    assert no_reason.status_code == 200
    assert NEEDED in html.unescape(no_reason.content.decode())
    _unmoved(submission)

    done = admin_client.post(
        CHANGELIST, {**selected, "apply_reason": "1", "withdrawal_reason": "compensation"}, follow=True
    )
    assert done.status_code == 200
    assert "Moved 2 submission(s)." in [str(message) for message in done.context["messages"]]
    assert set(
        Submission.objects.filter(pk__in=[submission.pk, other.pk]).values_list("stage", "withdrawal_reason")
    ) == {("withdrawn", "compensation")}
    assert FeedbackRequest.objects.filter(submission=submission, status=RequestStatus.OPEN).count() == 0
