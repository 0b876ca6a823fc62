"""/people/<id>/deactivate/: the confirmation page says what the person holds and asks whom to
hand it to; one POST moves it all and deactivates them (shared by the team and staff pages)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from feedback.models import FeedbackRequest
from tests import factories

TEAM = "/team/"


def _url(user) -> str:
    return reverse("accounts:member-deactivate", args=[user.pk])


def _overdue_and_open(world, *, overdue, open_):
    now = timezone.now()
    for index in range(overdue + open_):
        due = now - timedelta(hours=3) if index < overdue else now + timedelta(days=1)
        factories.FeedbackRequestFactory(
            submission__requisition=world.requisition,
            created_at=due - timedelta(days=1),
            remind_at=due - timedelta(hours=4),
            due_at=due,
            escalate_at=due + timedelta(hours=12),
        )


def test_the_address_is_shared_by_both_pages(db):
    assert _url(User(pk=7)) == "/people/7/deactivate/"


def test_deactivate_on_the_team_page_leads_to_the_confirmation_not_straight_to_deactivation(client, world):
    client.force_login(world.client_admin)
    page = client.get(TEAM).content.decode()
    assert f'href="{_url(world.hiring_manager)}?next=/team/"' in page
    # An old form (or a stale tab) posting active=0 is sent to the confirmation too.
    response = client.post(reverse("accounts:member-active", args=[world.hiring_manager.pk]), {"active": "0"})
    assert response.status_code == 303
    assert response["Location"].startswith(_url(world.hiring_manager))
    world.hiring_manager.refresh_from_db()
    assert world.hiring_manager.is_active


def test_confirmation_shows_what_they_hold_and_who_may_take_over(client, world):
    _overdue_and_open(world, overdue=17, open_=14)
    client.force_login(world.client_admin)
    response = client.get(_url(world.hiring_manager))
    page = response.content.decode()
    assert response.status_code == 200
    assert "<strong>31</strong> open feedback and availability requests" in page
    assert "17 overdue" in page
    assert "<strong>1</strong> open requisition as hiring manager" in page
    assert "Hand over and deactivate" in page
    # Whom to: the other hiring manager and the client admin; not themselves, nobody of another client.
    assert f'<option value="{world.other_hiring_manager.pk}">' in page
    assert f'<option value="{world.client_admin.pk}">' in page
    assert f'<option value="{world.hiring_manager.pk}">' not in page
    assert f'<option value="{world.globex_hiring_manager.pk}">' not in page


def test_handing_over_moves_everything_and_returns_to_the_team_that_says_so(
    client, world, django_capture_on_commit_callbacks
):
    _overdue_and_open(world, overdue=2, open_=1)
    client.force_login(world.client_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _url(world.hiring_manager), {"successor": world.other_hiring_manager.pk, "next": TEAM}, follow=True
        )
    assert response.redirect_chain == [(TEAM, 303)]
    page = response.content.decode()
    assert "is deactivated: they can no longer sign in" in page
    assert f"{world.other_hiring_manager.display_name} now holds 3 open feedback and availability requests" in page
    assert set(FeedbackRequest.objects.values_list("requested_of", flat=True)) == {world.other_hiring_manager.pk}
    world.hiring_manager.refresh_from_db()
    assert not world.hiring_manager.is_active


def test_no_successor_chosen_is_a_400_beside_the_field_and_nothing_changes(client, world):
    _overdue_and_open(world, overdue=0, open_=2)
    client.force_login(world.client_admin)
    for data in ({}, {"successor": "nonsense"}, {"successor": world.globex_hiring_manager.pk}):
        response = client.post(_url(world.hiring_manager), data)
        assert response.status_code == 400
        assert 'id="id_successor_error"' in response.content.decode()
    world.hiring_manager.refresh_from_db()
    assert world.hiring_manager.is_active


def test_submitting_again_after_it_is_done_says_so_instead_of_failing(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.client_admin)
    form = {"successor": world.other_hiring_manager.pk, "next": TEAM}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url(world.hiring_manager), form)
        again = client.post(_url(world.hiring_manager), form, follow=True)  # Back, and submit again
    assert again.redirect_chain == [(TEAM, 303)]
    assert "is already deactivated: nothing more to do." in again.content.decode()
    assert client.get(_url(world.hiring_manager)).status_code == 303


def test_someone_who_holds_nothing_gets_a_plain_confirmation(client, world):
    idle = factories.UserFactory(organization=world.acme, role=User.Role.HIRING_MANAGER, full_name="Ida Idle")
    client.force_login(world.client_admin)
    page = client.get(_url(idle)).content.decode()
    assert "holds nothing that needs handing over" in page
    assert "Deactivate Ida Idle</button>" in page
    assert 'name="successor"' not in page
    response = client.post(_url(idle), {"next": TEAM})
    assert (response.status_code, response["Location"]) == (303, TEAM)
    idle.refresh_from_db()
    assert not idle.is_active


def test_reactivating_stays_one_click(client, world):
    world.hiring_manager.is_active = False
    world.hiring_manager.save()
    client.force_login(world.client_admin)
    response = client.post(reverse("accounts:member-active", args=[world.hiring_manager.pk]), {"active": "1"})
    assert (response.status_code, response["Location"]) == (303, TEAM)
    world.hiring_manager.refresh_from_db()
    assert world.hiring_manager.is_active


@pytest.mark.parametrize("persona", ["hiring_manager", "recruiter", "account_manager", "sourcer"])
def test_other_roles_are_refused(client, world, persona):
    client.force_login(getattr(world, persona))
    assert client.get(_url(world.other_hiring_manager)).status_code == 403
    assert client.post(_url(world.other_hiring_manager), {"successor": world.client_admin.pk}).status_code == 403
    world.other_hiring_manager.refresh_from_db()
    assert world.other_hiring_manager.is_active


def test_another_organisations_people_are_not_found(client, world):
    client.force_login(world.client_admin)
    for outsider in (world.globex_hiring_manager, world.recruiter):
        assert client.get(_url(outsider)).status_code == 404
        assert client.post(_url(outsider), {"successor": world.client_admin.pk}).status_code == 404
    client.force_login(world.provider_admin)
    assert client.get(_url(world.hiring_manager)).status_code == 404


def test_a_client_admin_cannot_deactivate_themselves(client, world):
    client.force_login(world.client_admin)
    assert client.get(_url(world.client_admin)).status_code == 403


def test_a_next_off_the_site_is_ignored(client, world):
    idle = factories.UserFactory(organization=world.acme, role=User.Role.HIRING_MANAGER)
    client.force_login(world.client_admin)
    response = client.post(_url(idle), {"next": "https://evil.example/"})
    assert response["Location"] == TEAM


def test_the_team_page_says_what_each_person_holds_in_the_same_number_of_queries(
    client, world, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.client_admin)
    client.get(TEAM)
    with CaptureQueriesContext(connection) as few:
        client.get(TEAM)
    for _ in range(20):
        person = factories.UserFactory(organization=world.acme, role=User.Role.HIRING_MANAGER)
        requisition = factories.RequisitionFactory(engagement=world.acme_engagement, hiring_manager=person)
        factories.FeedbackRequestFactory(submission__requisition=requisition)
    with django_assert_max_num_queries(len(few)):
        page = client.get(TEAM).content.decode()
    assert page.count("1 open feedback or availability request") == 20
