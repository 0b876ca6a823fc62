"""One engagement's scorecard counts its rows by the engagement they carry (``OfSubmission``), one
index range per figure: never by joining requisitions on ``engagement_id``, and never by joining
every submission of the engagement. Both plans cost what the history costs, not what the window
holds, and the first depends on table statistics.

Joined on the requisitions' engagement, PostgreSQL without statistics (right after a bulk load)
took the engagement to have one requisition and reread every interview of the window once per
requisition: 27 s for one aggregate, 66 s for the scorecard at ``seed_demo --scale 100``. Selected
by the list of the engagement's requisitions, each figure hashed the engagement's 50,000
submissions (368 ms a scorecard; 142 ms with the rows' own engagement, issue 14)."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from partnership.scorecard import engagement_scorecard

from .scorecard_history import NOW, build_history, many_submissions

JOINED_ENGAGEMENT = re.compile(r'"engagements_requisition"\."engagement_id" (=|IN)')
AGGREGATE = re.compile(r"\b(COUNT|percentile_cont|median|SUM)\(", re.IGNORECASE)

# The tables the figures count rows of: thousands per engagement, read in the window.
COUNTED = ("engagements_interview", "engagements_submissionstagechange", "feedback_feedbackrequest")
COUNTED += ("feedback_availabilityrequest",)
# The hourly rollups the counts of whole hours come from (``rpo_portal.rollups``), by engagement too.
ROLLUPS = ("engagements_stagemoveshour", "feedback_feedbackduehour")
COUNTED += ROLLUPS


def _counted_table(sql: str) -> str | None:
    for table in COUNTED:
        if f'FROM "{table}"' in sql:
            return table
    return None


def test_every_figure_counts_rows_by_their_own_engagement_without_joining_submissions(world):
    build_history(world)
    many_submissions(world, 5)
    with CaptureQueriesContext(connection) as queries:
        scorecard = engagement_scorecard(engagement=world.acme_engagement, now=NOW)
    assert scorecard.overdue_total["provider"] > 0
    counting = [
        (table, query["sql"])
        for query in queries
        if (table := _counted_table(query["sql"]))
        and AGGREGATE.search(query["sql"].split(f' FROM "{table}"')[0])
        and " OVER (" not in query["sql"]  # the overdue lists: what is open now, not a window
    ]
    assert len(counting) >= 6
    # NOW, the window's start and the weeks' first moments in New York all fall on whole UTC hours:
    # every stage move counted comes from the rollup, none from the moves themselves.
    assert {table for table, _ in counting} == set(COUNTED) - {"engagements_submissionstagechange"}
    for table, sql in counting:
        assert re.search(rf'"{table}"\."engagement_id" (= |IN \()', sql), sql
        assert 'JOIN "engagements_submission"' not in sql, sql
        assert not JOINED_ENGAGEMENT.search(sql), sql
    # The engagement's requisitions are not listed for the figures any more.
    assert not [
        query["sql"]
        for query in queries
        if re.match(
            r'SELECT "engagements_requisition"."id"( AS "pk")? FROM "engagements_requisition" WHERE', query["sql"]
        )
    ]
