"""The periodic sweep: record every due ladder level as a ``Reminder`` row, advance the ladders,
reclaim sends that a dead worker left half-done, and publish the send tasks. (The other emails,
"feedback received" and interview invitations among them, go through ``rpo_portal.outbox`` and its
own sweep.)

Recording is set-based: per chased kind (``subjects``) and range of ``RECORD_CHUNK`` request ids, one
``INSERT ... SELECT ... ON CONFLICT DO NOTHING`` writes every due level of every due request, and
one ``UPDATE`` with ``CASE`` moves the ladders on, committed together. The query count does not
depend on how many requests are due (up to ``RECORD_CHUNK`` of them, then one pair per range).
The partial unique indexes on (request, level) are the guard that makes two concurrent sweeps record each level once.

Publishing is one pipelined batch (``publish_many``: on Redis one round trip per
``rpo_portal.tasks.PUBLISH_BATCH`` messages instead of one per message).

What it costs (``make bench-reminders``, 100,000 due requests on PostgreSQL, bench/README.md of
2026-12-01): the INSERT (about 1.0-1.4 s) and its COMMIT (the deferred foreign-key checks of the
new rows, 1.0-1.3 s) cost what the limit's do, a little more for reading the ladders and the
requests together; the ladder UPDATE 0.35-0.53 s, since feedback's requests keep their ladders in
narrow tables of their own (``feedback.models.RequestLadder``: on the wide request table, where
``next_step_at`` was indexed, the update was never HOT and gave each of its eight indexes a new
entry, 1.4-1.8 s); publishing 2,000 send tasks 0.4-0.6 s of Celery's Python. The whole sweep took
1.67-1.77x the limit. Folding the UPDATE into the INSERT as one statement (a CTE that locks the due
rows in id order, advances them and records from the locked rows) was measured and was no faster
(slower in both paired runs): locking the rows first writes each of them once more. The statements
stay portable (SQLite runs the same SQL).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db import connection, transaction
from django.db.models import Max, Min, Q
from django.db.models.expressions import RawSQL

from accounts.models import User
from engagements.models import Engagement
from engagements.selectors import escalation_recipient_list
from rpo_portal.delivery import REDISPATCH_AFTER, SENDING_LEASE, publish_all

from ..models import LADDER, Reminder
from .subjects import ChasedKind, chased_kinds, kind_of_model

logger = logging.getLogger(__name__)

# At most this many send tasks are published per sweep (oldest first; about 120,000 an hour); the
# rest wait for the next minute. Publishing 2,000 messages to a local Redis takes about a second.
DISPATCH_BATCH = 2000
# Recording commits per range of this many request ids (of each model), oldest first: a sweep cut
# short by its time limit (a first sweep over a million due requests takes longer than a minute)
# keeps what it committed, and the next minute's sweep goes on from there, the requests it
# recorded having moved up their ladder.
RECORD_CHUNK = 100_000
# SENDING_LEASE (a claim older than this was left by a dead worker) and REDISPATCH_AFTER (a row
# published this recently is not published again yet) are rpo_portal.delivery's, as for the outbox.

Publish = Callable[[int], bool]
# Publishes a send task per id in one batch; returns the ids published (all of them, or none).
PublishMany = Callable[[list[int]], list[int]]


@dataclass
class SweepResult:
    recorded: int = 0
    advanced: int = 0
    reclaimed: int = 0
    dispatched: int = 0


def _levels_sql() -> str:
    """The ladder's rungs as rows (step, level, stale once the next has come), from ``LADDER``."""
    rows = [
        f"SELECT {rung.step:d} AS step, '{rung.level}' AS level, {int(rung.stale_once_next_has_come)} AS stale"
        if index == 0
        else f"SELECT {rung.step:d}, '{rung.level}', {int(rung.stale_once_next_has_come)}"
        for index, rung in enumerate(LADDER)
    ]
    return " UNION ALL ".join(rows)


