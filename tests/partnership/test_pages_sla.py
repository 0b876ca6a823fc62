"""The engagement's service levels, set by its account managers."""

import re
from datetime import UTC, datetime, time

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from engagements.models import Engagement
from tests import factories

NOW = datetime(2026, 1, 12, 15, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(NOW, tick=False)


def _url(engagement) -> str:
    return reverse("partnership:engagement-sla", kwargs={"pk": engagement.pk})


def _form(world, **overrides) -> dict:
    data = {
        "resume_feedback_due_hours": "16",
        "interview_feedback_due_hours": "24",
        "availability_due_hours": "12",
        "reminder_lead_hours": "2",
        "escalation_delay_hours": "8",
        "time_zone": "Europe/London",
        "business_day_start": "08:30",
        "business_day_end": "17:30",
        "business_weekdays": ["1", "2", "3", "4"],
        "escalation_contact": str(world.client_admin.pk),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def _field(page: str, name: str, next_name: str) -> str:
    return page[page.index(f'for="id_{name}"') : page.index(f'for="id_{next_name}"')]


def test_account_manager_sees_the_current_service_levels(client, world):
    assert _url(world.acme_engagement) == f"/engagements/{world.acme_engagement.pk}/sla/"
    client.force_login(world.account_manager)
    response = client.get(_url(world.acme_engagement))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Changes apply to new requests only" in page
    assert 'name="resume_feedback_due_hours" value="24"' in page
    assert 'value="09:00"' in page
    assert page.count('name="business_weekdays"') == 7
    assert page.count("checked") == 5


def test_account_manager_changes_the_service_levels(client, world):
    client.force_login(world.account_manager)

    response = client.post(_url(world.acme_engagement), _form(world))

    assert response.status_code == 303
    assert response["Location"] == _url(world.acme_engagement)
    engagement = Engagement.objects.get(pk=world.acme_engagement.pk)
    assert engagement.resume_feedback_due_hours == 16
    assert engagement.interview_feedback_due_hours == 24
    assert engagement.availability_due_hours == 12
    assert engagement.reminder_lead_hours == 2
    assert engagement.escalation_delay_hours == 8
    assert engagement.time_zone == "Europe/London"
    assert engagement.business_day_start == time(8, 30)
    assert engagement.business_day_end == time(17, 30)
    assert engagement.business_weekdays == "1234"
    assert engagement.escalation_contact == world.client_admin
    [message] = [str(message) for message in get_messages(response.wsgi_request)]
    assert "open requests keep the due times they were given" in message


def test_open_requests_keep_their_due_time(client, world):
    request = factories.FeedbackRequestFactory(submission__requisition=world.requisition)
    due_at = request.due_at
    client.force_login(world.account_manager)
    client.post(_url(world.acme_engagement), _form(world, resume_feedback_due_hours="2"))
    request.refresh_from_db()
    assert request.due_at == due_at


def test_the_escalation_contact_can_be_left_to_the_client_admins(client, world):
    world.acme_engagement.escalation_contact = world.client_admin
    world.acme_engagement.save()
    client.force_login(world.account_manager)
    client.post(_url(world.acme_engagement), _form(world, escalation_contact=""))
    assert Engagement.objects.get(pk=world.acme_engagement.pk).escalation_contact is None


def test_errors_are_shown_beside_the_fields_and_what_was_typed_is_kept(client, world):
    client.force_login(world.account_manager)

    response = client.post(
        _url(world.acme_engagement),
        _form(
            world,
            resume_feedback_due_hours="0",
            availability_due_hours="lots",
            business_day_start="18:00",
            business_day_end="09:00",
            business_weekdays=[],
        ),
    )

    assert response.status_code == 400  # refused: the form comes back with its errors
    page = response.content.decode()
    resume = _field(page, "resume_feedback_due_hours", "interview_feedback_due_hours")
    assert "greater than or equal to 1" in resume
    assert 'value="0"' in resume
    availability = _field(page, "availability_due_hours", "reminder_lead_hours")
    assert "Enter a whole number of hours." in availability
    assert 'value="lots"' in availability
    assert "Pick at least one business day." in page
    assert 'value="Europe/London" selected' in page
    assert Engagement.objects.get(pk=world.acme_engagement.pk).resume_feedback_due_hours == 24


def test_a_business_day_ending_before_it_starts_is_refused_beside_the_end(client, world):
    client.force_login(world.account_manager)
    response = client.post(
        _url(world.acme_engagement), _form(world, business_day_start="18:00", business_day_end="09:00")
    )
    assert response.status_code == 400
    page = response.content.decode()
    end = page[page.index('for="id_business_day_end"') : page.index("Business days")]
    assert "The business day must end after it starts." in end
    assert 'value="18:00"' in page
    assert Engagement.objects.get(pk=world.acme_engagement.pk).business_day_start == time(9, 0)


def test_the_escalation_contact_must_be_one_of_the_clients_people(client, world):
    client.force_login(world.account_manager)
    page = client.get(_url(world.acme_engagement)).content.decode()
    choices = page[
        page.index('name="escalation_contact"') : page.index("</select>", page.index('name="escalation_contact"'))
    ]
    offered = set(re.findall(r'<option value="(\d+)"', choices))
    assert offered == {str(world.client_admin.pk), str(world.hiring_manager.pk), str(world.other_hiring_manager.pk)}
    assert "The client admins (default)" in choices

    for outsider in (world.globex_admin, world.recruiter):
        response = client.post(_url(world.acme_engagement), _form(world, escalation_contact=str(outsider.pk)))
        assert response.status_code == 400
        contact = response.content.decode()[response.content.decode().index('for="id_escalation_contact"') :]
        assert "Select a valid choice" in contact
    assert Engagement.objects.get(pk=world.acme_engagement.pk).escalation_contact is None


def test_provider_admin_may_set_service_levels_of_any_engagement(client, world):
    client.force_login(world.provider_admin)
    assert client.get(_url(world.globex_engagement)).status_code == 200
    assert client.post(_url(world.globex_engagement), _form(world, escalation_contact="")).status_code == 303


@pytest.mark.parametrize("persona", ["recruiter", "sourcer", "client_admin", "hiring_manager"])
def test_people_who_see_the_engagement_but_do_not_manage_it_are_refused(client, world, persona):
    client.force_login(getattr(world, persona))
    assert client.get(_url(world.acme_engagement)).status_code == 403
    response = client.post(_url(world.acme_engagement), _form(world))
    assert response.status_code == 403
    assert Engagement.objects.get(pk=world.acme_engagement.pk).resume_feedback_due_hours == 24


@pytest.mark.parametrize(
    ("persona", "engagement"),
    [
        ("globex_admin", "acme_engagement"),
        ("client_admin", "globex_engagement"),
        ("account_manager", "globex_engagement"),
        ("globex_hiring_manager", "acme_engagement"),
        ("idle_recruiter", "acme_engagement"),
    ],
)
def test_another_tenants_engagement_is_not_found(client, world, persona, engagement):
    client.force_login(getattr(world, persona))
    target = getattr(world, engagement)
    assert client.get(_url(target)).status_code == 404
    assert client.post(_url(target), _form(world)).status_code == 404


def test_anonymous_visitor_is_sent_to_sign_in(client, world):
    response = client.get(_url(world.acme_engagement))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
