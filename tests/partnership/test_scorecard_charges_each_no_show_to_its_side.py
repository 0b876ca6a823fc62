"""A candidate who misses an interview is the provider's to answer for; a hiring manager who misses
one is the client's, and so are reschedules. Each kind lands on its own side of the scorecard,
exactly, the same on the page, in the API and in the CSV (issue 12: the client-side "Interview
no-shows" counted the candidate's no-show)."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse

from engagements.models import Interview
from engagements.services import interview_set_status
from partnership.scorecard import engagement_scorecard

from .scorecard_history import NOW, build_history

CLIENT_KEYS = {"hiring_manager_no_shows", "interview_reschedules"}
PROVIDER_KEYS = {"candidate_no_shows"}


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def history(world):
    return build_history(world)


def _values(engagement, now=NOW - timedelta(minutes=1)) -> dict[str, float | None]:
    """Every figure, computed afresh (a moment off the clock is never read from the cache)."""
    scorecard = engagement_scorecard(engagement=engagement, days=30, now=now)
    return {figure.key: figure.value for figure in (*scorecard.client, *scorecard.provider)}


def _changed(before: dict, after: dict) -> dict[str, tuple]:
    return {key: (before[key], after[key]) for key in before if before[key] != after[key]}


def _waiting_interview(history) -> Interview:
    """I5 of the known history, moved to yesterday: it took place and waits for its outcome."""
    interview = history.interviews["i5"]
    Interview.objects.filter(pk=interview.pk).update(
        starts_at=NOW - timedelta(days=1), ends_at=NOW - timedelta(days=1) + timedelta(hours=1)
    )
    interview.refresh_from_db()
    return interview


def test_each_no_show_is_on_its_own_side_with_its_definition(history):
    scorecard = engagement_scorecard(engagement=history.world.acme_engagement, days=30, now=NOW)

    client = {figure.key: figure for figure in scorecard.client}
    provider = {figure.key: figure for figure in scorecard.provider}
    assert set(client) >= CLIENT_KEYS
    assert set(provider) >= PROVIDER_KEYS
    assert not PROVIDER_KEYS & set(client)
    assert not CLIENT_KEYS & set(provider)
    assert "interview_no_shows" not in client  # the old, ambiguous figure is gone
    assert (client["hiring_manager_no_shows"].label, client["hiring_manager_no_shows"].value) == (
        "Hiring-manager no-shows",
        1.0,
    )
    assert (provider["candidate_no_shows"].label, provider["candidate_no_shows"].value) == ("Candidate no-shows", 1.0)
    assert "hiring manager" in client["hiring_manager_no_shows"].definition
    assert "candidate" in provider["candidate_no_shows"].definition


def test_a_candidates_no_show_moves_the_providers_figure_and_nothing_on_the_clients_side(history):
    world = history.world
    interview = _waiting_interview(history)
    before = _values(world.acme_engagement)

    interview_set_status(actor=world.recruiter, interview=interview, status=Interview.Status.NO_SHOW)

    assert _changed(before, _values(world.acme_engagement)) == {"candidate_no_shows": (1.0, 2.0)}


def test_a_hiring_managers_no_show_moves_the_clients_figure_and_nothing_on_the_providers_side(history):
    world = history.world
    interview = _waiting_interview(history)
    before = _values(world.acme_engagement)

    interview_set_status(actor=world.recruiter, interview=interview, status=Interview.Status.HM_NO_SHOW)

    assert _changed(before, _values(world.acme_engagement)) == {"hiring_manager_no_shows": (1.0, 2.0)}


def test_a_recorded_reschedule_counts_on_the_clients_side_only(history):
    world = history.world
    interview = _waiting_interview(history)  # I5 was moved once before: reschedules 3 + 1 in the window
    before = _values(world.acme_engagement)

    interview_set_status(
        actor=world.recruiter, interview=interview, status="rescheduled", starts_at=NOW + timedelta(hours=2)
    )

    # Looked at once the new time has come: the interview is still in the window, moved once more.
    after = _values(world.acme_engagement, now=NOW + timedelta(hours=3))
    assert _changed(before, after) == {"interview_reschedules": (4.0, 5.0)}


def test_a_completed_or_cancelled_interview_counts_on_neither_side(history):
    world = history.world
    interview = _waiting_interview(history)
    before = _values(world.acme_engagement)

    interview_set_status(actor=world.recruiter, interview=interview, status=Interview.Status.COMPLETED)

    assert _changed(before, _values(world.acme_engagement)) == {}


def test_the_page_the_api_and_the_csv_agree_on_both_no_shows(client, client_for, history):
    world = history.world
    engagement = world.acme_engagement
    client.force_login(world.account_manager)

    page = client.get(reverse("partnership:engagement-detail", kwargs={"pk": engagement.pk})).content.decode()
    client_side = page[page.index('class="card side side-client"') : page.index('class="card side side-provider"')]
    provider_side = page[page.index('class="card side side-provider"') :]
    assert 'id="figure-hiring_manager_no_shows"' in client_side
    assert "Interviews starting in the window that the hiring manager did not show up for." in client_side
    assert 'id="figure-candidate_no_shows"' in provider_side
    assert 'id="figure-candidate_no_shows"' not in client_side

    body = client_for(world.account_manager).get(f"/api/v1/engagements/{engagement.pk}/scorecard/").json()
    api = {(figure["side"], figure["key"]): figure["value"] for figure in body["client"] + body["provider"]}
    assert api[("client", "hiring_manager_no_shows")] == 1.0
    assert api[("provider", "candidate_no_shows")] == 1.0

    export = client.get(reverse("partnership:engagement-scorecard-csv", kwargs={"pk": engagement.pk}))
    rows = list(csv.reader(io.StringIO(export.content.decode())))
    assert ["client", "Hiring-manager no-shows", "1.0"] in [row[:3] for row in rows]
    assert ["provider", "Candidate no-shows", "1.0"] in [row[:3] for row in rows]