def _moment_sql(step_column: str, *, offset: int = 0) -> str:
    """The request's moment for the rung ``offset`` after the one in ``step_column`` (NULL past the top)."""
    whens = " ".join(
        f"WHEN {rung.step:d} THEN request.{LADDER[index + offset].moment}"
        for index, rung in enumerate(LADDER)
        if index + offset < len(LADDER)
    )
    return f"CASE {step_column} {whens} END"


@dataclass(frozen=True)
class _Ladder:
    """Where a kind's ladder (``ladder_step``, ``next_step_at``) is read and written."""

    table: str  # the table holding it (quoted)
    alias: str  # its alias in ``from_sql``: "ladder", or "request" when it is the request's own row
    key: str  # the column of ``table`` holding the request's id
    from_sql: str  # the FROM clause reading the chased rows as ``request`` with their ladders


def _ladder_of(kind: ChasedKind) -> _Ladder:
    """Feedback's requests keep their ladders in a narrow table of their own (``kind.ladder_model``,
    ``feedback.models.RequestLadder``); the other kinds, a few per engagement, on the row itself."""
    table = connection.ops.quote_name
    requests = table(kind.model._meta.db_table)
    if kind.ladder_model is None:
        return _Ladder(table=requests, alias="request", key=kind.model._meta.pk.column, from_sql=f"{requests} request")
    ladders = table(kind.ladder_model._meta.db_table)
    key = kind.ladder_model._meta.pk.column
    return _Ladder(
        table=ladders,
        alias="ladder",
        key=key,
        from_sql=f"{ladders} ladder JOIN {requests} request ON request.id = ladder.{key}",
    )


def _escalation_leads_sql(kind: ChasedKind, at) -> tuple[str, list]:
    """The engagements with an escalation of ``kind`` due now, each with its two leads, as a
    derived table ``leads`` (engagement_id, client_id, client_lead_id, provider_lead_id) compiled
    from the ORM, so each rule is written once: the client's lead is the first of
    ``engagements.selectors.escalation_recipient_list``, the provider's the first active account
    manager. Each kind's ``escalation_to_sql`` picks from them (a request escalates to the client's
    lead; an issue to the lead of its owner's side). A column a kind does not read is dropped by
    PostgreSQL's planner, so it costs nothing.

    ``GROUP BY`` keeps the planner from folding the table into the statement below, so the rule is
    evaluated once per engagement, not once per escalation recorded (at 100,000 due requests that
    was half a second, and its estimated cost switched PostgreSQL's JIT compiler on, which took
    0.9 s more)."""
    client_lead = escalation_recipient_list(
        contact_id=RawSQL("engagement.escalation_contact_id", []),
        client_id=RawSQL("engagement.client_id", []),
    ).values("id")[:1]
    client_sql, client_params = client_lead.query.sql_with_params()
    provider_lead = (
        User.objects.filter(is_active=True, managed_engagements=RawSQL("engagement.id", []))
        .order_by("id")
        .values("id")[:1]
    )
    provider_sql, provider_params = provider_lead.query.sql_with_params()
    table = connection.ops.quote_name
    ladder = _ladder_of(kind)
    escalation = LADDER[-1]
    return (
        f"""(SELECT engagement.id AS engagement_id, engagement.client_id AS client_id,
                    ({client_sql}) AS client_lead_id, ({provider_sql}) AS provider_lead_id
             FROM {table(Engagement._meta.db_table)} engagement
             WHERE engagement.id IN (
                 SELECT {kind.engagement_id_sql}
                 FROM {ladder.from_sql}
                 {kind.joins_sql}
                 WHERE {kind.open_sql} AND {ladder.alias}.next_step_at <= %s
                   AND {ladder.alias}.ladder_step < {escalation.step:d} AND request.{escalation.moment} <= %s)
             GROUP BY engagement.id, engagement.client_id)""",
        [*client_params, *provider_params, at, at],
    )


