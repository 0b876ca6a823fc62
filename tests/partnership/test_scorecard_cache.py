"""The live scorecard's cache: kept per engagement until that engagement changes, as JSON, never
waited for, and never needed (with Redis down the pages still answer).

Most tests use the suite's in-memory cache; those marked ``redis`` start a Redis of their own
(``redis-server`` on a free port) configured exactly as production configures it.
"""

import json
import logging
import os
import pickle
import shutil
import socket
import subprocess
import time
from datetime import timedelta

import pytest
import redis
import time_machine
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from engagements import services
from engagements.activity import engagement_changed, engagement_version
from engagements.models import Assignment, Interview, Requisition, Submission
from feedback.models import Feedback
from feedback.services import feedback_respond
from partnership.scorecard import STALE_SECONDS, Person, Scorecard, engagement_scorecard, scorecard_csv, scorecard_keys
from rpo_portal.cache import JSONSerializer, redis_cache

from .. import factories
from .scorecard_history import NOW, build_globex_history, build_history

Stage = Submission.Stage
UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def _page(engagement) -> str:
    return reverse("partnership:engagement-detail", kwargs={"pk": engagement.pk})


def _api(engagement) -> str:
    return reverse("engagement-scorecard", args=[engagement.pk])


def _cached_value(engagement, days=30):
    """What the cache holds for the engagement's live scorecard now (None if nothing)."""
    return cache.get(scorecard_keys(engagement.pk, days, engagement_version(engagement.pk))["scorecard"])


def _read_counting_queries(engagement) -> tuple[Scorecard, int]:
    with CaptureQueriesContext(connection) as queries:
        scorecard = engagement_scorecard(engagement=engagement, days=30)
    return scorecard, len(queries)


# --- per engagement, by version ----------------------------------------------------------------


def test_a_stage_move_shows_at_once_in_its_engagement_and_leaves_the_other_engagements_scorecard_cached(
    world, django_capture_on_commit_callbacks
):
    acme, globex = world.acme_engagement, world.globex_engagement
    submission = factories.SubmissionFactory(requisition=world.requisition, stage=Stage.HM_REVIEW)
    factories.SubmissionFactory(requisition=world.globex_requisition)
    acme_before = engagement_scorecard(engagement=acme, days=30)
    globex_before = engagement_scorecard(engagement=globex, days=30)
    globex_cached = _cached_value(globex)
    assert globex_cached is not None
    assert acme_before.figure("interview_to_offer_ratio").value is None

    with django_capture_on_commit_callbacks(execute=True):
        services.submission_change_stage(actor=world.recruiter, submission=submission, to_stage=Stage.INTERVIEW)
        services.submission_change_stage(actor=world.recruiter, submission=submission, to_stage=Stage.OFFER)

    globex_after, globex_queries = _read_counting_queries(globex)
    assert globex_queries == 0  # served from the cache: not recomputed
    assert _cached_value(globex) == globex_cached
    assert globex_after == globex_before

    acme_after, acme_queries = _read_counting_queries(acme)
    assert acme_queries > 0  # computed afresh
    assert acme_after.figure("interview_to_offer_ratio").value == 100.0  # one to interview, one offer
    assert acme_after.ends_at > acme_before.ends_at


def test_a_hiring_managers_answer_shows_at_once(world, django_capture_on_commit_callbacks):
    now = timezone.now()
    request = factories.FeedbackRequestFactory(
        submission=factories.SubmissionFactory(requisition=world.requisition, stage=Stage.HM_REVIEW),
        requested_of=world.hiring_manager,
        created_at=now - timedelta(hours=30),
        remind_at=now - timedelta(hours=7),
        due_at=now - timedelta(hours=6),
        escalate_at=now + timedelta(hours=6),
    )
    before = engagement_scorecard(engagement=world.acme_engagement, days=30)
    assert before.figure("feedback_median_turnaround_hours").value is None
    assert engagement_scorecard(engagement=world.acme_engagement, days=30) == before  # cached

    with django_capture_on_commit_callbacks(execute=True):
        feedback_respond(
            feedback_request=request,
            actor=world.hiring_manager,
            decision=Feedback.Decision.REJECT,  # the rejection moves the submission: a stage move
            rating=2,
            reasons=[Feedback.Reason.SKILLS_GAP],
            comments="",
        )

    after = engagement_scorecard(engagement=world.acme_engagement, days=30)
    assert after.figure("feedback_median_turnaround_hours").value == pytest.approx(30.0, abs=0.1)


