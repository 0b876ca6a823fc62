"""Issue 14: interviews and stage changes carry their submission's engagement (``OfSubmission``),
filled here, with the scorecard's per-engagement indexes in place of the time-only ones."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_engagement(apps, schema_editor):
    """Each row gets its submission's engagement (through the submission's requisition)."""
    if schema_editor.connection.vendor == "postgresql":
        # The new key's check runs now, not at commit: ALTER TABLE below refuses pending checks.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    Submission = apps.get_model("engagements", "Submission")
    of_submission = Submission.objects.filter(pk=OuterRef("submission_id")).values("requisition__engagement_id")[:1]
    for name in ("interview", "submissionstagechange"):
        apps.get_model("engagements", name).objects.filter(engagement__isnull=True).update(
            engagement_id=Subquery(of_submission)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("engagements", "0009_accountability"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="interview",
            name="interview_starts_at_idx",
        ),
        migrations.RemoveIndex(
            model_name="submissionstagechange",
            name="stage_change_changed_at_idx",
        ),
        migrations.AddField(
            model_name="interview",
            name="engagement",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="engagements.engagement",
            ),
        ),
        migrations.AddField(
            model_name="submissionstagechange",
            name="engagement",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="engagements.engagement",
            ),
        ),
        migrations.RunPython(fill_engagement, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="interview",
            name="engagement",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="engagements.engagement",
            ),
        ),
        migrations.AlterField(
            model_name="submissionstagechange",
            name="engagement",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="engagements.engagement",
            ),
        ),
        migrations.AddIndex(
            model_name="interview",
            index=models.Index(
                fields=["engagement", "starts_at"],
                include=("status", "rescheduled_count"),
                name="interview_engagement_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="submissionstagechange",
            index=models.Index(
                fields=["engagement", "changed_at"],
                include=("from_stage", "to_stage"),
                name="stage_change_engagement_idx",
            ),
        ),
    ]
