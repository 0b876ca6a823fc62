"""The audit trail (issue 11): every listed change is recorded with who, when, and the old and new
values, on the engagement it belongs to; the History pages read it only inside that engagement."""

from __future__ import annotations

import zoneinfo
from datetime import timedelta

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import OutOfOffice, User
from accounts.services import out_of_office_create, out_of_office_update, user_deactivate, user_set_active
from engagements.models import Assignment, Engagement, Interview, OrientationNote, Submission
from engagements.services.candidates import candidate_erase
from engagements.services.contract import assignment_create, assignment_end, engagement_update
from engagements.services.pipeline import interview_set_status, submission_change_stage
from partnership.items.services import issue_set_status, issue_update, issues_hand_over
from partnership.models import PartnershipItem
from partnership.wins import win_record

from .. import factories
from .issue_kit import make_issue


def entries_of(instance) -> list[LogEntry]:
    """The entries about ``instance``, oldest first."""
    return list(LogEntry.objects.get_for_object(instance).order_by("timestamp", "id"))


def last_entry(instance) -> LogEntry:
    return entries_of(instance)[-1]


def assert_recent(entry: LogEntry) -> None:
    assert timezone.now() - timedelta(minutes=1) < entry.timestamp <= timezone.now()


# --- Each listed change is recorded ------------------------------------------------------------------


def test_an_sla_policy_change_is_recorded_with_old_and_new_values(world):
    engagement = world.acme_engagement
    with set_actor(world.account_manager):
        engagement_update(
            actor=world.account_manager,
            engagement=engagement,
            resume_feedback_due_hours=12,
            target_days_to_fill=30,
            country="DE",
        )

    entry = last_entry(engagement)
    assert entry.action == LogEntry.Action.UPDATE
    assert entry.actor == world.account_manager
    assert_recent(entry)
    assert entry.changes == {
        "resume_feedback_due_hours": [24, 12],
        "target_days_to_fill": [45, 30],
        "country": ["", "DE"],
    }
    assert entry.additional_data == {"engagement_id": engagement.pk}


def test_a_change_of_account_managers_is_recorded(world):
    with set_actor(world.provider_admin):
        engagement_update(
            actor=world.provider_admin, engagement=world.acme_engagement, account_managers=[world.provider_admin]
        )

    changes = [entry.changes["account_managers"] for entry in entries_of(world.acme_engagement)[-2:]]
    assert {change["operation"] for change in changes} == {"add", "delete"}
    added = next(change for change in changes if change["operation"] == "add")
    removed = next(change for change in changes if change["operation"] == "delete")
    assert added["objects"] == [str(world.provider_admin)]
    assert removed["objects"] == [str(world.account_manager)]
    assert all(entry.actor == world.provider_admin for entry in entries_of(world.acme_engagement)[-2:])


def test_an_assignment_created_and_ended_is_recorded(world):
    today = timezone.localdate()
    with set_actor(world.account_manager):
        assignment = assignment_create(
            actor=world.account_manager,
            requisition=world.other_requisition,
            recruiter=world.idle_recruiter,
            role=Assignment.Role.BACKUP,
            starts_on=today,
        )
        assignment_end(actor=world.account_manager, assignment=assignment, ends_on=today + timedelta(days=3))

    created, ended = entries_of(assignment)
    assert created.action == LogEntry.Action.CREATE
    assert created.changes["recruiter"] == [None, world.idle_recruiter.pk]
    assert created.changes["role"] == [None, "backup"]
    assert ended.changes == {"ends_on": [None, str(today + timedelta(days=3))]}
    for entry in (created, ended):
        assert entry.actor == world.account_manager
        assert_recent(entry)
        assert entry.additional_data == {
            "engagement_id": world.acme_engagement.pk,
            "requisition_id": world.other_requisition.pk,
        }


def test_a_submission_stage_move_is_recorded_with_the_withdrawal_reason(world):
    submission = factories.SubmissionFactory(requisition=world.requisition)
    with set_actor(world.recruiter):
        submission_change_stage(
            actor=world.recruiter,
            submission=submission,
            to_stage=Submission.Stage.WITHDRAWN,
            withdrawal_reason=Submission.WithdrawalReason.OTHER_OFFER,
        )

    entry = last_entry(submission)
    assert entry.actor == world.recruiter
    assert_recent(entry)
    assert entry.changes == {"stage": ["submitted", "withdrawn"], "withdrawal_reason": ["", "other_offer"]}
    assert entry.additional_data["engagement_id"] == world.acme_engagement.pk


