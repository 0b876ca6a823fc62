"""The demo data set behind ``manage.py seed_demo``.

One provider serves two clients, each in its own time zone, with people of every role, requisitions
and a pipeline of submissions at every stage spread over the last 90 days, so that pages and
scorecards have something real to show. The feedback side comes with it: résumé reviews waiting on
hiring managers (due soon, overdue, escalated), answers consistent with each submission's path
(some late: the slow hiring manager), post-interview assessments, availability requests with
their slots and bookings (a few still waiting for slots), and the reminder history (see
``write``).

Idempotent by natural keys: organisations by name, people by email, engagements by their two
parties, requisitions by code (each requisition is written with everything that hangs off it in
one transaction, so a requisition that exists is complete and is skipped on a rerun). Randomness is
seeded per requisition (``random.Random("<code>")``), so what a requisition contains does not
depend on what else was seeded before it.

Two writers share one plan: the base set goes through the services (``engagements.services``), as
a recruiter would; ``scale`` units (1,000 submissions each) are written with ``bulk_create``, one
unit per transaction, so that ``--scale 100`` (100,000 submissions) takes minutes and bounded
memory. Scaled requisitions are coded ``<CLIENT>-S<unit>-<n>``: rerunning with the same scale adds
nothing, a larger scale adds only the missing units.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from accounts import services as account_services
from accounts.models import Organization, OutOfOffice, User
from engagements import services
from engagements.implementation import implementation_checklist_create
from engagements.ladder import LADDER_NONE, date_ladder
from engagements.models import (
    Assignment,
    Candidate,
    Engagement,
    ImplementationTask,
    Interview,
    OrientationNote,
    Requisition,
    StageMovesHour,
    Submission,
    SubmissionStageChange,
)
from feedback.models import (
    AvailabilityRequest,
    AvailabilitySlot,
    Feedback,
    FeedbackDueHour,
    FeedbackRequest,
    Reminder,
    ladder_at,
)
from partnership.models import (
    ItemComment,
    ItemFollower,
    ItemStatusChange,
    PartnershipItem,
    PulseInvitation,
    PulseResponse,
    PulseSurvey,
    SuggestedWin,
)
from rpo_portal.models import OutboundEmail
from rpo_portal.statistics import analyze

from . import data
from .data import DEMO_PASSWORD, PEOPLE
from .history import ensure_partnership_history
from .plan import Staffing, plan_requisition, weighted
from .write import write_in_bulk, write_with_services

__all__ = ["DEMO_PASSWORD", "FILLED", "PEOPLE", "seed_demo"]

PROVIDER_NAME = "Talentbridge RPO"
SCALE_REQUISITIONS_PER_CLIENT = 10
SCALE_SUBMISSIONS_PER_REQUISITION = 50  # x 10 requisitions x 2 clients = 1,000 submissions per unit
# How long ago the engagements started: before the first of the six monthly pulse surveys.
ENGAGEMENT_AGE_DAYS = 190

Progress = Callable[[str], None]

# What the seed fills in bulk: ANALYZEd at its end, so that the first page read after a seed is
# planned from real statistics (``rpo_portal.statistics``).
FILLED = (
    Organization,
    User,
    OutOfOffice,
    Engagement,
    ImplementationTask,
    OrientationNote,
    Requisition,
    Assignment,
    Candidate,
    Submission,
    SubmissionStageChange,
    StageMovesHour,  # the hourly rollups the database keeps of the two below (rpo_portal.rollups)
    Interview,
    Interview.interviewers.through,
    FeedbackRequest,
    FeedbackDueHour,
    AvailabilityRequest,
    Feedback,
    AvailabilitySlot,
    Reminder,
    OutboundEmail,
    PartnershipItem,
    PartnershipItem.thanked.through,
    ItemComment,
    ItemStatusChange,
    ItemFollower,
    SuggestedWin,
    SuggestedWin.people.through,
    PulseSurvey,
    PulseInvitation,
    PulseResponse,
)


def _quiet(message: str) -> None:
    pass


@dataclass
class DemoWorld:
    provider: Organization
    people: dict[str, User]  # by email
    clients: dict[str, Organization]  # by client key
    engagements: dict[str, Engagement]  # by client key


# --- organisations, people, engagements --------------------------------------------------------


def _organization(name: str, kind: str, time_zone: str, created: Counter) -> Organization:
    organization = Organization.objects.filter(name__iexact=name).first()
    if organization is None:
        organization = Organization.objects.create(name=name, kind=kind, time_zone=time_zone)
        created["organizations"] += 1
    return organization


def _person(
    *,
    email: str,
    full_name: str,
    role: str,
    organization: Organization,
    time_zone: str,
    password_hash: str,
    created: Counter,
    digest: bool = False,
    superuser: bool = False,
) -> User:
    user, was_created = User.objects.get_or_create(
        email=email,
        defaults={
            "full_name": full_name,
            "role": role,
            "organization": organization,
            "time_zone": time_zone,
            "password": password_hash,
            "notification_preference": User.NotificationPreference.DIGEST
            if digest
            else User.NotificationPreference.EACH,
            "is_staff": superuser,
            "is_superuser": superuser,
        },
    )
    created["users"] += was_created
    return user


def _ensure_world(*, today: date, password_hash: str, created: Counter) -> DemoWorld:
    provider = _organization(PROVIDER_NAME, Organization.Kind.PROVIDER, data.PROVIDER_TIME_ZONE, created)
    clients = {
        client.key: _organization(client.name, Organization.Kind.CLIENT, client.time_zone, created)
        for client in data.CLIENTS
    }
    organizations = {"provider": provider, **clients}
    people = {
        person.email: _person(
            email=person.email,
            full_name=person.full_name,
            role=person.role,
            organization=organizations[person.organization],
            time_zone=person.time_zone,
            password_hash=password_hash,
            created=created,
            digest=person.digest,
            superuser=person.superuser,
        )
        for person in data.PEOPLE
    }
    engagements = {}
    for client in data.CLIENTS:
        engagement = Engagement.objects.filter(provider=provider, client=clients[client.key]).first()
        if engagement is None:
            engagement = services.engagement_create(
                actor=people[data.PROVIDER_ADMIN],
                provider=provider,
                client=clients[client.key],
                account_managers=[people[email] for email in client.account_managers],
                name=client.engagement_name,
                status=Engagement.Status.ACTIVE,
                escalation_contact=people[client.admin],
                time_zone=client.time_zone,
                country=client.country,
                region=client.region,
                started_on=today - timedelta(days=ENGAGEMENT_AGE_DAYS),
            )
            created["engagements"] += 1
        engagements[client.key] = engagement
    return DemoWorld(provider=provider, people=people, clients=clients, engagements=engagements)


def _ensure_out_of_office(world: DemoWorld, now: datetime, created: Counter) -> None:
    """One recruiter away this week, covered by a colleague: the coverage pages show it."""
    away, backup = world.people[data.AWAY_RECRUITER], world.people[data.AWAY_BACKUP]
    period = {"starts_at": now - timedelta(days=2), "ends_at": now + timedelta(days=5)}
    absence = OutOfOffice.objects.filter(user=away, note=data.AWAY_NOTE).first()
    if absence is None:
        account_services.out_of_office_create(actor=away, user=away, backup=backup, note=data.AWAY_NOTE, **period)
        created["out_of_office"] += 1
    elif not absence.starts_at <= now < absence.ends_at:
        # Keep the demo's absence current on a later rerun instead of adding another.
        account_services.out_of_office_update(actor=away, out_of_office=absence, **period)


Side = ImplementationTask.Side


def _topic_of(title: str) -> str:
    """The topic of a demo orientation note, from its title."""
    lowered = title.lower()
    if "like to work" in lowered:
        return OrientationNote.Topic.CULTURE
    if "interview" in lowered:
        return OrientationNote.Topic.INTERVIEW_PROCESS
    return OrientationNote.Topic.OTHER


def _ensure_relationship(world: DemoWorld, now: datetime, created: Counter) -> None:
    """The implementation checklist (the default steps ``engagement_create`` made, as the demo's
    clients went through them, and a few of their own) and the orientation notes, written through
    the services so that each has its first version; one recruiter has read Acme's."""
    for client in data.CLIENTS:
        engagement = world.engagements[client.key]
        created["implementation_tasks"] += implementation_checklist_create(engagement=engagement)
        by_key = {task.key: task for task in engagement.implementation_tasks.exclude(key="")}
        for position, (key, title, owner, due_in_days, done) in enumerate(client.implementation_tasks, start=1):
            task = by_key.get(key) if key else engagement.implementation_tasks.filter(key="", title=title).first()
            if task is None:
                task = ImplementationTask(engagement=engagement, key=key, created_at=now)
                created["implementation_tasks"] += 1
            person = world.people[owner]
            due_on = engagement.started_on + timedelta(days=due_in_days)
            task.title = title
            task.position = position * 10
            task.owner = person
            task.owner_side = Side.CLIENT if person.is_client_user else Side.PROVIDER
            task.due_on = due_on
            task.completed_at = datetime.combine(due_on - timedelta(days=2), time(15), tzinfo=UTC) if done else None
            task.completed_by = person if done else None
            task.updated_at = now
            if done:
                for field, value in LADDER_NONE.items():
                    setattr(task, field, value)
            else:
                # History, not news: an open step stands at the ladder step its times give, with no
                # reminders recorded for the past (as the scaled requests), so the sweep has nothing
                # from the past to record.
                for field, value in date_ladder(engagement=engagement, due_on=due_on).items():
                    setattr(task, field, value)
                _, task.ladder_step, task.next_step_at = ladder_at(task, until=now)
            task.save()
        writers = {person.pk for person in engagement.account_managers.all()}
        for title, author, body in client.orientation_notes:
            if OrientationNote.objects.filter(engagement=engagement, title=title).exists():
                continue
            person = world.people[author]
            # Recruiters share what they learnt through the account manager, who writes the notes.
            manager = world.people[client.account_managers[0]]
            actor = person if person.is_client_user or person.pk in writers else manager
            note = services.orientation_note_create(
                actor=actor, engagement=engagement, title=title, body=body, topic=_topic_of(title)
            )
            created["orientation_notes"] += 1
            if person != actor:
                OrientationNote.objects.filter(pk=note.pk).update(author=person)
        if client.orientation_reader:
            services.orientation_mark_read(user=world.people[client.orientation_reader], engagement=engagement)


