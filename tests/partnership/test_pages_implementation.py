"""The implementation checklist page: both sides' steps with progress; those who run the engagement
add, edit, move and delete steps; an owner marks their own step done; marking the last step done
offers to move the engagement to active (to those who may); another client's checklist is a 404."""

from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from engagements.implementation import implementation_checklist_create
from engagements.models import Engagement, ImplementationTask


@pytest.fixture
def checklist(world):
    engagement = world.acme_engagement
    Engagement.objects.filter(pk=engagement.pk).update(
        status=Engagement.Status.IMPLEMENTATION, started_on=date(2026, 1, 5)
    )
    engagement.refresh_from_db()
    implementation_checklist_create(engagement=engagement)
    return engagement


def _url(engagement) -> str:
    return reverse("partnership:implementation", kwargs={"pk": engagement.pk})


def _task(engagement, key) -> ImplementationTask:
    return engagement.implementation_tasks.get(key=key)


def test_the_client_admin_sees_every_step_with_its_side_owner_and_progress(client, world, checklist):
    implementation_checklist_create(engagement=checklist)
    ImplementationTask.objects.filter(engagement=checklist, key="kickoff").update(completed_at=timezone.now())
    client.force_login(world.client_admin)

    page = client.get(_url(checklist)).content.decode()

    assert "1 of 7 steps done" in page
    assert "Change-management plan, with an assessment of where resistance is expected" in page
    assert "Provider" in page
    assert "Client" in page
    assert world.account_manager.display_name in page
    assert "Next: SLA sign-off, due 12 Jan 2026" in page
    assert "Add a step" in page


def test_the_account_manager_adds_a_step_once_however_often_the_form_is_sent(client, world, checklist):
    client.force_login(world.account_manager)
    form = {
        "title": "Works council briefing",
        "owner_side": "client",
        "owner": world.client_admin.pk,
        "due_on": "2026-02-02",
        "notes": "Before the first hires in Germany.",
    }

    first = client.post(reverse("partnership:implementation-task-new", kwargs={"pk": checklist.pk}), form)
    second = client.post(reverse("partnership:implementation-task-new", kwargs={"pk": checklist.pk}), form)

    assert first.status_code == second.status_code == 303
    task = checklist.implementation_tasks.get(title="Works council briefing")
    assert (task.owner, task.owner_side, task.due_on) == (world.client_admin, "client", date(2026, 2, 2))
    assert task.next_step_at is not None
    page = client.get(first["Location"]).content.decode()
    assert "Step added: Works council briefing." in page
    assert "Before the first hires in Germany." in page


