"""Hourly rollups kept by the database: counts of a table's rows per engagement and UTC hour.

A figure that counts rows in a window (the scorecard's stage moves, its feedback due and answered
on time) reads the window's whole hours from a rollup of a few rows per hour, and only the rows of
the hours that a window edge or week boundary cuts from the table itself (``hourly_split``): the
same numbers, from about 24 rows a day whatever the volume. Hours in UTC, so that a change of an
engagement's time zone changes nothing stored.

The database keeps each rollup itself, by triggers on its source table that ``install`` creates
(PostgreSQL and SQLite): whatever writes the rows (a service, ``bulk_create``, a queryset's
``update``, a cascade, a migration, SQL typed by hand) updates the counts in the same transaction.
On PostgreSQL every change is counted per statement, from its transition tables: one upsert per
statement however many rows (the bulk writers of the demo and the benchmarks), the hours written
in key order (no two statements lock them in opposite orders), and an update that changes nothing
counted writes nothing. SQLite (one writer at a time) counts per row; an update there only when
it changes a column counted (a row-level trigger's ``WHEN``).
``rebuild`` recounts a rollup from its source (the migration that creates it; a repair).

A rollup's spec (``HourlyRollup``) says which rows count and what each column counts, as SQL
conditions on one source row written with ``{row}`` for the row (``NEW``, ``OLD``, or an alias).
Each model module that owns one states its conditions beside the Python rule they mirror, and a
test (``tests/test_rollups.py``) holds every rollup equal to the rule's own count, on both
databases, through inserts, updates and deletes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

HOUR = timedelta(hours=1)


@dataclass(frozen=True)
class HourlyRollup:
    source: str  # the table counted
    target: str  # the rollup table: (engagement_id, hour) unique, one integer column per count
    moment: str  # the source's column whose UTC hour a row is counted in
    where: str  # the rows counted at all ({row} for the row)
    counts: tuple[tuple[str, str], ...]  # (rollup column, condition on a counted row)
    watched: tuple[str, ...]  # the source's columns ``where`` and ``counts`` read (besides engagement, moment)

    def _cases(self, row: str) -> list[str]:
        return [f"CASE WHEN {condition.format(row=row)} THEN 1 ELSE 0 END" for _, condition in self.counts]

    def _counted(self, row: str) -> str:
        return f"({self.where.format(row=row)}) AND {row}.{self.moment} IS NOT NULL"

    @property
    def _columns(self) -> list[str]:
        return [column for column, _ in self.counts]


def _hour(vendor: str, value: str) -> str:
    if vendor == "postgresql":
        return f"date_trunc('hour', {value}, 'UTC')"
    return f"strftime('%Y-%m-%d %H:00:00', {value})"  # Django's own text for a whole UTC hour


def _upsert(spec: HourlyRollup, vendor: str, select: str, alias: str = "h") -> str:
    columns = spec._columns
    postgresql = vendor == "postgresql"  # SQLite names the target's columns without an alias
    target, old = (f"{spec.target} AS {alias}", f"{alias}.") if postgresql else (spec.target, "")
    added = ", ".join(f"{column} = {old}{column} + excluded.{column}" for column in columns)
    return (
        f"INSERT INTO {target} (engagement_id, hour, {', '.join(columns)}) {select} "
        f"ON CONFLICT (engagement_id, hour) DO UPDATE SET {added}"
    )


def _grouped(spec: HourlyRollup, vendor: str, rows: str, sign: str = "") -> str:
    """SELECT the counts of the counted rows of ``rows`` (a table or transition table) per
    engagement and hour, each multiplied by ``sign`` ("" or "-")."""
    sums = ", ".join(f"{sign}SUM({case})" for case in spec._cases("r"))
    return (
        f"SELECT r.engagement_id, {_hour(vendor, f'r.{spec.moment}')}, {sums} FROM {rows} AS r "
        f"WHERE {spec._counted('r')} GROUP BY 1, 2 ORDER BY 1, 2"
    )


def _subtract_row(spec: HourlyRollup, vendor: str, row: str) -> str:
    """Take one counted row away from its hour. An UPDATE, never an insert: a row deleted with its
    engagement (a cascade) finds its hour gone already, and leaves nothing behind."""
    pairs = zip(spec._columns, spec._cases(row), strict=True)
    taken = ", ".join(f"{column} = {column} - {case}" for column, case in pairs)
    return (
        f"UPDATE {spec.target} SET {taken} WHERE engagement_id = {row}.engagement_id "
        f"AND hour = {_hour(vendor, f'{row}.{spec.moment}')}"
    )


def _add_row(spec: HourlyRollup, vendor: str, row: str, if_counted: bool = False) -> str:
    """Add one row to its hour (``if_counted``: when it is counted at all)."""
    values = ", ".join(spec._cases(row))
    select = f"SELECT {row}.engagement_id, {_hour(vendor, f'{row}.{spec.moment}')}, {values}"
    if if_counted:
        select += f" WHERE {spec._counted(row)}"
    elif vendor != "postgresql":
        select += " WHERE true"  # SQLite: an INSERT ... SELECT before ON CONFLICT needs its WHERE
    return _upsert(spec, vendor, select)


def _net_change(spec: HourlyRollup) -> str:
    """PostgreSQL, after an UPDATE statement: the rows as they were taken away and as they are
    added, netted per engagement and hour, and only the hours whose counts changed written, in
    the order of the rollup's key (so that two statements never lock the same hours in opposite
    orders). An update that changes nothing counted (a reassignment, an erased comment) writes
    nothing. An hour of an engagement deleted in the same transaction is not written back."""
    vendor, columns = "postgresql", spec._columns
    sides = " UNION ALL ".join(
        f"SELECT r.engagement_id, {_hour(vendor, f'r.{spec.moment}')} AS hour, "
        + ", ".join(f"{sign}{case} AS {column}" for column, case in zip(columns, spec._cases("r"), strict=True))
        + f" FROM {rows} AS r WHERE {spec._counted('r')}"
        for sign, rows in (("", "new_rows"), ("-", "old_rows"))
    )
    sums = ", ".join(f"SUM({column})" for column in columns)
    changed = " OR ".join(f"SUM({column}) <> 0" for column in columns)
    select = (
        f"SELECT d.engagement_id, d.hour, {sums} FROM ({sides}) AS d "
        "WHERE EXISTS (SELECT 1 FROM engagements_engagement AS e WHERE e.id = d.engagement_id) "
        f"GROUP BY 1, 2 HAVING {changed} ORDER BY 1, 2"
    )
    return _upsert(spec, vendor, select)


def _changed(spec: HourlyRollup) -> str:
    columns = ("engagement_id", spec.moment, *spec.watched)
    return " OR ".join(f"OLD.{column} IS DISTINCT FROM NEW.{column}" for column in columns)


def install_sql(spec: HourlyRollup, vendor: str) -> list[str]:
    """The statements that create the triggers keeping ``spec``'s rollup, on ``vendor``."""
    name = spec.target
    if vendor == "postgresql":
        deleted = (
            f"UPDATE {spec.target} AS h SET "
            + ", ".join(f"{column} = h.{column} - d.{column}" for column in spec._columns)
            + f" FROM ({_grouped(spec, vendor, 'changed')}) AS d (engagement_id, hour, {', '.join(spec._columns)}) "
            "WHERE h.engagement_id = d.engagement_id AND h.hour = d.hour"
        )
        return [
            f"CREATE FUNCTION {name}_inserted() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"{_upsert(spec, vendor, _grouped(spec, vendor, 'changed'))}; RETURN NULL; END $$",
            f"CREATE TRIGGER {name}_inserted AFTER INSERT ON {spec.source} REFERENCING NEW TABLE AS changed "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {name}_inserted()",
            f"CREATE FUNCTION {name}_deleted() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"{deleted}; RETURN NULL; END $$",
            f"CREATE TRIGGER {name}_deleted AFTER DELETE ON {spec.source} REFERENCING OLD TABLE AS changed "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {name}_deleted()",
            f"CREATE FUNCTION {name}_updated() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"{_net_change(spec)}; RETURN NULL; END $$",
            f"CREATE TRIGGER {name}_updated AFTER UPDATE ON {spec.source} REFERENCING OLD TABLE AS old_rows "
            f"NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {name}_updated()",
        ]
    watched = ", ".join(("engagement_id", spec.moment, *spec.watched))
    return [
        f"CREATE TRIGGER {name}_inserted AFTER INSERT ON {spec.source} FOR EACH ROW "
        f"WHEN {spec._counted('NEW')} BEGIN {_add_row(spec, vendor, 'NEW')}; END",
        f"CREATE TRIGGER {name}_deleted AFTER DELETE ON {spec.source} FOR EACH ROW "
        f"WHEN {spec._counted('OLD')} BEGIN {_subtract_row(spec, vendor, 'OLD')}; END",
        f"CREATE TRIGGER {name}_updated AFTER UPDATE OF {watched} ON {spec.source} FOR EACH ROW "
        f"WHEN {_changed(spec)} BEGIN "
        f"{_subtract_row(spec, vendor, 'OLD')} AND ({spec._counted('OLD')}); "
        f"{_add_row(spec, vendor, 'NEW', if_counted=True)}; "
        "END",
    ]