# --- the whole ------------------------------------------------------------------------------------


def _existing_codes(engagement: Engagement) -> set[str]:
    return set(Requisition.objects.filter(engagement=engagement).values_list("code", flat=True))


def _seed_base(world: DemoWorld, now: datetime, created: Counter, progress: Progress) -> None:
    for client in data.CLIENTS:
        engagement = world.engagements[client.key]
        existing = _existing_codes(engagement)
        before = created["submissions"]
        for number, spec in enumerate(client.base_requisitions, start=1):
            code = f"{client.code_prefix}-{number:03d}"
            if code in existing:
                continue
            rng = random.Random(code)
            recruiters = data.RECRUITERS if number % 2 else data.RECRUITERS[::-1]
            hiring_manager = client.hiring_managers[number % len(client.hiring_managers)]
            staffing = Staffing(
                hiring_manager=world.people[hiring_manager],
                primary=world.people[recruiters[0]],
                backup=world.people[recruiters[1]],
                sourcer=world.people[data.SOURCER],
                pace=data.HIRING_MANAGER_PACE[hiring_manager],
            )
            plan = plan_requisition(
                code=code,
                client=client,
                engagement=engagement,
                title=spec.title,
                location=spec.location,
                status=spec.status,
                priority=spec.priority,
                openings=spec.openings,
                submission_count=rng.randint(6, 12),
                staffing=staffing,
                now=now,
                rng=rng,
            )
            write_with_services(engagement, plan, now, created)
        added = created["submissions"] - before
        state = f"{added} submissions added through the services" if added else "ready"
        progress(f"{client.name}: {state}.")


