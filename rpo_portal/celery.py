import os

from celery import Celery
from celery.signals import beat_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rpo_portal.settings")

app = Celery("rpo_portal")
# Every Celery setting lives in Django settings under the CELERY_ namespace.
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@beat_init.connect
def run_as_beat_starts(sender=None, **kwargs):
    """Send the tasks of ``settings.BEAT_ON_START`` once as beat starts: an interval entry of the
    schedule first runs one interval after beat starts, and these keep values that pages read."""
    from django.conf import settings

    for name in settings.BEAT_ON_START:
        app.tasks[name].delay()