def test_an_interview_outcome_is_recorded(world):
    interview = factories.InterviewFactory(
        submission__requisition=world.requisition,
        starts_at=timezone.now() - timedelta(hours=2),
        ends_at=timezone.now() - timedelta(hours=1),
    )
    with set_actor(world.recruiter):
        interview_set_status(actor=world.recruiter, interview=interview, status=Interview.Status.HM_NO_SHOW)

    entry = last_entry(interview)
    assert entry.actor == world.recruiter
    assert_recent(entry)
    assert entry.changes == {"status": ["scheduled", "hm_no_show"]}
    assert entry.additional_data["engagement_id"] == world.acme_engagement.pk


def test_an_orientation_note_change_is_recorded_whatever_saves_it(world):
    with set_actor(world.client_admin):
        note = OrientationNote.objects.create(
            engagement=world.acme_engagement, title="Culture", body="We ship weekly.", topic="culture"
        )
        note.body = "We ship daily."
        note.title = "Our culture"
        note.save()

    created, changed = entries_of(note)
    assert created.action == LogEntry.Action.CREATE
    assert changed.changes == {"body": ["We ship weekly.", "We ship daily."], "title": ["Culture", "Our culture"]}
    assert changed.actor == world.client_admin
    assert_recent(changed)
    assert changed.additional_data == {"engagement_id": world.acme_engagement.pk}


def test_issue_changes_are_recorded(world):
    item = make_issue(world.acme_engagement, owner=world.hiring_manager, raised_by=world.client_admin)
    with set_actor(world.account_manager):
        issue_update(actor=world.account_manager, item=item, title="Feedback takes a week", owner=world.client_admin)
        issue_set_status(
            actor=world.account_manager, item=item, status=PartnershipItem.Status.RESOLVED, note="A review slot."
        )

    updated, resolved = entries_of(item)[-2:]
    assert updated.changes == {
        "title": ["Feedback is slow", "Feedback takes a week"],
        "owner": [world.hiring_manager.pk, world.client_admin.pk],
    }
    assert resolved.changes == {"status": ["open", "resolved"], "resolution": ["", "A review slot."]}
    for entry in (updated, resolved):
        assert entry.actor == world.account_manager
        assert_recent(entry)
        assert entry.additional_data == {"engagement_id": world.acme_engagement.pk, "kind": "issue"}


def test_a_win_and_the_people_it_thanks_are_recorded(world):
    with set_actor(world.client_admin):
        win, _created = win_record(
            actor=world.client_admin,
            engagement=world.acme_engagement,
            title="Filled in ten days",
            what_happened="Both sides moved fast.",
            thanked=[world.recruiter],
        )

    entries = entries_of(win)
    assert entries[0].action == LogEntry.Action.CREATE
    assert entries[0].changes["title"] == [None, "Filled in ten days"]
    thanked = next(entry for entry in entries if "thanked" in entry.changes)
    assert thanked.changes["thanked"] == {"type": "m2m", "operation": "add", "objects": [str(world.recruiter)]}
    assert all(entry.actor == world.client_admin for entry in entries)
    assert all(entry.additional_data["kind"] == "win" for entry in entries)


def test_an_out_of_office_period_created_and_moved_is_recorded(world):
    starts_at = timezone.now() + timedelta(days=1)
    with set_actor(world.recruiter):
        period = out_of_office_create(
            actor=world.recruiter,
            user=world.recruiter,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(days=2),
            backup=world.sourcer,
        )
        out_of_office_update(actor=world.recruiter, out_of_office=period, ends_at=starts_at + timedelta(days=4))

    created, moved = entries_of(period)
    assert created.action == LogEntry.Action.CREATE
    assert created.changes["backup"] == [None, world.sourcer.pk]
    old_end, new_end = moved.changes["ends_at"]
    assert new_end > old_end
    assert list(moved.changes) == ["ends_at"]
    for entry in (created, moved):
        assert entry.actor == world.recruiter
        assert_recent(entry)
        assert entry.additional_data == {"organization_id": world.provider.pk, "user_id": world.recruiter.pk}


def test_a_deactivation_and_reactivation_are_recorded(world):
    with set_actor(world.client_admin):
        user_deactivate(actor=world.client_admin, user=world.other_hiring_manager, successor=world.hiring_manager)
        user_set_active(actor=world.client_admin, user=world.other_hiring_manager, is_active=True)

    deactivated, reactivated = entries_of(world.other_hiring_manager)
    assert deactivated.changes == {"is_active": [True, False]}
    assert reactivated.changes == {"is_active": [False, True]}
    for entry in (deactivated, reactivated):
        assert entry.actor == world.client_admin
        assert_recent(entry)
        assert entry.additional_data == {"organization_id": world.acme.pk}


