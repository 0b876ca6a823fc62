"""The inbox: what is asked of me and still open, soonest first, in my time zone."""

import re
import zoneinfo
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from engagements.models import Submission
from engagements.services import submission_change_stage
from feedback.models import FeedbackRequest
from feedback.services import availability_request_open, feedback_respond
from tests import factories

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
INBOX = "/inbox/"


def _ask(world, *, requisition=None, name=None) -> FeedbackRequest:
    submission = factories.SubmissionFactory(
        requisition=requisition or world.requisition, **({"candidate__full_name": name} if name else {})
    )
    submission_change_stage(submission=submission, to_stage=Submission.Stage.HM_REVIEW, actor=world.recruiter)
    return FeedbackRequest.objects.get(submission=submission)


def _shown(moment, zone) -> str:
    local = moment.astimezone(zone)
    return f"{local:%a} {local.day} {local:%b, %H:%M}"


def test_hiring_manager_lands_on_the_inbox_which_is_in_the_top_bar(client, world):
    assert reverse("feedback:inbox") == INBOX
    client.force_login(world.hiring_manager)
    home = client.get("/", follow=True)
    assert home.redirect_chain[-1][0] == INBOX
    assert f'href="{INBOX}"' in home.content.decode()


def test_hiring_manager_sees_only_their_open_requests(client, world):
    mine = _ask(world, name="Mine Open")
    answered = _ask(world, name="Mine Answered")
    feedback_respond(feedback_request=answered, actor=world.hiring_manager, decision="hold", rating=3)
    _ask(world, requisition=world.other_requisition, name="Someone Elses")
    _ask(world, requisition=world.globex_requisition, name="Other Client")
    client.force_login(world.hiring_manager)

    page = client.get(INBOX).content.decode()

    assert "Mine Open" in page
    assert reverse("feedback:feedback-respond", kwargs={"pk": mine.pk}) in page
    assert "Mine Answered" not in page
    assert "Someone Elses" not in page
    assert "Other Client" not in page


def test_inbox_lists_soonest_first_marks_overdue_and_shows_my_time_zone(client, world, time_machine):
    # Inside New York's business hours (a Tuesday, 10:00): the two requests opened a moment apart
    # fall due a moment apart. After hours both would fall due at the next opening, a tie.
    time_machine.move_to(datetime(2026, 11, 17, 15, 0, tzinfo=UTC))
    time_machine.move_to(timezone.now() - timedelta(days=10))
    late = _ask(world, name="Late Larry")
    time_machine.move_to(timezone.now() + timedelta(days=10))
    fresh = _ask(world, name="Fresh Fiona")
    availability = availability_request_open(
        submission=factories.SubmissionFactory(
            requisition=world.requisition, stage=Submission.Stage.INTERVIEW, candidate__full_name="Slot Sally"
        ),
        requested_of=world.hiring_manager,
    )
    client.force_login(world.hiring_manager)

    page = client.get(INBOX).content.decode()

    names = re.findall(r'<strong class="name">([^<]+)</strong>', page)
    ordered = sorted([late, fresh, availability], key=lambda request: request.due_at)
    assert names == [request.submission.candidate.full_name for request in ordered]
    assert names[0] == "Late Larry"
    assert page.count("badge overdue") == 1
    assert "America/New_York" in page
    for request in ordered:
        assert _shown(request.due_at, NEW_YORK) in page
    assert reverse("feedback:availability-respond", kwargs={"pk": availability.pk}) in page


def test_times_follow_the_users_own_zone(client, world):
    request = _ask(world, requisition=world.globex_requisition)
    client.force_login(world.globex_hiring_manager)
    page = client.get(INBOX).content.decode()
    assert "Europe/Berlin" in page
    assert _shown(request.due_at, zoneinfo.ZoneInfo("Europe/Berlin")) in page


def test_empty_inbox_says_thank_you(client, world):
    client.force_login(world.hiring_manager)
    assert "Nothing waiting on you — thank you" in client.get(INBOX).content.decode()


def test_anonymous_visitor_is_sent_to_log_in(client, db):
    response = client.get(INBOX)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={INBOX}"


def test_recruiter_sees_what_waits_on_the_hiring_managers_of_their_requisitions(client, world, time_machine):
    time_machine.move_to(timezone.now() - timedelta(days=3))
    _ask(world, name="Waiting Walter")
    time_machine.move_to(timezone.now() + timedelta(days=3))
    _ask(world, requisition=world.globex_requisition, name="Globex Gina")
    client.force_login(world.recruiter)

    page = client.get(INBOX).content.decode()

    assert "Waiting Walter" in page
    assert "Waiting 3\xa0days" in page
    assert world.hiring_manager.full_name in page
    assert "Globex Gina" not in page


def test_recruiter_without_requisitions_sees_nothing_waiting(client, world):
    _ask(world, name="Waiting Walter")
    client.force_login(world.idle_recruiter)
    page = client.get(INBOX).content.decode()
    assert "Waiting Walter" not in page
    assert "Nothing is waiting on a hiring manager" in page


def test_recruiter_sees_slots_ready_to_book(client, world):
    from feedback.services import availability_offer_slots

    availability = availability_request_open(
        submission=factories.SubmissionFactory(
            requisition=world.requisition, stage=Submission.Stage.INTERVIEW, candidate__full_name="Booked Bo"
        ),
        requested_of=world.hiring_manager,
    )
    start = timezone.now() + timedelta(days=2)
    availability_offer_slots(
        availability_request=availability, actor=world.hiring_manager, slots=[(start, start + timedelta(hours=1))]
    )
    client.force_login(world.recruiter)
    page = client.get(INBOX).content.decode()
    assert reverse("feedback:availability-book", kwargs={"pk": availability.pk}) in page
    assert "1 slot offered" in page


