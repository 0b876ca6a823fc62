"""Signing in and out, each role's home, and resetting a forgotten password by email."""

import logging
import re
from urllib.parse import urlsplit

import pytest
from django.test import TestCase
from django.urls import reverse

from accounts.models import User
from tests.factories import DEFAULT_PASSWORD, EngagementFactory, UserFactory

RESET_LINK = re.compile(r"https://portal\.example\.com(/password-reset/[^/\s]+/[^/\s]+/)")

ROLE_HOMES = [
    ("account_manager", "partnership:engagement-list"),
    ("provider_admin", "partnership:engagement-list"),
    ("recruiter", "partnership:requisition-list"),
    ("sourcer", "partnership:requisition-list"),
    ("hiring_manager", "feedback:inbox"),
]


def _sign_in(client, email, password=DEFAULT_PASSWORD, **extra):
    return client.post(reverse("login"), {"username": email, "password": password, **extra}, follow=True)


@pytest.mark.parametrize(("persona", "home"), ROLE_HOMES)
def test_each_role_lands_on_its_own_home_after_signing_in(client, world, persona, home):
    response = _sign_in(client, getattr(world, persona).email)
    assert [url for url, _ in response.redirect_chain] == [reverse("home"), reverse(home)]


def test_client_admin_with_one_partnership_lands_on_its_scorecard(client, world):
    response = _sign_in(client, world.client_admin.email)
    assert response.redirect_chain[-1][0] == reverse("partnership:engagement-detail", args=[world.acme_engagement.pk])
    assert "Acme partnership" in response.content.decode()


def test_client_admin_with_two_partnerships_lands_on_the_list_of_them(client, world):
    EngagementFactory(provider=world.provider, client=world.acme, name="Acme Europe partnership")
    response = _sign_in(client, world.client_admin.email)
    assert response.redirect_chain[-1][0] == reverse("partnership:engagement-list")
    page = response.content.decode()
    assert "Acme partnership" in page
    assert "Acme Europe partnership" in page
    assert "Globex partnership" not in page


def test_email_is_not_case_sensitive_when_signing_in(client, world):
    response = _sign_in(client, "HM@Acme.Example")
    assert response.redirect_chain[-1][0] == reverse("feedback:inbox")


def test_the_superuser_without_an_organisation_lands_on_the_engagements(client, db):
    User.objects.create_superuser("root@example.com", DEFAULT_PASSWORD, full_name="Root")
    response = _sign_in(client, "root@example.com")
    assert response.redirect_chain[-1][0] == reverse("partnership:engagement-list")


def test_sign_in_goes_back_to_the_page_asked_for(client, world):
    response = _sign_in(client, world.recruiter.email, next="/out-of-office/")
    assert response.redirect_chain[-1][0] == "/out-of-office/"


def test_wrong_password_shows_an_error_and_keeps_the_email(client, world):
    response = _sign_in(client, world.recruiter.email, password="not the password")
    page = response.content.decode()
    assert response.status_code == 200
    assert "That email and password do not match an active account" in page
    assert f'value="{world.recruiter.email}"' in page
    assert "_auth_user_id" not in client.session


def test_a_deactivated_user_cannot_sign_in(client, world):
    world.hiring_manager.is_active = False
    world.hiring_manager.save()
    response = _sign_in(client, world.hiring_manager.email)
    assert "do not match an active account" in response.content.decode()


def test_the_sign_in_page_is_labelled_and_links_to_the_password_reset(client, db):
    page = client.get(reverse("login")).content.decode()
    assert '<label for="id_username">Email</label>' in page
    assert '<label for="id_password">Password</label>' in page
    assert f'href="{reverse("password_reset")}">Forgot your password?</a>' in page


def test_anonymous_visitor_sees_the_landing_page_with_a_sign_in_button(client, db):
    page = client.get(reverse("home")).content.decode()
    assert "Partnership, on time, on both sides" in page
    assert f'<a class="button primary" href="{reverse("login")}">Sign in</a>' in page


def test_signed_in_user_visiting_the_sign_in_page_goes_home(client, world):
    client.force_login(world.hiring_manager)
    assert client.get(reverse("login"))["Location"] == reverse("home")


def test_sign_out_is_a_post_and_says_so(client, world):
    client.force_login(world.recruiter)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")
    page = response.content.decode()
    assert "You are signed out." in page
    assert 'role="status"' in page
    assert "Partnership, on time, on both sides" in page
    assert client.get(reverse("accounts:out-of-office"))["Location"].startswith(reverse("login"))


# --- Password reset ------------------------------------------------------------------------------


