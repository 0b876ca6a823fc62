"""Token login (POST auth/token/), token and session use, and the current user (me/)."""

import pytest
from rest_framework.test import APIClient

from .. import factories

TOKEN_URL = "/api/v1/auth/token/"
ME_URL = "/api/v1/me/"


def test_a_user_obtains_a_token_with_any_case_of_their_email_and_uses_it(world, api_client):
    response = api_client.post(
        TOKEN_URL, {"email": "RITA@TB.example", "password": factories.DEFAULT_PASSWORD}, format="json"
    )
    assert response.status_code == 200, response.content
    token = response.json()["token"]
    assert list(response.json()) == ["token", "expiry"]

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get(ME_URL).json()["email"] == world.recruiter.email

    # Each sign-in gets a token of its own (see tests/accounts/test_it_expires_and_revokes_api_tokens.py).
    again = api_client.post(TOKEN_URL, {"email": world.recruiter.email, "password": factories.DEFAULT_PASSWORD})
    assert again.json()["token"] != token


@pytest.mark.parametrize(
    ("email", "password"),
    [("rita@tb.example", "wrong password"), ("nobody@tb.example", factories.DEFAULT_PASSWORD)],
    ids=["wrong-password", "unknown-email"],
)
def test_bad_credentials_are_400_with_one_message_that_reveals_nothing(world, api_client, email, password):
    response = api_client.post(TOKEN_URL, {"email": email, "password": password}, format="json")
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Unable to log in with this email and password."]}


def test_a_deactivated_user_gets_no_token(world, api_client):
    world.recruiter.is_active = False
    world.recruiter.save(update_fields=["is_active"])
    response = api_client.post(
        TOKEN_URL, {"email": world.recruiter.email, "password": factories.DEFAULT_PASSWORD}, format="json"
    )
    assert response.status_code == 400


def test_token_request_fields_are_checked(db, api_client):
    response = api_client.post(TOKEN_URL, {"email": "not an email"}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"email", "password"}
    assert api_client.post(TOKEN_URL, "{", content_type="application/json").status_code == 400


def test_a_wrong_or_missing_token_is_401(world, api_client):
    assert api_client.get(ME_URL).status_code == 401
    api_client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert api_client.get(ME_URL).status_code == 401


def test_a_session_works_too_and_needs_csrf_for_writes(world):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(world.recruiter)
    assert client.get(ME_URL).json()["id"] == world.recruiter.pk
    assert client.patch(ME_URL, {"full_name": "Rita R."}, format="json").status_code == 403


def test_me_shows_the_current_user(world, client_for):
    response = client_for(world.hiring_manager).get(ME_URL)
    assert response.status_code == 200
    assert response.json() == {
        "id": world.hiring_manager.pk,
        "email": "hm@acme.example",
        "full_name": world.hiring_manager.full_name,
        "role": "hiring_manager",
        "organization": {"id": world.acme.pk, "name": "Acme", "kind": "client"},
        "time_zone": "America/New_York",
        "notification_preference": "each",
        "digest_hour": 8,
        "quiet_hours_start": 20,
        "quiet_hours_end": 8,
    }


def test_me_changes_name_time_zone_and_preference_but_nothing_else(world, client_for):
    client = client_for(world.hiring_manager)
    response = client.patch(
        ME_URL,
        {
            "full_name": "  Hana Moreau ",
            "time_zone": "Europe/Paris",
            "notification_preference": "digest",
            "role": "client_admin",
            "email": "boss@acme.example",
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    world.hiring_manager.refresh_from_db()
    assert world.hiring_manager.full_name == "Hana Moreau"
    assert world.hiring_manager.time_zone == "Europe/Paris"
    assert world.hiring_manager.notification_preference == "digest"
    assert world.hiring_manager.role == "hiring_manager"
    assert world.hiring_manager.email == "hm@acme.example"
    assert response.json()["time_zone"] == "Europe/Paris"


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"time_zone": "Mars/Olympus"}, {"time_zone"}),
        ({"time_zone": 5}, {"time_zone"}),
        ({"notification_preference": "weekly"}, {"notification_preference"}),
        ({"full_name": ""}, {"full_name"}),
        ({"full_name": "   "}, {"full_name"}),
        ({"full_name": "x" * 201}, {"full_name"}),
        ({"full_name": None, "time_zone": None}, {"full_name", "time_zone"}),
        ({"digest_hour": 24}, {"digest_hour"}),
        ({"quiet_hours_start": -1}, {"quiet_hours_start"}),
        ({"quiet_hours_end": "eight"}, {"quiet_hours_end"}),
        ({"quiet_hours_start": 8}, {"quiet_hours_end"}),  # 08:00 to 08:00 is no quiet hours at all
        ({"notification_preference": "digest", "digest_hour": 22}, {"digest_hour"}),  # in quiet hours
    ],
)
def test_me_refuses_bad_values_per_field(world, client_for, body, fields):
    response = client_for(world.recruiter).patch(ME_URL, body, format="json")
    assert response.status_code == 400
    assert set(response.json()) == fields
    world.recruiter.refresh_from_db()
    assert world.recruiter.time_zone == "America/New_York"


def test_me_changes_the_digest_hour_and_quiet_hours_as_the_settings_page_does(world, client_for):
    response = client_for(world.hiring_manager).patch(
        ME_URL,
        {"notification_preference": "digest", "digest_hour": 17, "quiet_hours_start": 22, "quiet_hours_end": 6},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert {key: response.json()[key] for key in ("digest_hour", "quiet_hours_start", "quiet_hours_end")} == {
        "digest_hour": 17,
        "quiet_hours_start": 22,
        "quiet_hours_end": 6,
    }
    world.hiring_manager.refresh_from_db()
    assert (world.hiring_manager.digest_hour, world.hiring_manager.quiet_hours_start) == (17, 22)


def test_me_says_why_equal_quiet_hours_are_refused(world, client_for):
    response = client_for(world.recruiter).patch(ME_URL, {"quiet_hours_end": 20}, format="json")
    assert response.status_code == 400
    assert "cannot start and end at the same hour (20:00)" in str(response.json()["quiet_hours_end"])
    world.recruiter.refresh_from_db()
    assert world.recruiter.quiet_hours_end == 8


def test_me_cannot_be_replaced_or_deleted(world, client_for):
    client = client_for(world.recruiter)
    assert client.put(ME_URL, {}, format="json").status_code == 405
    assert client.delete(ME_URL).status_code == 405
