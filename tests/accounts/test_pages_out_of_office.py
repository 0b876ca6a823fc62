"""/out-of-office/: provider staff say when they are away and who covers, in their own time zone."""

import zoneinfo
from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import OutOfOffice, User
from tests import factories

PAGE = "/out-of-office/"
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


def _local_day(days_ahead: int):
    return (timezone.now().astimezone(NEW_YORK) + timedelta(days=days_ahead)).date()


def _form(backup, *, start_days=10, end_days=14, **extra):
    return {
        "starts_at": f"{_local_day(start_days):%Y-%m-%d}T09:00",
        "ends_at": f"{_local_day(end_days):%Y-%m-%d}T18:00",
        "backup": backup.pk,
        "note": "Holiday",
        **extra,
    }


def _away(user, backup, *, days_from_now=1, days=3, **extra):
    starts_at = timezone.now() + timedelta(days=days_from_now)
    return factories.OutOfOfficeFactory(
        user=user, backup=backup, starts_at=starts_at, ends_at=starts_at + timedelta(days=days), **extra
    )


def test_out_of_office_is_at_its_own_address(client, world):
    assert reverse("accounts:out-of-office") == PAGE


def test_recruiter_sets_out_of_office_in_their_own_time_zone(client, world):
    client.force_login(world.recruiter)
    response = client.post(PAGE, _form(world.idle_recruiter), follow=True)
    assert response.redirect_chain == [(PAGE, 303)]
    absence = OutOfOffice.objects.get()
    start_day = _local_day(10)
    assert absence.user == world.recruiter
    assert absence.backup == world.idle_recruiter
    assert absence.note == "Holiday"
    assert absence.starts_at == datetime(start_day.year, start_day.month, start_day.day, 9, 0, tzinfo=NEW_YORK)
    page = response.content.decode()
    assert "Ivan covers" in page
    assert f"{start_day:%a} {start_day.day} {start_day:%b %Y}, 09:00" in page
    assert "America/New_York" in page
    assert "Upcoming" in page


def test_the_backup_choices_are_my_provider_colleagues_not_me(client, world):
    client.force_login(world.recruiter)
    page = client.get(PAGE).content.decode()
    assert f'<option value="{world.idle_recruiter.pk}">Ivan (recruiter)</option>' in page
    assert f'value="{world.recruiter.pk}"' not in page
    assert f'value="{world.hiring_manager.pk}"' not in page
    assert 'name="user"' not in page  # a recruiter only sets their own


def test_end_before_start_is_refused_beside_the_end_and_what_was_typed_stays(client, world):
    client.force_login(world.recruiter)
    data = _form(world.idle_recruiter, start_days=10, end_days=8, note="Typed note")
    response = client.post(PAGE, data)
    page = response.content.decode()
    assert response.status_code == 400
    assert '<ul class="errorlist" id="id_ends_at_error"><li>The end must be after the start.</li></ul>' in page
    assert f'value="{data["starts_at"]}"' in page
    assert f'value="{data["ends_at"]}"' in page
    assert 'value="Typed note"' in page
    assert f'<option value="{world.idle_recruiter.pk}" selected>' in page
    assert not OutOfOffice.objects.exists()


def test_a_backup_who_is_away_then_is_refused_beside_the_backup(client, world):
    _away(world.idle_recruiter, world.sourcer, days_from_now=9, days=3)
    client.force_login(world.recruiter)
    page = client.post(PAGE, _form(world.idle_recruiter)).content.decode()
    assert 'id="id_backup_error"' in page
    assert "Ivan is out of office then too" in page
    assert OutOfOffice.objects.filter(user=world.recruiter).count() == 0


def test_a_backup_who_is_not_a_colleague_is_refused_beside_the_backup(client, world):
    client.force_login(world.recruiter)
    page = client.post(PAGE, _form(world.hiring_manager)).content.decode()
    assert '<ul class="errorlist" id="id_backup_error"><li>Choose a backup from your own team.</li></ul>' in page
    assert not OutOfOffice.objects.exists()


def test_missing_and_garbled_values_are_named_beside_their_fields(client, world):
    client.force_login(world.recruiter)
    page = client.post(PAGE, {"starts_at": "next tuesday", "ends_at": "", "backup": "abc"}).content.decode()
    assert '<ul class="errorlist" id="id_starts_at_error"><li>Enter a date and time like 2026-12-01 09:00.</li>' in page
    assert '<ul class="errorlist" id="id_ends_at_error"><li>Enter a date and time.</li>' in page
    assert 'id="id_backup_error"' in page


def test_a_time_skipped_by_the_clocks_going_forward_is_refused(client, world):
    client.force_login(world.recruiter)
    data = _form(world.idle_recruiter) | {"starts_at": "2027-03-14T02:30", "ends_at": "2027-03-20T18:00"}
    page = client.post(PAGE, data).content.decode()
    assert "02:30 does not exist on 14 Mar 2027 in America/New_York" in page


