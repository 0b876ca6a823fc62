"""Who sees what: the one scoping selector per model, asked of every persona.

Acme's pipeline: ``req`` (hiring_manager's) and ``other_req`` (other_hiring_manager's), a candidate
submitted to each and one never submitted, an interview on each submission. Globex has the same
on ``glx``. The other hiring manager of Acme is also an interviewer on the interview of ``req``.
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from accounts.models import User
from engagements.local_dates import engagement_today
from engagements.models import Assignment, Submission
from engagements.selectors import (
    assignment_list,
    candidate_list,
    engagement_list,
    interview_list,
    requisition_list,
    submission_list,
    user_list,
)
from tests import factories

SELECTORS = {
    "engagements": engagement_list,
    "requisitions": requisition_list,
    "assignments": assignment_list,
    "candidates": candidate_list,
    "submissions": submission_list,
    "interviews": interview_list,
}
MINE_SELECTORS = {"requisitions": requisition_list, "submissions": submission_list, "interviews": interview_list}

ACME = {
    "engagements": {"acme"},
    "requisitions": {"req", "other_req"},
    "assignments": {"req/recruiter", "req/sourcer"},
    "candidates": {"cand_req", "cand_other_req", "cand_unsubmitted"},
    "submissions": {"sub_req", "sub_other_req"},
    "interviews": {"int_req", "int_other_req"},
}
GLOBEX = {
    "engagements": {"globex"},
    "requisitions": {"glx"},
    "assignments": {"glx/globex_recruiter"},
    "candidates": {"cand_glx"},
    "submissions": {"sub_glx"},
    "interviews": {"int_glx"},
}
NOTHING = {kind: set() for kind in SELECTORS}
HIRING_MANAGER = {
    "engagements": {"acme"},
    "requisitions": {"req"},
    "assignments": {"req/recruiter", "req/sourcer"},
    "candidates": {"cand_req"},
    "submissions": {"sub_req"},
    "interviews": {"int_req"},
}
OTHER_HIRING_MANAGER = {
    "engagements": {"acme"},
    "requisitions": {"other_req"},
    "assignments": set(),
    "candidates": {"cand_other_req"},
    "submissions": {"sub_other_req"},
    # Their own requisition's interview, and the one they were asked to sit in on.
    "interviews": {"int_other_req", "int_req"},
}


def _union(*scopes):
    return {kind: set().union(*(scope[kind] for scope in scopes)) for kind in SELECTORS}


EXPECTED = {
    "hiring_manager": HIRING_MANAGER,
    "other_hiring_manager": OTHER_HIRING_MANAGER,
    # The client sees the candidates submitted to it, never the provider's bench.
    "client_admin": {**ACME, "candidates": {"cand_req", "cand_other_req"}},
    "account_manager": ACME,
    "recruiter": ACME,
    "sourcer": ACME,
    "idle_recruiter": NOTHING,
    "provider_admin": _union(ACME, GLOBEX),
    "globex_hiring_manager": GLOBEX,
    "globex_admin": GLOBEX,
    "globex_recruiter": GLOBEX,
}

ORGANISATION_MEMBERS = {
    "provider": {"provider_admin", "account_manager", "recruiter", "sourcer", "idle_recruiter", "globex_recruiter"},
    "acme": {"hiring_manager", "other_hiring_manager", "client_admin"},
    "globex": {"globex_hiring_manager", "globex_admin"},
}
EXPECTED_PEOPLE = {
    "hiring_manager": {"acme"},
    "other_hiring_manager": {"acme"},
    "client_admin": {"acme"},
    "account_manager": {"provider", "acme"},
    "recruiter": {"provider", "acme"},
    "sourcer": {"provider", "acme"},
    "idle_recruiter": {"provider"},
    "provider_admin": {"provider", "acme", "globex"},
    "globex_hiring_manager": {"globex"},
    "globex_admin": {"globex"},
    "globex_recruiter": {"provider", "globex"},
}

EXPECTED_MINE = {
    "hiring_manager": {"requisitions": {"req"}, "submissions": {"sub_req"}, "interviews": {"int_req"}},
    "other_hiring_manager": {
        "requisitions": {"other_req"},
        "submissions": {"sub_other_req"},
        "interviews": {"int_other_req", "int_req"},
    },
    "client_admin": {"requisitions": set(), "submissions": set(), "interviews": set()},
    "account_manager": {"requisitions": set(), "submissions": set(), "interviews": set()},
    "recruiter": {"requisitions": {"req"}, "submissions": {"sub_req"}, "interviews": {"int_req"}},
    "sourcer": {"requisitions": {"req"}, "submissions": {"sub_req"}, "interviews": {"int_req"}},
    "idle_recruiter": {"requisitions": set(), "submissions": set(), "interviews": set()},
    "provider_admin": {"requisitions": set(), "submissions": set(), "interviews": set()},
    "globex_hiring_manager": {"requisitions": {"glx"}, "submissions": {"sub_glx"}, "interviews": {"int_glx"}},
    "globex_admin": {"requisitions": set(), "submissions": set(), "interviews": set()},
    "globex_recruiter": {"requisitions": {"glx"}, "submissions": {"sub_glx"}, "interviews": {"int_glx"}},
}

PERSONAS = list(EXPECTED)


@pytest.fixture
def pipeline(world):
    """Every object of both tenants under a short label."""
    objects = {
        "acme": world.acme_engagement,
        "globex": world.globex_engagement,
        "req": world.requisition,
        "other_req": world.other_requisition,
        "glx": world.globex_requisition,
    }
    for assignment in Assignment.objects.select_related("requisition", "recruiter"):
        persona = next(name for name in PERSONAS if getattr(world, name) == assignment.recruiter)
        label = {"ACME-1": "req", "ACME-2": "other_req", "GLX-1": "glx"}[assignment.requisition.code]
        objects[f"{label}/{persona}"] = assignment
    objects["cand_unsubmitted"] = factories.CandidateFactory(engagement=world.acme_engagement)
    for label in ("req", "other_req", "glx"):
        requisition = objects[label]
        candidate = factories.CandidateFactory(engagement=requisition.engagement)
        submission = factories.SubmissionFactory(
            requisition=requisition, candidate=candidate, stage=Submission.Stage.INTERVIEW
        )
        objects[f"cand_{label}"] = candidate
        objects[f"sub_{label}"] = submission
        objects[f"int_{label}"] = factories.InterviewFactory(submission=submission)
    objects["int_req"].interviewers.add(world.other_hiring_manager)
    return objects


def _labels(queryset, objects) -> set[str]:
    by_key = {(type(obj), obj.pk): label for label, obj in objects.items()}
    return {by_key[(type(obj), obj.pk)] for obj in queryset}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("kind", list(SELECTORS))
def test_each_persona_sees_exactly_their_part_of_the_pipeline(world, pipeline, persona, kind):
    user = getattr(world, persona)
    assert _labels(SELECTORS[kind](user=user), pipeline) == EXPECTED[persona][kind]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("kind", list(MINE_SELECTORS))
def test_mine_narrows_to_what_is_assigned_to_me_or_managed_by_me(world, pipeline, persona, kind):
    user = getattr(world, persona)
    mine = _labels(MINE_SELECTORS[kind](user=user, mine=True), pipeline)
    assert mine == EXPECTED_MINE[persona][kind]
    assert mine <= _labels(MINE_SELECTORS[kind](user=user), pipeline)


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_sees_the_people_they_work_with(world, persona):
    user = getattr(world, persona)
    expected = set().union(*(ORGANISATION_MEMBERS[org] for org in EXPECTED_PEOPLE[persona]))
    personas_seen = {name for name in PERSONAS if user_list(user=user).filter(pk=getattr(world, name).pk).exists()}
    assert personas_seen == expected


def test_deactivated_people_are_not_offered(world):
    world.other_hiring_manager.is_active = False
    world.other_hiring_manager.save(update_fields=["is_active"])
    assert world.other_hiring_manager not in user_list(user=world.recruiter)
    assert world.other_hiring_manager not in user_list(user=world.client_admin)


def test_acme_and_globex_never_see_each_other(world, pipeline):
    acme_labels = set().union(*ACME.values())
    globex_labels = set().union(*GLOBEX.values())
    for persona in ("hiring_manager", "other_hiring_manager", "client_admin"):
        for kind, selector in SELECTORS.items():
            assert not _labels(selector(user=getattr(world, persona)), pipeline) & globex_labels, (persona, kind)
    for persona in ("globex_hiring_manager", "globex_admin"):
        for kind, selector in SELECTORS.items():
            assert not _labels(selector(user=getattr(world, persona)), pipeline) & acme_labels, (persona, kind)
    assert not set(user_list(user=world.client_admin)) & {world.globex_admin, world.globex_hiring_manager}
    assert not set(user_list(user=world.globex_admin)) & {world.client_admin, world.hiring_manager}


@pytest.mark.parametrize("persona", ["recruiter", "hiring_manager", "client_admin", "provider_admin"])
def test_a_deactivated_user_sees_nothing(world, pipeline, persona):
    user = getattr(world, persona)
    user.is_active = False
    user.save(update_fields=["is_active"])
    for kind, selector in SELECTORS.items():
        assert not selector(user=user).exists(), kind
    for kind, selector in MINE_SELECTORS.items():
        assert not selector(user=user, mine=True).exists(), kind
    assert not user_list(user=user).exists()


def test_an_anonymous_visitor_sees_nothing(pipeline):
    anonymous = AnonymousUser()
    for kind, selector in SELECTORS.items():
        assert not selector(user=anonymous).exists(), kind
    for kind, selector in MINE_SELECTORS.items():
        assert not selector(user=anonymous, mine=True).exists(), kind
    assert not user_list(user=anonymous).exists()


def test_a_user_of_no_organisation_sees_nothing(pipeline):
    # Only the bootstrap superuser may have no organisation; a plain account like this sees nothing.
    stray = User.objects.create_user("stray@example.com", "pw", full_name="Stray")
    for selector in SELECTORS.values():
        assert not selector(user=stray).exists()


def test_the_bootstrap_superuser_sees_everything(pipeline):
    root = User.objects.create_superuser("root@example.com", "pw", full_name="Root")
    for kind, selector in SELECTORS.items():
        assert _labels(selector(user=root), pipeline) == ACME[kind] | GLOBEX[kind], kind


def test_a_recruiter_whose_assignment_ended_no_longer_sees_the_engagement(world, pipeline):
    for assignment in Assignment.objects.filter(recruiter=world.recruiter):
        assignment.ends_on = engagement_today(world.acme_engagement) - timedelta(days=1)
        assignment.save(update_fields=["ends_on"])
    assert not engagement_list(user=world.recruiter).exists()
    assert not submission_list(user=world.recruiter).exists()
    assert not requisition_list(user=world.recruiter, mine=True).exists()


def test_a_recruiter_assigned_from_next_week_does_not_see_the_engagement_yet(world, pipeline):
    factories.AssignmentFactory(
        requisition=world.other_requisition,
        recruiter=world.idle_recruiter,
        role=Assignment.Role.BACKUP,
        starts_on=engagement_today(world.acme_engagement) + timedelta(days=7),
    )
    assert not engagement_list(user=world.idle_recruiter).exists()


def test_the_backup_named_for_an_absence_sees_the_absent_recruiters_requisitions_only_meanwhile(world, pipeline):
    absence = factories.OutOfOfficeFactory(user=world.recruiter, backup=world.idle_recruiter)
    assert engagement_list(user=world.idle_recruiter).get() == world.acme_engagement
    assert requisition_list(user=world.idle_recruiter).filter(pk=world.requisition.pk).exists()
    assert submission_list(user=world.idle_recruiter).exists()
    assert not requisition_list(user=world.idle_recruiter).filter(pk=world.globex_requisition.pk).exists()

    absence.ends_at = timezone.now() - timedelta(minutes=1)
    absence.starts_at = absence.ends_at - timedelta(days=1)
    absence.save(update_fields=["starts_at", "ends_at"])
    assert not engagement_list(user=world.idle_recruiter).exists()


def test_a_provider_colleague_named_as_interviewer_does_not_see_more_with_mine(world, pipeline):
    pipeline["int_req"].interviewers.add(world.idle_recruiter)
    assert not interview_list(user=world.idle_recruiter).exists()
    assert not interview_list(user=world.idle_recruiter, mine=True).exists()


def test_hiring_managers_of_the_same_client_do_not_see_each_others_candidates(world, pipeline):
    assert pipeline["cand_other_req"] not in candidate_list(user=world.hiring_manager)
    assert pipeline["cand_unsubmitted"] not in candidate_list(user=world.hiring_manager)


def test_list_selectors_do_not_query_per_row(world, pipeline, django_assert_max_num_queries):
    for selector in (*SELECTORS.values(), user_list):
        with django_assert_max_num_queries(2):
            rows = list(selector(user=world.provider_admin))
            for row in rows:
                str(row)
