"""Helpers for the requisition pages' tests: a pinned clock in business hours, pipelines built at
chosen moments, and reading what a page shows."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from engagements.models import Submission
from feedback.models import FeedbackRequest
from tests import factories

# Monday 12 January 2026, 10:00 in New York (the personas' zone): business hours, no quiet hours.
NOW = datetime(2026, 1, 12, 15, 0, tzinfo=UTC)


def submission(requisition, *, stage=Submission.Stage.SUBMITTED, name=None, days_in_stage=0, **kwargs) -> Submission:
    moment = NOW - timedelta(days=days_in_stage)
    extra = {"candidate__full_name": name} if name else {}
    return factories.SubmissionFactory(
        requisition=requisition, stage=stage, submitted_at=moment, stage_changed_at=moment, **extra, **kwargs
    )


def waiting_request(requisition, *, days_ago: float, name=None, due_in_hours: float = 24, requested_of=None):
    """An open résumé review, asked ``days_ago``, due ``due_in_hours`` after now (negative: overdue)."""
    created_at = NOW - timedelta(days=days_ago)
    due_at = NOW + timedelta(hours=due_in_hours)
    return factories.FeedbackRequestFactory(
        submission=submission(requisition, stage=Submission.Stage.HM_REVIEW, name=name, days_in_stage=days_ago),
        requested_of=requested_of or requisition.hiring_manager,
        created_at=created_at,
        remind_at=min(created_at, due_at),
        due_at=due_at,
        escalate_at=due_at + timedelta(hours=12),
    )


def answered(feedback_request_or_none=None, *, requisition=None, decision="advance", name=None):
    """A submission whose résumé review was answered with ``decision``."""
    request = feedback_request_or_none or factories.FeedbackRequestFactory(
        submission=submission(requisition, stage=Submission.Stage.INTERVIEW, name=name),
        status="answered",
        created_at=NOW - timedelta(days=2),
    )
    return factories.FeedbackFactory(request=request, decision=decision)


def text(response) -> str:
    """The page as a person reads it: tags removed, whitespace collapsed."""
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", body.replace("\xa0", " "))


def count_queries(client, url: str) -> int:
    """The queries of the page as computed: "My requisitions" keeps its table a minute under the
    engagements' versions, which rows written by factories (not services) do not bump."""
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def resume_review(submission_: Submission) -> FeedbackRequest:
    return FeedbackRequest.objects.get(submission=submission_, kind=FeedbackRequest.Kind.RESUME_REVIEW)