def _with_seniority(rng: random.Random, title: str) -> str:
    seniority = rng.choice(data.SENIORITY)
    return title if title.split()[0] in ("Senior", "Lead", "Junior") else f"{seniority}{title}"


def _unit_people(world: DemoWorld, unit: int, password_hash: str, created: Counter) -> dict[str, User]:
    rng = random.Random(f"people-{unit}")
    people = {
        "recruiter": _person(
            email=f"recruiter.s{unit:03d}@talentbridge.example",
            full_name=f"{rng.choice(data.FIRST_NAMES)} {rng.choice(data.LAST_NAMES)}",
            role=User.Role.RECRUITER,
            organization=world.provider,
            time_zone=data.PROVIDER_TIME_ZONE,
            password_hash=password_hash,
            created=created,
        )
    }
    for client in data.CLIENTS:
        people[client.key] = _person(
            email=f"hm.s{unit:03d}@{client.domain}",
            full_name=f"{rng.choice(data.FIRST_NAMES)} {rng.choice(data.LAST_NAMES)}",
            role=User.Role.HIRING_MANAGER,
            organization=world.clients[client.key],
            time_zone=client.time_zone,
            password_hash=password_hash,
            created=created,
            digest=rng.random() < 0.3,
        )
    return people


def _seed_unit(world: DemoWorld, unit: int, now: datetime, password_hash: str, created: Counter) -> int:
    """Write scale unit ``unit`` (both clients) in one transaction; 0 if it was already there."""
    existing = {
        client.key: Requisition.objects.filter(
            engagement=world.engagements[client.key], code__startswith=f"{client.code_prefix}-S{unit:03d}-"
        ).exists()
        for client in data.CLIENTS
    }
    if all(existing.values()):
        return 0
    with transaction.atomic():
        unit_people = _unit_people(world, unit, password_hash, created)
        pace = random.Random(f"pace-{unit}").uniform(0.6, 2.4)
        plans = []
        for client in data.CLIENTS:
            if existing[client.key]:
                continue
            engagement = world.engagements[client.key]
            for number in range(1, SCALE_REQUISITIONS_PER_CLIENT + 1):
                code = f"{client.code_prefix}-S{unit:03d}-{number:02d}"
                rng = random.Random(code)
                demo_manager = client.hiring_managers[(unit + number) % len(client.hiring_managers)]
                demo_recruiter = world.people[data.RECRUITERS[(unit + number) % len(data.RECRUITERS)]]
                own = number % 3 != 0
                unit_recruiter_leads = number % 2 == 0
                staffing = Staffing(
                    hiring_manager=unit_people[client.key] if own else world.people[demo_manager],
                    primary=unit_people["recruiter"] if unit_recruiter_leads else demo_recruiter,
                    backup=demo_recruiter if unit_recruiter_leads else unit_people["recruiter"],
                    sourcer=world.people[data.SOURCER],
                    pace=pace if own else data.HIRING_MANAGER_PACE[demo_manager],
                )
                spec = rng.choice(client.base_requisitions)
                plans.append(
                    (
                        engagement,
                        plan_requisition(
                            code=code,
                            client=client,
                            engagement=engagement,
                            title=_with_seniority(rng, spec.title),
                            location=rng.choice(client.candidate_locations),
                            status=weighted(rng, data.SCALED_REQUISITION_STATUSES),
                            priority=weighted(rng, data.PRIORITIES),
                            openings=rng.choice((1, 1, 1, 2, 3)),
                            submission_count=SCALE_SUBMISSIONS_PER_REQUISITION,
                            staffing=staffing,
                            now=now,
                            rng=rng,
                        ),
                    )
                )
        before = created["submissions"]
        write_in_bulk(plans, now, created)
    return created["submissions"] - before


