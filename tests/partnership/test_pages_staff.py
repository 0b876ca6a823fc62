"""/staff/: the provider admin sees the provider's staff and what they hold, invites (an account
manager with the engagements they manage), deactivates with a handover, reactivates and resends."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from engagements.models import Assignment
from engagements.selectors import requisition_covering_recruiter
from tests import factories

STAFF = "/staff/"
INVITE = "/staff/invite/"


def _form(**data) -> dict:
    return {
        "full_name": "Nadia New",
        "email": "nadia@tb.example",
        "role": "recruiter",
        "time_zone": "Europe/London",
    } | data


def test_staff_pages_are_at_their_addresses(db):
    assert (reverse("partnership:staff"), reverse("partnership:staff-invite")) == (STAFF, INVITE)


def test_provider_admin_sees_the_staff_their_roles_and_what_they_hold(client, world):
    client.force_login(world.provider_admin)
    response = client.get(STAFF)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Staff of Talentbridge RPO" in page
    for person in (world.account_manager, world.recruiter, world.sourcer, world.idle_recruiter):
        assert person.email in page
    assert world.hiring_manager.email not in page
    assert "1 requisition assignment (1 primary)" in page
    assert "1 engagement as account manager" in page
    assert '<a class="nav-link" href="/staff/" aria-current="page">Staff</a>' in page
    deactivate = reverse("accounts:member-deactivate", args=[world.recruiter.pk])
    assert f'href="{deactivate}?next=/staff/"' in page
    assert reverse("accounts:member-deactivate", args=[world.provider_admin.pk]) not in page  # not themselves


@pytest.mark.parametrize(
    "persona", ["account_manager", "recruiter", "sourcer", "hiring_manager", "client_admin", "globex_admin"]
)
def test_only_the_provider_admin_manages_the_staff(client, world, persona, django_capture_on_commit_callbacks):
    client.force_login(getattr(world, persona))
    assert client.get(STAFF).status_code == 403
    assert client.get(INVITE).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(INVITE, _form()).status_code == 403
    assert not User.objects.filter(email="nadia@tb.example").exists()
    # A client admin looks after people too, but not these: another organisation's answer 404.
    expected = 404 if persona in {"client_admin", "globex_admin"} else 403
    deactivate = reverse("accounts:member-deactivate", args=[world.idle_recruiter.pk])
    assert client.get(deactivate).status_code == expected


def test_provider_admin_invites_an_account_manager_with_their_engagements(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.provider_admin)
    form_page = client.get(INVITE).content.decode()
    assert "Acme partnership (Acme)" in form_page
    assert '<option value="hiring_manager"' not in form_page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            INVITE,
            _form(role="account_manager", engagements=[world.acme_engagement.pk, world.globex_engagement.pk]),
            follow=True,
        )
    assert response.redirect_chain == [(STAFF, 303)]
    assert "Nadia New is invited" in response.content.decode()
    nadia = User.objects.get(email="nadia@tb.example")
    assert (nadia.organization, nadia.role, nadia.time_zone) == (world.provider, "account_manager", "Europe/London")
    assert set(nadia.managed_engagements.all()) == {world.acme_engagement, world.globex_engagement}
    assert set(world.acme_engagement.account_managers.all()) == {world.account_manager, nadia}
    assert [message.to for message in mail.outbox] == [["nadia@tb.example"]]
    assert "as an account manager of Talentbridge RPO" in mail.outbox[0].body


def test_a_recruiter_is_invited_without_engagements(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.provider_admin)
    with django_capture_on_commit_callbacks(execute=True):
        refused = client.post(INVITE, _form(engagements=[world.acme_engagement.pk]))
    assert refused.status_code == 400
    assert "assign recruiters and sourcers on each requisition instead" in refused.content.decode()
    assert not User.objects.filter(email="nadia@tb.example").exists()
    assert mail.outbox == []
    # Every field's problem at once: the address and the engagements.
    both = client.post(INVITE, _form(email="rita@tb.example", engagements=[world.acme_engagement.pk]))
    assert both.status_code == 400
    assert 'id="id_email_error"' in both.content.decode()
    assert 'id="id_engagements_error"' in both.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(INVITE, _form())
    assert (response.status_code, response["Location"]) == (303, STAFF)
    assert User.objects.get(email="nadia@tb.example").role == User.Role.RECRUITER


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"role": "hiring_manager"}, "role", "Choose a role from the list."),
        ({"role": ""}, "role", "Choose a role."),
        ({"email": "nope"}, "email", "Enter an email address like name@example.com."),
        ({"email": "rita@tb.example"}, "email", "This address is already in your team."),
        ({"email": "hm@acme.example"}, "email", "This address cannot be invited."),
        ({"full_name": ""}, "full_name", "Enter their name."),
        ({"engagements": ["999999"]}, "engagements", "Choose engagements from the list."),
    ],
)
def test_invite_errors_are_a_400_beside_the_field(client, world, data, field, message):
    client.force_login(world.provider_admin)
    response = client.post(INVITE, _form(**data))
    assert response.status_code == 400
    page = response.content.decode()
    assert f'id="id_{field}_error"' in page
    assert message in page


def test_another_providers_engagement_cannot_be_given(client, world):
    other = factories.EngagementFactory(provider=factories.ProviderFactory(), client=world.acme)
    client.force_login(world.provider_admin)
    response = client.post(INVITE, _form(role="account_manager", engagements=[other.pk]))
    assert response.status_code == 400


def test_deactivating_a_recruiter_hands_their_assignments_over_and_comes_back_to_the_staff(
    client, world, django_capture_on_commit_callbacks
):
    Assignment.objects.update(starts_on="2020-01-01")
    client.force_login(world.provider_admin)
    url = reverse("accounts:member-deactivate", args=[world.recruiter.pk])
    page = client.get(f"{url}?next=/staff/").content.decode()
    assert "<strong>1</strong> requisition assignment" in page
    assert f'<option value="{world.idle_recruiter.pk}">' in page
    assert f'<option value="{world.sourcer.pk}">' not in page  # a sourcer does not take a primary's place
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"successor": world.idle_recruiter.pk, "next": STAFF}, follow=True)
    assert response.redirect_chain == [(STAFF, 303)]
    assert "now holds 1 requisition assignment (1 primary)" in response.content.decode()
    assert requisition_covering_recruiter(requisition=world.requisition) == world.idle_recruiter
    assert [message.to for message in mail.outbox] == [[world.idle_recruiter.email]]


def test_when_nobody_can_take_over_the_page_says_so_and_offers_no_button(client, world):
    User.objects.filter(pk__in=[world.recruiter.pk, world.idle_recruiter.pk]).update(is_active=False)
    client.force_login(world.provider_admin)
    page = client.get(reverse("accounts:member-deactivate", args=[world.globex_recruiter.pk])).content.decode()
    assert "Nobody can take over yet" in page
    assert "Hand over and deactivate" not in page


def test_reactivate_and_resend_come_back_to_the_staff(client, world, django_capture_on_commit_callbacks):
    invited = factories.UserFactory(organization=world.provider, role=User.Role.SOURCER, password=None)
    invited.set_unusable_password()
    invited.save()
    User.objects.filter(pk=world.idle_recruiter.pk).update(is_active=False)
    client.force_login(world.provider_admin)
    page = client.get(STAFF).content.decode()
    assert "Reactivate<span" in page
    assert "Resend invitation<span" in page
    response = client.post(
        reverse("accounts:member-active", args=[world.idle_recruiter.pk]), {"active": "1", "next": STAFF}
    )
    assert (response.status_code, response["Location"]) == (303, STAFF)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:member-resend-invitation", args=[invited.pk]), {"next": STAFF})
    assert (response.status_code, response["Location"]) == (303, STAFF)
    assert [message.to for message in mail.outbox] == [[invited.email]]


def test_another_providers_staff_is_not_found(client, world):
    stranger = factories.UserFactory(organization=factories.ProviderFactory(), role=User.Role.RECRUITER)
    client.force_login(world.provider_admin)
    assert client.get(reverse("accounts:member-deactivate", args=[stranger.pk])).status_code == 404
    active = reverse("accounts:member-active", args=[stranger.pk])
    assert client.post(active, {"active": "1", "next": STAFF}).status_code == 404


def test_query_count_is_the_same_for_few_and_many_staff(client, world):
    client.force_login(world.provider_admin)
    client.get(STAFF)
    with CaptureQueriesContext(connection) as few:
        assert client.get(STAFF).status_code == 200
    for _ in range(15):
        person = factories.UserFactory(organization=world.provider, role=User.Role.RECRUITER)
        factories.AssignmentFactory(requisition=world.other_requisition, recruiter=person, role=Assignment.Role.BACKUP)
        manager = factories.UserFactory(organization=world.provider, role=User.Role.ACCOUNT_MANAGER)
        world.globex_engagement.account_managers.add(manager)
    with CaptureQueriesContext(connection) as many:
        page = client.get(STAFF).content.decode()
    assert len(many) == len(few)
    assert page.count("1 requisition assignment (1 backup)") == 15
    assert page.count("1 engagement as account manager") == 16
