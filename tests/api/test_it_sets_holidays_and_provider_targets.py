"""The engagement's country and region (whose public holidays are not business hours) and the
provider's four targets: read by whoever sees the engagement, changed by those who run it, checked
by the services (a clear 400 beside the field, never a 500)."""

from decimal import Decimal

import pytest

from engagements.models import Engagement

TARGETS = {
    "target_days_to_first_submission": 4,
    "target_submissions_per_requisition": "2.5",
    "target_submission_to_interview_percent": 40,
    "target_days_to_fill": 30,
}


def _url(engagement) -> str:
    return f"/api/v1/engagements/{engagement.pk}/"


def test_the_account_manager_sets_the_country_region_and_targets(world, client_for):
    client = client_for(world.account_manager)

    response = client.patch(_url(world.acme_engagement), {"country": "US", "region": "CA", **TARGETS}, format="json")

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["country"], body["region"]) == ("US", "CA")
    assert body["target_days_to_first_submission"] == 4
    assert Decimal(str(body["target_submissions_per_requisition"])) == Decimal("2.5")
    assert body["target_submission_to_interview_percent"] == 40
    assert body["target_days_to_fill"] == 30
    engagement = Engagement.objects.get(pk=world.acme_engagement.pk)
    assert engagement.business_calendar.region == "CA"
    assert engagement.target_submissions_per_requisition == Decimal("2.5")


def test_an_empty_target_is_no_target(world, client_for):
    client = client_for(world.account_manager)
    response = client.patch(
        _url(world.acme_engagement), {"target_days_to_fill": None, "country": "", "region": ""}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["target_days_to_fill"] is None
    assert Engagement.objects.get(pk=world.acme_engagement.pk).target_days_to_fill is None


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"country": "ZZ"}, "country", "“ZZ” is not a country code we know holidays of"),
        ({"country": "DEU"}, "country", "Ensure this field has no more than 2 characters."),
        ({"country": "DE", "region": "CA"}, "region", "“CA” is not a region of DE. Known regions:"),
        ({"region": "BY"}, "region", "Pick the country first: a region belongs to a country."),
        ({"target_days_to_first_submission": 0}, "target_days_to_first_submission", "greater than or equal to 1"),
        ({"target_submission_to_interview_percent": 101}, "target_submission_to_interview_percent", "less than"),
        ({"target_submissions_per_requisition": "lots"}, "target_submissions_per_requisition", "valid number"),
        ({"target_days_to_fill": "x"}, "target_days_to_fill", "valid integer"),
    ],
)
def test_bad_codes_and_targets_are_400_beside_the_field(world, client_for, data, field, message):
    response = client_for(world.account_manager).patch(_url(world.acme_engagement), data, format="json")
    assert response.status_code == 400, response.content
    assert message in response.json()[field][0]
    engagement = Engagement.objects.get(pk=world.acme_engagement.pk)
    assert (engagement.country, engagement.region, engagement.target_days_to_fill) == ("", "", 45)


def test_who_sees_the_engagement_reads_them_but_may_not_change_them(world, client_for):
    client = client_for(world.hiring_manager)
    body = client.get(_url(world.acme_engagement)).json()
    assert {"country", "region", *TARGETS} <= set(body)
    assert client.patch(_url(world.acme_engagement), {"country": "DE"}, format="json").status_code == 403
    assert client_for(world.globex_admin).patch(_url(world.acme_engagement), {"country": "DE"}).status_code == 404
    assert Engagement.objects.get(pk=world.acme_engagement.pk).country == ""
