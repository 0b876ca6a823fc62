"""Anyone on an engagement records a win and thanks people on either side: each person thanked gets a
thank-you email, and their manager where the portal knows them hears of it, everyone once. The
record-a-win page answers bad input beside the fields, and a double click records one win."""

from datetime import UTC, datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partnership.models import PartnershipItem, SuggestedWin
from partnership.wins import WIN_EMAIL, win_record
from rpo_portal.models import OutboundEmail
from tests import factories

NOW = datetime(2026, 3, 18, 15, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(NOW, tick=False)


def _record(world, actor, thanked, **kwargs):
    return win_record(
        actor=actor,
        engagement=world.acme_engagement,
        title=kwargs.pop("title", "Two hires in one week"),
        what_happened=kwargs.pop("what_happened", "Both offers accepted on Friday."),
        thanked=thanked,
        **kwargs,
    )


def _recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def test_the_people_thanked_and_their_managers_each_hear_once(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        win, created = _record(world, world.client_admin, [world.recruiter, world.sourcer, world.hiring_manager])

    assert created
    assert set(win.thanked.all()) == {world.recruiter, world.sourcer, world.hiring_manager}
    # The recruiter's and sourcer's manager: the account manager, told once for both. The hiring
    # manager's: the client's admins, but the admin recorded the win, so is not told as a manager.
    assert _recipients() == sorted(
        [world.recruiter.email, world.sourcer.email, world.hiring_manager.email, world.account_manager.email]
    )
    thanks = next(message for message in mail.outbox if message.to == [world.recruiter.email])
    assert thanks.subject.startswith("Thank you")
    assert "Thank you!" in thanks.body
    assert "Both offers accepted on Friday." in thanks.body
    assert "Good job" not in thanks.body
    assert "vendor" not in thanks.body.lower()
    manager_note = next(message for message in mail.outbox if message.to == [world.account_manager.email])
    assert "Rita and Sam" in manager_note.subject or "Rita and Sam" in manager_note.body
    assert OutboundEmail.objects.filter(kind=WIN_EMAIL, status=OutboundEmail.Status.SENT).count() == 4


def test_a_hiring_managers_manager_is_the_escalation_contact_when_there_is_one(
    world, django_capture_on_commit_callbacks
):
    champion = factories.UserFactory(organization=world.acme, role="client_admin", email="champion@acme.example")
    world.acme_engagement.escalation_contact = world.other_hiring_manager
    world.acme_engagement.save(update_fields=["escalation_contact"])

    with django_capture_on_commit_callbacks(execute=True):
        _record(world, world.account_manager, [world.hiring_manager])

    assert _recipients() == sorted([world.hiring_manager.email, world.other_hiring_manager.email])
    assert champion.email not in _recipients()


def test_a_manager_who_is_thanked_too_hears_once_as_thanked(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _record(world, world.recruiter, [world.hiring_manager, world.client_admin, world.account_manager])

    assert _recipients() == sorted([world.hiring_manager.email, world.client_admin.email, world.account_manager.email])
    to_admin = [message for message in mail.outbox if message.to == [world.client_admin.email]]
    assert len(to_admin) == 1
    assert to_admin[0].subject.startswith("Thank you")


def test_the_actor_may_thank_themselves_but_is_never_told_as_a_manager(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _record(world, world.account_manager, [world.account_manager, world.recruiter])

    assert _recipients() == sorted([world.account_manager.email, world.recruiter.email])


def test_only_people_on_the_engagement_can_be_thanked(world):
    with pytest.raises(ValidationError) as refused:
        _record(world, world.account_manager, [world.globex_hiring_manager, world.idle_recruiter])

    assert "thanked" in refused.value.message_dict
    assert not PartnershipItem.objects.exists()
    assert not OutboundEmail.objects.exists()


def test_the_same_win_sent_twice_is_recorded_once(world):
    first, created = _record(world, world.account_manager, [world.recruiter])
    second, created_again = _record(world, world.account_manager, [world.recruiter])

    assert created
    assert not created_again
    assert first == second
    assert PartnershipItem.objects.filter(kind="win").count() == 1
    assert OutboundEmail.objects.filter(kind=WIN_EMAIL).count() == 1


# --- The page ---------------------------------------------------------------------------------------


def _page(engagement):
    return reverse("partnership:win-new", kwargs={"pk": engagement.pk})


def test_the_form_offers_the_people_of_both_sides_grouped(client, world):
    client.force_login(world.account_manager)
    page = client.get(_page(world.acme_engagement)).content.decode()

    assert "Talentbridge RPO (provider)" in page
    assert "Acme (client)" in page
    assert page.index("Rita") < page.index("Acme (client)") < page.index(world.hiring_manager.display_name)
    assert "Greta" not in page
    assert world.globex_hiring_manager.display_name not in page


def test_a_win_without_a_title_or_anyone_to_thank_is_refused_beside_the_fields(client, world):
    client.force_login(world.account_manager)
    response = client.post(_page(world.acme_engagement), {"title": "", "what_happened": "Great week."})

    assert response.status_code == 400
    page = response.content.decode()
    assert "Give the win a title" in page
    assert "Choose at least one person to thank." in page
    assert not PartnershipItem.objects.exists()


def test_recording_a_win_on_the_page_redirects_and_a_double_click_makes_one_win(client, world):
    client.force_login(world.account_manager)
    form = {
        "title": "Offer accepted in a day",
        "what_happened": "The candidate said yes the morning after.",
        "thanked": [str(world.recruiter.pk), str(world.hiring_manager.pk)],
    }
    first = client.post(_page(world.acme_engagement), form)
    second = client.post(_page(world.acme_engagement), form)

    assert first.status_code == second.status_code == 303
    assert first["Location"].startswith(
        reverse("partnership:engagement-detail", kwargs={"pk": world.acme_engagement.pk})
    )
    assert PartnershipItem.objects.filter(kind="win").count() == 1
    page = client.get(first["Location"]).content.decode()
    assert "was already recorded" in page
    assert "Offer accepted in a day" in page


def test_a_hiring_manager_records_a_win_and_returns_to_their_inbox(client, world):
    client.force_login(world.hiring_manager)
    response = client.post(
        _page(world.acme_engagement),
        {"title": "Great shortlist", "what_happened": "Three strong candidates.", "thanked": [str(world.recruiter.pk)]},
    )

    assert response.status_code == 303
    assert response["Location"] == reverse("feedback:inbox")
    assert PartnershipItem.objects.get(kind="win").raised_by == world.hiring_manager


def test_another_clients_engagement_has_no_win_page(client, world):
    client.force_login(world.globex_admin)
    assert client.get(_page(world.acme_engagement)).status_code == 404
    assert client.post(_page(world.acme_engagement), {"title": "x"}).status_code == 404


# --- The engagement page ------------------------------------------------------------------------------


def _wins(world, count):
    """Wins with the people thanked, and as many suggestions still offered."""
    start = PartnershipItem.objects.count()
    for number in range(start, start + count):
        suggestion = SuggestedWin.objects.create(
            engagement=world.acme_engagement,
            source=SuggestedWin.Source.ISSUE_RESOLVED,
            key=f"issue-resolved:{number}",
            title=f"Suggestion number {number}",
            what_happened="Resolved together.",
        )
        suggestion.people.set([world.hiring_manager])
        win = PartnershipItem.objects.create(
            kind="win",
            engagement=world.acme_engagement,
            title=f"Win number {number}",
            what_happened="It went well.",
            status="",
            raised_by=world.client_admin,
        )
        win.thanked.set([world.recruiter, world.hiring_manager])


def _count(client, url) -> int:
    from django.core.cache import cache

    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries)


def test_the_engagement_page_shows_wins_and_suggestions_in_as_many_queries_for_50_as_for_5(client, world):
    url = reverse("partnership:engagement-detail", kwargs={"pk": world.acme_engagement.pk})
    client.force_login(world.account_manager)
    _wins(world, 5)
    client.get(url)

    few = _count(client, url)
    _wins(world, 45)
    many = _count(client, url)

    assert many == few
    page = client.get(url).content.decode()
    assert "Recent wins" in page
    assert page.count("Win number") == 5
    assert "Suggestion number 49" in page
    assert "Thank you, " in page
    assert "Rita" in page
