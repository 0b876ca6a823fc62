"""Pulse answers through the link and the portal, and results only as aggregates: a group under 3
answers shows "Not enough answers yet" on the page, the API and the CSV; no name next to a score;
comments only from 3 answers, without names; another client's surveys are not there."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from feedback.links import make_token, response_url
from partnership.models import PulseResponse, PulseSurvey
from partnership.pulse.sending import pulse_survey_open
from tests import factories

from .pulse_kit import OPENING, answer, open_surveys

NOT_ENOUGH = "Not enough answers yet"
HELD = "Shown when the survey closes"


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(OPENING, tick=False)


def _link(survey, person) -> str:
    return response_url(kind="pulse", request_id=survey.pk, user_id=person.pk)


def _open_link(client, survey, person) -> str:
    token = make_token(kind="pulse", request_id=survey.pk, user_id=person.pk)
    response = client.get(reverse("feedback:respond-link", kwargs={"token": token}))
    assert response.status_code == 303
    return response["Location"]


CLIENT_FORM = {"candidate_quality": "4", "communication": "3", "responsiveness": "5", "overall": "4", "comment": ""}


# --- Answering ----------------------------------------------------------------------------------


def test_a_hiring_manager_answers_from_the_link_without_signing_in_once(client, world):
    survey = open_surveys()[world.acme_engagement.pk]
    assert _link(survey, world.hiring_manager).startswith("http")
    page_url = _open_link(client, survey, world.hiring_manager)
    assert page_url == reverse("partnership:pulse-link-page", kwargs={"pk": survey.pk})

    page = client.get(page_url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "<legend>Quality of the candidates put forward" in html
    assert html.count("<fieldset") == 4
    assert "Talentbridge RPO" in html

    refused = client.post(page_url, {**CLIENT_FORM, "overall": ""})
    assert refused.status_code == 400
    assert "Choose a score from 1 to 5." in refused.content.decode()

    sent = client.post(page_url, {**CLIENT_FORM, "comment": "Great shortlists"})
    assert (sent.status_code, sent["Location"]) == (303, reverse("partnership:pulse-thanks"))
    assert "Thank you" in client.get(sent["Location"]).content.decode()

    again = client.post(page_url, CLIENT_FORM)  # Back, and send again
    assert again.status_code == 409
    assert "You have already answered" in again.content.decode()
    assert PulseResponse.objects.filter(survey=survey).count() == 1


def test_the_answer_page_fits_a_phone_and_has_nothing_inline(client, world):
    survey = open_surveys()[world.acme_engagement.pk]
    html = client.get(_open_link(client, survey, world.recruiter)).content.decode()
    assert 'name="viewport"' in html
    assert "<style" not in html
    assert " style=" not in html
    assert "<script>" not in html
    assert "Speed of the hiring managers" in html  # the provider's questions
    assert "Quality of the candidates" not in html
    css = factories.__file__.rsplit("/tests/", 1)[0] + "/static/css/portal.css"
    with open(css) as stylesheet:
        assert ".pulse-scale .star span" in stylesheet.read()


def test_a_link_for_another_survey_or_person_is_refused(client, world):
    surveys = open_surveys()
    acme, globex = surveys[world.acme_engagement.pk], surveys[world.globex_engagement.pk]
    _open_link(client, acme, world.hiring_manager)
    # The grant is for the Acme survey: the Globex survey's page opens nothing.
    response = client.get(reverse("partnership:pulse-link-page", kwargs={"pk": globex.pk}))
    assert response.status_code == 403
    assert "Open the link from your email" in response.content.decode()
    # A validly signed link for someone who was not asked this survey.
    response = client.get(_open_link(client, acme, world.globex_admin))
    assert response.status_code == 404
    # A link changed by hand.
    token = make_token(kind="pulse", request_id=acme.pk, user_id=world.hiring_manager.pk)
    response = client.get(reverse("feedback:respond-link", kwargs={"token": token[:-2] + "xx"}))
    assert response.status_code == 400
    assert not PulseResponse.objects.exists()


def test_a_link_opened_while_someone_else_is_signed_in_answers_nothing(client, world):
    survey = open_surveys()[world.acme_engagement.pk]
    client.force_login(world.client_admin)
    page_url = _open_link(client, survey, world.hiring_manager)
    assert "This link is for someone else" in client.get(page_url).content.decode()
    assert client.post(page_url, CLIENT_FORM).status_code == 403
    assert not PulseResponse.objects.exists()


def test_a_closed_survey_says_so(client, world, time_machine):
    survey = open_surveys()[world.acme_engagement.pk]
    time_machine.move_to(OPENING + timedelta(days=20), tick=False)  # the emailed link, opened late
    page_url = _open_link(client, survey, world.hiring_manager)
    response = client.get(page_url)
    assert response.status_code == 200
    assert "This survey has closed" in response.content.decode()
    assert client.post(page_url, CLIENT_FORM).status_code == 409
    assert not PulseResponse.objects.exists()


def test_a_signed_in_person_answers_from_the_portal_and_others_get_404(client, world):
    survey = open_surveys()[world.acme_engagement.pk]
    url = reverse("partnership:pulse-answer", kwargs={"pk": survey.pk})
    client.force_login(world.globex_admin)
    assert client.get(url).status_code == 404
    client.force_login(world.client_admin)
    assert client.get(url).status_code == 200
    assert client.post(url, CLIENT_FORM).status_code == 303
    assert client.post(url, CLIENT_FORM).status_code == 409
    assert PulseResponse.objects.filter(survey=survey).count() == 1


def test_the_api_answers_through_the_link_once(api_client, world):
    survey = open_surveys()[world.acme_engagement.pk]
    token = make_token(kind="pulse", request_id=survey.pk, user_id=world.recruiter.pk)
    url = reverse("pulse-answer-create")
    scores = {"feedback_speed": 2, "interview_availability": 3, "requirements_clarity": 4, "overall": 3}

    missing = api_client.post(url, {"token": token, "overall": 3}, format="json")
    assert missing.status_code == 400
    assert "feedback_speed" in missing.json()
    assert api_client.post(url, {"token": token[:-2] + "xx", **scores}, format="json").status_code == 400
    feedback_token = make_token(kind="feedback", request_id=survey.pk, user_id=world.recruiter.pk)
    assert api_client.post(url, {"token": feedback_token, **scores}, format="json").status_code == 400
    stranger = make_token(kind="pulse", request_id=survey.pk, user_id=world.globex_admin.pk)
    assert api_client.post(url, {"token": stranger, **scores}, format="json").status_code == 404

    created = api_client.post(url, {"token": token, **scores, "comment": "Quick feedback"}, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["side"] == "provider"
    again = api_client.post(url, {"token": token, **scores}, format="json")
    assert again.status_code == 409
    assert "already answered" in again.json()["detail"]
    assert PulseResponse.objects.filter(survey=survey).count() == 1


# --- Results ------------------------------------------------------------------------------------


def _results(client, client_for, world, viewer):
    client.force_login(viewer)
    engagement = world.acme_engagement
    page = client.get(reverse("partnership:engagement-pulse", kwargs={"pk": engagement.pk}))
    csv = client.get(reverse("partnership:engagement-pulse-csv", kwargs={"pk": engagement.pk}))
    api = client_for(viewer).get(reverse("pulse-survey-list"), {"engagement": engagement.pk})
    assert (page.status_code, csv.status_code, api.status_code) == (200, 200, 200)
    return page.content.decode(), csv.content.decode(), api.json()["results"]


def test_aggregates_are_hidden_under_three_answers_and_until_the_survey_closes_everywhere(
    client, client_for, world, time_machine
):
    survey = open_surveys()[world.acme_engagement.pk]
    answer(survey, world.hiring_manager, comment="Shortlists came late", overall=2)
    answer(survey, world.other_hiring_manager, comment="Very responsive team", overall=5)

    page, csv, api = _results(client, client_for, world, world.account_manager)
    assert NOT_ENOUGH in page
    assert NOT_ENOUGH in csv
    assert "Shortlists came late" not in page + csv + str(api)
    assert "67%" in page  # 2 of 3 answered: the response rate is shown at any size
    (row,) = api
    assert row["client"]["enough"] is False
    assert row["client"]["message"] == NOT_ENOUGH
    assert row["client"]["answered"] == 2
    assert row["client"]["invited"] == 3
    assert {question["average"] for question in row["client"]["questions"]} == {None}
    assert row["client"]["comments"] == []

    answer(survey, world.client_admin, comment="All good", overall=5)
    # Three answers, but the survey is open: an average that moved with each answer would give the
    # newest answer away, so nothing but the response rate shows until it closes.
    page, csv, api = _results(client, client_for, world, world.client_admin)
    (row,) = api
    assert row["client"]["enough"] is True
    assert row["client"]["shown"] is False
    assert row["client"]["message"] == HELD
    assert {question["average"] for question in row["client"]["questions"]} == {None}
    assert row["client"]["comments"] == []
    assert HELD in page
    assert HELD in csv
    assert "Shortlists came late" not in page + csv

    time_machine.move_to(survey.closes_at, tick=False)
    page, csv, api = _results(client, client_for, world, world.client_admin)
    (row,) = api
    assert row["client"]["shown"] is True
    assert row["client"]["message"] == ""
    overall = next(question for question in row["client"]["questions"] if question["field"] == "overall")
    assert overall["average"] == pytest.approx(4.0)
    # Without names, in an order that is not the order they were given.
    assert row["client"]["comments"] == ["All good", "Shortlists came late", "Very responsive team"]
    assert page.index("All good") < page.index("Shortlists came late") < page.index("Very responsive team")
    assert "4.0" in csv
    # The provider's side has no answer yet: still hidden.
    assert row["provider"]["enough"] is False
    assert NOT_ENOUGH in page


def test_no_respondents_name_is_shown_next_to_a_score(client, client_for, world, time_machine):
    survey = open_surveys()[world.acme_engagement.pk]
    for person in (world.hiring_manager, world.other_hiring_manager, world.client_admin):
        answer(survey, person, comment="Fine")
    for person in (world.recruiter, world.sourcer, world.account_manager):
        answer(survey, person, comment="Fine too")
    time_machine.move_to(survey.closes_at, tick=False)  # the scores and comments are shown
    page, csv, api = _results(client, client_for, world, world.provider_admin)
    assert "Fine too" in page  # the comments and averages are there, without names
    assert api[0]["provider"]["shown"] is True
    respondents = [world.hiring_manager, world.other_hiring_manager, world.client_admin, world.recruiter, world.sourcer]
    for person in respondents:
        for text in (page, csv, str(api)):
            assert person.display_name not in text
            assert person.email not in text


def test_another_clients_surveys_answer_404_and_hiring_managers_read_no_results(client, client_for, world):
    survey = open_surveys()[world.acme_engagement.pk]
    for name in ("engagement-pulse", "engagement-pulse-csv"):
        url = reverse(f"partnership:{name}", kwargs={"pk": world.acme_engagement.pk})
        client.force_login(world.globex_admin)
        assert client.get(url).status_code == 404
        client.force_login(world.hiring_manager)
        assert client.get(url).status_code == 403
    api = client_for(world.globex_admin)
    assert api.get(reverse("pulse-survey-detail", args=[survey.pk])).status_code == 404
    assert survey.pk not in {row["id"] for row in api.get(reverse("pulse-survey-list")).json()["results"]}
    hiring_manager = client_for(world.hiring_manager)
    assert hiring_manager.get(reverse("pulse-survey-list")).json()["results"] == []
    assert hiring_manager.get(reverse("pulse-survey-detail", args=[survey.pk])).status_code == 404


def test_the_engagement_page_shows_pulse_trends_in_constant_queries(client, world):
    url = reverse("partnership:engagement-detail", kwargs={"pk": world.acme_engagement.pk})
    client.force_login(world.account_manager)
    assert "No pulse survey has been sent yet" in client.get(url).content.decode()
    survey = open_surveys()[world.acme_engagement.pk]
    for person in (world.hiring_manager, world.other_hiring_manager, world.client_admin):
        answer(survey, person, comment="Kind words")

    def count() -> int:
        from django.core.cache import cache

        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return len(queries.captured_queries)

    client.get(url)
    one = count()
    start = survey.period_start
    for months in range(1, 6):
        earlier = start.replace(
            year=start.year - (1 if start.month - months < 1 else 0), month=(start.month - months - 1) % 12 + 1
        )
        older = pulse_survey_open(engagement=world.acme_engagement, period_start=earlier, now=OPENING)
        for person in (world.hiring_manager, world.other_hiring_manager, world.client_admin):
            answer(older, person)
    assert PulseSurvey.objects.filter(engagement=world.acme_engagement).count() == 6
    six = count()
    assert six == one
    page = client.get(url).content.decode()
    assert "Pulse results" in page
    assert "November 2026" in page
    assert "June 2026" in page
    assert "Kind words" not in page  # comments are on the pulse page, not beside the trends
    assert NOT_ENOUGH in page  # the provider's side has no answers


def test_the_account_manager_sets_the_cadence_on_the_sla_page(client, world):
    client.force_login(world.account_manager)
    url = reverse("partnership:engagement-sla", kwargs={"pk": world.acme_engagement.pk})
    form = client.get(url).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(
        business_day_start="09:00",
        business_day_end="17:00",
        escalation_contact="",
        pulse_cadence="quarterly",
    )
    response = client.post(url, data)
    assert response.status_code == 303, response.content.decode()[:2000]
    world.acme_engagement.refresh_from_db()
    assert world.acme_engagement.pulse_cadence == "quarterly"
    assert client.post(url, {**data, "pulse_cadence": "weekly"}).status_code == 400


def test_a_signed_in_person_finds_the_open_survey_on_their_page(client, world):
    survey = open_surveys()[world.acme_engagement.pk]
    answer_url = reverse("partnership:pulse-answer", kwargs={"pk": survey.pk})
    for person, url in (
        (world.hiring_manager, reverse("partnership:requisition-list")),
        (world.recruiter, reverse("partnership:requisition-list")),
        (world.client_admin, reverse("partnership:engagement-detail", kwargs={"pk": world.acme_engagement.pk})),
    ):
        client.force_login(person)
        assert answer_url in client.get(url).content.decode(), person
        answer(survey, person)
        assert answer_url not in client.get(url).content.decode(), person