def _ask_for_reset(client, email, **extra):
    """Ask, then let the worker send what the request recorded (Celery runs eagerly in tests)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(reverse("password_reset"), {"email": email}, **extra)


def test_password_reset_emails_one_link_that_sets_a_new_password(client, world, mailoutbox):
    response = _ask_for_reset(client, "HM@acme.example")
    assert response["Location"] == reverse("password_reset_done")
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["hm@acme.example"]
    assert message.subject == "Choose a new password for the RPO Partnership Portal"
    link = RESET_LINK.search(message.body).group(1)
    html, mime = message.alternatives[0]
    assert mime == "text/html"
    assert f"https://portal.example.com{link}" in html

    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    set_password_url = form_page.redirect_chain[-1][0]
    done = client.post(
        set_password_url,
        {"new_password1": "a brand new secret 42", "new_password2": "a brand new secret 42"},
        follow=True,
    )
    assert done.redirect_chain[-1][0] == reverse("password_reset_complete")
    assert "Your password is set" in done.content.decode()

    client.post(reverse("logout"))
    assert _sign_in(client, "hm@acme.example", "a brand new secret 42").redirect_chain[-1][0] == reverse(
        "feedback:inbox"
    )
    # The link worked once.
    client.post(reverse("logout"))
    assert "This link no longer works" in client.get(link, follow=True).content.decode()


def test_password_reset_refuses_mismatched_or_weak_passwords_beside_the_field(client, world, mailoutbox):
    _ask_for_reset(client, world.hiring_manager.email)
    link = RESET_LINK.search(mailoutbox[0].body).group(1)
    set_password_url = client.get(link, follow=True).redirect_chain[-1][0]
    page = client.post(set_password_url, {"new_password1": "abc", "new_password2": "abd"}).content.decode()
    assert 'id="id_new_password2_error"' in page
    assert "didn’t match" in page


def test_password_reset_for_an_unknown_address_sends_nothing_and_shows_the_same_page(client, world, mailoutbox):
    known = _ask_for_reset(client, world.recruiter.email)
    unknown = _ask_for_reset(client, "nobody@nowhere.example")
    assert unknown.status_code == known.status_code == 302
    assert unknown["Location"] == known["Location"] == reverse("password_reset_done")
    assert [message.to for message in mailoutbox] == [[world.recruiter.email]]
    page = client.get(reverse("password_reset_done")).content.decode()
    assert "If an account uses that address" in page


def test_password_reset_sends_nothing_to_a_deactivated_account(client, world, mailoutbox):
    world.hiring_manager.is_active = False
    world.hiring_manager.save()
    assert _ask_for_reset(client, world.hiring_manager.email)["Location"] == reverse("password_reset_done")
    assert mailoutbox == []


def test_password_reset_link_ignores_the_host_the_request_came_from(client, world, mailoutbox, settings):
    settings.ALLOWED_HOSTS = ["*"]
    _ask_for_reset(client, world.recruiter.email, HTTP_HOST="evil.example")
    assert "evil.example" not in mailoutbox[0].body
    assert RESET_LINK.search(mailoutbox[0].body)


def test_an_invited_user_without_a_password_can_ask_for_a_fresh_link(client, world, mailoutbox):
    invited = UserFactory(organization=world.acme, email="new@acme.example", password=None)
    invited.set_unusable_password()
    invited.save()
    _ask_for_reset(client, "new@acme.example")
    assert len(mailoutbox) == 1
    link = RESET_LINK.search(mailoutbox[0].body).group(1)
    assert "Choose your password" in client.get(link, follow=True).content.decode()


def test_the_password_reset_token_is_kept_out_of_the_request_log(client, world, mailoutbox, caplog):
    _ask_for_reset(client, world.hiring_manager.email)
    link = next(line for line in mailoutbox[0].body.splitlines() if "/password-reset/" in line).strip()
    path = urlsplit(link).path
    token = path.rstrip("/").split("/")[-1]
    server_log = logging.getLogger("django.server")
    server_log.addHandler(caplog.handler)  # django.server does not propagate: listen on it directly
    try:
        # What the development server writes for the link's request line (gunicorn uses the same redact).
        server_log.info('"%s" %s %s', f"GET {path} HTTP/1.1", "302", "0", extra={"status_code": 302})
    finally:
        server_log.removeHandler(caplog.handler)

    assert token not in caplog.text
    assert "/[redacted]/ HTTP/1.1" in caplog.text
    # Django's confirm page moves the token into the session at once: the next address has none.
    assert client.get(path)["Location"].endswith("/set-password/")