def uninstall_sql(spec: HourlyRollup, vendor: str) -> list[str]:
    events = [f"{spec.target}_{event}" for event in ("inserted", "deleted", "updated")]
    if vendor == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {name} ON {spec.source}" for name in events] + [
            f"DROP FUNCTION IF EXISTS {name}()" for name in events
        ]
    return [f"DROP TRIGGER IF EXISTS {name}" for name in events]


def rebuild_sql(spec: HourlyRollup, vendor: str) -> list[str]:
    """Recount the whole rollup from its source."""
    return [f"DELETE FROM {spec.target}", _upsert(spec, vendor, _grouped(spec, vendor, spec.source))]


def install(schema_editor, spec: HourlyRollup) -> None:
    """Create the triggers, then count what is there (a migration's RunPython; in its transaction
    on PostgreSQL, where creating a trigger locks out writers until the count is committed)."""
    vendor = schema_editor.connection.vendor
    for statement in [*install_sql(spec, vendor), *rebuild_sql(spec, vendor)]:
        schema_editor.execute(statement, params=None)


def uninstall(schema_editor, spec: HourlyRollup) -> None:
    for statement in uninstall_sql(spec, schema_editor.connection.vendor):
        schema_editor.execute(statement, params=None)


def rebuild(connection, spec: HourlyRollup) -> None:
    with connection.cursor() as cursor:
        for statement in rebuild_sql(spec, connection.vendor):
            cursor.execute(statement)


