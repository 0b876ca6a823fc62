"""Issue 14: feedback and availability requests carry their submission's engagement
(``engagements.models.OfSubmission``), filled here, with the scorecard's per-engagement indexes."""

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
    for name in ("feedbackrequest", "availabilityrequest"):
        apps.get_model("feedback", name).objects.filter(engagement__isnull=True).update(
            engagement_id=Subquery(of_submission)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("engagements", "0010_engagement_on_submission_rows"),
        ("feedback", "0009_reminder_implementation_task"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="availabilityrequest",
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
            model_name="feedbackrequest",
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
            model_name="feedbackrequest",
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
            model_name="availabilityrequest",
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
            model_name="availabilityrequest",
            index=models.Index(
                condition=models.Q(("status", "answered")),
                fields=["engagement", "answered_at"],
                include=("created_at",),
                name="availability_answered_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="feedbackrequest",
            index=models.Index(
                condition=models.Q(("status", "open")),
                fields=["engagement", "due_at"],
                name="feedback_request_open_due_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="feedbackrequest",
            index=models.Index(
                fields=["engagement", "created_at"],
                include=("requested_of", "status", "answered_at", "due_at"),
                name="feedback_request_asked_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="feedbackrequest",
            index=models.Index(
                fields=["engagement", "due_at"], include=("status", "answered_at"), name="feedback_request_due_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="feedbackrequest",
            index=models.Index(
                condition=models.Q(("answered_at__isnull", False)),
                fields=["engagement", "answered_at"],
                include=("created_at",),
                name="feedback_request_answered_idx",
            ),
        ),
    ]
