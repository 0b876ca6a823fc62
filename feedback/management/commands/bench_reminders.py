"""``manage.py bench_reminders [--requests 100000]``: time one reminder sweep over many due requests.

Creates N open feedback requests in a throwaway engagement (a third due soon, a third overdue, a
third past the escalation time), then times the beat's whole sweep task (record the due levels,
advance the ladders, reclaim, publish up to a batch of send tasks to a queue no worker reads)
against the physical limit measured in the same run: one ``INSERT ... SELECT ... ON CONFLICT DO
NOTHING`` writing the same rows into an empty copy of the reminder table, committed. No email is
sent. The bench data is removed at the end (and before starting, so a run interrupted half-way
does not spoil the next). See bench/README.md.

Meant for PostgreSQL (``make bench-reminders``); it also runs on SQLite.
"""

from __future__ import annotations

import resource
import time
from datetime import timedelta

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import OperationalError, connection, transaction
from django.db.models import Min
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Organization, User
from engagements.models import Candidate, Engagement, Requisition, Submission
from engagements.selectors import escalation_recipients
from feedback import tasks as sweep_tasks
from feedback.models import LADDER, FeedbackRequest, FeedbackRequestLadder, LadderStep, Reminder
from feedback.services import waiting_on_client_refresh
from rpo_portal.celery import app as celery_app

