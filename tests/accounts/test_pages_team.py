"""/team/: a client admin sees their hiring managers, invites new ones, deactivates and reactivates them."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from tests import factories

TEAM = "/team/"
INVITE = "/team/invite/"
SET_PASSWORD_LINK = re.compile(r"https://portal\.example\.com(/password-reset/[^/\s]+/[^/\s]+/)")


def _active_url(user) -> str:
    return reverse("accounts:member-active", args=[user.pk])


def _deactivate_url(user) -> str:
    return reverse("accounts:member-deactivate", args=[user.pk])


def _invite(client, capture, **data):
    form = {"full_name": "Nora Newhire", "email": "nora@acme.example", "time_zone": "Europe/London", **data}
    with capture(execute=True):
        return client.post(INVITE, form, follow=True)


def test_team_pages_are_at_their_addresses(db):
    assert (reverse("accounts:team"), reverse("accounts:team-invite")) == (TEAM, INVITE)


def test_client_admin_sees_their_organisations_people_and_no_one_elses(client, world):
    client.force_login(world.client_admin)
    response = client.get(TEAM)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Your team at Acme" in page
    assert world.hiring_manager.email in page
    assert world.other_hiring_manager.email in page
    assert world.globex_hiring_manager.email not in page
    assert world.recruiter.email not in page
    assert "Never" in page  # nobody has signed in yet
    # Their own row has no button: a client admin does not deactivate themselves.
    assert _deactivate_url(world.client_admin) not in page
    assert _deactivate_url(world.hiring_manager) in page


def test_last_sign_in_is_shown_in_the_admins_time_zone(client, world):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    world.hiring_manager.last_login = datetime(2026, 3, 2, 15, 30, tzinfo=ZoneInfo("UTC"))
    world.hiring_manager.save()
    client.force_login(world.client_admin)
    page = client.get(TEAM).content.decode()
    assert "2 Mar 2026, 10:30" in page  # New York
    assert "America/New_York" in page


def test_client_admin_invites_a_hiring_manager_who_sets_a_password_from_the_email(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(world.client_admin)
    form_page = client.get(INVITE).content.decode()
    assert '<option value="America/New_York" selected>' in form_page  # Acme's zone by default
    response = _invite(client, django_capture_on_commit_callbacks, email="Nora@Acme.example")
    assert response.redirect_chain == [(TEAM, 303)]
    page = response.content.decode()
    assert "Nora Newhire is invited" in page
    assert "Invited" in page

    invited = User.objects.get(email="nora@acme.example")
    assert (invited.organization, invited.role, invited.time_zone) == (
        world.acme,
        User.Role.HIRING_MANAGER,
        "Europe/London",
    )
    assert not invited.has_usable_password()

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["nora@acme.example"]
    assert message.reply_to == [world.client_admin.email]
    assert "hiring manager of Acme" in message.body
    link = SET_PASSWORD_LINK.search(message.body).group(1)
    assert link in message.alternatives[0][0]

    client.post(reverse("logout"))
    set_page = client.get(link, follow=True)
    assert "Choose your password" in set_page.content.decode()
    done = client.post(
        set_page.redirect_chain[-1][0],
        {"new_password1": "nora picks a long one", "new_password2": "nora picks a long one"},
        follow=True,
    )
    assert "Your password is set" in done.content.decode()
    client.post(reverse("logout"))
    signed_in = client.post(
        reverse("login"), {"username": "nora@acme.example", "password": "nora picks a long one"}, follow=True
    )
    assert signed_in.redirect_chain[-1][0] == reverse("feedback:inbox")


def test_inviting_an_address_already_in_the_team_is_refused_beside_the_email(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(world.client_admin)
    response = _invite(client, django_capture_on_commit_callbacks, email="HM@acme.example", full_name="Typed Name")
    page = response.content.decode()
    assert response.redirect_chain == []
    assert '<ul class="errorlist" id="id_email_error"><li>This address is already in your team.</li>' in page
    assert 'value="Typed Name"' in page
    assert 'value="HM@acme.example"' in page
    assert '<option value="Europe/London" selected>' in page
    assert mailoutbox == []
    assert User.objects.filter(full_name="Typed Name").count() == 0


def test_invite_form_names_each_missing_or_wrong_field(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.client_admin)
    page = _invite(
        client, django_capture_on_commit_callbacks, full_name="", email="not-an-email", time_zone="Mars/Olympus"
    ).content.decode()
    assert '<ul class="errorlist" id="id_full_name_error"><li>Enter their name.</li>' in page
    assert '<ul class="errorlist" id="id_email_error"><li>Enter an email address like name@example.com.</li>' in page
    assert '<ul class="errorlist" id="id_time_zone_error"><li>Choose a time zone from the list.</li>' in page


def test_client_admin_deactivates_and_reactivates_a_hiring_manager(client, world):
    hiring_manager_browser = client.__class__()
    hiring_manager_browser.force_login(world.hiring_manager)

    client.force_login(world.client_admin)
    response = client.post(_deactivate_url(world.hiring_manager), {"successor": world.client_admin.pk}, follow=True)
    assert response.redirect_chain == [(TEAM, 303)]
    assert "is deactivated: they can no longer sign in" in response.content.decode()
    assert "Deactivated" in response.content.decode()
    world.hiring_manager.refresh_from_db()
    assert not world.hiring_manager.is_active
    # Their open session ends with it.
    assert hiring_manager_browser.get(reverse("feedback:inbox"))["Location"].startswith(reverse("login"))

    response = client.post(_active_url(world.hiring_manager), {"active": "1"}, follow=True)
    assert "is active again" in response.content.decode()
    world.hiring_manager.refresh_from_db()
    assert world.hiring_manager.is_active


def test_a_request_that_says_neither_changes_nothing(client, world):
    client.force_login(world.client_admin)
    response = client.post(_active_url(world.hiring_manager), {"active": "maybe"}, follow=True)
    assert "Nothing changed" in response.content.decode()
    world.hiring_manager.refresh_from_db()
    assert world.hiring_manager.is_active


def test_client_admin_cannot_deactivate_themselves(client, world):
    client.force_login(world.client_admin)
    response = client.post(_active_url(world.client_admin), {"active": "0"})
    assert response.status_code == 403
    world.client_admin.refresh_from_db()
    assert world.client_admin.is_active


def test_another_clients_hiring_manager_is_not_found(client, world):
    client.force_login(world.client_admin)
    assert client.post(_active_url(world.globex_hiring_manager), {"active": "0"}).status_code == 404
    assert client.post(_active_url(world.recruiter), {"active": "0"}).status_code == 404
    world.globex_hiring_manager.refresh_from_db()
    assert world.globex_hiring_manager.is_active


@pytest.mark.parametrize("persona", ["hiring_manager", "recruiter", "account_manager", "provider_admin", "sourcer"])
def test_only_a_client_admin_manages_a_team(client, world, persona, django_capture_on_commit_callbacks):
    client.force_login(getattr(world, persona))
    team_page = client.get(TEAM)
    assert team_page.status_code == 403
    assert "That is not yours to do" in team_page.content.decode()
    assert client.get(INVITE).status_code == 403
    assert _invite(client, django_capture_on_commit_callbacks).status_code == 403
    # A provider admin looks after their own staff (the staff page): a client's people are not theirs to see.
    expected = 404 if persona == "provider_admin" else 403
    assert client.post(_active_url(world.other_hiring_manager), {"active": "0"}).status_code == expected
    assert client.get(_deactivate_url(world.other_hiring_manager)).status_code == expected
    assert not User.objects.filter(email="nora@acme.example").exists()
    world.other_hiring_manager.refresh_from_db()
    assert world.other_hiring_manager.is_active


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/out-of-office/"),
        ("post", "/out-of-office/1/delete/"),
        ("get", TEAM),
        ("get", INVITE),
        ("post", "/team/1/active/"),
    ],
)
def test_anonymous_visitor_is_sent_to_sign_in(client, db, method, url):
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


def _count_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(TEAM).status_code == 200
    return len(queries)


def test_query_count_is_the_same_for_5_and_50_people(client, world):
    factories.UserFactory.create_batch(5, organization=world.acme, role=User.Role.HIRING_MANAGER)
    client.force_login(world.client_admin)
    client.get(TEAM)
    few = _count_queries(client)
    factories.UserFactory.create_batch(45, organization=world.acme, role=User.Role.HIRING_MANAGER, is_active=False)
    many = _count_queries(client)
    assert few == many
    assert client.get(TEAM).content.decode().count("Reactivate<span") == 45
