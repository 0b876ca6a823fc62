"""The engagement pages ask the database the same number of questions however much there is:
5 or 50 requisitions (with their submissions, requests, coverage and escalations), 1 or 5
engagements on the list."""

from datetime import timedelta

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from engagements.models import Assignment
from feedback.models import Reminder
from tests import factories


def _fill(engagement, *, requisitions: int, hiring_manager, recruiter, backup) -> None:
    """Requisitions with a primary (away) and a backup, a submission waiting on the hiring manager
    and overdue, and an escalation sent about it."""
    now = timezone.now()
    for _ in range(requisitions):
        requisition = factories.RequisitionFactory(engagement=engagement, hiring_manager=hiring_manager)
        factories.AssignmentFactory(requisition=requisition, recruiter=recruiter, role=Assignment.Role.PRIMARY)
        factories.AssignmentFactory(requisition=requisition, recruiter=backup, role=Assignment.Role.BACKUP)
        request = factories.FeedbackRequestFactory(
            submission__requisition=requisition, created_at=now - timedelta(days=3)
        )
        factories.ReminderFactory(
            feedback_request=request, level=Reminder.Level.ESCALATION, sent_at=now - timedelta(days=1)
        )
        factories.SubmissionFactory(requisition=requisition)


def _count(client, url) -> int:
    cache.clear()  # count the scorecard's own queries too, not a cached scorecard
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries)


def test_engagement_page_asks_as_many_queries_for_50_requisitions_as_for_5(client, world):
    recruiter = factories.UserFactory(organization=world.provider, role="recruiter", full_name="Roy")
    backup = factories.UserFactory(organization=world.provider, role="recruiter", full_name="Bea")
    factories.OutOfOfficeFactory(user=recruiter, backup=world.sourcer)
    url = reverse("partnership:engagement-detail", kwargs={"pk": world.acme_engagement.pk})
    client.force_login(world.account_manager)
    _fill(
        world.acme_engagement, requisitions=5, hiring_manager=world.hiring_manager, recruiter=recruiter, backup=backup
    )
    client.get(url)  # warm the session and content-type caches

    few = _count(client, url)
    _fill(
        world.acme_engagement,
        requisitions=45,
        hiring_manager=world.other_hiring_manager,
        recruiter=recruiter,
        backup=backup,
    )
    many = _count(client, url)

    assert many == few
    page = client.get(url).content.decode()
    assert "Roy is away until" in page
    assert "Bea covers" in page


def test_client_admins_engagement_page_asks_as_many_queries_for_50_requisitions_as_for_5(client, world):
    recruiter = factories.UserFactory(organization=world.provider, role="recruiter", full_name="Roy")
    backup = factories.UserFactory(organization=world.provider, role="recruiter", full_name="Bea")
    url = reverse("partnership:engagement-detail", kwargs={"pk": world.acme_engagement.pk}) + "?days=90"
    client.force_login(world.client_admin)
    _fill(
        world.acme_engagement, requisitions=5, hiring_manager=world.hiring_manager, recruiter=recruiter, backup=backup
    )
    client.get(url)

    few = _count(client, url)
    _fill(
        world.acme_engagement,
        requisitions=45,
        hiring_manager=world.other_hiring_manager,
        recruiter=recruiter,
        backup=backup,
    )

    assert _count(client, url) == few


def test_engagement_list_asks_as_many_queries_for_50_requisitions_as_for_5(client, world):
    recruiter = factories.UserFactory(organization=world.provider, role="recruiter")
    backup = factories.UserFactory(organization=world.provider, role="recruiter")
    url = reverse("partnership:engagement-list")
    client.force_login(world.provider_admin)
    _fill(
        world.acme_engagement, requisitions=5, hiring_manager=world.hiring_manager, recruiter=recruiter, backup=backup
    )
    client.get(url)

    few = _count(client, url)
    _fill(
        world.acme_engagement, requisitions=45, hiring_manager=world.hiring_manager, recruiter=recruiter, backup=backup
    )

    assert _count(client, url) == few


def test_engagement_list_asks_as_many_queries_for_6_engagements_as_for_2(client, world):
    url = reverse("partnership:engagement-list")
    client.force_login(world.provider_admin)
    client.get(url)

    few = _count(client, url)
    for _ in range(4):
        engagement = factories.EngagementFactory(provider=world.provider)
        engagement.account_managers.set([world.account_manager])
        recruiter = factories.UserFactory(organization=world.provider, role="recruiter")
        _fill(
            engagement,
            requisitions=2,
            hiring_manager=factories.UserFactory(organization=engagement.client),
            recruiter=recruiter,
            backup=world.sourcer,
        )
    many = _count(client, url)

    assert many == few
    assert client.get(url).content.decode().count('class="card engagement-item') == 6


def test_engagement_page_read_from_the_cache_asks_as_many_queries_for_50_requisitions_as_for_5(client, world):
    """With the scorecard part and the engagement-wide sections cached (a busy page): the
    session's user, the engagement and its account managers; nothing that grows, and no
    transaction (the page only reads). The requisitions, coverage, issues, wins, suggestions, pulse
    results and which surveys are open are in the kept sections."""
    recruiter = factories.UserFactory(organization=world.provider, role="recruiter", full_name="Roy")
    backup = factories.UserFactory(organization=world.provider, role="recruiter", full_name="Bea")
    factories.OutOfOfficeFactory(user=recruiter, backup=world.sourcer)
    url = reverse("partnership:engagement-detail", kwargs={"pk": world.acme_engagement.pk})
    client.force_login(world.account_manager)
    _fill(
        world.acme_engagement, requisitions=5, hiring_manager=world.hiring_manager, recruiter=recruiter, backup=backup
    )

    def warm_count() -> int:
        cache.clear()
        client.force_login(world.account_manager)
        client.get(url)  # computes and keeps the scorecard and its part
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries.captured_queries)

    few = warm_count()
    _fill(
        world.acme_engagement, requisitions=45, hiring_manager=world.hiring_manager, recruiter=recruiter, backup=backup
    )
    many = warm_count()

    assert many == few
    assert many <= 3
