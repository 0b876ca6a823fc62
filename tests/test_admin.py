"""The Django admin: every model browsable by a superuser, lists without per-row queries, and
stages that move only through the services."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organization, OutOfOffice, User
from engagements import policies
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
from feedback.models import AvailabilityRequest, AvailabilitySlot, Digest, Feedback, FeedbackRequest, Reminder
from partnership.models import (
    ItemComment,
    ItemFollower,
    ItemStatusChange,
    PartnershipItem,
    PulseInvitation,
    PulseResponse,
    PulseSurvey,
    Side,
    SuggestedWin,
)

from . import factories

MODELS = [
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
    ImplementationTask,
    OrientationNote,
    FeedbackRequest,
    Feedback,
    AvailabilityRequest,
    AvailabilitySlot,
    Reminder,
    Digest,
    PartnershipItem,
    ItemComment,
    ItemStatusChange,
    ItemFollower,
    SuggestedWin,
    PulseSurvey,
    PulseInvitation,
    PulseResponse,
]
# The history is append-only: nobody adds to it by hand. Feedback rows are written by the
# services and the reminder engine only (requests, answers, slots, reminders, digests).
FEEDBACK_MODELS = {FeedbackRequest, Feedback, AvailabilityRequest, AvailabilitySlot, Reminder, Digest}
# Issues, wins, suggestions and the pulse go through the partnership's services, which keep their
# rules (a resolution to resolve, followers told once, one answer per person): read-only here.
PARTNERSHIP_MODELS = {
    PartnershipItem,
    ItemComment,
    ItemStatusChange,
    ItemFollower,
    SuggestedWin,
    PulseSurvey,
    PulseInvitation,
    PulseResponse,
}
READ_ONLY_MODELS = {SubmissionStageChange, *FEEDBACK_MODELS, *PARTNERSHIP_MODELS}


def _url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def make_rows(count: int) -> None:
    """``count`` rows of every model, each hanging off its own organisations and people, so that a
    changelist that forgot a ``select_related`` shows up as more queries."""
    for index in range(count):
        interview = factories.InterviewFactory()
        submission = interview.submission
        requisition = submission.requisition
        engagement = requisition.engagement
        recruiter = factories.AssignmentFactory(requisition=requisition).recruiter
        factories.OutOfOfficeFactory()
        SubmissionStageChange.objects.create(
            submission=submission, from_stage="", to_stage=Submission.Stage.SUBMITTED, changed_by=recruiter
        )
        ImplementationTask.objects.create(engagement=engagement, title=f"Kick-off {index}", owner=recruiter)
        OrientationNote.objects.create(engagement=engagement, title=f"Working here {index}", body="…", author=recruiter)
        feedback = factories.FeedbackFactory()
        factories.ReminderFactory(feedback_request=feedback.request)
        slot = factories.AvailabilitySlotFactory()
        factories.ReminderFactory(
            feedback_request=None, availability_request=slot.request, level=Reminder.Level.REQUESTED
        )
        factories.InterviewFeedbackRequestFactory(interview=interview)
        Digest.objects.create(user=feedback.request.requested_of, local_date=date(2026, 1, 5), item_count=index)
        _partnership_rows(index, requisition, recruiter)


def _partnership_rows(index: int, requisition, recruiter) -> None:
    engagement, hiring_manager = requisition.engagement, requisition.hiring_manager
    issue = PartnershipItem.objects.create(
        kind=PartnershipItem.Kind.ISSUE,
        engagement=engagement,
        requisition=requisition,
        title=f"Slots took a week {index}",
        what_happened="Three candidates waited for slots.",
        owner=hiring_manager,
        due_on=date(2026, 1, 9),
        status=PartnershipItem.Status.OPEN,
        raised_by=recruiter,
    )
    ItemComment.objects.create(item=issue, author=hiring_manager, body="Two fixed windows a week from now on.")
    ItemStatusChange.objects.create(
        item=issue, actor=hiring_manager, from_status="open", to_status=PartnershipItem.Status.IN_PROGRESS
    )
    ItemFollower.objects.create(item=issue, user=recruiter)
    win = PartnershipItem.objects.create(
        kind=PartnershipItem.Kind.WIN,
        engagement=engagement,
        title=f"Filled early {index}",
        what_happened="Nine days before the target.",
        status="",
        raised_by=recruiter,
    )
    win.thanked.add(recruiter, hiring_manager)
    suggestion = SuggestedWin.objects.create(
        engagement=engagement,
        source=SuggestedWin.Source.ISSUE_RESOLVED,
        key=f"issue-resolved:{issue.pk}",
        title=f"Resolved {index}",
        what_happened="…",
    )
    suggestion.people.add(hiring_manager)
    survey = PulseSurvey.objects.create(
        engagement=engagement, period_start=date(2026, 1, 1), period_label="January 2026", closes_at=timezone.now()
    )
    invitation = PulseInvitation.objects.create(
        survey=survey, person=hiring_manager, side=Side.CLIENT, answered_at=timezone.now()
    )
    PulseResponse.objects.create(
        invitation=invitation, survey=survey, side=Side.CLIENT, candidate_quality=4, overall=4, comment="Sharp."
    )


@pytest.fixture
def superuser(db) -> User:
    provider = factories.ProviderFactory(name="Admin Provider")
    return User.objects.create_superuser(
        "boss@tb.example",
        factories.DEFAULT_PASSWORD,
        full_name="Bo Boss",
        organization=provider,
        role=User.Role.PROVIDER_ADMIN,
    )


@pytest.fixture
def admin_browser(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def rows(db):
    make_rows(3)


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_it_lists_every_model_with_and_without_a_search(admin_browser, rows, model):
    assert admin_browser.get(_url(model, "changelist")).status_code == 200
    assert admin_browser.get(_url(model, "changelist"), {"q": "a"}).status_code == 200


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_it_opens_every_models_change_page(admin_browser, rows, model):
    obj = model.objects.order_by("pk").last()
    assert admin_browser.get(_url(model, "change", obj.pk)).status_code == 200


ADDABLE_MODELS = [model for model in MODELS if model not in READ_ONLY_MODELS]


@pytest.mark.parametrize("model", ADDABLE_MODELS, ids=lambda model: model.__name__)
def test_it_opens_every_models_add_page(admin_browser, rows, model):
    assert admin_browser.get(_url(model, "add")).status_code == 200


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_changelist_queries_do_not_grow_with_rows(admin_browser, superuser, model):
    make_rows(5)
    with CaptureQueriesContext(connection) as few:
        assert admin_browser.get(_url(model, "changelist")).status_code == 200
    make_rows(25)
    with CaptureQueriesContext(connection) as many:
        response = admin_browser.get(_url(model, "changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count >= 30
    assert len(many) == len(few), [query["sql"] for query in many.captured_queries]


def test_stage_history_cannot_be_added_changed_or_deleted(admin_browser, rows):
    change = SubmissionStageChange.objects.first()
    assert admin_browser.get(_url(SubmissionStageChange, "add")).status_code == 403
    assert admin_browser.post(_url(SubmissionStageChange, "delete", change.pk), {"post": "yes"}).status_code == 403
    response = admin_browser.post(_url(SubmissionStageChange, "change", change.pk), {"to_stage": "hired"})
    assert response.status_code == 403
    change.refresh_from_db()
    assert change.to_stage == Submission.Stage.SUBMITTED


def test_submission_stage_is_not_editable_on_the_change_page(admin_browser):
    submission = factories.SubmissionFactory()
    response = admin_browser.get(_url(Submission, "change", submission.pk))
    assert 'name="stage"' not in response.content.decode()
    response = admin_browser.post(
        _url(Submission, "change", submission.pk),
        {
            "stage": Submission.Stage.HIRED,
            "summary": "Strong fit",
            "stage_changes-TOTAL_FORMS": "0",
            "stage_changes-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    submission.refresh_from_db()
    assert (submission.stage, submission.summary) == (Submission.Stage.SUBMITTED, "Strong fit")


def test_adding_a_submission_in_the_admin_records_its_first_stage(admin_browser, superuser):
    requisition = factories.RequisitionFactory(engagement__provider=superuser.organization)
    candidate = factories.CandidateFactory(engagement=requisition.engagement)
    response = admin_browser.post(
        _url(Submission, "add"),
        {
            "requisition": requisition.pk,
            "candidate": candidate.pk,
            "submitted_at_0": "2026-01-05",
            "submitted_at_1": "10:00:00",
            "summary": "",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    submission = Submission.objects.get(requisition=requisition, candidate=candidate)
    assert submission.submitted_by == superuser
    assert list(submission.stage_changes.values_list("from_stage", "to_stage", "changed_by")) == [
        ("", "submitted", superuser.pk)
    ]


def test_the_add_submission_form_does_not_ask_who_submitted(admin_browser):
    assert 'name="submitted_by"' not in admin_browser.get(_url(Submission, "add")).content.decode()


def test_a_provider_admin_cannot_submit_to_another_providers_requisition_in_the_admin(admin_browser):
    requisition = factories.RequisitionFactory()
    candidate = factories.CandidateFactory(engagement=requisition.engagement)
    response = admin_browser.post(
        _url(Submission, "add"),
        {
            "requisition": requisition.pk,
            "candidate": candidate.pk,
            "submitted_at_0": "2026-01-05",
            "submitted_at_1": "10:00:00",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [policies.MAY_NOT_SUBMIT]
    assert not Submission.objects.exists()


def test_adding_a_submission_for_another_engagements_candidate_is_refused(admin_browser):
    requisition = factories.RequisitionFactory()
    stranger = factories.CandidateFactory()
    response = admin_browser.post(
        _url(Submission, "add"),
        {
            "requisition": requisition.pk,
            "candidate": stranger.pk,
            "submitted_at_0": "2026-01-05",
            "submitted_at_1": "10:00:00",
        },
    )
    assert response.status_code == 200
    assert "another engagement" in str(response.context["adminform"].form.errors)
    assert not Submission.objects.exists()


def test_admin_action_moves_the_stage_through_the_service(admin_browser, superuser):
    submission = factories.SubmissionFactory(requisition__engagement__provider=superuser.organization)
    response = admin_browser.post(
        _url(Submission, "changelist"), {"action": "advance_stage", "_selected_action": [submission.pk]}
    )
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.stage == Submission.Stage.HM_REVIEW
    assert list(submission.stage_changes.values_list("from_stage", "to_stage", "changed_by")) == [
        ("submitted", "hm_review", superuser.pk)
    ]


def test_admin_action_on_another_providers_submission_says_why_and_moves_nothing(admin_browser):
    submission = factories.SubmissionFactory()
    response = admin_browser.post(
        _url(Submission, "changelist"),
        {"action": "advance_stage", "_selected_action": [submission.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert f"{submission}: {policies.MAY_NOT_MOVE_SUBMISSION}" in [str(m) for m in response.context["messages"]]
    submission.refresh_from_db()
    assert submission.stage == Submission.Stage.SUBMITTED
    assert not submission.stage_changes.exists()


def test_adding_a_user_takes_an_email_and_a_password(admin_browser):
    acme = factories.OrganizationFactory(name="Acme")
    response = admin_browser.post(
        _url(User, "add"),
        {
            "email": "New.Manager@Acme.example",
            "full_name": "Nina Manager",
            "usable_password": "true",
            "password1": "a-long-demo-passphrase",
            "password2": "a-long-demo-passphrase",
            "organization": acme.pk,
            "role": User.Role.HIRING_MANAGER,
            "time_zone": "America/New_York",
            "notification_preference": User.NotificationPreference.DIGEST,
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    user = User.objects.get(email="new.manager@acme.example")
    assert user.check_password("a-long-demo-passphrase")
    assert (user.organization, user.role) == (acme, User.Role.HIRING_MANAGER)


def test_adding_a_user_with_a_role_of_the_other_side_is_refused(admin_browser):
    acme = factories.OrganizationFactory(name="Acme")
    response = admin_browser.post(
        _url(User, "add"),
        {
            "email": "rita@acme.example",
            "full_name": "Rita",
            "usable_password": "false",
            "organization": acme.pk,
            "role": User.Role.RECRUITER,
            "time_zone": "UTC",
            "notification_preference": User.NotificationPreference.EACH,
        },
    )
    assert response.status_code == 200
    assert "role" in response.context["adminform"].form.errors


def test_out_of_office_backup_must_be_of_the_same_provider(admin_browser):
    away = factories.OutOfOfficeFactory()
    outsider = factories.UserFactory(organization=factories.ProviderFactory(), role=User.Role.RECRUITER)
    response = admin_browser.post(
        _url(OutOfOffice, "change", away.pk),
        {
            "user": away.user.pk,
            "backup": outsider.pk,
            "starts_at_0": "2026-01-05",
            "starts_at_1": "09:00:00",
            "ends_at_0": "2026-01-09",
            "ends_at_1": "17:00:00",
            "note": "",
        },
    )
    assert response.status_code == 200
    assert "backup" in response.context["adminform"].form.errors


@pytest.mark.parametrize("model", sorted(FEEDBACK_MODELS, key=lambda model: model.__name__), ids=lambda m: m.__name__)
def test_feedback_records_cannot_be_added_changed_or_deleted_by_hand(admin_browser, rows, model):
    obj = model.objects.order_by("pk").last()
    assert admin_browser.get(_url(model, "add")).status_code == 403
    assert admin_browser.post(_url(model, "change", obj.pk), {}).status_code == 403
    assert admin_browser.post(_url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
    assert model.objects.filter(pk=obj.pk).exists()


def test_a_feedback_request_shows_its_answer_and_its_reminders(admin_browser):
    feedback = factories.FeedbackFactory(comments="Sharp on system design.")
    factories.ReminderFactory(feedback_request=feedback.request, level=Reminder.Level.OVERDUE)
    page = admin_browser.get(_url(FeedbackRequest, "change", feedback.request.pk)).content.decode()
    assert "Sharp on system design." in page
    assert "Overdue reminder" in page


def test_the_overdue_filter_uses_the_same_rule_as_the_api(admin_browser):
    late = factories.FeedbackRequestFactory(
        remind_at=timezone.now() - timedelta(hours=5),
        due_at=timezone.now() - timedelta(hours=1),
        escalate_at=timezone.now() + timedelta(hours=3),
    )
    on_time = factories.FeedbackRequestFactory()
    overdue = admin_browser.get(_url(FeedbackRequest, "changelist"), {"overdue": "1"}).context["cl"].result_list
    assert [request.pk for request in overdue] == [late.pk]
    not_overdue = admin_browser.get(_url(FeedbackRequest, "changelist"), {"overdue": "0"}).context["cl"].result_list
    assert [request.pk for request in not_overdue] == [on_time.pk]


def test_pulse_answers_in_the_admin_never_show_who_gave_them(admin_browser):
    """The admin is held to the same anonymity as the pages, the API and the CSV: an answer shows
    its scores and comment, not the person (nor a way to the invitation that names them)."""
    respondent = factories.UserFactory(full_name="Quentin Respondent", email="quentin.respondent@client.example")
    engagement = factories.EngagementFactory(client=respondent.organization)
    survey = PulseSurvey.objects.create(
        engagement=engagement, period_start=date(2026, 1, 1), period_label="January 2026", closes_at=timezone.now()
    )
    invitation = PulseInvitation.objects.create(
        survey=survey, person=respondent, side=Side.CLIENT, answered_at=timezone.now()
    )
    response = PulseResponse.objects.create(
        invitation=invitation, survey=survey, side=Side.CLIENT, overall=2, comment="Slots are hard to get."
    )
    pages = [
        admin_browser.get(_url(PulseResponse, "changelist")),
        admin_browser.get(_url(PulseResponse, "change", response.pk)),
        admin_browser.get(_url(PulseSurvey, "change", survey.pk)),
    ]
    assert [row.pk for row in pages[0].context["cl"].result_list] == [response.pk]
    assert "Slots are hard to get." in pages[1].content.decode()
    # Nor can the answers be searched by who gave them.
    searched = admin_browser.get(_url(PulseResponse, "changelist"), {"q": "quentin.respondent"})
    assert searched.context["cl"].result_count == 0
    for page in pages:
        assert page.status_code == 200
        content = page.content.decode()
        for trace in ("Quentin", "quentin.respondent", f"/pulseinvitation/{invitation.pk}/"):
            assert trace not in content, (page.request["PATH_INFO"], trace)
