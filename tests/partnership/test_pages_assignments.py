"""The assignment pages (issue 12): an account manager assigns, ends and swaps recruiters in the
browser with the services' rules, and sees who covers each requisition today.

Personas (tests/conftest.py): Alma manages Acme; Rita is primary on ACME-1 and Sam its sourcer;
Ivan is idle until made backup here; Greta works only for Globex."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from engagements.models import Assignment
from engagements.selectors import requisition_covering_recruiter, requisition_teams
from tests import factories

Role = Assignment.Role
NOW = datetime(2026, 3, 11, 15, 0, tzinfo=UTC)
TODAY = date(2026, 3, 11)


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def backed_up(world):
    """ACME-1 with Ivan as backup: Rita primary, Ivan backup, Sam sourcer."""
    factories.AssignmentFactory(requisition=world.requisition, recruiter=world.idle_recruiter, role=Role.BACKUP)
    return world.requisition


def _engagement_url(engagement) -> str:
    return reverse("partnership:engagement-assignments", kwargs={"pk": engagement.pk})


def _requisition_url(requisition) -> str:
    return reverse("partnership:requisition-assignments", kwargs={"pk": requisition.pk})


def _swap_url(requisition) -> str:
    return reverse("partnership:assignment-swap", kwargs={"pk": requisition.pk})


def _end_url(assignment) -> str:
    return reverse("partnership:assignment-end", kwargs={"pk": assignment.pk})


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _team(requisition) -> tuple:
    team = requisition_teams(requisition_ids=[requisition.pk])[requisition.pk]
    return (
        team.primary.recruiter if team.primary else None,
        team.backup.recruiter if team.backup else None,
    )


def _field_block(page: str, field_id: str) -> str:
    """The HTML of one form field's block (label, input, errors), to check an error sits beside it."""
    start = page.index(f'for="{field_id}"')
    end = page.index('<div class="field', start) if '<div class="field' in page[start:] else len(page)
    return page[start:end]


# --- Who sees what ---------------------------------------------------------------------------------


def test_account_manager_sees_every_open_requisition_with_its_team_and_todays_cover(client, world, backed_up):
    factories.OutOfOfficeFactory(user=world.recruiter, backup=world.sourcer, starts_at=NOW - timedelta(days=1))
    client.force_login(world.account_manager)

    response = client.get(_engagement_url(world.acme_engagement))

    assert response.status_code == 200
    page = response.content.decode()
    assert "ACME-1" in page
    assert "ACME-2" in page
    assert "GLX-1" not in page
    row = page[page.index('data-requisition="ACME-1"') : page.index("</tr>", page.index('data-requisition="ACME-1"'))]
    assert "Rita" in row
    assert "Ivan" in row
    assert "Sam" in row
    # Rita is away: her requisition's own backup, Ivan, covers it.
    assert "Primary away" in row
    assert "Ivan" in row[row.index('class="covering"') :]
    assert f'action="{_swap_url(world.requisition)}"' in row
    assert 'class="table-scroll"' in page
    assert 'id="id_primary"' not in page  # one swap form per row, no duplicate ids


def test_the_engagement_and_requisition_pages_link_to_the_assignments(client, world):
    client.force_login(world.account_manager)
    engagement_page = client.get(reverse("partnership:engagement-detail", kwargs={"pk": world.acme_engagement.pk}))
    assert _engagement_url(world.acme_engagement) in engagement_page.content.decode()
    requisition_page = client.get(reverse("partnership:requisition-detail", kwargs={"pk": world.requisition.pk}))
    assert _requisition_url(world.requisition) in requisition_page.content.decode()


def test_the_client_admin_gets_no_link_to_the_assignments(client, world):
    client.force_login(world.client_admin)
    page = client.get(reverse("partnership:engagement-detail", kwargs={"pk": world.acme_engagement.pk}))
    assert page.status_code == 200
    assert _engagement_url(world.acme_engagement) not in page.content.decode()


def test_a_recruiter_reads_the_pages_without_forms(client, world, backed_up):
    client.force_login(world.recruiter)

    engagement_page = client.get(_engagement_url(world.acme_engagement))
    requisition_page = client.get(_requisition_url(world.requisition))

    assert engagement_page.status_code == requisition_page.status_code == 200
    for page in (engagement_page.content.decode(), requisition_page.content.decode()):
        assert '<form method="post" action="/requisitions/' not in page
        assert "account managers change assignments" in page
    assert "Rita" in requisition_page.content.decode()


