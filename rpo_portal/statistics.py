"""Planner statistics after a bulk load: ``analyze(models)`` runs ``ANALYZE`` on their tables.

PostgreSQL plans each query from per-table statistics that only ``ANALYZE`` (or autovacuum, which
may be off, or late) gathers. Right after a bulk load a table has none: the planner takes a
filter on ``engagement_id`` to keep one row and nests loops over tens of thousands, and a
scorecard at 100,000 submissions took 30 s instead of a second (issue 14). Whatever fills tables
in bulk (``seed_demo``, imports) calls this on what it filled, in the same process, before
anyone reads them. SQLite's ``ANALYZE`` fills ``sqlite_stat1`` the same way; other databases: no-op.

On PostgreSQL, outside a transaction, it is ``VACUUM (ANALYZE)``: a table just filled has no page
marked all-visible, so the planner cannot count on an index-only scan (every row's visibility is
checked in the table) and reads the scorecard's figures by bitmap heap scans instead, sorting what
an index holds in order: 118-128 ms instead of 105-110 for a 30-day scorecard right after
``seed_demo --scale 100``, 179-188 instead of 140-160 for 90 days. Inside a transaction (a test's)
VACUUM cannot run, and ANALYZE alone does.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection
from django.db.models import Model


def analyze(models: Iterable[type[Model]]) -> list[str]:
    """``ANALYZE`` the tables of ``models`` (each once; on PostgreSQL outside a transaction, with
    ``VACUUM``); returns the table names analysed."""
    tables = list(dict.fromkeys(model._meta.db_table for model in models))
    if not tables or connection.vendor not in ("postgresql", "sqlite"):
        return []
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
            cursor.execute(f"{command} {', '.join(quote(table) for table in tables)}")
        else:  # SQLite's ANALYZE takes one table at a time
            for table in tables:
                cursor.execute(f"ANALYZE {quote(table)}")
    return tables
