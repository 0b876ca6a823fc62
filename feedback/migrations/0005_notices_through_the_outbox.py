""""Feedback received" and interview invitations go through the outbox (rpo_portal.OutboundEmail):
the ad-hoc claim columns and the sweep's catch-up indexes go. Notices not sent yet when this runs
(recent feedback, upcoming interviews) are recorded in the outbox first, under the keys
feedback.reminders.notices uses, so none is lost in the switch."""

from datetime import timedelta

from django.db import migrations
from django.utils import timezone

CATCH_UP_WINDOW = timedelta(days=2)  # what the old sweep still caught up


def record_unsent_notices(apps, schema_editor):
    Feedback = apps.get_model("feedback", "Feedback")
    AvailabilityRequest = apps.get_model("feedback", "AvailabilityRequest")
    OutboundEmail = apps.get_model("rpo_portal", "OutboundEmail")
    now = timezone.now()
    rows = [
        OutboundEmail(
            kind="feedback.feedback_received",
            key=f"feedback-received:{feedback_id}",
            payload={"feedback_id": feedback_id},
            created_at=now,
            send_after=now,
        )
        for feedback_id in Feedback.objects.filter(
            recruiter_notified_at__isnull=True, created_at__gte=now - CATCH_UP_WINDOW
        ).values_list("id", flat=True)
    ]
    rows += [
        OutboundEmail(
            kind="feedback.interview_invitations",
            key=f"interview-invitations:{interview_id}",
            payload={"interview_id": interview_id},
            created_at=now,
            send_after=now,
        )
        for interview_id in AvailabilityRequest.objects.filter(
            booked_interview__isnull=False, invitations_sent_at__isnull=True, booked_interview__starts_at__gt=now
        ).values_list("booked_interview_id", flat=True)
    ]
    OutboundEmail.objects.bulk_create(rows, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0004_feedback_next_step"),
        ("rpo_portal", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(record_unsent_notices, migrations.RunPython.noop),
        migrations.RemoveIndex(model_name="availabilityrequest", name="availability_uninvited_idx"),
        migrations.RemoveIndex(model_name="feedback", name="feedback_unnotified_idx"),
        migrations.RemoveField(model_name="availabilityrequest", name="invitations_sent_at"),
        migrations.RemoveField(model_name="feedback", name="recruiter_notified_at"),
    ]