def test_an_owner_of_the_other_side_or_an_empty_title_is_refused_beside_the_field(client, world, checklist):
    client.force_login(world.account_manager)
    response = client.post(
        reverse("partnership:implementation-task-new", kwargs={"pk": checklist.pk}),
        {"title": " ", "owner_side": "client", "owner": world.recruiter.pk},
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "Give the task a short title." in page
    response = client.post(
        reverse("partnership:implementation-task-new", kwargs={"pk": checklist.pk}),
        {"title": "Floor plan", "owner_side": "client", "owner": world.recruiter.pk},
    )
    assert response.status_code == 400
    assert "Choose an active person of Acme, the side that owns the task." in response.content.decode()
    assert not checklist.implementation_tasks.filter(title="Floor plan").exists()


def test_the_account_manager_edits_and_moves_a_step(client, world, checklist):
    client.force_login(world.account_manager)
    task = _task(checklist, "sla_signoff")

    response = client.post(
        reverse("partnership:implementation-task-edit", kwargs={"pk": task.pk}),
        {"title": "SLA sign-off with legal", "owner_side": "client", "owner": world.client_admin.pk, "due_on": ""},
    )
    assert response.status_code == 303
    task.refresh_from_db()
    assert (task.title, task.owner, task.due_on, task.next_step_at) == (
        "SLA sign-off with legal",
        world.client_admin,
        None,
        None,
    )

    client.post(reverse("partnership:implementation-task-move", kwargs={"pk": task.pk}), {"direction": "up"})
    order = list(checklist.implementation_tasks.order_by("position").values_list("key", flat=True))
    assert order[:2] == ["sla_signoff", "kickoff"]


def test_a_recruiter_marks_their_own_step_done_but_changes_nothing_else(client, world, checklist):
    task = _task(checklist, "first_requisitions")
    ImplementationTask.objects.filter(pk=task.pk).update(owner=world.recruiter)
    other = _task(checklist, "kickoff")
    client.force_login(world.recruiter)

    page = client.get(_url(checklist)).content.decode()
    assert "Add a step" not in page
    assert page.count("Mark done") == 1

    assert client.post(reverse("partnership:implementation-task-done", kwargs={"pk": task.pk})).status_code == 303
    assert client.post(reverse("partnership:implementation-task-done", kwargs={"pk": other.pk})).status_code == 403
    assert client.get(reverse("partnership:implementation-task-edit", kwargs={"pk": task.pk})).status_code == 403
    assert client.post(reverse("partnership:implementation-task-delete", kwargs={"pk": task.pk})).status_code == 403
    task.refresh_from_db()
    other.refresh_from_db()
    assert (task.completed_by, other.completed_at) == (world.recruiter, None)


def test_marking_a_done_step_done_again_changes_nothing_and_says_so(client, world, checklist):
    client.force_login(world.client_admin)
    task = _task(checklist, "sla_signoff")
    url = reverse("partnership:implementation-task-done", kwargs={"pk": task.pk})

    client.post(url)
    task.refresh_from_db()
    done_at = task.completed_at
    response = client.post(url, follow=True)

    task.refresh_from_db()
    assert task.completed_at == done_at
    assert "was already done: nothing changed." in response.content.decode()


def test_marking_the_last_step_done_offers_to_move_the_engagement_to_active(client, world, checklist):
    last = _task(checklist, "thirty_day_review")
    checklist.implementation_tasks.exclude(pk=last.pk).update(completed_at=timezone.now())
    client.force_login(world.account_manager)

    response = client.post(reverse("partnership:implementation-task-done", kwargs={"pk": last.pk}), follow=True)

    page = response.content.decode()
    assert "every step of the checklist. The engagement can move to active now." in page
    assert "Move the engagement to active" in page
    response = client.post(reverse("partnership:implementation-activate", kwargs={"pk": checklist.pk}))
    assert response.status_code == 303
    checklist.refresh_from_db()
    assert checklist.status == Engagement.Status.ACTIVE
    assert "Move the engagement to active" not in client.get(_url(checklist)).content.decode()


def test_the_client_admin_finishing_the_checklist_is_not_offered_what_only_the_provider_may_do(
    client, world, checklist
):
    last = _task(checklist, "thirty_day_review")
    checklist.implementation_tasks.exclude(pk=last.pk).update(completed_at=timezone.now())
    client.force_login(world.client_admin)

    page = client.post(reverse("partnership:implementation-task-done", kwargs={"pk": last.pk}), follow=True)

    assert "The engagement's account managers can now move it to active." in page.content.decode()
    assert "Move the engagement to active" not in page.content.decode()
    assert client.post(reverse("partnership:implementation-activate", kwargs={"pk": checklist.pk})).status_code == 403
    checklist.refresh_from_db()
    assert checklist.status == Engagement.Status.IMPLEMENTATION


def test_another_clients_checklist_and_steps_answer_404(client, world, checklist):
    task = _task(checklist, "kickoff")
    client.force_login(world.globex_admin)

    assert client.get(_url(checklist)).status_code == 404
    assert client.post(reverse("partnership:implementation-task-done", kwargs={"pk": task.pk})).status_code == 404
    assert client.get(reverse("partnership:implementation-task-edit", kwargs={"pk": task.pk})).status_code == 404
    assert client.post(reverse("partnership:implementation-activate", kwargs={"pk": checklist.pk})).status_code == 404
    task.refresh_from_db()
    assert task.completed_at is None


def test_the_engagement_page_shows_progress_while_in_implementation(client, world, checklist):
    _task(checklist, "kickoff").__class__.objects.filter(engagement=checklist, key="kickoff").update(
        completed_at=timezone.now()
    )
    client.force_login(world.account_manager)
    url = reverse("partnership:engagement-detail", kwargs={"pk": checklist.pk})

    page = client.get(url).content.decode()
    assert "1 of 7 steps done" in page
    assert "Next: SLA sign-off" in page

    Engagement.objects.filter(pk=checklist.pk).update(status=Engagement.Status.ACTIVE)
    cache.clear()
    page = client.get(url).content.decode()
    assert "steps done" not in page
    assert "Implementation checklist" in page


def test_the_engagement_page_asks_as_many_queries_for_7_or_30_steps(client, world, checklist):
    client.force_login(world.account_manager)
    url = reverse("partnership:engagement-detail", kwargs={"pk": checklist.pk})
    client.get(url)

    def count() -> int:
        cache.clear()
        client.force_login(world.account_manager)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries.captured_queries)

    few = count()
    ImplementationTask.objects.bulk_create(
        ImplementationTask(engagement=checklist, title=f"Step {number}", due_on=date(2026, 3, 1) + timedelta(number))
        for number in range(23)
    )
    assert count() == few


def test_the_checklist_page_asks_as_many_queries_for_7_or_30_steps(client, world, checklist):
    client.force_login(world.client_admin)
    client.get(_url(checklist))

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_url(checklist)).status_code == 200
        return len(queries.captured_queries)

    few = count()
    ImplementationTask.objects.bulk_create(
        ImplementationTask(engagement=checklist, title=f"Step {number}", owner=world.client_admin, owner_side="client")
        for number in range(23)
    )
    assert count() == few
