""" "Answered on time" is one rule: an answer given exactly at the due time is on time in the
figure, in the hiring manager's row and in the health of the engagements list; a microsecond
later it is late in all three."""

from datetime import timedelta

from engagements.models import Submission
from partnership.scorecard import engagement_health_map, engagement_scorecard
from tests import factories

from .scorecard_history import NOW, feedback_request


def test_an_answer_at_the_due_time_is_on_time_everywhere_and_a_microsecond_later_late(world):
    due = NOW - timedelta(days=3)
    for answered in (due, due + timedelta(microseconds=1)):
        submission = factories.SubmissionFactory(requisition=world.requisition, stage=Submission.Stage.HM_REVIEW)
        feedback_request(submission, world.hiring_manager, due - timedelta(days=1), due, answered=answered)

    scorecard = engagement_scorecard(engagement=world.acme_engagement, days=30, now=NOW)
    (row,) = [row for row in scorecard.hiring_managers if row.user.id == world.hiring_manager.pk]
    health = engagement_health_map(engagements=[world.acme_engagement], now=NOW)[world.acme_engagement.pk]

    assert scorecard.figure("feedback_on_time_share").value == 50.0
    assert (row.answered, row.answered_on_time, row.on_time_share) == (2, 1, 50.0)
    assert health == scorecard.health
    assert "feedback on time is 50% over the last 30 days (below 60%)" in health.reason.lower()