PROVIDER_NAME = "Bench provider (bench_reminders)"
CLIENT_NAME = "Bench client (bench_reminders)"
EMAIL_DOMAIN = "bench-reminders.invalid"
REQUISITIONS = 100
# The send tasks the bench publishes go to a queue no worker reads, emptied at the end.
BENCH_QUEUE = "bench_reminders"


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
                cursor.execute(
                    f"DELETE FROM {_table(FeedbackRequestLadder)} WHERE request_id IN ({requests})", [engagement_id]
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
                "(requisition_id, candidate_id, stage, submitted_at, stage_changed_at, summary, withdrawal_reason) "
                "SELECT requisition.id, candidate.id, %s, %s, %s, '', '' "
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
                "(kind, submission_id, engagement_id, requested_of_id, status, remind_at, due_at, escalate_at, "
                " created_at) "
                f"SELECT %s, submission.id, requisition.engagement_id, requisition.hiring_manager_id, 'open', "
                f"       {by_third}, {by_third}, {by_third}, {by_third} "
                f"FROM {_table(Submission)} submission "
                f"JOIN {_table(Requisition)} requisition ON requisition.id = submission.requisition_id "
                "WHERE requisition.engagement_id = %s",
                [FeedbackRequest.Kind.RESUME_REVIEW, *remind, *due, *escalate, *created, engagement.pk],
            )
            # Each with its ladder as it opened (feedback.models.ladder_row): nothing sent, the
            # first level due at remind_at.
            cursor.execute(
                f"INSERT INTO {_table(FeedbackRequestLadder)} (request_id, ladder_step, next_step_at) "
                f"SELECT request.id, %s, request.remind_at FROM {_table(FeedbackRequest)} request "
                f"JOIN {_table(Submission)} submission ON submission.id = request.submission_id "
                f"JOIN {_table(Requisition)} requisition ON requisition.id = submission.requisition_id "
                "WHERE requisition.engagement_id = %s",
                [LadderStep.NONE, engagement.pk],
            )
        # Statistics for what was just filled before a set-based UPDATE reads it: with the empty
        # tables' statistics of the previous run's clean-up, the refresh below read every open
        # request once per requisition (still running after 10 minutes at 1,000,000).
        self._analyze()
        # Written past the services: keep what waits on the client side as they would.
        waiting_on_client_refresh(requisition_ids=engagement.requisitions.values_list("id", flat=True))
        return engagement

    # --- Measuring -----------------------------------------------------------------------------

    def _analyze(self) -> None:
        """Statistics for what the bulk load filled (autovacuum may be off, as on CI): without them
        the planner guesses the due set's size and may pick nested loops."""
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for model in (
                    Organization,
                    User,
                    Engagement,
                    Requisition,
                    Candidate,
                    Submission,
                    FeedbackRequest,
                    FeedbackRequestLadder,
                ):
                    cursor.execute(f"ANALYZE {_table(model)}")
                cursor.execute(f"ANALYZE {_table(Reminder)}")

    def _limit_statement(self, into: str, now, engagement: Engagement) -> tuple[str, list]:
        """The physical limit: one INSERT ... SELECT ... ON CONFLICT DO NOTHING writing the rows the
        sweep records (every due level of every bench request but the stale ones), with
        nothing else to do: the escalation recipient is known beforehand, no ladder moves, nothing
        is published. It does not read the ladders, so it writes the same rows after the sweep."""
        at = connection.ops.adapt_datetimefield_value(now)
        escalation_to = escalation_recipients(engagement=engagement)[0].pk
        rungs = " UNION ALL ".join(f"SELECT {rung.step:d} AS step, '{rung.level}' AS level" for rung in LADDER)
        moment = " ".join(f"WHEN {rung.step:d} THEN request.{rung.moment}" for rung in LADDER)
        stale = " OR ".join(
            f"(rung.step = {rung.step:d} AND request.{LADDER[index + 1].moment} <= %s)"
            for index, rung in enumerate(LADDER)
            if rung.stale_once_next_has_come
        )
        sql = (
            f"INSERT INTO {into} "
            "(feedback_request_id, level, recipient_id, status, created_at, send_after, attempts, last_error) "
            "SELECT request.id, rung.level, "
            f"CASE WHEN rung.step = {LADDER[-1].step:d} THEN %s ELSE request.requested_of_id END, "
            f"'{Reminder.Status.PENDING}', %s, %s, 0, '' "
            f"FROM {_table(FeedbackRequest)} request JOIN ({rungs}) rung ON CASE rung.step {moment} END <= %s "
            f"WHERE request.status = 'open' AND request.id >= %s AND NOT ({stale}) "
            "ON CONFLICT DO NOTHING"
        )
        stale_params = [at] * sum(rung.stale_once_next_has_come for rung in LADDER)
        first = FeedbackRequest.objects.filter(engagement=engagement).aggregate(Min("id"))
        return sql, [escalation_to, at, at, at, first["id__min"], *stale_params]

    def _copy_of_reminders(self) -> str:
        """An empty table shaped like the reminders (its columns, defaults, checks, indexes and
        foreign keys, deferred as Django makes them), so the limit pays what an insert there pays."""
        name = "bench_reminders_limit"
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {name}")
            cursor.execute(f"CREATE TABLE {name} (LIKE {_table(Reminder)} INCLUDING ALL)")
            cursor.execute(
                "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'f'",
                [Reminder._meta.db_table],
            )
            for (definition,) in cursor.fetchall():
                cursor.execute(f"ALTER TABLE {name} ADD {definition}")
        return name

    def _measure_limit(self, now, engagement: Engagement) -> dict:
        """Time the limit on the bench data, leaving the reminders as they were: on PostgreSQL into
        a copy of the table, committed (so its deferred foreign-key checks run, as the sweep's do);
        elsewhere into the table itself, rolled back."""
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # what the sweep left (old row versions) goes first
                cursor.execute(f"VACUUM {_table(FeedbackRequestLadder)}")
            copy = self._copy_of_reminders()
            sql, params = self._limit_statement(copy, now, engagement)
            connection.close()  # a fresh connection, as the sweep's worker has one
            started = time.perf_counter()
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, params)
                rows = cursor.rowcount
                statement = time.perf_counter() - started
            return {"table": copy, "rows": rows, "statement": statement, "total": time.perf_counter() - started}
        sql, params = self._limit_statement(_table(Reminder), now, engagement)
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.rowcount
            statement = time.perf_counter() - started
            transaction.set_rollback(True)
        return {"table": None, "rows": rows, "statement": statement, "total": time.perf_counter() - started}

    def _same_rows(self, copy: str) -> int:
        """How many rows differ between the limit's copy and what the sweep recorded."""
        columns = "feedback_request_id, level, recipient_id, status"
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT COUNT(*) FROM ((SELECT {columns} FROM {copy} EXCEPT SELECT {columns} FROM {_table(Reminder)}) "
                f"UNION ALL (SELECT {columns} FROM {_table(Reminder)} WHERE feedback_request_id IS NOT NULL "
                f"EXCEPT SELECT {columns} FROM {copy})) differences"
            )
            return cursor.fetchone()[0]

    def _publishing(self):
        """Publish to the configured broker, on a queue no worker reads (emptied afterwards)."""
        if celery_app.conf.task_always_eager:
            raise CommandError("CELERY_TASK_ALWAYS_EAGER is on: the send tasks would run (and send) here.")
        return {"queue": BENCH_QUEUE}

    def _purge(self) -> int:
        try:
            with celery_app.connection_for_write() as broker:
                return broker.default_channel.queue_purge(BENCH_QUEUE) or 0
        except Exception as error:  # the broker went away: nothing was left there either
            self.stderr.write(f"Could not empty the queue {BENCH_QUEUE}: {error}")
            return 0

    def _sweep(self, now) -> tuple[float, object, list]:
        options = self._publishing()
        connection.close()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            result = sweep_tasks.run_sweep(now=now, **options)
            elapsed = time.perf_counter() - started
        return elapsed, result, queries.captured_queries

    def _drop(self, limit: dict) -> None:
        if limit["table"]:
            with connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE IF EXISTS {limit['table']}")

    def _measure(self, count: int, now, engagement: Engagement) -> None:
        """The limit, the sweep, and on PostgreSQL the limit again (it does not depend on the
        ladders): on a shared machine the load drifts, and the mean of the two brackets the sweep."""
        write = self.stdout.write
        started = time.perf_counter()
        self._analyze()
        write(f"ANALYZE after the bulk load: {time.perf_counter() - started:.1f} s.")
        broker = celery_app.conf.broker_url.split("://")[0]
        limits = [self._measure_limit(now, engagement)]
        rss_before = _peak_rss_mb()
        differences = None
        try:
            sweep_time, result, queries = self._sweep(now)
            rss = _peak_rss_mb()
            second_time, second, _ = self._sweep(now)
            if limits[0]["table"]:
                differences = self._same_rows(limits[0]["table"])
                self._drop(limits[0])
                limits.append(self._measure_limit(now, engagement))
                differences += self._same_rows(limits[1]["table"])
        finally:
            for limit in limits:
                self._drop(limit)
            purged = self._purge()
        limit = {
            "rows": limits[0]["rows"],
            "statement": sum(one["statement"] for one in limits) / len(limits),
            "total": sum(one["total"] for one in limits) / len(limits),
        }
        each = ", ".join(f"{one['total']:.2f}" for one in limits)

        sql_time = sum(float(query["time"]) for query in queries)
        write("")
        write(f"Limit: one INSERT ... SELECT ... ON CONFLICT DO NOTHING of the same {limit['rows']:,} rows")
        write(
            f"  statement {limit['statement']:.2f} s; with its commit (foreign keys checked) {limit['total']:.2f} s"
            + (f" (mean of the runs before and after the sweep: {each} s)" if len(limits) > 1 else "")
        )
        write(
            f"Whole sweep task (record, advance, reclaim, dispatch; publishing to {broker}): {sweep_time:.2f} s, "
            f"{len(queries)} queries"
        )
        write(
            f"  {result.recorded:,} reminders recorded, {result.advanced:,} ladders advanced, "
            f"{result.dispatched:,} send tasks published"
        )
        for query in queries:
            write(f"    {float(query['time']):7.3f} s  {' '.join(query['sql'].split())[:90]}")
        write(f"    {sweep_time - sql_time:7.3f} s  outside the database (publishing, Python)")
        if differences is not None:
            write(f"  same rows as the limit: {'yes' if differences == 0 else f'NO, {differences:,} differ'}")
        write(
            f"A second sweep right after (nothing new to record; the next {second.dispatched:,} published): "
            f"{second_time:.2f} s"
        )
        write(
            f"Published {result.dispatched + second.dispatched:,} messages to the queue {BENCH_QUEUE!r}, "
            f"{purged:,} removed again."
        )
        write(f"Worker peak resident memory: {rss:.0f} MB ({rss_before:.0f} MB before the sweep).")
        write("")
        ratio = sweep_time / limit["total"]
        write(
            f"Ratio of the whole sweep to the limit: {ratio:.2f}x "
            f"(to the INSERT statement alone, uncommitted: {sweep_time / limit['statement']:.2f}x)"
        )
        met = ratio <= 2
        style = self.style.SUCCESS if met else self.style.ERROR
        write(style(f"Target: the whole sweep within 2x of the limit: {'met' if met else 'MISSED'} ({ratio:.2f}x)."))
        if count >= 1_000_000:
            met = sweep_time < 60 and rss < 300
            style = self.style.SUCCESS if met else self.style.ERROR
            write(
                style(
                    f"Target at {count:,}: under 60 s with the worker under 300 MB: {'met' if met else 'MISSED'} "
                    f"({sweep_time:.1f} s, {rss:.0f} MB)."
                )
            )


def _peak_rss_mb() -> float:
    """This process's peak resident memory (ru_maxrss is in kilobytes on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
