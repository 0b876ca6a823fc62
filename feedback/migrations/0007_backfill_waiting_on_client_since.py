"""Fill ``Requisition.waiting_on_client_since`` (engagements 0007) from the requests open today.

The same set as ``feedback.selectors.requests_waiting_on_client`` (open requests about the
requisition's submissions) and the same value as ``oldest_wait_of_requisition``, written here with
the historical models as a migration must be. One UPDATE of every requisition, on SQLite and
PostgreSQL alike; from then on the services keep it (``feedback.services.waiting_on_client_refresh``).
"""

from django.db import migrations
from django.db.models import DateTimeField, Min, OuterRef, Subquery
from django.db.models.functions import Coalesce, Least


def backfill(apps, schema_editor):
    Requisition = apps.get_model("engagements", "Requisition")
    oldest = [
        Subquery(
            apps.get_model("feedback", name)
            .objects.filter(status="open", submission__requisition_id=OuterRef("pk"))
            .order_by()
            .values("submission__requisition_id")
            .annotate(oldest=Min("created_at"))
            .values("oldest")[:1],
            output_field=DateTimeField(),
        )
        for name in ("FeedbackRequest", "AvailabilityRequest")
    ]
    Requisition.objects.update(waiting_on_client_since=Least(Coalesce(oldest[0], oldest[1]), Coalesce(oldest[1], oldest[0])))


class Migration(migrations.Migration):
    dependencies = [
        ("engagements", "0007_requisition_waiting_on_client_since"),
        ("feedback", "0006_sweep_indexes"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True)]
