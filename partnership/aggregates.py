"""Database functions the scorecard needs on both PostgreSQL and SQLite (the embedded default).

- ``Median(expression)``: ``percentile_cont(0.5) WITHIN GROUP (ORDER BY ...)`` on PostgreSQL; on
  SQLite a ``median`` aggregate registered on the connection (NULLs ignored on both, the mean of
  the two middle values for an even count on both). Accepts ``filter=`` like any aggregate.
- ``HoursBetween(end, start)``: wall-clock hours between two datetimes, as a float.
- ``MedianHours(end, start)``: ``Median(HoursBetween(end, start))``, the same value, cheaper on
  PostgreSQL: the rows sorted by their seconds as a float (``date_part``), the median alone turned
  into hours. Sorting ``EXTRACT``'s numerics cost a third more than sorting the intervals; sorting
  the intervals (128-bit comparisons) costs about twice the floats: 17-26 ms against 9-11 ms over
  66,000 answers.
- ``DaysBetween(end, start)``: whole days between two dates.
- ``BucketIndex(field, bounds)``: how many of the ascending ``bounds`` are at or before ``field``
  (0 before the first): ``width_bucket`` on PostgreSQL (a binary search per row), a CASE on SQLite.
"""

from __future__ import annotations

from django.db.backends.signals import connection_created
from django.db.models import Aggregate, Case, F, FloatField, Func, IntegerField, Value, When


class _SQLiteMedian:
    def __init__(self):
        self.values = []

    def step(self, value):
        if value is not None:
            self.values.append(value)

    def finalize(self):
        values = sorted(self.values)
        count = len(values)
        if not count:
            return None
        middle = count // 2
        return float(values[middle]) if count % 2 else (values[middle - 1] + values[middle]) / 2


def _register_sqlite_median(connection) -> None:
    """Register ``median`` on the connection's current SQLite handle, once per handle."""
    raw = connection.connection
    if getattr(connection, "_median_registered_on", None) is not raw:
        raw.create_aggregate("median", 1, _SQLiteMedian)
        connection._median_registered_on = raw


def _on_connection_created(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        _register_sqlite_median(connection)


connection_created.connect(_on_connection_created, dispatch_uid="partnership.aggregates.sqlite_median")


class Median(Aggregate):
    function = "percentile_cont"
    name = "Median"
    output_field = FloatField()
    template = "percentile_cont(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    allow_distinct = False
    empty_result_set_value = None

    def as_sqlite(self, compiler, connection, **extra_context):
        connection.ensure_connection()
        _register_sqlite_median(connection)
        clone = self.copy()
        clone.template = "median(%(distinct)s%(expressions)s)"
        return clone.as_sql(compiler, connection, **extra_context)


class MedianHours(Median):
    """The median of the wall-clock hours from ``start`` to ``end`` (both datetimes), as a float:
    ``Median(HoursBetween(end, start))``. On PostgreSQL the rows are sorted by the seconds between
    the two as a double (``date_part('epoch', ...)``, exact to the microsecond for any wait under
    a century) and the median alone is turned into hours; on SQLite it is that median itself."""

    def __init__(self, end: str, start: str, **extra):
        self.end_start = (end, start)
        super().__init__(HoursBetween(end, start), **extra)

    def as_postgresql(self, compiler, connection, **extra_context):
        end, start = self.end_start
        clone = self.copy()
        interval = (F(end) - F(start)).resolve_expression(compiler.query)  # TemporalSubtraction
        seconds = Func(interval, template="date_part('epoch', %(expressions)s)", output_field=FloatField())
        clone.set_source_expressions([seconds, *self.get_source_expressions()[1:]])
        sql, params = clone.as_sql(compiler, connection, **extra_context)
        return f"({sql} / 3600.0)", params


class HoursBetween(Func):
    """Hours from ``start`` to ``end`` (both datetimes), wall clock."""

    output_field = FloatField()
    arity = 2

    def __init__(self, end, start, **extra):
        super().__init__(end, start, **extra)

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler, connection, template="(EXTRACT(EPOCH FROM (%(expressions)s)) / 3600.0)", arg_joiner=" - "
        )

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="((julianday(%(expressions)s)) * 24.0)",
            arg_joiner=") - julianday(",
        )


class DaysBetween(Func):
    """Days from the date ``start`` to the date ``end``."""

    output_field = FloatField()
    arity = 2

    def __init__(self, end, start, **extra):
        super().__init__(end, start, **extra)

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template="((%(expressions)s)::double precision)", arg_joiner=" - ")

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template="(julianday(%(expressions)s))", arg_joiner=") - julianday(")


class BucketIndex(Func):
    """How many of ``bounds`` (ascending moments) are at or before ``field``: the index of the
    bucket a row falls in, 0 before the first bound. ``width_bucket(field, ARRAY[bounds])`` on
    PostgreSQL; on SQLite, which has no ``width_bucket``, the same as a CASE of comparisons, built
    only there (resolving its conditions cost about 1 ms of Python per query where it is not used)."""

    output_field = IntegerField()

    def __init__(self, field: str, bounds: list, **extra):
        if not bounds:
            raise ValueError("BucketIndex needs at least one bound.")
        self.field_name, self.bounds = field, list(bounds)
        super().__init__(F(field), **extra)

    def as_postgresql(self, compiler, connection, **extra_context):
        (field,) = self.get_source_expressions()
        sql, params = compiler.compile(field)
        return f"width_bucket({sql}, %s::timestamptz[])", (*params, self.bounds)

    def as_sql(self, compiler, connection, **extra_context):
        before = f"{self.field_name}__lt"
        whens = [When(**{before: bound}, then=Value(index)) for index, bound in enumerate(self.bounds)]
        case = Case(*whens, default=Value(len(self.bounds)), output_field=IntegerField())
        return compiler.compile(case.resolve_expression(compiler.query))