@pytest.mark.parametrize("persona", ["client_admin", "hiring_manager"])
def test_client_users_who_see_the_engagement_are_refused_with_403(client, world, persona):
    client.force_login(getattr(world, persona))
    for url in (_engagement_url(world.acme_engagement), _requisition_url(world.requisition)):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "arranged by the provider" in response.content.decode()


def test_a_hiring_manager_gets_404_for_a_requisition_they_do_not_manage(client, world):
    client.force_login(world.hiring_manager)
    assert client.get(_requisition_url(world.other_requisition)).status_code == 404


@pytest.mark.parametrize("persona", ["globex_admin", "globex_hiring_manager", "globex_recruiter", "idle_recruiter"])
def test_people_outside_the_engagement_get_404(client, world, persona):
    assignment = world.requisition.assignments.get(role=Role.PRIMARY)
    client.force_login(getattr(world, persona))
    assert client.get(_engagement_url(world.acme_engagement)).status_code == 404
    assert client.get(_requisition_url(world.requisition)).status_code == 404
    assert client.post(_end_url(assignment), {}).status_code == 404
    assert client.post(_swap_url(world.requisition), {}).status_code == 404
    assert assignment.requisition.assignments.filter(ends_on__isnull=False).count() == 0


def test_signed_out_visitors_are_sent_to_log_in(client, world):
    response = client.get(_engagement_url(world.acme_engagement))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


# --- Assign ----------------------------------------------------------------------------------------


def test_account_manager_assigns_a_backup_and_is_redirected_with_a_message(client, world):
    client.force_login(world.account_manager)

    response = client.post(
        _requisition_url(world.requisition),
        {"assign-recruiter": world.idle_recruiter.pk, "assign-role": Role.BACKUP},
    )

    assert response.status_code == 303
    assert response["Location"] == _requisition_url(world.requisition)
    assignment = world.requisition.assignments.get(recruiter=world.idle_recruiter)
    assert (assignment.role, assignment.starts_on, assignment.ends_on) == (Role.BACKUP, TODAY, None)
    assert _messages(response) == ["Ivan is assigned to ACME-1 as backup recruiter from today."]


def test_a_second_primary_is_refused_beside_the_role_with_400(client, world):
    client.force_login(world.account_manager)

    response = client.post(
        _requisition_url(world.requisition),
        {"assign-recruiter": world.idle_recruiter.pk, "assign-role": Role.PRIMARY},
    )

    assert response.status_code == 400
    page = response.content.decode()
    role_block = _field_block(page, "id_assign-role")
    assert "already has a primary recruiter" in role_block
    # The form comes back as typed.
    assert f'<option value="{world.idle_recruiter.pk}" selected>' in page
    assert _team(world.requisition) == (world.recruiter, None)


def test_an_overlapping_dated_primary_is_refused_but_a_handover_is_accepted(client, world):
    client.force_login(world.account_manager)
    primary = world.requisition.assignments.get(role=Role.PRIMARY)
    primary.ends_on = date(2026, 3, 31)
    primary.save(update_fields=["ends_on"])
    data = {"assign-recruiter": world.idle_recruiter.pk, "assign-role": Role.PRIMARY}

    overlapping = client.post(_requisition_url(world.requisition), {**data, "assign-starts_on": "2026-03-20"})
    handover = client.post(_requisition_url(world.requisition), {**data, "assign-starts_on": "2026-03-31"})

    assert overlapping.status_code == 400
    assert "already has a primary recruiter for that period" in overlapping.content.decode()
    assert handover.status_code == 303
    assert world.requisition.assignments.filter(role=Role.PRIMARY).count() == 2