def test_without_activity_a_cached_scorecard_costs_no_query_and_is_recomputed_after_its_time_to_live(world):
    first, first_queries = _read_counting_queries(world.acme_engagement)
    again, again_queries = _read_counting_queries(world.acme_engagement)
    assert first_queries > 10
    assert again_queries == 0
    assert again == first

    with time_machine.travel(timezone.now() + timedelta(minutes=2)):  # past the time-to-live and its jitter
        later, later_queries = _read_counting_queries(world.acme_engagement)
    # Recomputed; the cost of waiting in it is kept for an hour on its own (one query fewer).
    assert 10 < later_queries <= first_queries
    assert later.ends_at > first.ends_at


@pytest.fixture
def bumped(django_capture_on_commit_callbacks):
    """``bumped(engagement, write)``: whether doing ``write()`` (committed) changes the engagement's version."""

    def check(engagement, write) -> bool:
        before = engagement_version(engagement.pk)
        with django_capture_on_commit_callbacks(execute=True):
            write()
        return engagement_version(engagement.pk) != before

    return check


def test_every_engagement_service_that_changes_what_the_scorecard_reads_bumps_its_engagements_version(world, bumped):
    acme, admin = world.acme_engagement, world.provider_admin
    candidate = factories.CandidateFactory(engagement=acme)
    submission = factories.SubmissionFactory(requisition=world.requisition, stage=Stage.INTERVIEW)
    interview = factories.InterviewFactory(submission=submission)
    starts = timezone.now() + timedelta(days=3)
    assignment = Assignment.objects.get(requisition=world.requisition, recruiter=world.sourcer)
    writes = {
        "engagement_update": lambda: services.engagement_update(actor=admin, engagement=acme, name="Acme 2026"),
        "requisition_create": lambda: services.requisition_create(
            actor=admin, engagement=acme, code="ACME-9", title="Analyst", hiring_manager=world.hiring_manager
        ),
        "requisition_update": lambda: services.requisition_update(
            actor=admin, requisition=world.other_requisition, status=Requisition.Status.FILLED
        ),
        "assignment_create": lambda: services.assignment_create(
            actor=admin, requisition=world.other_requisition, recruiter=world.idle_recruiter, role="primary"
        ),
        "assignment_end": lambda: services.assignment_end(actor=admin, assignment=assignment),
        "candidate_update": lambda: services.candidate_update(actor=admin, candidate=candidate, full_name="Ada L."),
        "submission_create": lambda: services.submission_create(
            actor=admin, requisition=world.requisition, candidate=candidate
        ),
        "submission_change_stage": lambda: services.submission_change_stage(
            actor=admin, submission=submission, to_stage=Stage.OFFER
        ),
        "interview_create": lambda: services.interview_create(
            actor=admin,
            submission=factories.SubmissionFactory(requisition=world.requisition, stage=Stage.INTERVIEW),
            starts_at=starts,
            ends_at=starts + timedelta(hours=1),
        ),
        "interview_update": lambda: services.interview_update(
            actor=admin, interview=interview, starts_at=starts, ends_at=starts + timedelta(hours=1)
        ),
        "interview_set_status": lambda: services.interview_set_status(
            actor=admin, interview=interview, status=Interview.Status.CANCELLED
        ),
    }
    assert {name: bumped(acme, write) for name, write in writes.items()} == dict.fromkeys(writes, True)
    assert not bumped(world.globex_engagement, lambda: services.engagement_update(actor=admin, engagement=acme))


def test_a_write_that_is_refused_bumps_nothing(world, bumped):
    submission = factories.SubmissionFactory(requisition=world.requisition, stage=Stage.SUBMITTED)

    def illegal_move():
        with pytest.raises(ValidationError):
            services.submission_change_stage(actor=world.recruiter, submission=submission, to_stage=Stage.HIRED)

    assert not bumped(world.acme_engagement, illegal_move)


