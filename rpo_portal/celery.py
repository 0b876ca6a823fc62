import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rpo_portal.settings")

app = Celery("rpo_portal")
# Every Celery setting lives in Django settings under the CELERY_ namespace.
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