@pytest.mark.parametrize(
    ("data", "field_id", "message"),
    [
        ({"assign-role": Role.BACKUP}, "id_assign-recruiter", "Choose who to assign."),
        ({"assign-recruiter": "9999999", "assign-role": Role.BACKUP}, "id_assign-recruiter", "Choose someone"),
        ({"assign-recruiter": "abc", "assign-role": "boss"}, "id_assign-role", "Choose a role from the list."),
        (
            {"assign-recruiter": "IVAN", "assign-role": Role.BACKUP, "assign-starts_on": "31/31/2026"},
            "id_assign-starts_on",
            "Enter a date like",
        ),
        (
            {
                "assign-recruiter": "IVAN",
                "assign-role": Role.BACKUP,
                "assign-starts_on": "2026-03-20",
                "assign-ends_on": "2026-03-10",
            },
            "id_assign-ends_on",
            "",
        ),
    ],
)
def test_bad_input_is_refused_beside_its_field_with_400_never_500(client, world, data, field_id, message):
    data = {key: str(world.idle_recruiter.pk) if value == "IVAN" else value for key, value in data.items()}
    client.force_login(world.account_manager)

    response = client.post(_requisition_url(world.requisition), data)

    assert response.status_code == 400
    page = response.content.decode()
    assert 'class="errorlist' in page
    if message:
        assert message in _field_block(page, field_id)
    assert not world.requisition.assignments.filter(recruiter=world.idle_recruiter).exists()


def test_someone_outside_the_provider_cannot_be_chosen(client, world):
    client.force_login(world.account_manager)
    response = client.post(
        _requisition_url(world.requisition), {"assign-recruiter": world.hiring_manager.pk, "assign-role": Role.BACKUP}
    )
    assert response.status_code == 400
    assert f'value="{world.hiring_manager.pk}"' not in response.content.decode()
    assert not world.requisition.assignments.filter(recruiter=world.hiring_manager).exists()


def test_a_recruiter_cannot_assign(client, world):
    client.force_login(world.recruiter)
    response = client.post(
        _requisition_url(world.requisition), {"assign-recruiter": world.idle_recruiter.pk, "assign-role": Role.BACKUP}
    )
    assert response.status_code == 403
    assert not world.requisition.assignments.filter(recruiter=world.idle_recruiter).exists()


def test_the_provider_admin_assigns_too(client, world):
    client.force_login(world.provider_admin)
    response = client.post(
        _requisition_url(world.globex_requisition),
        {"assign-recruiter": world.idle_recruiter.pk, "assign-role": Role.SOURCER},
    )
    assert response.status_code == 303
    assert world.globex_requisition.assignments.filter(recruiter=world.idle_recruiter, role=Role.SOURCER).exists()


# --- End -------------------------------------------------------------------------------------------


def test_account_manager_ends_an_assignment_today_by_default(client, world):
    sourcing = world.requisition.assignments.get(role=Role.SOURCER)
    client.force_login(world.account_manager)

    response = client.post(_end_url(sourcing), {f"end-{sourcing.pk}-ends_on": ""})

    assert response.status_code == 303
    assert response["Location"] == _requisition_url(world.requisition)
    sourcing.refresh_from_db()
    assert sourcing.ends_on == TODAY
    assert _messages(response) == ["Sam's assignment as sourcer on ACME-1 ends on 11 Mar 2026 (their last day)."]


def test_ending_before_the_start_is_refused_beside_the_date_with_400(client, world):
    sourcing = world.requisition.assignments.get(role=Role.SOURCER)
    client.force_login(world.account_manager)

    response = client.post(_end_url(sourcing), {f"end-{sourcing.pk}-ends_on": "2026-02-01"})

    assert response.status_code == 400
    page = response.content.decode()
    field = page.index(f'id="id_end-{sourcing.pk}-ends_on"')
    assert "cannot end before it starts" in page[field : page.index("</form>", field)]
    sourcing.refresh_from_db()
    assert sourcing.ends_on is None


def test_an_ended_assignment_moves_to_the_ended_list(client, world):
    sourcing = world.requisition.assignments.get(role=Role.SOURCER)
    sourcing.ends_on = TODAY - timedelta(days=1)
    sourcing.save(update_fields=["ends_on"])
    client.force_login(world.account_manager)

    page = client.get(_requisition_url(world.requisition)).content.decode()

    ended = page[page.index('id="past-title"') :]
    assert "Sam" in ended
    assert "10 Mar 2026" in ended
    assert _end_url(sourcing) not in page


