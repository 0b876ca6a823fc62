"""The engagement page's scorecard part (health, both sides, trends, hiring managers, overdue,
escalations) is rendered once per scorecard, viewer's side and time zone, and kept in the cache:
never shown to another tenant or to the other side, never older than the scorecard it shows, and
never taken from the cache unless the portal itself signed it."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from engagements.activity import engagement_changed
from engagements.models import Assignment
from engagements.selectors import requisition_list
from feedback.models import Reminder
from partnership import scorecard as scorecard_module
from partnership.views.engagements import scorecard_body_key
from rpo_portal.cache import redis_cache
from tests import factories

from .test_scorecard_cache import own_redis  # noqa: F401 (a fixture: a Redis of the test's own)


def detail(engagement, **query) -> str:
    url = reverse("partnership:engagement-detail", kwargs={"pk": engagement.pk})
    return url + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


def page_as(client, user, url) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def section(page: str, title_id: str) -> str:
    return page.split(f'id="{title_id}"')[1].split("</section>")[0]


def _escalated(requisition, *, name: str, recipient=None):
    """A résumé review two days late, escalated yesterday."""
    now = timezone.now()
    request = factories.FeedbackRequestFactory(
        submission__requisition=requisition, submission__candidate__full_name=name, created_at=now - timedelta(days=3)
    )
    factories.ReminderFactory(
        feedback_request=request, level=Reminder.Level.ESCALATION, recipient=recipient, sent_at=now - timedelta(days=1)
    )
    return request


def _escalation_queries(queries) -> list:
    return [query for query in queries.captured_queries if "feedback_reminder" in query["sql"]]


# --- Rendered once, read by the others ----------------------------------------------------------


def test_a_colleague_on_the_same_side_gets_the_part_already_rendered(client, world):
    _escalated(world.requisition, name="Escalated Eve")
    first = page_as(client, world.account_manager, detail(world.acme_engagement))

    client.force_login(world.provider_admin)
    with CaptureQueriesContext(connection) as queries:
        second = client.get(detail(world.acme_engagement)).content.decode()

    assert not _escalation_queries(queries)  # the escalations were read once, by the first page
    assert section(second, "escalations-title") == section(first, "escalations-title")
    assert "Feedback on Escalated Eve for ACME-1" in section(second, "escalations-title")


def test_the_client_never_gets_the_providers_part_nor_the_provider_the_clients(client, world):
    _escalated(world.requisition, name="Escalated Eve", recipient=world.client_admin)

    provider_first = page_as(client, world.account_manager, detail(world.acme_engagement))
    client_page = page_as(client, world.client_admin, detail(world.acme_engagement))
    provider_again = page_as(client, world.account_manager, detail(world.acme_engagement))

    assert "Escalations sent" in section(provider_first, "escalations-title")
    assert "Escalations received" in section(client_page, "escalations-title")
    assert "Escalations sent" not in client_page
    assert "Escalations sent" in section(provider_again, "escalations-title")
    assert "Escalations received" not in provider_again


def test_another_tenant_never_gets_an_engagements_part(client, world):
    _escalated(world.requisition, name="Escalated Eve")
    _escalated(world.globex_requisition, name="Globex Gina")
    page_as(client, world.account_manager, detail(world.acme_engagement))  # Acme's part is cached
    page_as(client, world.client_admin, detail(world.acme_engagement))  # for both sides

    client.force_login(world.globex_admin)
    assert client.get(detail(world.acme_engagement)).status_code == 404
    globex_page = page_as(client, world.globex_admin, detail(world.globex_engagement))
    provider_globex = page_as(client, world.provider_admin, detail(world.globex_engagement))

    for page in (globex_page, provider_globex):
        assert 'Client side <span class="muted small">Globex</span>' in page
        assert "Globex Gina" in section(page, "escalations-title")
        assert "Escalated Eve" not in page
        assert "ACME-1" not in page


def test_each_viewer_reads_the_dates_in_their_own_time_zone(client, world):
    world.account_manager.time_zone = "America/New_York"
    world.account_manager.save(update_fields=["time_zone"])
    world.provider_admin.time_zone = "Asia/Tokyo"
    world.provider_admin.save(update_fields=["time_zone"])

    new_york = page_as(client, world.account_manager, detail(world.acme_engagement))
    tokyo = page_as(client, world.provider_admin, detail(world.acme_engagement))

    scorecard = scorecard_module.engagement_scorecard(engagement=world.acme_engagement, days=30)
    for page, zone in ((new_york, world.account_manager.zone), (tokyo, world.provider_admin.zone)):
        health = section(page, "health-title")
        end = scorecard.ends_at.astimezone(zone)
        assert f'to {end.day} {end:%b %Y, %H:%M} <span class="zone">({zone})</span>' in health


# --- Never older than the scorecard it shows ----------------------------------------------------


def test_a_change_in_the_engagement_shows_at_once(client, world, django_capture_on_commit_callbacks):
    before = page_as(client, world.account_manager, detail(world.acme_engagement))
    assert "Nothing is overdue on either side." in section(before, "overdue-title")

    with django_capture_on_commit_callbacks(execute=True):
        _escalated(world.requisition, name="Late Larry")
        engagement_changed(world.acme_engagement.pk)  # what the services do when they commit
    after = page_as(client, world.account_manager, detail(world.acme_engagement))

    assert "Late Larry" in section(after, "overdue-title")
    assert "Late Larry" in section(after, "escalations-title")


def test_what_is_overdue_moves_with_the_clock(client, world, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    factories.FeedbackRequestFactory(
        submission__requisition=world.requisition, submission__candidate__full_name="Due Dora"
    )  # due in a day; nothing tells the scorecard when it falls due
    before = page_as(client, world.account_manager, detail(world.acme_engagement))
    assert "Due Dora" not in before

    time_machine.shift(timedelta(hours=25))
    after = page_as(client, world.account_manager, detail(world.acme_engagement))

    assert "Due Dora" in section(after, "overdue-title")


# --- Only what the portal signed ----------------------------------------------------------------


def test_a_part_put_in_the_cache_by_someone_else_is_not_served(client, world):
    page_as(client, world.account_manager, detail(world.acme_engagement))
    scorecard = scorecard_module.engagement_scorecard(engagement=world.acme_engagement, days=30)
    key = scorecard_body_key(scorecard, viewer_is_client=False, zone_name=str(world.account_manager.zone))
    assert cache.get(key) is not None
    cache.set(key, '<p id="forged">Everything is fine</p>', 300)

    page = page_as(client, world.account_manager, detail(world.acme_engagement))

    assert "forged" not in page
    assert "Feedback on time" in page


def test_a_kept_part_signed_with_another_key_is_rendered_once_and_replaced(client, world, monkeypatch):
    """After the secret key changes (a rotation, a restart with another key), what was kept under
    the old one is refused once and replaced: not refused and rendered again on every request until
    it expires (what the benchmark's second run met)."""
    from django.core import signing

    from partnership.views import engagements as views

    page_as(client, world.account_manager, detail(world.acme_engagement))  # kept, signed with the first key
    monkeypatch.setattr(
        views, "_scorecard_body_signer", signing.Signer(key="k" * 64, salt="partnership.engagement-page.scorecard-body")
    )
    renders = []
    render = views._scorecard_body
    monkeypatch.setattr(views, "_scorecard_body", lambda *args, **kwargs: renders.append(1) or render(*args, **kwargs))

    pages = [page_as(client, world.account_manager, detail(world.acme_engagement)) for _ in range(3)]

    assert all("Feedback on time" in page for page in pages)
    assert len(renders) == 1


@pytest.mark.redis
def test_the_part_goes_through_redis_as_production_keeps_it(client, world, own_redis):  # noqa: F811
    _, server, url = own_redis
    _escalated(world.requisition, name="Escalated Eve")
    with override_settings(CACHES={"default": redis_cache(url)}):
        first = page_as(client, world.account_manager, detail(world.acme_engagement))
        client.force_login(world.provider_admin)
        with CaptureQueriesContext(connection) as queries:
            second = client.get(detail(world.acme_engagement)).content.decode()

    assert [key for key in server.scan_iter("rpo:*") if b":scorecard-body:" in key]
    assert not _escalation_queries(queries)
    assert section(second, "escalations-title") == section(first, "escalations-title")


# --- The rest of the page: this page's rows only, and a page that does not grow ----------------


@pytest.mark.parametrize("persona", ["account_manager", "provider_admin", "recruiter", "sourcer", "client_admin"])
def test_requisitions_listed_are_exactly_those_the_viewer_may_see(client, world, persona):
    """The page lists the engagement's requisitions without re-scoping each one: for every role
    that may open the page, that is exactly what requisition_list scopes."""
    viewer = getattr(world, persona)
    scoped = requisition_list(user=viewer).filter(engagement=world.acme_engagement)

    page = page_as(client, viewer, detail(world.acme_engagement))

    table = section(page, "requisitions-title")
    assert set(scoped.values_list("code", flat=True)) == {"ACME-1", "ACME-2"}
    for code in scoped.values_list("code", flat=True):
        assert f"{code}</a>" in table
    assert "GLX-1" not in table
    assert f"{scoped.count()} in all" in table


def _fill(engagement, *, requisitions: int, world) -> None:
    """Requisitions with a primary and a backup, each with a submission waiting on its hiring
    manager, two days late and escalated."""
    for _ in range(requisitions):
        requisition = factories.RequisitionFactory(engagement=engagement, hiring_manager=world.hiring_manager)
        factories.AssignmentFactory(requisition=requisition, recruiter=world.recruiter, role=Assignment.Role.PRIMARY)
        factories.AssignmentFactory(requisition=requisition, recruiter=world.sourcer, role=Assignment.Role.BACKUP)
        _escalated(requisition, name="Candidate Name")


def test_the_pages_html_does_not_grow_with_the_data(client, world):
    _fill(world.acme_engagement, requisitions=30, world=world)
    some = page_as(client, world.account_manager, detail(world.acme_engagement))
    _fill(world.acme_engagement, requisitions=60, world=world)
    cache.clear()
    more = page_as(client, world.account_manager, detail(world.acme_engagement))

    assert "92 in all" in more
    assert more.count("<tr") == some.count("<tr")
    assert len(more) < len(some) * 1.02  # the same rows; only numbers and codes a digit longer