def test_a_missing_version_starts_again_above_every_number_counted_before(world, django_capture_on_commit_callbacks):
    first = engagement_version(world.acme_engagement.pk)
    with django_capture_on_commit_callbacks(execute=True):
        engagement_changed(world.acme_engagement.pk)
    assert engagement_version(world.acme_engagement.pk) == first + 1  # counted

    cache.clear()  # evicted, or Redis restarted empty
    assert engagement_version(world.acme_engagement.pk) > first + 1


# --- JSON, not pickle --------------------------------------------------------------------------


def test_a_scorecard_of_a_known_history_comes_back_from_json_equal(world):
    build_history(world)
    build_globex_history(world)
    scorecard = engagement_scorecard(engagement=world.acme_engagement, days=90, now=NOW)
    assert scorecard.hiring_managers
    assert scorecard.overdue

    text = json.dumps(scorecard.to_dict())
    back = Scorecard.from_dict(json.loads(text), engagement=world.acme_engagement)

    assert back == scorecard
    assert back.engagement is world.acme_engagement  # re-attached, not stored
    assert scorecard_csv(scorecard=back) == scorecard_csv(scorecard=scorecard)
    hiring_manager = world.other_hiring_manager
    assert back.hiring_managers[0].user == Person(hiring_manager.pk, hiring_manager.full_name, hiring_manager.email)
    with pytest.raises(ValueError, match="read for engagement"):
        Scorecard.from_dict(json.loads(text), engagement=world.globex_engagement)


def test_the_cached_live_scorecard_is_plain_json(world):
    build_history(world)
    with time_machine.travel(NOW, tick=False):
        live = engagement_scorecard(engagement=world.acme_engagement, days=30)
        stored = _cached_value(world.acme_engagement)

    assert isinstance(stored, dict)
    assert json.loads(json.dumps(stored)) == stored
    assert stored["engagement"] == world.acme_engagement.pk
    assert stored["ends_at"] == "2026-06-17T12:00:00+00:00"
    assert stored["overdue"][0]["who"] == {
        "id": world.recruiter.pk,
        "full_name": world.recruiter.full_name,
        "email": world.recruiter.email,
    }
    assert live == engagement_scorecard(engagement=world.acme_engagement, days=30, now=NOW)


def test_the_redis_serializer_writes_json_and_keeps_integers_raw_for_incr(world):
    serializer = JSONSerializer()
    assert serializer.dumps(41) == 41
    assert serializer.loads(b"42") == 42
    assert serializer.dumps(True) == b"true"
    assert serializer.loads(serializer.dumps({"a": [1, None, "é"]})) == {"a": [1, None, "é"]}
    with pytest.raises(TypeError):
        serializer.dumps(world.hiring_manager)  # no pickle to fall back on
    with pytest.raises(UnicodeDecodeError):
        serializer.loads(pickle.dumps({"a": 1}))  # a pickle left in Redis is not unpickled


# --- nobody waits for another request ----------------------------------------------------------


@pytest.fixture
def no_sleeping(monkeypatch):
    def refuse(seconds):
        raise AssertionError(f"a request slept {seconds} s waiting for another")

    monkeypatch.setattr(time, "sleep", refuse)


def _another_request_computes(engagement, days=30):
    lock = scorecard_keys(engagement.pk, days, version=0)["computing"]  # one lock whatever the version
    assert cache.add(lock, "another request", 30)


def test_while_another_request_computes_the_scorecard_the_previous_one_is_served_at_once(
    world, no_sleeping, django_capture_on_commit_callbacks
):
    previous = engagement_scorecard(engagement=world.acme_engagement, days=30)
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_create(
            actor=world.recruiter,
            requisition=world.requisition,
            candidate=factories.CandidateFactory(engagement=world.acme_engagement),
        )
    _another_request_computes(world.acme_engagement)

    served, queries = _read_counting_queries(world.acme_engagement)

    assert queries == 0
    assert served == previous


def test_while_another_request_computes_and_nothing_recent_was_computed_the_reader_computes_itself(world, no_sleeping):
    _another_request_computes(world.acme_engagement)

    served, queries = _read_counting_queries(world.acme_engagement)

    assert queries > 10
    assert abs((served.ends_at - timezone.now()).total_seconds()) < 5


