"""The Django admin saves engagements, requisitions, assignments, submissions and interviews
through the services, as the signed-in user: the same rules as the API and the pages, every
refusal shown on the form (never a 500), and nothing half-saved."""

import html
from datetime import UTC, datetime, time, timedelta
from html.parser import HTMLParser

import pytest
import time_machine
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from engagements import policies
from engagements.models import Assignment, Engagement, Interview, Requisition, Submission
from tests import factories

Role = Assignment.Role


# --- the admin as a browser sees it -------------------------------------------------------------


def _url(model, view, *args):
    return reverse(f"admin:engagements_{model._meta.model_name}_{view}", args=args)


class _ShownValues(HTMLParser):
    """What a browser would post back from an admin page untouched: the inputs, selections and
    text areas as shown (disabled fields and the inlines' empty templates are not posted)."""

    def __init__(self):
        super().__init__()
        self.values: dict[str, str | list[str]] = {}
        self._select: str | None = None
        self._multiple = False
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name") or ""
        posted = name and "disabled" not in attrs and "__prefix__" not in name
        if tag == "input" and posted:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.values[name] = attrs.get("value", "on")
            elif kind not in ("submit", "button", "file", "image"):
                self.values[name] = attrs.get("value", "")
        elif tag == "select" and posted:
            self._select, self._multiple = name, "multiple" in attrs
            self.values[name] = [] if self._multiple else ""
        elif tag == "option" and self._select and "selected" in attrs:
            if self._multiple:
                self.values[self._select].append(attrs.get("value", ""))
            else:
                self.values[self._select] = attrs.get("value", "")
        elif tag == "textarea" and posted:
            self._textarea = name
            self.values[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            value = self.values[self._textarea] + data
            self.values[self._textarea] = value.removeprefix("\n")


def shown(browser, url) -> dict:
    """The values of the admin page at ``url``, ready to be changed and posted back."""
    parser = _ShownValues()
    parser.feed(browser.get(url).content.decode())
    values = parser.values
    values.pop("csrfmiddlewaretoken", None)
    return values


def add_row(values: dict, prefix: str, **fields) -> str:
    """Fill in a new inline row, as the “Add another” link does; returns the row's prefix."""
    index = int(values[f"{prefix}-TOTAL_FORMS"])
    values[f"{prefix}-TOTAL_FORMS"] = str(index + 1)
    values.update({f"{prefix}-{index}-{name}": value for name, value in fields.items()})
    return f"{prefix}-{index}"


def row_of(values: dict, obj) -> str:
    """The prefix of the inline row that shows ``obj``."""
    return next(
        key.removesuffix("-id") for key, value in values.items() if key.endswith("-id") and value == str(obj.pk)
    )


def row_errors(response, prefix: str) -> dict:
    for inline in response.context["inline_admin_formsets"]:
        for form in inline.formset.forms:
            if form.prefix == prefix:
                return form.errors
    raise AssertionError(f"no inline row {prefix}")


def page_text(response) -> str:
    return html.unescape(response.content.decode())


# --- who is signed in ----------------------------------------------------------------------------


@pytest.fixture
def provider_admin(world) -> User:
    """Pat, the provider's admin, with a back-office account (like the demo's admin)."""
    world.provider_admin.is_staff = world.provider_admin.is_superuser = True
    world.provider_admin.save(update_fields=["is_staff", "is_superuser"])
    return world.provider_admin


@pytest.fixture
def admin_browser(client, provider_admin):
    client.force_login(provider_admin)
    return client


def _one_day_ahead_before_new_york_midnight() -> datetime:
    """Tomorrow 03:00 UTC: still today in New York (Acme's engagement), already tomorrow on the
    server (UTC). A date taken from the server instead of the engagement shows up as one day off."""
    return datetime.combine(timezone.now().date() + timedelta(days=1), time(3), tzinfo=UTC)


# --- assignments ---------------------------------------------------------------------------------


def test_adding_an_assignment_for_a_client_user_shows_why_and_creates_nothing(admin_browser, world):
    before = Assignment.objects.count()
    response = admin_browser.post(
        _url(Assignment, "add"),
        {"requisition": world.other_requisition.pk, "recruiter": world.hiring_manager.pk, "role": Role.PRIMARY},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "recruiter": ["Assign a member of the provider's recruiting staff."]
    }
    assert "Assign a member of the provider's recruiting staff." in page_text(response)
    assert Assignment.objects.count() == before


def test_assigning_a_deactivated_recruiter_on_the_requisition_page_saves_nothing_of_the_page(admin_browser, world):
    world.idle_recruiter.is_active = False
    world.idle_recruiter.save(update_fields=["is_active"])
    requisition = world.other_requisition
    values = shown(admin_browser, _url(Requisition, "change", requisition.pk))
    values["title"] = "Staff engineer"
    row = add_row(values, "assignments", recruiter=world.idle_recruiter.pk, role=Role.PRIMARY)

    response = admin_browser.post(_url(Requisition, "change", requisition.pk), values)

    assert response.status_code == 200
    assert row_errors(response, row) == {"recruiter": ["This person's account is deactivated."]}
    assert response.context["adminform"].form["title"].value() == "Staff engineer"  # what was typed stays
    requisition.refresh_from_db()
    assert requisition.title != "Staff engineer"
    assert not requisition.assignments.exists()


def test_a_second_primary_for_the_same_period_is_refused_in_the_admin(admin_browser, world):
    today = timezone.localdate()
    response = admin_browser.post(
        _url(Assignment, "add"),
        {
            "requisition": world.requisition.pk,
            "recruiter": world.idle_recruiter.pk,
            "role": Role.PRIMARY,
            "starts_on": today.isoformat(),
            "ends_on": (today + timedelta(days=10)).isoformat(),
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "role": ["This requisition already has a primary recruiter for that period."]
    }
    assert list(world.requisition.assignments.filter(role=Role.PRIMARY).values_list("recruiter", flat=True)) == [
        world.recruiter.pk
    ]


def test_a_second_open_primary_is_refused_in_words_not_as_a_constraint_name(admin_browser, world):
    response = admin_browser.post(
        _url(Assignment, "add"),
        {"requisition": world.requisition.pk, "recruiter": world.idle_recruiter.pk, "role": Role.PRIMARY},
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["role"][0].startswith("This requisition already has a primary recruiter")
    assert "Constraint" not in page_text(response)
    assert world.requisition.assignments.filter(role=Role.PRIMARY).count() == 1


def test_two_primaries_for_the_same_period_on_one_requisition_page_are_refused_together(admin_browser, world):
    requisition = world.other_requisition
    today = timezone.localdate()
    values = shown(admin_browser, _url(Requisition, "change", requisition.pk))
    period = {"role": Role.PRIMARY, "starts_on": today.isoformat(), "ends_on": (today + timedelta(days=30)).isoformat()}
    add_row(values, "assignments", recruiter=world.recruiter.pk, **period)
    second = add_row(values, "assignments", recruiter=world.idle_recruiter.pk, **period)

    response = admin_browser.post(_url(Requisition, "change", requisition.pk), values)

    assert response.status_code == 200
    assert row_errors(response, second) == {
        "role": ["This requisition already has a primary recruiter for that period."]
    }
    assert not requisition.assignments.exists()  # the first row was rolled back with the rest


def test_assigning_on_the_requisition_page_starts_on_the_engagements_today(admin_browser, world):
    requisition = world.requisition
    values = shown(admin_browser, _url(Requisition, "change", requisition.pk))
    add_row(values, "assignments", recruiter=world.idle_recruiter.pk, role=Role.BACKUP, starts_on="")
    moment = _one_day_ahead_before_new_york_midnight()

    with time_machine.travel(moment, tick=False):
        response = admin_browser.post(_url(Requisition, "change", requisition.pk), values)

    assert response.status_code == 302, response.context and response.context["errors"]
    backup = requisition.assignments.get(recruiter=world.idle_recruiter)
    assert (backup.role, backup.starts_on, backup.ends_on) == (Role.BACKUP, moment.date() - timedelta(days=1), None)


def test_an_assignment_added_in_the_admin_is_logged_and_opens_afterwards(admin_browser, world):
    response = admin_browser.post(
        _url(Assignment, "add"),
        {"requisition": world.other_requisition.pk, "recruiter": world.idle_recruiter.pk, "role": Role.PRIMARY},
    )
    assert response.status_code == 302
    assignment = Assignment.objects.get(requisition=world.other_requisition)
    entry = LogEntry.objects.get(object_id=str(assignment.pk), action_flag=ADDITION)
    assert entry.user_id == world.provider_admin.pk
    assert admin_browser.get(_url(Assignment, "change", assignment.pk)).status_code == 200


def test_ending_an_assignment_in_the_admin_sets_its_end_and_nothing_else(admin_browser, world):
    assignment = world.requisition.assignments.get(role=Role.PRIMARY)
    before = Assignment.objects.values().get(pk=assignment.pk)
    values = shown(admin_browser, _url(Assignment, "change", assignment.pk))
    assert set(values) == {"ends_on"}  # who, which role and from when are shown, not editable
    ends_on = timezone.localdate()

    response = admin_browser.post(
        _url(Assignment, "change", assignment.pk),
        # A hand-made POST cannot change what the page does not offer.
        {"ends_on": ends_on.isoformat(), "recruiter": world.idle_recruiter.pk, "role": Role.SOURCER},
    )

    assert response.status_code == 302
    assert Assignment.objects.values().get(pk=assignment.pk) == {**before, "ends_on": ends_on}


def test_ending_an_assignment_on_the_requisition_page_changes_only_its_end(admin_browser, world):
    requisition = world.requisition
    before = {row["id"]: row for row in requisition.assignments.values()}
    values = shown(admin_browser, _url(Requisition, "change", requisition.pk))
    primary = row_of(values, requisition.assignments.get(role=Role.PRIMARY))
    assert f"{primary}-recruiter" not in values  # shown disabled
    ends_on = timezone.localdate()
    values[f"{primary}-ends_on"] = ends_on.isoformat()
    values[f"{primary}-recruiter"] = world.idle_recruiter.pk  # ignored: the field is disabled

    response = admin_browser.post(_url(Requisition, "change", requisition.pk), values)

    assert response.status_code == 302
    after = {row["id"]: row for row in requisition.assignments.values()}
    primary_id = requisition.assignments.get(role=Role.PRIMARY).pk
    assert after == {**before, primary_id: {**before[primary_id], "ends_on": ends_on}}


def test_an_ended_assignment_is_not_reopened_or_extended_in_the_admin(admin_browser, world):
    assignment = world.requisition.assignments.get(role=Role.PRIMARY)
    ended_on = timezone.localdate()
    assignment.ends_on = ended_on
    assignment.save(update_fields=["ends_on"])
    for ends_on in ("", (ended_on + timedelta(days=5)).isoformat()):
        response = admin_browser.post(_url(Assignment, "change", assignment.pk), {"ends_on": ends_on})
        assert response.status_code == 200
        assert "add a new assignment" in response.context["adminform"].form.errors["ends_on"][0]
    assignment.refresh_from_db()
    assert assignment.ends_on == ended_on


def test_an_assignment_cannot_end_before_it_starts_in_the_admin(admin_browser, world):
    assignment = world.requisition.assignments.get(role=Role.PRIMARY)
    too_early = assignment.starts_on - timedelta(days=1)
    response = admin_browser.post(_url(Assignment, "change", assignment.pk), {"ends_on": too_early.isoformat()})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"ends_on": ["An assignment cannot end before it starts."]}
    assignment.refresh_from_db()
    assert assignment.ends_on is None


def test_assignments_are_not_deleted_in_the_admin(admin_browser, world):
    assignment = world.requisition.assignments.get(role=Role.PRIMARY)
    assert admin_browser.post(_url(Assignment, "delete", assignment.pk), {"post": "yes"}).status_code == 403
    values = shown(admin_browser, _url(Requisition, "change", world.requisition.pk))
    assert not any(key.endswith("-DELETE") for key in values)
    values.update({"assignments-0-DELETE": "on", "assignments-1-DELETE": "on"})
    assert admin_browser.post(_url(Requisition, "change", world.requisition.pk), values).status_code == 302
    assert Assignment.objects.filter(pk=assignment.pk).exists()
    assert world.requisition.assignments.count() == 2


def test_someone_who_may_not_assign_is_told_so_on_the_requisition_page(client, world):
    """A recruiter may edit requisitions, but assigning is for the engagement's managers."""
    world.recruiter.is_staff = True
    world.recruiter.save(update_fields=["is_staff"])
    world.recruiter.user_permissions.set(
        Permission.objects.filter(codename__in=["view_requisition", "change_requisition", "add_assignment"])
    )
    client.force_login(world.recruiter)
    requisition = world.other_requisition
    values = shown(client, _url(Requisition, "change", requisition.pk))
    values["openings"] = "3"
    row = add_row(values, "assignments", recruiter=world.recruiter.pk, role=Role.PRIMARY)

    response = client.post(_url(Requisition, "change", requisition.pk), values)

    assert response.status_code == 200
    assert row_errors(response, row) == {"__all__": [policies.MAY_NOT_ASSIGN]}
    requisition.refresh_from_db()
    assert requisition.openings == 1
    assert not requisition.assignments.exists()


# --- requisitions --------------------------------------------------------------------------------


def test_marking_a_requisition_filled_in_the_admin_records_the_engagements_today(admin_browser, world):
    requisition = world.requisition
    values = shown(admin_browser, _url(Requisition, "change", requisition.pk))
    assert values["filled_on"] == ""
    values["status"] = Requisition.Status.FILLED
    moment = _one_day_ahead_before_new_york_midnight()

    with time_machine.travel(moment, tick=False):
        response = admin_browser.post(_url(Requisition, "change", requisition.pk), values)

    assert response.status_code == 302
    requisition.refresh_from_db()
    assert requisition.status == Requisition.Status.FILLED
    assert requisition.filled_on == moment.date() - timedelta(days=1)  # New York's date, not the server's


def test_opening_a_requisition_in_the_admin_dates_it_on_the_engagements_today(admin_browser, world):
    values = shown(admin_browser, _url(Requisition, "add"))
    assert values["opened_on"] == ""
    values.update(
        engagement=world.acme_engagement.pk,
        code="ACME-7",
        title="Data engineer",
        hiring_manager=world.hiring_manager.pk,
    )
    moment = _one_day_ahead_before_new_york_midnight()

    with time_machine.travel(moment, tick=False):
        response = admin_browser.post(_url(Requisition, "add"), values)

    assert response.status_code == 302
    requisition = Requisition.objects.get(code="ACME-7")
    assert requisition.opened_on == moment.date() - timedelta(days=1)
    assert LogEntry.objects.filter(object_id=str(requisition.pk), action_flag=ADDITION).exists()


def test_opening_a_requisition_with_its_primary_recruiter_in_one_save(admin_browser, world):
    values = shown(admin_browser, _url(Requisition, "add"))
    values.update(
        engagement=world.acme_engagement.pk, code="ACME-8", title="Designer", hiring_manager=world.hiring_manager.pk
    )
    add_row(values, "assignments", recruiter=world.idle_recruiter.pk, role=Role.PRIMARY)

    response = admin_browser.post(_url(Requisition, "add"), values)

    assert response.status_code == 302, response.context and response.context["errors"]
    requisition = Requisition.objects.get(code="ACME-8")
    assert list(requisition.assignments.values_list("recruiter", "role")) == [(world.idle_recruiter.pk, Role.PRIMARY)]


def test_a_refused_primary_leaves_no_new_requisition_behind(admin_browser, world):
    values = shown(admin_browser, _url(Requisition, "add"))
    values.update(
        engagement=world.acme_engagement.pk, code="ACME-8", title="Designer", hiring_manager=world.hiring_manager.pk
    )
    row = add_row(values, "assignments", recruiter=world.globex_hiring_manager.pk, role=Role.PRIMARY)

    response = admin_browser.post(_url(Requisition, "add"), values)

    assert response.status_code == 200
    assert row_errors(response, row) == {"recruiter": ["Assign a member of the provider's recruiting staff."]}
    assert not Requisition.objects.filter(code="ACME-8").exists()


def test_a_hiring_manager_of_another_client_is_refused_beside_the_field(admin_browser, world):
    values = shown(admin_browser, _url(Requisition, "change", world.requisition.pk))
    values["hiring_manager"] = world.globex_hiring_manager.pk
    response = admin_browser.post(_url(Requisition, "change", world.requisition.pk), values)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "hiring_manager": ["The hiring manager must be an active user of the client."]
    }


def test_a_requisitions_engagement_does_not_change_in_the_admin(admin_browser, world):
    values = shown(admin_browser, _url(Requisition, "change", world.requisition.pk))
    assert "engagement" not in values
    values["engagement"] = world.globex_engagement.pk
    assert admin_browser.post(_url(Requisition, "change", world.requisition.pk), values).status_code == 302
    world.requisition.refresh_from_db()
    assert world.requisition.engagement == world.acme_engagement


# --- engagements ---------------------------------------------------------------------------------


@pytest.fixture
def staff_account_manager(client, world) -> User:
    """Alma, Acme's account manager, with back-office access to engagements."""
    world.account_manager.is_staff = True
    world.account_manager.save(update_fields=["is_staff"])
    world.account_manager.user_permissions.set(
        Permission.objects.filter(codename__in=["view_engagement", "change_engagement"])
    )
    client.force_login(world.account_manager)
    return world.account_manager


def test_an_account_manager_cannot_change_an_engagement_they_do_not_manage_in_the_admin(
    client, staff_account_manager, world
):
    engagement = world.globex_engagement
    values = shown(client, _url(Engagement, "change", engagement.pk))
    values["resume_feedback_due_hours"] = "8"

    response = client.post(_url(Engagement, "change", engagement.pk), values)

    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [policies.MAY_NOT_CHANGE_ENGAGEMENT]
    assert policies.MAY_NOT_CHANGE_ENGAGEMENT in page_text(response)
    engagement.refresh_from_db()
    assert engagement.resume_feedback_due_hours == 24


def test_an_account_manager_changes_the_engagement_they_manage_in_the_admin(client, staff_account_manager, world):
    engagement = world.acme_engagement
    values = shown(client, _url(Engagement, "change", engagement.pk))
    values["resume_feedback_due_hours"] = "8"
    assert client.post(_url(Engagement, "change", engagement.pk), values).status_code == 302
    engagement.refresh_from_db()
    assert engagement.resume_feedback_due_hours == 8


def test_the_parties_of_an_engagement_do_not_change_in_the_admin(admin_browser, world):
    values = shown(admin_browser, _url(Engagement, "change", world.acme_engagement.pk))
    assert not {"provider", "client"} & set(values)
    values["client"] = world.globex.pk
    assert admin_browser.post(_url(Engagement, "change", world.acme_engagement.pk), values).status_code == 302
    world.acme_engagement.refresh_from_db()
    assert world.acme_engagement.client == world.acme


def test_account_managers_changed_in_the_admin_are_checked(admin_browser, world):
    values = shown(admin_browser, _url(Engagement, "change", world.globex_engagement.pk))
    values["account_managers"] = [world.account_manager.pk]
    assert admin_browser.post(_url(Engagement, "change", world.globex_engagement.pk), values).status_code == 302
    assert list(world.globex_engagement.account_managers.all()) == [world.account_manager]

    outsider = factories.UserFactory(organization=factories.ProviderFactory(), role=User.Role.ACCOUNT_MANAGER)
    values["account_managers"] = [outsider.pk]
    response = admin_browser.post(_url(Engagement, "change", world.globex_engagement.pk), values)
    assert response.status_code == 200
    assert "account_managers" in response.context["adminform"].form.errors
    assert list(world.globex_engagement.account_managers.all()) == [world.account_manager]


def test_opening_an_engagement_in_the_admin_goes_through_the_service(admin_browser, world):
    initech = factories.OrganizationFactory(name="Initech")
    values = shown(admin_browser, _url(Engagement, "add"))
    values.update(name="Initech partnership", provider=world.provider.pk, client=initech.pk)
    values["account_managers"] = [world.account_manager.pk]

    response = admin_browser.post(_url(Engagement, "add"), values)

    assert response.status_code == 302, response.context and response.context["errors"]
    engagement = Engagement.objects.get(client=initech)
    assert list(engagement.account_managers.all()) == [world.account_manager]
    assert LogEntry.objects.filter(object_id=str(engagement.pk), action_flag=ADDITION).exists()


# --- interviews ----------------------------------------------------------------------------------


def _interview_values(submission, starts_at: datetime) -> dict:
    local = timezone.localtime(starts_at)
    ends = local + timedelta(hours=1)
    return {
        "submission": submission.pk,
        "starts_at_0": local.date().isoformat(),
        "starts_at_1": local.time().isoformat("seconds"),
        "ends_at_0": ends.date().isoformat(),
        "ends_at_1": ends.time().isoformat("seconds"),
        "location": "Room 4",
    }


def test_booking_an_interview_in_the_admin_records_who_booked_it(admin_browser, world):
    submission = factories.SubmissionFactory(requisition=world.requisition, stage=Submission.Stage.INTERVIEW)
    starts_at = (timezone.now() + timedelta(days=3)).replace(microsecond=0)
    response = admin_browser.post(_url(Interview, "add"), _interview_values(submission, starts_at))
    assert response.status_code == 302, response.context and response.context["errors"]
    interview = submission.interviews.get()
    assert interview.created_by == world.provider_admin
    assert list(interview.interviewers.all()) == [world.hiring_manager]  # empty: the hiring manager


def test_moving_an_interview_in_the_admin_counts_a_reschedule(admin_browser, world):
    interview = factories.InterviewFactory(
        submission__requisition=world.requisition, starts_at=timezone.now().replace(microsecond=0) + timedelta(days=2)
    )
    values = _interview_values(interview.submission, interview.starts_at + timedelta(days=1))
    del values["submission"]
    values["interviewers"] = [world.hiring_manager.pk]
    response = admin_browser.post(_url(Interview, "change", interview.pk), values)
    assert response.status_code == 302, response.context and response.context["errors"]
    interview.refresh_from_db()
    assert interview.rescheduled_count == 1
