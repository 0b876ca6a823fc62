"""After a bulk load, ``rpo_portal.statistics.analyze`` leaves the planner what it needs: row
counts and column statistics, and on PostgreSQL (outside a transaction, as ``seed_demo`` calls it)
the visibility map that lets the scorecard's figures read their indexes alone."""

import pytest
from django.db import connection

from engagements.models import Submission
from rpo_portal.statistics import analyze

from . import factories


@pytest.mark.django_db(transaction=True)
def test_a_bulk_load_is_analysed_and_on_postgresql_its_pages_marked_all_visible():
    requisition = factories.RequisitionFactory()
    factories.SubmissionFactory.create_batch(30, requisition=requisition)
    assert analyze([Submission]) == [Submission._meta.db_table]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT DISTINCT tbl FROM sqlite_stat1")
            assert Submission._meta.db_table in {table for (table,) in cursor.fetchall()}
            return
        cursor.execute("SELECT reltuples, relallvisible FROM pg_class WHERE relname = %s", [Submission._meta.db_table])
        rows, all_visible_pages = cursor.fetchone()
    assert rows == 30
    assert all_visible_pages > 0  # VACUUM ran: an index-only scan need not visit the table
