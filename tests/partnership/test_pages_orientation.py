"""Orientation notes: the client's admins and the account managers write them, every change is a new
version (who, what, when), and each recruiter and sourcer on the engagement marks the current
version as read; until they do, their requisition pages say "Orientation to read". The account
manager sees who has not read the latest version. Another client's orientation is a 404."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from engagements.models import Assignment, OrientationNote, OrientationNoteVersion, OrientationRead
from engagements.selectors import orientation_is_unread, orientation_readers
from engagements.services import orientation_mark_read, orientation_note_create, orientation_note_update
from tests import factories


def _url(engagement) -> str:
    return reverse("partnership:orientation", kwargs={"pk": engagement.pk})


@pytest.fixture
def note(world):
    return orientation_note_create(
        actor=world.client_admin,
        engagement=world.acme_engagement,
        topic=OrientationNote.Topic.CULTURE,
        title="What it is like to work at Acme",
        body="Small teams that own their product.\nHybrid: three days in the office.",
    )


def test_a_client_admin_writes_and_edits_a_note_and_each_change_is_a_version(client, world):
    client.force_login(world.client_admin)
    response = client.post(
        reverse("partnership:orientation-note-new", kwargs={"pk": world.acme_engagement.pk}),
        {"topic": "culture", "title": "Working at Acme", "body": "Small teams."},
    )
    assert response.status_code == 303
    written = OrientationNote.objects.get(title="Working at Acme")
    edit = reverse("partnership:orientation-note-edit", kwargs={"pk": written.pk})

    client.force_login(world.account_manager)
    response = client.post(
        edit, {"topic": "culture", "title": "Working at Acme", "body": "Small teams.\nOn-call 1 in 6."}
    )
    assert response.status_code == 303
    client.post(edit, {"topic": "culture", "title": "Working at Acme", "body": "Small teams.\nOn-call 1 in 6."})

    written.refresh_from_db()
    world.acme_engagement.refresh_from_db()
    assert written.version == 2
    assert world.acme_engagement.orientation_version == 2
    assert list(OrientationNoteVersion.objects.filter(note=written).values_list("number", "changed_by")) == [
        (2, world.account_manager.pk),
        (1, world.client_admin.pk),
    ]
    history = client.get(reverse("partnership:orientation-note-history", kwargs={"pk": written.pk})).content.decode()
    assert "Version 2" in history
    assert "Version 1" in history
    assert f"Changed by {world.account_manager.display_name}" in history
    assert f"Written by {world.client_admin.display_name}" in history
    assert "<ins>+ On-call 1 in 6.</ins>" in history


def test_a_note_without_a_title_or_body_is_refused_beside_the_field(client, world):
    client.force_login(world.account_manager)
    response = client.post(
        reverse("partnership:orientation-note-new", kwargs={"pk": world.acme_engagement.pk}),
        {"topic": "no_gos", "title": "", "body": " "},
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "Give the note a title." in page
    assert "Write what recruiters should know." in page
    assert not OrientationNote.objects.exists()


def test_a_recruiter_reads_notes_but_cannot_write_them(client, world, note):
    client.force_login(world.recruiter)

    page = client.get(_url(world.acme_engagement)).content.decode()
    assert "Small teams that own their product." in page
    assert "Add a note" not in page
    assert "Read by" not in page
    assert client.get(reverse("partnership:orientation-note-edit", kwargs={"pk": note.pk})).status_code == 403
    response = client.post(
        reverse("partnership:orientation-note-new", kwargs={"pk": world.acme_engagement.pk}),
        {"topic": "culture", "title": "Mine", "body": "Mine."},
    )
    assert response.status_code == 403
    assert client.post(reverse("partnership:orientation-note-delete", kwargs={"pk": note.pk})).status_code == 403
    assert OrientationNote.objects.count() == 1


def test_marking_as_read_holds_until_a_note_changes(client, world, note):
    client.force_login(world.recruiter)
    read_url = reverse("partnership:orientation-read", kwargs={"pk": world.acme_engagement.pk})
    assert "Mark as read" in client.get(_url(world.acme_engagement)).content.decode()

    assert client.post(read_url).status_code == 303
    assert client.post(read_url).status_code == 303  # a double click
    page = client.get(_url(world.acme_engagement)).content.decode()
    assert "You have read the latest version" in page
    assert OrientationRead.objects.get(user=world.recruiter).version == 1

    orientation_note_update(actor=world.client_admin, note=note, body="Small teams.\nFully remote on Fridays.")

    page = client.get(_url(world.acme_engagement)).content.decode()
    assert "Notes have changed since you last read them." in page
    assert "Mark as read" in page
    world.acme_engagement.refresh_from_db()
    assert orientation_is_unread(user=world.recruiter, engagement=world.acme_engagement)


def test_the_banner_shows_on_the_recruiters_requisition_pages_until_they_read(
    client, world, note, django_capture_on_commit_callbacks
):
    client.force_login(world.recruiter)
    detail = reverse("partnership:requisition-detail", kwargs={"pk": world.requisition.pk})
    listing = reverse("partnership:requisition-list")

    assert "Orientation to read" in client.get(detail).content.decode()
    assert "Orientation to read" in client.get(listing).content.decode()

    with django_capture_on_commit_callbacks(execute=True):  # the read bumps the engagement's version
        orientation_mark_read(user=world.recruiter, engagement=world.acme_engagement)

    assert "Orientation to read" not in client.get(detail).content.decode()
    assert "Orientation to read" not in client.get(listing).content.decode()


def test_no_banner_before_any_note_nor_for_those_who_are_not_recruiters(client, world):
    detail = reverse("partnership:requisition-detail", kwargs={"pk": world.requisition.pk})
    client.force_login(world.recruiter)
    assert "Orientation to read" not in client.get(detail).content.decode()

    orientation_note_create(actor=world.account_manager, engagement=world.acme_engagement, title="No-go's", body="x")
    for person in (world.account_manager, world.client_admin, world.hiring_manager):
        client.force_login(person)
        assert "Orientation to read" not in client.get(detail).content.decode()


def test_a_newly_assigned_recruiter_sees_the_banner(client, world, note):
    newcomer = factories.UserFactory(organization=world.provider, role="recruiter", full_name="Nina")
    factories.AssignmentFactory(requisition=world.other_requisition, recruiter=newcomer, role=Assignment.Role.PRIMARY)
    client.force_login(newcomer)

    page = client.get(reverse("partnership:requisition-detail", kwargs={"pk": world.other_requisition.pk}))

    assert "Orientation to read" in page.content.decode()


def test_the_requisition_page_asks_as_many_queries_with_or_without_the_banner(client, world, note):
    client.force_login(world.recruiter)
    detail = reverse("partnership:requisition-detail", kwargs={"pk": world.requisition.pk})
    client.get(detail)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            client.get(detail)
        return len(queries.captured_queries)

    unread = count()
    orientation_mark_read(user=world.recruiter, engagement=world.acme_engagement)
    for number in range(5):
        orientation_note_create(
            actor=world.account_manager, engagement=world.acme_engagement, title=f"Note {number}", body="More."
        )
    assert count() == unread


def test_the_account_manager_sees_who_has_not_read_the_latest_version(client, world, note):
    orientation_mark_read(user=world.recruiter, engagement=world.acme_engagement)
    client.force_login(world.account_manager)

    page = client.get(_url(world.acme_engagement)).content.decode()

    assert "1 of 2 have not read the latest version." in page
    readers = {reader.user: reader.has_read for reader in orientation_readers(engagement=world.acme_engagement)}
    # The idle recruiter (no assignment) and the Globex recruiter are not asked.
    assert readers == {world.recruiter: True, world.sourcer: False}

    orientation_mark_read(user=world.sourcer, engagement=world.acme_engagement)
    page = client.get(_url(world.acme_engagement)).content.decode()
    assert "Everyone on the engagement has read the latest version." in page


def test_another_clients_orientation_answers_404(client, world, note):
    client.force_login(world.globex_admin)

    assert client.get(_url(world.acme_engagement)).status_code == 404
    assert client.get(reverse("partnership:orientation-note-edit", kwargs={"pk": note.pk})).status_code == 404
    assert client.get(reverse("partnership:orientation-note-history", kwargs={"pk": note.pk})).status_code == 404
    assert client.post(reverse("partnership:orientation-note-delete", kwargs={"pk": note.pk})).status_code == 404
    client.force_login(world.globex_recruiter)
    read = client.post(reverse("partnership:orientation-read", kwargs={"pk": world.acme_engagement.pk}))
    assert read.status_code == 404
    assert not OrientationRead.objects.exists()


def test_the_orientation_page_asks_as_many_queries_for_2_or_12_readers(client, world, note):
    client.force_login(world.account_manager)
    url = _url(world.acme_engagement)
    client.get(url)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        return len(queries.captured_queries)

    few = count()
    for number in range(10):
        person = factories.UserFactory(organization=world.provider, role="sourcer", full_name=f"Sourcer {number}")
        factories.AssignmentFactory(requisition=world.requisition, recruiter=person, role=Assignment.Role.SOURCER)
        orientation_mark_read(user=person, engagement=world.acme_engagement)
    assert count() == few


def test_the_admin_saves_a_note_through_the_service_as_a_new_version(client, world, note):
    from accounts.models import User

    client.force_login(User.objects.create_superuser("root@example.com", "x", full_name="Root"))
    url = reverse("admin:engagements_orientationnote_change", args=[note.pk])
    assert client.get(url).status_code == 200

    response = client.post(
        url, {"topic": "culture", "title": note.title, "body": "Small teams.\nNew: a four-day week.", "_save": "Save"}
    )

    assert response.status_code == 302
    note.refresh_from_db()
    assert note.version == 2
    assert note.versions.count() == 2
    assert note.updated_by.email == "root@example.com"
