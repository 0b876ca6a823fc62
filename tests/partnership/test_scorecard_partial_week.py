"""The weekly trends mark the current week as partial, everywhere they are shown, and the charts
take their scale from the complete weeks only.

A few late answers early in a week made "this week" read 233.8 h and rescale the chart to 250 h,
which then flattened every complete week. The history is ``scorecard_history`` (NOW is Wednesday
17 June 2026, so the week of 15 June is the one under way).
"""

import csv
import io
import json
from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse

from accounts.models import User
from partnership.scorecard import Scorecard, WeekPoint, engagement_scorecard

from .. import factories
from .scorecard_history import NOW, at, build_history, feedback_request

THIS_WEEK = date(2026, 6, 15)
TURNAROUND = "feedback_median_turnaround_hours"


@pytest.fixture
def history(world, time_machine):
    time_machine.move_to(NOW, tick=False)
    cache.clear()
    history = build_history(world)
    # Three answers given this week to requests asked two weeks ago: a huge turnaround this week.
    for number in range(3):
        late = factories.UserFactory(
            organization=world.acme, role=User.Role.HIRING_MANAGER, email=f"late{number}@acme.example"
        )
        feedback_request(history.submissions["s1"], late, at(6, 1, 14), at(6, 2, 14), answered=at(6, 16, 14))
    return history


def test_only_the_week_under_way_is_partial(history):
    scorecard = engagement_scorecard(engagement=history.world.acme_engagement, days=30, now=NOW)

    partial = {point.week_start: point.partial for point in scorecard.weeks}
    assert partial == {
        date(2026, 5, 18): False,
        date(2026, 5, 25): False,
        date(2026, 6, 1): False,
        date(2026, 6, 8): False,
        THIS_WEEK: True,
    }


def test_a_week_read_back_from_an_older_cached_scorecard_is_complete():
    assert WeekPoint.from_dict({"week_start": "2026-06-08", "values": {}}).partial is False
    point = WeekPoint(week_start=THIS_WEEK, values={TURNAROUND: 1.5}, partial=True)
    assert WeekPoint.from_dict(point.to_dict()) == point


def test_the_scorecard_keeps_the_partial_flag_through_the_cache(history):
    scorecard = engagement_scorecard(engagement=history.world.acme_engagement, days=30, now=NOW)
    back = Scorecard.from_dict(json.loads(json.dumps(scorecard.to_dict())), engagement=history.world.acme_engagement)
    assert [point.partial for point in back.weeks] == [False, False, False, False, True]


def _chart_data(page: str) -> dict:
    block = page.split('<script id="scorecard-trends" type="application/json">')[1].split("</script>")[0]
    return json.loads(block)


def test_the_page_marks_this_week_so_far_as_partial_and_scales_the_charts_on_complete_weeks(client, history):
    client.force_login(history.world.account_manager)
    page = client.get(reverse("partnership:engagement-detail", kwargs={"pk": history.world.acme_engagement.pk}))
    page = page.content.decode()

    table = page.split('class="data trend-table"')[1].split("</table>")[0]
    assert table.count("This week so far (partial)") == 1
    [this_week_row] = [row for row in table.split("<tr") if "15 Jun 2026" in row]
    assert "This week so far (partial)" in this_week_row
    assert 'class="partial-week"' in this_week_row

    data = _chart_data(page)
    assert data["partial"] == [False, False, False, False, True]
    assert data["labels"][-2:] == ["8 Jun", "15 Jun (so far)"]
    [turnaround] = [series for series in data["series"] if series["key"] == TURNAROUND]
    complete = [value for value, partial in zip(turnaround["values"], data["partial"], strict=True) if not partial]
    this_week = turnaround["values"][-1]
    assert this_week > 100  # the late answers
    assert turnaround["scale_max"] == max(value for value in complete if value is not None)
    assert turnaround["scale_max"] < this_week


def test_the_api_flags_this_week_as_partial(history, client_for):
    url = reverse("engagement-scorecard", args=[history.world.acme_engagement.pk])
    body = client_for(history.world.account_manager).get(url).json()
    assert [(week["week_start"], week["partial"]) for week in body["weeks"]] == [
        ("2026-05-18", False),
        ("2026-05-25", False),
        ("2026-06-01", False),
        ("2026-06-08", False),
        ("2026-06-15", True),
    ]


def test_the_api_schema_documents_the_partial_flag(world, client):
    client.force_login(world.account_manager)
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    week = schema["components"]["schemas"]["ScorecardWeek"]
    assert week["properties"]["partial"]["type"] == "boolean"
    assert "partial" in week["required"]


def test_the_csv_flags_this_week_as_partial(client, history):
    client.force_login(history.world.account_manager)
    url = reverse("partnership:engagement-scorecard-csv", kwargs={"pk": history.world.acme_engagement.pk})
    rows = list(csv.reader(io.StringIO(client.get(url).content.decode())))

    header = next(row for row in rows if row and row[0] == "week starting")
    assert header[-1] == "partial week"
    after = rows[rows.index(header) + 1 :]
    weeks = {row[0]: row[-1] for row in after[: after.index([])]}  # up to the cost of waiting
    assert weeks == {
        "2026-05-18": "no",
        "2026-05-25": "no",
        "2026-06-01": "no",
        "2026-06-08": "no",
        "2026-06-15": "yes (this week so far)",
    }


def test_a_week_that_ended_is_complete_even_at_its_last_minute(history):
    """Sunday 23:59 in New York: the week of 15 June is still under way, the next Monday it is not."""
    sunday_night = NOW + timedelta(days=4, hours=15, minutes=59)  # 03:59 UTC Monday = 23:59 Sunday EDT
    monday = sunday_night + timedelta(minutes=1)
    engagement = history.world.acme_engagement
    assert engagement_scorecard(engagement=engagement, days=30, now=sunday_night).weeks[-1].partial is True
    after = engagement_scorecard(engagement=engagement, days=30, now=monday).weeks
    assert [(point.week_start, point.partial) for point in after[-2:]] == [
        (THIS_WEEK, False),
        (date(2026, 6, 22), True),
    ]
