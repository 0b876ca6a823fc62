"""One engagement's scorecard selects its rows by the list of its requisitions, never by joining
requisitions on ``engagement_id``: a plan that does not depend on table statistics.

Joined, PostgreSQL without statistics (right after a bulk load) took the engagement to have one
requisition and reread every interview of the window once per requisition: 27 s for one
aggregate, 66 s for the scorecard at ``seed_demo --scale 100`` (issue 14). The requisition list
is read once per scorecard."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from partnership.scorecard import engagement_scorecard

from .scorecard_history import NOW, build_history, many_submissions

ENGAGEMENT_FILTER = re.compile(r'"engagements_requisition"\."engagement_id" (=|IN)')


# The tables the figures count rows of: thousands per engagement, read in the window.
COUNTED = ("engagements_interview", "engagements_submissionstagechange", "feedback_feedbackrequest")
COUNTED += ("feedback_availabilityrequest", "feedback_reminder")


def _counts_rows_of(sql: str) -> bool:
    return any(f'FROM "{table}"' in sql for table in COUNTED)


def test_no_scorecard_query_filters_rows_through_a_join_on_the_requisitions_engagement(world):
    build_history(world)
    many_submissions(world, 5)
    with CaptureQueriesContext(connection) as queries:
        scorecard = engagement_scorecard(engagement=world.acme_engagement, now=NOW)
    assert scorecard.overdue_total["provider"] > 0
    counting = [query["sql"] for query in queries if _counts_rows_of(query["sql"])]
    assert len(counting) >= 8
    assert [sql for sql in counting if ENGAGEMENT_FILTER.search(sql)] == []
    requisition_lists = [
        query["sql"]
        for query in queries
        if re.match(
            r'SELECT "engagements_requisition"."id"( AS "pk")? FROM "engagements_requisition" WHERE', query["sql"]
        )
    ]
    assert len(requisition_lists) == 1  # read once per scorecard
