"""Service levels that cannot produce a due time within a bounded span are refused, with a message
beside the field that says what is allowed, on the API, the SLA page and the admin alike.

Issue 13, failure 2: business hours 09:00–10:00 on Saturdays only (one business hour a week) with
720 hours to answer was accepted, and every later due time computation failed.
"""

from datetime import UTC, datetime, time

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from engagements.models import Engagement
from engagements.services import engagement_update

from .test_admin_saves_through_services import _url as admin_url
from .test_admin_saves_through_services import admin_browser, page_text, provider_admin, shown  # noqa: F401

NOW = datetime(2026, 1, 12, 15, 0, tzinfo=UTC)

ONE_HOUR_ON_SATURDAYS = {
    "business_weekdays": "6",
    "business_day_start": "09:00",
    "business_day_end": "10:00",
    "resume_feedback_due_hours": 720,
}


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(NOW, tick=False)


def _unchanged(engagement) -> None:
    engagement.refresh_from_db()
    assert engagement.business_weekdays == "12345"
    assert engagement.resume_feedback_due_hours == 24


def test_the_patch_from_the_issue_is_refused_with_a_field_message(world, client_for):
    engagement = world.acme_engagement

    response = client_for(world.account_manager).patch(
        f"/api/v1/engagements/{engagement.pk}/", ONE_HOUR_ON_SATURDAYS, format="json"
    )

    assert response.status_code == 400
    [message] = response.json()["resume_feedback_due_hours"]
    assert message.startswith("Due in at most 8 business hours")
    assert "with 1 business hour a week" in message
    assert "8 weeks" in message
    _unchanged(engagement)


def test_availability_and_escalation_hours_are_bounded_too(world, client_for):
    response = client_for(world.account_manager).patch(
        f"/api/v1/engagements/{world.acme_engagement.pk}/",
        {**ONE_HOUR_ON_SATURDAYS, "resume_feedback_due_hours": 8, "availability_due_hours": 720},
        format="json",
    )

    assert response.status_code == 400
    assert set(response.json()) == {"availability_due_hours", "interview_feedback_due_hours", "escalation_delay_hours"}
    assert "at most 8 business hours" in response.json()["availability_due_hours"][0]


def test_the_bound_follows_the_weeks_business_hours(world, client_for):
    """Eight weeks of one business hour a week is eight hours: allowed, the ninth is not."""
    client = client_for(world.account_manager)
    url = f"/api/v1/engagements/{world.acme_engagement.pk}/"
    fitting = {
        **ONE_HOUR_ON_SATURDAYS,
        "resume_feedback_due_hours": 8,
        "interview_feedback_due_hours": 8,
        "availability_due_hours": 8,
        "reminder_lead_hours": 1,
        "escalation_delay_hours": 8,
    }

    assert client.patch(url, {**fitting, "escalation_delay_hours": 9}, format="json").status_code == 400
    assert client.patch(url, fitting, format="json").status_code == 200

    # Monday to Friday, 09:00 to 17:00 is 40 hours a week: 320 hours fit in eight weeks.
    weekdays = {"business_weekdays": "12345", "business_day_start": "09:00", "business_day_end": "17:00"}
    assert client.patch(url, {**weekdays, "resume_feedback_due_hours": 320}, format="json").status_code == 200
    refused = client.patch(url, {**weekdays, "resume_feedback_due_hours": 321}, format="json")
    assert refused.status_code == 400
    assert "with 40 business hours a week" in refused.json()["resume_feedback_due_hours"][0]


def test_the_bound_is_a_setting(world, client_for, settings):
    settings.SLA_MAX_DUE_WEEKS = 12
    response = client_for(world.account_manager).patch(
        f"/api/v1/engagements/{world.acme_engagement.pk}/",
        {**ONE_HOUR_ON_SATURDAYS, "resume_feedback_due_hours": 13},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["resume_feedback_due_hours"][0].startswith("Due in at most 12 business hours")


def test_a_week_without_business_hours_is_refused_by_the_service(world):
    engagement = world.acme_engagement
    with pytest.raises(ValidationError) as no_day:
        engagement_update(actor=world.account_manager, engagement=engagement, business_weekdays="")
    assert "business_weekdays" in no_day.value.message_dict

    engagement = Engagement.objects.get(pk=engagement.pk)
    with pytest.raises(ValidationError) as no_hours:
        engagement_update(
            actor=world.account_manager,
            engagement=engagement,
            business_day_start=time(10, 0),
            business_day_end=time(10, 0),
        )
    assert no_hours.value.message_dict["business_day_end"] == ["The business day must end after it starts."]
    _unchanged(world.acme_engagement)


def test_the_sla_page_refuses_it_beside_the_field(client, world):
    client.force_login(world.account_manager)
    data = {
        "resume_feedback_due_hours": "720",
        "interview_feedback_due_hours": "8",
        "availability_due_hours": "8",
        "reminder_lead_hours": "1",
        "escalation_delay_hours": "8",
        "time_zone": "UTC",
        "business_day_start": "09:00",
        "business_day_end": "10:00",
        "business_weekdays": ["6"],
        "escalation_contact": "",
    }

    response = client.post(reverse("partnership:engagement-sla", kwargs={"pk": world.acme_engagement.pk}), data)

    assert response.status_code == 400
    [message] = response.context["form"].errors["resume_feedback_due_hours"]
    assert message.startswith("Due in at most 8 business hours")
    assert message in response.content.decode()
    _unchanged(world.acme_engagement)


def test_the_admin_refuses_it_beside_the_field(admin_browser, world):  # noqa: F811
    url = admin_url(Engagement, "change", world.acme_engagement.pk)
    values = shown(admin_browser, url)
    values.update(
        {
            "business_weekdays": "6",
            "business_day_start": "09:00:00",
            "business_day_end": "10:00:00",
            "resume_feedback_due_hours": "720",
        }
    )

    response = admin_browser.post(url, values)

    assert response.status_code == 200
    [message] = response.context["adminform"].form.errors["resume_feedback_due_hours"]
    assert message.startswith("Due in at most 8 business hours")
    assert message in page_text(response)
    _unchanged(world.acme_engagement)