def seed_demo(*, scale: int = 1, now: datetime | None = None, progress: Progress = _quiet) -> Counter:
    """Make (or complete) the demo data set; returns how many objects of each kind it created."""
    if scale < 1:
        raise ValueError("The scale is a whole number of at least 1.")
    now = (now or timezone.now()).astimezone(UTC)
    today = now.date()
    created: Counter = Counter()
    password_hash = make_password(DEMO_PASSWORD)  # one hash for every demo login: seeding stays fast
    with transaction.atomic():
        world = _ensure_world(today=today, password_hash=password_hash, created=created)
        _ensure_out_of_office(world, now, created)
        _ensure_relationship(world, now, created)
    progress("Organisations, people, engagements, implementation checklist and orientation notes ready.")
    _seed_base(world, now, created, progress)
    started = timezone.now()
    already_there = 0
    for unit in range(1, scale + 1):
        added = _seed_unit(world, unit, now, password_hash, created)
        if not added:
            already_there += 1
            continue
        elapsed = (timezone.now() - started).total_seconds()
        progress(
            f"Scale unit {unit}/{scale}: {added:,} submissions added "
            f"({created['submissions']:,} in this run, {elapsed:.1f} s)."
        )
    if already_there:
        progress(f"{already_there} of {scale} scale units were already there.")
    before = sum(created[kind] for kind in ("partnership_issues", "pulse_surveys"))
    ensure_partnership_history(world, now, created)
    if sum(created[kind] for kind in ("partnership_issues", "pulse_surveys")) > before:
        progress("Issues and wins, suggested wins and six months of pulse surveys ready.")
    if created:
        analyze(FILLED)
        progress("Planner statistics gathered (VACUUM ANALYZE on PostgreSQL) on the tables filled.")
    return created
