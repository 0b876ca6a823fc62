"""Every signed-in person edits their own settings at /account/settings/: name, time zone, each
reminder or one daily digest at their chosen hour, and quiet hours (issue 12). There is no id in the
address, so nobody can open or change anyone else's."""

import pytest
from django.urls import reverse

from accounts.models import User

SETTINGS = "/account/settings/"
ROLES = [
    "provider_admin",
    "account_manager",
    "recruiter",
    "sourcer",
    "hiring_manager",
    "client_admin",
]


def _messages(page: str) -> str:
    return page[page.index('<div class="messages"') : page.index("</div>", page.index('<div class="messages"'))]


def _settings(user: User, **changes) -> dict:
    data = {
        "full_name": user.full_name,
        "time_zone": user.time_zone,
        "notification_preference": user.notification_preference,
        "digest_hour": user.digest_hour,
        "quiet_hours_start": user.quiet_hours_start,
        "quiet_hours_end": user.quiet_hours_end,
    }
    return {**data, **changes}


def test_the_address_is_the_one_the_header_links():
    assert reverse("accounts:settings") == SETTINGS


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(SETTINGS)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert client.post(SETTINGS, {"full_name": "Mallory"}).status_code == 302


@pytest.mark.parametrize("role", ROLES)
def test_every_role_opens_and_saves_their_own_settings(client, world, role):
    person = next(user for user in vars(world).values() if isinstance(user, User) and user.role == role)
    client.force_login(person)

    page = client.get(SETTINGS)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Your settings" in html
    assert f'href="{SETTINGS}" aria-current="page">Settings</a>' in html  # the header's link
    assert 'value="20" selected' in html  # quiet from 20:00 (today's default), shown as chosen

    response = client.post(
        SETTINGS,
        _settings(
            person,
            full_name="  New Name ",
            time_zone="Asia/Tokyo",
            notification_preference="digest",
            digest_hour=7,
            quiet_hours_start=22,
            quiet_hours_end=6,
        ),
    )
    assert (response.status_code, response["Location"]) == (303, SETTINGS)
    person.refresh_from_db()
    assert (person.full_name, person.time_zone, person.notification_preference) == ("New Name", "Asia/Tokyo", "digest")
    assert (person.digest_hour, person.quiet_hours_start, person.quiet_hours_end) == (7, 22, 6)
    after = client.get(SETTINGS).content.decode()
    assert "Your settings are saved." in _messages(after)
    assert "one daily digest at 07:00 (Asia/Tokyo); never between 22:00 and 06:00" in _messages(after)


def test_saving_changes_only_the_signed_in_persons_settings(client, world):
    """Whatever the form carries, it is the signed-in person's: an id in the body changes nothing."""
    client.force_login(world.hiring_manager)
    data = _settings(world.hiring_manager, digest_hour=10, id=world.other_hiring_manager.pk, pk=world.client_admin.pk)
    data["email"] = "boss@acme.example"
    data["role"] = "client_admin"
    assert client.post(SETTINGS, data).status_code == 303
    world.hiring_manager.refresh_from_db()
    world.other_hiring_manager.refresh_from_db()
    world.client_admin.refresh_from_db()
    assert world.hiring_manager.digest_hour == 10
    assert (world.hiring_manager.email, world.hiring_manager.role) == ("hm@acme.example", "hiring_manager")
    assert world.other_hiring_manager.digest_hour == world.client_admin.digest_hour == 8


def test_there_is_no_address_for_someone_elses_settings(client, world):
    client.force_login(world.client_admin)
    assert client.get(f"{SETTINGS}{world.hiring_manager.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"quiet_hours_start": 9, "quiet_hours_end": 9}, "quiet_hours_end", "cannot start and end at the same hour"),
        ({"time_zone": "Mars/Olympus"}, "time_zone", "Choose a time zone from the list."),
        ({"digest_hour": 24}, "digest_hour", "Choose an hour from 00:00 to 23:00."),
        ({"digest_hour": "seven"}, "digest_hour", "Choose an hour from 00:00 to 23:00."),
        ({"full_name": "  "}, "full_name", "Enter your name."),
        ({"notification_preference": "weekly"}, "notification_preference", "Choose how reminders reach you."),
        (
            {"notification_preference": "digest", "digest_hour": 21},
            "digest_hour",
            "Your digest at 21:00 would fall in your quiet hours (20:00 to 08:00)",
        ),
    ],
)
def test_a_refused_setting_answers_400_beside_its_field_and_saves_nothing(client, world, changes, field, message):
    client.force_login(world.recruiter)
    response = client.post(SETTINGS, _settings(world.recruiter, **{"full_name": "Typed Name", **changes}))
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert 'class="field has-error"' in html
    assert html.index(f'id="id_{field}') < html.index(message)  # beside its field, not only on top
    assert 'Nothing is saved yet: please check <a href="#id_' in html  # a link to the field, on a phone too
    if field != "full_name":
        assert 'value="Typed Name"' in html  # what was typed stays
    world.recruiter.refresh_from_db()
    assert world.recruiter.full_name == "Rita"
    assert (world.recruiter.digest_hour, world.recruiter.quiet_hours_start, world.recruiter.quiet_hours_end) == (
        8,
        20,
        8,
    )
    assert "Rita" in html  # the header still names them as they are saved


def test_the_summary_on_top_links_every_field_to_check(client, world):
    client.force_login(world.recruiter)
    data = _settings(world.recruiter, full_name="", time_zone="Nowhere", notification_preference="weekly")
    html = client.post(SETTINGS, data).content.decode()
    assert (
        'please check <a href="#id_full_name">full name</a>, <a href="#id_time_zone">time zone</a> '
        'and <a href="#id_notification_preference_0">reminders reach me</a>.'
    ) in html
    assert 'id="id_notification_preference_0"' in html


def test_the_page_links_api_tokens_for_everyone_and_out_of_office_for_provider_staff(client, world):
    client.force_login(world.recruiter)
    html = client.get(SETTINGS).content.decode()
    assert f'href="{reverse("accounts:tokens")}"' in html
    assert f'href="{reverse("accounts:out-of-office")}"' in html

    client.force_login(world.hiring_manager)
    html = client.get(SETTINGS).content.decode()
    assert f'href="{reverse("accounts:tokens")}"' in html
    assert f'href="{reverse("accounts:out-of-office")}"' not in html


def test_the_page_takes_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    client.force_login(world.hiring_manager)
    with django_assert_max_num_queries(6):
        assert client.get(SETTINGS).status_code == 200