def test_a_previous_scorecard_older_than_the_stale_limit_is_not_served(world, no_sleeping):
    previous = engagement_scorecard(engagement=world.acme_engagement, days=30)
    with time_machine.travel(timezone.now() + timedelta(seconds=STALE_SECONDS + 10)):
        _another_request_computes(world.acme_engagement)
        served = engagement_scorecard(engagement=world.acme_engagement, days=30)
    assert served.ends_at > previous.ends_at + timedelta(seconds=STALE_SECONDS)


# --- Redis down --------------------------------------------------------------------------------


def test_with_the_cache_unreachable_the_page_and_the_api_compute_and_answer(
    client, client_for, world, caplog, django_capture_on_commit_callbacks
):
    client.force_login(world.account_manager)
    with override_settings(CACHES={"default": redis_cache(UNREACHABLE_REDIS)}), caplog.at_level(logging.WARNING):
        page = client.get(_page(world.acme_engagement))
        api = client_for(world.account_manager).get(_api(world.acme_engagement))
        assert engagement_version(world.acme_engagement.pk) is None
        with django_capture_on_commit_callbacks(execute=True):
            services.submission_create(  # the write succeeds; its bump, which cannot reach the cache, is dropped
                actor=world.recruiter,
                requisition=world.requisition,
                candidate=factories.CandidateFactory(engagement=world.acme_engagement),
            )

    assert page.status_code == 200
    assert "Feedback on time" in page.content.decode()
    assert api.status_code == 200
    assert api.json()["client"][0]["key"] == "feedback_on_time_share"
    assert "The cache did not answer" in caplog.text


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def own_redis():
    """A Redis server of this test's own, on a free port: yields its URL; stopped at the end."""
    binary = shutil.which("redis-server")
    if binary is None:
        message = "needs the redis-server binary (apt-get install redis-server)"
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(message)
        pytest.skip(message)
    port = _free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    server = redis.Redis(port=port, socket_connect_timeout=1)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                server.ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline or process.poll() is not None:
                    pytest.fail(f"redis-server did not start on port {port}")
                time.sleep(0.05)
        yield process, server, f"redis://127.0.0.1:{port}/0"
    finally:
        process.kill()
        process.wait(timeout=10)
        server.close()


@pytest.mark.redis
def test_with_redis_stopped_the_engagement_page_and_the_scorecard_api_still_answer(
    client, client_for, world, own_redis, django_capture_on_commit_callbacks
):
    process, server, url = own_redis
    build_history(world)
    client.force_login(world.account_manager)
    api_client = client_for(world.account_manager)

    with override_settings(CACHES={"default": redis_cache(url)}):
        page = client.get(_page(world.acme_engagement))
        assert page.status_code == 200
        api_first = api_client.get(_api(world.acme_engagement))
        with CaptureQueriesContext(connection) as cached_read:
            api_cached = api_client.get(_api(world.acme_engagement))
        assert api_first.status_code == api_cached.status_code == 200
        assert api_cached.json() == api_first.json()

        # What Redis holds is JSON anyone can read, and the version is a plain integer (INCR works).
        stored = {key.decode(): server.get(key) for key in server.scan_iter("rpo:*")}
        scorecards = [json.loads(value) for key, value in stored.items() if ":scorecard:" in key]
        assert scorecards
        assert {card["engagement"] for card in scorecards} == {world.acme_engagement.pk}
        version_key = f"rpo:1:engagement-version:{world.acme_engagement.pk}"
        version = int(stored[version_key])
        with django_capture_on_commit_callbacks(execute=True):
            engagement_changed(world.acme_engagement.pk)
        assert int(server.get(version_key)) == version + 1

        process.kill()
        process.wait(timeout=10)

        page_down = client.get(_page(world.acme_engagement))
        api_down = api_client.get(_api(world.acme_engagement))

    assert page_down.status_code == 200
    assert "Feedback on time" in page_down.content.decode()
    assert api_down.status_code == 200
    figures = [(figure["key"], figure["value"]) for figure in api_down.json()["client"]]
    assert figures == [(figure["key"], figure["value"]) for figure in api_first.json()["client"]]
    assert len(cached_read) < 10  # the cached read: authentication and scoping only, no scorecard query