def test_a_recruiter_cannot_end_an_assignment(client, world):
    sourcing = world.requisition.assignments.get(role=Role.SOURCER)
    client.force_login(world.recruiter)
    assert client.post(_end_url(sourcing), {}).status_code == 403
    sourcing.refresh_from_db()
    assert sourcing.ends_on is None


# --- Swap ------------------------------------------------------------------------------------------


def _swap_data(primary, backup, **extra) -> dict:
    return {"primary": str(primary.pk), "backup": str(backup.pk), **extra}


def test_account_manager_swaps_primary_and_backup_and_the_cover_changes(client, world, backed_up):
    client.force_login(world.account_manager)

    response = client.post(_swap_url(backed_up), _swap_data(world.recruiter, world.idle_recruiter))

    assert response.status_code == 303
    assert response["Location"] == _requisition_url(backed_up)
    assert _team(backed_up) == (world.idle_recruiter, world.recruiter)
    assert requisition_covering_recruiter(requisition=backed_up) == world.idle_recruiter
    assert _messages(response) == ["ACME-1: Ivan is now the primary recruiter and Rita the backup, from today."]
    page = client.get(_requisition_url(backed_up)).content.decode()
    assert "Handed over today" in page
    assert "Covered by <strong>Ivan</strong>" in page


def test_after_a_swap_the_requisition_page_lists_one_primary_and_one_backup(client, world, backed_up):
    client.force_login(world.account_manager)
    client.post(_swap_url(backed_up), _swap_data(world.recruiter, world.idle_recruiter))

    page = client.get(reverse("partnership:requisition-detail", kwargs={"pk": backed_up.pk})).content.decode()

    team = page[page.index('<ul class="team">') : page.index("</ul>", page.index('<ul class="team">'))]
    assert team.count("Primary recruiter") == 1
    assert "Primary recruiter: Ivan" in team
    assert "Backup recruiter: Rita" in team


def test_two_backups_at_once_are_both_current_and_a_swap_takes_the_newest(client, world, backed_up):
    older = factories.AssignmentFactory(
        requisition=backed_up, recruiter=world.globex_recruiter, role=Role.BACKUP, starts_on=TODAY - timedelta(days=90)
    )
    client.force_login(world.account_manager)

    page = client.get(_requisition_url(backed_up)).content.decode()
    current = page[page.index('id="current-title"') : page.index('id="assign-title"')]
    assert "Greta" in current
    assert "Handed over" not in page
    row_start = client.get(_engagement_url(world.acme_engagement)).content.decode()
    row = row_start[row_start.index('data-requisition="ACME-1"') :]
    assert "Ivan, Greta" in row[: row.index("</tr>")]

    client.post(_swap_url(backed_up), _swap_data(world.recruiter, world.idle_recruiter))

    team = requisition_teams(requisition_ids=[backed_up.pk])[backed_up.pk]
    assert team.primary.recruiter == world.idle_recruiter
    assert [backup.recruiter for backup in team.backups] == [world.recruiter, world.globex_recruiter]
    older.refresh_from_db()
    assert older.ends_on is None


def test_a_double_click_on_swap_does_not_swap_back(client, world, backed_up):
    client.force_login(world.account_manager)
    data = _swap_data(world.recruiter, world.idle_recruiter)

    first = client.post(_swap_url(backed_up), data)
    second = client.post(_swap_url(backed_up), data)

    assert first.status_code == 303
    assert second.status_code == 400
    page = second.content.decode()
    assert "Nothing was swapped: the primary recruiter is now Ivan and the backup Rita." in page
    assert _team(backed_up) == (world.idle_recruiter, world.recruiter)
    # The form shown now carries who holds the roles now: sending it swaps them back on purpose.
    assert f'name="primary" value="{world.idle_recruiter.pk}"' in page


def test_swap_from_the_engagement_page_returns_there(client, world, backed_up):
    client.force_login(world.account_manager)
    back = _engagement_url(world.acme_engagement) + "?page=1"

    response = client.post(_swap_url(backed_up), _swap_data(world.recruiter, world.idle_recruiter, next=back))

    assert response.status_code == 303
    assert response["Location"] == back


