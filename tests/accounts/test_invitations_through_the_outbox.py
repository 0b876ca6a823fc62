"""Invitations (issue 13, failures 6 and 7): recorded with the account and sent by the worker, so
a mail server that is down delays them and never answers 500; an admin can resend one; and an
address of another organisation is refused without saying whose it is."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.emails import INVITATION
from accounts.models import User
from rpo_portal.models import OutboundEmail
from tests import factories
from tests.outbox_kit import retries_run_inline, smtp_refusing_connections, sweep

INVITE = "/team/invite/"
SET_PASSWORD_LINK = re.compile(r"https://portal\.example\.com(/password-reset/[^/\s]+/[^/\s]+/)")
NEUTRAL_REFUSAL = "This address cannot be invited. Ask them to use their work address, or contact support."


def _form(**data):
    return {"full_name": "Nora Newhire", "email": "nora@acme.example", "time_zone": "Europe/London", **data}


def _resend_url(user) -> str:
    return reverse("accounts:member-resend-invitation", args=[user.pk])


def _invited(world, email="nora@acme.example") -> User:
    user = factories.UserFactory(organization=world.acme, role=User.Role.HIRING_MANAGER, email=email, password=None)
    user.set_unusable_password()
    user.save()
    return user


# --- 6: SMTP down ------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)  # commits for real: the email is handed over at commit, inside the request
def test_an_invitation_while_smtp_refuses_connections_answers_a_redirect_and_is_sent_once_later(client, world):
    client.force_login(world.client_admin)
    with smtp_refusing_connections(), retries_run_inline():
        response = client.post(INVITE, _form())

    assert response.status_code == 303
    assert response["Location"] == reverse("accounts:team")
    nora = User.objects.get(email="nora@acme.example")
    email = OutboundEmail.objects.get(kind=INVITATION)
    assert (email.recipient, email.status) == (nora, OutboundEmail.Status.PENDING)
    assert "ConnectionRefusedError" in email.last_error
    assert email.attempts == 6  # the first try and five retries, then it waits for the sweep
    assert mail.outbox == []

    # The mail server is back (locmem); the sweep sends it once, however often it runs.
    with time_machine.travel(timezone.now() + timedelta(hours=1, minutes=1)):
        sweep()
        sweep()
    [message] = mail.outbox
    assert message.to == ["nora@acme.example"]
    assert SET_PASSWORD_LINK.search(message.body)
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT


def test_inviting_again_offers_the_resend_and_the_resend_sends_a_new_link(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.client_admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(INVITE, _form())
    nora = User.objects.get(email="nora@acme.example")

    # Inviting the same address again says it is in the team, and sends nothing.
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(INVITE, _form())
    assert "This address is already in your team." in again.content.decode()
    assert len(mail.outbox) == 1

    team = client.get(reverse("accounts:team")).content.decode()
    assert f'action="{_resend_url(nora)}"' in team
    with django_capture_on_commit_callbacks(execute=True):
        resent = client.post(_resend_url(nora), follow=True)
    assert "We emailed nora@acme.example a new link to choose a password." in resent.content.decode()
    first, second = mail.outbox
    assert second.to == ["nora@acme.example"]
    assert SET_PASSWORD_LINK.search(first.body)
    assert SET_PASSWORD_LINK.search(second.body)
    # A double click on the button sends nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_resend_url(nora))
    assert len(mail.outbox) == 2


def test_the_resend_button_is_only_for_those_who_have_not_joined(client, world):
    nora = _invited(world)
    client.force_login(world.client_admin)
    team = client.get(reverse("accounts:team")).content.decode()
    assert f'action="{_resend_url(nora)}"' in team
    assert f'action="{_resend_url(world.hiring_manager)}"' not in team
    # Posted anyway for someone who signs in already: nothing is sent.
    refused = client.post(_resend_url(world.hiring_manager), follow=True)
    assert "has already chosen a password" in refused.content.decode()
    assert not OutboundEmail.objects.exists()


def test_a_client_admin_cannot_resend_another_organisations_invitation(client, world):
    stranger = factories.UserFactory(
        organization=world.globex, role=User.Role.HIRING_MANAGER, email="new@globex.example", password=None
    )
    stranger.set_unusable_password()
    stranger.save()
    client.force_login(world.client_admin)
    assert client.post(_resend_url(stranger)).status_code == 404
    assert not OutboundEmail.objects.exists()


def test_an_admin_resends_invitations_from_the_user_list(client, world, django_capture_on_commit_callbacks):
    nora = _invited(world)
    world.provider_admin.is_staff = world.provider_admin.is_superuser = True
    world.provider_admin.save()
    client.force_login(world.provider_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:accounts_user_changelist"),
            {"action": "resend_invitation", "_selected_action": [nora.pk, world.hiring_manager.pk]},
            follow=True,
        )
    page = response.content.decode()
    assert "A new invitation is on its way to 1 user(s)." in page
    assert "has already chosen a password" in page
    [message] = mail.outbox
    assert message.to == ["nora@acme.example"]
    assert "invited you to the RPO Partnership Portal" in message.subject
    link = SET_PASSWORD_LINK.search(message.body).group(1)
    client.logout()
    assert "Choose your password" in client.get(link, follow=True).content.decode()


# --- 7: other organisations' addresses ---------------------------------------------------------


@pytest.mark.parametrize("persona", ["globex_hiring_manager", "globex_admin", "recruiter", "provider_admin"])
def test_inviting_another_organisations_address_is_refused_without_saying_whose(
    client, world, persona, django_capture_on_commit_callbacks
):
    other = getattr(world, persona)
    client.force_login(world.client_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(INVITE, _form(email=other.email.upper()))
    page = response.content.decode()
    assert response.status_code == 400
    assert f'<ul class="errorlist" id="id_email_error"><li>{NEUTRAL_REFUSAL}</li>' in page
    for leak in ("already has an account", other.organization.name, other.display_name, "exists"):
        assert leak not in page.split('id="id_email_error"')[1].split("</ul>")[0]
    assert "Globex" not in page
    assert mail.outbox == []
    assert not OutboundEmail.objects.exists()
    other.refresh_from_db()
    assert other.organization_id != world.acme.pk


def test_an_address_of_another_organisation_is_refused_like_a_provider_address(client, world):
    client.force_login(world.client_admin)
    answers = [
        client.post(INVITE, _form(email=email)).content.decode() for email in ("hm@globex.example", "rita@tb.example")
    ]
    refusals = [page.split('id="id_email_error"')[1].split("</ul>")[0] for page in answers]
    assert refusals[0] == refusals[1]
    assert NEUTRAL_REFUSAL in refusals[0]