@pytest.mark.parametrize("manager", ["account_manager", "provider_admin"])
def test_a_manager_sets_out_of_office_for_a_colleague(client, world, manager):
    client.force_login(getattr(world, manager))
    page = client.get(PAGE).content.decode()
    assert '<label for="id_user">Who is away</label>' in page
    response = client.post(PAGE, _form(world.idle_recruiter, user=world.recruiter.pk), follow=True)
    assert "Rita is out of office" in response.content.decode()
    assert OutOfOffice.objects.get().user == world.recruiter


def test_the_page_lists_my_absences_and_the_ones_i_cover_not_others(client, world):
    mine = _away(world.recruiter, world.idle_recruiter, days_from_now=-1, days=3, note="Conference")
    covering = _away(world.sourcer, world.recruiter, days_from_now=5)
    _away(world.globex_recruiter, world.idle_recruiter, days_from_now=2)  # neither mine nor covered by me
    _away(world.recruiter, world.idle_recruiter, days_from_now=-10, days=2)  # over already
    client.force_login(world.recruiter)
    page = client.get(PAGE).content.decode()
    assert "Away now" in page
    assert "Conference" in page
    assert "You cover" in page
    assert "Greta (recruiter)</option>" in page  # a possible backup, but her absence is not listed
    assert "<strong>Greta</strong>" not in page
    assert page.count('<li class="absence') == 2
    assert reverse("accounts:out-of-office-delete", args=[mine.pk]) in page
    # The one I cover is someone else's to delete.
    assert reverse("accounts:out-of-office-delete", args=[covering.pk]) not in page


def test_an_account_manager_sees_every_colleagues_absence(client, world):
    _away(world.globex_recruiter, world.idle_recruiter)
    _away(world.sourcer, world.recruiter)
    client.force_login(world.account_manager)
    page = client.get(PAGE).content.decode()
    assert "<strong>Greta</strong>" in page
    assert page.count('<li class="absence') == 2


def test_recruiter_deletes_their_absence(client, world):
    absence = _away(world.recruiter, world.idle_recruiter)
    client.force_login(world.recruiter)
    url = reverse("accounts:out-of-office-delete", args=[absence.pk])
    assert client.get(url).status_code == 405
    response = client.post(url, follow=True)
    assert response.redirect_chain == [(PAGE, 303)]
    assert "The out-of-office period is deleted." in response.content.decode()
    assert not OutOfOffice.objects.exists()


def test_a_recruiter_cannot_delete_a_colleagues_absence(client, world):
    absence = _away(world.sourcer, world.recruiter)
    client.force_login(world.recruiter)
    response = client.post(reverse("accounts:out-of-office-delete", args=[absence.pk]))
    assert response.status_code == 403
    assert "That is not yours to do" in response.content.decode()
    assert OutOfOffice.objects.filter(pk=absence.pk).exists()


def test_another_providers_absence_is_not_found(client, world):
    rival = factories.ProviderFactory(name="Rival RPO")
    rival_recruiter = factories.UserFactory(organization=rival, role=User.Role.RECRUITER)
    rival_backup = factories.UserFactory(organization=rival, role=User.Role.RECRUITER)
    absence = _away(rival_recruiter, rival_backup)
    client.force_login(world.provider_admin)
    assert client.post(reverse("accounts:out-of-office-delete", args=[absence.pk])).status_code == 404
    assert client.post(reverse("accounts:out-of-office-delete", args=[999999])).status_code == 404
    assert OutOfOffice.objects.filter(pk=absence.pk).exists()


@pytest.mark.parametrize("persona", ["hiring_manager", "client_admin", "globex_admin"])
def test_client_users_are_told_out_of_office_is_for_provider_staff(client, world, persona):
    client.force_login(getattr(world, persona))
    response = client.get(PAGE)
    assert response.status_code == 403
    assert "for the provider&#x27;s recruiting staff" in response.content.decode()
    assert client.post(PAGE, _form(world.recruiter)).status_code == 403


def _count_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(PAGE).status_code == 200
    return len(queries)


@pytest.mark.parametrize("persona", ["account_manager", "recruiter"])
def test_query_count_is_the_same_for_5_and_50_absences(client, world, persona):
    def add_absences(count):
        for _ in range(count):
            colleague = factories.UserFactory(organization=world.provider, role=User.Role.RECRUITER)
            _away(colleague, world.recruiter)

    add_absences(5)
    client.force_login(getattr(world, persona))
    client.get(PAGE)
    few = _count_queries(client)
    add_absences(45)
    many = _count_queries(client)
    assert few == many
    assert client.get(PAGE).content.decode().count('<li class="absence') == 50
