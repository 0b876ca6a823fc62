"""Every page form of the accounts app answers a successful POST with a redirect to a page that
says what happened (post/redirect/get: reloading it sends nothing again), and a refused one with
400 and the form as it was typed (issue 13)."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from accounts.models import OutOfOffice
from tests import factories

OUT_OF_OFFICE = "/out-of-office/"
TEAM = "/team/"
INVITE = "/team/invite/"


def _messages(page: str) -> str:
    return page[page.index('<div class="messages"') : page.index("</div>", page.index('<div class="messages"'))]


def _absence(backup, *, start_days=10, end_days=14, **extra) -> dict:
    today = timezone.now().astimezone(backup.zone).date()
    return {
        "starts_at": f"{today + timedelta(days=start_days):%Y-%m-%d}T09:00",
        "ends_at": f"{today + timedelta(days=end_days):%Y-%m-%d}T18:00",
        "backup": backup.pk,
        "note": "Holiday",
        **extra,
    }


def test_out_of_office_saved_redirects_to_the_page_that_says_so(client, world):
    client.force_login(world.recruiter)

    response = client.post(OUT_OF_OFFICE, _absence(world.idle_recruiter))

    assert (response.status_code, response["Location"]) == (303, OUT_OF_OFFICE)
    page = client.get(OUT_OF_OFFICE).content.decode()
    assert "You are out of office from" in _messages(page)
    assert "Ivan covers" in _messages(page)
    assert OutOfOffice.objects.count() == 1


def test_out_of_office_refused_answers_400_with_what_was_typed(client, world):
    client.force_login(world.recruiter)
    data = _absence(world.idle_recruiter, start_days=10, end_days=8, note="Typed note")

    response = client.post(OUT_OF_OFFICE, data)

    assert response.status_code == 400
    page = response.content.decode()
    assert "The end must be after the start." in page
    assert 'value="Typed note"' in page
    assert not OutOfOffice.objects.exists()


def test_out_of_office_deleted_redirects_to_the_page_that_says_so(client, world):
    absence = factories.OutOfOfficeFactory(user=world.recruiter, backup=world.idle_recruiter)
    client.force_login(world.recruiter)

    response = client.post(reverse("accounts:out-of-office-delete", args=[absence.pk]))

    assert (response.status_code, response["Location"]) == (303, OUT_OF_OFFICE)
    assert "The out-of-office period is deleted." in _messages(client.get(OUT_OF_OFFICE).content.decode())


def test_an_invitation_sent_redirects_to_the_team_that_says_so(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.client_admin)
    form = {"full_name": "Nora Newhire", "email": "nora@acme.example", "time_zone": "Europe/London"}

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(INVITE, form)

    assert (response.status_code, response["Location"]) == (303, TEAM)
    assert "Nora Newhire is invited" in _messages(client.get(TEAM).content.decode())


def test_an_invitation_refused_answers_400_with_what_was_typed(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.client_admin)
    form = {"full_name": "Typed Name", "email": "not-an-email", "time_zone": "Europe/London"}

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(INVITE, form)

    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter an email address like name@example.com." in page
    assert 'value="Typed Name"' in page


def test_deactivating_a_member_redirects_to_the_team_that_says_so(client, world):
    client.force_login(world.client_admin)

    response = client.post(
        reverse("accounts:member-deactivate", args=[world.hiring_manager.pk]),
        {"successor": world.other_hiring_manager.pk},
    )

    assert (response.status_code, response["Location"]) == (303, TEAM)
    assert "is deactivated: they can no longer sign in" in _messages(client.get(TEAM).content.decode())
