"""The portal suggests wins from its own data (a requisition filled early, a month of on-time answers,
the month's fastest feedback, an issue resolved), each once, whatever became of it; one click makes
it a win, and a second click makes nothing more."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from engagements.models import Requisition
from feedback.models import RequestStatus
from partnership.models import PartnershipItem, SuggestedWin
from partnership.suggested_wins import suggested_wins_detect
from partnership.tasks import detect_suggested_wins
from tests import factories

# Wednesday 18 March 2026, afternoon in New York (Acme's zone): the previous month is February.
NOW = datetime(2026, 3, 18, 15, 0, tzinfo=UTC)
IN_FEBRUARY = datetime(2026, 2, 10, 15, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(NOW, tick=False)


def _fill_early(requisition, *, filled_on=date(2026, 3, 10), target_on=date(2026, 3, 31)):
    requisition.opened_on = date(2026, 1, 5)
    requisition.status = Requisition.Status.FILLED
    requisition.filled_on = filled_on
    requisition.target_on = target_on
    requisition.save()


def _detect(world):
    return suggested_wins_detect(engagement=world.acme_engagement)


def _answered(world, count, *, late=0, requested_of=None, hours=2):
    """Feedback requests asked of the hiring manager in February, answered ``hours`` after being asked."""
    for number in range(count):
        asked = IN_FEBRUARY + timedelta(days=number % 10)
        answered = asked + timedelta(hours=hours)
        factories.FeedbackRequestFactory(
            submission__requisition=world.requisition,
            requested_of=requested_of or world.hiring_manager,
            created_at=asked,
            status=RequestStatus.ANSWERED,
            answered_at=answered + (timedelta(days=3) if number < late else timedelta(0)),
        )


def test_a_requisition_filled_before_its_target_is_suggested_once_with_its_team(world):
    _fill_early(world.requisition)

    assert _detect(world) == 1
    assert _detect(world) == 0  # the second run offers nothing new

    suggestion = SuggestedWin.objects.get()
    assert suggestion.key == f"filled-early:{world.requisition.pk}"
    assert suggestion.status == SuggestedWin.Status.OFFERED
    assert "21 days early" in suggestion.title
    assert set(suggestion.people.all()) == {world.recruiter, world.sourcer, world.hiring_manager}


def test_a_dismissed_suggestion_is_not_offered_again(client, world):
    _fill_early(world.requisition)
    detect_suggested_wins.delay()
    suggestion = SuggestedWin.objects.get()

    client.force_login(world.account_manager)
    response = client.post(reverse("partnership:suggested-win-dismiss", kwargs={"pk": suggestion.pk}))
    assert response.status_code == 303
    detect_suggested_wins.delay()
    detect_suggested_wins.delay()

    suggestion = SuggestedWin.objects.get()
    assert suggestion.status == SuggestedWin.Status.DISMISSED
    assert suggestion.decided_by == world.account_manager
    assert not PartnershipItem.objects.exists()


def test_a_requisition_filled_late_or_without_a_target_is_not_suggested(world):
    _fill_early(world.requisition, filled_on=date(2026, 3, 10), target_on=date(2026, 3, 1))
    _fill_early(world.other_requisition, filled_on=date(2026, 3, 10), target_on=None)

    assert _detect(world) == 0


def test_a_month_of_on_time_answers_is_suggested_with_five_requests_or_more(world):
    _answered(world, 5)
    _answered(world, 4, requested_of=world.other_hiring_manager)  # too few to count

    _detect(world)

    keys = set(SuggestedWin.objects.values_list("key", flat=True))
    assert f"on-time-month:{world.hiring_manager.pk}:2026-02" in keys
    assert f"on-time-month:{world.other_hiring_manager.pk}:2026-02" not in keys


def test_one_late_answer_in_the_month_means_no_on_time_suggestion(world):
    _answered(world, 6, late=1)

    _detect(world)

    assert not SuggestedWin.objects.filter(source=SuggestedWin.Source.ON_TIME_MONTH).exists()


def test_the_fastest_feedback_of_the_month_is_the_shortest_median_over_three_answers_or_more(world):
    _answered(world, 3, hours=1)
    _answered(world, 3, requested_of=world.other_hiring_manager, hours=5)
    # One very quick answer is not a month of quick ones.
    quick = factories.UserFactory(organization=world.acme, role="hiring_manager", full_name="Quinn Quick")
    _answered(world, 1, requested_of=quick, hours=0.1)

    _detect(world)

    fastest = SuggestedWin.objects.get(source=SuggestedWin.Source.FASTEST_FEEDBACK)
    assert fastest.key == "fastest-feedback:2026-02"
    assert list(fastest.people.all()) == [world.hiring_manager]
    assert "typically 1 hour after being asked" in fastest.what_happened


def test_a_resolved_issue_is_suggested_thanking_its_owner_and_whoever_raised_it(world):
    issue = PartnershipItem.objects.create(
        kind="issue",
        engagement=world.acme_engagement,
        title="Interview slots offered too late",
        what_happened="Slots came a week after the request.",
        owner=world.hiring_manager,
        due_on=date(2026, 3, 20),
        status="resolved",
        resolution="Slots are now offered within two days.",
        closed_at=NOW - timedelta(days=2),
        raised_by=world.recruiter,
    )

    _detect(world)
    _detect(world)

    suggestion = SuggestedWin.objects.get()
    assert suggestion.key == f"issue-resolved:{issue.pk}"
    assert set(suggestion.people.all()) == {world.hiring_manager, world.recruiter}
    assert "Slots are now offered within two days." in suggestion.what_happened


def test_detecting_asks_as_many_queries_for_ten_new_suggestions_as_for_two(world):
    def requisitions(count):
        for _ in range(count):
            requisition = factories.RequisitionFactory(engagement=world.acme_engagement)
            factories.AssignmentFactory(requisition=requisition, recruiter=world.recruiter, starts_on=date(2026, 1, 5))
            _fill_early(requisition)

    requisitions(2)
    with CaptureQueriesContext(connection) as few:
        assert _detect(world) == 2
    requisitions(10)
    with CaptureQueriesContext(connection) as many:
        assert _detect(world) == 10

    assert len(many.captured_queries) == len(few.captured_queries)


# --- Deciding -------------------------------------------------------------------------------------


def _accept_url(suggestion):
    return reverse("partnership:suggested-win-accept", kwargs={"pk": suggestion.pk})


def test_one_click_makes_a_win_and_a_double_click_makes_one(client, world, django_capture_on_commit_callbacks):
    _fill_early(world.requisition)
    _detect(world)
    suggestion = SuggestedWin.objects.get()
    engagement_page = reverse("partnership:engagement-detail", kwargs={"pk": world.acme_engagement.pk})

    client.force_login(world.client_admin)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(_accept_url(suggestion), {"next": engagement_page})
        second = client.post(_accept_url(suggestion), {"next": engagement_page})

    assert first.status_code == second.status_code == 303
    assert first["Location"] == engagement_page
    win = PartnershipItem.objects.get(kind="win")
    assert win.title == suggestion.title
    assert set(win.thanked.all()) == {world.recruiter, world.sourcer, world.hiring_manager}
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestedWin.Status.ACCEPTED
    assert suggestion.win == win
    assert suggestion.decided_by == world.client_admin
    # The people thanked, and the recruiters' account manager, each once.
    assert sorted(address for message in mail.outbox for address in message.to) == sorted(
        [world.recruiter.email, world.sourcer.email, world.hiring_manager.email, world.account_manager.email]
    )
    page = client.get(engagement_page).content.decode()
    assert "was already made a win" in page


def test_accepting_a_dismissed_suggestion_makes_no_win_and_says_why(client, world):
    _fill_early(world.requisition)
    _detect(world)
    suggestion = SuggestedWin.objects.get()
    client.force_login(world.account_manager)
    client.post(reverse("partnership:suggested-win-dismiss", kwargs={"pk": suggestion.pk}))

    response = client.post(_accept_url(suggestion))

    assert response.status_code == 303
    assert not PartnershipItem.objects.exists()
    assert "was dismissed" in client.get(response["Location"]).content.decode()


def test_another_clients_suggestion_is_not_found(client, world):
    _fill_early(world.requisition)
    _detect(world)
    suggestion = SuggestedWin.objects.get()

    client.force_login(world.globex_admin)
    assert client.post(_accept_url(suggestion)).status_code == 404
    assert client.post(reverse("partnership:suggested-win-dismiss", kwargs={"pk": suggestion.pk})).status_code == 404
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestedWin.Status.OFFERED


def test_a_hiring_manager_cannot_decide_on_suggestions(client, world):
    _fill_early(world.requisition)
    _detect(world)
    suggestion = SuggestedWin.objects.get()

    client.force_login(world.hiring_manager)
    assert client.post(_accept_url(suggestion)).status_code == 403
    assert not PartnershipItem.objects.exists()


def test_the_engagement_page_lists_offered_suggestions_with_one_click_buttons(client, world):
    _fill_early(world.requisition)
    _detect(world)
    suggestion = SuggestedWin.objects.get()

    client.force_login(world.client_admin)
    page = client.get(reverse("partnership:engagement-detail", kwargs={"pk": world.acme_engagement.pk}))

    content = page.content.decode()
    assert "Suggested wins" in content
    assert suggestion.title in content
    assert _accept_url(suggestion) in content
    assert "Make it a win" in content
