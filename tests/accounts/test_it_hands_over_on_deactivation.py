"""Deactivating someone hands what they hold to a colleague, in one transaction
(``accounts.services.user_deactivate`` and the holdings registered in ``accounts.handover``)."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts import handover
from accounts.models import User
from accounts.services import user_deactivate, user_set_active
from engagements.models import Assignment, Requisition
from engagements.selectors import requisition_covering_recruiter
from feedback.models import AvailabilityRequest, FeedbackRequest, Reminder, RequestStatus
from rpo_portal.models import OutboundEmail
from tests import factories
from tests.feedback.reminder_kit import NEW_YORK, at, chased_request, levels, outbox_to, sweep

REMIND = at(2026, 1, 14, 14, zone=NEW_YORK)  # Wednesday afternoon in New York
DUE = at(2026, 1, 15, 10, zone=NEW_YORK)
ESCALATE = at(2026, 1, 16, 14, zone=NEW_YORK)


def _open_requests(world, count, *, overdue=0):
    """``count`` open résumé reviews asked of the hiring manager, the first ``overdue`` of them overdue."""
    now = timezone.now()
    requests = []
    for index in range(count):
        due = now - timedelta(hours=2) if index < overdue else now + timedelta(days=1)
        requests.append(
            chased_request(
                requisition=world.requisition,
                remind_at=due - timedelta(hours=4),
                due_at=due,
                escalate_at=due + timedelta(hours=12),
            )
        )
    return requests


def _deactivate(world, capture, *, successor, user=None, actor=None):
    with capture(execute=True):
        return user_deactivate(
            actor=actor or world.client_admin, user=user or world.hiring_manager, successor=successor
        )


def test_everything_a_hiring_manager_holds_moves_to_the_successor_who_is_told_once(
    world, django_capture_on_commit_callbacks
):
    requests = _open_requests(world, 5, overdue=2)
    availability = factories.AvailabilityRequestFactory(
        submission=factories.SubmissionFactory(requisition=world.requisition), requested_of=world.hiring_manager
    )
    answered = factories.FeedbackFactory(
        request__submission__requisition=world.requisition, request__requested_of=world.hiring_manager
    ).request
    filled = factories.RequisitionFactory(
        engagement=world.acme_engagement, hiring_manager=world.hiring_manager, status=Requisition.Status.FILLED
    )

    moved = _deactivate(world, django_capture_on_commit_callbacks, successor=world.other_hiring_manager)

    assert [str(line) for line in moved] == [
        "6 open feedback and availability requests (2 overdue)",
        "1 open requisition as hiring manager",
    ]
    world.hiring_manager.refresh_from_db()
    assert not world.hiring_manager.is_active
    successor = world.other_hiring_manager
    assert set(FeedbackRequest.objects.filter(status=RequestStatus.OPEN).values_list("requested_of", flat=True)) == {
        successor.pk
    }
    assert {request.pk for request in requests} <= set(
        FeedbackRequest.objects.filter(requested_of=successor).values_list("pk", flat=True)
    )
    availability.refresh_from_db()
    assert availability.requested_of == successor
    world.requisition.refresh_from_db()
    assert world.requisition.hiring_manager == successor
    # History stays as it was: who answered, and the name a filled requisition was filled with.
    answered.refresh_from_db()
    assert answered.requested_of == world.hiring_manager
    filled.refresh_from_db()
    assert filled.hiring_manager == world.hiring_manager

    handover_emails = [message for message in mail.outbox if "You now hold" in message.subject]
    assert [message.to for message in handover_emails] == [[successor.email]]
    body = handover_emails[0].body
    assert "6 open feedback and availability requests (2 overdue)" in body
    assert "1 open requisition as hiring manager" in body
    assert OutboundEmail.objects.filter(kind="accounts.handover").count() == 1


def test_a_failure_half_way_leaves_everything_as_it_was(world, django_capture_on_commit_callbacks):
    requests = _open_requests(world, 3, overdue=1)

    def refuse(*, actor, user, to, now):
        raise ValidationError({"successor": "The last holding refuses."})

    # A holding that moves after the others and then fails: everything before it must be undone.
    handover.register_holding(
        key="tests.refusing",
        one="thing",
        many="things",
        roles=[User.Role.HIRING_MANAGER],
        summarize=lambda users, now: {user.pk: (1, "") for user in users},
        transfer=refuse,
        order=999,
    )
    try:
        with pytest.raises(ValidationError):
            _deactivate(world, django_capture_on_commit_callbacks, successor=world.other_hiring_manager)
    finally:
        handover._HOLDINGS.pop("tests.refusing")

    world.hiring_manager.refresh_from_db()
    assert world.hiring_manager.is_active
    assert all(FeedbackRequest.objects.get(pk=request.pk).requested_of == world.hiring_manager for request in requests)
    world.requisition.refresh_from_db()
    assert world.requisition.hiring_manager == world.hiring_manager
    assert not OutboundEmail.objects.filter(kind="accounts.handover").exists()
    assert mail.outbox == []


def test_the_deactivated_person_gets_no_further_reminder_and_the_successor_is_chased(
    world, django_capture_on_commit_callbacks
):
    from tests.feedback.reminder_kit import backdate_assignments

    backdate_assignments()
    reminded = chased_request(requisition=world.requisition, remind_at=REMIND, due_at=DUE, escalate_at=ESCALATE)
    waiting = chased_request(requisition=world.requisition, remind_at=REMIND, due_at=DUE, escalate_at=ESCALATE)
    with time_machine.travel(REMIND, tick=False):
        sweep()  # both "due soon" reminders go to the hiring manager
    assert len(outbox_to(world.hiring_manager.email)) == 2
    # One more recorded and not sent yet (as in quiet hours): it must not reach them later.
    Reminder.objects.filter(feedback_request=waiting).update(
        status=Reminder.Status.PENDING, send_after=REMIND + timedelta(hours=1), sent_at=None
    )
    mail.outbox.clear()

    with time_machine.travel(REMIND + timedelta(minutes=10), tick=False):
        _deactivate(world, django_capture_on_commit_callbacks, successor=world.other_hiring_manager)
    reminder = Reminder.objects.get(feedback_request=waiting)
    assert (reminder.recipient, reminder.status) == (world.other_hiring_manager, Reminder.Status.PENDING)

    with time_machine.travel(REMIND + timedelta(hours=2), tick=False):
        sweep()
    with time_machine.travel(DUE + timedelta(minutes=3), tick=False):
        sweep()

    assert outbox_to(world.hiring_manager.email) == []
    to_successor = outbox_to(world.other_hiring_manager.email)
    # The waiting "due soon", then both "overdue" reminders (plus the handover email).
    assert len([message for message in to_successor if "You now hold" not in message.subject]) == 3
    assert levels(reminded) == {"due_soon": "sent", "overdue": "sent"}
    assert levels(waiting) == {"due_soon": "sent", "overdue": "sent"}
    assert set(Reminder.objects.filter(level=Reminder.Level.OVERDUE).values_list("recipient", flat=True)) == {
        world.other_hiring_manager.pk
    }


def test_a_request_the_successor_already_has_is_cancelled_not_duplicated(world, django_capture_on_commit_callbacks):
    mine = factories.FeedbackRequestFactory(submission__requisition=world.requisition)
    theirs = factories.FeedbackRequestFactory(submission=mine.submission, requested_of=world.other_hiring_manager)
    availability = factories.AvailabilityRequestFactory(submission__requisition=world.requisition)
    factories.AvailabilityRequestFactory(submission=availability.submission, requested_of=world.other_hiring_manager)

    _deactivate(world, django_capture_on_commit_callbacks, successor=world.other_hiring_manager)

    mine.refresh_from_db()
    availability.refresh_from_db()
    assert (mine.status, mine.requested_of) == (RequestStatus.CANCELLED, world.hiring_manager)
    assert availability.status == RequestStatus.CANCELLED
    theirs.refresh_from_db()
    assert theirs.status == RequestStatus.OPEN
    assert AvailabilityRequest.objects.filter(requested_of=world.other_hiring_manager, status="open").count() == 1


def test_the_client_admin_may_take_over(world, django_capture_on_commit_callbacks):
    _open_requests(world, 1)
    _deactivate(world, django_capture_on_commit_callbacks, successor=world.client_admin)
    assert FeedbackRequest.objects.get().requested_of == world.client_admin
    world.requisition.refresh_from_db()
    assert world.requisition.hiring_manager == world.client_admin


def test_someone_who_holds_work_is_not_deactivated_without_a_successor(world, django_capture_on_commit_callbacks):
    with pytest.raises(ValidationError) as refused:
        _deactivate(world, django_capture_on_commit_callbacks, successor=None)
    assert "successor" in refused.value.message_dict
    with pytest.raises(ValidationError):
        user_set_active(actor=world.client_admin, user=world.hiring_manager, is_active=False)
    world.hiring_manager.refresh_from_db()
    assert world.hiring_manager.is_active


def test_someone_who_holds_nothing_is_simply_deactivated_and_nobody_is_emailed(
    world, django_capture_on_commit_callbacks
):
    idle = factories.UserFactory(organization=world.acme, role=User.Role.HIRING_MANAGER)
    assert _deactivate(world, django_capture_on_commit_callbacks, user=idle, successor=None) == []
    idle.refresh_from_db()
    assert not idle.is_active
    assert mail.outbox == []


@pytest.mark.parametrize("who", ["globex_hiring_manager", "recruiter", "hiring_manager", "inactive"])
def test_the_successor_must_be_an_active_colleague_in_a_fitting_role(world, who, django_capture_on_commit_callbacks):
    if who == "inactive":
        successor = factories.UserFactory(organization=world.acme, role=User.Role.HIRING_MANAGER, is_active=False)
    else:
        successor = getattr(world, who)
    with pytest.raises(ValidationError) as refused:
        _deactivate(world, django_capture_on_commit_callbacks, successor=successor)
    assert "successor" in refused.value.message_dict
    world.hiring_manager.refresh_from_db()
    assert world.hiring_manager.is_active


def test_deactivating_twice_is_refused_with_a_message_and_moves_nothing_more(world, django_capture_on_commit_callbacks):
    _deactivate(world, django_capture_on_commit_callbacks, successor=world.other_hiring_manager)
    with pytest.raises(ValidationError) as refused:
        _deactivate(world, django_capture_on_commit_callbacks, successor=world.client_admin)
    assert refused.value.message_dict["user"] == [
        f"{world.hiring_manager.display_name} is already deactivated: nothing more to do."
    ]
    world.requisition.refresh_from_db()
    assert world.requisition.hiring_manager == world.other_hiring_manager
    assert OutboundEmail.objects.filter(kind="accounts.handover").count() == 1


def test_only_the_people_who_look_after_them_may_deactivate(world, django_capture_on_commit_callbacks):
    for actor in (world.other_hiring_manager, world.globex_admin, world.provider_admin):
        with pytest.raises(PermissionDenied):
            _deactivate(world, django_capture_on_commit_callbacks, actor=actor, successor=world.other_hiring_manager)


def test_a_recruiters_assignments_move_to_the_successor_from_today(world, django_capture_on_commit_callbacks):
    Assignment.objects.update(starts_on=date(2020, 1, 1))
    backup_elsewhere = factories.AssignmentFactory(
        requisition=world.other_requisition, recruiter=world.recruiter, role=Assignment.Role.BACKUP
    )
    successor = world.idle_recruiter

    moved = _deactivate(
        world, django_capture_on_commit_callbacks, actor=world.provider_admin, user=world.recruiter, successor=successor
    )

    assert [str(line) for line in moved] == ["2 requisition assignments (1 primary, 1 backup)"]
    assert requisition_covering_recruiter(requisition=world.requisition) == successor
    old = Assignment.objects.get(recruiter=world.recruiter, requisition=world.requisition)
    assert old.ends_on is not None  # ended, kept as history
    assert Assignment.objects.get(recruiter=successor, requisition=world.other_requisition).role == "backup"
    backup_elsewhere.refresh_from_db()
    assert backup_elsewhere.ends_on is not None
    assert [message.to for message in mail.outbox] == [[successor.email]]


def test_an_account_managers_engagements_go_to_the_successor(world, django_capture_on_commit_callbacks):
    successor = factories.UserFactory(organization=world.provider, role=User.Role.ACCOUNT_MANAGER)
    moved = _deactivate(
        world,
        django_capture_on_commit_callbacks,
        actor=world.provider_admin,
        user=world.account_manager,
        successor=successor,
    )
    assert [str(line) for line in moved] == ["1 engagement as account manager"]
    assert list(world.acme_engagement.account_managers.all()) == [successor]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_submits_at_once_deactivate_once_and_the_successor_is_told_once(world):
    import threading

    from django.db import connection

    _open_requests(world, 3, overdue=1)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def submit(successor):
        try:
            barrier.wait(timeout=10)
            user_deactivate(
                actor=world.client_admin, user=User.objects.get(pk=world.hiring_manager.pk), successor=successor
            )
            outcomes.append("deactivated")
        except ValidationError as error:
            outcomes.append(f"refused: {sorted(error.message_dict)}")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=submit, args=(person,)) for person in (world.other_hiring_manager, world.client_admin)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["deactivated", "refused: ['user']"]
    owners = set(FeedbackRequest.objects.values_list("requested_of", flat=True))
    assert len(owners) == 1
    assert owners <= {world.other_hiring_manager.pk, world.client_admin.pk}
    assert OutboundEmail.objects.filter(kind="accounts.handover").count() == 1