def _count_inbox_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(INBOX).status_code == 200
    return len(queries)


@pytest.mark.parametrize("persona", ["hiring_manager", "recruiter"])
def test_inbox_query_count_does_not_grow_with_the_number_of_requests(
    client, world, persona, django_assert_max_num_queries
):
    for index in range(5):
        _ask(world, name=f"Candidate {index}")
    availability_request_open(
        submission=factories.SubmissionFactory(requisition=world.requisition, stage=Submission.Stage.INTERVIEW),
        requested_of=world.hiring_manager,
    )
    client.force_login(getattr(world, persona))
    with_five = _count_inbox_queries(client)

    for index in range(5, 20):
        _ask(world, name=f"Candidate {index}")
    for _ in range(3):
        availability_request_open(
            submission=factories.SubmissionFactory(requisition=world.requisition, stage=Submission.Stage.INTERVIEW),
            requested_of=world.hiring_manager,
        )

    with django_assert_max_num_queries(with_five):
        page = client.get(INBOX).content.decode()
    assert page.count('class="inbox-item') == 24


def test_a_very_long_inbox_shows_the_most_urgent_and_counts_them_all(client, world, monkeypatch):
    monkeypatch.setattr("feedback.views.INBOX_LIMIT", 3)
    requests = [_ask(world, name=f"Candidate {number}") for number in range(5)]
    week = timedelta(days=7)
    FeedbackRequest.objects.filter(pk=requests[4].pk).update(
        remind_at=F("remind_at") - week, due_at=F("due_at") - week, escalate_at=F("escalate_at") - week
    )
    client.force_login(world.hiring_manager)

    page = client.get(INBOX).content.decode()

    assert "5 waiting on you (1 overdue)" in page
    assert "the 3 most urgent are shown" in page
    assert "Candidate 4" in page  # the overdue one comes first
    assert len(re.findall(r'class="inbox-item', page)) == 3

    client.force_login(world.recruiter)
    staff_page = client.get(INBOX).content.decode()
    assert "(5, 1 overdue)" in staff_page
    assert "1–3 of 5" in staff_page  # a page at a time, the next one linked
    assert len(re.findall(r'class="inbox-item', staff_page)) == 3
    assert "Candidate 4" in staff_page
    second = client.get(INBOX, {"page": 2}).content.decode()
    assert "4–5 of 5" in second
    assert len(re.findall(r'class="inbox-item', second)) == 2


def _open_availability(world):
    return availability_request_open(
        submission=factories.SubmissionFactory(requisition=world.requisition, stage=Submission.Stage.INTERVIEW),
        requested_of=world.hiring_manager,
    )


def test_a_hiring_managers_inbox_takes_the_same_queries_with_a_few_pages_or_many(
    client, world, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr("feedback.views.INBOX_LIMIT", 4)
    for index in range(5):
        _ask(world, name=f"Candidate {index}")
    _open_availability(world)
    client.force_login(world.hiring_manager)
    two_pages = _count_inbox_queries(client)

    for index in range(5, 25):
        _ask(world, name=f"Candidate {index}")
    for _ in range(4):
        _open_availability(world)

    with django_assert_max_num_queries(two_pages):
        page = client.get(INBOX).content.decode()
    assert page.count('class="inbox-item') == 4
    assert "30 waiting on you" in page  # every open request counted, both kinds
    assert "Page 1 of 8" in page


def test_a_hiring_manager_pages_through_the_inbox_most_urgent_first(client, world, monkeypatch, time_machine):
    monkeypatch.setattr("feedback.views.INBOX_LIMIT", 2)
    asked = []
    for index in range(4):
        asked.append(_ask(world, name=f"Candidate {index}"))
        time_machine.move_to(timezone.now() + timedelta(hours=1))
    asked.append(_open_availability(world))
    ordered = [request.submission.candidate.full_name for request in sorted(asked, key=lambda r: (r.due_at, r.pk))]
    client.force_login(world.hiring_manager)

    pages = [client.get(INBOX, {"page": number}).content.decode() for number in (1, 2, 3)]

    shown = [re.findall(r'<strong class="name">([^<]+)</strong>', page) for page in pages]
    assert [name for names in shown for name in names] == ordered  # each once, soonest due first
    assert "the 2 most urgent are shown" in pages[0]
    assert "3–4 of 5" in pages[1]
    assert 'rel="next"' in pages[0]
    assert 'rel="prev"' in pages[2]
    assert "5 waiting on you" in pages[2]
    for bad in ("0", "abc", "999", "-1"):  # a page that is not there: the nearest one, never an error
        assert client.get(INBOX, {"page": bad}).status_code == 200


def test_a_hiring_managers_inbox_page_is_three_queries(client, world, django_assert_num_queries):
    # The signed-in user (every page; the session comes from the cache), then the totals and the
    # page's rows with what they show: one query each, outside any transaction (the page only reads).
    for index in range(3):
        _ask(world, name=f"Candidate {index}")
    _open_availability(world)
    client.force_login(world.hiring_manager)
    with django_assert_num_queries(3) as queries:
        page = client.get(INBOX).content.decode()
    assert page.count('class="inbox-item') == 4
    assert not any(query["sql"].startswith(("BEGIN", "SAVEPOINT")) for query in queries.captured_queries)
