""" "My requisitions" keeps a recruiter's table a minute under the versions of their organisation's
engagements (partnership.views.requisitions.my_table_key): a change made through a service shows
at once, a colleague never gets another's table, and a warm page reads almost nothing."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from engagements.models import Assignment
from engagements.services.contract import assignment_create, assignment_end
from engagements.services.pipeline import submission_create

from .. import factories

LIST = reverse("partnership:requisition-list")


def _per_request_values_out(html: str) -> str:
    """The page without what differs on every request: the CSRF token and the CSP nonce."""
    return re.sub(r'(value|nonce)="[^"]*"|"X-CSRFToken": "[^"]*"', "", html)


def _page(client) -> str:
    response = client.get(LIST)
    assert response.status_code == 200
    return response.content.decode()


def test_a_warm_page_reads_only_the_session_the_versions_and_the_surveys(client, world):
    client.force_login(world.recruiter)
    with CaptureQueriesContext(connection) as cold:
        first = _page(client)
    with CaptureQueriesContext(connection) as warm:
        second = _page(client)
    assert world.requisition.code in first
    assert _per_request_values_out(second) == _per_request_values_out(first)  # the same page, kept
    # The session's user, the organisation's engagements (for their versions) and the surveys
    # waiting on the person (a transaction's BEGIN and COMMIT aside), whatever the table holds.
    selects = [query for query in warm.captured_queries if query["sql"].startswith("SELECT")]
    assert len(selects) <= 3, [query["sql"][:80] for query in selects]
    assert len(warm) < len(cold)


def test_a_submission_made_through_the_service_shows_at_once(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.recruiter)
    before = _page(client)
    assert 'data-label="Submitted">0<' in before
    candidate = factories.CandidateFactory(engagement=world.acme_engagement, full_name="Ada Lovelace")
    with django_capture_on_commit_callbacks(execute=True):
        submission_create(actor=world.recruiter, requisition=world.requisition, candidate=candidate)
    assert 'data-label="Submitted">1<' in _page(client)


def test_an_assignment_made_or_ended_shows_at_once(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.idle_recruiter)
    assert "No requisitions to cover today" in _page(client)

    with django_capture_on_commit_callbacks(execute=True):
        assignment = assignment_create(
            actor=world.account_manager,
            requisition=world.other_requisition,
            recruiter=world.idle_recruiter,
            role=Assignment.Role.BACKUP,
        )
    page = _page(client)
    assert world.other_requisition.code in page
    assert "No requisitions to cover today" not in page

    with django_capture_on_commit_callbacks(execute=True):
        assignment_end(actor=world.account_manager, assignment=assignment, ends_on=assignment.starts_on)
    # Ended today: still theirs today (the last day counts), so the row stays until tomorrow.
    assert world.other_requisition.code in _page(client)


def test_a_colleague_never_gets_anothers_table(client, world):
    client.force_login(world.recruiter)
    assert world.requisition.code in _page(client)  # kept for Rita

    client.force_login(world.idle_recruiter)
    page = _page(client)
    assert "No requisitions to cover today" in page
    assert world.requisition.code not in page

    client.force_login(world.globex_recruiter)
    page = _page(client)
    assert world.requisition.code not in page
    assert world.globex_requisition.code in page


def test_a_forged_table_in_the_cache_is_not_served(client, world, settings):
    from django.core.cache import cache

    from partnership.views.requisitions import my_table_key

    client.force_login(world.recruiter)
    _page(client)
    key = my_table_key(world.recruiter, page_number=None, zone_name=str(world.recruiter.zone))
    assert key is not None
    assert cache.get(key) is not None
    cache.set(key, "<script>alert(1)</script>", 60)
    page = _page(client)
    assert "<script>alert(1)</script>" not in page
    assert world.requisition.code in page