def test_owned_issues_handed_over_by_update_are_recorded_each(world):
    first = make_issue(world.acme_engagement, owner=world.hiring_manager, raised_by=world.client_admin)
    second = make_issue(world.acme_engagement, owner=world.hiring_manager, raised_by=world.client_admin, title="B")
    with set_actor(world.client_admin):
        assert issues_hand_over(user=world.hiring_manager, to=world.other_hiring_manager) == 2

    for item in (first, second):
        entry = last_entry(item)
        assert entry.changes == {"owner": [world.hiring_manager.pk, world.other_hiring_manager.pk]}
        assert entry.actor == world.client_admin
        assert entry.additional_data["engagement_id"] == world.acme_engagement.pk


def test_a_task_or_command_records_no_actor(world):
    engagement_update(actor=world.provider_admin, engagement=world.acme_engagement, reminder_lead_hours=6)

    entry = last_entry(world.acme_engagement)
    assert entry.actor is None
    assert entry.changes == {"reminder_lead_hours": [4, 6]}


# --- What is not recorded, and costs nothing ---------------------------------------------------------


def test_saves_of_untracked_fields_write_no_entry_and_read_no_old_row(world):
    item = make_issue(world.acme_engagement, owner=world.hiring_manager, raised_by=world.client_admin)
    before = LogEntry.objects.count()
    item.ladder_step = 2
    with CaptureQueriesContext(connection) as queries:
        item.save(update_fields=["ladder_step"])
    assert len(queries) == 1  # the UPDATE alone

    world.recruiter.last_login = timezone.now()
    world.recruiter.save(update_fields=["last_login"])
    engagement = world.acme_engagement
    engagement.orientation_version += 1
    engagement.save(update_fields=["orientation_version"])
    assert LogEntry.objects.count() == before


def test_a_new_account_is_not_an_activation(world):
    before = LogEntry.objects.count()
    factories.UserFactory(organization=world.acme, role=User.Role.HIRING_MANAGER)
    assert LogEntry.objects.count() == before


def test_the_trail_names_no_candidate_so_erasure_leaves_none(world):
    submission = factories.SubmissionFactory(requisition=world.requisition, candidate__full_name="Jo Candidate")
    with set_actor(world.recruiter):
        submission_change_stage(actor=world.recruiter, submission=submission, to_stage=Submission.Stage.HM_REVIEW)
        candidate_erase(actor=world.account_manager, candidate=submission.candidate)

    assert not LogEntry.objects.filter(object_repr__contains="Jo Candidate").exists()
    assert not LogEntry.objects.filter(changes__icontains="Jo Candidate").exists()


# --- The actor of pages and of the API ---------------------------------------------------------------


def test_a_change_through_the_api_names_the_token_owner(world, client_for):
    response = client_for(world.recruiter).post(
        "/api/v1/out-of-office/",
        {
            "starts_at": (timezone.now() + timedelta(days=1)).isoformat(),
            "ends_at": (timezone.now() + timedelta(days=3)).isoformat(),
            "backup": world.sourcer.pk,
        },
        format="json",
    )
    assert response.status_code == 201, response.content

    entry = last_entry(OutOfOffice.objects.get(pk=response.json()["id"]))
    assert entry.actor == world.recruiter
    assert entry.actor_email == world.recruiter.email


def test_a_change_on_a_page_names_the_signed_in_person(client, world):
    item = make_issue(world.acme_engagement, owner=world.hiring_manager, raised_by=world.client_admin)
    client.force_login(world.account_manager)
    response = client.post(
        reverse("partnership:issue-status", kwargs={"pk": item.pk}),
        {"action": "in_progress", "in_progress-expected": "open"},
    )
    assert response.status_code == 303

    entry = last_entry(item)
    assert entry.changes["status"] == ["open", "in_progress"]
    assert entry.actor == world.account_manager


# --- The History pages -------------------------------------------------------------------------------


def _history(engagement) -> str:
    return reverse("partnership:engagement-history", kwargs={"pk": engagement.pk})


def _record_both_engagements(world) -> None:
    """A change on each engagement, and the deactivation of someone (holding nothing) of each client:
    ``world.acme_leaver`` and ``world.globex_leaver``."""
    world.acme_leaver = factories.UserFactory(organization=world.acme, role=User.Role.HIRING_MANAGER)
    world.globex_leaver = factories.UserFactory(organization=world.globex, role=User.Role.HIRING_MANAGER)
    with set_actor(world.account_manager):
        engagement_update(actor=world.account_manager, engagement=world.acme_engagement, resume_feedback_due_hours=16)
    with set_actor(world.provider_admin):
        engagement_update(actor=world.provider_admin, engagement=world.globex_engagement, resume_feedback_due_hours=20)
    with set_actor(world.client_admin):
        user_set_active(actor=world.client_admin, user=world.acme_leaver, is_active=False)
    with set_actor(world.globex_admin):
        user_set_active(actor=world.globex_admin, user=world.globex_leaver, is_active=False)


