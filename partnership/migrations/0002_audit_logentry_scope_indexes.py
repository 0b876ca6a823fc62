"""Indexes of the audit trail's scopes on PostgreSQL (auditlog's table is the library's; its entries
carry their engagement or organisation in ``additional_data``: partnership.audit.registration).

- ``audit_entry_engagement_idx`` serves an engagement's History
  (partnership.audit.selectors.engagement_history: WHERE additional_data -> 'engagement_id' = ?
  ORDER BY timestamp DESC) and the whole History's ``engagement_id IN (...)``;
- ``audit_entry_organization_idx`` the entries about an organisation's people (same query, OR
  additional_data -> 'organization_id' = ?).

SQLite has no such expression index on JSON here; its tables are small (tests, development).
"""

from django.db import migrations

INDEXES = {
    "audit_entry_engagement_idx": "((additional_data -> 'engagement_id')), timestamp DESC",
    "audit_entry_organization_idx": "((additional_data -> 'organization_id')), timestamp DESC",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, columns in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON auditlog_logentry ({columns})")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("partnership", "0001_initial"),
        ("auditlog", "0017_add_actor_email"),
    ]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