def test_swap_never_redirects_off_the_site(client, world, backed_up):
    client.force_login(world.account_manager)
    response = client.post(
        _swap_url(backed_up), _swap_data(world.recruiter, world.idle_recruiter, next="https://evil.example/")
    )
    assert response["Location"] == _requisition_url(backed_up)


@pytest.mark.parametrize("data", [{}, {"primary": "x", "backup": "1"}, {"primary": "99999999", "backup": "1"}])
def test_a_garbled_swap_is_refused_with_400(client, world, backed_up, data):
    client.force_login(world.account_manager)
    response = client.post(_swap_url(backed_up), data)
    assert response.status_code == 400
    assert "Nothing was swapped" in response.content.decode()
    assert _team(backed_up) == (world.recruiter, world.idle_recruiter)


def test_a_requisition_without_a_backup_offers_no_swap_and_refuses_one(client, world):
    client.force_login(world.account_manager)
    page = client.get(_requisition_url(world.requisition)).content.decode()
    assert _swap_url(world.requisition) not in page

    response = client.post(_swap_url(world.requisition), _swap_data(world.recruiter, world.sourcer))

    assert response.status_code == 400
    assert "no backup recruiter" in response.content.decode()


def test_a_recruiter_cannot_swap(client, world, backed_up):
    client.force_login(world.recruiter)
    response = client.post(_swap_url(backed_up), _swap_data(world.recruiter, world.idle_recruiter))
    assert response.status_code == 403
    assert _team(backed_up) == (world.recruiter, world.idle_recruiter)


# --- The same number of queries however much there is ---------------------------------------------


def _staff_requisitions(world, count: int) -> None:
    """Requisitions each with a primary (some away), a backup and a sourcer."""
    away = factories.UserFactory(organization=world.provider, role="recruiter", full_name="Aya")
    factories.OutOfOfficeFactory(user=away, backup=world.sourcer, starts_at=NOW - timedelta(days=1))
    for number in range(count):
        requisition = factories.RequisitionFactory(
            engagement=world.acme_engagement, hiring_manager=world.hiring_manager
        )
        primary = away if number % 3 == 0 else world.recruiter
        factories.AssignmentFactory(requisition=requisition, recruiter=primary, role=Role.PRIMARY)
        factories.AssignmentFactory(requisition=requisition, recruiter=world.idle_recruiter, role=Role.BACKUP)
        factories.AssignmentFactory(requisition=requisition, recruiter=world.sourcer, role=Role.SOURCER)


ENGAGEMENT_PAGE_QUERIES = 11  # session, user, engagement, its managers, count, page, team, coverage (2), savepoints


def test_the_engagement_page_asks_the_same_number_of_queries_for_3_or_40_requisitions(
    client, world, django_assert_max_num_queries
):
    client.force_login(world.account_manager)
    url = _engagement_url(world.acme_engagement)
    _staff_requisitions(world, 3)
    client.get(url)  # warm the session

    with django_assert_max_num_queries(ENGAGEMENT_PAGE_QUERIES) as few:
        assert client.get(url).status_code == 200
    _staff_requisitions(world, 37)
    with django_assert_max_num_queries(ENGAGEMENT_PAGE_QUERIES) as many:
        response = client.get(url)

    assert response.status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)
    page = response.content.decode()
    assert "42 requisitions, page 1 of 2" in page
    assert 'rel="next"' in page


REQUISITION_PAGE_QUERIES = 11  # session, user, requisition, managers, team, coverage (2), assignments, people


def test_the_requisition_page_asks_the_same_number_of_queries_for_3_or_30_assignments(
    client, world, django_assert_max_num_queries
):
    client.force_login(world.account_manager)
    url = _requisition_url(world.requisition)
    client.get(url)

    with django_assert_max_num_queries(REQUISITION_PAGE_QUERIES) as few:
        assert client.get(url).status_code == 200
    for number in range(27):
        starts_on = date(2024, 1, 1) + timedelta(days=20 * number)
        factories.AssignmentFactory(
            requisition=world.requisition,
            role=Role.BACKUP,
            starts_on=starts_on,
            ends_on=starts_on + timedelta(days=10),
        )
    with django_assert_max_num_queries(REQUISITION_PAGE_QUERIES) as many:
        response = client.get(url)

    assert response.status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)
    assert response.content.decode().count("Backup recruiter") >= 27