def _record_statement(kind: ChasedKind, now: datetime, ids: tuple[int, int]) -> tuple[str, list]:
    """Every due, not yet recorded level of every due open row of ``kind``, in one statement.

    - The rungs, their levels and moments come from ``LADDER``; a rung is due once its moment has
      come (``moment <= now``, as ``moment_has_come``).
    - The person chased (``kind.recipient_column``) receives every level but the escalation, which
      is recorded for ``kind.escalation_to_sql`` (the email adds the others and copies, see
      ``delivery``).
    - A rung that goes stale once the next has come ("due soon" when already overdue) is not
      recorded at all: the ladder moves past it, so no later sweep looks at it again, and a row
      written only to say "skipped" was a third of what the sweep wrote (issue 14).
    - Rows are inserted in (request, level) order, so concurrent sweeps take the unique-index
      locks in the same order and wait for each other instead of deadlocking.
    """
    fk_column = Reminder._meta.get_field(kind.reminder_field).column
    table = connection.ops.quote_name
    at = connection.ops.adapt_datetimefield_value(now)
    leads_sql, leads_params = _escalation_leads_sql(kind, at)
    ladder = _ladder_of(kind)
    escalation = LADDER[-1].step
    next_moment = _moment_sql("levels.step", offset=1)
    sql = f"""
        INSERT INTO {table(Reminder._meta.db_table)}
            ({fk_column}, level, recipient_id, status, created_at, send_after, attempts, last_error)
        SELECT request.id, levels.level,
               CASE WHEN levels.step = {escalation:d} THEN {kind.escalation_to_sql}
                    ELSE request.{kind.recipient_column} END,
               '{Reminder.Status.PENDING}', %s, %s, 0, ''
        FROM {ladder.from_sql}
        JOIN ({_levels_sql()}) levels
          ON levels.step > {ladder.alias}.ladder_step
         AND {_moment_sql("levels.step")} <= %s
         AND (levels.stale = 0 OR {next_moment} IS NULL OR {next_moment} > %s)
        {kind.joins_sql}
        LEFT JOIN {leads_sql} leads ON leads.engagement_id = {kind.engagement_id_sql}
        WHERE {kind.open_sql} AND {ladder.alias}.next_step_at <= %s
          AND {ladder.alias}.{ladder.key} BETWEEN %s AND %s
        ORDER BY request.id, levels.step
        ON CONFLICT DO NOTHING
    """
    return sql, [at, at, at, at, *leads_params, at, *ids]


def _record_due_levels(model, now: datetime, ids: tuple[int, int]) -> int:
    sql, params = _record_statement(kind_of_model(model), now, ids)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return max(cursor.rowcount, 0)


def _advance_statement(kind: ChasedKind, now: datetime, ids: tuple[int, int]) -> tuple[str, list]:
    """Move each due ladder of ``kind`` (with a request id in ``ids``) to the highest rung whose
    moment has come, and set when the next rung falls due (none past the top), in one UPDATE built
    from ``LADDER``. (SQL rather than the ORM: a narrow ladder table is updated from its request's
    moments, a join the ORM's ``update`` does not write.)"""
    ladder = _ladder_of(kind)
    at = connection.ops.adapt_datetimefield_value(now)
    reached = [
        (rung, LADDER[index + 1].moment if index + 1 < len(LADDER) else None) for index, rung in enumerate(LADDER)
    ][::-1][:-1]
    step = " ".join(f"WHEN request.{rung.moment} <= %s THEN {rung.step:d}" for rung, _ in reached)
    following = " ".join(
        f"WHEN request.{rung.moment} <= %s THEN {f'request.{moment}' if moment else 'NULL'}" for rung, moment in reached
    )
    assignments = (
        f"ladder_step = CASE {step} ELSE {LADDER[0].step:d} END, "
        f"next_step_at = CASE {following} ELSE request.{LADDER[1].moment} END"
    )
    where = f"{kind.open_sql} AND {ladder.alias}.next_step_at <= %s AND {ladder.alias}.{ladder.key} BETWEEN %s AND %s"
    if ladder.alias == "request":
        sql = f"UPDATE {ladder.table} AS request SET {assignments} WHERE {where}"
    else:
        requests = connection.ops.quote_name(kind.model._meta.db_table)
        sql = (
            f"UPDATE {ladder.table} AS ladder SET {assignments} FROM {requests} request "
            f"WHERE request.id = ladder.{ladder.key} AND {where}"
        )
    return sql, [*[at] * (2 * len(reached)), at, *ids]


