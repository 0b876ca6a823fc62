"""``manage.py bench_reminders [--requests 100000]``: time one reminder sweep over many due requests.

Creates N open feedback requests in a throwaway engagement (a third due soon, a third overdue, a
third past the escalation time), then times one sweep's recording step (every due level written as
a ``Reminder`` row, ladders advanced) with its query count, and compares it with one plain SQL
SELECT of the same due set. Dispatch (publishing send tasks) is measured apart, with its batch
bound, and without publishing anything: no email is sent. The bench data is removed at the end
(and before starting, so a run interrupted half-way does not spoil the next).

Meant for PostgreSQL (``make bench-reminders``); it also runs on SQLite.
"""

from __future__ import annotations

import time
from datetime import timedelta

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import OperationalError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Organization, User
from engagements.models import Candidate, Engagement, Requisition, Submission
from feedback import reminders
from feedback.models import FeedbackRequest, Reminder

PROVIDER_NAME = "Bench provider (bench_reminders)"
CLIENT_NAME = "Bench client (bench_reminders)"
EMAIL_DOMAIN = "bench-reminders.invalid"
REQUISITIONS = 100


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


class Command(BaseCommand):
    help = "Time one reminder sweep over N open feedback requests (default 100,000) and clean up."

    def add_arguments(self, parser):
        parser.add_argument("--requests", type=int, default=100_000, help="How many open requests (default 100000).")
        parser.add_argument("--keep", action="store_true", help="Leave the bench data in place afterwards.")
        parser.add_argument(
            "--no-setup", action="store_true", help="Do not create the database or run migrations first."
        )

    def handle(self, *args, requests: int, keep: bool, no_setup: bool, **options):
        if requests < 3:
            raise CommandError("--requests must be at least 3.")
        if not no_setup:
            self._setup_database()
        self.stdout.write(f"Database: {connection.vendor} {connection.settings_dict['NAME']}")
        self._clean()
        now = timezone.now()
        try:
            started = time.perf_counter()
            engagement = self._create(requests, now)
            self.stdout.write(f"Created {requests:,} open feedback requests in {time.perf_counter() - started:.1f} s.")
            self._measure(requests, now, engagement)
        finally:
            if not keep:
                self._clean()

    # --- Setup ---------------------------------------------------------------------------------

    def _setup_database(self) -> None:
        if connection.vendor == "postgresql":
            try:
                connection.ensure_connection()
            except OperationalError as error:
                if "does not exist" not in str(error):
                    raise
                name = connection.settings_dict["NAME"]
                with connection._nodb_cursor() as cursor:
                    cursor.execute(f"CREATE DATABASE {connection.ops.quote_name(name)}")
                self.stdout.write(f"Created database {name}.")
        call_command("migrate", verbosity=0, interactive=False)

    def _clean(self) -> None:
        engagement_ids = list(
            Engagement.objects.filter(provider__name=PROVIDER_NAME, client__name=CLIENT_NAME).values_list(
                "id", flat=True
            )
        )
        with transaction.atomic(), connection.cursor() as cursor:
            for engagement_id in engagement_ids:
                requests = (
                    f"SELECT request.id FROM {_table(FeedbackRequest)} request "
                    f"JOIN {_table(Submission)} submission ON submission.id = request.submission_id "
                    f"JOIN {_table(Requisition)} requisition ON requisition.id = submission.requisition_id "
                    "WHERE requisition.engagement_id = %s"
                )
                submissions = (
                    f"SELECT submission.id FROM {_table(Submission)} submission "
                    f"JOIN {_table(Requisition)} requisition ON requisition.id = submission.requisition_id "
                    "WHERE requisition.engagement_id = %s"
                )
                cursor.execute(
                    f"DELETE FROM {_table(Reminder)} WHERE feedback_request_id IN ({requests})", [engagement_id]
                )
                cursor.execute(f"DELETE FROM {_table(FeedbackRequest)} WHERE id IN ({requests})", [engagement_id])
                cursor.execute(f"DELETE FROM {_table(Submission)} WHERE id IN ({submissions})", [engagement_id])
                cursor.execute(f"DELETE FROM {_table(Candidate)} WHERE engagement_id = %s", [engagement_id])
            # What is left is small: the ORM cascades through it.
            Engagement.objects.filter(id__in=engagement_ids).delete()
            User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").delete()
            Organization.objects.filter(name__in=[PROVIDER_NAME, CLIENT_NAME]).delete()

    @transaction.atomic
    def _create(self, count: int, now) -> Engagement:
        provider = Organization.objects.create(name=PROVIDER_NAME, kind=Organization.Kind.PROVIDER)
        client = Organization.objects.create(name=CLIENT_NAME, kind=Organization.Kind.CLIENT)
        engagement = Engagement.objects.create(name="Bench engagement", provider=provider, client=client)
        engagement.account_managers.add(
            User.objects.create_user(
                f"manager@{EMAIL_DOMAIN}", organization=provider, role=User.Role.ACCOUNT_MANAGER, full_name="Bench AM"
            )
        )
        User.objects.create_user(
            f"admin@{EMAIL_DOMAIN}", organization=client, role=User.Role.CLIENT_ADMIN, full_name="Bench admin"
        )
        managers = User.objects.bulk_create(
            User(
                email=f"hm{index}@{EMAIL_DOMAIN}",
                full_name=f"Bench hiring manager {index}",
                organization=client,
                role=User.Role.HIRING_MANAGER,
                time_zone=("America/New_York", "Europe/Berlin", "Asia/Singapore")[index % 3],
            )
            for index in range(REQUISITIONS)
        )
        Requisition.objects.bulk_create(
            Requisition(engagement=engagement, code=f"BENCH-{index:03d}", title="Bench role", hiring_manager=manager)
            for index, manager in enumerate(managers)
        )
        hour = timedelta(hours=1)
        # (remind_at, due_at, escalate_at) per third: due soon, overdue, past the escalation time.
        ladders = [
            (now - hour, now + 3 * hour, now + 15 * hour),
            (now - 6 * hour, now - hour, now + 11 * hour),
            (now - 30 * hour, now - 26 * hour, now - hour),
        ]
        at = connection.ops.adapt_datetimefield_value
        with connection.cursor() as cursor:
            cursor.execute(
                "WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < %s) "
                f"INSERT INTO {_table(Candidate)} "
                "(engagement_id, full_name, email, phone, current_title, location, source, created_at) "
                "SELECT %s, 'Bench candidate ' || n, '', '', '', '', 'bench', %s FROM seq",
                [count, engagement.pk, at(now)],
            )
            cursor.execute(
                f"INSERT INTO {_table(Submission)} "
                "(requisition_id, candidate_id, stage, submitted_at, stage_changed_at, summary) "
                "SELECT requisition.id, candidate.id, %s, %s, %s, '' "
                f"FROM {_table(Candidate)} candidate "
                "JOIN (SELECT id, ROW_NUMBER() OVER (ORDER BY id) - 1 AS slot "
                f"      FROM {_table(Requisition)} WHERE engagement_id = %s) requisition "
                "  ON requisition.slot = candidate.id %% %s "
                "WHERE candidate.engagement_id = %s",
                [Submission.Stage.HM_REVIEW, at(now), at(now), engagement.pk, REQUISITIONS, engagement.pk],
            )

            by_third = "CASE submission.id %% 3 WHEN 0 THEN %s WHEN 1 THEN %s ELSE %s END"
            remind, due, escalate = ([at(ladder[index]) for ladder in ladders] for index in range(3))
            created = [at(ladder[0] - 20 * hour) for ladder in ladders]
            cursor.execute(
                f"INSERT INTO {_table(FeedbackRequest)} "
                "(kind, submission_id, requested_of_id, status, remind_at, due_at, escalate_at, next_step_at, "
                " ladder_step, created_at) "
                f"SELECT %s, submission.id, requisition.hiring_manager_id, 'open', {by_third}, {by_third}, "
                f"       {by_third}, {by_third}, 0, {by_third} "
                f"FROM {_table(Submission)} submission "
                f"JOIN {_table(Requisition)} requisition ON requisition.id = submission.requisition_id "
                "WHERE requisition.engagement_id = %s",
                [FeedbackRequest.Kind.RESUME_REVIEW, *remind, *due, *escalate, *remind, *created, engagement.pk],
            )
        return engagement

    # --- Measuring -----------------------------------------------------------------------------

    def _analyze(self) -> None:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for model in (Candidate, Submission, FeedbackRequest, Reminder):
                    cursor.execute(f"ANALYZE {_table(model)}")

    def _measure(self, count: int, now, engagement: Engagement) -> None:
        self._analyze()
        select_times = []
        for _ in range(3):
            with connection.cursor() as cursor:
                started = time.perf_counter()
                cursor.execute(reminders.due_set_sql(FeedbackRequest), [connection.ops.adapt_datetimefield_value(now)])
                due = len(cursor.fetchall())
                select_times.append(time.perf_counter() - started)
        select_time = min(select_times)

        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            result = reminders.record_due_steps(now=now)
            result.reclaimed = reminders.reclaim_expired_claims(now=now)
            sweep_time = time.perf_counter() - started
        sweep_queries = len(queries.captured_queries)

        published: list[int] = []
        with CaptureQueriesContext(connection) as dispatch_queries:
            started = time.perf_counter()
            reminders.dispatch_pending(now=now, publish=lambda pk: published.append(pk) or True)
            dispatch_time = time.perf_counter() - started

        with CaptureQueriesContext(connection) as again:
            started = time.perf_counter()
            second = reminders.record_due_steps(now=now)
            second_time = time.perf_counter() - started

        bench = Reminder.objects.filter(feedback_request__submission__requisition__engagement=engagement)
        by_status = {
            status: bench.filter(status=status).count() for status in (Reminder.Status.PENDING, Reminder.Status.SKIPPED)
        }
        write = self.stdout.write
        write("")
        write(f"Due set (one raw SELECT of the open requests with next_step_at <= now): {due:,} rows")
        write(f"  in {select_time:.3f} s (best of 3)")
        write(
            f"One sweep, recording step: {sweep_time:.2f} s, {sweep_queries} queries "
            f"({result.recorded:,} reminders recorded, {result.advanced:,} ladders advanced)"
        )
        for query in queries.captured_queries:
            write(f"    {float(query['time']):7.3f} s  {' '.join(query['sql'].split())[:90]}")
        write(f"  requests per second: {count / sweep_time:,.0f}")
        write(f"  ratio to the raw SELECT: {sweep_time / select_time:.1f}x")
        write(
            f"  recorded: {by_status[Reminder.Status.PENDING]:,} pending to send, "
            f"{by_status[Reminder.Status.SKIPPED]:,} skipped as superseded"
        )
        write(
            f"Dispatch (bounded to {reminders.DISPATCH_BATCH} per sweep, oldest first, nothing published): "
            f"{len(published)} rows in {dispatch_time * 1000:.0f} ms, {len(dispatch_queries.captured_queries)} queries"
        )
        write(
            f"A second sweep right after: {second.recorded} recorded in {second_time * 1000:.0f} ms, "
            f"{len(again.captured_queries)} queries"
        )
        target = "under" if sweep_time < 10 else "OVER"
        style = self.style.SUCCESS if sweep_time < 10 else self.style.ERROR
        write(style(f"Target: one sweep over {count:,} requests in under 10 s: {target} ({sweep_time:.2f} s)."))
