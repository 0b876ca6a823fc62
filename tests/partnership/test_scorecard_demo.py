"""The demo data set gives every scorecard figure something to show (``seed_demo``)."""

from datetime import UTC, datetime

import time_machine

from engagements.models import Engagement
from partnership.demo import seed_demo
from partnership.scorecard import engagement_health_map, engagement_scorecard

NOW = datetime(2026, 11, 18, 15, 0, tzinfo=UTC)


def test_every_figure_of_the_demo_engagements_has_a_value(db):
    with time_machine.travel(NOW, tick=False):
        seed_demo(now=NOW)
    engagements = list(Engagement.objects.order_by("pk"))
    assert len(engagements) == 2
    for engagement in engagements:
        scorecard = engagement_scorecard(engagement=engagement, days=90, now=NOW)
        missing = [figure.key for figure in (*scorecard.client, *scorecard.provider) if figure.value is None]
        assert missing == [], engagement.name
        assert scorecard.figure("interview_reschedules").value > 0
        # Both kinds of no-show happen, each counted on its own side.
        assert scorecard.figure("hiring_manager_no_shows").value > 0
        assert scorecard.figure("candidate_no_shows").value > 0
        assert scorecard.hiring_managers
        assert scorecard.overdue
        assert any(point.values["feedback_on_time_share"] is not None for point in scorecard.weeks)
    health = engagement_health_map(engagements=engagements, now=NOW)
    assert {engagement.pk for engagement in engagements} == set(health)