def _advance_ladders(model, now: datetime, ids: tuple[int, int]) -> int:
    sql, params = _advance_statement(kind_of_model(model), now, ids)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return max(cursor.rowcount, 0)


def _due_id_ranges(model, now: datetime):
    """The ids of ``model``'s due requests, as consecutive ranges of ``RECORD_CHUNK`` ids."""
    kind = kind_of_model(model)
    if kind.ladder_model is None:
        due = model.objects.filter(kind.open_q, next_step_at__lte=now)
    else:  # a closed request's ladder has no next step
        due = kind.ladder_model.objects.filter(next_step_at__lte=now)
    bounds = due.aggregate(low=Min("pk"), high=Max("pk"))
    if bounds["low"] is None:
        return
    for start in range(bounds["low"], bounds["high"] + 1, RECORD_CHUNK):
        yield start, min(start + RECORD_CHUNK - 1, bounds["high"])


def record_due_steps(*, now: datetime) -> SweepResult:
    """Record the due levels and advance the ladders: per chased kind (``subjects``: feedback
    requests, availability requests, then what other apps registered, such as issues), one query
    for the range of due ids, then per ``RECORD_CHUNK`` ids the INSERT and the UPDATE in one
    transaction (so 3 statements per kind up to that many rows, whatever the number due)."""
    result = SweepResult()
    for model in (kind.model for kind in chased_kinds()):
        for ids in _due_id_ranges(model, now):
            with transaction.atomic():
                result.recorded += _record_due_levels(model, now, ids)
                result.advanced += _advance_ladders(model, now, ids)
    return result


def reclaim_expired_claims(*, now: datetime) -> int:
    """Rows stuck in "sending" past the lease (a worker killed mid-send) go back to pending."""
    return Reminder.objects.filter(status=Reminder.Status.SENDING, claimed_at__lt=now - SENDING_LEASE).update(
        status=Reminder.Status.PENDING,
        claimed_at=None,
        send_after=now,
        last_error="The sending worker stopped before finishing; sending again.",
    )


def dispatch_pending(
    *,
    now: datetime,
    publish: Publish | None = None,
    publish_many: PublishMany | None = None,
    limit: int = DISPATCH_BATCH,
) -> int:
    """Publish a send task for the oldest pending rows that are due, and mark them dispatched.

    ``publish_many`` publishes them all in one batch (the sweep task's way); ``publish`` one at a
    time, stopping at the first broker error. Publishing twice is harmless (the send task claims
    the row with a conditional UPDATE), so two sweeps racing here cost a no-op task, never an email.
    """
    if publish_many is None:
        if publish is None:
            raise TypeError("dispatch_pending needs publish or publish_many")
        publish_many = lambda ids: publish_all(ids, publish)  # noqa: E731
    ids = list(
        Reminder.objects.filter(status=Reminder.Status.PENDING, send_after__lte=now)
        .filter(Q(dispatched_at__isnull=True) | Q(dispatched_at__lte=now - REDISPATCH_AFTER))
        .order_by("send_after", "id")
        .values_list("id", flat=True)[:limit]
    )
    if not ids:
        return 0
    published = publish_many(ids)
    if published:
        Reminder.objects.filter(id__in=published).update(dispatched_at=now)
    return len(published)


def run_sweep(
    *, now: datetime, publish_reminder: Publish | None = None, publish_reminders: PublishMany | None = None
) -> SweepResult:
    """One pass of the beat-driven sweep. Must run outside any transaction (it commits as it goes)."""
    result = record_due_steps(now=now)
    result.reclaimed = reclaim_expired_claims(now=now)
    result.dispatched = dispatch_pending(now=now, publish=publish_reminder, publish_many=publish_reminders)
    if result.recorded or result.reclaimed or result.dispatched:
        logger.info("Reminder sweep: %s", result)
    return result