@pytest.mark.parametrize("persona", ["account_manager", "client_admin", "provider_admin"])
def test_those_who_run_the_engagement_read_its_history(client, world, persona):
    _record_both_engagements(world)
    client.force_login(getattr(world, persona))

    response = client.get(_history(world.acme_engagement))

    assert response.status_code == 200
    text = response.content.decode()
    assert "Résumé feedback due (business hours)" in text
    assert "24 → 16" in text
    assert "20" not in [change.new for row in response.context["rows"] for change in row.changes]
    # The client's people are part of it; another client's never are.
    names = {row.name for row in response.context["rows"]}
    assert world.acme_leaver.display_name in names
    assert world.globex_leaver.display_name not in names
    assert world.globex_engagement.name not in names


def test_another_clients_admin_finds_no_history(client, world):
    _record_both_engagements(world)
    client.force_login(world.globex_admin)
    assert client.get(_history(world.acme_engagement)).status_code == 404


@pytest.mark.parametrize("persona", ["recruiter", "hiring_manager"])
def test_recruiters_and_hiring_managers_may_not_read_the_history(client, world, persona):
    client.force_login(getattr(world, persona))
    response = client.get(_history(world.acme_engagement))
    assert response.status_code == 403
    assert "account managers and the admins of both sides" in response.content.decode()


def test_the_engagement_page_links_its_history_for_those_who_run_it(client, world):
    client.force_login(world.client_admin)
    page = client.get(reverse("partnership:engagement-detail", kwargs={"pk": world.acme_engagement.pk}))
    assert _history(world.acme_engagement) in page.content.decode()
    client.force_login(world.hiring_manager)
    page = client.get(reverse("partnership:engagement-detail", kwargs={"pk": world.acme_engagement.pk}))
    assert _history(world.acme_engagement) not in page.content.decode()


def test_a_provider_admin_reads_the_whole_history_and_filters_by_engagement(client, world):
    _record_both_engagements(world)
    client.force_login(world.provider_admin)

    everything = client.get(reverse("partnership:history"))
    assert everything.status_code == 200
    engagements = {row.engagement_name for row in everything.context["rows"]}
    assert {world.acme_engagement.name, world.globex_engagement.name} <= engagements
    names = {row.name for row in everything.context["rows"]}
    assert {world.acme_leaver.display_name, world.globex_leaver.display_name} <= names
    assert 'href="/history/"' in everything.content.decode()  # in the navigation

    globex = client.get(reverse("partnership:history"), {"engagement": world.globex_engagement.pk})
    assert {row.engagement_name for row in globex.context["rows"]} == {world.globex_engagement.name}


@pytest.mark.parametrize("persona", ["account_manager", "client_admin", "recruiter"])
def test_the_whole_history_is_only_for_provider_admins(client, world, persona):
    client.force_login(getattr(world, persona))
    assert client.get(reverse("partnership:history")).status_code == 403


def test_the_history_filters_by_what_who_and_when(client, world):
    _record_both_engagements(world)
    item = make_issue(world.acme_engagement, owner=world.hiring_manager, raised_by=world.client_admin)
    with set_actor(world.client_admin):
        issue_update(actor=world.client_admin, item=item, title="Slow feedback")
    engagement_update(actor=world.account_manager, engagement=world.acme_engagement, reminder_lead_hours=5)
    client.force_login(world.account_manager)
    url = _history(world.acme_engagement)

    issues = client.get(url, {"kind": "item"}).context["rows"]
    assert issues
    assert {row.kind for row in issues} == {"Issue"}

    by_client_admin = client.get(url, {"actor": world.client_admin.pk}).context["rows"]
    assert by_client_admin
    assert {row.actor for row in by_client_admin} == {world.client_admin.display_name}

    by_portal = client.get(url, {"actor": "portal"}).context["rows"]
    assert by_portal
    assert {row.actor for row in by_portal} == {"The portal"}

    today = timezone.localdate(timezone=zoneinfo.ZoneInfo(world.acme_engagement.time_zone))
    assert client.get(url, {"since": today.isoformat(), "until": today.isoformat()}).context["rows"]
    tomorrow = today + timedelta(days=1)
    assert client.get(url, {"since": tomorrow.isoformat()}).context["rows"] == []
    yesterday = today - timedelta(days=1)
    assert client.get(url, {"until": yesterday.isoformat()}).context["rows"] == []


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"since": "last tuesday"}, "Enter a date like 2026-03-31."),
        ({"since": "2026-05-02", "until": "2026-05-01"}, "The end of the period comes before its start."),
        ({"until": "9999-12-31"}, "Enter a date before the year 9999."),
        ({"actor": "99999999"}, "Choose a person from the list."),
        ({"kind": "passwords"}, "Choose what changed from the list."),
    ],
)
def test_a_bad_filter_is_said_beside_its_field(client, world, params, message):
    _record_both_engagements(world)
    client.force_login(world.account_manager)
    response = client.get(_history(world.acme_engagement), params)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert response.context["rows"]  # the other filters (none here) still apply


