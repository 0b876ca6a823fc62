"""``manage.py seed_demo``: every role, every stage, consistent histories, idempotent, scalable."""

from datetime import UTC, datetime
from io import StringIO
from itertools import groupby, pairwise

import pytest
import time_machine
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone

from accounts.models import Organization, OutOfOffice, User
from engagements.models import (
    Assignment,
    Candidate,
    Engagement,
    ImplementationTask,
    Interview,
    OrientationNote,
    Requisition,
    Submission,
    SubmissionStageChange,
)
from feedback.demo import DEMO_PASSWORD, PEOPLE

# A Wednesday afternoon: the seed is the same on every run of the suite.
NOW = datetime(2026, 11, 18, 15, 0, tzinfo=UTC)
COUNTED = [
    Organization,
    User,
    OutOfOffice,
    Engagement,
    Requisition,
    Assignment,
    Candidate,
    Submission,
    SubmissionStageChange,
    Interview,
    Interview.interviewers.through,
    ImplementationTask,
    OrientationNote,
]


def seed(*args: str) -> str:
    out = StringIO()
    with time_machine.travel(NOW, tick=False):
        call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


@pytest.fixture(scope="module")
def seeded_once(django_db_setup, django_db_blocker):
    """Seed once for the whole module, inside a transaction rolled back at its end; each test
    runs in a savepoint of it (as Django's ``TestCase.setUpTestData`` does)."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield seed()
        transaction.set_rollback(True)


@pytest.fixture
def seeded(seeded_once, db) -> str:
    return seeded_once


def test_it_creates_users_of_every_role_who_log_in_with_the_demo_password(seeded):
    assert set(User.objects.values_list("role", flat=True)) == set(User.Role.values)
    for person in PEOPLE:
        user = authenticate(username=person.email, password=DEMO_PASSWORD)
        assert user is not None, person.email
        assert user.role == person.role
    admin = User.objects.get(email="admin@talentbridge.example")
    assert admin.is_staff
    assert admin.is_superuser
    assert admin.is_provider_admin


def test_the_provider_admin_can_open_the_django_admin(seeded, client):
    assert client.login(username="admin@talentbridge.example", password=DEMO_PASSWORD)
    assert client.get("/admin/engagements/submission/").status_code == 200


def test_it_prints_the_logins_with_the_demo_password(seeded):
    assert DEMO_PASSWORD in seeded
    for person in PEOPLE:
        assert person.email in seeded


def test_it_makes_one_provider_and_two_clients_in_their_time_zones_with_an_active_engagement_each(seeded):
    provider = Organization.objects.get(kind=Organization.Kind.PROVIDER)
    clients = dict(Organization.objects.filter(kind=Organization.Kind.CLIENT).values_list("name", "time_zone"))
    assert clients == {"Acme Corp": "America/New_York", "Globex": "Europe/Berlin"}
    for engagement in Engagement.objects.select_related("client", "escalation_contact"):
        assert engagement.provider_id == provider.pk
        assert engagement.status == Engagement.Status.ACTIVE
        assert engagement.time_zone == engagement.client.time_zone
        assert engagement.account_managers.filter(role=User.Role.ACCOUNT_MANAGER).exists()
        assert engagement.escalation_contact.role == User.Role.CLIENT_ADMIN
        assert engagement.escalation_contact.organization_id == engagement.client_id
        assert engagement.implementation_tasks.exists()
        assert engagement.orientation_notes.exists()
    assert Engagement.objects.count() == 2


def test_every_requisition_has_a_primary_a_backup_and_a_sourcer(seeded):
    today = timezone.localdate(NOW)
    for role in Assignment.Role.values:
        covered = Assignment.objects.filter(role=role, starts_on__lte=today, ends_on__isnull=True)
        assert Requisition.objects.exclude(id__in=covered.values("requisition_id")).count() == 0, role
    for engagement in Engagement.objects.all():
        assert engagement.requisitions.count() >= 8


def test_submissions_reach_every_stage_within_the_last_90_days(seeded):
    assert set(Submission.objects.values_list("stage", flat=True)) == set(Submission.Stage.values)
    assert set(Requisition.objects.values_list("engagement__client__name", flat=True)) == {"Acme Corp", "Globex"}
    assert not Submission.objects.filter(submitted_at__gt=NOW).exists()
    assert not Submission.objects.filter(submitted_at__lt=NOW - timezone.timedelta(days=91)).exists()
    assert not Submission.objects.filter(stage_changed_at__gt=NOW).exists()


def test_stage_histories_follow_legal_moves_in_time_order(seeded):
    submissions = {submission.pk: submission for submission in Submission.objects.all()}
    changes = SubmissionStageChange.objects.order_by("submission_id", "changed_at", "id")
    histories = {key: list(rows) for key, rows in groupby(changes, key=lambda change: change.submission_id)}
    assert histories.keys() == submissions.keys()
    for submission_id, history in histories.items():
        submission = submissions[submission_id]
        assert (history[0].from_stage, history[0].to_stage) == ("", Submission.Stage.SUBMITTED)
        assert history[0].changed_at == submission.submitted_at
        for before, after in pairwise(history):
            assert after.from_stage == before.to_stage
            assert after.to_stage in Submission.TRANSITIONS[before.to_stage]
            assert after.changed_at > before.changed_at
        assert history[-1].to_stage == submission.stage
        assert history[-1].changed_at == submission.stage_changed_at


def test_interviews_are_completed_in_the_past_or_scheduled_ahead(seeded):
    reached_interview = Submission.objects.filter(
        stage__in=[Submission.Stage.INTERVIEW, Submission.Stage.OFFER, Submission.Stage.HIRED]
    )
    assert not reached_interview.filter(interviews__isnull=True).exists()
    assert Interview.objects.filter(status=Interview.Status.SCHEDULED, starts_at__gt=NOW).exists()
    assert not Interview.objects.filter(status=Interview.Status.SCHEDULED, ends_at__lte=NOW).exists()
    completed = Interview.objects.filter(status=Interview.Status.COMPLETED)
    assert completed.exists()
    assert not completed.filter(ends_at__gt=NOW).exists()
    assert not completed.filter(completed_at__isnull=True).exists()
    assert not Interview.objects.filter(interviewers__isnull=True).exists()


def test_one_recruiter_is_out_of_office_now_with_a_backup(seeded):
    away = OutOfOffice.objects.get(starts_at__lte=NOW, ends_at__gt=NOW)
    assert away.user.role == User.Role.RECRUITER
    assert away.backup.is_provider_staff
    assert away.backup != away.user


def test_running_it_twice_creates_nothing_new(seeded):
    before = counts()
    output = seed()
    assert counts() == before
    assert "nothing new" in output


def test_scale_two_makes_about_twice_the_submissions_of_scale_one_and_reruns_add_nothing(seeded):
    at_scale_one = Submission.objects.count()
    assert 1000 <= at_scale_one <= 1500
    seed("--scale", "2")
    at_scale_two = Submission.objects.count()
    assert 1.7 <= at_scale_two / at_scale_one <= 2.1
    before = counts()
    seed("--scale", "2")
    seed()
    assert counts() == before


def test_a_scale_below_one_is_refused():
    with pytest.raises(CommandError, match="at least 1"):
        call_command("seed_demo", "--scale", "0", stdout=StringIO())