# --- reading: the whole hours of a window, and the rest ----------------------------------------------


def floor_hour(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def ceil_hour(moment: datetime) -> datetime:
    floor = floor_hour(moment)
    return floor if floor == moment else floor + HOUR


@dataclass(frozen=True)
class HourlySplit:
    """[``start``, ``end``) as the whole UTC hours that no cut falls inside, to read from a rollup
    (``first`` <= hour < ``last``, except ``cut_hours``), and the rest, to read from the source:
    ``raw``, a list of [from, to) ranges (the part before the first whole hour, the part after
    the last, and each whole hour a cut falls inside)."""

    first: datetime | None
    last: datetime | None
    cut_hours: tuple[datetime, ...]
    raw: tuple[tuple[datetime, datetime], ...]


def hourly_split(start: datetime, end: datetime, cuts=()) -> HourlySplit:
    """Split [``start``, ``end``) so that every hour read from a rollup lies wholly on one side of
    each of ``cuts`` (a window's other edges, the first moments of its weeks): a rollup hour is
    then in a window, or a week, exactly when its first moment is."""
    first, last = ceil_hour(start), floor_hour(end)
    if first >= last:
        return HourlySplit(None, None, (), ((start, end),) if start < end else ())
    raw = []
    if start < first:
        raw.append((start, first))
    cut_hours = sorted({floor_hour(cut) for cut in cuts if first < cut < last and floor_hour(cut) != cut})
    raw += [(hour, hour + HOUR) for hour in cut_hours]
    if last < end:
        raw.append((last, end))
    return HourlySplit(first, last, tuple(cut_hours), tuple(raw))
