"""The requisition pages: "my requisitions" for recruiters and hiring managers, every requisition
for account managers and admins, and one requisition's pipeline."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from accounts.models import User
from engagements.models import Assignment, Requisition, Submission
from feedback.models import RequestStatus
from tests import factories

from .requisition_kit import NOW, answered, count_queries, submission, text, waiting_request

LIST = "/requisitions/"


@pytest.fixture(autouse=True)
def _clock(time_machine):
    """Pinned before the personas are made, so their assignments are active at NOW."""
    time_machine.move_to(NOW, tick=False)


def _detail(requisition) -> str:
    return reverse("partnership:requisition-detail", kwargs={"pk": requisition.pk})


def _rita_also_primary_on(world, code="ACME-3", **kwargs):
    requisition = factories.RequisitionFactory(
        engagement=world.acme_engagement, hiring_manager=world.hiring_manager, code=code, **kwargs
    )
    factories.AssignmentFactory(requisition=requisition, recruiter=world.recruiter, role=Assignment.Role.PRIMARY)
    return requisition


def _codes(page: str) -> list[str]:
    return re.findall(r'<span class="code">([^<]+)</span>', page)


# --- URLs and sign-in ------------------------------------------------------------------------------


def test_the_pages_answer_at_their_addresses(world):
    assert reverse("partnership:requisition-list") == LIST
    assert _detail(world.requisition) == f"/requisitions/{world.requisition.pk}/"


@pytest.mark.parametrize("url", [LIST, "/requisitions/1/"])
def test_anonymous_visitor_is_sent_to_sign_in(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# --- The recruiter's "my requisitions" ------------------------------------------------------------


def test_recruiter_sees_the_pipeline_of_each_requisition_they_cover(client, world):
    world.requisition.opened_on = NOW.date() - timedelta(days=12)
    world.requisition.save()
    for stage, how_many in [("submitted", 3), ("hm_review", 2), ("interview", 1), ("rejected", 2), ("withdrawn", 1)]:
        for _ in range(how_many):
            submission(world.requisition, stage=stage)
    submission(world.globex_requisition, name="Globex Gina")
    client.force_login(world.recruiter)

    response = client.get(LIST)

    assert response.status_code == 200
    page = response.content.decode()
    assert _codes(page) == ["ACME-1"]
    assert world.requisition.title in page
    assert "Acme" in page
    assert 'data-label="Submitted">3<' in page
    assert 'data-label="HM review">2<' in page
    assert 'data-label="Interview">1<' in page
    assert 'data-label="Offer">0<' in page
    assert 'data-label="Out">3<' in page
    assert 'data-label="Days open">12<' in page
    assert "You: Primary recruiter" in text(response)
    assert "GLX-1" not in page


def test_recruiter_sees_what_waits_on_the_hiring_manager_oldest_wait_first(client, world):
    waiting_request(world.requisition, days_ago=3)
    waiting_request(world.requisition, days_ago=1)
    older = _rita_also_primary_on(world, code="ACME-3")
    waiting_request(older, days_ago=5)
    quiet = _rita_also_primary_on(world, code="ACME-4")
    client.force_login(world.recruiter)

    response = client.get(LIST)

    page = text(response)
    hiring_manager = world.hiring_manager.full_name
    assert f"2 waiting on {hiring_manager}, oldest 3 days" in page
    assert f"1 waiting on {hiring_manager}, oldest 5 days" in page
    assert _codes(response.content.decode()) == ["ACME-3", "ACME-1", quiet.code]


def test_backup_sees_the_requisition_marked_covering_while_the_primary_is_away(client, world):
    factories.AssignmentFactory(
        requisition=world.requisition, recruiter=world.idle_recruiter, role=Assignment.Role.BACKUP
    )
    factories.OutOfOfficeFactory(user=world.recruiter, backup=world.sourcer)
    client.force_login(world.idle_recruiter)

    response = client.get(LIST)

    assert _codes(response.content.decode()) == ["ACME-1"]
    assert "Covering for Rita" in text(response)


def test_the_backup_named_for_an_absence_sees_the_requisitions_they_stand_in_for(client, world):
    # Ivan works in the Acme engagement (sourcing ACME-2), and Rita named him while she is away.
    factories.AssignmentFactory(
        requisition=world.other_requisition, recruiter=world.idle_recruiter, role=Assignment.Role.SOURCER
    )
    factories.OutOfOfficeFactory(user=world.recruiter, backup=world.idle_recruiter)
    client.force_login(world.idle_recruiter)

    response = client.get(LIST)

    page = text(response)
    assert sorted(_codes(response.content.decode())) == ["ACME-1", "ACME-2"]
    assert "Covering for Rita" in page
    assert "You: Sourcer" in page
    assert client.get(_detail(world.requisition)).status_code == 200


def test_the_primary_who_is_away_sees_who_covers(client, world):
    factories.AssignmentFactory(
        requisition=world.requisition, recruiter=world.idle_recruiter, role=Assignment.Role.BACKUP
    )
    factories.OutOfOfficeFactory(user=world.recruiter, backup=world.sourcer)
    client.force_login(world.recruiter)

    page = text(client.get(LIST))

    assert "Covering for" not in page
    assert "Covered by Ivan (covering for Rita)" in page


def test_an_ended_absence_means_no_more_covering(client, world):
    factories.AssignmentFactory(
        requisition=world.other_requisition, recruiter=world.idle_recruiter, role=Assignment.Role.SOURCER
    )
    factories.OutOfOfficeFactory(
        user=world.recruiter,
        backup=world.idle_recruiter,
        starts_at=NOW - timedelta(days=10),
        ends_at=NOW - timedelta(days=1),
    )
    client.force_login(world.idle_recruiter)
    response = client.get(LIST)
    assert _codes(response.content.decode()) == ["ACME-2"]


def test_filled_and_cancelled_requisitions_are_not_on_my_list(client, world):
    _rita_also_primary_on(world, code="ACME-F", status=Requisition.Status.FILLED)
    _rita_also_primary_on(world, code="ACME-H", status=Requisition.Status.ON_HOLD)
    client.force_login(world.recruiter)
    codes = _codes(client.get(LIST).content.decode())
    assert sorted(codes) == ["ACME-1", "ACME-H"]


def test_recruiter_with_nothing_to_cover_is_told_so(client, world):
    client.force_login(world.idle_recruiter)
    assert "No requisitions to cover today" in text(client.get(LIST))


def test_sourcer_sees_the_requisitions_they_source(client, world):
    client.force_login(world.sourcer)
    response = client.get(LIST)
    assert _codes(response.content.decode()) == ["ACME-1"]
    assert "You: Sourcer" in text(response)


# --- Account managers, provider admins, client admins ---------------------------------------------


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("account_manager", ["ACME-1", "ACME-2"]),
        ("client_admin", ["ACME-1", "ACME-2"]),
        ("provider_admin", ["ACME-1", "ACME-2", "GLX-1"]),
        ("globex_admin", ["GLX-1"]),
    ],
)
def test_staff_and_client_admins_see_the_requisitions_of_their_engagements(client, world, persona, expected):
    client.force_login(getattr(world, persona))
    response = client.get(LIST)
    assert response.status_code == 200
    assert sorted(_codes(response.content.decode())) == expected


def test_the_list_filters_by_engagement(client, world):
    client.force_login(world.provider_admin)
    response = client.get(LIST, {"engagement": world.globex_engagement.pk})
    assert _codes(response.content.decode()) == ["GLX-1"]
    assert f'<option value="{world.globex_engagement.pk}" selected>' in response.content.decode()


@pytest.mark.parametrize("value", ["abc", "-1", "99999", "1 OR 1=1"])
def test_a_bad_engagement_filter_is_ignored_with_a_message(client, world, value):
    client.force_login(world.account_manager)
    response = client.get(LIST, {"engagement": value})
    assert response.status_code == 200
    assert "That engagement is not one you can see" in text(response)
    assert sorted(_codes(response.content.decode())) == ["ACME-1", "ACME-2"]


def test_another_tenants_engagement_as_filter_shows_nothing_of_it(client, world):
    client.force_login(world.client_admin)
    response = client.get(LIST, {"engagement": world.globex_engagement.pk})
    assert response.status_code == 200
    assert "That engagement is not one you can see" in text(response)
    assert "GLX-1" not in response.content.decode()


def test_a_bad_status_filter_is_ignored_with_a_message(client, world):
    client.force_login(world.account_manager)
    response = client.get(LIST, {"status": "<b>nope</b>"})
    assert response.status_code == 200
    assert "is not a requisition status" in text(response)
    assert "<b>nope</b>" not in response.content.decode()


def test_the_status_filter_shows_filled_requisitions_on_request(client, world):
    factories.RequisitionFactory(
        engagement=world.acme_engagement,
        code="ACME-F",
        status=Requisition.Status.FILLED,
        hiring_manager=world.hiring_manager,
    )
    client.force_login(world.account_manager)
    assert "ACME-F" not in _codes(client.get(LIST).content.decode())
    assert _codes(client.get(LIST, {"status": "filled"}).content.decode()) == ["ACME-F"]


def test_the_list_is_paginated_and_a_bad_page_number_is_not_an_error(client, world):
    for number in range(30):
        factories.RequisitionFactory(
            engagement=world.acme_engagement, code=f"ACME-P{number:02d}", hiring_manager=world.hiring_manager
        )
    client.force_login(world.account_manager)

    first = client.get(LIST, {"engagement": world.acme_engagement.pk})
    second = client.get(LIST, {"engagement": world.acme_engagement.pk, "page": 2})

    assert len(_codes(first.content.decode())) == 25
    assert len(_codes(second.content.decode())) == 7
    assert f"?engagement={world.acme_engagement.pk}&amp;page=2" in first.content.decode()
    for bad in ("abc", "999", "-3"):
        assert client.get(LIST, {"page": bad}).status_code == 200


def test_the_oldest_waits_come_first_across_pages_and_a_page_past_the_end_shows_the_last(client, world):
    waits = {}
    for number in range(28):
        requisition = _rita_also_primary_on(world, code=f"ACME-W{number:02d}")
        if number % 4:  # 21 wait, each a different number of hours
            waiting_request(requisition, days_ago=(number + 1) / 24)
            waits[requisition.code] = number
    client.force_login(world.recruiter)
    by_oldest_wait = sorted(waits, key=waits.get, reverse=True)
    quiet = sorted({f"ACME-W{number:02d}" for number in range(28)} - set(waits))

    first = client.get(LIST)
    second = client.get(LIST, {"page": 2})
    beyond = client.get(LIST, {"page": 99})

    shown = _codes(first.content.decode()) + _codes(second.content.decode())
    assert shown[:21] == by_oldest_wait
    assert set(shown[21:]) == {*quiet, world.requisition.code}
    assert "29 requisitions, 21 with something waiting on the client" in text(first)
    assert _codes(beyond.content.decode()) == _codes(second.content.decode())


# --- The hiring manager's requisitions ------------------------------------------------------------


def test_hiring_manager_sees_where_each_of_their_candidates_stands(client, world):
    submission(world.requisition, stage=Submission.Stage.INTERVIEW, name="Ida Interview", days_in_stage=2)
    submission(world.requisition, stage=Submission.Stage.OFFER, name="Olga Offer")
    submission(world.requisition, stage=Submission.Stage.REJECTED, name="Rex Rejected")
    submission(world.other_requisition, name="Not Yours")
    submission(world.globex_requisition, name="Globex Gina")
    client.force_login(world.hiring_manager)

    response = client.get(LIST)

    page = text(response)
    assert "Ida Interview Interview" in page
    assert "in this stage 2 days" in page
    assert "Olga Offer Offer" in page
    assert "Rex Rejected" not in page
    assert "1 not progressed" in page
    assert "Not Yours" not in page
    assert "Globex Gina" not in page


def test_hiring_manager_gets_links_to_answer_what_is_asked_of_them(client, world):
    request = waiting_request(world.requisition, days_ago=1, name="Waiting Wanda", due_in_hours=-2)
    client.force_login(world.hiring_manager)

    response = client.get(LIST)

    page = response.content.decode()
    assert reverse("feedback:feedback-respond", kwargs={"pk": request.pk}) in page
    assert "1 waiting on you" in text(response)
    assert "overdue, was due" in text(response)


def test_hiring_manager_page_is_cards_for_a_phone(client, world):
    client.force_login(world.hiring_manager)
    page = client.get(LIST).content.decode()
    assert 'name="viewport"' in page
    assert "<table" not in page
    assert 'class="card hm-req"' in page


# --- One requisition's pipeline -------------------------------------------------------------------


def test_recruiter_sees_the_pipeline_grouped_by_stage(client, world):
    submission(world.requisition, stage=Submission.Stage.SUBMITTED, name="Sue Submitted", days_in_stage=4)
    request = waiting_request(world.requisition, days_ago=2, name="Rhea Review", due_in_hours=-3)
    answered(requisition=world.requisition, decision="advance", name="Ivo Interview")
    submission(world.requisition, stage=Submission.Stage.HIRED, name="Hank Hired")
    client.force_login(world.recruiter)

    response = client.get(_detail(world.requisition))

    assert response.status_code == 200
    page = text(response)
    assert re.search(r"Submitted 1 .*Sue Submitted .*in submitted for 4 days", page)
    assert re.search(r"Hiring-manager review 1 .*Rhea Review", page)
    assert "Overdue" in page
    due = request.due_at.astimezone(world.recruiter.zone)
    assert f"was due {due:%a} {due.day} {due:%b, %H:%M}" in page
    assert "America/New_York" in page
    assert "Advance · 4/5" in page
    assert "Hired, rejected and withdrawn (1)" in page
    assert "Hank Hired" in page
    assert reverse("partnership:candidate-submit", kwargs={"requisition_pk": world.requisition.pk}) in (
        response.content.decode()
    )


def test_due_times_are_shown_in_the_viewers_own_zone(client, world):
    request = waiting_request(world.requisition, days_ago=1, due_in_hours=5)
    world.recruiter.time_zone = "Asia/Tokyo"
    world.recruiter.save()
    client.force_login(world.recruiter)
    page = text(client.get(_detail(world.requisition)))
    due = request.due_at.astimezone(world.recruiter.zone)
    assert f"due {due:%a} {due.day} {due:%b, %H:%M}" in page
    assert "Asia/Tokyo" in page


def test_recruiter_gets_only_the_legal_moves_for_each_candidate(client, world):
    at_review = submission(world.requisition, stage=Submission.Stage.HM_REVIEW)
    submission(world.requisition, stage=Submission.Stage.HIRED)
    client.force_login(world.recruiter)

    page = client.get(_detail(world.requisition)).content.decode()

    move_url = reverse("partnership:submission-move", kwargs={"pk": at_review.pk})
    form = page[page.index(f'action="{move_url}"') :]
    form = form[: form.index("</form>")]
    stages = form[form.index('name="stage"') :]
    stages = stages[: stages.index("</select>")]
    assert re.findall(r'<option value="(\w+)"', stages) == ["interview", "rejected", "withdrawn"]
    assert page.count('class="move-form"') == 1  # the hired one cannot move


def test_recruiter_gets_a_book_interview_link_once_slots_are_offered(client, world):
    slot = factories.AvailabilitySlotFactory(
        request__submission=submission(world.requisition, stage=Submission.Stage.INTERVIEW, name="Bo Book")
    )
    client.force_login(world.recruiter)
    page = client.get(_detail(world.requisition)).content.decode()
    assert reverse("feedback:availability-book", kwargs={"pk": slot.request.pk}) in page
    assert "1 slot offered" in page


def test_coverage_today_is_on_the_requisition_page(client, world):
    factories.AssignmentFactory(
        requisition=world.requisition, recruiter=world.idle_recruiter, role=Assignment.Role.BACKUP
    )
    factories.OutOfOfficeFactory(user=world.recruiter, backup=world.sourcer)
    client.force_login(world.account_manager)
    page = text(client.get(_detail(world.requisition)))
    assert "Covered by Ivan (covering for Rita)" in page
    assert "Primary recruiter: Rita" in page
    assert "Backup recruiter: Ivan" in page
    assert "Sourcer: Sam" in page


def test_hiring_manager_sees_their_requisition_without_move_buttons(client, world):
    request = waiting_request(world.requisition, days_ago=1, name="Rhea Review")
    client.force_login(world.hiring_manager)

    response = client.get(_detail(world.requisition))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Rhea Review" in page
    assert "move-form" not in page
    assert reverse("partnership:candidate-submit", kwargs={"requisition_pk": world.requisition.pk}) not in page
    assert reverse("feedback:feedback-respond", kwargs={"pk": request.pk}) in page
    assert "yours to answer" in text(response)


def test_client_admin_sees_the_pipeline_but_cannot_move_anyone(client, world):
    submission(world.requisition, name="Sue Submitted")
    client.force_login(world.client_admin)
    response = client.get(_detail(world.requisition))
    assert response.status_code == 200
    assert "Sue Submitted" in response.content.decode()
    assert "move-form" not in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "requisition"),
    [
        ("hiring_manager", "other_requisition"),
        ("globex_hiring_manager", "requisition"),
        ("globex_admin", "requisition"),
        ("client_admin", "globex_requisition"),
        ("recruiter", "globex_requisition"),
        ("account_manager", "globex_requisition"),
        ("idle_recruiter", "requisition"),
    ],
)
def test_a_requisition_out_of_reach_is_not_found(client, world, persona, requisition):
    client.force_login(getattr(world, persona))
    response = client.get(_detail(getattr(world, requisition)))
    assert response.status_code == 404
    assert getattr(world, requisition).title not in response.content.decode()


def test_an_unknown_requisition_is_not_found(client, world):
    client.force_login(world.provider_admin)
    assert client.get("/requisitions/999999/").status_code == 404


# --- Queries that do not grow with the data -------------------------------------------------------


def _requisitions_with_pipelines(world, how_many: int, *, start: int = 0):
    for number in range(start, start + how_many):
        requisition = _rita_also_primary_on(world, code=f"ACME-Q{number:03d}")
        submission(requisition, stage=Submission.Stage.INTERVIEW)
        waiting_request(requisition, days_ago=number % 7 + 1)


@pytest.mark.parametrize(
    "persona", ["recruiter", "account_manager", "client_admin", "provider_admin", "hiring_manager"]
)
def test_list_query_count_is_the_same_for_5_and_50_requisitions(client, world, persona):
    factories.OutOfOfficeFactory(user=world.idle_recruiter, backup=world.recruiter)
    _requisitions_with_pipelines(world, 5)
    client.force_login(getattr(world, persona))
    with_five = count_queries(client, LIST)

    _requisitions_with_pipelines(world, 45, start=5)
    with_fifty = count_queries(client, LIST)

    assert with_fifty == with_five


def _pipeline(world, how_many: int):
    for number in range(how_many):
        kind = number % 5
        if kind == 0:
            submission(world.requisition)
        elif kind == 1:
            waiting_request(world.requisition, days_ago=1)
        elif kind == 2:
            answered(requisition=world.requisition)
        elif kind == 3:
            factories.AvailabilitySlotFactory(
                request__submission=submission(world.requisition, stage=Submission.Stage.INTERVIEW)
            )
        else:
            factories.AvailabilityRequestFactory(
                submission=submission(world.requisition, stage=Submission.Stage.INTERVIEW), status=RequestStatus.OPEN
            )


@pytest.mark.parametrize("persona", ["recruiter", "hiring_manager", "account_manager", "client_admin"])
def test_detail_query_count_is_the_same_for_5_and_50_submissions(client, world, persona):
    _pipeline(world, 5)
    client.force_login(getattr(world, persona))
    with_five = count_queries(client, _detail(world.requisition))

    _pipeline(world, 45)
    with_fifty = count_queries(client, _detail(world.requisition))

    assert with_fifty == with_five
    assert Submission.objects.filter(requisition=world.requisition).count() == 50


def test_unscoped_bootstrap_admin_sees_every_requisition(client, world):
    admin = User.objects.create_superuser("root@example.com", "x", full_name="Root")
    client.force_login(admin)
    assert sorted(_codes(client.get(LIST).content.decode())) == ["ACME-1", "ACME-2", "GLX-1"]
