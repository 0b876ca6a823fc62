"""API tokens (issue 13, failure 3): a new token per sign-in, stored as a digest, expiring after
API_TOKEN_TTL_DAYS (30); revoked on a password reset or change and on deactivation (for good);
each user lists and revokes their own, on /account/tokens/ and through the API, and nobody else's."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from knox.models import AuthToken
from rest_framework.test import APIClient

from accounts.models import User
from tests.factories import DEFAULT_PASSWORD

TOKEN_URL = "/api/v1/auth/token/"
TOKENS_URL = "/api/v1/auth/tokens/"
REVOKE_CURRENT_URL = "/api/v1/auth/token/revoke/"
ME_URL = "/api/v1/me/"
RESET_LINK = re.compile(r"https://portal\.example\.com(/password-reset/[^/\s]+/[^/\s]+/)")


def _sign_in_to_api(user, password=DEFAULT_PASSWORD) -> dict:
    response = APIClient().post(TOKEN_URL, {"email": user.email, "password": password}, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def _with(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def _works(key: str) -> bool:
    response = _with(key).get(ME_URL)
    assert response.status_code in (200, 401), response.content
    return response.status_code == 200


def test_each_sign_in_gives_a_new_token_that_expires_in_30_days(world):
    before = timezone.now()
    first = _sign_in_to_api(world.recruiter)
    second = _sign_in_to_api(world.recruiter)
    assert set(first) == {"token", "expiry"}
    assert first["token"] != second["token"]
    assert _works(first["token"])
    assert _works(second["token"])
    expiry = parse_datetime(first["expiry"])
    assert before + timedelta(days=30) <= expiry <= timezone.now() + timedelta(days=30)
    world.recruiter.refresh_from_db()
    assert world.recruiter.last_login >= before


def test_the_lifetime_comes_from_the_settings(world, settings):
    settings.REST_KNOX = {**settings.REST_KNOX, "TOKEN_TTL": timedelta(days=2)}
    expiry = parse_datetime(_sign_in_to_api(world.recruiter)["expiry"])
    assert timedelta(days=1, hours=23) < expiry - timezone.now() <= timedelta(days=2)


def test_an_expired_token_answers_401(world):
    key = _sign_in_to_api(world.recruiter)["token"]
    with time_machine.travel(timezone.now() + timedelta(days=29, hours=23)):
        assert _works(key)
    with time_machine.travel(timezone.now() + timedelta(days=30, minutes=1)):
        response = _with(key).get(ME_URL)
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == "Token"


def test_signing_in_clears_the_users_expired_tokens(world):
    _sign_in_to_api(world.recruiter)
    _sign_in_to_api(world.recruiter)
    _sign_in_to_api(world.sourcer)
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        fresh = _sign_in_to_api(world.recruiter)["token"]
        assert list(AuthToken.objects.filter(user=world.recruiter).values_list("token_key", flat=True)) == [fresh[:15]]
    assert AuthToken.objects.filter(user=world.sourcer).count() == 1  # theirs go when they sign in


def test_keys_are_not_stored_in_plain_text(world):
    key = _sign_in_to_api(world.recruiter)["token"]
    token = AuthToken.objects.get(user=world.recruiter)
    assert key not in (token.digest, token.token_key)
    assert len(token.token_key) < len(key) // 2  # a prefix to find the row, not the key
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {AuthToken._meta.db_table}")
        assert not any(key in str(value) for row in cursor.fetchall() for value in row)


def test_a_request_without_credentials_is_challenged(db):
    response = APIClient().get(ME_URL)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


# --- Stolen tokens stop working ---------------------------------------------------------------------


def test_a_stolen_token_stops_working_when_the_owner_resets_their_password(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    stolen = _sign_in_to_api(world.hiring_manager)["token"]
    assert _works(stolen)

    with django_capture_on_commit_callbacks(execute=True):  # the worker sends what the request recorded
        client.post(reverse("password_reset"), {"email": world.hiring_manager.email})
    link = RESET_LINK.search(mailoutbox[-1].body).group(1)
    form_page = client.get(link, follow=True)
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a brand new secret 42", "new_password2": "a brand new secret 42"},
        follow=True,
    )
    assert done.redirect_chain[-1][0] == reverse("password_reset_complete")

    assert not _works(stolen)
    assert _works(_sign_in_to_api(world.hiring_manager, "a brand new secret 42")["token"])


def test_a_stolen_token_stops_working_when_the_password_is_changed_in_the_admin_or_the_shell(client, world):
    root = User.objects.create_superuser("root@example.com", DEFAULT_PASSWORD, full_name="Root")
    stolen = _sign_in_to_api(world.recruiter)["token"]
    client.force_login(root)
    response = client.post(
        reverse("admin:auth_user_password_change", args=[world.recruiter.pk]),
        {"password1": "another new secret 77", "password2": "another new secret 77", "usable_password": "true"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not _works(stolen)

    stolen_again = _sign_in_to_api(world.recruiter, "another new secret 77")["token"]
    user = User.objects.get(pk=world.recruiter.pk)
    user.set_password("changed in the shell 99")
    user.save()
    assert not _works(stolen_again)


def test_a_stolen_token_stops_working_on_deactivation_and_stays_dead_on_reactivation(client, world):
    stolen = _sign_in_to_api(world.hiring_manager)["token"]
    client.force_login(world.client_admin)
    active_url = reverse("accounts:member-active", args=[world.hiring_manager.pk])
    deactivate_url = reverse("accounts:member-deactivate", args=[world.hiring_manager.pk])

    client.post(deactivate_url, {"successor": world.other_hiring_manager.pk})
    assert not _works(stolen)
    client.post(active_url, {"active": "1"})
    world.hiring_manager.refresh_from_db()
    assert world.hiring_manager.is_active
    assert not _works(stolen)
    assert not AuthToken.objects.filter(user=world.hiring_manager).exists()


def test_deactivating_in_the_admin_revokes_the_tokens_too(client, world):
    root = User.objects.create_superuser("root@example.com", DEFAULT_PASSWORD, full_name="Root")
    stolen = _sign_in_to_api(world.recruiter)["token"]
    client.force_login(root)
    change_url = reverse("admin:accounts_user_change", args=[world.recruiter.pk])
    page = client.get(change_url)
    form = page.context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "password"}
    data.update(
        {
            "is_active": "",
            "organization": world.recruiter.organization_id,
            "groups": [],
            "user_permissions": [],
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": "",
            "date_joined_1": "",
        }
    )
    data = {key: value for key, value in data.items() if value != ""}
    response = client.post(change_url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    world.recruiter.refresh_from_db()
    assert not world.recruiter.is_active
    assert not AuthToken.objects.filter(user=world.recruiter).exists()
    assert not _works(stolen)


# --- Listing and revoking one's own tokens --------------------------------------------------------


def test_a_user_lists_and_revokes_their_tokens_on_the_page(client, world):
    laptop = _sign_in_to_api(world.recruiter)["token"]
    script = _sign_in_to_api(world.recruiter)["token"]
    _sign_in_to_api(world.sourcer)
    client.force_login(world.recruiter)

    home = client.get(reverse("accounts:out-of-office")).content.decode()
    assert f'href="{reverse("accounts:settings")}"' in home  # linked beside the account's name
    settings_page = client.get(reverse("accounts:settings")).content.decode()
    assert f'href="{reverse("accounts:tokens")}"' in settings_page  # and the tokens from there
    assert "2 that still work" in settings_page

    page = client.get("/account/tokens/")
    assert page.status_code == 200
    text = page.content.decode()
    assert laptop[:8] in text
    assert script[:8] in text
    assert laptop not in text
    assert script not in text
    assert len(page.context["tokens"]) == 2  # not the sourcer's

    token = AuthToken.objects.get(user=world.recruiter, token_key=laptop[:15])
    response = client.post(reverse("accounts:token-revoke", args=[token.token_key]), follow=True)
    assert f"The token starting {laptop[:8]} is revoked" in response.content.decode()
    assert not _works(laptop)
    assert _works(script)


def test_a_user_lists_and_revokes_their_tokens_through_the_api(world):
    old = _sign_in_to_api(world.recruiter)["token"]
    current = _sign_in_to_api(world.recruiter)["token"]
    client = _with(current)

    listing = client.get(TOKENS_URL)
    assert listing.status_code == 200
    rows = listing.json()["results"]
    assert {row["id"] for row in rows} == {old[:15], current[:15]}
    assert {row["current"] for row in rows} == {True, False}
    assert set(rows[0]) == {"id", "created", "expiry", "current"}
    assert old not in listing.content.decode()

    assert client.delete(f"{TOKENS_URL}{old[:15]}/").status_code == 204
    assert not _works(old)
    assert [row["id"] for row in client.get(TOKENS_URL).json()["results"]] == [current[:15]]

    # Signing out of the API revokes the token in use.
    assert client.post(REVOKE_CURRENT_URL).status_code == 204
    assert not _works(current)


def test_nobody_sees_or_revokes_another_users_token(client, world):
    victim = _sign_in_to_api(world.hiring_manager)["token"]
    attacker = _with(_sign_in_to_api(world.recruiter)["token"])

    assert victim[:15] not in attacker.get(TOKENS_URL).content.decode()
    assert attacker.delete(f"{TOKENS_URL}{victim[:15]}/").status_code == 404

    client.force_login(world.recruiter)
    assert client.post(reverse("accounts:token-revoke", args=[victim[:15]])).status_code == 404
    assert _works(victim)


@pytest.mark.parametrize("method", ["get", "delete"])
def test_the_token_routes_need_a_signed_in_user(db, method):
    url = TOKENS_URL if method == "get" else f"{TOKENS_URL}abc/"
    assert getattr(APIClient(), method)(url).status_code == 401
    assert APIClient().post(REVOKE_CURRENT_URL).status_code == 401


def test_the_admin_shows_no_usable_key_and_mints_none(client, world):
    root = User.objects.create_superuser("root@example.com", DEFAULT_PASSWORD, full_name="Root")
    key = _sign_in_to_api(world.recruiter)["token"]
    client.force_login(root)
    changelist = client.get(reverse("admin:knox_authtoken_changelist"))
    assert changelist.status_code == 200
    text = changelist.content.decode()
    assert world.recruiter.email in text
    assert key[:8] in text
    assert key not in text
    # What the admin holds (the key's digest, in its links) does not work as a key.
    assert not _works(AuthToken.objects.get(user=world.recruiter).digest)
    assert client.get(reverse("admin:knox_authtoken_add")).status_code == 403


def test_the_schema_documents_the_token_routes_and_the_token_scheme(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    schema = (tmp_path / "schema.yaml").read_text()
    for path in ("auth/token/", "auth/tokens/", "auth/tokens/{id}/", "auth/token/revoke/"):
        assert f"/api/v1/{path}:" in schema
    assert "knoxApiToken:" in schema
    assert 'required prefix "Token"' in schema