def test_a_bad_page_number_shows_a_page(client, world):
    client.force_login(world.account_manager)
    assert client.get(_history(world.acme_engagement), {"page": "zebra"}).status_code == 200


def _many_changes(world, count: int, *, start: int = 0) -> None:
    engagement = world.acme_engagement
    for number in range(start, start + count):
        with set_actor(world.account_manager if number % 2 else world.client_admin):
            item = make_issue(engagement, owner=world.hiring_manager, raised_by=world.client_admin, title=f"I{number}")
            issue_update(actor=world.account_manager, item=item, owner=world.client_admin)
            submission = factories.SubmissionFactory(requisition=world.requisition)
            submission_change_stage(actor=world.recruiter, submission=submission, to_stage=Submission.Stage.HM_REVIEW)
            factories.InterviewFactory(submission=submission)
            assignment_create(
                actor=world.account_manager,
                requisition=world.other_requisition,
                recruiter=world.idle_recruiter,
                role=Assignment.Role.BACKUP,
                starts_on=timezone.localdate() + timedelta(days=10 * number),
                ends_on=timezone.localdate() + timedelta(days=10 * number + 5),
            )


def _queries_of(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("persona", ["account_manager", "provider_admin"])
def test_the_history_reads_a_constant_number_of_queries(client, world, persona):
    client.force_login(getattr(world, persona))
    url = _history(world.acme_engagement) if persona == "account_manager" else reverse("partnership:history")
    _many_changes(world, 2)
    few = _queries_of(client, url)
    _many_changes(world, 12, start=2)
    assert LogEntry.objects.count() > 50
    many = _queries_of(client, url)
    assert many == few
    rows = client.get(url).context["rows"]
    assert len(rows) == 50


def test_the_history_says_changes_in_words(client, world):
    submission = factories.SubmissionFactory(requisition=world.requisition, candidate__full_name="Kim Lee")
    with set_actor(world.recruiter):
        submission_change_stage(
            actor=world.recruiter,
            submission=submission,
            to_stage=Submission.Stage.WITHDRAWN,
            withdrawal_reason=Submission.WithdrawalReason.PROCESS_TOO_SLOW,
        )
    with set_actor(world.account_manager):
        engagement_update(
            actor=world.account_manager, engagement=world.acme_engagement, escalation_contact=world.client_admin
        )
    client.force_login(world.account_manager)

    text = client.get(_history(world.acme_engagement)).content.decode()

    assert "Submitted → Withdrawn" in text
    assert "The process took too long" in text
    assert "Kim Lee on ACME-1" in text
    assert f"— → {world.client_admin.display_name}" in text
    assert reverse("partnership:requisition-detail", kwargs={"pk": world.requisition.pk}) in text


# --- The admin ---------------------------------------------------------------------------------------


def test_the_admin_lists_and_searches_entries_for_superusers_only(client, world):
    engagement_update(actor=world.provider_admin, engagement=world.acme_engagement, reminder_lead_hours=6)
    url = reverse("admin:auditlog_logentry_changelist")
    client.force_login(world.provider_admin)
    assert client.get(url).status_code == 302  # not staff: the admin's sign-in

    superuser = User.objects.create_superuser(email="root@tb.example", full_name="Root", password="x" * 20)
    client.force_login(superuser)
    assert client.get(url).status_code == 200
    assert client.get(url, {"q": "Acme"}).status_code == 200
    entry = last_entry(world.acme_engagement)
    assert client.get(reverse("admin:auditlog_logentry_change", args=[entry.pk])).status_code == 200


def test_every_listed_model_is_tracked():
    from auditlog.registry import auditlog

    for model in (Engagement, Assignment, Submission, Interview, OrientationNote, PartnershipItem, OutOfOffice, User):
        assert auditlog.contains(model), model
